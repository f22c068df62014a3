"""What an event holds: headline, summary, place, participants, sources, quotes and framing.

A pure function over records (no store) so the link stage, the timeline and the web app can
all call it. Every fact it states keeps the article id and character span it came from.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import PurePath

from storyline.read.language import main_language
from storyline.records import (
    Article,
    Enrichment,
    Event,
    Framed,
    KeyQuote,
    Mention,
    PlaceEvidence,
    Quote,
    Source,
    SpeakerQuotes,
    SummarySentence,
)
from storyline.tell.framing import outlet_framing
from storyline.tell.summary import article_sentences, choose_headline, clean_title, summarize

__all__ = ["describe_event", "outlet_name", "storyline_title"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PARTICIPANT_LABELS = frozenset({"PERSON", "ORG"})
MAX_PARTICIPANTS = 6
PARTICIPANT_FLOOR = 0.34  # of the top participant's salience
MAX_SPEAKERS, QUOTES_PER_SPEAKER = 5, 3
LEAD_CHARS = 400
_PLACE_CUE = re.compile(r"\b(?:in|at|near|outside|inside|from)\s+(?:the\s+)?$", re.IGNORECASE)

EntityIds = Mapping[tuple[str, str], str]


def outlet_name(article: Article) -> str:
    """The outlet an article is credited to: its own, else its source file's name."""
    if article.outlet:
        return article.outlet
    return PurePath(article.source).name or article.source or article.id


# "(Agency) -" opening a story, or "(Agency)" / "- Agency" closing it: a wire credit.
_CREDIT_BEFORE = re.compile(r"\(\s*$")
_CREDIT_AFTER = re.compile(r"^\s*\)\s*(?:[-–—]|$)|^\s*$")


_CREDIT_WORDS = 8
"""At most this many other words on a photo-credit line ("Name/Agency", "Photo: A/B")."""


def _fold(name: str) -> str:
    """A name compared as an outlet: case, a leading "the" and a web domain's ending ignored."""
    folded = " ".join(name.casefold().split())
    folded = folded.removeprefix("the ").removeprefix("www.")
    return re.sub(r"\.(?:com|net|org|news|co|[a-z]{2})(?:\.[a-z]{2})?$", "", folded)


def _source_names(
    articles: Sequence[Article],
    enrichments: Mapping[str, Enrichment],
    entity_ids: EntityIds,
    entity_names: Mapping[str, str],
    outlets: Iterable[str],
) -> set[str]:
    """Names that credit reports rather than take part: the outlets of every article known
    (`outlets`: the members' and those of the articles the caller read, so a news agency the
    store holds reports from is never a participant) and the names a story credits as its wire
    source ("(Agency) -" at its start, "(Agency)" ending a line) or in a photo credit
    ("Name/Agency"). Each counts for every article of the event."""
    names = {_fold(o) for o in outlets} | {_fold(a.outlet) for a in articles if a.outlet}
    for article in articles:
        enrichment = enrichments.get(article.id)
        for m in enrichment.mentions if enrichment else ():
            line_start = article.text.rfind("\n", 0, m.start) + 1
            line_end = article.text.find("\n", m.end)
            before = article.text[line_start : m.start]
            after = article.text[m.end : len(article.text) if line_end < 0 else line_end]
            credited = bool(_CREDIT_BEFORE.search(before) and _CREDIT_AFTER.match(after))
            slashed = "/" in m.text or before.rstrip().endswith("/") or after.startswith("/")
            short = len(f"{before} {after}".split()) <= _CREDIT_WORDS
            if credited or (slashed and short):
                names.add(_fold(m.text))
                names.add(_fold(_canonical(article.id, m.key, entity_ids, entity_names)))
    return names


def _canonical(
    article_id: str, key: str, entity_ids: EntityIds, entity_names: Mapping[str, str]
) -> str:
    entity_id = entity_ids.get((article_id, key))
    return entity_names.get(entity_id, key) if entity_id else key


def _sources(articles: Sequence[Article]) -> tuple[Source, ...]:
    return tuple(
        Source(
            article=a.id,
            outlet=outlet_name(a),
            title=clean_title(a.title, outlet=a.outlet) if a.title else None,
            published=a.published.date,
            precision=a.published.precision,
            source=a.source,
            url=a.url,
        )
        for a in articles
    )


def _lead_end(article: Article, enrichment: Enrichment | None) -> int:
    if enrichment is not None and len(enrichment.sentences) >= 2:
        return enrichment.sentences[1][1]
    return LEAD_CHARS


