-- The PostgreSQL twin of migrations/0001_initial.sql: same tables and keys, JSONB for JSON,
-- a generated tsvector with a GIN index for search. Keys and sort columns use the "C" collation
-- so rows come back in the byte order SQLite gives, whatever locale the database was made with.
CREATE TABLE articles (
    id TEXT COLLATE "C" PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT,
    outlet TEXT,
    title TEXT,
    byline JSONB NOT NULL DEFAULT '[]',
    dateline TEXT,
    published JSONB NOT NULL DEFAULT '{}',
    published_date TEXT COLLATE "C",
    raw TEXT NOT NULL,
    text TEXT NOT NULL,
    duplicate_of TEXT COLLATE "C" REFERENCES articles(id) ON DELETE SET NULL,
    metadata JSONB NOT NULL DEFAULT '{}',
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    -- 'simple' neither stems nor drops stop words, matching SQLite's unicode61 tokenizer.
    search TSVECTOR GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || text)
    ) STORED
);
CREATE INDEX articles_published ON articles(published_date);
CREATE UNIQUE INDEX articles_seq ON articles(seq);
CREATE INDEX articles_search ON articles USING GIN (search);

CREATE TABLE article_bands (
    band TEXT COLLATE "C" NOT NULL,
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band, article_id)
);

-- What the NLP pipeline read in each article, and the version that read it.
CREATE TABLE enrichments (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    pipeline TEXT NOT NULL,
    data JSONB NOT NULL
);

-- Canonical entities across the store and the article-level names that resolve to them.
CREATE TABLE entities (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL,
    type TEXT NOT NULL,
    aliases JSONB NOT NULL DEFAULT '[]',
    merges JSONB NOT NULL DEFAULT '[]'
);
CREATE TABLE entity_links (
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    key TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    mentions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, key)
);
CREATE INDEX entity_links_entity ON entity_links(entity_id);

-- Events, the articles that report them, and storylines.
CREATE TABLE storylines (
    id TEXT COLLATE "C" PRIMARY KEY,
    data JSONB NOT NULL
);
CREATE TABLE events (
    id TEXT COLLATE "C" PRIMARY KEY,
    date_value TEXT COLLATE "C",
    storyline_id TEXT COLLATE "C" REFERENCES storylines(id) ON DELETE SET NULL,
    data JSONB NOT NULL
);
CREATE TABLE event_articles (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    event_id TEXT COLLATE "C" NOT NULL REFERENCES events(id) ON DELETE CASCADE
);
CREATE INDEX event_articles_event ON event_articles(event_id);
