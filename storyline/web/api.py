"""The JSON API: listings with filters and cursors, one record each, search, timeline, and ingest.

Items carry the same fields as the CLI's --json output (tell.views and the store's rows),
so a script can move between `storyline ... --json` and the API without reshaping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from storyline import api as verbs
from storyline.config import Config
from storyline.read.decode import ReadError
from storyline.read.feeds import FeedRecord, record_from_mapping
from storyline.read.reader import article_from_record
from storyline.records import Article
from storyline.store.base import Store
from storyline.tell.render import timeline_view
from storyline.tell.views import article_summary, entity_view, event_view, quote_view
from storyline.web.deps import CorpusDep, FiltersDep, config_of, require_read, require_write
from storyline.web.query import decode_cursor, encode_cursor

__all__ = ["MAX_BATCH", "MAX_LIMIT", "ArticleIn", "Ingest", "ingest_articles", "router"]

MAX_LIMIT = 500
MAX_BATCH = 100
Ingest = Callable[[Store, Sequence[Article], Config], verbs.IngestReport]

router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(require_read)])

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many items at most.")]
Cursor = Annotated[str | None, Query(description="The `next` value of the previous page.")]


class Listing(BaseModel):
    """A page of a listing: `next` is the cursor of the following page, null on the last.
    `total` is counted a bounded way past the page; `exact` is false where more match."""

    items: list[dict[str, Any]]
    total: int
    next: str | None
    exact: bool = True


class ArticleIn(BaseModel):
    """An article as a feed record: text (or body, content) is required; other fields are kept."""

    model_config = ConfigDict(extra="allow")

    text: str | None = None
    body: str | None = None
    content: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="The printed publication date, any format.")
    author: str | list[str] | None = None


class IngestOut(BaseModel):
    """What a POST did: new article ids, stored ones whose metadata it corrected, those already
    stored as sent, near-duplicates and the articles."""

    added: list[str]
    updated: list[str]
    unchanged: list[str]
    duplicates: dict[str, str]
    enriched: int
    items: list[dict[str, Any]]


def _offset(cursor: str | None) -> int:
    try:
        return decode_cursor(cursor)
    except ValueError:
        raise HTTPException(400, "invalid cursor: pass the `next` value of a listing") from None


@router.get("/articles", response_model=Listing)
def list_articles(
    corpus: CorpusDep, f: FiltersDep, limit: Limit = 50, cursor: Cursor = None
) -> Any:
    """Articles in the order they were stored."""
    return corpus.article_page(f, limit=limit, offset=_offset(cursor)).as_dict()


@router.get("/articles/{article_id}")
def get_article(article_id: str, corpus: CorpusDep) -> dict[str, Any]:
    """One article with the entities, times and quotes read in it (character offsets included)."""
    view = verbs.article_detail(corpus.store, article_id)
    if view is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return view


def ingest_articles(
    store: Store, articles: Sequence[Article], config: Config
) -> verbs.IngestReport:
    """Store, then enrich what is new: the same verbs `storyline ingest` runs."""
    report = verbs.add_articles(store, articles, config=config)
    if report.added or report.updated:
        report.enriched = verbs.enrich(store, config=config)
    return report


@router.post(
    "/articles",
    status_code=status.HTTP_201_CREATED,
    response_model=IngestOut,
    dependencies=[Depends(require_write)],
    responses={
        401: {"description": "Wrong or missing token."},
        403: {"description": "Writes are disabled: no STORYLINE_TOKEN configured."},
        413: {"description": "Body larger than the limit."},
    },
)
def add_articles(
    request: Request, corpus: CorpusDep, body: ArticleIn | list[ArticleIn]
) -> dict[str, Any]:
    """Add one article or a list of them (the fields JSONL ingestion reads), then enrich them."""
    given = body if isinstance(body, list) else [body]
    if not 1 <= len(given) <= MAX_BATCH:
        raise HTTPException(422, f"send between 1 and {MAX_BATCH} articles")
    records = [
        record_from_mapping(a.model_dump(exclude_none=True), line=i) for i, a in enumerate(given, 1)
    ]
    problems = [f"article {r.line}: {r.error}" for r in records if r.error]
    articles: list[Article] = []
    for record in records:
        if record.error:
            continue
        try:
            articles.append(_article(record, config_of(request)))
        except ReadError as exc:
            problems.append(f"article {record.line}: {exc}")
    if problems:
        raise HTTPException(422, problems)
    ingest: Ingest = request.app.state.ingest
    report = ingest(corpus.store, articles, config_of(request))
    stored = [corpus.store.article(a) for a in dict.fromkeys(a.id for a in articles)]
    return {
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "duplicates": report.duplicates,
        "enriched": report.enriched,
        "items": [article_summary(a) for a in stored if a is not None],
    }


def _article(record: FeedRecord, config: Config) -> Article:
    return article_from_record(
        record, source=f"api:{record.line}", fmt="api", max_chars=config.max_text_chars
    )


@router.get("/events", response_model=Listing)
def list_events(corpus: CorpusDep, f: FiltersDep, limit: Limit = 50, cursor: Cursor = None) -> Any:
    """Events in date order, undated last."""
    return corpus.event_page(f, limit=limit, offset=_offset(cursor)).as_dict()


@router.get("/events/{event_id}")
def get_event(event_id: str, corpus: CorpusDep) -> dict[str, Any]:
    """One event with its sources, quotes by speaker and each outlet's framing of its people."""
    event = corpus.event(event_id)
    if event is None:
        raise HTTPException(404, f"no event with id {event_id}")
    return event_view(event)


