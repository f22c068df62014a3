"""What the linker knows about one article, and the pairwise features the scorer weighs.

Everything a same-event decision needs is boiled down once per article into a `Profile`
(term counts, salient canonical entities, places, dates), so scoring a pair never goes
back to the text. All features live here, in one list, so training and linking agree.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storyline.enrich.timex_calendar import MONTHS, WEEKDAYS
from storyline.read.dates import publication_candidates, publication_date
from storyline.records import Article, Enrichment

__all__ = [
    "FEATURES",
    "FEATURE_SIGNS",
    "MAIN_SHARE",
    "METADATA_FEATURES",
    "SAME_HAPPENING_DAYS",
    "DocFreq",
    "Profile",
    "cosine",
    "day_vote",
    "fold",
    "marks",
    "names_day",
    "pair_features",
    "parse_date",
    "profile",
    "same_occurrence",
    "tokens",
]

# Each feature with the direction it may push the same-event score: similarities and
# agreements up, clashes and gaps down. Training keeps every weight on its side, so two
# overlapping features cannot cancel into a weight that reads backwards.
FEATURE_SIGNS: dict[str, int] = {
    "body_cos": 1,
    "title_cos": 1,
    "title_body_cos": 1,
    "entity_cos": 1,
    "person_cos": 1,
    "place_cos": 1,
    "number_cos": 1,
    "top_entity": 1,
    "lead_cos": 1,
    "person_clash": -1,
    "text_year_gap": -1,
    "time_agree": 1,
    "time_gap": -1,
    "phrase_overlap": 1,
    "quote_match": 1,
    "day_overlap": 1,
    "year_overlap": 1,
    "pub_gap": -1,
}
FEATURES: tuple[str, ...] = tuple(FEATURE_SIGNS)
# Features whose absence tells how a corpus was collected (with publication dates or
# without), not how two reports relate: a missing one moves the score neither way. (In
# ECB+ the date lines mark one of its two collections, which a free weight would learn.)
METADATA_FEATURES = frozenset({"pub_gap"})

_MARK_WORD = re.compile(r"[^\W\d_]+")
_MARK_NUMBER = re.compile(r"(?<![\d.,:])\d+(?:[.,]\d+)?(?![\d:])")
# Name words shorter than this are as often a capitalised article or pronoun ("Il", "Der").
_MARK_LENGTH = 4
_TOKEN = re.compile(r"[a-z][a-z'\-]+[a-z]|\d+(?:\.\d+)?")
_CASED = re.compile(r"[A-Za-z][A-Za-z'\-]+[A-Za-z]|\d+(?:\.\d+)?")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told", "according", "reported"}
_PLACES = frozenset({"GPE", "LOC", "FAC"})
_ENTITY_LABELS = frozenset({"ORG", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
_LEVEL_WEIGHT = {1: 0.25, 2: 0.5, 3: 1.0}
# Entities named in the headline or lead are what the article is about; later ones are context.
_LEAD_BOOST = 2.0
_LEAD_SENTENCES = 2
# A person holding this share of an article's person mentions is one of its main actors.
MAIN_SHARE = 0.2
# A quotation this long (in content words) is a statement, not a scare-quoted phrase.
_QUOTE_WORDS = 6
# Two quotations sharing this share of their content words render one statement.
_SAME_QUOTE = 0.5
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")
_WEEKDAY = re.compile(r"XXXX-WXX-([1-7])(?!\d)")


def tokens(text: str) -> list[str]:
    """Lower-cased content words and numbers; numbers matter (tolls, magnitudes, scores).
    Accents are folded, so a name reads alike in every spelling (Erdoğan, Erdogan)."""
    return [
        t
        for t in _TOKEN.findall(fold(text.lower()))
        if (t not in _STOP and len(t) > 2) or t.isdigit()
    ]


def fold(text: str) -> str:
    """`text` without its accents and other combining marks."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def marks(text: str, names: Iterable[str]) -> frozenset[str]:
    """What a report shares with reports of its event in any language: the words of the
    names it mentions (split at apostrophes, where some languages join case endings) and the
    numbers in its text (a decimal comma read as a point; whole numbers under 100 are too
    common, as days and counts, to tell anything apart)."""
    words = {
        w
        for name in names
        for w in _MARK_WORD.findall(fold(name.lower()))
        if len(w) >= _MARK_LENGTH
    }
    numbers = {
        n.replace(",", ".") for n in _MARK_NUMBER.findall(text) if len(n) > 2 or not n.isdigit()
    }
    return frozenset(words | numbers)


