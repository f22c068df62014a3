-- The language each article is written in (ISO 639-1), NULL where it could not be told.
ALTER TABLE articles ADD COLUMN language TEXT;
