"""Rows to records and back, written once so every backend stores and returns the same thing.

Backends hand these helpers rows whose JSON columns hold JSON text; what SQL
they run to get there is their own business.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict
from importlib import resources
from typing import Any, Protocol

from storyline.records import (
    Article,
    Descriptor,
    Enrichment,
    Entity,
    Event,
    EventDate,
    EventSubject,
    EventTime,
    Failure,
    FetchState,
    Mention,
    Published,
    Quote,
    Storyline,
    TimeExpr,
    details_data,
    details_from,
)

__all__ = [
    "ARTICLE_COLUMNS",
    "ENTITY_COLUMNS",
    "REVISED_COLUMNS",
    "Row",
    "article_from",
    "article_values",
    "count_changes",
    "dumps",
    "enrichment_data",
    "enrichment_from",
    "entity_from",
    "entity_values",
    "event_from",
    "event_values",
    "failure_from",
    "fetch_state_from",
    "fetch_state_values",
    "link_counts",
    "loads",
    "migrations",
    "now",
    "published_from",
    "quote_values",
    "revised_values",
    "storyline_from",
    "storyline_values",
    "subject_data",
    "subject_from",
]


class Row(Protocol):
    """What a backend's row must offer: its columns by name (sqlite3.Row, psycopg's dict_row)."""

    def __getitem__(self, key: str, /) -> Any: ...


# The article columns a backend writes, in the order `article_values` gives them.
ARTICLE_COLUMNS = (
    "id",
    "source",
    "url",
    "outlet",
    "title",
    "byline",
    "dateline",
    "published",
    "published_date",
    "raw",
    "text",
    "duplicate_of",
    "metadata",
    "language",
)

# The columns a revision replaces: what is said about an article, not its text or identity.
REVISED_COLUMNS = tuple(
    c for c in ARTICLE_COLUMNS if c not in {"id", "raw", "text", "duplicate_of", "language"}
)


def migrations(folder: str) -> list[tuple[int, str]]:
    """The numbered schema scripts shipped in `store/<folder>`, oldest first."""
    root = resources.files("storyline.store") / folder
    scripts = sorted((p for p in root.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name)
    return [(int(p.name.split("_", 1)[0]), p.read_text(encoding="utf-8")) for p in scripts]


def dumps(value: Any) -> str:
    """JSON text with sorted keys, so equal records store equal text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _sorted_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return dict(sorted(pairs))


def loads(text: str) -> Any:
    """JSON text back to data with keys in sorted order, whatever order the database kept."""
    return json.loads(text, object_pairs_hook=_sorted_object)


def article_values(article: Article) -> tuple[Any, ...]:
    """An article as the values of ARTICLE_COLUMNS."""
    return (
        article.id,
        article.source,
        article.url,
        article.outlet,
        article.title,
        dumps(article.byline),
        article.dateline,
        dumps(asdict(article.published)),
        article.published.date,
        article.raw,
        article.text,
        article.duplicate_of,
        dumps(article.metadata),
        article.language,
    )


def revised_values(article: Article) -> tuple[Any, ...]:
    """An article as the values of REVISED_COLUMNS."""
    values = dict(zip(ARTICLE_COLUMNS, article_values(article), strict=True))
    return tuple(values[c] for c in REVISED_COLUMNS)


def published_from(text: str) -> Published:
    """A publication record from its stored JSON."""
    pub = loads(text)
    return Published(
        date=pub.get("date"),
        precision=pub.get("precision"),
        candidates=tuple(pub.get("candidates") or ()),
        evidence=pub.get("evidence"),
        inferred=pub.get("inferred"),
        inference=pub.get("inference"),
    )


def article_from(row: Row) -> Article:
    return Article(
        id=row["id"],
        source=row["source"],
        text=row["text"],
        raw=row["raw"],
        title=row["title"],
        url=row["url"],
        outlet=row["outlet"],
        byline=loads(row["byline"]),
        dateline=row["dateline"],
        published=published_from(row["published"]),
        duplicate_of=row["duplicate_of"],
        metadata=loads(row["metadata"]),
        language=row["language"],
    )


def failure_from(row: Row) -> Failure:
    return Failure(row["article_id"], row["stage"], row["reason"], row["pipeline"])


def enrichment_data(enrichment: Enrichment) -> str:
    """The JSON stored beside an enrichment's article id and pipeline."""
    data = asdict(enrichment)
    data.pop("article_id")
    data.pop("pipeline")
    return dumps(data)


def quote_values(enrichment: Enrichment) -> list[tuple[str, int, str | None, str, str]]:
    """An enrichment's quotes as (article id, start, speaker, kind, data), one per start."""
    by_start = {q.start: q for q in enrichment.quotes}
    return [
        (enrichment.article_id, start, q.speaker, q.kind, dumps(asdict(q)))
        for start, q in sorted(by_start.items())
    ]


