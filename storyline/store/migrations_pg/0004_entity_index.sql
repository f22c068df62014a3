-- The PostgreSQL twin of migrations/0004_entity_index.sql.
ALTER TABLE entities ADD COLUMN labels JSONB NOT NULL DEFAULT '{}';
ALTER TABLE entities ADD COLUMN cues JSONB NOT NULL DEFAULT '{}';
ALTER TABLE entities ADD COLUMN evidence JSONB NOT NULL DEFAULT '[]';
ALTER TABLE entities ADD COLUMN articles INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entities ADD COLUMN mentions INTEGER NOT NULL DEFAULT 0;
UPDATE entities SET
    articles = (SELECT COUNT(DISTINCT l.article_id) FROM entity_links l WHERE l.entity_id = entities.id),
    mentions = (SELECT COALESCE(SUM(l.mentions), 0) FROM entity_links l WHERE l.entity_id = entities.id);
CREATE INDEX entities_rank ON entities(mentions DESC, name);
CREATE TABLE entity_keys (
    key TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (key, entity_id)
);
CREATE INDEX entity_keys_entity ON entity_keys(entity_id);