def parse_date(value: str | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a TimeML-like value; unknown parts (XXXX, missing) are None."""
    if not value:
        return (None, None, None)
    parts = value.split("T")[0].split("-")
    out: list[int | None] = []
    for part in parts[:3]:
        out.append(int(part) if part.isdigit() else None)
    while len(out) < 3:
        out.append(None)
    return (out[0], out[1], out[2])


@dataclass
class Profile:
    """One article as the linker sees it."""

    id: str
    terms: Counter[str]
    title: Counter[str]
    entities: dict[str, float]
    persons: dict[str, float]
    places: dict[str, float]
    event_time: tuple[str, str] | None = None
    # Whether the event time's words name a calendar day (a weekday, a month, a numeric date)
    # rather than only point at the publication day ("today", "tonight", "7:00pm").
    event_day_named: bool = False
    # ISO 639-1 code of the text's language (None where unknown), and its language-free
    # evidence: name words and numbers (see `marks`).
    language: str | None = None
    marks: frozenset[str] = frozenset()
    days: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()
    # ISO weekdays (1 = Monday) the text names ("on Thursday"), for undated reports.
    weekdays: frozenset[int] = frozenset()
    published: dt.date | None = None
    # Where the publication day is unknown: the last day of each date (month, year) it may be.
    publication_candidates: tuple[dt.date, ...] = ()
    lead: Counter[str] = field(default_factory=Counter)
    text_years: frozenset[int] = frozenset()
    names: dict[str, str] = field(default_factory=dict)
    phrases: frozenset[str] = frozenset()
    quotes: tuple[frozenset[str], ...] = ()


_NUMERIC_DATE = re.compile(r"\d{1,4}\s?[/.-]\s?\d{1,2}")


def names_day(expression: str) -> bool:
    """Whether a time expression names its day in calendar terms (a weekday, a month, a
    numeric date) rather than only by pointing at the moment of writing."""
    words = re.findall(r"[a-z]+", expression.lower())
    return bool(_NUMERIC_DATE.search(expression)) or any(
        w in WEEKDAYS or w in MONTHS for w in words
    )


def _title(article: Article) -> str:
    """The headline, or the first line when the text carries its headline there (wire copy)."""
    if article.title:
        return article.title
    first, _, rest = article.text.strip().partition("\n")
    return first if rest and len(first) < 200 else ""


def profile(article: Article, enrichment: Enrichment, entity_ids: Mapping[str, str]) -> Profile:
    """Boil an article and its enrichment down; `entity_ids` maps article-level keys to
    canonical ids (a key missing from it stands for itself, lower-cased)."""
    lead_end = 0
    if enrichment.sentences:
        lead_end = enrichment.sentences[min(_LEAD_SENTENCES, len(enrichment.sentences)) - 1][1]
    entities: dict[str, float] = {}
    places: dict[str, float] = {}
    persons: dict[str, float] = {}
    names: dict[str, Counter[str]] = {}
    for mention in enrichment.mentions:
        ident = entity_ids.get(mention.key) or _fallback_id(mention.key, mention.label)
        names.setdefault(ident, Counter())[mention.key] += 1
        weight = _LEAD_BOOST if mention.start < lead_end else 1.0
        if mention.label == "PERSON":
            persons[ident] = persons.get(ident, 0.0) + weight
        elif mention.label in _PLACES:
            places[ident] = places.get(ident, 0.0) + weight
        elif mention.label in _ENTITY_LABELS:
            entities[ident] = entities.get(ident, 0.0) + weight
    days: set[str] = set()
    years: set[int] = set()
    weekdays: set[int] = set()
    for time in enrichment.times:
        if time.type not in ("DATE", "TIME"):
            continue
        weekday = _WEEKDAY.match(time.value)
        if weekday:
            weekdays.add(int(weekday.group(1)))
        year, month, day = parse_date(time.value)
        if year is not None and 1800 < year < 2200:
            years.add(year)
        if month is not None and day is not None:
            days.add(f"{month:02d}-{day:02d}" if year is None else f"{year}-{month:02d}-{day:02d}")
    event_time, day_named = None, False
    if enrichment.event_time is not None:
        event_time = (enrichment.event_time.value, enrichment.event_time.precision)
        day_named = names_day(article.text[enrichment.event_time.start : enrichment.event_time.end])
    # An inferred year is the store's guess, not the article's evidence: the linker weighs
    # every reading the printed date allows instead.
    when = publication_date(article)
    when = None if when is not None and when.inferred else when
    published = when.day if when else None
    # Short of a day, the month or year known, or each reading a printed date allows, bounds a
    # yearless event time by its last day.
    spans = (when,) if when else publication_candidates(article)
    return Profile(
        id=article.id,
        terms=Counter(tokens(article.text)),
        title=Counter(tokens(_title(article))),
        entities=_normalized(entities),
        persons=_normalized(persons),
        places=_normalized(places),
        event_time=event_time,
        event_day_named=day_named,
        language=article.language,
        marks=marks(article.text, (m.text for m in enrichment.mentions)),
        days=frozenset(days),
        years=frozenset(years),
        weekdays=frozenset(weekdays),
        published=published,
        publication_candidates=() if published else tuple(s.last for s in spans),
        lead=Counter(tokens(article.text[:lead_end] if lead_end else _title(article))),
        text_years=_text_years(enrichment),
        names={ident: keys.most_common(1)[0][0] for ident, keys in names.items()},
        phrases=_phrases(article.text),
        quotes=tuple(
            words
            for words in (frozenset(w for w in _wording(q.text) if w) for q in enrichment.quotes)
            if len(words) >= _QUOTE_WORDS
        ),
    )


def _wording(text: str) -> list[str | None]:
    """Content words as written, None standing for a name: the wording of a statement or a
    wire sentence, without the names ("President Vladimir Putin") every report shares."""
    words = [w for w in _CASED.findall(text) if w.lower() not in _STOP and len(w) > 2]
    return [w if w.islower() or w[0].isdigit() else None for w in words]


def _phrases(text: str) -> frozenset[str]:
    """Runs of three wording words (no name among them)."""
    words = _wording(text)
    return frozenset(
        " ".join(w for w in run if w)
        for run in (words[i : i + 3] for i in range(len(words) - 2))
        if all(run)
    )


def _text_years(enrichment: Enrichment) -> frozenset[int]:
    """The years a text names outright, plus its event's year: when a report happens."""
    years = {int(y) for t in enrichment.times if t.type == "DATE" for y in _YEAR.findall(t.text)}
    if enrichment.event_time is not None:
        year = parse_date(enrichment.event_time.value)[0]
        if year is not None:
            years.add(year)
    return frozenset(years)


def _fallback_id(key: str, label: str) -> str:
    """Without canonical ids a person is known by surname (so "Mr. Felt" meets "Mark
    Felt"), anything else by its lower-cased name."""
    words = key.lower().split()
    return words[-1] if label == "PERSON" and words else key.lower()


def _normalized(counts: Mapping[str, float]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()} if total else {}


class DocFreq:
    """Document frequencies kept up to date as articles arrive, on top of a prior.

    The prior (document fractions learned from training text, scaled to `prior_docs`
    pseudo-documents) gives sensible weights to the first articles of a fresh store; as
    the store grows its own counts take over, so a store about one subject learns that
    its ever-present words say little. Adding or removing one article costs its terms.
    """

    def __init__(self, prior: Mapping[str, float] | None = None, *, prior_docs: float = 0.0):
        self._prior = dict(prior or {})
        self._prior_docs = prior_docs if self._prior else 0.0
        self._df: Counter[str] = Counter()
        self.docs = 0

    def add(self, keys: Iterable[str]) -> None:
        self._df.update(set(keys))
        self.docs += 1

    def load(self, counts: Mapping[str, int], docs: int) -> None:
        """Take counts kept elsewhere (a store's, over `docs` articles) as counted already."""
        self._df.update(counts)
        self.docs += docs

    def remove(self, keys: Iterable[str]) -> None:
        self._df.subtract(set(keys))
        self.docs -= 1

    def count(self, key: str) -> int:
        """How many counted articles hold `key`."""
        return self._df[key]

    def idf(self, key: str) -> float:
        n = self.docs + self._prior_docs
        df = self._df[key] + self._prior.get(key, 0.0) * self._prior_docs
        return math.log((n + 1.0) / (df + 1.0)) + 1.0


def keys_of(p: Profile) -> list[str]:
    """The keys a profile counts under in document frequencies (terms and entities)."""
    return [*p.terms, *("e:" + e for e in (*p.entities, *p.persons, *p.places))]


def _weights(counts: Mapping[str, float], df: DocFreq, prefix: str = "") -> dict[str, float]:
    return {k: (1.0 + math.log(c)) * df.idf(prefix + k) for k, c in counts.items() if c > 0}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float | None:
    """Cosine of two sparse vectors; None where either is empty (no evidence)."""
    if not a or not b:
        return None
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else None


def _salience_cos(a: Mapping[str, float], b: Mapping[str, float], df: DocFreq) -> float | None:
    if not a or not b:
        return None
    wa = {k: v * df.idf("e:" + k) for k, v in a.items()}
    wb = {k: v * df.idf("e:" + k) for k, v in b.items()}
    return cosine(wa, wb)


def _time_agree(a: tuple[str, str] | None, b: tuple[str, str] | None) -> float:
    """How precisely two event times agree: naming the same day is strong evidence of one
    happening, sharing a year alone is weak; any clash gives 0 (`time_gap` weighs clashes)."""
    if a is None or b is None:
        return 0.0
    ya, ma, da = parse_date(a[0])
    yb, mb, db = parse_date(b[0])
    agree = 0.0
    for rank, (x, y) in enumerate(((ya, yb), (ma, mb), (da, db)), start=1):
        if x is None or y is None:
            continue
        if x != y:
            return 0.0
        agree = _LEVEL_WEIGHT[rank]
    return agree


# Reports date one happening a day or two apart (the day it happened, the day it was
# reported, a follow-up weeks on); dates further apart than this are two happenings.
SAME_HAPPENING_DAYS = 90


def _calendar_dates(p: Profile, month: int, day: int, year: int | None) -> list[dt.date]:
    """The dates an event time may stand for: its own where it names a year, else one per
    candidate publication date (the day on or before it), else none."""
    try:
        if year is not None:
            return [dt.date(year, month, day)]
        return [
            dt.date(c.year if (month, day) <= (c.month, c.day) else c.year - 1, month, day)
            for c in p.publication_candidates
        ]
    except ValueError:
        return []


def event_gap(a: Profile, b: Profile) -> int | None:
    """Days between two day-precise event times, None where either has no such date.

    A yearless date is placed in each year its article's printed publication date allows
    ("Friday, March 8" is 2013, 2019 or 2024), and the nearest reading counts; with no such
    years it is compared by month and day alone."""
    if a.event_time is None or b.event_time is None:
        return None
    if a.event_time[1] != "day" or b.event_time[1] != "day":
        return None
    ya, ma, da = parse_date(a.event_time[0])
    yb, mb, db = parse_date(b.event_time[0])
    if ma is None or da is None or mb is None or db is None:
        return None
    dates_a, dates_b = _calendar_dates(a, ma, da, ya), _calendar_dates(b, mb, db, yb)
    if dates_a and dates_b:
        return min(abs((x - y).days) for x in dates_a for y in dates_b)
    try:
        gap = abs((dt.date(2000, ma, da) - dt.date(2000, mb, db)).days)
    except ValueError:
        return None
    return min(gap, 366 - gap)


def day_vote(a: Profile, b: Profile, *, window: int = SAME_HAPPENING_DAYS) -> int:
    """+1 where two articles' day-precise event times name the same day, -1 where they lie
    more than `window` days apart (further than one happening's reports do), else 0."""
    gap = event_gap(a, b)
    if gap is None:
        return 0
    return 1 if gap == 0 else -1 if gap > window else 0


def _time_gap(a: Profile, b: Profile) -> float | None:
    """Days between event times on a log scale, 1.0 at a year or more."""
    gap = event_gap(a, b)
    return None if gap is None else min(1.0, math.log1p(gap) / math.log1p(365))


def _phrase_overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    """Share of the shorter text's word triples the other also has: reports of one happening
    repeat its wording (a statement, a wire sentence), similar happenings rarely do."""
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))