@router.get("/storylines", response_model=Listing)
def list_storylines(
    corpus: CorpusDep, f: FiltersDep, limit: Limit = 50, cursor: Cursor = None
) -> Any:
    """Storylines: events that continue one story."""
    return corpus.storyline_page(f, limit=limit, offset=_offset(cursor)).as_dict()


@router.get("/entities", response_model=Listing)
def list_entities(
    corpus: CorpusDep, f: FiltersDep, limit: Limit = 50, cursor: Cursor = None
) -> Any:
    """Canonical entities, most mentioned first; filters keep those in matching articles."""
    return corpus.entity_page(f, limit=limit, offset=_offset(cursor)).as_dict()


@router.get("/entities/{entity_id}")
def get_entity(entity_id: str, corpus: CorpusDep) -> dict[str, Any]:
    """One entity with its aliases, merge evidence, the events it appears in and its quotes."""
    row = corpus.entity(entity_id)
    if row is None:
        raise HTTPException(404, f"no entity with id {entity_id}")
    return {
        **entity_view(row),
        "events": [e.id for e in corpus.events_of_entity(entity_id)],
        "quotes": [quote_view(q) for q in corpus.quotes_of_entity(entity_id)],
    }


@router.get("/quotes", response_model=Listing)
def list_quotes(
    corpus: CorpusDep,
    f: FiltersDep,
    speaker: Annotated[str | None, Query(description="Part of the speaker's name.")] = None,
    kind: Annotated[
        Literal["direct", "indirect", "partial"] | None,
        Query(description="Only direct quotes, reported (indirect) speech or quoted fragments."),
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Any:
    """Quotes and reported speech with their speakers, in article order."""
    return corpus.quote_page(f, speaker, kind, limit=limit, offset=_offset(cursor)).as_dict()


@router.get("/search", response_model=Listing)
def search(
    corpus: CorpusDep,
    f: FiltersDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find.")],
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Any:
    """Events, articles and quotes holding every word: items are {type, id, item}."""
    found = corpus.search(q, f)
    offset = _offset(cursor)
    more = offset + limit < len(found)
    return {
        "items": found[offset : offset + limit],
        "total": len(found),
        "next": encode_cursor(offset + limit) if more else None,
    }


@router.get("/timeline")
def timeline(
    request: Request,
    corpus: CorpusDep,
    f: FiltersDep,
    q: Annotated[
        str | None, Query(max_length=500, description="Events whose articles match.")
    ] = None,
) -> dict[str, Any]:
    """The timeline as `storyline timeline --format json` prints it, with the same filters."""
    try:
        built = corpus.timeline(f, query=q, most=config_of(request).timeline_events)
    except ValueError as exc:
        raise HTTPException(404, str(exc)) from None
    return timeline_view(built)