def _place(
    articles: Sequence[Article],
    enrichments: Mapping[str, Enrichment],
    entity_ids: EntityIds,
    entity_names: Mapping[str, str],
) -> PlaceEvidence | None:
    """Where the event happened, by tiers of evidence rather than by raw counts.

    Countries are named all through a story, so counting mentions picks "Russia"; what a
    report says of where things happened sits in the lead after "in"/"at", in the title
    ("... in Moscow") and in the dateline. Those signals rank first, "in X" later in the
    text second, plain mentions last.
    """
    score: defaultdict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    evidence: dict[tuple[str, int], PlaceEvidence] = {}

    def note(name: str, tier: int, article: str, span: tuple[int, int] | None, how: str) -> None:
        score[name][tier] += 1.0
        start, end = span or (None, None)
        evidence.setdefault((name, tier), PlaceEvidence(name, article, how, start, end))

    for article in articles:
        enrichment = enrichments.get(article.id)
        mentions = [m for m in enrichment.mentions if m.label in PLACE_LABELS] if enrichment else []
        lead = _lead_end(article, enrichment)
        known: dict[str, str] = {}
        for m in mentions:
            name = _canonical(article.id, m.key, entity_ids, entity_names)
            known[m.text.casefold()] = known[name.casefold()] = name
            located = bool(_PLACE_CUE.search(article.text, max(0, m.start - 12), m.start))
            tier = 2 if not located else 0 if m.start < lead else 1
            note(name, tier, article.id, (m.start, m.end), "text")
        for surface, name in known.items():
            if article.title and re.search(
                rf"\b(?:in|at)\s+(?:the\s+)?{re.escape(surface)}\b", article.title, re.I
            ):
                note(name, 0, article.id, None, "title")
        if article.dateline:
            printed = article.dateline.split(",")[0].strip()
            name = known.get(printed.casefold(), printed.title() if printed.isupper() else printed)
            at = article.text.find(article.dateline)
            span = (at, at + len(article.dateline)) if at >= 0 else None
            note(name, 0, article.id, span, "dateline")
    if not score:
        return None
    best = max(score, key=lambda n: (*score[n], -len(n)))
    return next(evidence[(best, t)] for t in range(3) if (best, t) in evidence)


def _label(
    article_id: str, mention: Mention, entity_ids: EntityIds, entity_types: Mapping[str, str]
) -> str:
    """A mention's type: its entity's, decided over the store, else the mention's own label."""
    return entity_types.get(entity_ids.get((article_id, mention.key), ""), mention.label)


def _participants(
    articles: Sequence[Article],
    enrichments: Mapping[str, Enrichment],
    entity_ids: EntityIds,
    entity_names: Mapping[str, str],
    entity_types: Mapping[str, str],
    outlets: Iterable[str],
) -> list[tuple[str, str]]:
    """(canonical name, label) of the most salient people and organisations, most salient first.

    Salience sums, per article, 1 + log(mentions), plus a bonus for the lead and the title,
    so a name every article carries outranks one a single article repeats. A mention counts
    with its entity's type as decided over the whole store (`entity_types`, by entity id),
    so a place the model called a person in one article takes no part.
    """
    salience: defaultdict[str, float] = defaultdict(float)
    labels: dict[str, Counter[str]] = {}
    sources = _source_names(articles, enrichments, entity_ids, entity_names, outlets)
    for article in articles:
        enrichment = enrichments.get(article.id)
        if enrichment is None:
            continue
        lead = _lead_end(article, enrichment)
        title = (article.title or "").casefold()
        counts: Counter[str] = Counter()
        in_lead: set[str] = set()
        for m in enrichment.mentions:
            label = _label(article.id, m, entity_ids, entity_types)
            if label not in PARTICIPANT_LABELS:
                continue
            name = _canonical(article.id, m.key, entity_ids, entity_names)
            if _fold(name) in sources or _fold(m.text) in sources:
                continue
            counts[name] += 1
            labels.setdefault(name, Counter())[label] += 1
            if m.start < lead or m.text.casefold() in title:
                in_lead.add(name)
        for name, n in counts.items():
            salience[name] += 1.0 + math.log(n) + (0.5 if name in in_lead else 0.0)
    if not salience:
        return []
    top = max(salience.values())
    ranked = sorted(salience, key=lambda n: (-salience[n], n))
    return [
        (name, labels[name].most_common(1)[0][0])
        for name in ranked[:MAX_PARTICIPANTS]
        if salience[name] >= PARTICIPANT_FLOOR * top
    ]


def _quotes(
    articles: Sequence[Article],
    enrichments: Mapping[str, Enrichment],
    entity_ids: EntityIds,
    entity_names: Mapping[str, str],
    people: Collection[str],
) -> tuple[SpeakerQuotes, ...]:
    """Direct quotations grouped by canonical speaker, busiest speakers first, repeats dropped.

    A speaker no entity stands for ("Varga", "PM Varga" where the article names no one so)
    is the event's one person of that surname, if there is exactly one; the quote keeps the
    name as written."""
    grouped: dict[str, list[KeyQuote]] = {}
    seen: dict[str, list[set[str]]] = {}
    for article in articles:
        enrichment = enrichments.get(article.id)
        for q in enrichment.quotes if enrichment else []:
            if q.kind != "direct" or not q.speaker:
                continue
            speaker = _canonical(article.id, q.speaker, entity_ids, entity_names)
            written = None
            if (article.id, q.speaker) not in entity_ids and speaker not in people:
                same = [p for p in people if p.split()[-1] == speaker.split()[-1]]
                if len(same) == 1:
                    speaker, written = same[0], q.speaker
            words = set(re.findall(r"\w+", q.text.casefold()))
            earlier = seen.setdefault(speaker, [])
            if any(len(words & w) / max(1, len(words | w)) > 0.7 for w in earlier):
                continue
            earlier.append(words)
            view = replace(_quote_view(article, q), written=written)
            grouped.setdefault(speaker, []).append(view)
    ranked = sorted(grouped.items(), key=lambda item: -len(item[1]))[:MAX_SPEAKERS]
    return tuple(
        SpeakerQuotes(speaker, tuple(said[:QUOTES_PER_SPEAKER])) for speaker, said in ranked
    )


