-- Filtered listings sort and count from indexes alone: the events an entity's articles lead
-- to, their ids with dates for the sort, and an outlet's articles in arrival order, so the
-- wide rows (text, details) are read only for the page shown.
CREATE INDEX entity_links_entity_article ON entity_links(entity_id, article_id);
DROP INDEX entity_links_entity;
CREATE INDEX event_articles_article_event ON event_articles(article_id, event_id);
CREATE INDEX events_id_date ON events(id, date_value);
CREATE INDEX articles_outlet_seq ON articles(lower(outlet), seq, id);
DROP INDEX articles_outlet;
