"""The server-rendered pages: timeline, event, entity, article and search.

Templates autoescape everything; the only markup built here is the highlighted article text,
which `highlight` escapes piece by piece. Every fact shown links to its article's sentence
as /articles/{id}#c{start}.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from storyline import api as verbs
from storyline.records import Event, KeyQuote, QuoteRecord, Source
from storyline.tell.describe import outlet_name
from storyline.tell.views import quote_view
from storyline.web.deps import CorpusDep, FiltersDep, config_of, require_read
from storyline.web.highlight import Span, highlight
from storyline.web.query import Corpus, Filters, day_of

__all__ = ["SECURITY_HEADERS", "render", "router", "templates"]

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter(include_in_schema=False, dependencies=[Depends(require_read)])

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def fact_link(article_id: str, start: object = None) -> str:
    """The address of an article's page, at the sentence holding offset `start` when known."""
    base = f"/articles/{quote(article_id, safe='')}"
    return f"{base}#c{start}" if isinstance(start, int) and start >= 0 else base


def safe_url(url: str | None) -> str | None:
    """An article's URL when it is http(s); anything else (javascript:, data:) is not linked."""
    return url if url and urlsplit(url).scheme in {"http", "https"} else None


templates.env.globals.update(fact_link=fact_link, safe_url=safe_url)


def render(
    request: Request, name: str, context: dict[str, Any], *, code: int = 200
) -> HTMLResponse:
    """A page with the headers that keep article content from running as script."""
    return templates.TemplateResponse(
        request, name, context, status_code=code, headers=SECURITY_HEADERS
    )


def _dicts(value: object) -> list[dict[str, Any]]:
    """The dicts of a list read from a JSON column, whatever another stage left there."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _label(corpus: Corpus, event: Event) -> str:
    """What an event is called: its headline, else its first article's title, else its id."""
    if event.headline:
        return event.headline
    titles = [a.title for a in corpus.articles_of(event.articles).values() if a.title]
    return titles[0] if titles else f"Event {event.id}"


