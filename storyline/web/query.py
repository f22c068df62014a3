"""One request's view over the store: filters, cursors, search and timeline lanes for the web.

The store answers whole listings; this module narrows them by the filters the API and the
pages share, so that a listing, a search and the timeline agree on what a filter means.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from storyline.records import Article, Entity, Event, Storyline
from storyline.store.base import QuoteRow, Store
from storyline.tell.describe import describe_event
from storyline.tell.timeline import Timeline, build_timeline
from storyline.tell.views import article_summary, entity_names, event_view

__all__ = ["Corpus", "Filters", "Page", "day_of", "decode_cursor", "paginate"]

T = TypeVar("T")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass(frozen=True)
class Filters:
    """What a listing is narrowed to; every field is optional and they combine with AND."""

    entity: str | None = None
    start: str | None = None
    end: str | None = None
    outlet: str | None = None
    storyline: str | None = None

    @property
    def dated(self) -> bool:
        return bool(self.start or self.end)

    @property
    def given(self) -> bool:
        return any((self.entity, self.start, self.end, self.outlet, self.storyline))


@dataclass(frozen=True)
class Page:
    """One page of a listing: its items, how many match in all, and the cursor to the next."""

    items: list[Any]
    total: int
    next: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "next": self.next}


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The offset an opaque cursor stands for; ValueError when it is not one of ours."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError("invalid cursor") from None
    kind, _, number = text.partition(":")
    # ASCII digits and at most 12 of them: an offset past that fits no store (nor SQLite's int).
    if kind != "o" or not (number.isascii() and number.isdigit()) or len(number) > 12:
        raise ValueError("invalid cursor")
    return int(number)


def paginate(items: Sequence[T], *, limit: int, offset: int) -> Page:
    """A slice of a fully known listing, with the cursor to the rest."""
    chunk = list(items[offset : offset + limit])
    more = offset + limit < len(items)
    return Page(chunk, len(items), _encode_cursor(offset + limit) if more else None)


def day_of(value: str | None) -> dt.date | None:
    """The first day a date value ('2024', '2024-03', '2024-03-05...') can stand for."""
    match = _DATE.match(value or "")
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    if not 1000 <= year <= 9000:  # not a date a news timeline places (and room to pad the axis)
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _in_range(value: str | None, start: str | None, end: str | None) -> bool:
    """Whether a possibly partial date value overlaps the inclusive range [start, end]."""
    if not start and not end:
        return True
    if not value or not _DATE.match(value):
        return False
    first, last = value[:10], value[:10] + "\uffff"
    return (not start or last >= start) and (not end or first <= end)


def _terms(query: str) -> list[str]:
    """The lower-cased words of a search query, as the store's full-text search splits them."""
    return "".join(c if c.isalnum() else " " for c in query.casefold()).split()


def _matches(words: Sequence[str], fields: Iterable[object]) -> bool:
    text = " ".join(str(f) for f in fields if f).casefold()
    return bool(words) and all(w in text for w in words)


