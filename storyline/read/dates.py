"""Publication dates as printed on a page: parse them, and never invent a missing year.

A printed date often lacks its year ("Thursday, November 16"). The weekday then narrows the
year to a handful of candidates; the article's own years, read with the tense they are named
in, and a collection window may single one out. Without such evidence the date stays unknown
and the candidates are handed on for corpus-level inference.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.records import Article, PubDate, Published

__all__ = [
    "Printed",
    "YearBounds",
    "date_span",
    "find_printed_date",
    "infer_published",
    "parse_printed",
    "publication_candidates",
    "publication_date",
    "read_published",
    "year_bounds",
]

_FIRST_YEAR = 1990
"""Earliest year a yearless printed date is matched against: older news is rarely scraped."""

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5,
    "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip


def _alternation(words: Sequence[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_WD = _alternation(list(_WEEKDAYS))
_MON = _alternation(list(_MONTHS))
_ORD = r"(?:st|nd|rd|th)?"
_NAMED = re.compile(
    rf"(?:\b(?P<wd>{_WD})\b\.?,?\s+)?"
    rf"(?:\b(?P<d1>\d{{1,2}})(?:{_ORD}|\.)\s+(?:of\s+)?)?"
    rf"\b(?P<mon>{_MON})\b\.?"
    rf"(?:\s+(?P<d2>\d{{1,2}}){_ORD}\b)?"
    r"(?:\s*,?\s*-?\s*(?P<y>(?:19|20)\d{2})\b)?",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d])")
_YMD = re.compile(r"\b(?P<y>(?:19|20)\d{2})\s*([/.])\s*(?P<m>\d{1,2})\s*\2\s*(?P<d>\d{1,2})\b")
_NUMERIC = re.compile(r"\b(?P<a>\d{1,2})\s*([/.])\s*(?P<b>\d{1,2})\s*\2\s*(?P<y>\d{4}|\d{2})\b")
_YEAR_MONTH = re.compile(r"\s*(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})\s*")
_YEAR_ONLY = re.compile(r"\s*(?P<y>(?:19|20)\d{2})\s*")
_FOUR_DIGITS = re.compile(r"\b(?:19|20)\d{2}\b")

_URL_DAY = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=[/_.-]|$)")
_URL_COMPACT = re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?=[/_.-]|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})(?=/)")

_TIME = re.compile(
    r"\b\d{1,2}\s*[:.]\s*\d{2}(?:\s*[:.]\s*\d{2})?(?:\s*[ap]\.?\s*m\b\.?|\s*[ap]\b)?", re.I
)
_ZONE = re.compile(r"\b(?:[A-Z]{2,4}T|GMT|UTC|Z|IST|ET|PT|CT)\b|[+-]\d{2}:?\s*\d{2}\b|\(\w+\)")
_FILLER = frozenset({
    "posted", "published", "updated", "last", "modified", "on", "at", "date", "created",
    "story", "by", "in", "and", "the", "first", "issued", "am", "pm", "a", "p",
})  # fmt: skip


@dataclass(frozen=True)
class Printed:
    """What a printed date states: any part may be missing, none is ever guessed."""

    year: int | None
    month: int | None
    day: int | None
    weekday: int | None
    start: int
    end: int
    ambiguous: tuple[str, ...] = ()


def _valid(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _full_year(text: str) -> int:
    """Two-digit years as printed in 8/2/13: 00-69 are this century, 70-99 the last."""
    value = int(text)
    if len(text) == 2:
        value += 2000 if value < 70 else 1900
    return value


def _word_key(word: str) -> str:
    """A matched month or weekday as its table key. The case-blind pattern also matches look-alikes
    whose capital is ASCII ("Aprıl" with a dotless i, "ſept" with a long s); upper-casing first
    maps them onto the key.
    """
    return word.upper().lower()


def _named(match: re.Match[str]) -> Printed | None:
    month_word = match["mon"]
    if month_word == "may":
        return None  # the verb, not the month
    day_text = match["d1"] or match["d2"]
    if day_text is None and match["y"] is None:
        return None
    year = int(match["y"]) if match["y"] else None
    day = int(day_text) if day_text else None
    month = _MONTHS[_word_key(month_word)]
    if day is not None and not _valid(year or 2000, month, day):  # 2000 admits 29 February
        return None
    weekday = _WEEKDAYS[_word_key(match["wd"])] if match["wd"] else None
    return Printed(year, month, day, weekday, match.start(), match.end())


def _numeric(match: re.Match[str]) -> Printed | None:
    """Day/month order is read from the values; where both orders fit, both are kept."""
    a, b, year = int(match["a"]), int(match["b"]), _full_year(match["y"])
    orders = {(m, d) for m, d in ((a, b), (b, a)) if _valid(year, m, d)}
    if not orders:
        return None
    if len(orders) == 1:
        ((month, day),) = orders
        return Printed(year, month, day, None, match.start(), match.end())
    isos = tuple(sorted(datetime.date(year, m, d).isoformat() for m, d in orders))
    return Printed(year, None, None, None, match.start(), match.end(), ambiguous=isos)


def _ymd(match: re.Match[str]) -> Printed | None:
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if not _valid(year, month, day):
        return None
    return Printed(year, month, day, None, match.start(), match.end())


def _foreign(text: str) -> Printed | None:
    """Other languages' month names, through dateparser, and only where a year is printed."""
    import dateparser  # slow to load, rarely needed

    settings = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
    parsed = dateparser.parse(text, settings=settings)
    if parsed is None:
        return None
    return Printed(parsed.year, parsed.month, parsed.day, None, 0, len(text))


