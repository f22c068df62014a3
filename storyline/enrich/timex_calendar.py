"""Calendar arithmetic for time expressions: TimeML values and the inclusive intervals they name.

Kept apart from the rules so every rule speaks in units (a day, a week, a season) and this
module alone knows how each unit is written in TimeML and which days it covers.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

__all__ = [
    "MONTHS",
    "NUMBERS",
    "SEASONS",
    "WEEKDAYS",
    "Norm",
    "century",
    "day",
    "decade",
    "month",
    "quarter",
    "season",
    "shift_months",
    "to_number",
    "week",
    "weekend",
    "year",
]

MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: i
    for i, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
# TimeML season codes; the intervals are meteorological, winter running into the next year.
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}

_UNITS_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBERS: dict[str, float] = {w: float(i) for i, w in enumerate(_UNITS_WORDS)}
NUMBERS.update({w: float(20 + 10 * i) for i, w in enumerate(_TENS_WORDS)})
NUMBERS.update({"a": 1.0, "an": 1.0, "one": 1.0, "a single": 1.0, "single": 1.0, "half": 0.5})
NUMBERS.update({"a couple of": 2.0, "couple of": 2.0, "a dozen": 12.0, "dozen": 12.0})
NUMBERS.update({"hundred": 100.0, "a hundred": 100.0, "a thousand": 1000.0})


@dataclass(frozen=True)
class Norm:
    """A normalized expression before it is tied to its place in the text."""

    type: str
    value: str
    granularity: str | None = None
    begin: dt.date | None = None
    end: dt.date | None = None


def to_number(text: str) -> float | None:
    """A cardinal written in digits or English words ("12", "twenty-five", "two and a half")."""
    text = text.strip().replace(",", "")
    half = 0.0
    for suffix in (" and a half", "-and-a-half"):
        if text.endswith(suffix):
            text, half = text[: -len(suffix)], 0.5
    try:
        return float(text) + half
    except ValueError:
        pass
    if text in NUMBERS:
        return NUMBERS[text] + half
    parts = text.replace("-", " ").split()
    if len(parts) == 2 and parts[0] in _TENS_WORDS and parts[1] in _UNITS_WORDS[1:10]:
        return NUMBERS[parts[0]] + NUMBERS[parts[1]] + half
    return None


def day(d: dt.date) -> Norm:
    return Norm("DATE", d.isoformat(), "day", d, d)


def month(y: int, m: int) -> Norm:
    last = calendar.monthrange(y, m)[1]
    return Norm("DATE", f"{y:04d}-{m:02d}", "month", dt.date(y, m, 1), dt.date(y, m, last))


def year(y: int) -> Norm:
    return Norm("DATE", f"{y:04d}", "year", dt.date(y, 1, 1), dt.date(y, 12, 31))


def decade(first_year: int) -> Norm:
    y = first_year - first_year % 10
    return Norm("DATE", f"{y // 10:03d}", "decade", dt.date(y, 1, 1), dt.date(y + 9, 12, 31))


def century(hundreds: int) -> Norm:
    """The 19th century is TimeML "18": the years 1800-1899."""
    y = hundreds * 100
    return Norm("DATE", f"{hundreds:02d}", "century", dt.date(y, 1, 1), dt.date(y + 99, 12, 31))


def week(d: dt.date) -> Norm:
    iso = d.isocalendar()
    monday = d - dt.timedelta(days=d.weekday())
    return Norm("DATE", f"{iso[0]:04d}-W{iso[1]:02d}", "week", monday, monday + dt.timedelta(6))


def weekend(d: dt.date) -> Norm:
    iso = d.isocalendar()
    saturday = d + dt.timedelta(days=5 - d.weekday())
    value = f"{iso[0]:04d}-W{iso[1]:02d}-WE"
    return Norm("DATE", value, "week", saturday, saturday + dt.timedelta(1))


def quarter(y: int, q: int) -> Norm:
    first = 3 * q - 2
    last = dt.date(y, first + 2, calendar.monthrange(y, first + 2)[1])
    return Norm("DATE", f"{y:04d}-Q{q}", "quarter", dt.date(y, first, 1), last)


def season(y: int, code: str) -> Norm:
    start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    begin = dt.date(y, start, 1)
    end_month = shift_months(begin, 2)
    end = end_month.replace(day=calendar.monthrange(end_month.year, end_month.month)[1])
    return Norm("DATE", f"{y:04d}-{code}", "season", begin, end)


def shift_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clipped to the month's last day."""
    index = d.year * 12 + d.month - 1 + months
    y, m = divmod(index, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))
