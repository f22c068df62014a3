from __future__ import annotations

import datetime as dt

from storyline.link.dates import date_event, plausible, resolve_year
from storyline.records import EventDetails
from tests.link.helpers import make


def test_day_beats_month() -> None:
    date, details = date_event(
        [make("m", "x", when=("2017-11", "month")), make("d", "x", when=("2017-11-14", "day"))]
    )
    assert date is not None and (date.value, date.precision, date.article) == (
        "2017-11-14",
        "day",
        "d",
    )
    assert details.date_conflicts == ()


def test_agreeing_reports_beat_one() -> None:
    date, details = date_event(
        [
            make("a", "x", when=("2017-11-15", "day")),
            make("b", "x", when=("2017-11-14", "day")),
            make("c", "x", when=("2017-11-14", "day")),
        ]
    )
    assert date is not None and date.value == "2017-11-14"
    assert [c.article for c in details.date_conflicts] == ["a"]
    assert details.date_support == ("b", "c")


def test_partial_inherits_year_from_another_article() -> None:
    date, details = date_event(
        [make("p", "x", when=("XXXX-11-14", "day")), make("f", "x", when=("2017-11-14", "day"))]
    )
    assert date is not None and date.value == "2017-11-14"
    assert details.date_inherited == {"p": "2017-11-14"}


def test_partial_alone_takes_publication_year() -> None:
    date, _ = date_event([make("p", "x", when=("XXXX-12-30", "day"), published="2018-01-02")])
    assert date is not None and date.value == "2017-12-30"
    assert resolve_year(3, 6, []) is None


def test_undated_event_stays_undated() -> None:
    assert date_event([make("a", "x")]) == (None, EventDetails())


def test_a_month_or_a_year_of_publication_gives_a_yearless_date_its_year() -> None:
    in_year, _ = date_event([make("y", "x", when=("XXXX-11-14", "day"), published="2016")])
    assert in_year is not None and in_year.value == "2016-11-14"
    # Published in October 2016, a past November 14 is the one of 2015.
    in_month, _ = date_event([make("m", "x", when=("XXXX-11-14", "day"), published="2016-10")])
    assert in_month is not None and in_month.value == "2015-11-14"


def test_an_implausible_date_is_flagged_and_loses_to_a_plausible_one() -> None:
    today = dt.date(2024, 6, 1)
    assert plausible("2025-05-31", today=today) and plausible("1800", today=today)
    assert not plausible("2099-01-01") and not plausible("1799-12-31", today=today)
    assert not plausible("2026-01", today=today)
    alone, _ = date_event([make("a", "x", when=("2099-03-01", "day"))])
    assert alone is not None and alone.value == "2099-03-01" and not alone.plausible
    both, details = date_event(
        [make("a", "x", when=("2099-03-01", "day")), make("b", "x", when=("2017-03", "month"))]
    )
    assert both is not None and both.value == "2017-03" and both.plausible
    assert [c.value for c in details.date_conflicts] == ["2099-03-01"]


def test_a_date_after_publication_is_no_event_date() -> None:
    notice = make("n", "x", when=("2026-05-16", "day"), published="2022-06-07")
    report = make("r", "x", when=("XXXX-06-06", "day"), published="2022-06-07")
    date, details = date_event([notice, report])
    assert date is not None and date.value == "2022-06-06"
    assert details.date_conflicts == ()