def parse_printed(text: str) -> Printed | None:
    """The first date printed in `text` (a short line), with exactly the parts it states."""
    if whole := _YEAR_MONTH.fullmatch(text):
        month = int(whole["m"])
        if 1 <= month <= 12:
            return Printed(int(whole["y"]), month, None, None, 0, len(text))
    if whole := _YEAR_ONLY.fullmatch(text):
        return Printed(int(whole["y"]), None, None, None, 0, len(text))
    found: list[Printed] = []
    for pattern, read in ((_ISO, _ymd), (_YMD, _ymd), (_NUMERIC, _numeric), (_NAMED, _named)):
        for match in pattern.finditer(text):
            printed = read(match)
            if printed is not None:
                found.append(printed)
                break
    if found:
        return min(found, key=lambda p: (p.start, -(p.end - p.start)))
    if _FOUR_DIGITS.search(text) and len(text.split()) <= 6:
        return _foreign(text)
    return None


def find_printed_date(lines: Sequence[str]) -> str | None:
    """The first line that is a date line ("Posted July 20, 2009"), stripped, else None.

    A line counts when, after the date, times, zones and filler words ("Updated", "on")
    are taken out, at most three words are left: a headline that mentions a date is not one.
    """
    for line in lines:
        text = line.strip()
        if text and len(text) <= 90 and _is_date_line(text):
            return text
    return None


def _is_date_line(text: str) -> bool:
    printed = parse_printed(text)
    if printed is None or (printed.month is None and not printed.ambiguous):
        return False
    rest = text[: printed.start] + " " + text[printed.end :]
    rest = _ZONE.sub(" ", _TIME.sub(" ", rest))
    words = [w for w in re.findall(r"[^\W\d_]+", rest) if w.lower() not in _FILLER]
    return len(words) <= 3


def _from_url(url: str) -> Published:
    for pattern in (_URL_DAY, _URL_COMPACT):
        for match in pattern.finditer(url):
            year, month, day = (int(g) for g in match.groups())
            if _valid(year, month, day):
                iso = datetime.date(year, month, day).isoformat()
                return Published(iso, "day", (iso,), match.group(0).strip("/"))
    for match in _URL_MONTH.finditer(url):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            value = f"{year:04d}-{month:02d}"
            return Published(value, "month", (value,), match.group(0).strip("/"))
    return Published()


# --- the year of a yearless date, from the tense its text names years in ---------------

