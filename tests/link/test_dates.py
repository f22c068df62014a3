from __future__ import annotations

from storyline.link.dates import date_event, resolve_year
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
    assert details["date_conflicts"] == []


def test_agreeing_reports_beat_one() -> None:
    date, details = date_event(
        [
            make("a", "x", when=("2017-11-15", "day")),
            make("b", "x", when=("2017-11-14", "day")),
            make("c", "x", when=("2017-11-14", "day")),
        ]
    )
    assert date is not None and date.value == "2017-11-14"
    assert [c["article"] for c in details["date_conflicts"]] == ["a"]
    assert details["date_support"] == ["b", "c"]


def test_partial_inherits_year_from_another_article() -> None:
    date, details = date_event(
        [make("p", "x", when=("XXXX-11-14", "day")), make("f", "x", when=("2017-11-14", "day"))]
    )
    assert date is not None and date.value == "2017-11-14"
    assert details["date_inherited"] == {"p": "2017-11-14"}


def test_partial_alone_takes_publication_year() -> None:
    date, _ = date_event([make("p", "x", when=("XXXX-12-30", "day"), published="2018-01-02")])
    assert date is not None and date.value == "2017-12-30"
    assert resolve_year(3, 6, []) is None


def test_undated_event_stays_undated() -> None:
    assert date_event([make("a", "x")]) == (None, {})


def test_a_month_or_a_year_of_publication_gives_a_yearless_date_its_year() -> None:
    in_year, _ = date_event([make("y", "x", when=("XXXX-11-14", "day"), published="2016")])
    assert in_year is not None and in_year.value == "2016-11-14"
    # Published in October 2016, a past November 14 is the one of 2015.
    in_month, _ = date_event([make("m", "x", when=("XXXX-11-14", "day"), published="2016-10")])
    assert in_month is not None and in_month.value == "2015-11-14"
