"""One request's view over the store: filters, cursors, search and the timeline for the web.

Every listing is one scoped, paged query in the store (`Store.*_page`) and every page reads
only the records it shows, so a page costs the same in a store of 1k or 1M articles.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from storyline.enrich.entity_keys import alias_key
from storyline.enrich.names import fold
from storyline.records import Article, Entity, Event, QuoteRecord, Storyline
from storyline.store.base import Scope, Store
from storyline.tell.timeline import Timeline
from storyline.tell.views import (
    article_summary,
    entity_view,
    event_view,
    quote_view,
    storyline_view,
)

__all__ = ["Corpus", "Filters", "Page", "day_of", "decode_cursor", "encode_cursor"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
# The most records a page lists of an entity's events or quotes, and search hits per kind.
SHOWN = 50
# How far past a listing page its total is counted: a filter matching most of a large store
# then costs this many index entries, not all of them; past it the total is a lower bound.
COUNT_AHEAD = 1000


@dataclass(frozen=True)
class Filters:
    """What a listing is narrowed to; every field is optional and they combine with AND."""

    entity: str | None = None
    start: str | None = None
    end: str | None = None
    outlet: str | None = None
    storyline: str | None = None

    @property
    def given(self) -> bool:
        return any((self.entity, self.start, self.end, self.outlet, self.storyline))


@dataclass(frozen=True)
class Page:
    """One page of a listing: its items, how many match in all (counted up to COUNT_AHEAD past
    the page: `exact` is False where more match), and the cursor to the next."""

    items: list[Any]
    total: int
    next: str | None
    exact: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "next": self.next, "exact": self.exact}


def encode_cursor(offset: int) -> str:
    """The opaque cursor of the listing page starting at `offset`."""
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
    if kind != "o" or not number.isascii() or not number.isdigit() or len(number) > 12:
        raise ValueError("invalid cursor")
    return int(number)


def _page(items: list[Any], counted: int, cap: int, limit: int, offset: int) -> Page:
    """A page from a count made up to `cap` + 1: reaching past `cap` means more match."""
    total = min(counted, cap)
    more = offset + limit < counted
    return Page(items, total, encode_cursor(offset + limit) if more else None, counted <= cap)


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


def _terms(query: str) -> list[str]:
    """The lower-cased words of a search query, as the store's full-text search splits them."""
    return "".join(c if c.isalnum() else " " for c in query.casefold()).split()


def _matches(words: Sequence[str], fields: Iterable[object]) -> bool:
    text = " ".join(str(f) for f in fields if f).casefold()
    return bool(words) and all(w in text for w in words)


