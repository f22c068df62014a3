"""Flat rows with stable, documented columns: what `--csv` listings and `storyline export` write.

Each table is a tuple of `Column`s (name, kind, meaning); a row is a dict with exactly those keys.
Kinds: `string` (may be empty), `int`, `bool` (true/false in CSV files) and `list` (a list of
strings; JSON text in CSV files).
The README's "Exports" section documents the same columns; a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from storyline.records import Article, Enrichment, Entity, Event, Storyline

__all__ = [
    "ARTICLES",
    "ENTITIES",
    "EVENTS",
    "QUOTES",
    "STORYLINES",
    "TABLES",
    "Column",
    "article_row",
    "entity_row",
    "event_row",
    "quote_rows",
    "short_id",
    "storyline_row",
]


@dataclass(frozen=True)
class Column:
    """One column of an exported table: its name, kind (string, int, bool, list) and meaning."""

    name: str
    kind: str
    doc: str


def _cols(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


EVENTS = _cols(
    ("id", "string", "event id"),
    ("date", "string", "the event's date (ISO, or a TimeML value such as 2019-03 or XXXX-03-06)"),
    ("date_precision", "string", "day, month or year"),
    ("date_evidence", "string", "the sentence or printed line the date was read from"),
    ("date_article", "string", "id of the article that sentence is in"),
    ("date_plausible", "bool", "false for a date no news event has (before 1800, far ahead)"),
    ("date_inferred", "string", "how the year was inferred, where it was not printed"),
    ("headline", "string", "a headline chosen from its reports"),
    ("summary", "string", "a short summary from its reports' sentences"),
    ("place", "string", "where it happened, when a report says"),
    ("participants", "list", "names of its main participants"),
    ("storyline_id", "string", "id of the storyline it continues, if any"),
    ("storyline", "string", "title of that storyline"),
    ("articles", "list", "ids of the articles that report it"),
    ("outlets", "list", "outlets of those articles"),
    ("sources", "list", "files or URLs those articles were read from"),
)

ARTICLES = _cols(
    ("id", "string", "article id (a hash of its normalized text)"),
    ("source", "string", "file (with :line for feeds) or URL it was read from"),
    ("format", "string", "text, html, jsonl, json or csv"),
    ("url", "string", "the article's own URL, when known"),
    ("outlet", "string", "publication name"),
    ("title", "string", "headline"),
    ("byline", "list", "authors"),
    ("dateline", "string", "dateline place"),
    ("language", "string", "ISO 639-1 code of the text's language, when it could be told"),
    ("published", "string", "publication date (ISO; empty when unknown)"),
    ("published_precision", "string", "day, month or year"),
    ("published_evidence", "string", "how the date was chosen (printed line, metadata, window)"),
    ("published_candidates", "list", "every date the printed text allows"),
    ("published_inferred", "string", "where no year is printed: the date inferred for it"),
    ("published_inference", "string", "how that date was inferred from the collection"),
    ("duplicate_of", "string", "id of the article this one is a near-copy of"),
    ("event_date", "string", "date of the happening it reports, as read in its text"),
    ("event_date_evidence", "string", "the sentence that date was read from"),
    ("event_date_start", "int", "character offset of that sentence in `text`"),
    ("event_date_end", "int", "end offset of that sentence in `text`"),
    ("text", "string", "the article body as stored"),
)

ENTITIES = _cols(
    ("id", "string", "canonical entity id"),
    ("name", "string", "canonical name"),
    ("type", "string", "PERSON, ORG, GPE, LOC, ..."),
    ("aliases", "list", "other spellings merged into it"),
    ("articles", "int", "number of articles naming it"),
    ("mentions", "int", "number of mentions across those articles"),
)

QUOTES = _cols(
    ("id", "string", "quote id (article id:start offset)"),
    ("article_id", "string", "article the quote is in"),
    ("source", "string", "file or URL of that article"),
    ("text", "string", "the quoted words"),
    ("kind", "string", "direct (quoted), indirect (reported speech), partial or title"),
    ("cue", "string", "the reporting verb (said, told, ...)"),
    ("speaker", "string", "speaker's canonical name (or the name as written)"),
    ("speaker_entity_id", "string", "speaker's canonical entity id"),
    ("start", "int", "character offset of the quote in the article's text"),
    ("end", "int", "end offset of the quote"),
    ("speaker_start", "int", "character offset of the speaker's name"),
    ("speaker_end", "int", "end offset of the speaker's name"),
    ("speaker_evidence", "string", "the sentence that names the speaker"),
)

STORYLINES = _cols(
    ("id", "string", "storyline id"),
    ("title", "string", "title from its main participants"),
    ("events", "list", "ids of its events in date order"),
    ("participants", "list", "names of its main participants"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "events": EVENTS,
    "articles": ARTICLES,
    "entities": ENTITIES,
    "quotes": QUOTES,
    "storylines": STORYLINES,
}


def short_id(value: str, width: int = 8) -> str:
    """An id cut to `width` characters after its kind prefix (ev-, sl-, e-), as git shortens hashes."""
    head, sep, tail = value.partition("-")
    if sep and head.isalpha() and len(head) <= 3:
        return f"{head}-{tail[:width]}"
    return value[:width]


def event_row(event: Event, storylines: Mapping[str, Storyline]) -> dict[str, Any]:
    """An event with its date's precision and evidence, storyline title and sources."""
    sources = event.details.sources
    story = storylines.get(event.storyline) if event.storyline else None
    date = event.date
    return {
        "id": event.id,
        "date": date.value if date else None,
        "date_precision": date.precision if date else None,
        "date_evidence": date.evidence if date else None,
        "date_article": date.article if date else None,
        "date_plausible": date.plausible if date else None,
        "date_inferred": date.inferred if date else None,
        "headline": event.headline,
        "summary": event.summary,
        "place": event.place,
        "participants": list(event.participants),
        "storyline_id": event.storyline,
        "storyline": story.title if story else None,
        "articles": list(event.articles),
        "outlets": sorted({s.outlet for s in sources if s.outlet}),
        "sources": [s.source for s in sources if s.source],
    }


