"""Following live sources: RSS/Atom feeds, sitemaps and article URLs, fetched politely."""
