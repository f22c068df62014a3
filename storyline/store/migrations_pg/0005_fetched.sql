-- The PostgreSQL twin of migrations/0005_fetched.sql.
CREATE TABLE fetched (
    url TEXT COLLATE "C" PRIMARY KEY,
    status INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    article_id TEXT COLLATE "C",
    fetched_at TEXT NOT NULL
);
