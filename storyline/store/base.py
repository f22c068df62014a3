"""The one storage interface every backend implements; nothing outside `store/` speaks SQL."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from storyline.records import (
    Article,
    Enrichment,
    Entity,
    Event,
    EventSubject,
    Failure,
    FetchState,
    Published,
    QuoteRecord,
    Storyline,
)

__all__ = ["EntityLink", "LinkChanges", "Publications", "Scope", "Store"]

# (article id, article-level key, entity id, number of mentions)
EntityLink = tuple[str, str, str, int]
# Every article's publication record by article id.
Publications = dict[str, Published]


@dataclass(frozen=True)
class Scope:
    """What a listing is narrowed to; every field is optional and they combine with AND.

    Dates are ISO prefixes (a partial date overlapping the range passes); `entities` and
    `articles` are ids, and an empty tuple matches nothing.
    """

    start: str | None = None
    end: str | None = None
    outlet: str | None = None
    storyline: str | None = None
    entities: tuple[str, ...] | None = None
    articles: tuple[str, ...] | None = None

    @property
    def given(self) -> bool:
        return any((self.start, self.end, self.outlet, self.storyline)) or (
            self.entities is not None or self.articles is not None
        )


@dataclass
class LinkChanges:
    """What one linking step writes; a backend applies it in one transaction, so a step
    lands whole or not at all and a killed run leaves its articles pending."""

    # Articles now placed in an event (their enrichments are marked linked).
    linked: list[str] = field(default_factory=list)
    # Blocking keys each article is filed under, replacing the keys it had.
    keys: dict[str, list[str]] = field(default_factory=dict)
    # Additions to the document frequencies; the empty key counts articles.
    doc_freq: Counter[str] = field(default_factory=Counter)
    # Events written whole (rows, members, subjects); unlisted events keep their rows.
    events: list[Event] = field(default_factory=list)
    subjects: dict[str, EventSubject] = field(default_factory=dict)
    removed_events: list[str] = field(default_factory=list)
    storylines: list[Storyline] = field(default_factory=list)
    removed_storylines: list[str] = field(default_factory=list)
    # A full relink: document frequencies and blocking keys start over from these.
    reset: bool = False


class Store(ABC):
    """Articles, what was read in them, and the events and storylines linked from them."""

    # -- articles -------------------------------------------------------------------
    @abstractmethod
    def add_article(self, article: Article, *, bands: Iterable[str] = ()) -> bool:
        """Store one article in its own transaction; False when its id is already stored."""

    @abstractmethod
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
        """Add many new records (articles with their band keys, what was read in them, their
        entity links, their events) in one transaction of batched inserts, as a large import
        does; the entities the links name must be stored already. `link` files the articles
        for the linker (document frequencies, blocking keys, linked flags) right after."""

    @abstractmethod
    def has_article(self, article_id: str) -> bool: ...

    @abstractmethod
    def article_ids_starting(self, prefix: str, *, limit: int = 2) -> list[str]:
        """Ids of articles that start with `prefix` (a short id as listings print it)."""

    @abstractmethod
    def article(self, article_id: str) -> Article | None: ...

    @abstractmethod
    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]: ...

    @abstractmethod
    def articles_by_id(self, ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles among `ids` (one indexed read, not a scan)."""

    @abstractmethod
    def count_articles(self) -> int: ...

    @abstractmethod
    def articles_sharing_bands(self, bands: Iterable[str]) -> list[str]:
        """Ids of stored articles whose MinHash band keys overlap these (near-duplicate candidates)."""

    @abstractmethod
    def search_articles(self, query: str, *, limit: int = 50, newest: bool = False) -> list[str]:
        """Article ids matching a full-text query, best first (or the newest first, which
        costs the same in any store: no match beyond `limit` is ranked)."""

    @abstractmethod
    def publications(self) -> Publications:
        """Every article's publication record by id, without reading the articles."""

    @abstractmethod
    def set_published(self, article_id: str, published: dict[str, Any]) -> None:
        """Replace an article's publication record (after a collection window resolves it)."""

    @abstractmethod
    def revise_article(self, article: Article, previous: dict[str, Any]) -> None:
        """Store `article`'s metadata over the stored one's (same id, same text), `previous`
        (the replaced values) in its history, and drop what was read in it, all at once."""

    @abstractmethod
    def article_history(self, article_id: str) -> list[dict[str, Any]]:
        """The values each revision replaced, oldest first."""

    # -- enrichment -----------------------------------------------------------------
    @abstractmethod
    def save_enrichment(self, enrichment: Enrichment) -> None: ...

    @abstractmethod
    def enrichment(self, article_id: str) -> Enrichment | None: ...

    @abstractmethod
    def enrichments(self) -> Iterator[Enrichment]: ...

    @abstractmethod
    def unenriched(self, pipeline: str) -> list[str]:
        """Ids of articles not yet read by this pipeline version."""

    @abstractmethod
    def unlinked(self, *, limit: int | None = None) -> list[str]:
        """Ids of enriched articles not yet placed in an event (or re-read since), oldest first."""

    # -- failures -------------------------------------------------------------------
    @abstractmethod
    def record_failure(self, article_id: str, stage: str, reason: str, pipeline: str) -> None:
        """Note why `stage` could not handle this article (replacing its earlier note there)."""

    @abstractmethod
    def clear_failures(self, article_ids: Iterable[str], stage: str) -> None:
        """Forget these articles' failures at `stage` (the stage has now handled them)."""

    @abstractmethod
    def failed_articles(self, article_id: str | None = None) -> list[Failure]:
        """Recorded failures (of one article, or all), in the order the articles were stored."""

    # -- entities and quotes ----------------------------------------------------------
    @abstractmethod
    def replace_entities(
        self,
        entities: Sequence[Entity],
        links: Iterable[EntityLink],
        *,
        keys: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Store canonical entities anew, which article-level names (with mention counts) they
        hold and the index keys they are filed under (a whole rebuild)."""

    @abstractmethod
    def save_entities(
        self,
        entities: Sequence[Entity],
        links: Iterable[EntityLink],
        *,
        articles: Iterable[str],
        keys: Iterable[tuple[str, str]] = (),
        absorbed: Mapping[str, str] | None = None,
    ) -> None:
        """Upsert these entities, replace the links of `articles`, file the keys, and move
        everything of each absorbed entity (old id -> new id) onto the one it merged into;
        the entities' article and mention counts follow, in one transaction."""

    @abstractmethod
    def entity_keys(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """The entity ids filed under each of these index keys (keys with none are left out)."""

    @abstractmethod
    def entities_by_id(self, ids: Iterable[str]) -> dict[str, Entity]: ...

    @abstractmethod
    def entity_company(self, ids: Iterable[str], *, articles: int = 50) -> dict[str, set[str]]:
        """For each entity, the entities named beside it in up to `articles` of its articles."""

    @abstractmethod
    def entities(self, *, limit: int | None = None, offset: int = 0) -> list[Entity]:
        """Canonical entities with their article and mention counts, most mentioned first."""

    @abstractmethod
    def count_entities(self) -> int: ...

    @abstractmethod
    def entity_links(self, articles: Iterable[str] | None = None) -> dict[tuple[str, str], str]:
        """(article id, key) -> entity id, for these articles (None: every article)."""

    def quotes(self, *, speaker: str | None = None) -> list[QuoteRecord]:
        """Every quote (or those whose speaker's name holds `speaker`), in arrival order."""
        return self.quotes_page(Scope(), speaker=speaker, limit=None)

    # -- pages: every listing narrowed and paged by the store ---------------------------------
    @abstractmethod
    def articles_page(
        self, scope: Scope, *, limit: int | None, offset: int = 0
    ) -> list[Article]: ...

    @abstractmethod
    def count_articles_in(self, scope: Scope, *, cap: int | None = None) -> int: ...

    @abstractmethod
    def articles_of_entity(self, entity_id: str, *, limit: int) -> list[Article]: ...

    @abstractmethod
    def events_page(
        self,
        scope: Scope,
        *,
        limit: int | None,
        offset: int = 0,
        newest: bool = False,
        undated: bool = False,
    ) -> list[Event]: ...

    @abstractmethod
    def count_events(self, scope: Scope, *, cap: int | None = None) -> int: ...

    @abstractmethod
    def event(self, event_id: str) -> Event | None: ...

    @abstractmethod
    def events_of_articles(self, ids: Iterable[str]) -> list[Event]: ...

    @abstractmethod
    def storylines_page(
        self, scope: Scope, *, limit: int | None, offset: int = 0
    ) -> list[Storyline]: ...

    @abstractmethod
    def count_storylines(self, scope: Scope, *, cap: int | None = None) -> int: ...

    @abstractmethod
    def storylines_by_id(self, ids: Iterable[str]) -> dict[str, Storyline]: ...

    @abstractmethod
    def entities_page(
        self, scope: Scope, *, limit: int | None, offset: int = 0
    ) -> list[Entity]: ...

    @abstractmethod
    def count_entities_in(self, scope: Scope, *, cap: int | None = None) -> int: ...

    @abstractmethod
    def quotes_page(
        self,
        scope: Scope,
        *,
        speaker: str | None = None,
        speaker_entity: str | None = None,
        kind: str | None = None,
        limit: int | None,
        offset: int = 0,
    ) -> list[QuoteRecord]: ...

    @abstractmethod
    def count_quotes(
        self,
        scope: Scope,
        *,
        speaker: str | None = None,
        speaker_entity: str | None = None,
        kind: str | None = None,
        cap: int | None = None,
    ) -> int:
        """How many quotes match; a `cap` stops the count there (as every count_* does), so a
        listing's total costs at most that many index entries whatever the store holds."""

    # -- events and storylines --------------------------------------------------------
    @abstractmethod
    def replace_events(self, events: list[Event], storylines: list[Storyline]) -> None: ...

    @abstractmethod
    def events(self) -> list[Event]: ...

    @abstractmethod
    def storylines(self) -> list[Storyline]: ...

    # -- followed sources -------------------------------------------------------------
    @abstractmethod
    def fetch_state(self, url: str) -> FetchState | None:
        """What was last fetched from this URL, or None if it never was."""

    @abstractmethod
    def save_fetch_state(self, state: FetchState) -> None:
        """Remember (or replace) what was fetched from a URL."""

    # -- linking state -----------------------------------------------------------------
    @abstractmethod
    def link_lock(self) -> AbstractContextManager[None]:
        """Held for a whole linking step: one linker at a time per store, across processes,
        while other writers (storing, enriching, reading) go on."""

    @abstractmethod
    def doc_freq(self, keys: Iterable[str]) -> dict[str, int]:
        """Document frequencies of these keys among linked articles (missing ones are 0)."""

    @abstractmethod
    def link_postings(self, keys: Iterable[str], *, per_key: int) -> dict[str, list[str]]:
        """For each blocking key, the newest `per_key` linked articles filed under it."""

    @abstractmethod
    def event_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        """article id -> the id of the event it is in, for those placed."""

    @abstractmethod
    def events_by_id(self, event_ids: Iterable[str]) -> list[Event]:
        """These events as stored (unknown ids are left out), in the order of `events()`."""

    @abstractmethod
    def event_subjects(self, event_ids: Iterable[str]) -> dict[str, EventSubject]: ...

    @abstractmethod
    def events_sharing_core(self, entity_ids: Iterable[str]) -> list[str]:
        """Ids of events with any of these entities among their core participants."""

    @abstractmethod
    def common_cores(self, entity_ids: Iterable[str], *, limit: int) -> set[str]:
        """Those of these entities that are core participants of more than `limit` events,
        each counted no further than that."""

    @abstractmethod
    def events_in_storylines(self, storyline_ids: Iterable[str]) -> list[str]: ...

    @abstractmethod
    def save_links(self, changes: LinkChanges) -> None:
        """Apply one linking step in one transaction."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
