-- The PostgreSQL twin of migrations/0009_event_dates.sql.
CREATE INDEX events_date ON events(date_value, id);
