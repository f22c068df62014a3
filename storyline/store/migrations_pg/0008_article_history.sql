-- Earlier metadata of articles read again with the same text and corrected metadata.
CREATE TABLE article_history (
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    data JSONB NOT NULL,
    PRIMARY KEY (article_id, version)
);
