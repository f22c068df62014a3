-- The PostgreSQL twin of migrations/0010_link_state.sql: what the linker keeps between runs.
ALTER TABLE enrichments ADD COLUMN linked BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX enrichments_unlinked ON enrichments(article_id) WHERE NOT linked;
UPDATE enrichments SET linked = TRUE WHERE article_id IN (SELECT article_id FROM event_articles);

CREATE TABLE link_keys (
    key TEXT COLLATE "C" NOT NULL,
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    PRIMARY KEY (key, article_id)
);
CREATE INDEX link_keys_recent ON link_keys(key, seq);
CREATE INDEX link_keys_article ON link_keys(article_id);

-- The row with the empty key counts the articles themselves.
CREATE TABLE doc_freq (
    key TEXT COLLATE "C" PRIMARY KEY,
    docs INTEGER NOT NULL
);

ALTER TABLE events ADD COLUMN updated TEXT COLLATE "C";
ALTER TABLE events ADD COLUMN subject JSONB;
CREATE TABLE event_cores (
    entity_id TEXT COLLATE "C" NOT NULL,
    event_id TEXT COLLATE "C" NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, event_id)
);
CREATE INDEX event_cores_event ON event_cores(event_id);
