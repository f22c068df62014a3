-- The PostgreSQL twin of migrations/0007_read_indexes.sql.
CREATE TABLE quotes (
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    seq BIGINT NOT NULL,
    speaker TEXT COLLATE "C",
    kind TEXT,
    data JSONB NOT NULL,
    PRIMARY KEY (article_id, start)
);
CREATE INDEX quotes_order ON quotes(seq, start);
CREATE INDEX quotes_speaker ON quotes(article_id, speaker);
INSERT INTO quotes (article_id, start, seq, speaker, kind, data)
    SELECT e.article_id, (q->>'start')::int, a.seq, q->>'speaker', q->>'kind', q
    FROM enrichments e JOIN articles a ON a.id = e.article_id,
    jsonb_array_elements(COALESCE(e.data->'quotes', '[]'::jsonb)) q
    ON CONFLICT DO NOTHING;
CREATE INDEX events_order ON events((date_value IS NULL), date_value, id);
CREATE INDEX events_storyline ON events(storyline_id);
CREATE INDEX articles_outlet ON articles(lower(outlet));
