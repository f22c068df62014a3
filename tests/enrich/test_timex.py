"""Time expressions found and normalized against fixed publication dates, case by case."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.enrich.timex import tag_text
from storyline.enrich.timex_calendar import Norm
from storyline.enrich.timex_rules import Context, normalize
from storyline.records import TimeExpr
from tests.strategies import hostile_text

THU = dt.date(2017, 11, 16)  # a Thursday, the publication date of seed 001
FRI = dt.date(2019, 3, 8)  # a Friday in early spring, seed 004

# (sentence, publication date, expression text, value, granularity, begin, end)
CASES: list[tuple[str, dt.date | None, str, str, str | None, str | None, str | None]] = [
    # weekdays: the tense says which way
    ("The summit was held on Tuesday.", THU, "Tuesday", "2017-11-14", "day", "2017-11-14", "2017-11-14"),
    ("The leaders will meet on Tuesday.", THU, "Tuesday", "2017-11-21", "day", "2017-11-21", "2017-11-21"),
    ("He arrived on Thursday.", THU, "Thursday", "2017-11-16", "day", "2017-11-16", "2017-11-16"),
    ("Talks broke down last Friday.", THU, "last Friday", "2017-11-10", "day", "2017-11-10", "2017-11-10"),
    ("Talks will resume next Monday.", THU, "next Monday", "2017-11-20", "day", "2017-11-20", "2017-11-20"),
    ("He spoke on Friday morning.", THU, "Friday morning", "2017-11-10TMO", "time", "2017-11-10", "2017-11-10"),
    ("The court has been closed until Monday.", THU, "Monday", "2017-11-20", "day", "2017-11-20", "2017-11-20"),
    # month and day without a year
    ("On March 6, Putin met Bibilov.", FRI, "March 6", "2019-03-06", "day", "2019-03-06", "2019-03-06"),
    ("On December 6, Putin met Bibilov.", THU, "December 6", "2016-12-06", "day", "2016-12-06", "2016-12-06"),
    ("The vote will take place on December 6.", THU, "December 6", "2017-12-06", "day", "2017-12-06", "2017-12-06"),
    ("The vote will take place on January 10.", THU, "January 10", "2018-01-10", "day", "2018-01-10", "2018-01-10"),
    ("On the November 14, Putin hosted Bibilov.", THU, "November 14", "2017-11-14", "day", "2017-11-14", "2017-11-14"),
    ("Ties were cut on 11 December.", THU, "11 December", "2016-12-11", "day", "2016-12-11", "2016-12-11"),
    ("We met at Christmas.", THU, "Christmas", "2016-12-25", "day", "2016-12-25", "2016-12-25"),
    # absolute dates
    ("The deal was signed on 11 December 2009.", THU, "11 December 2009", "2009-12-11", "day", "2009-12-11", "2009-12-11"),
    ("It was published March 01, 2008.", THU, "March 01, 2008", "2008-03-01", "day", "2008-03-01", "2008-03-01"),
    ("The verdict is due on 2017-12-01.", THU, "2017-12-01", "2017-12-01", "day", "2017-12-01", "2017-12-01"),
    ("The game was played on 7/8/07.", THU, "7/8/07", "2007-07-08", "day", "2007-07-08", "2007-07-08"),
    ("It began on Monday, June 1, 2009.", THU, "Monday, June 1, 2009", "2009-06-01", "day", "2009-06-01", "2009-06-01"),
    ("The plan was announced in October 2006.", THU, "October 2006", "2006-10", "month", "2006-10-01", "2006-10-31"),
    ("The law took effect in 2008.", THU, "2008", "2008", "year", "2008-01-01", "2008-12-31"),
    ("A program for 2018-2019 was prepared.", THU, "2018", "2018", "year", "2018-01-01", "2018-12-31"),
    ("A program for 2018-2019 was prepared.", THU, "2019", "2019", "year", "2019-01-01", "2019-12-31"),
    ("It will take planes between 2014 and 2016.", THU, "2016", "2016", "year", "2016-01-01", "2016-12-31"),
    ("Profit rose in fiscal 1989.", THU, "fiscal 1989", "FY1989", "year", None, None),
    ("He left in early 2009.", THU, "early 2009", "2009", "year", "2009-01-01", "2009-12-31"),
    ("Output peaks in mid-2011.", THU, "mid-2011", "2011", "year", "2011-01-01", "2011-12-31"),
    ("The car was built in '82.", THU, "'82", "1982", "year", "1982-01-01", "1982-12-31"),
    ("Jazz flourished in the 1920s.", THU, "the 1920s", "192", "decade", "1920-01-01", "1929-12-31"),
    ("Prices were low in the 2000s.", THU, "the 2000s", "200", "decade", "2000-01-01", "2009-12-31"),
    ("It was built in the late 1980s.", THU, "the late 1980s", "198", "decade", "1980-01-01", "1989-12-31"),
    ("It was founded in the 19th century.", THU, "the 19th century", "18", "century", "1800-01-01", "1899-12-31"),
    # months, seasons, quarters
    ("The plan was announced in October.", THU, "October", "2017-10", "month", "2017-10-01", "2017-10-31"),
    ("The plan was announced in December.", THU, "December", "2016-12", "month", "2016-12-01", "2016-12-31"),
    ("The plant will open in February.", THU, "February", "2018-02", "month", "2018-02-01", "2018-02-28"),
    ("The vote happened last summer.", THU, "last summer", "2017-SU", "season", "2017-06-01", "2017-08-31"),
    ("The vote happened last summer.", FRI, "last summer", "2018-SU", "season", "2018-06-01", "2018-08-31"),
    ("The station closed in spring 2015.", THU, "spring 2015", "2015-SP", "season", "2015-03-01", "2015-05-31"),
    ("Snow fell this winter.", FRI, "this winter", "2018-WI", "season", "2018-12-01", "2019-02-28"),
    ("Profits jumped in the third quarter of 2009.", THU, "the third quarter of 2009", "2009-Q3", "quarter", "2009-07-01", "2009-09-30"),
    ("Sales fell in the last quarter.", THU, "the last quarter", "2017-Q3", "quarter", "2017-07-01", "2017-09-30"),
    # relative to the publication date
    ("Early this week, Putin met Bibilov.", THU, "Early this week", "2017-W46", "week", "2017-11-13", "2017-11-19"),
    ("The meeting ended last week.", THU, "last week", "2017-W45", "week", "2017-11-06", "2017-11-12"),
    ("Prices will fall next week.", THU, "next week", "2017-W47", "week", "2017-11-20", "2017-11-26"),
    ("It rained over the weekend.", THU, "the weekend", "2017-W45-WE", "week", "2017-11-11", "2017-11-12"),
    ("Sales rose this year.", THU, "this year", "2017", "year", "2017-01-01", "2017-12-31"),
    ("Sales fell last year.", THU, "last year", "2016", "year", "2016-01-01", "2016-12-31"),
    ("Growth will resume next year.", THU, "next year", "2018", "year", "2018-01-01", "2018-12-31"),
    ("Sales will rise next month.", THU, "next month", "2017-12", "month", "2017-12-01", "2017-12-31"),
    ("Sales fell last month.", THU, "last month", "2017-10", "month", "2017-10-01", "2017-10-31"),
    ("Shops will close in October of next year.", THU, "October of next year", "2018-10", "month", "2018-10-01", "2018-10-31"),
    ("The company was founded five years ago.", THU, "five years ago", "2012", "year", "2012-01-01", "2012-12-31"),
    ("He was fired a week ago.", THU, "a week ago", "2017-11-09", "day", "2017-11-09", "2017-11-09"),
    ("He resigned yesterday.", THU, "yesterday", "2017-11-15", "day", "2017-11-15", "2017-11-15"),
    ("She speaks today.", THU, "today", "2017-11-16", "day", "2017-11-16", "2017-11-16"),
    ("The ceremony is tomorrow.", THU, "tomorrow", "2017-11-17", "day", "2017-11-17", "2017-11-17"),
    ("Shares fell this morning.", THU, "this morning", "2017-11-16TMO", "time", "2017-11-16", "2017-11-16"),
    ("The show airs tonight.", THU, "tonight", "2017-11-16TNI", "time", "2017-11-16", "2017-11-16"),
    ("The launch was at 18:00 UTC.", THU, "18:00 UTC", "2017-11-16T18:00Z", "time", "2017-11-16", "2017-11-16"),
    ("The meeting began at 6:40 p.m. local time.", THU, "6:40 p.m.", "2017-11-16T18:40", "time", "2017-11-16", "2017-11-16"),
    # references to the present, past and future
    ("The firm is now bankrupt.", THU, "now", "PRESENT_REF", None, "2017-11-16", "2017-11-16"),
    ("It is currently closed.", THU, "currently", "PRESENT_REF", None, "2017-11-16", "2017-11-16"),
    ("He recently moved to Paris.", THU, "recently", "PAST_REF", None, None, None),
    ("Mistakes were made in the past.", THU, "the past", "PAST_REF", None, None, None),
    ("Support will grow in the coming years.", THU, "the coming years", "FUTURE_REF", None, None, None),
    # durations
    ("The war lasted three years.", THU, "three years", "P3Y", None, None, None),
    ("The trip took two weeks.", THU, "two weeks", "P2W", None, None, None),
    ("Police held him for 48 hours.", THU, "48 hours", "PT48H", None, None, None),
    ("The talks lasted 30 minutes.", THU, "30 minutes", "PT30M", None, None, None),
    ("The repairs took six months.", THU, "six months", "P6M", None, None, None),
    ("The siege lasted two and a half years.", THU, "two and a half years", "P2.5Y", None, None, None),
    ("They signed a 27-year contract.", THU, "27-year", "P27Y", None, None, None),
    ("It was the fifty-year plan.", THU, "fifty-year", "P50Y", None, None, None),
    ("Sales have doubled over the past decade.", THU, "the past decade", "P10Y", None, None, None),
    ("The war has gone on for years.", THU, "years", "PXY", None, None, None),
    # sets
    ("The report is published every year.", THU, "every year", "P1Y", None, None, None),
    ("The festival is held annually.", THU, "annually", "P1Y", None, None, None),
    ("The plant makes 15 tankers a year.", THU, "a year", "P1Y", None, None, None),
    ("The magazine appears weekly.", THU, "weekly", "P1W", None, None, None),
    ("The market opens every Monday.", THU, "every Monday", "XXXX-WXX-1", None, None, None),
    # without a publication date: absolute forms resolve, partial ones keep what they fix
    ("On the November 14, Putin hosted Bibilov.", None, "November 14", "XXXX-11-14", "day", None, None),
    ("The deal was signed on 11 December 2009.", None, "11 December 2009", "2009-12-11", "day", "2009-12-11", "2009-12-11"),
    ("He resigned yesterday.", None, "yesterday", "XXXX-XX-XX", "day", None, None),
    ("The summit was held on Tuesday.", None, "Tuesday", "XXXX-WXX-2", "day", None, None),
    ("The plan was announced in October.", None, "October", "XXXX-10", "month", None, None),
    ("Sales fell last year.", None, "last year", "XXXX", "year", None, None),
    ("The company was founded five years ago.", None, "five years ago", "XXXX", "year", None, None),
    ("It is currently closed.", None, "currently", "PRESENT_REF", None, None, None),
    ("The war lasted three years.", None, "three years", "P3Y", None, None, None),
    ("Jazz flourished in the 1920s.", None, "the 1920s", "192", "decade", "1920-01-01", "1929-12-31"),
]  # fmt: skip


def _one(found: list[TimeExpr], text: str) -> TimeExpr:
    hits = [t for t in found if t.text == text]
    assert hits, f"{text!r} not among {[t.text for t in found]}"
    return hits[0]


@pytest.mark.parametrize(("sentence", "published", "text", "value", "gran", "begin", "end"), CASES)
def test_normalizes(
    sentence: str,
    published: dt.date | None,
    text: str,
    value: str,
    gran: str | None,
    begin: str | None,
    end: str | None,
) -> None:
    got = _one(tag_text(sentence, published=published), text)
    assert (got.value, got.granularity, got.begin, got.end_date) == (value, gran, begin, end)
    assert sentence[got.start : got.end] == text


def test_table_is_large() -> None:
    assert len(CASES) >= 60


def test_types() -> None:
    found = tag_text(
        "Every year, 15 tankers arrived for three years, on Tuesday at 18:00 UTC.", published=THU
    )
    assert {t.text: t.type for t in found} == {
        "Every year": "SET",
        "three years": "DURATION",
        "Tuesday at 18:00 UTC": "TIME",
    }


def test_extent_drops_prepositions_and_punctuation() -> None:
    found = tag_text("On Tuesday, officials met; since 2008. Tuesday's talks ended.", published=THU)
    assert [t.text for t in found] == ["Tuesday", "2008", "Tuesday"]


def test_calendar_dates_the_model_splits_are_read_whole() -> None:
    """The small model reads "27" as a number and "October" as a date; the day is the date."""
    found = tag_text(
        "On Thursday, 27 October, the board met. The rule applies from 2 November 2022, "
        "and may 5 members object?",
        published=None,
    )
    assert [(t.text, t.value) for t in found] == [
        ("Thursday, 27 October", "XXXX-10-27"),
        ("2 November 2022", "2022-11-02"),
    ]


def test_splits_ranges() -> None:
    found = tag_text("It will receive planes between 2014 and 2016.", published=THU)
    assert [(t.text, t.value) for t in found] == [("2014", "2014"), ("2016", "2016")]


def test_ages_and_plain_numbers_are_not_times() -> None:
    found = tag_text("Papermaster, 49, left at the age of 56 with 1.1.1 installed.", published=THU)
    assert found == []


def test_that_day_refers_back() -> None:
    found = tag_text(
        "On March 2, the firm filed for bankruptcy. Shares fell 20% that day.", published=FRI
    )
    assert [(t.text, t.value) for t in found] == [
        ("March 2", "2019-03-02"),
        ("that day", "2019-03-02"),
    ]


@given(
    hostile_text(),
    st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
    st.sampled_from([None, "past", "present", "future"]),
    st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
    st.booleans(),
)
def test_any_expression_normalizes_or_is_none(
    warm_parsers: None,
    text: str,
    anchor: dt.date | None,
    tense: str | None,
    ref: dt.date | None,
    rate: bool,
) -> None:
    found = normalize(text, Context(anchor, tense, ref, rate))
    assert found is None or isinstance(found, Norm)


@pytest.fixture(scope="module")
def warm_nlp() -> None:
    from storyline.enrich.pipeline import load_nlp

    load_nlp()


@settings(max_examples=15)
@given(
    hostile_text(200, storable=True),
    st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
)
def test_any_text_is_tagged_without_crashing(
    warm_nlp: None, text: str, published: dt.date | None
) -> None:
    for found in tag_text(text, published=published):
        assert 0 <= found.start <= found.end <= len(text)