class Corpus:
    """The store for one request: scoped, paged reads, each record fetched once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._articles: dict[str, Article] = {}
        self._names: dict[str, str | None] = {}
        self._storylines: dict[str, Storyline | None] = {}
        self._of_entity: dict[str, list[Article]] = {}

    # -- lookups ----------------------------------------------------------------------------
    def articles_of(self, ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles among `ids`, each read once per request in one query."""
        order = list(dict.fromkeys(ids))
        wanted = [i for i in order if i not in self._articles]
        if wanted:
            self._articles.update(self.store.articles_by_id(wanted))
        return {i: self._articles[i] for i in order if i in self._articles}

    def article(self, article_id: str) -> Article | None:
        return self.articles_of([article_id]).get(article_id)

    def entity(self, entity_id: str) -> Entity | None:
        return self.store.entities_by_id([entity_id]).get(entity_id)

    def entity_for_name(self, name: str | None) -> str | None:
        """The id of the entity a printed name stands for, when one is known (by the index)."""
        if not name:
            return None
        if name not in self._names:
            key = alias_key(fold(name))
            found = self.store.entity_keys([key]).get(key, [])
            self._names[name] = found[0] if found else None
        return self._names[name]

    def event(self, event_id: str) -> Event | None:
        return self.store.event(event_id)

    def storyline(self, storyline_id: str | None) -> Storyline | None:
        if not storyline_id:
            return None
        if storyline_id not in self._storylines:
            found = self.store.storylines_by_id([storyline_id])
            self._storylines[storyline_id] = found.get(storyline_id)
        return self._storylines[storyline_id]

    def storylines_of(self, ids: Iterable[str]) -> dict[str, Storyline]:
        wanted = [i for i in set(ids) if i not in self._storylines]
        found = self.store.storylines_by_id(wanted)
        self._storylines.update({i: found.get(i) for i in wanted})
        return {i: s for i in ids if (s := self._storylines.get(i)) is not None}

    def events_of_article(self, article_id: str) -> list[Event]:
        return self.store.events_of_articles([article_id])

    def articles_of_entity(self, entity_id: str) -> list[Article]:
        """The first SHOWN articles that mention the entity."""
        if entity_id not in self._of_entity:
            found = self.store.articles_of_entity(entity_id, limit=SHOWN)
            self._articles.update((a.id, a) for a in found)
            self._of_entity[entity_id] = found
        return self._of_entity[entity_id]

    def events_of_entity(self, entity_id: str) -> list[Event]:
        """Events reporting one of the entity's first SHOWN articles."""
        return self.store.events_of_articles(a.id for a in self.articles_of_entity(entity_id))

    def quotes_of_entity(self, entity_id: str) -> list[QuoteRecord]:
        """The entity's quotes in its first SHOWN articles."""
        ids = tuple(a.id for a in self.articles_of_entity(entity_id))
        return self.store.quotes_page(Scope(articles=ids), speaker_entity=entity_id, limit=SHOWN)

    def quotes_of_event(self, event: Event) -> list[QuoteRecord]:
        return self.store.quotes_page(Scope(articles=tuple(event.articles)), limit=SHOWN)

    # -- filters ------------------------------------------------------------------------------
    def scope(self, f: Filters) -> Scope:
        """The filters in the store's terms: an entity by id, else by name or alias."""
        entities: tuple[str, ...] | None = None
        if f.entity:
            if self.entity(f.entity) is not None:
                entities = (f.entity,)
            else:
                found = self.entity_for_name(f.entity)
                entities = (found,) if found else ()
        return Scope(
            start=f.start, end=f.end, outlet=f.outlet, storyline=f.storyline, entities=entities
        )

    # -- listings -------------------------------------------------------------------------------
    def _listing(
        self,
        rows: Callable[[int, int], list[Any]],
        count: Callable[[int], int],
        view: Callable[[Any], dict[str, Any]],
        *,
        limit: int,
        offset: int,
    ) -> Page:
        cap = offset + limit + COUNT_AHEAD
        return _page([view(r) for r in rows(limit, offset)], count(cap + 1), cap, limit, offset)

    def article_page(self, f: Filters, *, limit: int, offset: int) -> Page:
        """Articles in arrival order."""
        scope = self.scope(f)
        return self._listing(
            lambda n, o: self.store.articles_page(scope, limit=n, offset=o),
            lambda cap: self.store.count_articles_in(scope, cap=cap),
            article_summary,
            limit=limit,
            offset=offset,
        )

    def event_page(self, f: Filters, *, limit: int, offset: int) -> Page:
        """Events in date order, undated last."""
        scope = self.scope(f)
        return self._listing(
            lambda n, o: self.store.events_page(scope, limit=n, offset=o),
            lambda cap: self.store.count_events(scope, cap=cap),
            event_view,
            limit=limit,
            offset=offset,
        )

    def storyline_page(self, f: Filters, *, limit: int, offset: int) -> Page:
        scope = self.scope(f)
        return self._listing(
            lambda n, o: self.store.storylines_page(scope, limit=n, offset=o),
            lambda cap: self.store.count_storylines(scope, cap=cap),
            storyline_view,
            limit=limit,
            offset=offset,
        )

    def entity_page(self, f: Filters, *, limit: int, offset: int) -> Page:
        """Entities most mentioned first; filters keep those named in matching articles."""
        scope = self.scope(f)
        return self._listing(
            lambda n, o: self.store.entities_page(scope, limit=n, offset=o),
            lambda cap: self.store.count_entities_in(scope, cap=cap),
            entity_view,
            limit=limit,
            offset=offset,
        )

    def quote_page(
        self, f: Filters, speaker: str | None, kind: str | None, *, limit: int, offset: int
    ) -> Page:
        scope = self.scope(f)
        return self._listing(
            lambda n, o: self.store.quotes_page(
                scope, speaker=speaker, kind=kind, limit=n, offset=o
            ),
            lambda cap: self.store.count_quotes(scope, speaker=speaker, kind=kind, cap=cap),
            quote_view,
            limit=limit,
            offset=offset,
        )

    def search(self, query: str, f: Filters) -> list[dict[str, Any]]:
        """Events, articles and quotes matching every word of the query, events first.

        The store's full-text index finds the articles (the first SHOWN); the events that
        report them and their quotes are kept where their own text holds every word.
        """
        words = _terms(query)
        if not words:
            return []
        hits = self.store.search_articles(query, limit=SHOWN, newest=True)
        if not hits:
            return []
        scope = replace(self.scope(f), articles=tuple(hits))
        events = self.store.events_page(scope, limit=SHOWN)
        out: list[dict[str, Any]] = [
            {"type": "event", "id": e.id, "item": event_view(e)}
            for e in events
            if _matches(words, (e.headline, e.summary, e.place, *e.participants))
        ]
        found = self.articles_of(a.id for a in self.store.articles_page(scope, limit=SHOWN))
        out += [
            {"type": "article", "id": a, "item": article_summary(found[a])}
            for a in hits
            if a in found
        ]
        out += [
            {"type": "quote", "id": q.id, "item": quote_view(q)}
            for q in self.store.quotes_page(scope, limit=SHOWN)
            if _matches(words, (q.text, q.speaker.name if q.speaker else None))
        ]
        return out

    def timeline(self, f: Filters, *, query: str | None = None, most: int = 100) -> Timeline:
        """The latest `most` dated events (and the first undated ones) for the storyline,
        entity and query, narrowed by date and outlet, as the library's Timeline.

        Raises ValueError for a storyline the store does not hold.
        """
        title, shown = "Timeline", {}
        scope = self.scope(f)
        if f.storyline:
            story = self.storyline(f.storyline)
            if story is None:
                raise ValueError(f"no storyline {f.storyline!r}")
            title, shown["storyline"] = story.title, story.id
        if query:
            hits = self.store.search_articles(query, limit=most, newest=True)
            scope = replace(scope, articles=tuple(hits))
            title, shown["query"] = f"{title}: “{query}”", query
        if f.entity:
            named = self.entity(f.entity)
            label = named.name if named else f.entity
            title, shown["entity"] = f"{title}: {label}", label
        shown.update(
            {k: v for k, v in (("from", f.start), ("to", f.end), ("outlet", f.outlet)) if v}
        )
        events = self.store.events_page(scope, limit=most, newest=True)
        undated = self.store.events_page(scope, limit=SHOWN, undated=True)
        return Timeline(
            title=title,
            events=events[::-1],
            undated=undated,
            storylines=self.storylines_of(e.storyline for e in events + undated if e.storyline),
            filters=shown,
        )
