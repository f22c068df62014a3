-- What the linker keeps between runs, so an ingest links only what its new articles touch.
-- Whether an enrichment's article has been placed in an event by the linker; the partial
-- index finds the pending ones without scanning the linked.
ALTER TABLE enrichments ADD COLUMN linked INTEGER NOT NULL DEFAULT 0;
CREATE INDEX enrichments_unlinked ON enrichments(article_id) WHERE linked = 0;
UPDATE enrichments SET linked = 1 WHERE article_id IN (SELECT article_id FROM event_articles);

-- Blocking keys each linked article is filed under, read newest first per key.
CREATE TABLE link_keys (
    key TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    PRIMARY KEY (key, article_id)
);
CREATE INDEX link_keys_recent ON link_keys(key, seq);
CREATE INDEX link_keys_article ON link_keys(article_id);

-- Document frequencies of terms and entities over the linked articles; the row with the
-- empty key counts the articles themselves.
CREATE TABLE doc_freq (
    key TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
);

-- When an event row last changed, what it is about (for storylines), and an index from its
-- core participants to it.
ALTER TABLE events ADD COLUMN updated TEXT;
ALTER TABLE events ADD COLUMN subject TEXT;
CREATE TABLE event_cores (
    entity_id TEXT NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, event_id)
);
CREATE INDEX event_cores_event ON event_cores(event_id);