_FUTURE = re.compile(
    r"(?i:\b(?:will|would|shall|won't|going to|upcoming|forthcoming|next|future|coming|"
    r"(?:plans?|planned|planning|intends?|intended|aims?|expected|scheduled|due) (?:to|for)|"
    r"is to|are to)\b|\w'll\b)"
)
_PAST = re.compile(
    r"(?i:\b(?:was|were|had|has been|have been|did|ago|since|last|former|formerly|previously|"
    r"earlier|held|took|began|won|lost|met|led|fought|became|saw|went|came)\b)"
    r"|\b(?!hundred\b|(?:add|not|stat|report|quot|announc|claim|stress|declar|argu|explain|"
    r"insist|warn|confirm|underlin|assert|emphasiz|emphasis|comment|cit)ed\b)[a-z]{2,}(?<!e)ed\b"
)
"""Reporting verbs ("said", "stated") date the report, not the year named in what is reported."""
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“‘'(A-Z])|…|;|\n")
_CLAUSE = re.compile(r",?\s+\b(?:and|but|while|whereas|although|though)\b\s+")
_DECADE = re.compile(r"\b((?:19|20)\d0)'?s\b")
_RANGE = re.compile(r"\b((?:19|20)\d{2})\s*[-–—/]\s*((?:19|20)?\d{2})\b")
_YEAR = re.compile(r"(?<![\d$£€.,])\b((?:19|20)\d{2})\b(?!\s*%|[.,]\d)")


@dataclass(frozen=True)
class YearBounds:
    """What the text's named years say about the publication year."""

    earliest: int | None = None
    latest: int | None = None


def year_bounds(text: str) -> YearBounds:
    """Bounds on the publication year from the years `text` names and their tense.

    A year named in the past tense ("was held in April 2017", "since 2008") or as a decade
    ("the 1990s") was reached already: it bounds the year from below. A year named in the
    future tense ("a program for 2018-2019 ... which will be endorsed") lies ahead: it bounds
    from above. A year named with no tense says nothing. Ranges count by their first year.
    """
    earliest: int | None = None
    latest: int | None = None
    for sentence in _SENTENCE.split(text):
        for clause in _CLAUSE.split(sentence):
            years, decades = _named_years(clause)
            if decades:
                earliest = max(earliest or 0, max(decades))
            for part_years, future, past in _tensed_parts(clause, years):
                if future:
                    latest = min(latest or 9999, min(part_years))
                elif past:
                    earliest = max(earliest or 0, max(part_years))
    return YearBounds(earliest, latest)


def _tensed_parts(clause: str, years: list[int]) -> list[tuple[list[int], bool, bool]]:
    """The clause's years with the tense that governs them: (years, future, past).

    Years in different comma-parts of one clause ("which opened in 2021 ..., now plans a
    flight for 2025") each take their own part's tense; a part without one says nothing.
    """
    if not years:
        return []
    parts = [(part, _named_years(part)[0]) for part in clause.split(",")]
    parts = [(part, found) for part, found in parts if found]
    if len(parts) <= 1:
        return [(years, bool(_FUTURE.search(clause)), bool(_PAST.search(clause)))]
    return [(found, bool(_FUTURE.search(part)), bool(_PAST.search(part))) for part, found in parts]


def _named_years(clause: str) -> tuple[list[int], list[int]]:
    """The years a clause names (a range by its first year) and the decades it names."""
    decades = [int(m[1]) for m in _DECADE.finditer(clause)]
    clause = _DECADE.sub(" ", clause)
    years = [int(m[1]) for m in _RANGE.finditer(clause)]
    clause = _RANGE.sub(" ", clause)
    years += [int(m[1]) for m in _YEAR.finditer(clause)]
    return years, decades


def _in_window(iso: str, window: tuple[datetime.date, datetime.date]) -> bool:
    return window[0] <= datetime.date.fromisoformat(iso) <= window[1]


