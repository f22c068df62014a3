"""The shared-server backend: PostgreSQL through psycopg, migrated on open, tsvector for search.

It behaves as SQLiteStore does (same records back, same order, one transaction per write) so
a deployment can move from a file to a server without the rest of the code noticing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import DictRow, dict_row
from psycopg.types.string import TextLoader

from storyline.records import (
    Article,
    Enrichment,
    Entity,
    Event,
    EventSubject,
    FetchState,
    Storyline,
)
from storyline.store import rows
from storyline.store.base import EntityLink, LinkChanges, Publications
from storyline.store.reads import SQLReads

__all__ = ["PostgresStore", "migrations"]

# Held while migrating so two processes opening a fresh database do not both apply a script.
_MIGRATION_LOCK = 0x5354_4F52_594C  # "STORYL"
# Held by the one linker at work on a database (see `link_lock`).
_LINK_LOCK = 0x5354_4F52_594D

_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(rows.ARTICLE_COLUMNS)})"
    f" VALUES ({', '.join(['%s'] * len(rows.ARTICLE_COLUMNS))})"
    " ON CONFLICT (id) DO NOTHING RETURNING id"
)

# One statement and the parameter rows to run it with; `[()]` runs a parameterless one once.
Batch = tuple[str, Sequence[Sequence[Any]]]


def migrations() -> list[tuple[int, str]]:
    """The numbered PostgreSQL schema scripts shipped with the package, oldest first."""
    return rows.migrations("migrations_pg")


class PostgresStore(SQLReads):
    """A store in a PostgreSQL database (or the first schema of the DSN's search_path)."""

    def __init__(self, dsn: str) -> None:
        self._db = psycopg.connect(dsn, autocommit=True, row_factory=dict_row)
        # JSONB comes back as text so the shared row helpers decode it as they do SQLite's.
        self._db.adapters.register_loader("jsonb", TextLoader)
        # One connection may serve several threads (the web app); a transaction must not interleave.
        self._lock = threading.Lock()
        # Advisory locks are per session, so threads sharing this connection take turns here.
        self._linking = threading.Lock()
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    # -- plumbing ---------------------------------------------------------------------
    def _select(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._rows(sql.replace("?", "%s"), params)

    def _limit(self, limit: int | None) -> int | None:
        return limit

    def _migrate(self) -> None:
        with self._lock, self._db.transaction():
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY,"
                " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            current = self._version()
            for version, script in migrations():
                if version > current:
                    self._db.execute(script.encode("utf-8"))
                    self._db.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))

    def _version(self) -> int:
        row = self._db.execute("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version")
        found = row.fetchone()
        return int(found["v"]) if found else 0

    @property
    def schema_version(self) -> int:
        with self._lock:
            return self._version()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[DictRow]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _write(self, batches: Iterable[Batch]) -> None:
        with self._lock, self._db.transaction(), self._db.cursor() as cur:
            for sql, params in batches:
                if params:
                    cur.executemany(sql, params)

    def close(self) -> None:
        self._db.close()

    # -- articles -----------------------------------------------------------------------
    def add_article(self, article: Article, *, bands: Iterable[str] = ()) -> bool:
        with self._lock, self._db.transaction(), self._db.cursor() as cur:
            if cur.execute(_INSERT_ARTICLE, rows.article_values(article)).fetchone() is None:
                return False
            keys = [(b, article.id) for b in bands]
            if keys:
                cur.executemany(
                    "INSERT INTO article_bands (band, article_id) VALUES (%s, %s)"
                    " ON CONFLICT DO NOTHING",
                    keys,
                )
        return True

    def bulk_load(
        self,
        articles: Sequence[tuple[Article, Sequence[str]]],
        *,
        enrichments: Sequence[Enrichment] = (),
        links: Sequence[EntityLink] = (),
        events: Sequence[Event] = (),
        storylines: Sequence[Storyline] = (),
        link: LinkChanges | None = None,
    ) -> None:
        columns = ", ".join(rows.ARTICLE_COLUMNS)
        self._write(
            [
                (
                    f"INSERT INTO articles ({columns})"
                    f" VALUES ({', '.join(['%s'] * len(rows.ARTICLE_COLUMNS))})",
                    [rows.article_values(a) for a, _ in articles],
                ),
                (
                    "INSERT INTO article_bands (band, article_id) VALUES (%s, %s)"
                    " ON CONFLICT DO NOTHING",
                    [(b, a.id) for a, bands in articles for b in bands],
                ),
                (
                    "INSERT INTO enrichments (article_id, pipeline, data) VALUES (%s, %s, %s)",
                    [(e.article_id, e.pipeline, rows.enrichment_data(e)) for e in enrichments],
                ),
                (
                    "INSERT INTO quotes (article_id, start, seq, speaker, kind, data) VALUES"
                    " (%s, %s, (SELECT seq FROM articles WHERE id = %s), %s, %s, %s)",
                    [
                        (a, st, a, sp, k, d)
                        for e in enrichments
                        for a, st, sp, k, d in rows.quote_values(e)
                    ],
                ),
                (
                    "INSERT INTO entity_links (article_id, key, entity_id, mentions)"
                    " VALUES (%s, %s, %s, %s)",
                    list(links),
                ),
                (
                    "UPDATE entities SET articles = articles + %s, mentions = mentions + %s"
                    " WHERE id = %s",
                    rows.count_changes([], rows.link_counts(links)),
                ),
                (
                    "INSERT INTO storylines (id, data) VALUES (%s, %s)",
                    [rows.storyline_values(s) for s in storylines],
                ),
                (
                    "INSERT INTO events (id, date_value, storyline_id, data)"
                    " VALUES (%s, %s, %s, %s)",
                    [rows.event_values(e) for e in events],
                ),
                (
                    "INSERT INTO event_articles (article_id, event_id) VALUES (%s, %s)",
                    [(a, e.id) for e in events for a in e.articles],
                ),
            ]
        )
        if link is not None:
            self.save_links(link)

    def has_article(self, article_id: str) -> bool:
        return bool(self._rows("SELECT 1 FROM articles WHERE id = %s", (article_id,)))

    def article_ids_starting(self, prefix: str, *, limit: int = 2) -> list[str]:
        found = self._rows(
            "SELECT id FROM articles WHERE left(id, %s) = %s ORDER BY id LIMIT %s",
            (len(prefix), prefix, limit),
        )
        return [r["id"] for r in found]

    def article(self, article_id: str) -> Article | None:
        found = self._rows("SELECT * FROM articles WHERE id = %s", (article_id,))
        return rows.article_from(found[0]) if found else None

    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        found = self._rows(
            "SELECT * FROM articles ORDER BY seq LIMIT %s OFFSET %s", (limit, offset)
        )
        return [rows.article_from(r) for r in found]

    def articles_by_id(self, ids: Iterable[str]) -> dict[str, Article]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        found = self._rows("SELECT * FROM articles WHERE id = ANY(%s)", (wanted,))
        return {r["id"]: rows.article_from(r) for r in found}

    def count_articles(self) -> int:
        return int(self._rows("SELECT COUNT(*) AS n FROM articles")[0]["n"])

    def articles_sharing_bands(self, bands: Iterable[str]) -> list[str]:
        keys = list(bands)
        if not keys:
            return []
        found = self._rows(
            "SELECT article_id, COUNT(*) AS n FROM article_bands WHERE band = ANY(%s)"
            " GROUP BY article_id ORDER BY n DESC, article_id",
            (keys,),
        )
        return [r["article_id"] for r in found]

    def search_articles(self, query: str, *, limit: int = 50, newest: bool = False) -> list[str]:
        # The same term split as SQLite's, so both backends accept and match the same queries.
        terms = "".join(c if c.isalnum() else " " for c in query).split()
        if not terms:
            return []
        order = "seq DESC" if newest else "ts_rank(search, q) DESC, seq"
        found = self._rows(
            "SELECT id FROM articles, plainto_tsquery('simple', %s) AS q WHERE search @@ q"
            f" ORDER BY {order} LIMIT %s",
            (" ".join(terms), limit),
        )
        return [r["id"] for r in found]

    def publications(self) -> Publications:
        found = self._rows("SELECT id, published FROM articles ORDER BY seq")
        return {r["id"]: rows.published_from(r["published"]) for r in found}

    def set_published(self, article_id: str, published: dict[str, Any]) -> None:
        self._write(
            [
                (
                    "UPDATE articles SET published = %s, published_date = %s WHERE id = %s",
                    [(rows.dumps(published), published.get("date"), article_id)],
                )
            ]
        )

    def revise_article(self, article: Article, previous: dict[str, Any]) -> None:
        sets = ", ".join(f"{c} = %s" for c in rows.REVISED_COLUMNS)
        self._write(
            [
                (
                    "INSERT INTO article_history (article_id, version, data) SELECT %s,"
                    " COALESCE(MAX(version), 0) + 1, %s FROM article_history"
                    " WHERE article_id = %s",
                    [(article.id, rows.dumps(previous), article.id)],
                ),
                (
                    f"UPDATE articles SET {sets} WHERE id = %s",
                    [(*rows.revised_values(article), article.id)],
                ),
                ("DELETE FROM enrichments WHERE article_id = %s", [(article.id,)]),
            ]
        )

    def article_history(self, article_id: str) -> list[dict[str, Any]]:
        found = self._rows(
            "SELECT data::text AS data FROM article_history WHERE article_id = %s ORDER BY version",
            (article_id,),
        )
        return [rows.loads(r["data"]) for r in found]

    # -- enrichment ------------------------------------------------------------------------
    def save_enrichment(self, enrichment: Enrichment) -> None:
        aid = enrichment.article_id
        self._write(
            [
                (
                    "INSERT INTO enrichments (article_id, pipeline, data) VALUES (%s, %s, %s)"
                    " ON CONFLICT (article_id) DO UPDATE SET pipeline = excluded.pipeline,"
                    " data = excluded.data, linked = FALSE",
                    [(aid, enrichment.pipeline, rows.enrichment_data(enrichment))],
                ),
                ("DELETE FROM quotes WHERE article_id = %s", [(aid,)]),
                (
                    "INSERT INTO quotes (article_id, start, seq, speaker, kind, data) VALUES"
                    " (%s, %s, (SELECT seq FROM articles WHERE id = %s), %s, %s, %s)",
                    [(a, st, a, sp, k, d) for a, st, sp, k, d in rows.quote_values(enrichment)],
                ),
            ]
        )

    def enrichment(self, article_id: str) -> Enrichment | None:
        found = self._rows("SELECT * FROM enrichments WHERE article_id = %s", (article_id,))
        return rows.enrichment_from(found[0]) if found else None

    def enrichments(self) -> Iterator[Enrichment]:
        found = self._rows(
            "SELECT e.* FROM enrichments e JOIN articles a ON a.id = e.article_id ORDER BY a.seq"
        )
        for row in found:
            yield rows.enrichment_from(row)

    def unenriched(self, pipeline: str) -> list[str]:
        found = self._rows(
            "SELECT a.id FROM articles a LEFT JOIN enrichments e ON e.article_id = a.id"
            " WHERE e.pipeline IS NULL OR e.pipeline != %s ORDER BY a.seq",
            (pipeline,),
        )
        return [r["id"] for r in found]

    def unlinked(self, *, limit: int | None = None) -> list[str]:
        found = self._rows(
            "SELECT e.article_id FROM enrichments e JOIN articles a ON a.id = e.article_id"
            " WHERE NOT e.linked ORDER BY a.seq LIMIT %s",
            (limit,),
        )
        return [r["article_id"] for r in found]

    # -- failures -------------------------------------------------------------------------
    def record_failure(self, article_id: str, stage: str, reason: str, pipeline: str) -> None:
        self._write(
            [
                (
                    "INSERT INTO article_failures (article_id, stage, reason, pipeline)"
                    " VALUES (%s, %s, %s, %s) ON CONFLICT (article_id, stage) DO UPDATE SET"
                    " reason = excluded.reason, pipeline = excluded.pipeline",
                    [(article_id, stage, reason, pipeline)],
                )
            ]
        )

    def clear_failures(self, article_ids: Iterable[str], stage: str) -> None:
        self._write(
            [
                (
                    "DELETE FROM article_failures WHERE article_id = %s AND stage = %s",
                    [(a, stage) for a in article_ids],
                )
            ]
        )

    # -- entities and quotes -------------------------------------------------------------
    def replace_entities(
        self,
        entities: Sequence[Entity],
        links: Iterable[EntityLink],
        *,
        keys: Iterable[tuple[str, str]] = (),
    ) -> None:
        with self._lock, self._db.transaction(), self._db.cursor() as cur:
            cur.execute("DELETE FROM entity_links")
            cur.execute("DELETE FROM entity_keys")
            cur.execute("DELETE FROM entities")
            self._upsert_entities(cur, entities, list(links), keys=keys, articles=[])

    def save_entities(
        self,
        entities: Sequence[Entity],
        links: Iterable[EntityLink],
        *,
        articles: Iterable[str],
        keys: Iterable[tuple[str, str]] = (),
        absorbed: Mapping[str, str] | None = None,
    ) -> None:
        with self._lock, self._db.transaction(), self._db.cursor() as cur:
            self._upsert_entities(
                cur, entities, list(links), keys=keys, articles=list(articles), absorbed=absorbed
            )

    def _upsert_entities(
        self,
        cur: psycopg.Cursor[DictRow],
        entities: Sequence[Entity],
        links: list[EntityLink],
        *,
        keys: Iterable[tuple[str, str]],
        articles: list[str],
        absorbed: Mapping[str, str] | None = None,
    ) -> None:
        columns = ", ".join(rows.ENTITY_COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in rows.ENTITY_COLUMNS[1:])
        values = [rows.entity_values(e) for e in entities]
        if values:
            cur.executemany(
                f"INSERT INTO entities ({columns})"
                f" VALUES ({', '.join(['%s'] * len(rows.ENTITY_COLUMNS))})"
                f" ON CONFLICT (id) DO UPDATE SET {updates}",
                values,
            )
        moved = sorted(set((absorbed or {}).values()))
        for old, new in sorted((absorbed or {}).items()):
            cur.execute(
                "INSERT INTO entity_keys (key, entity_id) SELECT key, %s FROM entity_keys"
                " WHERE entity_id = %s ON CONFLICT DO NOTHING",
                (new, old),
            )
            cur.execute("UPDATE entity_links SET entity_id = %s WHERE entity_id = %s", (new, old))
            cur.execute("DELETE FROM entities WHERE id = %s", (old,))
        removed: list[tuple[str, int, int]] = []
        if articles:
            found = cur.execute(
                "SELECT entity_id, COUNT(*) AS n, SUM(mentions) AS m FROM entity_links"
                " WHERE article_id = ANY(%s) GROUP BY entity_id",
                (articles,),
            ).fetchall()
            removed = [(r["entity_id"], int(r["n"]), int(r["m"])) for r in found]
            cur.execute("DELETE FROM entity_links WHERE article_id = ANY(%s)", (articles,))
        if links:
            cur.executemany(
                "INSERT INTO entity_links (article_id, key, entity_id, mentions)"
                " VALUES (%s, %s, %s, %s)",
                links,
            )
        changes = rows.count_changes(removed, rows.link_counts(links))
        if changes:
            cur.executemany(
                "UPDATE entities SET articles = articles + %s, mentions = mentions + %s"
                " WHERE id = %s",
                changes,
            )
        filed = list(keys)
        if filed:
            cur.executemany(
                "INSERT INTO entity_keys (key, entity_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                filed,
            )
        if moved:
            cur.execute(
                "UPDATE entities SET articles = (SELECT COUNT(DISTINCT article_id)"
                " FROM entity_links WHERE entity_id = entities.id), mentions ="
                " (SELECT COALESCE(SUM(mentions), 0) FROM entity_links"
                " WHERE entity_id = entities.id) WHERE id = ANY(%s)",
                (moved,),
            )

    def entity_keys(self, keys: Iterable[str]) -> dict[str, list[str]]:
        wanted = sorted(set(keys))
        out: dict[str, list[str]] = {}
        if not wanted:
            return out
        found = self._rows(
            "SELECT key, entity_id FROM entity_keys WHERE key = ANY(%s) ORDER BY key, entity_id",
            (wanted,),
        )
        for r in found:
            out.setdefault(r["key"], []).append(r["entity_id"])
        return out

    def entities_by_id(self, ids: Iterable[str]) -> dict[str, Entity]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        found = self._rows("SELECT * FROM entities WHERE id = ANY(%s)", (wanted,))
        return {r["id"]: rows.entity_from(r) for r in found}

    def entity_company(self, ids: Iterable[str], *, articles: int = 50) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for entity_id in sorted(set(ids)):
            found = self._rows(
                "SELECT DISTINCT o.entity_id FROM (SELECT article_id FROM entity_links"
                " WHERE entity_id = %s ORDER BY article_id LIMIT %s) a"
                " JOIN entity_links o ON o.article_id = a.article_id WHERE o.entity_id != %s",
                (entity_id, articles, entity_id),
            )
            out[entity_id] = {r["entity_id"] for r in found}
        return out

    def entities(self, *, limit: int | None = None, offset: int = 0) -> list[Entity]:
        found = self._rows(
            "SELECT * FROM entities ORDER BY mentions DESC, name LIMIT %s OFFSET %s",
            (limit, offset),
        )
        return [rows.entity_from(r) for r in found]

    def count_entities(self) -> int:
        return int(self._rows("SELECT COUNT(*) AS n FROM entities")[0]["n"])

    def entity_links(self, articles: Iterable[str] | None = None) -> dict[tuple[str, str], str]:
        if articles is None:
            found = self._rows("SELECT article_id, key, entity_id FROM entity_links")
        else:
            found = self._rows(
                "SELECT article_id, key, entity_id FROM entity_links WHERE article_id = ANY(%s)",
                (sorted(set(articles)),),
            )
        return {(r["article_id"], r["key"]): r["entity_id"] for r in found}

    # -- events and storylines ---------------------------------------------------------------
    def replace_events(self, events: list[Event], storylines: list[Storyline]) -> None:
        stamp = rows.now()
        self._write(
            [
                ("DELETE FROM event_articles", [()]),
                ("DELETE FROM events", [()]),
                ("DELETE FROM storylines", [()]),
                (
                    "INSERT INTO storylines (id, data) VALUES (%s, %s)",
                    [rows.storyline_values(s) for s in storylines],
                ),
                (
                    "INSERT INTO events (id, date_value, storyline_id, data, updated)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    [(*rows.event_values(e), stamp) for e in events],
                ),
                (
                    "INSERT INTO event_articles (article_id, event_id) VALUES (%s, %s)",
                    [(a, e.id) for e in events for a in e.articles],
                ),
            ]
        )

    def events(self) -> list[Event]:
        found = self._rows(
            "SELECT data, updated FROM events ORDER BY date_value IS NULL, date_value, id"
        )
        return [rows.event_from(r) for r in found]

    def storylines(self) -> list[Storyline]:
        return [
            rows.storyline_from(r) for r in self._rows("SELECT data FROM storylines ORDER BY id")
        ]

    # -- followed sources ------------------------------------------------------------------
    def fetch_state(self, url: str) -> FetchState | None:
        found = self._rows("SELECT * FROM fetched WHERE url = %s", (url,))
        return rows.fetch_state_from(found[0]) if found else None

    def save_fetch_state(self, state: FetchState) -> None:
        self._write(
            [
                (
                    "INSERT INTO fetched (url, status, etag, last_modified, article_id, fetched_at)"
                    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (url) DO UPDATE SET"
                    " status = excluded.status, etag = excluded.etag,"
                    " last_modified = excluded.last_modified, article_id = excluded.article_id,"
                    " fetched_at = excluded.fetched_at",
                    [rows.fetch_state_values(state)],
                )
            ]
        )

    # -- linking state -----------------------------------------------------------------
    @contextmanager
    def link_lock(self) -> Iterator[None]:
        """A session-level advisory lock: one linker per database across processes, without
        blocking other writers; the server drops it if the linker's connection dies."""
        with self._linking:
            with self._lock:
                self._db.execute("SELECT pg_advisory_lock(%s)", (_LINK_LOCK,))
            try:
                yield
            finally:
                with self._lock:
                    self._db.execute("SELECT pg_advisory_unlock(%s)", (_LINK_LOCK,))

    def doc_freq(self, keys: Iterable[str]) -> dict[str, int]:
        found = self._rows("SELECT key, docs FROM doc_freq WHERE key = ANY(%s)", (list(keys),))
        return {r["key"]: int(r["docs"]) for r in found}

    def link_postings(self, keys: Iterable[str], *, per_key: int) -> dict[str, list[str]]:
        found = self._rows(
            "SELECT k.key, p.article_id FROM unnest(%s::text[]) AS k(key) CROSS JOIN LATERAL"
            " (SELECT article_id, seq FROM link_keys WHERE link_keys.key = k.key"
            " ORDER BY seq DESC LIMIT %s) AS p ORDER BY k.key, p.seq DESC",
            (list(dict.fromkeys(keys)), per_key),
        )
        out: dict[str, list[str]] = {}
        for r in found:
            out.setdefault(r["key"], []).append(r["article_id"])
        return out

    def event_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        found = self._rows(
            "SELECT article_id, event_id FROM event_articles WHERE article_id = ANY(%s)",
            (list(article_ids),),
        )
        return {r["article_id"]: r["event_id"] for r in found}

    def events_by_id(self, event_ids: Iterable[str]) -> list[Event]:
        found = self._rows(
            "SELECT data, updated FROM events WHERE id = ANY(%s)"
            " ORDER BY date_value IS NULL, date_value, id",
            (list(event_ids),),
        )
        return [rows.event_from(r) for r in found]

    def event_subjects(self, event_ids: Iterable[str]) -> dict[str, EventSubject]:
        found = self._rows(
            "SELECT id, subject FROM events WHERE id = ANY(%s) AND subject IS NOT NULL",
            (list(event_ids),),
        )
        return {r["id"]: rows.subject_from(r["subject"]) for r in found}

    def events_sharing_core(self, entity_ids: Iterable[str]) -> list[str]:
        found = self._rows(
            "SELECT DISTINCT event_id FROM event_cores WHERE entity_id = ANY(%s) ORDER BY event_id",
            (list(entity_ids),),
        )
        return [r["event_id"] for r in found]

    def events_in_storylines(self, storyline_ids: Iterable[str]) -> list[str]:
        found = self._rows(
            "SELECT id FROM events WHERE storyline_id = ANY(%s) ORDER BY id",
            (list(storyline_ids),),
        )
        return [r["id"] for r in found]

    def save_links(self, changes: LinkChanges) -> None:
        stamp = rows.now()
        touched = [(eid,) for eid in [*changes.removed_events, *(e.id for e in changes.events)]]
        subjects = {e.id: changes.subjects.get(e.id) for e in changes.events}
        batches: list[Batch] = []
        if changes.reset:
            batches += [("DELETE FROM link_keys", [()]), ("DELETE FROM doc_freq", [()])]
        batches += [
            ("DELETE FROM link_keys WHERE article_id = %s", [(a,) for a in changes.keys]),
            (
                "INSERT INTO link_keys (key, article_id, seq)"
                " SELECT %s, id, seq FROM articles WHERE id = %s ON CONFLICT DO NOTHING",
                [(k, a) for a, keys in changes.keys.items() for k in dict.fromkeys(keys)],
            ),
            (
                "INSERT INTO doc_freq (key, docs) VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET docs = doc_freq.docs + excluded.docs",
                sorted(changes.doc_freq.items()),
            ),
            (
                "INSERT INTO storylines (id, data) VALUES (%s, %s)"
                " ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                [rows.storyline_values(s) for s in changes.storylines],
            ),
            ("DELETE FROM event_articles WHERE event_id = %s", touched),
            ("DELETE FROM event_cores WHERE event_id = %s", touched),
            ("DELETE FROM events WHERE id = %s", [(e,) for e in changes.removed_events]),
            (
                "INSERT INTO events (id, date_value, storyline_id, data, updated, subject)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
                " date_value = excluded.date_value, storyline_id = excluded.storyline_id,"
                " data = excluded.data, updated = excluded.updated, subject = excluded.subject",
                [
                    (*rows.event_values(e), stamp, rows.subject_data(s) if s else None)
                    for e, s in ((e, subjects[e.id]) for e in changes.events)
                ],
            ),
            (
                "INSERT INTO event_articles (article_id, event_id) VALUES (%s, %s)"
                " ON CONFLICT (article_id) DO UPDATE SET event_id = excluded.event_id",
                [(a, e.id) for e in changes.events for a in e.articles],
            ),
            (
                "INSERT INTO event_cores (entity_id, event_id) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING",
                [(c, eid) for eid, s in subjects.items() if s for c in dict.fromkeys(s.core)],
            ),
            ("DELETE FROM storylines WHERE id = %s", [(s,) for s in changes.removed_storylines]),
            (
                "UPDATE enrichments SET linked = TRUE WHERE article_id = %s",
                [(a,) for a in changes.linked],
            ),
        ]
        self._write(batches)