class Corpus:
    """The store's records for one request, each fetched once and indexed as pages need them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._event_memo: dict[str, set[str]] = {}
        self._articles: dict[str, Article] = {}

    # -- cached lookups -----------------------------------------------------------------
    @cached_property
    def events(self) -> list[Event]:
        return self.store.events()

    @cached_property
    def storylines(self) -> list[Storyline]:
        return self.store.storylines()

    @cached_property
    def entity_rows(self) -> list[Entity]:
        return self.store.entities()

    @cached_property
    def quotes(self) -> list[QuoteRow]:
        return self.store.quotes()

    @cached_property
    def all_articles(self) -> dict[str, Article]:
        """Every article: only listings narrowed by article-level filters read them all."""
        self._articles.update((a.id, a) for a in self.store.articles())
        return self._articles

    def articles_of(self, ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles among `ids`, each read once per request in one query."""
        wanted = [i for i in dict.fromkeys(ids) if i not in self._articles]
        if wanted:
            self._articles.update(self.store.articles_by_id(wanted))
        return {i: self._articles[i] for i in dict.fromkeys(ids) if i in self._articles}

    def article(self, article_id: str) -> Article | None:
        return self.articles_of([article_id]).get(article_id)

    @cached_property
    def _links(self) -> dict[tuple[str, str], str]:
        return self.store.entity_links()

    @cached_property
    def entity_articles(self) -> dict[str, set[str]]:
        """Entity id to the ids of the articles it is mentioned in."""
        out: dict[str, set[str]] = {}
        for (article_id, _key), entity_id in self._links.items():
            out.setdefault(entity_id, set()).add(article_id)
        return out

    @cached_property
    def _names(self) -> dict[str, str]:
        """Lower-cased names, then aliases, to entity ids: how a name printed on a page links."""
        out: dict[str, str] = {}
        for row in self.entity_rows:
            out.setdefault(row.name.casefold(), row.id)
        for row in self.entity_rows:
            for alias in row.aliases:
                out.setdefault(str(alias).casefold(), row.id)
        return out

    @cached_property
    def _storyline_articles(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for event in self.events:
            if event.storyline:
                out.setdefault(event.storyline, set()).update(event.articles)
        return out

    def entity_row(self, entity_id: str) -> Entity | None:
        return next((r for r in self.entity_rows if r.id == entity_id), None)

    def entity_for_name(self, name: str | None) -> str | None:
        """The id of the entity a printed name stands for, when one is known."""
        return self._names.get(name.casefold()) if name else None

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def storyline(self, storyline_id: str | None) -> Storyline | None:
        return next((s for s in self.storylines if s.id == storyline_id), None)

    def events_of_article(self, article_id: str) -> list[Event]:
        return [e for e in self.events if article_id in e.articles]

    def events_of_entity(self, entity_id: str) -> list[Event]:
        """Events reporting an article that mentions the entity, or naming it a participant."""
        row = self.entity_row(entity_id)
        names = entity_names(row) if row else set()
        mentioned = self.entity_articles.get(entity_id, set())
        return [
            e
            for e in self.events
            if mentioned.intersection(e.articles) or names & {p.casefold() for p in e.participants}
        ]

    def quotes_of_entity(self, entity_id: str) -> list[QuoteRow]:
        return [q for q in self.quotes if (q.get("speaker") or {}).get("entity_id") == entity_id]

    def outlet_of(self, article_id: str) -> str | None:
        article = self.article(article_id)
        return article.outlet if article else None

    # -- filters ---------------------------------------------------------------------------
    def _entity_ids(self, value: str) -> set[str]:
        """An entity filter by id or by name or alias, case-insensitively."""
        if any(r.id == value for r in self.entity_rows):
            return {value}
        found = self.entity_for_name(value)
        return {found} if found else set()

    def _entity_filter_articles(self, value: str) -> set[str]:
        return set().union(*(self.entity_articles.get(e, set()) for e in self._entity_ids(value)))

    def _entity_filter_events(self, value: str) -> set[str]:
        if value not in self._event_memo:
            ids = self._entity_ids(value)
            self._event_memo[value] = {e.id for i in ids for e in self.events_of_entity(i)}
        return self._event_memo[value]

    def article_ok(self, article_id: str, f: Filters) -> bool:
        """Filters read at the article level: outlet, publication date, storyline, entity."""
        article = self.article(article_id)
        if f.outlet and (
            article is None or (article.outlet or "").casefold() != f.outlet.casefold()
        ):
            return False
        if f.dated and not _in_range(article.published.date if article else None, f.start, f.end):
            return False
        if f.storyline and article_id not in self._storyline_articles.get(f.storyline, set()):
            return False
        return not f.entity or article_id in self._entity_filter_articles(f.entity)

    def event_ok(self, event: Event, f: Filters) -> bool:
        """Filters read at the event level: its date, storyline, outlets and entities."""
        if f.storyline and event.storyline != f.storyline:
            return False
        if f.dated and not _in_range(event.date.value if event.date else None, f.start, f.end):
            return False
        if f.outlet and not any(
            (self.outlet_of(a) or "").casefold() == f.outlet.casefold() for a in event.articles
        ):
            return False
        return not f.entity or event.id in self._entity_filter_events(f.entity)

    def storyline_ok(self, storyline: Storyline, f: Filters) -> bool:
        """A storyline passes when one of its events passes the filters."""
        if f.storyline and storyline.id != f.storyline:
            return False
        wanted = set(storyline.events)
        return any(e.id in wanted and self.event_ok(e, f) for e in self.events)

    def entity_ok(self, row: Entity, f: Filters) -> bool:
        """An entity passes when an article it is mentioned in passes the article filters."""
        if not f.given:
            return True
        return any(self.article_ok(a, f) for a in self.entity_articles.get(row.id, set()))

    def quote_ok(self, row: QuoteRow, f: Filters) -> bool:
        return self.article_ok(str(row["article"]), f)

    # -- listings ----------------------------------------------------------------------------
    def article_page(self, f: Filters, *, limit: int, offset: int) -> Page:
        """Articles in arrival order; without filters only the page itself is read."""
        if not f.given:
            rows = self.store.articles(limit=limit, offset=offset)
            total = self.store.count_articles()
            nxt = _encode_cursor(offset + limit) if offset + limit < total else None
            return Page([article_summary(a) for a in rows], total, nxt)
        chosen = [a for a in self.all_articles.values() if self.article_ok(a.id, f)]
        page = paginate(chosen, limit=limit, offset=offset)
        return Page([article_summary(a) for a in page.items], page.total, page.next)

    def search(self, query: str, f: Filters) -> list[dict[str, Any]]:
        """Events, articles and quotes matching every word of the query, events first."""
        words = _terms(query)
        if not words:
            return []
        out: list[dict[str, Any]] = [
            {"type": "event", "id": e.id, "item": event_view(e)}
            for e in self.events
            if self.event_ok(e, f)
            and _matches(words, (e.headline, e.summary, e.place, *e.participants))
        ]
        for article_id in self.store.search_articles(query, limit=200):
            article = self.store.article(article_id)
            if article is not None and (not f.given or self.article_ok(article_id, f)):
                out.append({"type": "article", "id": article_id, "item": article_summary(article)})
        out += [
            {"type": "quote", "id": q["id"], "item": q}
            for q in self.quotes
            if self.quote_ok(q, f)
            and _matches(words, (q["text"], (q.get("speaker") or {}).get("name")))
        ]
        return out

    def described(self, event: Event) -> Event:
        """The event with headline, summary, sources, quotes and framing, filled if not stored."""
        if event.headline and "sources" in event.details:
            return event
        members = self.articles_of(event.articles)
        found = {a: self.store.enrichment(a) for a in members}
        return describe_event(
            event,
            articles=members,
            enrichments={a: e for a, e in found.items() if e is not None},
            entity_ids=self._links,
            entity_names={r.id: r.name for r in self.entity_rows},
        )

    def timeline(self, f: Filters, *, query: str | None = None) -> Timeline:
        """The library's timeline for the storyline, entity and query, narrowed by date and outlet.

        Raises ValueError for a storyline the store does not hold.
        """
        row = self.entity_row(f.entity) if f.entity else None
        built = build_timeline(
            self.store,
            storyline=f.storyline,
            entity=row.name if row else f.entity,
            query=query or None,
        )
        rest = Filters(start=f.start, end=f.end, outlet=f.outlet)
        built.events = [e for e in built.events if self.event_ok(e, rest)]
        built.undated = [e for e in built.undated if self.event_ok(e, rest)]
        built.filters.update(
            {k: v for k, v in (("from", f.start), ("to", f.end), ("outlet", f.outlet)) if v}
        )
        return built
