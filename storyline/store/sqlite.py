"""The default backend: one SQLite file in WAL mode, migrated on open, FTS5 for search."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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

__all__ = ["SQLiteStore", "migrations"]

# Ids per `IN (...)` list, well under SQLite's limit on bound parameters.
_CHUNK = 500
# Linkers of an in-memory store (one process, no file to lock) take turns on this.
_MEMORY_LINK_LOCK = threading.Lock()


def migrations() -> list[tuple[int, str]]:
    """The numbered SQLite schema scripts shipped with the package, oldest first."""
    return rows.migrations("migrations")


def _statements(script: str) -> Iterator[str]:
    """A script's statements one by one (triggers kept whole), so they can run inside a
    transaction the caller holds; `executescript` would commit it first."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""


def _chunks(items: Iterable[str]) -> Iterator[list[str]]:
    batch = list(dict.fromkeys(items))
    for start in range(0, len(batch), _CHUNK):
        yield batch[start : start + _CHUNK]


def _marks(items: Sequence[object]) -> str:
    return ",".join("?" * len(items))


class SQLiteStore(SQLReads):
    """A store in one file; every write is its own transaction so a crash leaves it consistent."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA busy_timeout = 30000")
        if self.path != ":memory:":
            self._wal()
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    # -- plumbing ---------------------------------------------------------------------
    def _select(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._db.execute(sql, tuple(params)).fetchall()

    def _wal(self) -> None:
        """Switch to WAL; a process creating the same new file at this moment may hold the
        lock the switch needs, so a busy answer is retried for a while."""
        for attempt in range(100):
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 99:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        """Apply the missing scripts in one write transaction, reading the version inside it:
        processes and threads opening a new file at once apply each script exactly once."""
        scripts = migrations()
        if self.schema_version >= scripts[-1][0]:
            return
        cur = self._db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            current = int(cur.execute("PRAGMA user_version").fetchone()[0])
            for version, script in scripts:
                if version > current:
                    for statement in _statements(script):
                        cur.execute(statement)
                    cur.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _write(self, statements: Iterable[tuple[str, Iterable[Any]]]) -> None:
        cur = self._db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            for sql, params in statements:
                cur.execute(sql, tuple(params))
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def _in(self, sql: str, ids: Iterable[str], *params: Any) -> list[sqlite3.Row]:
        """Rows of `sql` whose `{marks}` is filled with the ids, a chunk at a time."""
        found: list[sqlite3.Row] = []
        for chunk in _chunks(ids):
            found += self._db.execute(sql.format(marks=_marks(chunk)), (*chunk, *params))
        return found

    # -- articles -----------------------------------------------------------------------
    def add_article(self, article: Article, *, bands: Iterable[str] = ()) -> bool:
        columns = ", ".join((*rows.ARTICLE_COLUMNS, "seq"))
        marks = ", ".join("?" * len(rows.ARTICLE_COLUMNS))
        cur = self._db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            # The next seq is read inside the write transaction, so two writers never share one.
            cur.execute(
                f"INSERT INTO articles ({columns}) VALUES ({marks},"
                " (SELECT COALESCE(MAX(seq), 0) + 1 FROM articles)) ON CONFLICT(id) DO NOTHING",
                rows.article_values(article),
            )
            added = cur.rowcount == 1
            if added:
                cur.executemany(
                    "INSERT OR IGNORE INTO article_bands (band, article_id) VALUES (?, ?)",
                    [(b, article.id) for b in bands],
                )
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")
        return added

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
        cur = self._db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            first = int(cur.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0])
            seq = {a.id: first + i for i, (a, _) in enumerate(articles)}
            columns = ", ".join((*rows.ARTICLE_COLUMNS, "seq"))
            marks = ", ".join("?" * (len(rows.ARTICLE_COLUMNS) + 1))
            cur.executemany(
                f"INSERT INTO articles ({columns}) VALUES ({marks})",
                [(*rows.article_values(a), seq[a.id]) for a, _ in articles],
            )
            cur.executemany(
                "INSERT OR IGNORE INTO article_bands (band, article_id) VALUES (?, ?)",
                [(b, a.id) for a, bands in articles for b in bands],
            )
            cur.executemany(
                "INSERT INTO enrichments (article_id, pipeline, data) VALUES (?, ?, ?)",
                [(e.article_id, e.pipeline, rows.enrichment_data(e)) for e in enrichments],
            )
            cur.executemany(
                "INSERT INTO quotes (article_id, start, seq, speaker, kind, data)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (aid, start, seq[aid], speaker, kind, data)
                    for e in enrichments
                    for aid, start, speaker, kind, data in rows.quote_values(e)
                ],
            )
            cur.executemany(
                "INSERT INTO entity_links (article_id, key, entity_id, mentions) VALUES (?, ?, ?, ?)",
                links,
            )
            cur.executemany(
                "UPDATE entities SET articles = articles + ?, mentions = mentions + ? WHERE id = ?",
                rows.count_changes([], rows.link_counts(links)),
            )
            cur.executemany(
                "INSERT INTO storylines (id, data) VALUES (?, ?)",
                [rows.storyline_values(s) for s in storylines],
            )
            cur.executemany(
                "INSERT INTO events (id, date_value, storyline_id, data) VALUES (?, ?, ?, ?)",
                [rows.event_values(e) for e in events],
            )
            cur.executemany(
                "INSERT INTO event_articles (article_id, event_id) VALUES (?, ?)",
                [(a, e.id) for e in events for a in e.articles],
            )
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")
        if link is not None:
            self.save_links(link)

    def has_article(self, article_id: str) -> bool:
        row = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def article_ids_starting(self, prefix: str, *, limit: int = 2) -> list[str]:
        found = self._db.execute(
            "SELECT id FROM articles WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT ?",
            (len(prefix), prefix, limit),
        )
        return [r["id"] for r in found]

    def article(self, article_id: str) -> Article | None:
        row = self._db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return rows.article_from(row) if row else None

    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        found = self._db.execute(
            "SELECT * FROM articles ORDER BY seq LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [rows.article_from(r) for r in found]

    def articles_by_id(self, ids: Iterable[str]) -> dict[str, Article]:
        wanted = sorted(set(ids))
        out: dict[str, Article] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found = self._db.execute(
                f"SELECT * FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
            out.update((r["id"], rows.article_from(r)) for r in found)
        return out

    def count_articles(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def articles_sharing_bands(self, bands: Iterable[str]) -> list[str]:
        keys = list(bands)
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        found = self._db.execute(
            f"SELECT article_id, COUNT(*) AS n FROM article_bands WHERE band IN ({marks})"
            " GROUP BY article_id ORDER BY n DESC",
            keys,
        )
        return [r["article_id"] for r in found]

    def search_articles(self, query: str, *, limit: int = 50, newest: bool = False) -> list[str]:
        terms = [t for t in "".join(c if c.isalnum() else " " for c in query).split() if t]
        if not terms:
            return []
        match = " ".join(f'"{t}"' for t in terms)
        order = "f.rowid DESC" if newest else "bm25(articles_fts)"
        found = self._db.execute(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"
            f" WHERE articles_fts MATCH ? ORDER BY {order} LIMIT ?",
            (match, limit),
        )
        return [r["id"] for r in found]

    def publications(self) -> Publications:
        found = self._db.execute("SELECT id, published FROM articles ORDER BY seq")
        return {r["id"]: rows.published_from(r["published"]) for r in found}

    def set_published(self, article_id: str, published: dict[str, Any]) -> None:
        self._write(
            [
                (
                    "UPDATE articles SET published = ?, published_date = ? WHERE id = ?",
                    (rows.dumps(published), published.get("date"), article_id),
                )
            ]
        )

    def revise_article(self, article: Article, previous: dict[str, Any]) -> None:
        sets = ", ".join(f"{c} = ?" for c in rows.REVISED_COLUMNS)
        self._write(
            [
                (
                    "INSERT INTO article_history (article_id, version, data) SELECT ?,"
                    " COALESCE(MAX(version), 0) + 1, ? FROM article_history WHERE article_id = ?",
                    (article.id, rows.dumps(previous), article.id),
                ),
                (
                    f"UPDATE articles SET {sets} WHERE id = ?",
                    (*rows.revised_values(article), article.id),
                ),
                ("DELETE FROM enrichments WHERE article_id = ?", (article.id,)),
            ]
        )

    def article_history(self, article_id: str) -> list[dict[str, Any]]:
        found = self._db.execute(
            "SELECT data FROM article_history WHERE article_id = ? ORDER BY version",
            (article_id,),
        )
        return [rows.loads(r["data"]) for r in found]

    # -- enrichment ------------------------------------------------------------------------
    def save_enrichment(self, enrichment: Enrichment) -> None:
        statements: list[tuple[str, Iterable[Any]]] = [
            (
                "INSERT INTO enrichments (article_id, pipeline, data) VALUES (?, ?, ?)"
                " ON CONFLICT(article_id) DO UPDATE SET pipeline = excluded.pipeline,"
                " data = excluded.data, linked = 0",
                (enrichment.article_id, enrichment.pipeline, rows.enrichment_data(enrichment)),
            ),
            ("DELETE FROM quotes WHERE article_id = ?", (enrichment.article_id,)),
        ]
        statements += [
            (
                "INSERT INTO quotes (article_id, start, seq, speaker, kind, data) VALUES"
                " (?, ?, (SELECT seq FROM articles WHERE id = ?), ?, ?, ?)",
                (aid, start, aid, speaker, kind, data),
            )
            for aid, start, speaker, kind, data in rows.quote_values(enrichment)
        ]
        self._write(statements)

    def enrichment(self, article_id: str) -> Enrichment | None:
        row = self._db.execute(
            "SELECT * FROM enrichments WHERE article_id = ?", (article_id,)
        ).fetchone()
        return rows.enrichment_from(row) if row else None

    def enrichments(self) -> Iterator[Enrichment]:
        found = self._db.execute(
            "SELECT e.* FROM enrichments e JOIN articles a ON a.id = e.article_id ORDER BY a.seq"
        ).fetchall()
        for row in found:
            yield rows.enrichment_from(row)

    def unenriched(self, pipeline: str) -> list[str]:
        found = self._db.execute(
            "SELECT a.id FROM articles a LEFT JOIN enrichments e ON e.article_id = a.id"
            " WHERE e.pipeline IS NULL OR e.pipeline != ? ORDER BY a.seq",
            (pipeline,),
        )
        return [r["id"] for r in found]

    def unlinked(self, *, limit: int | None = None) -> list[str]:
        found = self._db.execute(
            "SELECT e.article_id FROM enrichments e JOIN articles a ON a.id = e.article_id"
            " WHERE e.linked = 0 ORDER BY a.seq LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return [r["article_id"] for r in found]

    # -- failures -------------------------------------------------------------------------
    def record_failure(self, article_id: str, stage: str, reason: str, pipeline: str) -> None:
        self._write(
            [
                (
                    "INSERT INTO article_failures (article_id, stage, reason, pipeline)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT(article_id, stage) DO UPDATE SET"
                    " reason = excluded.reason, pipeline = excluded.pipeline",
                    (article_id, stage, reason, pipeline),
                )
            ]
        )

    def clear_failures(self, article_ids: Iterable[str], stage: str) -> None:
        self._write(
            [
                ("DELETE FROM article_failures WHERE article_id = ? AND stage = ?", (a, stage))
                for a in article_ids
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
        links = list(links)
        cur = self._db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.execute("DELETE FROM entity_links")
            cur.execute("DELETE FROM entity_keys")
            cur.execute("DELETE FROM entities")
            self._upsert_entities(cur, entities, links, keys=keys, articles=[])
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    def save_entities(
        self,
        entities: Sequence[Entity],
        links: Iterable[EntityLink],
        *,
        articles: Iterable[str],
        keys: Iterable[tuple[str, str]] = (),
        absorbed: Mapping[str, str] | None = None,
    ) -> None:
        cur = self._db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            self._upsert_entities(
                cur, entities, list(links), keys=keys, articles=list(articles), absorbed=absorbed
            )
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    def _upsert_entities(
        self,
        cur: sqlite3.Cursor,
        entities: Sequence[Entity],
        links: list[EntityLink],
        *,
        keys: Iterable[tuple[str, str]],
        articles: list[str],
        absorbed: Mapping[str, str] | None = None,
    ) -> None:
        columns = ", ".join(rows.ENTITY_COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in rows.ENTITY_COLUMNS[1:])
        cur.executemany(
            f"INSERT INTO entities ({columns}) VALUES ({', '.join('?' * len(rows.ENTITY_COLUMNS))})"
            f" ON CONFLICT(id) DO UPDATE SET {updates}",
            [rows.entity_values(e) for e in entities],
        )
        moved = sorted(set((absorbed or {}).values()))
        for old, new in sorted((absorbed or {}).items()):
            cur.execute(
                "INSERT OR IGNORE INTO entity_keys (key, entity_id)"
                " SELECT key, ? FROM entity_keys WHERE entity_id = ?",
                (new, old),
            )
            cur.execute("UPDATE entity_links SET entity_id = ? WHERE entity_id = ?", (new, old))
            cur.execute("DELETE FROM entities WHERE id = ?", (old,))
        removed: list[tuple[str, int, int]] = []
        for start in range(0, len(articles), 500):
            chunk = articles[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found = cur.execute(
                "SELECT entity_id, COUNT(*) AS n, SUM(mentions) AS m FROM entity_links"
                f" WHERE article_id IN ({marks}) GROUP BY entity_id",
                chunk,
            ).fetchall()
            removed += [(r["entity_id"], int(r["n"]), int(r["m"])) for r in found]
            cur.execute(f"DELETE FROM entity_links WHERE article_id IN ({marks})", chunk)
        cur.executemany(
            "INSERT INTO entity_links (article_id, key, entity_id, mentions) VALUES (?, ?, ?, ?)",
            links,
        )
        cur.executemany(
            "UPDATE entities SET articles = articles + ?, mentions = mentions + ? WHERE id = ?",
            rows.count_changes(removed, rows.link_counts(links)),
        )
        cur.executemany(
            "INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?, ?)", list(keys)
        )
        cur.executemany(
            "UPDATE entities SET articles = (SELECT COUNT(DISTINCT article_id) FROM entity_links"
            " WHERE entity_id = entities.id), mentions = (SELECT COALESCE(SUM(mentions), 0)"
            " FROM entity_links WHERE entity_id = entities.id) WHERE id = ?",
            [(e,) for e in moved],
        )

    def entity_keys(self, keys: Iterable[str]) -> dict[str, list[str]]:
        wanted = sorted(set(keys))
        out: dict[str, list[str]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found = self._db.execute(
                "SELECT key, entity_id FROM entity_keys"
                f" WHERE key IN ({','.join('?' * len(chunk))}) ORDER BY key, entity_id",
                chunk,
            )
            for r in found:
                out.setdefault(r["key"], []).append(r["entity_id"])
        return out

    def entities_by_id(self, ids: Iterable[str]) -> dict[str, Entity]:
        wanted = sorted(set(ids))
        out: dict[str, Entity] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found = self._db.execute(
                f"SELECT * FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
            out.update((r["id"], rows.entity_from(r)) for r in found)
        return out

    def entity_company(self, ids: Iterable[str], *, articles: int = 50) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for entity_id in sorted(set(ids)):
            found = self._db.execute(
                "SELECT DISTINCT o.entity_id FROM (SELECT article_id FROM entity_links"
                " WHERE entity_id = ? ORDER BY article_id LIMIT ?) a"
                " JOIN entity_links o ON o.article_id = a.article_id WHERE o.entity_id != ?",
                (entity_id, articles, entity_id),
            )
            out[entity_id] = {r["entity_id"] for r in found}
        return out

    def entities(self, *, limit: int | None = None, offset: int = 0) -> list[Entity]:
        found = self._db.execute(
            "SELECT * FROM entities ORDER BY mentions DESC, name LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [rows.entity_from(r) for r in found]

    def count_entities(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM entities").fetchone()[0])

    def entity_links(self, articles: Iterable[str] | None = None) -> dict[tuple[str, str], str]:
        sql = "SELECT article_id, key, entity_id FROM entity_links"
        if articles is None:
            found = list(self._db.execute(sql))
        else:
            found = self._in(sql + " WHERE article_id IN ({marks})", articles)
        return {(r["article_id"], r["key"]): r["entity_id"] for r in found}

    # -- events and storylines ---------------------------------------------------------------
    def replace_events(self, events: list[Event], storylines: list[Storyline]) -> None:
        statements: list[tuple[str, Iterable[Any]]] = [
            ("DELETE FROM event_articles", ()),
            ("DELETE FROM events", ()),
            ("DELETE FROM storylines", ()),
        ]
        statements += [
            ("INSERT INTO storylines (id, data) VALUES (?, ?)", rows.storyline_values(s))
            for s in storylines
        ]
        stamp = rows.now()
        for e in events:
            statements.append(
                (
                    "INSERT INTO events (id, date_value, storyline_id, data, updated)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (*rows.event_values(e), stamp),
                )
            )
            statements += [
                ("INSERT INTO event_articles (article_id, event_id) VALUES (?, ?)", (a, e.id))
                for a in e.articles
            ]
        self._write(statements)

    def events(self) -> list[Event]:
        found = self._db.execute(
            "SELECT data, updated FROM events ORDER BY date_value IS NULL, date_value, id"
        )
        return [rows.event_from(r) for r in found]

    def storylines(self) -> list[Storyline]:
        found = self._db.execute("SELECT data FROM storylines ORDER BY id")
        return [rows.storyline_from(r) for r in found]

    # -- followed sources ------------------------------------------------------------------
    def fetch_state(self, url: str) -> FetchState | None:
        row = self._db.execute("SELECT * FROM fetched WHERE url = ?", (url,)).fetchone()
        return rows.fetch_state_from(row) if row else None

    def save_fetch_state(self, state: FetchState) -> None:
        self._write(
            [
                (
                    "INSERT OR REPLACE INTO fetched"
                    " (url, status, etag, last_modified, article_id, fetched_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    rows.fetch_state_values(state),
                )
            ]
        )

    # -- linking state -----------------------------------------------------------------
    @contextmanager
    def link_lock(self) -> Iterator[None]:
        """An exclusive lock on a file beside the database: it serializes linkers across
        processes and threads without holding SQLite's write lock, so the write transactions
        of storing and enriching stay short; the kernel drops it if a linker dies."""
        if self.path in (":memory:", ""):
            with _MEMORY_LINK_LOCK:
                yield
            return
        fd = os.open(self.path + "-link.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def doc_freq(self, keys: Iterable[str]) -> dict[str, int]:
        found = self._in("SELECT key, docs FROM doc_freq WHERE key IN ({marks})", keys)
        return {r["key"]: int(r["docs"]) for r in found}

    def link_postings(self, keys: Iterable[str], *, per_key: int) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key in dict.fromkeys(keys):
            found = self._db.execute(
                "SELECT article_id FROM link_keys WHERE key = ? ORDER BY seq DESC LIMIT ?",
                (key, per_key),
            )
            ids = [r["article_id"] for r in found]
            if ids:
                out[key] = ids
        return out

    def event_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        found = self._in(
            "SELECT article_id, event_id FROM event_articles WHERE article_id IN ({marks})",
            article_ids,
        )
        return {r["article_id"]: r["event_id"] for r in found}

    def events_by_id(self, event_ids: Iterable[str]) -> list[Event]:
        found = self._in(
            "SELECT data, updated, date_value, id FROM events WHERE id IN ({marks})", event_ids
        )
        found.sort(key=lambda r: (r["date_value"] is None, r["date_value"] or "", r["id"]))
        return [rows.event_from(r) for r in found]

    def event_subjects(self, event_ids: Iterable[str]) -> dict[str, EventSubject]:
        found = self._in(
            "SELECT id, subject FROM events WHERE id IN ({marks}) AND subject IS NOT NULL",
            event_ids,
        )
        return {r["id"]: rows.subject_from(r["subject"]) for r in found}

    def events_sharing_core(self, entity_ids: Iterable[str]) -> list[str]:
        found = self._in(
            "SELECT DISTINCT event_id FROM event_cores WHERE entity_id IN ({marks})", entity_ids
        )
        return sorted({r["event_id"] for r in found})

    def events_in_storylines(self, storyline_ids: Iterable[str]) -> list[str]:
        found = self._in("SELECT id FROM events WHERE storyline_id IN ({marks})", storyline_ids)
        return sorted({r["id"] for r in found})

    def save_links(self, changes: LinkChanges) -> None:
        stamp = rows.now()
        statements: list[tuple[str, Iterable[Any]]] = []
        if changes.reset:
            statements += [("DELETE FROM link_keys", ()), ("DELETE FROM doc_freq", ())]
        for aid, keys in changes.keys.items():
            statements.append(("DELETE FROM link_keys WHERE article_id = ?", (aid,)))
            statements += [
                (
                    "INSERT OR IGNORE INTO link_keys (key, article_id, seq)"
                    " SELECT ?, id, seq FROM articles WHERE id = ?",
                    (key, aid),
                )
                for key in keys
            ]
        statements += [
            (
                "INSERT INTO doc_freq (key, docs) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET docs = docs + excluded.docs",
                (key, n),
            )
            for key, n in changes.doc_freq.items()
        ]
        statements += [
            (
                "INSERT INTO storylines (id, data) VALUES (?, ?)"
                " ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                rows.storyline_values(s),
            )
            for s in changes.storylines
        ]
        for eid in [*changes.removed_events, *(e.id for e in changes.events)]:
            statements.append(("DELETE FROM event_articles WHERE event_id = ?", (eid,)))
            statements.append(("DELETE FROM event_cores WHERE event_id = ?", (eid,)))
        statements += [
            ("DELETE FROM events WHERE id = ?", (eid,)) for eid in changes.removed_events
        ]
        for e in changes.events:
            subject = changes.subjects.get(e.id)
            statements.append(
                (
                    "INSERT INTO events (id, date_value, storyline_id, data, updated, subject)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
                    " date_value = excluded.date_value, storyline_id = excluded.storyline_id,"
                    " data = excluded.data, updated = excluded.updated,"
                    " subject = excluded.subject",
                    (*rows.event_values(e), stamp, rows.subject_data(subject) if subject else None),
                )
            )
            statements += [
                (
                    "INSERT INTO event_articles (article_id, event_id) VALUES (?, ?)"
                    " ON CONFLICT(article_id) DO UPDATE SET event_id = excluded.event_id",
                    (a, e.id),
                )
                for a in e.articles
            ]
            statements += [
                ("INSERT OR IGNORE INTO event_cores (entity_id, event_id) VALUES (?, ?)", (c, e.id))
                for c in (subject.core if subject else ())
            ]
        statements += [
            ("DELETE FROM storylines WHERE id = ?", (sid,)) for sid in changes.removed_storylines
        ]
        statements += [
            ("UPDATE enrichments SET linked = 1 WHERE article_id = ?", (aid,))
            for aid in changes.linked
        ]
        self._write(statements)
