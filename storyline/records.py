"""Typed records that move forward through the flow: read -> enrich -> link -> tell.

Every record that states a fact carries the character span it came from, so a page or
an export can point back to the sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "Article",
    "DateConflict",
    "Descriptor",
    "Enrichment",
    "Entity",
    "Event",
    "EventDate",
    "EventDetails",
    "EventSubject",
    "EventTime",
    "Failure",
    "FetchState",
    "Framed",
    "KeyQuote",
    "Mention",
    "PlaceEvidence",
    "PubDate",
    "Published",
    "Quote",
    "QuoteRecord",
    "Source",
    "Speaker",
    "SpeakerQuotes",
    "Storyline",
    "SummarySentence",
    "TimeExpr",
    "details_data",
    "details_from",
    "to_dict",
]


@dataclass(frozen=True)
class Published:
    """When an article was published, with every candidate the printed text allows."""

    date: str | None = None
    precision: str | None = None
    candidates: tuple[str, ...] = ()
    evidence: str | None = None
    # Where no year is printed (`date` stays None): the date chosen from the collection's
    # dated articles, and how it was chosen.
    inferred: str | None = None
    inference: str | None = None


@dataclass(frozen=True)
class PubDate:
    """A publication date as the days it may be: one day, or a whole month or year.

    `first` and `last` bound it (inclusive); `day` is the date only when it is known to the day,
    so code that needs a day never reads the first of a month as one.
    """

    first: dt.date
    last: dt.date
    precision: str
    inferred: bool = False

    @property
    def day(self) -> dt.date | None:
        return self.first if self.precision == "day" else None

    @property
    def value(self) -> str:
        """The ISO form at its own precision: 2016-10-05, 2016-10 or 2016."""
        return self.first.isoformat()[: {"day": 10, "month": 7}.get(self.precision, 4)]


@dataclass
class Article:
    """One article as read from a file, record or request, before any NLP."""

    id: str
    source: str
    text: str
    raw: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    byline: list[str] = field(default_factory=list)
    dateline: str | None = None
    published: Published = field(default_factory=Published)
    duplicate_of: str | None = None
    # ISO 639-1 code of the text's language, None where too little text to tell.
    language: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """Why one stage (read, enrich, link, describe) could not handle an article, and which
    pipeline version tried: the article stays stored, and an upgrade tries it again."""

    article_id: str
    stage: str
    reason: str
    pipeline: str


@dataclass(frozen=True)
class Mention:
    """A named-entity mention; `key` is the article-level name it resolves to."""

    start: int
    end: int
    text: str
    label: str
    key: str


@dataclass(frozen=True)
class TimeExpr:
    """A time expression normalized to an interval (ISO dates, inclusive) and a TimeML value."""

    start: int
    end: int
    text: str
    type: str
    value: str
    granularity: str | None = None
    begin: str | None = None
    end_date: str | None = None


@dataclass(frozen=True)
class Quote:
    """A quotation with its cue and the article-level name of its speaker."""

    start: int
    end: int
    text: str
    kind: str
    cue: str | None = None
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    # The sentence that names the speaker (for "he said", the one naming whom "he" stands for).
    speaker_evidence: str | None = None


@dataclass(frozen=True)
class EventTime:
    """The date of the main happening an article reports, with the sentence it came from."""

    value: str
    precision: str
    evidence: str
    start: int
    end: int


@dataclass(frozen=True)
class Descriptor:
    """A phrase an article uses for a person ("the unelected leader of X"), with its sentence.

    `key` is the person's article-level name; `kind` says how the phrase is attached
    (apposition, title before the name, predicate noun); `quoted` marks scare quotes in it.
    """

    key: str
    text: str
    kind: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    quoted: bool = False


@dataclass
class Enrichment:
    """Everything the NLP stage found in one article."""

    article_id: str
    pipeline: str
    mentions: list[Mention] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    event_time: EventTime | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    descriptors: list[Descriptor] = field(default_factory=list)


@dataclass
class Entity:
    """A canonical entity across the store, with its aliases and the evidence of each merge.

    `labels` counts the model's label for each mention and `cues` what the text around them
    says (a person, not a person); `evidence` keeps examples of those cues, and the type is
    decided from both. `articles` and `mentions` are the store's counts, kept as it changes.
    """

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)
    cues: dict[str, int] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    articles: int = 0
    mentions: int = 0


@dataclass(frozen=True)
class EventDate:
    """An event's date and the article and printed text it was taken from.

    `plausible` is False for a date no news event has (before 1800, or over a year ahead):
    kept, since the text says it, but flagged rather than accepted silently.
    """

    value: str
    precision: str
    evidence: str
    article: str
    plausible: bool = True
    # Where the year came from a publication date that was itself inferred: how.
    inferred: str | None = None


@dataclass(frozen=True)
class DateConflict:
    """A date one member article states that the event's date does not agree with."""

    value: str
    precision: str
    article: str
    evidence: str


@dataclass(frozen=True)
class Source:
    """One article of an event as its sources list shows it."""

    article: str
    outlet: str
    title: str | None = None
    published: str | None = None
    precision: str | None = None
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class KeyQuote:
    """A direct quotation an event shows, with where it was printed. `written` is the speaker
    as the article names it where the event's one person of that surname stands for it."""

    article: str
    outlet: str
    start: int
    end: int
    text: str
    cue: str | None = None
    written: str | None = None


@dataclass(frozen=True)
class SpeakerQuotes:
    """One speaker's key quotes in an event."""

    speaker: str
    quotes: tuple[KeyQuote, ...]