def article_row(article: Article, enrichment: Enrichment | None) -> dict[str, Any]:
    """An article's metadata, publication date with its evidence, event time and text."""
    published = article.published
    when = enrichment.event_time if enrichment else None
    return {
        "id": article.id,
        "source": article.source,
        "format": article.metadata.get("format"),
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "byline": list(article.byline),
        "dateline": article.dateline,
        "language": article.language,
        "published": published.date,
        "published_precision": published.precision,
        "published_evidence": published.evidence,
        "published_candidates": list(published.candidates),
        "published_inferred": published.inferred,
        "published_inference": published.inference,
        "duplicate_of": article.duplicate_of,
        "event_date": when.value if when else None,
        "event_date_evidence": when.evidence if when else None,
        "event_date_start": when.start if when else None,
        "event_date_end": when.end if when else None,
        "text": article.text,
    }


def entity_row(entity: Entity) -> dict[str, Any]:
    """A canonical entity as the store lists it, aliases without its own name."""
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": [a for a in entity.aliases if a != entity.name],
        "articles": entity.articles,
        "mentions": entity.mentions,
    }


def quote_rows(
    article: Article,
    enrichment: Enrichment | None,
    *,
    links: Mapping[tuple[str, str], str],
    names: Mapping[str, str],
) -> Iterator[dict[str, Any]]:
    """Each quote of one article with its speaker resolved to a canonical entity, spans kept."""
    for q in enrichment.quotes if enrichment else ():
        entity_id = links.get((article.id, q.speaker)) if q.speaker else None
        yield {
            "id": f"{article.id}:{q.start}",
            "article_id": article.id,
            "source": article.source,
            "text": q.text,
            "kind": q.kind,
            "cue": q.cue,
            "speaker": names.get(entity_id, q.speaker) if entity_id else q.speaker,
            "speaker_entity_id": entity_id,
            "start": q.start,
            "end": q.end,
            "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end,
            "speaker_evidence": q.speaker_evidence,
        }


def storyline_row(storyline: Storyline) -> dict[str, Any]:
    """A storyline with its events and participants."""
    return {
        "id": storyline.id,
        "title": storyline.title,
        "events": list(storyline.events),
        "participants": list(storyline.participants),
    }


def names_of(entities: Iterable[Entity]) -> dict[str, str]:
    """Entity id to canonical name, from the store's entities."""
    return {e.id: e.name for e in entities}
