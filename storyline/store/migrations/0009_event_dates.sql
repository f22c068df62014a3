-- The newest dated events first, read from an index (the web timeline's order).
CREATE INDEX events_date ON events(date_value, id);