def same_occurrence(a: Profile, b: Profile) -> bool:
    """Evidence that two reports describe one occurrence, not two of a recurring story:
    the same day, shared wording, or the same quotation."""
    if day_vote(a, b) > 0 or (_phrase_overlap(a.phrases, b.phrases) or 0.0) > 0.0:
        return True
    return (_quote_match(a.quotes, b.quotes) or 0.0) >= _SAME_QUOTE


def _quote_match(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> float | None:
    """How closely the best-matching pair of quotations agree: two reports of one statement
    quote it alike, even in different translations."""
    if not a or not b:
        return None
    return max(len(x & y) / min(len(x), len(y)) for x in a for y in b)


def _overlap(
    a: frozenset[str] | frozenset[int], b: frozenset[str] | frozenset[int]
) -> float | None:
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))


def _pub_gap(a: dt.date | None, b: dt.date | None) -> float | None:
    """Days between publications on a log scale, 1.0 at a year or more."""
    if a is None or b is None:
        return None
    return min(1.0, math.log1p(abs((a - b).days)) / math.log1p(365))


def _top(weights: Mapping[str, float]) -> str | None:
    return min(weights, key=lambda k: (-weights[k], k)) if weights else None


def _numbers(weights: Mapping[str, float]) -> dict[str, float]:
    return {k: v for k, v in weights.items() if k[0].isdigit()}


