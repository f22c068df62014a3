-- What `storyline follow` fetched from each URL: the validators for conditional requests (ETag,
-- Last-Modified), the last status and the article read there, so each article is fetched once.
CREATE TABLE fetched (
    url TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    article_id TEXT,
    fetched_at TEXT NOT NULL
);
