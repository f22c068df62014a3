-- Reads that cost what they show: quotes as rows (listed in arrival order, found by speaker),
-- events in date order from an index, articles by outlet.
CREATE TABLE quotes (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    speaker TEXT,
    kind TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, start)
);
CREATE INDEX quotes_order ON quotes(seq, start);
CREATE INDEX quotes_speaker ON quotes(article_id, speaker);
INSERT OR IGNORE INTO quotes (article_id, start, seq, speaker, kind, data)
    SELECT e.article_id, json_extract(q.value, '$.start'), a.seq, json_extract(q.value, '$.speaker'),
        json_extract(q.value, '$.kind'), q.value
    FROM enrichments e JOIN articles a ON a.id = e.article_id, json_each(e.data, '$.quotes') q;
CREATE INDEX events_order ON events((date_value IS NULL), date_value, id);
CREATE INDEX events_storyline ON events(storyline_id);
CREATE INDEX articles_outlet ON articles(lower(outlet));