def _yearless(
    printed: Printed,
    evidence: str,
    *,
    text: str,
    window: tuple[datetime.date, datetime.date] | None,
    today: datetime.date,
) -> Published:
    """Month and day without a year: list the years the printed text allows, choose by evidence.

    With a weekday the candidates are the years 1990..today's year in which that day
    falls on it. Without one every year fits, so candidates are listed only inside a
    collection window (listing thirty years would say nothing); outside one they stay empty.
    """
    month, day = printed.month, printed.day
    assert month is not None and day is not None
    if printed.weekday is not None:
        years = range(_FIRST_YEAR, today.year + 1)
    elif window is not None:
        years = range(window[0].year, window[1].year + 1)
    else:
        return Published(None, "day", (), evidence)
    candidates = [
        datetime.date(y, month, day).isoformat()
        for y in years
        if _valid(y, month, day)
        and (printed.weekday is None or datetime.date(y, month, day).weekday() == printed.weekday)
    ]
    if window is not None:
        inside = [c for c in candidates if _in_window(c, window)]
        candidates = inside or candidates  # a printed date outside the window overrules it
    return Published(_choose(candidates, text), "day", tuple(candidates), evidence)


def _choose(candidates: Sequence[str], text: str) -> str | None:
    """The only candidate, or the one candidate within the text's year bounds."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    bounds = year_bounds(text)
    low = bounds.earliest if bounds.earliest is not None else 0
    high = bounds.latest if bounds.latest is not None else 9999
    if (low, high) == (0, 9999) or low > high:
        return None
    fitting = [c for c in candidates if low <= int(c[:4]) <= high]
    if len(fitting) > 1:
        fitting = _weekday_tied(fitting, text)
    return fitting[0] if len(fitting) == 1 else None


_NEAR_DAYS = 14
"""How far from the publication date a weekday-tied date in the text may lie."""


def _weekday_tied(candidates: Sequence[str], text: str) -> list[str]:
    """The candidates that the text's weekday-tied dates ("on Thursday, November 2") agree with.

    A report names days close to its own: a candidate fits when such a date, in its year or
    a neighbouring one, falls on the named weekday within two weeks of it. Text without such
    dates, or dates that agree with no candidate, leave every candidate standing.
    """
    tied = [
        found
        for match in _NAMED.finditer(text)
        if (found := _named(match)) is not None
        and found.weekday is not None
        and found.month is not None
        and found.day is not None
    ]
    if not tied:
        return list(candidates)
    fits = [c for c in candidates if any(_agrees(datetime.date.fromisoformat(c), t) for t in tied)]
    return fits or list(candidates)


def _agrees(candidate: datetime.date, tied: Printed) -> bool:
    assert tied.month is not None and tied.day is not None
    years = [tied.year] if tied.year else [candidate.year - 1, candidate.year, candidate.year + 1]
    for year in years:
        if not _valid(year, tied.month, tied.day):
            continue
        day = datetime.date(year, tied.month, tied.day)
        if day.weekday() == tied.weekday and abs((day - candidate).days) <= _NEAR_DAYS:
            return True
    return False


def read_published(
    printed: str | None,
    *,
    text: str = "",
    url: str | None = None,
    window: tuple[datetime.date, datetime.date] | None = None,
    today: datetime.date | None = None,
) -> Published:
    """The publication date a page prints, with every candidate it allows and its evidence.

    `printed` is the date line as printed; a date in the `url` path stands in where nothing
    (readable) is printed, completes a printed month or year it agrees with, and picks among the
    candidates of a yearless one, but never overrides a fuller printed date. `text` and
    `window` only choose among candidates of a yearless date. `today` bounds candidate
    years and is never evidence. precision is that of the printed date ("day", "month" or
    "year"), set even when the year is unknown and `date` stays None. A weekday printed
    beside a full date is not checked against it: the printed numbers are the claim.
    """
    from_url = _from_url(url) if url else Published()
    if printed is None or not printed.strip():
        return from_url
    reading = parse_printed(printed)
    if reading is None:
        return from_url if from_url.date else Published(evidence=printed)
    published = _from_printed(reading, printed, text=text, window=window, today=today)
    # The URL may complete a month or a year the page prints; it never overrides a fuller date.
    finer = _PRECISION_RANK.get(from_url.precision or "", 0) > _PRECISION_RANK.get(
        published.precision or "", 0
    )
    if published.date and from_url.date and finer and from_url.date.startswith(published.date):
        return from_url
    if published.date is None and from_url.date:
        fits = [c for c in published.candidates if c.startswith(from_url.date)]
        if len(fits) == 1:
            return dataclasses.replace(published, date=fits[0])
    return published


_PRECISION_RANK = {"year": 1, "month": 2, "day": 3}


def _from_printed(
    reading: Printed,
    printed: str,
    *,
    text: str,
    window: tuple[datetime.date, datetime.date] | None,
    today: datetime.date | None,
) -> Published:
    """The publication record of one parsed printed date."""
    if reading.ambiguous:
        inside = [c for c in reading.ambiguous if window is None or _in_window(c, window)]
        tied = _weekday_tied(inside, text)
        chosen = inside[0] if len(inside) == 1 else tied[0] if len(tied) == 1 else None
        return Published(chosen, "day", reading.ambiguous, printed)
    if reading.year is None:
        if reading.day is None:
            return Published(evidence=printed)
        return _yearless(
            reading, printed, text=text, window=window, today=today or datetime.date.today()
        )
    if reading.month is None:
        value = f"{reading.year:04d}"
        return Published(value, "year", (value,), printed)
    if reading.day is None:
        value = f"{reading.year:04d}-{reading.month:02d}"
        return Published(value, "month", (value,), printed)
    iso = datetime.date(reading.year, reading.month, reading.day).isoformat()
    return Published(iso, "day", (iso,), printed)


_SPAN = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?")


def date_span(value: str | None) -> PubDate | None:
    """An ISO date at day, month or year precision ("2016-10-05", "2016-10", "2016") as the
    days it covers; anything else (an unknown year, a broken value) is None."""
    match = _SPAN.fullmatch((value or "")[:10])
    if match is None:
        return None
    year, month, day = match["y"], match["m"], match["d"]
    try:
        if day is not None:
            first = datetime.date(int(year), int(month), int(day))
            return PubDate(first, first, "day")
        if month is not None:
            first = datetime.date(int(year), int(month), 1)
            last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
            return PubDate(first, last, "month")
        return PubDate(datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31), "year")
    except ValueError:
        return None


def publication_date(article: Article) -> PubDate | None:
    """The article's publication date at the precision it is known to, or None.

    Every stage reads the date through here: a month or a year is never taken for a day, and
    a date whose year was not printed but inferred from the collection says so.
    """
    published = article.published
    if published.date is None and published.inferred:
        span = date_span(published.inferred)
        return dataclasses.replace(span, inferred=True) if span else None
    return date_span(published.date)


def publication_candidates(article: Article) -> tuple[PubDate, ...]:
    """The dates an unresolved publication date may be (the years a weekday allows, ...)."""
    return tuple(span for span in map(date_span, article.published.candidates) if span)


def infer_published(
    published: Published, *, text: str, dated: Sequence[datetime.date], margin_days: int
) -> Published | None:
    """A yearless printed date's year from the collection's dated articles, or None.

    The inferred window is the span of `dated` widened by `margin_days` each side; it chooses
    as a given window does, and where that leaves several candidates or none, the candidate
    nearest the dated articles is taken (a tie chooses none). The printed record is returned
    with that choice as `inferred` and how it was made as `inference`; its `date` stays None.
    """
    if published.date or published.precision != "day" or not published.evidence or not dated:
        return None
    first, last = min(dated), max(dated)
    margin = datetime.timedelta(days=margin_days)
    found = read_published(published.evidence, text=text, window=(first - margin, last + margin))
    chosen = found.date or _nearest(found.candidates, sorted(dated))
    if chosen is None:
        return None
    reason = (
        f"nearest year the weekday allows to the collection's dated articles "
        f"({first.isoformat()}..{last.isoformat()}, widened by {margin_days} days)"
    )
    return dataclasses.replace(published, inferred=chosen, inference=reason)


def _nearest(candidates: Sequence[str], dated: Sequence[datetime.date]) -> str | None:
    """The one candidate closest to any of the (sorted) dated days; None on a tie."""

    def distance(value: str) -> int:
        day = datetime.date.fromisoformat(value)
        at = bisect.bisect_left(dated, day)
        near = dated[max(at - 1, 0) : at + 1]
        return min(abs((day - d).days) for d in near)

    ranked = sorted(candidates, key=distance)
    if not ranked or (len(ranked) > 1 and distance(ranked[0]) == distance(ranked[1])):
        return None
    return ranked[0]
