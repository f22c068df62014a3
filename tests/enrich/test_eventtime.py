"""The lead event's date: a day-level expression on a reported past event, in the opening."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.enrich.eventtime import event_time
from storyline.enrich.pipeline import load_nlp
from storyline.enrich.timex import find_times
from storyline.records import EventTime


def _event(text: str, published: dt.date | None) -> EventTime | None:
    doc = load_nlp()(text)
    return event_time(doc, find_times(doc, published=published))


@pytest.mark.parametrize(
    ("text", "published", "value"),
    [
        (
            "On Tuesday, the minister resigned over the scandal.",
            dt.date(2017, 11, 16),
            "2017-11-14",
        ),
        (
            "Officials condemned the meeting.\n\nThey called it illegal.\n\n"
            "On March 6, Putin met Bibilov in the Kremlin.",
            dt.date(2019, 3, 8),
            "2019-03-06",
        ),
        (
            "In 2008, the war began. On Monday, the president visited the region.",
            dt.date(2017, 11, 16),
            "2017-11-13",
        ),
        (
            "“We will meet again on Friday,” he said. The talks began on Monday.",
            dt.date(2017, 11, 16),
            "2017-11-13",
        ),
        ("On the November 14, Putin hosted Bibilov in Moscow.", None, "XXXX-11-14"),
        ("The leaders will meet on Friday.", dt.date(2017, 11, 16), None),
        ("Friday, March 8\nOfficials condemned the meeting.", dt.date(2019, 3, 8), None),
        ("Putin met Bibilov in 2008 and again in May.", dt.date(2017, 11, 16), None),
    ],
)
def test_event_value(text: str, published: dt.date | None, value: str | None) -> None:
    found = _event(text, published)
    assert (found.value if found else None) == value


def test_evidence_and_span() -> None:
    text = "Friday, March 8\nOn March 6, Putin met Bibilov. Georgia protested on Thursday."
    found = _event(text, dt.date(2019, 3, 8))
    assert found is not None
    assert found.precision == "day"
    assert found.evidence == "On March 6, Putin met Bibilov."
    assert text[found.start : found.end] == "March 6"


def test_no_times_no_event() -> None:
    assert _event("Putin met Bibilov.", None) is None