def _person_clash(a: Mapping[str, float], b: Mapping[str, float]) -> float | None:
    """Share of the main actors of each article that the other never names, averaged over
    both sides: the same kind of happening with another main person is another happening."""
    if not a or not b:
        return None
    sides = [
        sum(w for k, w in x.items() if w >= MAIN_SHARE and k not in y) for x, y in ((a, b), (b, a))
    ]
    return sum(sides) / 2


def _year_gap(a: frozenset[int], b: frozenset[int]) -> float | None:
    """Years between the latest years each text names (or dates its event in), on a log
    scale, 1.0 at ten years: a report names its event's year or earlier ones, so the latest
    year it names is close to its own time."""
    if not a or not b:
        return None
    return min(1.0, math.log1p(abs(max(a) - max(b))) / math.log1p(10))


def _on_subject(agreement: float | None, subject: float | None) -> float | None:
    """A date agreement as evidence of one happening only as far as the two reports share
    a subject: two unrelated happenings on one day (a launch, a rate decision) share the
    date and nothing else, so agreeing dates count in proportion to the texts' likeness."""
    if agreement is None:
        return None
    return agreement * (subject or 0.0)


@dataclass
class Vectors:
    """A profile's weighted term vectors under the current document frequencies."""

    body: dict[str, float]
    title: dict[str, float]
    lead: dict[str, float] = field(default_factory=dict)


