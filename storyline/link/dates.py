"""An event's date from its best-dated articles, with the evidence and any conflicts.

Day beats month beats year; among dates of the same precision the one more articles agree
on wins. An article that fixed only month and day ("On the November 14" -> XXXX-11-14) takes
its year from the event: another article's full date with the same month and day, else the
publication year of its reports (a day later in the year than the publication date means
the year before). Disagreeing dates are listed, never silently dropped, and a date no news
event can have (before 1800, over a year ahead) loses to any other and is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.link.features import parse_date
from storyline.read.dates import publication_date
from storyline.records import Article, DateConflict, Enrichment, EventDate, EventDetails

__all__ = ["date_event", "plausible", "resolve_year"]

_RANK = {"day": 3, "month": 2, "year": 1}
_EARLIEST_YEAR = 1800
_AHEAD = dt.timedelta(days=366)


def plausible(value: str, *, today: dt.date | None = None) -> bool:
    """Whether a date can be a news event's: from 1800 on, and at most a year after today."""
    year, month, day = parse_date(value)
    if year is None:
        return True
    if year < _EARLIEST_YEAR:
        return False
    latest = (today or dt.date.today()) + _AHEAD
    try:
        return dt.date(year, month or 1, day or 1) <= latest
    except ValueError:
        return year <= latest.year


@dataclass(frozen=True)
class _Dated:
    value: str
    precision: str
    evidence: str
    article: str
    order: int
    inherited: str | None = None


def resolve_year(month: int, day: int, published: Sequence[dt.date]) -> int | None:
    """The year of a month-day from publication dates: the latest publication on or after it."""
    years = []
    for pub in published:
        try:
            candidate = dt.date(pub.year, month, day)
        except ValueError:
            continue
        years.append(pub.year if candidate <= pub else pub.year - 1)
    return max(years) if years else None


def _after_publication(value: str, article: Article) -> bool:
    """Whether a date falls after the article was published (a day's slack for time zones):
    what a report tells happened by then, so a later date is an update note or a page
    notice ("Updated May 16", "since July 1 we have ..."), not its event."""
    when = publication_date(article)
    year, month, day = parse_date(value)
    if when is None or year is None or month is None or day is None:
        return False
    try:
        return dt.date(year, month, day) > when.last + dt.timedelta(days=1)
    except ValueError:
        return False


def _own_dates(members: Sequence[tuple[Article, Enrichment]]) -> list[_Dated]:
    out = []
    for order, (article, enrichment) in enumerate(members):
        et = enrichment.event_time
        if et is None or et.precision not in _RANK or _after_publication(et.value, article):
            continue
        out.append(_Dated(et.value, et.precision, et.evidence, article.id, order))
    return out


def _inherit(dated: list[_Dated], published: list[dt.date], guessed: list[dt.date]) -> list[_Dated]:
    """Fill the missing year of month-day dates from the event's other evidence: another
    article's full date, else printed publication dates, else inferred ones (marked so)."""
    full_days: dict[tuple[int, int], list[int]] = {}
    for d in dated:
        y, m, day = parse_date(d.value)
        if d.precision == "day" and y is not None and m is not None and day is not None:
            full_days.setdefault((m, day), []).append(y)
    out = []
    for d in dated:
        y, m, day = parse_date(d.value)
        if y is None and m is not None and day is not None and d.precision == "day":
            years = full_days.get((m, day))
            if years:
                year = max(set(years), key=lambda v: (years.count(v), -v))
                source = "article"
            else:
                found = resolve_year(m, day, published)
                source = "published"
                if found is None:
                    found, source = resolve_year(m, day, guessed), "inferred"
                if found is None:
                    out.append(d)
                    continue
                year = found
            d = _Dated(
                f"{year:04d}-{m:02d}-{day:02d}", d.precision, d.evidence, d.article, d.order, source
            )
        out.append(d)
    return out


def _agrees(a: str, b: str) -> bool:
    """Whether two values can name the same day: every part both state is equal."""
    return all(
        x is None or y is None or x == y for x, y in zip(parse_date(a), parse_date(b), strict=True)
    )


def date_event(
    members: Sequence[tuple[Article, Enrichment]],
) -> tuple[EventDate | None, EventDetails]:
    """The event date and details: `date_support` (articles agreeing with it),
    `date_conflicts` (articles stating another date) and `date_inherited` (articles whose
    year came from elsewhere). Undated members leave the event undated."""
    # A month or a year stands for its last day: a month-day after it lies in the year before.
    spans = [p for p in (publication_date(a) for a, _ in members) if p is not None]
    published = [p.last for p in spans if not p.inferred]
    guessed = [p.last for p in spans if p.inferred]
    dated = _inherit(_own_dates(members), published, guessed)
    if not dated:
        return None, EventDetails()
    full = [d for d in dated if parse_date(d.value)[0] is not None] or dated

    def support(d: _Dated) -> int:
        return sum(1 for o in dated if o.precision == d.precision and _agrees(o.value, d.value))

    best = max(
        full,
        key=lambda d: (
            plausible(d.value),
            _RANK[d.precision],
            support(d),
            d.inherited is None,
            -d.order,
        ),
    )
    details = EventDetails(
        date_support=tuple(sorted({d.article for d in dated if _agrees(d.value, best.value)})),
        date_conflicts=tuple(
            DateConflict(d.value, d.precision, d.article, d.evidence)
            for d in dated
            if not _agrees(d.value, best.value)
        ),
        date_inherited={d.article: d.value for d in dated if d.inherited},
    )
    inferred = None
    if best.inherited == "inferred":
        reason = next((a.published.inference for a, _ in members if a.published.inference), "")
        inferred = f"year of an inferred publication date: {reason}"
    date = EventDate(
        best.value,
        best.precision,
        best.evidence,
        best.article,
        plausible=plausible(best.value),
        inferred=inferred,
    )
    return date, details
