"""The default backend: one SQLite file in WAL mode, migrated on open, FTS5 for search."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

from storyline.records import (
    Article,
    Enrichment,
    Entity,
    Event,
    EventDate,
    EventTime,
    Mention,
    Published,
    Quote,
    Storyline,
    TimeExpr,
)
from storyline.store.base import EntityLink, EntityRow, QuoteRow, Store

__all__ = ["SQLiteStore", "migrations"]


def migrations() -> list[tuple[int, str]]:
    """The numbered schema scripts shipped with the package, oldest first."""
    folder = resources.files("storyline.store") / "migrations"
    scripts = sorted((p for p in folder.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)
    return [(int(p.name.split("_", 1)[0]), p.read_text(encoding="utf-8")) for p in scripts]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class SQLiteStore(Store):
    """A store in one file; every write is its own transaction so a crash leaves it consistent."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA busy_timeout = 10000")
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    # -- plumbing ---------------------------------------------------------------------
    def _migrate(self) -> None:
        current = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        for version, script in migrations():
            if version <= current:
                continue
            self._db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")

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

    # -- articles -----------------------------------------------------------------------
    def add_article(self, article: Article, *, bands: Iterable[str] = ()) -> bool:
        if self.has_article(article.id):
            return False
        seq = int(self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0])
        statements: list[tuple[str, Iterable[Any]]] = [
            (
                "INSERT INTO articles (id, source, url, outlet, title, byline, dateline, published,"
                " published_date, raw, text, duplicate_of, metadata, seq)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.id,
                    article.source,
                    article.url,
                    article.outlet,
                    article.title,
                    _dumps(article.byline),
                    article.dateline,
                    _dumps(asdict(article.published)),
                    article.published.date,
                    article.raw,
                    article.text,
                    article.duplicate_of,
                    _dumps(article.metadata),
                    seq,
                ),
            )
        ]
        statements += [
            (
                "INSERT OR IGNORE INTO article_bands (band, article_id) VALUES (?, ?)",
                (b, article.id),
            )
            for b in bands
        ]
        self._write(statements)
        return True

    def has_article(self, article_id: str) -> bool:
        row = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    @staticmethod
    def _article(row: sqlite3.Row) -> Article:
        pub = json.loads(row["published"])
        return Article(
            id=row["id"],
            source=row["source"],
            text=row["text"],
            raw=row["raw"],
            title=row["title"],
            url=row["url"],
            outlet=row["outlet"],
            byline=json.loads(row["byline"]),
            dateline=row["dateline"],
            published=Published(
                date=pub.get("date"),
                precision=pub.get("precision"),
                candidates=tuple(pub.get("candidates") or ()),
                evidence=pub.get("evidence"),
            ),
            duplicate_of=row["duplicate_of"],
            metadata=json.loads(row["metadata"]),
        )

    def article(self, article_id: str) -> Article | None:
        row = self._db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return self._article(row) if row else None

    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        rows = self._db.execute(
            "SELECT * FROM articles ORDER BY seq LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [self._article(r) for r in rows]

    def count_articles(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def articles_sharing_bands(self, bands: Iterable[str]) -> list[str]:
        keys = list(bands)
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self._db.execute(
            f"SELECT article_id, COUNT(*) AS n FROM article_bands WHERE band IN ({marks})"
            " GROUP BY article_id ORDER BY n DESC",
            keys,
        )
        return [r["article_id"] for r in rows]

    def search_articles(self, query: str, *, limit: int = 50) -> list[str]:
        terms = [t for t in "".join(c if c.isalnum() else " " for c in query).split() if t]
        if not terms:
            return []
        match = " ".join(f'"{t}"' for t in terms)
        rows = self._db.execute(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"
            " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts) LIMIT ?",
            (match, limit),
        )
        return [r["id"] for r in rows]

    def set_published(self, article_id: str, published: dict[str, Any]) -> None:
        self._write(
            [
                (
                    "UPDATE articles SET published = ?, published_date = ? WHERE id = ?",
                    (_dumps(published), published.get("date"), article_id),
                )
            ]
        )

    # -- enrichment ------------------------------------------------------------------------
    def save_enrichment(self, enrichment: Enrichment) -> None:
        data = asdict(enrichment)
        data.pop("article_id")
        data.pop("pipeline")
        self._write(
            [
                (
                    "INSERT INTO enrichments (article_id, pipeline, data) VALUES (?, ?, ?)"
                    " ON CONFLICT(article_id) DO UPDATE SET pipeline = excluded.pipeline,"
                    " data = excluded.data",
                    (enrichment.article_id, enrichment.pipeline, _dumps(data)),
                )
            ]
        )

    @staticmethod
    def _enrichment(row: sqlite3.Row) -> Enrichment:
        data = json.loads(row["data"])
        et = data.get("event_time")
        return Enrichment(
            article_id=row["article_id"],
            pipeline=row["pipeline"],
            mentions=[Mention(**m) for m in data.get("mentions", [])],
            times=[TimeExpr(**t) for t in data.get("times", [])],
            quotes=[Quote(**q) for q in data.get("quotes", [])],
            event_time=EventTime(**et) if et else None,
            sentences=[(int(s), int(e)) for s, e in data.get("sentences", [])],
        )

    def enrichment(self, article_id: str) -> Enrichment | None:
        row = self._db.execute(
            "SELECT * FROM enrichments WHERE article_id = ?", (article_id,)
        ).fetchone()
        return self._enrichment(row) if row else None

    def enrichments(self) -> Iterator[Enrichment]:
        rows = self._db.execute(
            "SELECT e.* FROM enrichments e JOIN articles a ON a.id = e.article_id ORDER BY a.seq"
        ).fetchall()
        for row in rows:
            yield self._enrichment(row)

    def unenriched(self, pipeline: str) -> list[str]:
        rows = self._db.execute(
            "SELECT a.id FROM articles a LEFT JOIN enrichments e ON e.article_id = a.id"
            " WHERE e.pipeline IS NULL OR e.pipeline != ? ORDER BY a.seq",
            (pipeline,),
        )
        return [r["id"] for r in rows]

    # -- entities and quotes -------------------------------------------------------------
    def replace_entities(self, entities: list[Entity], links: Iterable[EntityLink]) -> None:
        statements: list[tuple[str, Iterable[Any]]] = [
            ("DELETE FROM entity_links", ()),
            ("DELETE FROM entities", ()),
        ]
        statements += [
            (
                "INSERT INTO entities (id, name, type, aliases, merges) VALUES (?, ?, ?, ?, ?)",
                (e.id, e.name, e.type, _dumps(e.aliases), _dumps(e.merges)),
            )
            for e in entities
        ]
        statements += [
            (
                "INSERT INTO entity_links (article_id, key, entity_id, mentions) VALUES (?, ?, ?, ?)",
                link,
            )
            for link in links
        ]
        self._write(statements)

    def entities(self) -> list[EntityRow]:
        rows = self._db.execute(
            "SELECT e.*, COUNT(DISTINCT l.article_id) AS articles, COALESCE(SUM(l.mentions), 0)"
            " AS mentions FROM entities e LEFT JOIN entity_links l ON l.entity_id = e.id"
            " GROUP BY e.id ORDER BY mentions DESC, e.name"
        )
        return [
            {
                "id": r["id"],
                "name": r["name"],
                "type": r["type"],
                "aliases": json.loads(r["aliases"]),
                "merges": json.loads(r["merges"]),
                "articles": int(r["articles"]),
                "mentions": int(r["mentions"]),
            }
            for r in rows
        ]

    def entity_links(self) -> dict[tuple[str, str], str]:
        rows = self._db.execute("SELECT article_id, key, entity_id FROM entity_links")
        return {(r["article_id"], r["key"]): r["entity_id"] for r in rows}

    def quotes(self, *, speaker: str | None = None) -> list[QuoteRow]:
        links = self.entity_links()
        names = {r["id"]: r["name"] for r in self.entities()}
        sources = {
            r["id"]: r["source"] for r in self._db.execute("SELECT id, source FROM articles")
        }
        wanted = speaker.lower() if speaker else None
        out: list[QuoteRow] = []
        for enrichment in self.enrichments():
            for q in enrichment.quotes:
                entity_id = links.get((enrichment.article_id, q.speaker)) if q.speaker else None
                name = names.get(entity_id, q.speaker) if entity_id else q.speaker
                if wanted and not (name and wanted in name.lower()):
                    continue
                out.append(
                    {
                        "id": f"{enrichment.article_id}:{q.start}",
                        "article": enrichment.article_id,
                        "source": sources.get(enrichment.article_id),
                        "text": q.text,
                        "speaker": {"name": name, "entity_id": entity_id} if name else None,
                        "cue": q.cue,
                        "kind": q.kind,
                        "start": q.start,
                        "end": q.end,
                    }
                )
        return out

    # -- events and storylines ---------------------------------------------------------------
    def replace_events(self, events: list[Event], storylines: list[Storyline]) -> None:
        statements: list[tuple[str, Iterable[Any]]] = [
            ("DELETE FROM event_articles", ()),
            ("DELETE FROM events", ()),
            ("DELETE FROM storylines", ()),
        ]
        statements += [
            ("INSERT INTO storylines (id, data) VALUES (?, ?)", (s.id, _dumps(asdict(s))))
            for s in storylines
        ]
        for e in events:
            statements.append(
                (
                    "INSERT INTO events (id, date_value, storyline_id, data) VALUES (?, ?, ?, ?)",
                    (e.id, e.date.value if e.date else None, e.storyline, _dumps(asdict(e))),
                )
            )
            statements += [
                ("INSERT INTO event_articles (article_id, event_id) VALUES (?, ?)", (a, e.id))
                for a in e.articles
            ]
        self._write(statements)

    def events(self) -> list[Event]:
        rows = self._db.execute(
            "SELECT data FROM events ORDER BY date_value IS NULL, date_value, id"
        )
        out = []
        for r in rows:
            data = json.loads(r["data"])
            date = data.pop("date")
            out.append(Event(**data, date=EventDate(**date) if date else None))
        return out

    def storylines(self) -> list[Storyline]:
        rows = self._db.execute("SELECT data FROM storylines ORDER BY id")
        return [Storyline(**json.loads(r["data"])) for r in rows]