@dataclass(frozen=True)
class Framed:
    """A phrase an outlet uses for a person (`count` times in the event), as first read: its
    span, how it is attached (`kind`, see Descriptor), scare quotes, and its sentence."""

    text: str
    article: str
    start: int
    end: int
    count: int = 1
    kind: str | None = None
    quoted: bool = False
    sentence_start: int | None = None
    sentence_end: int | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class SummarySentence:
    """A sentence of an event's summary and where it was read."""

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class PlaceEvidence:
    """Where an event's place was read: a span of an article, or its title or dateline (`how`)."""

    name: str
    article: str
    how: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class EventDetails:
    """What the link stage found for an event's date and the describe step for its page.

    The date fields are set when an event is linked; the rest when it is described (once, at
    link time; `described` says it was). `quotes` keeps the busiest speakers first and
    `framing` maps a person to outlets to the phrases each wrote.
    """

    date_support: tuple[str, ...] = ()
    date_conflicts: tuple[DateConflict, ...] = ()
    date_inherited: Mapping[str, str] = field(default_factory=dict)
    described: bool = False
    sources: tuple[Source, ...] = ()
    quotes: tuple[SpeakerQuotes, ...] = ()
    framing: Mapping[str, Mapping[str, tuple[Framed, ...]]] = field(default_factory=dict)
    headline_from: str | None = None
    summary: tuple[SummarySentence, ...] = ()
    place: PlaceEvidence | None = None


@dataclass
class Event:
    """One real-world happening and every article that reports it."""

    id: str
    articles: list[str]
    date: EventDate | None = None
    headline: str | None = None
    summary: str | None = None
    place: str | None = None
    participants: list[str] = field(default_factory=list)
    storyline: str | None = None
    details: EventDetails = field(default_factory=EventDetails)
    # When the store last wrote this event (ISO time, UTC); None before it is stored.
    updated: str | None = None


@dataclass(frozen=True)
class EventSubject:
    """What an event is about, for storylines: its core participants (canonical ids, most
    salient first), their display names, and its summed term weights."""

    core: tuple[str, ...]
    names: Mapping[str, str]
    terms: Mapping[str, float]


@dataclass(frozen=True)
class Speaker:
    """Who a stored quote is attributed to: the canonical name and entity where one is known."""

    name: str
    entity_id: str | None = None


@dataclass(frozen=True)
class QuoteRecord:
    """A quote as the store lists it: where it is, what it says and who said it."""

    id: str
    article: str
    source: str | None
    text: str
    speaker: Speaker | None
    cue: str | None
    kind: str
    start: int
    end: int
    # The sentence that names the speaker.
    evidence: str | None = None


@dataclass
class Storyline:
    """Events that continue one story, in date order."""

    id: str
    title: str
    events: list[str]
    participants: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FetchState:
    """What was last fetched from a URL: its validators for conditional requests and outcome.

    `fetched_at` is an ISO timestamp (UTC); `article_id` the article read there, if any.
    """

    url: str
    status: int
    fetched_at: str
    etag: str | None = None
    last_modified: str | None = None
    article_id: str | None = None


def to_dict(record: Any) -> dict[str, Any]:
    """A record as plain JSON-ready data."""
    data: dict[str, Any] = asdict(record)
    return data


def details_data(details: EventDetails) -> dict[str, Any]:
    """An event's details as JSON-ready data, in the shape the store and the API keep."""
    data: dict[str, Any] = {
        "date_support": list(details.date_support),
        "date_conflicts": [asdict(c) for c in details.date_conflicts],
    }
    if details.date_inherited:
        data["date_inherited"] = dict(details.date_inherited)
    if not details.described:
        return data
    place = details.place
    return {
        **data,
        "sources": [asdict(s) for s in details.sources],
        "quotes": {q.speaker: [asdict(x) for x in q.quotes] for q in details.quotes},
        "framing": {
            person: {outlet: [asdict(f) for f in found] for outlet, found in outlets.items()}
            for person, outlets in details.framing.items()
        },
        "headline_from": details.headline_from,
        "summary_sentences": [asdict(s) for s in details.summary],
        "place_evidence": None
        if place is None
        else {
            "name": place.name,
            "article": place.article,
            "start": place.start,
            "end": place.end,
            "from": place.how,
        },
    }


def details_from(data: Mapping[str, Any]) -> EventDetails:
    """Details back from `details_data`'s shape; an event stored undescribed has no `sources`."""
    place = data.get("place_evidence")
    quotes = data.get("quotes") or {}
    return EventDetails(
        date_support=tuple(data.get("date_support", ())),
        date_conflicts=tuple(DateConflict(**c) for c in data.get("date_conflicts", ())),
        date_inherited=dict(data.get("date_inherited") or {}),
        described="sources" in data,
        sources=tuple(Source(**s) for s in data.get("sources", ())),
        quotes=tuple(
            SpeakerQuotes(speaker, tuple(KeyQuote(**x) for x in said))
            for speaker, said in sorted(quotes.items(), key=lambda item: -len(item[1]))
        ),
        framing={
            person: {outlet: tuple(Framed(**f) for f in found) for outlet, found in outlets.items()}
            for person, outlets in (data.get("framing") or {}).items()
        },
        headline_from=data.get("headline_from"),
        summary=tuple(SummarySentence(**s) for s in data.get("summary_sentences", ())),
        place=None
        if not place
        else PlaceEvidence(
            name=place["name"],
            article=place["article"],
            how=place["from"],
            start=place.get("start"),
            end=place.get("end"),
        ),
    )
