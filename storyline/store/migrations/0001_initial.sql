-- Articles as read, their near-duplicate band keys, and a full-text index over titles and bodies.
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT,
    outlet TEXT,
    title TEXT,
    byline TEXT NOT NULL DEFAULT '[]',
    dateline TEXT,
    published TEXT NOT NULL DEFAULT '{}',
    published_date TEXT,
    raw TEXT NOT NULL,
    text TEXT NOT NULL,
    duplicate_of TEXT REFERENCES articles(id) ON DELETE SET NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    seq INTEGER NOT NULL
);
CREATE INDEX articles_published ON articles(published_date);
CREATE INDEX articles_seq ON articles(seq);

CREATE TABLE article_bands (
    band TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band, article_id)
);

CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;

-- What the NLP pipeline read in each article, and the version that read it.
CREATE TABLE enrichments (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    pipeline TEXT NOT NULL,
    data TEXT NOT NULL
);

-- Canonical entities across the store and the article-level names that resolve to them.
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    merges TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE entity_links (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    mentions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, key)
);
CREATE INDEX entity_links_entity ON entity_links(entity_id);

-- Events, the articles that report them, and storylines.
CREATE TABLE storylines (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    date_value TEXT,
    storyline_id TEXT REFERENCES storylines(id) ON DELETE SET NULL,
    data TEXT NOT NULL
);
CREATE TABLE event_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE
);
CREATE INDEX event_articles_event ON event_articles(event_id);