# -- timeline ------------------------------------------------------------------------------
def _lanes(corpus: Corpus, events: list[Event]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Events as lanes (one per storyline, the rest last) placed in percent of the shown span."""
    days = {e.id: day_of(e.date.value if e.date else None) for e in events}
    known = [d for d in days.values() if d is not None]
    if not known:
        return [], {}
    first, last = min(known), max(known)
    pad = max(3, (last - first).days // 20)
    start, end = first - dt.timedelta(days=pad), last + dt.timedelta(days=pad + 1)
    width = (end - start).days
    groups: dict[str | None, list[Event]] = {}
    for event in events:
        key = event.storyline if corpus.storyline(event.storyline) else None
        groups.setdefault(key, []).append(event)
    lanes = []
    for key, members in sorted(
        groups.items(), key=lambda kv: (kv[0] is None, kv[1][0].date.value if kv[1][0].date else "")
    ):
        storyline = corpus.storyline(key)
        lanes.append(
            {
                "id": key,
                "title": storyline.title if storyline else "Other events",
                "events": [
                    {
                        "id": e.id,
                        "label": _label(corpus, e),
                        "date": e.date.value if e.date else "",
                        "inferred": bool(e.date and e.date.inferred),
                        "sources": len(e.articles),
                        "left": round(100 * ((days[e.id] or start) - start).days / width, 3),
                    }
                    for e in members
                ],
            }
        )
    return lanes, {"from": start.isoformat(), "to": end.isoformat(), "days": width}


@router.get("/", response_class=HTMLResponse)
def timeline_page(
    request: Request,
    corpus: CorpusDep,
    f: FiltersDep,
    q: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    """The timeline: storylines as lanes on a zoomable time axis, undated events apart."""
    try:
        built = corpus.timeline(f, query=q, most=config_of(request).timeline_events)
    except ValueError as exc:
        raise HTTPException(404, str(exc)) from None
    lanes, span = _lanes(corpus, built.events)
    undated = [
        {"id": e.id, "label": _label(corpus, e), "sources": len(e.articles)} for e in built.undated
    ]
    return render(
        request,
        "timeline.html",
        {
            "title": built.title,
            "filters": built.filters,
            "lanes": lanes,
            "span": span,
            "undated": undated,
            "counts": {
                "events": len(built.events) + len(built.undated),
                "articles": len({a for e in built.events + built.undated for a in e.articles}),
            },
        },
    )


# -- event ---------------------------------------------------------------------------------
def _date_link(corpus: Corpus, event: Event) -> str | None:
    """Where an event's date was read: the evidence's offset in its article, else its event time."""
    if event.date is None:
        return None
    article = corpus.article(event.date.article)
    if article is None:
        return None
    at = article.text.find(event.date.evidence) if event.date.evidence else -1
    if at < 0:
        found = corpus.store.enrichment(article.id)
        at = found.event_time.start if found and found.event_time else -1
    return fact_link(article.id, at if at >= 0 else None)


def _sources(corpus: Corpus, event: Event) -> list[dict[str, Any]]:
    """The event's articles as columns, each with its outlet's framing of the main people."""
    listed = event.details.sources or tuple(
        Source(a.id, outlet_name(a), a.title, a.published.date, url=a.url)
        for a in corpus.articles_of(event.articles).values()
    )
    columns = []
    for source in listed:
        people = []
        for person, outlets in event.details.framing.items():
            said = [d for d in outlets.get(source.outlet, ()) if d.article == source.article]
            if said:
                people.append(
                    {"name": person, "entity": corpus.entity_for_name(person), "said": said}
                )
        columns.append({**asdict(source), "people": people})
    return columns


def _quotes(corpus: Corpus, event: Event) -> dict[str, list[KeyQuote] | list[QuoteRecord]]:
    """Key quotes by speaker: as the event describes them, else every quote in its articles."""
    grouped: dict[str, list[KeyQuote] | list[QuoteRecord]] = {
        q.speaker: list(q.quotes) for q in event.details.quotes if q.quotes
    }
    if grouped:
        return grouped
    found: dict[str, list[QuoteRecord]] = {}
    for row in corpus.quotes_of_event(event):
        who = row.speaker.name if row.speaker else "Unattributed"
        found.setdefault(who, []).append(row)
    return dict(found)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str, corpus: CorpusDep) -> HTMLResponse:
    """One event: headline, dated evidence, summary, sources side by side, quotes by speaker."""
    event = corpus.event(event_id)
    if event is None:
        raise HTTPException(404, f"no event with id {event_id}")
    return render(
        request,
        "event.html",
        {
            "event": event,
            "label": _label(corpus, event),
            "date_link": _date_link(corpus, event),
            "summary": event.details.summary,
            "place": event.details.place,
            "conflicts": event.details.date_conflicts,
            "participants": [
                {"name": p, "entity": corpus.entity_for_name(p)} for p in event.participants
            ],
            "sources": _sources(corpus, event),
            "quotes": _quotes(corpus, event),
            "storyline": corpus.storyline(event.storyline),
            "entity_for_name": corpus.entity_for_name,
        },
    )


# -- entity --------------------------------------------------------------------------------
@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str, corpus: CorpusDep) -> HTMLResponse:
    """One entity: aliases with the evidence of each merge, its events, its quotes."""
    row = corpus.entity(entity_id)
    if row is None:
        raise HTTPException(404, f"no entity with id {entity_id}")
    articles = corpus.articles_of_entity(entity_id)
    return render(
        request,
        "entity.html",
        {
            "entity": row,
            "merges": _dicts(row.merges),
            "events": [
                {"id": e.id, "label": _label(corpus, e), "date": e.date}
                for e in corpus.events_of_entity(entity_id)
            ],
            "quotes": [quote_view(q) for q in corpus.quotes_of_entity(entity_id)],
            "articles": articles,
        },
    )


# -- article -------------------------------------------------------------------------------
def _spans(view: dict[str, Any], sentences: list[tuple[int, int]]) -> list[Span]:
    """Sentences outermost, then quotes, then entity mentions and time expressions."""
    spans = [
        Span(s, e, 0, "sent", attrs={"data-start": str(s), "data-end": str(e)})
        for s, e in sentences
    ]
    for q in view["quotes"]:
        who = (q.get("speaker") or {}).get("name") or "unattributed"
        spans.append(
            Span(q["start"], q["end"], 1, f"quote q-{q['kind']}", attrs={"title": f"quote — {who}"})
        )
    for m in view["entities"]:
        entity_id = (m.get("entity") or {}).get("entity_id")
        attrs = {"title": f"{m['label']}: {(m.get('entity') or {}).get('name') or m['key']}"}
        if entity_id:
            attrs["href"] = f"/entities/{quote(entity_id, safe='')}"
        spans.append(
            Span(
                m["start"],
                m["end"],
                2,
                f"ent ent-{m['label']}",
                tag="a" if entity_id else "span",
                attrs=attrs,
            )
        )
    for t in view["times"]:
        spans.append(
            Span(t["start"], t["end"], 2, "time", attrs={"title": f"{t['type']}: {t['value']}"})
        )
    return spans


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, corpus: CorpusDep) -> HTMLResponse:
    """One article's text with entities, times and quotes highlighted, each at its #c{start}."""
    view = verbs.article_detail(corpus.store, article_id)
    if view is None:
        raise HTTPException(404, f"no article with id {article_id}")
    found = corpus.store.enrichment(article_id)
    entities: dict[str, dict[str, Any]] = {}
    for m in view["entities"]:
        linked = m.get("entity") or {}
        key = linked.get("entity_id") or m["key"]
        entities.setdefault(
            key,
            {
                "name": linked.get("name") or m["key"],
                "id": linked.get("entity_id"),
                "label": m["label"],
                "start": m["start"],
                "count": 0,
            },
        )
        entities[key]["count"] += 1
    return render(
        request,
        "article.html",
        {
            "article": view,
            "body": highlight(view["text"], _spans(view, found.sentences if found else [])),
            "entities": sorted(entities.values(), key=lambda e: -int(e["count"])),
            "events": [
                {"id": e.id, "label": _label(corpus, e)}
                for e in corpus.events_of_article(article_id)
            ],
        },
    )


# -- search --------------------------------------------------------------------------------
@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    corpus: CorpusDep,
    q: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    """Events, articles and quotes holding every word of the query."""
    results = corpus.search(q, Filters()) if q.strip() else []
    grouped: dict[str, list[dict[str, Any]]] = {"event": [], "article": [], "quote": []}
    for hit in results:
        grouped[hit["type"]].append(hit["item"])
    return render(request, "search.html", {"q": q, "results": grouped, "total": len(results)})