def enrichment_from(row: Row) -> Enrichment:
    data = loads(row["data"])
    et = data.get("event_time")
    return Enrichment(
        article_id=row["article_id"],
        pipeline=row["pipeline"],
        mentions=[Mention(**m) for m in data.get("mentions", [])],
        times=[TimeExpr(**t) for t in data.get("times", [])],
        quotes=[Quote(**q) for q in data.get("quotes", [])],
        event_time=EventTime(**et) if et else None,
        sentences=[(int(s), int(e)) for s, e in data.get("sentences", [])],
        descriptors=[Descriptor(**d) for d in data.get("descriptors", [])],
    )


# The entity columns a backend writes, in the order `entity_values` gives them.
ENTITY_COLUMNS = ("id", "name", "type", "aliases", "merges", "labels", "cues", "evidence")


def entity_values(entity: Entity) -> tuple[str, ...]:
    """An entity as the values of ENTITY_COLUMNS (its counts are the store's to keep)."""
    return (
        entity.id,
        entity.name,
        entity.type,
        dumps(entity.aliases),
        dumps(entity.merges),
        dumps(entity.labels),
        dumps(entity.cues),
        dumps(entity.evidence),
    )


def entity_from(row: Row) -> Entity:
    return Entity(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        aliases=loads(row["aliases"]),
        merges=loads(row["merges"]),
        labels=loads(row["labels"]),
        cues=loads(row["cues"]),
        evidence=loads(row["evidence"]),
        articles=int(row["articles"]),
        mentions=int(row["mentions"]),
    )


def count_changes(
    removed: Iterable[tuple[str, int, int]], added: Iterable[tuple[str, int, int]]
) -> list[tuple[int, int, str]]:
    """(articles, mentions, entity id) deltas from the link counts removed and added."""
    delta: dict[str, list[int]] = {}
    for sign, found in ((-1, removed), (1, added)):
        for entity_id, articles, mentions in found:
            entry = delta.setdefault(entity_id, [0, 0])
            entry[0] += sign * articles
            entry[1] += sign * mentions
    return [(a, m, e) for e, (a, m) in sorted(delta.items()) if a or m]


def link_counts(links: Iterable[tuple[str, str, str, int]]) -> list[tuple[str, int, int]]:
    """(entity id, articles, mentions) over a set of links."""
    articles: dict[str, set[str]] = {}
    mentions: dict[str, int] = {}
    for article_id, _key, entity_id, count in links:
        articles.setdefault(entity_id, set()).add(article_id)
        mentions[entity_id] = mentions.get(entity_id, 0) + count
    return [(e, len(articles[e]), mentions[e]) for e in sorted(articles)]


def now() -> str:
    """The time a row is written, as ISO text in UTC (the same on every backend)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def event_values(event: Event) -> tuple[str, str | None, str | None, str]:
    """An event as (id, date_value, storyline_id, data); its update time has a column of its own."""
    date = event.date.value if event.date else None
    data = asdict(event)
    data.pop("updated")
    data["details"] = details_data(event.details)
    return event.id, date, event.storyline, dumps(data)


def event_from(row: Row) -> Event:
    """An event from a row of its `data` and `updated` columns."""
    data = loads(row["data"])
    data.pop("updated", None)
    date = data.pop("date")
    details = details_from(data.pop("details"))
    return Event(
        **data, date=EventDate(**date) if date else None, details=details, updated=row["updated"]
    )


def subject_data(subject: EventSubject) -> str:
    return dumps({"core": list(subject.core), "names": subject.names, "terms": subject.terms})


def subject_from(text: str) -> EventSubject:
    data = loads(text)
    return EventSubject(core=tuple(data["core"]), names=data["names"], terms=data["terms"])


def storyline_values(storyline: Storyline) -> tuple[str, str]:
    """A storyline as (id, data)."""
    return storyline.id, dumps(asdict(storyline))


def storyline_from(row: Row) -> Storyline:
    return Storyline(**loads(row["data"]))


def fetch_state_values(state: FetchState) -> tuple[Any, ...]:
    """A fetch record's columns in the order the backends insert them."""
    return (
        state.url,
        state.status,
        state.etag,
        state.last_modified,
        state.article_id,
        state.fetched_at,
    )


def fetch_state_from(row: Row) -> FetchState:
    """A fetch record from its row."""
    return FetchState(
        url=row["url"],
        status=int(row["status"]),
        fetched_at=row["fetched_at"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        article_id=row["article_id"],
    )
