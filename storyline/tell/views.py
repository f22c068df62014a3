"""The JSON shape of each record, shared by the CLI's --json, the HTTP API and the exports."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from storyline.records import (
    Article,
    Enrichment,
    Entity,
    Event,
    QuoteRecord,
    Storyline,
    details_data,
)

__all__ = [
    "article_summary",
    "article_view",
    "entity_names",
    "entity_view",
    "event_view",
    "quote_view",
    "storyline_view",
]


def article_summary(article: Article) -> dict[str, Any]:
    """An article's fields as every listing prints them."""
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "byline": list(article.byline),
        "dateline": article.dateline,
        "published": {
            "date": article.published.date,
            "precision": article.published.precision,
            "candidates": list(article.published.candidates),
            "evidence": article.published.evidence,
            "inferred": article.published.inferred,
            "inference": article.published.inference,
        },
        "text": article.text,
        "duplicate_of": article.duplicate_of,
        "language": article.language,
    }


def article_view(
    article: Article,
    enrichment: Enrichment | None,
    *,
    entity_ids: dict[str, str],
    entity_names: dict[str, str],
) -> dict[str, Any]:
    """One article with what was read in it; `entity_ids` maps its mention keys to entities."""
    view = article_summary(article)
    view["raw"] = article.raw
    view["metadata"] = article.metadata
    if enrichment is None:
        view.update(entities=[], times=[], quotes=[], event_time=None, pipeline=None)
        return view

    def entity(key: str | None) -> dict[str, Any] | None:
        if not key:
            return None
        eid = entity_ids.get(key)
        return {"name": entity_names.get(eid, key) if eid else key, "entity_id": eid}

    view["entities"] = [{**asdict(m), "entity": entity(m.key)} for m in enrichment.mentions]
    view["times"] = [asdict(t) for t in enrichment.times]
    view["quotes"] = [
        {**asdict(q), "speaker": entity(q.speaker), "speaker_text": q.speaker}
        for q in enrichment.quotes
    ]
    et = enrichment.event_time
    view["event_time"] = (
        {
            "value": et.value,
            "precision": et.precision,
            "evidence": et.evidence,
            "start": et.start,
            "end": et.end,
        }
        if et
        else None
    )
    view["pipeline"] = enrichment.pipeline
    return view


def entity_names(entity: Entity) -> set[str]:
    """Every name an entity answers to (its name and aliases), case-folded for matching."""
    return {str(n).casefold() for n in [entity.name, *entity.aliases]}


def entity_view(entity: Entity) -> dict[str, Any]:
    """An entity as the entities listing prints it: counts, aliases, merges and type evidence."""
    return asdict(entity)


def event_view(event: Event) -> dict[str, Any]:
    """An event as the events listing prints it."""
    details = details_data(event.details)
    return {
        "id": event.id,
        "date": asdict(event.date) if event.date else None,
        "headline": event.headline,
        "summary": event.summary,
        "place": event.place,
        "participants": list(event.participants),
        "articles": list(event.articles),
        "sources": details.pop("sources", []),
        "storyline": event.storyline,
        **details,
    }


def storyline_view(storyline: Storyline) -> dict[str, Any]:
    """A storyline as the storylines listing prints it."""
    return asdict(storyline)


def quote_view(quote: QuoteRecord) -> dict[str, Any]:
    """A stored quote as the quotes listing prints it, its speaker resolved."""
    return asdict(quote)