def vectors(p: Profile, df: DocFreq) -> Vectors:
    return Vectors(_weights(p.terms, df), _weights(p.title, df), _weights(p.lead, df))


def pair_features(
    a: Profile, b: Profile, df: DocFreq, va: Vectors, vb: Vectors
) -> list[float | None]:
    """The features of FEATURES for one pair; None where the pair gives no evidence."""
    title_body = [
        x for x in (cosine(va.title, vb.body), cosine(vb.title, va.body)) if x is not None
    ]
    top_a = _top({**a.entities, **a.persons})
    top_b = _top({**b.entities, **b.persons})
    days_a = frozenset(d for d in a.days if len(d) == 10)
    days_b = frozenset(d for d in b.days if len(d) == 10)
    body = cosine(va.body, vb.body)
    return [
        body,
        cosine(va.title, vb.title),
        sum(title_body) / len(title_body) if title_body else None,
        _salience_cos(a.entities, b.entities, df),
        _salience_cos(a.persons, b.persons, df),
        _salience_cos(a.places, b.places, df),
        cosine(_numbers(va.body), _numbers(vb.body)),
        None if top_a is None or top_b is None else float(top_a == top_b),
        cosine(va.lead, vb.lead),
        _person_clash(a.persons, b.persons),
        _year_gap(a.text_years, b.text_years),
        _on_subject(_time_agree(a.event_time, b.event_time), body)
        if a.event_time and b.event_time
        else None,
        _time_gap(a, b),
        _phrase_overlap(a.phrases, b.phrases),
        _quote_match(a.quotes, b.quotes),
        _on_subject(_overlap(days_a, days_b), body),
        _on_subject(_overlap(a.years, b.years), body),
        _pub_gap(a.published, b.published),
    ]