def _people(
    articles: Sequence[Article],
    enrichments: Mapping[str, Enrichment],
    entity_ids: EntityIds,
    entity_names: Mapping[str, str],
    entity_types: Mapping[str, str],
) -> set[str]:
    """The canonical names of every person the event's articles mention."""
    return {
        _canonical(article.id, m.key, entity_ids, entity_names)
        for article in articles
        if (enrichment := enrichments.get(article.id)) is not None
        for m in enrichment.mentions
        if _label(article.id, m, entity_ids, entity_types) == "PERSON"
    }


def _quote_view(article: Article, quote: Quote) -> KeyQuote:
    return KeyQuote(article.id, outlet_name(article), quote.start, quote.end, quote.text, quote.cue)


def _framing(
    articles: Sequence[Article],
    enrichments: Mapping[str, Enrichment],
    people: Sequence[str],
    entity_ids: EntityIds,
    entity_names: Mapping[str, str],
) -> dict[str, dict[str, tuple[Framed, ...]]]:
    """Per person, per outlet: the distinct phrases the outlet's articles use for the person."""
    found = [
        (_canonical(article.id, d.key, entity_ids, entity_names), outlet_name(article), article, d)
        for article in articles
        if (enrichment := enrichments.get(article.id)) is not None
        for d in enrichment.descriptors
    ]
    return outlet_framing(people, found)


def _published_order(article: Article) -> tuple[str, str]:
    return (article.published.date or "9999", article.id)


def _in_main_language(members: Sequence[Article]) -> list[Article]:
    """The members in the language most of them are in (and those of unknown language): an
    event reported in several languages is told in one, and the English model reads names
    out of other languages poorly ("Dopo", "Il" as people)."""
    main = main_language(a.language for a in members)
    if main is None:
        return list(members)
    return [a for a in members if a.language in (main, None)]


def describe_event(
    event: Event,
    *,
    articles: Mapping[str, Article],
    enrichments: Mapping[str, Enrichment],
    entity_ids: EntityIds,
    entity_names: Mapping[str, str],
    entity_types: Mapping[str, str] | None = None,
) -> Event:
    """A copy of `event` with headline, summary, place, participants and details filled.

    `entity_ids` maps (article id, mention key) to a canonical entity id, `entity_names` that
    id to its name and `entity_types` to its type decided over the store (a mention's own
    label stands in where none is given); articles or enrichments missing are skipped.
    """
    members = sorted((articles[a] for a in event.articles if a in articles), key=_published_order)
    readable = _in_main_language(members)
    order = [a.id for a in readable]
    sentences = [s for a in readable for s in article_sentences(a, enrichments.get(a.id))]
    titles = {a.id: clean_title(a.title, outlet=a.outlet) for a in readable if a.title}
    headline = choose_headline(titles, sentences)
    quotes = {a.id: enrichments[a.id].quotes for a in members if a.id in enrichments}
    picked = summarize(sentences, quotes=quotes, order=order)
    if headline is None and picked:
        headline = (picked[0].article, picked[0].text)
    place = _place(members, enrichments, entity_ids, entity_names)
    types = entity_types or {}
    outlets = {a.outlet for a in articles.values() if a.outlet}
    participants = _participants(readable, enrichments, entity_ids, entity_names, types, outlets)
    people = [name for name, label in participants if label == "PERSON"]
    everyone = _people(members, enrichments, entity_ids, entity_names, types)
    details = replace(
        event.details,
        described=True,
        sources=_sources(members),
        quotes=_quotes(members, enrichments, entity_ids, entity_names, everyone),
        framing=_framing(members, enrichments, people, entity_ids, entity_names),
        headline_from=headline[0] if headline else None,
        summary=tuple(SummarySentence(s.article, s.start, s.end, s.text) for s in picked),
        place=place,
    )
    return replace(
        event,
        articles=list(event.articles),
        headline=headline[1] if headline else event.headline,
        summary=" ".join(s.text for s in picked) or event.summary,
        place=place.name if place else event.place,
        participants=[name for name, _ in participants] or list(event.participants),
        details=details,
    )


def storyline_title(events: Sequence[Event]) -> str:
    """A storyline's name from the people and bodies its events share, else its first headline."""
    weight: defaultdict[str, float] = defaultdict(float)
    for event in events:
        for rank, name in enumerate(event.participants[:4]):
            weight[name] += 1.0 / (1 + rank)
    if weight:
        return " and ".join(sorted(weight, key=lambda n: -weight[n])[:2])
    for event in events:
        if event.headline:
            return event.headline
    return "Untitled storyline"
