-- Why a stage could not handle an article, and the pipeline version that tried (one row per
-- article and stage): the article stays stored, is listed as failed, and is retried after an upgrade.
CREATE TABLE article_failures (
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    stage TEXT COLLATE "C" NOT NULL,
    reason TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    PRIMARY KEY (article_id, stage)
);
