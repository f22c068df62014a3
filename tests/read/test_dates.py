"""Printed publication dates: every printed form, weekday arithmetic, tense evidence, windows."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.read.clean import common_lines, read_plain
from storyline.read.dates import (
    YearBounds,
    date_span,
    find_printed_date,
    infer_published,
    parse_printed,
    publication_candidates,
    publication_date,
    read_published,
    year_bounds,
)
from storyline.records import Article, PubDate, Published
from tests.strategies import hostile_text

TODAY = datetime.date(2026, 11, 25)
D = datetime.date


@pytest.mark.parametrize(
    ("printed", "date", "precision"),
    [
        ("22 March 2017 12:18", "2017-03-22", "day"),
        ("Nov. 16, 2017", "2017-11-16", "day"),
        ("November 16th, 2017", "2017-11-16", "day"),
        ("2017-11-16", "2017-11-16", "day"),
        ("2017-11-16T10:00:00Z", "2017-11-16", "day"),
        ("2017-11-16T10:00:00+03:00", "2017-11-16", "day"),
        ("2017-11-16 10:00", "2017-11-16", "day"),
        ("Tue, 14 Nov 2017 10:00:00 +0000", "2017-11-14", "day"),
        ("Posted July 20, 2009", "2009-07-20", "day"),
        ("Posted on: 3: 35 pm, December 23, 2012", "2012-12-23", "day"),
        ("Published on Friday, 27 September 2013", "2013-09-27", "day"),
        ("UPDATED: WEDNESDAY, MARCH 13, 2013, 2: 30 AM", "2013-03-13", "day"),
        ("Sunday, November 27-2005 at 16: 12", "2005-11-27", "day"),
        ("on Mar 8 2013, 11: 55p", "2013-03-08", "day"),
        ("Updated: 09 Sep 2013 11: 25 GMT+02: 00", "2013-09-09", "day"),
        ("27 / 09 / 2013", "2013-09-27", "day"),
        ("7 / 28 / 2004 3: 02: 00 PM ET", "2004-07-28", "day"),
        ("16.11.2017", "2017-11-16", "day"),
        ("2017/11/16", "2017-11-16", "day"),
        ("16 novembre 2017", "2017-11-16", "day"),
        ("5. November 2023", "2023-11-05", "day"),
        ("Sonntag, 5. November 2023", "2023-11-05", "day"),
        ("March 2017", "2017-03", "month"),
        ("2017-03", "2017-03", "month"),
        ("2017", "2017", "year"),
        ("Aprıl 5, 2016", "2016-04-05", "day"),  # dotless i: a look-alike the pattern matches
        ("Tueſday, ſept 6, 2016", "2016-09-06", "day"),  # long s
    ],
)
def test_reads_every_printed_form(printed: str, date: str, precision: str) -> None:
    published = read_published(printed, today=TODAY)
    assert (published.date, published.precision) == (date, precision)
    assert published.candidates == (date,)
    assert published.evidence == printed


def test_two_digit_year_and_both_orders_of_an_ambiguous_numeric_date() -> None:
    published = read_published("8 / 2 / 13", today=TODAY)
    assert published.date is None
    assert published.candidates == ("2013-02-08", "2013-08-02")
    windowed = read_published("8 / 2 / 13", window=(D(2013, 7, 1), D(2013, 9, 1)), today=TODAY)
    assert windowed.date == "2013-08-02"


@pytest.mark.parametrize(
    ("printed", "weekday", "years"),
    [
        ("Thursday, November 16", 3, [1995, 2000, 2006, 2017, 2023]),
        ("Friday, March 8", 4, [1991, 1996, 2002, 2013, 2019, 2024]),
        ("Thu, Feb 29", 3, [1996, 2024]),
        ("Monday 3 June", 0, [1991, 1996, 2002, 2013, 2019, 2024]),
    ],
)
def test_a_printed_weekday_limits_the_year(printed: str, weekday: int, years: list[int]) -> None:
    published = read_published(printed, today=TODAY)
    assert published.date is None, "no evidence: the year must not be guessed"
    assert published.precision == "day"
    assert [int(c[:4]) for c in published.candidates] == years
    assert all(D.fromisoformat(c).weekday() == weekday for c in published.candidates)


def test_today_only_bounds_the_candidates() -> None:
    early = read_published("Thursday, November 16", today=D(2020, 1, 1))
    assert early.candidates[-1] == "2017-11-16"
    assert early.date is None


PAST_AND_FUTURE = (
    "We discussed the implementation of an investment program for 2015-2017. "
    "A new program for 2018-2019 has been prepared, which will be endorsed soon. "
    "The region broke away in the 1990s and was recognised in 2008."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PAST_AND_FUTURE, YearBounds(2015, 2018)),
        ("The election was held in April 2017.", YearBounds(2017, None)),
        ("Talks will resume in 2019.", YearBounds(None, 2019)),
        ("He was elected in 2012 and will serve until 2018.", YearBounds(2012, 2018)),
        ("The plan is ambitious, officials said of the 2030 target.", YearBounds(None, None)),
        ("A dream held since the 1920s.", YearBounds(1920, None)),
        ("Prices rose 2017% and 7.2017 units were sold; $2019 changed hands.", YearBounds()),
        ("The summit is scheduled for 2021 in Oslo.", YearBounds(None, 2021)),
        ("No year at all is named here.", YearBounds()),
    ],
)
def test_year_bounds_follow_tense(text: str, expected: YearBounds) -> None:
    assert year_bounds(text) == expected


@pytest.mark.parametrize(
    ("printed", "text", "date"),
    [
        ("Thursday, November 16", PAST_AND_FUTURE, "2017-11-16"),
        ("Friday, March 8", "Parliamentary elections will be held in 2019.", None),
        ("Friday, March 8", "A vote was held in 2016 and the next will be in 2019.", "2019-03-08"),
        ("Friday, March 8", "Parliamentary elections were held in 2019.", None),
        ("Friday, March 8", "The war of 2008 was long over and a vote was held in 2014.", None),
        ("Friday, March 8", "A 2014 budget will pass; the 2012 one failed.", "2013-03-08"),
        ("Friday, March 8", "The 2013 summit, the 2019 summit.", None),
        ("Friday, March 8", "It was held in 2020 and will recur in 2015.", None),
    ],
)
def test_text_years_choose_among_candidates(printed: str, text: str, date: str | None) -> None:
    published = read_published(printed, text=text, today=TODAY)
    assert published.date == date
    assert len(published.candidates) == 6 if printed.startswith("Friday") else 5


def test_window_drops_candidates_and_one_left_is_chosen() -> None:
    window = (D(2015, 1, 1), D(2020, 12, 31))
    published = read_published("Friday, March 8", window=window, today=TODAY)
    assert published == Published("2019-03-08", "day", ("2019-03-08",), "Friday, March 8")


def test_window_leaving_several_candidates_chooses_none() -> None:
    published = read_published("Friday, March 8", window=(D(2010, 1, 1), D(2020, 1, 1)))
    assert published.date is None
    assert published.candidates == ("2013-03-08", "2019-03-08")


def test_a_printed_date_outside_the_window_overrules_it() -> None:
    published = read_published("Friday, March 8", window=(D(2014, 1, 1), D(2018, 12, 31)))
    assert published.date is None
    assert "2013-03-08" in published.candidates and "2019-03-08" in published.candidates


def test_month_and_day_without_weekday_or_year() -> None:
    bare = read_published("Jul. 7 5: 59 PM EDT", text="It was held in 2012.", today=TODAY)
    assert (bare.date, bare.candidates, bare.precision) == (None, (), "day")
    window = (D(2012, 1, 1), D(2012, 12, 31))
    assert read_published("July 7", window=window, today=TODAY).date == "2012-07-07"
    wider = read_published("July 7", window=(D(2011, 1, 1), D(2012, 12, 31)), today=TODAY)
    assert (wider.date, wider.candidates) == (None, ("2011-07-07", "2012-07-07"))


@pytest.mark.parametrize("printed", ["March", "Thursday", "Updated 9: 06 AM", "yesterday", "  "])
def test_never_invents_a_date(printed: str) -> None:
    published = read_published(printed, text="It was held in 2017.", today=TODAY)
    assert published.date is None
    assert published.candidates == ()


@pytest.mark.parametrize(
    ("url", "date", "precision"),
    [
        ("https://example.org/world/2017/11/16/putin-meets-leader", "2017-11-16", "day"),
        ("https://example.org/2017-11-16/putin-meets-leader", "2017-11-16", "day"),
        ("https://example.org/news/20171116/story.html", "2017-11-16", "day"),
        ("https://example.org/news/2017/11/putin.html", "2017-11", "month"),
        ("https://example.org/news/story-2017.html", None, None),
        ("https://example.org/2017/13/45/story", None, None),
    ],
)
def test_dates_in_url_paths(url: str, date: str | None, precision: str | None) -> None:
    published = read_published(None, url=url, today=TODAY)
    assert (published.date, published.precision) == (date, precision)


def test_the_printed_date_wins_over_the_url() -> None:
    published = read_published("Nov. 16, 2017", url="https://e.org/2019/01/01/x", today=TODAY)
    assert published.date == "2017-11-16"
    assert read_published(None) == Published()
    # A URL day never overrides a printed day, nor a URL month a printed day.
    fuller = read_published("Nov. 16, 2017", url="https://e.org/2017/11/x", today=TODAY)
    assert (fuller.date, fuller.precision) == ("2017-11-16", "day")


@pytest.mark.parametrize(
    ("printed", "url", "date", "precision"),
    [
        ("November 2017", "https://e.org/2017/11/16/x", "2017-11-16", "day"),
        ("2017", "https://e.org/2017/11/x", "2017-11", "month"),
        ("November 2017", "https://e.org/2018/01/16/x", "2017-11", "month"),
        ("Friday, March 8", "https://e.org/2019/03/08/x", "2019-03-08", "day"),
        ("Friday, March 8", "https://e.org/2018/03/08/x", None, "day"),
        ("last updated recently", "https://e.org/2017/11/x", "2017-11", "month"),
    ],
)
def test_a_url_completes_what_is_printed_when_they_agree(
    printed: str, url: str, date: str | None, precision: str
) -> None:
    published = read_published(printed, url=url, today=TODAY)
    assert (published.date, published.precision) == (date, precision)


@pytest.mark.parametrize(
    ("lines", "found"),
    [
        (["Fire at Waitrose in Wellington", "Sunday, 21 July 2013", "A FIRE..."], "Sunday, 21 July 2013"),
        (["Headline", "  Posted July 20, 2009  "], "Posted July 20, 2009"),
        (["Updated 9: 06 AM", "THURSDAY, APRIL 11, 2013, 9: 53 PM"], "THURSDAY, APRIL 11, 2013, 9: 53 PM"),
        (["Washington D. C., Jul 13, 2009 / 02: 00 pm (CNA)"], "Washington D. C., Jul 13, 2009 / 02: 00 pm (CNA)"),
        (["Interior and Commerce Secretaries Must Act by May 9"], None),
        (["27 / 09 / 2013-Turkmenistan to hold first-ever parliamentary elections"], None),
        (["Watergate figure Fred LaRue, July 24"], None),
        (["He may 2 go"], None),
        (["2017"], None),
    ],
)  # fmt: skip
def test_find_printed_date(lines: list[str], found: str | None) -> None:
    assert find_printed_date(lines) == found


def test_parse_printed_keeps_only_what_is_printed() -> None:
    printed = parse_printed("Thursday, November 16")
    assert printed is not None
    assert (printed.year, printed.month, printed.day, printed.weekday) == (None, 11, 16, 3)
    assert parse_printed("no date here") is None


def test_seed_publication_dates(seeds: Path) -> None:
    gold = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))["articles"]
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))}
    shared = common_lines(texts.values())
    window = (D(2015, 1, 1), D(2020, 12, 31))
    for name, raw in texts.items():
        plain = read_plain(raw, common_lines=shared)
        free = read_published(plain.printed_date, text=plain.body, today=TODAY)
        framed = read_published(plain.printed_date, text=plain.body, window=window, today=TODAY)
        expected = gold[name]["published"]
        if name.startswith("001"):
            assert free.date == expected and "2023-11-16" in free.candidates
        elif name.startswith("004"):
            assert free.date is None
            assert {"2013-03-08", "2019-03-08", "2024-03-08"} <= set(free.candidates)
            assert framed.date == expected
        else:
            assert free.date is None and expected is None


def test_years_in_separate_parts_of_a_clause_take_their_own_tense() -> None:
    text = (
        "The museum, which opened in 2016 in a former mill, now plans a new wing for 2027 "
        "and a cafe."
    )
    assert year_bounds(text) == YearBounds(2016, None)
    published = read_published("Saturday, June 20", text=text, today=D(2024, 12, 31))
    assert published.date == "2020-06-20"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Ships waited on Friday after the walkout on Thursday, November 2, ended.", "2023-11-03"),
        ("Ships waited on Friday after the walkout on Friday 10 March ended.", "2023-03-11"),
        ("Ships waited on Friday after Thursday's walkout.", None),
        ("The walkout on Monday, November 2, ended.", None),
    ],
)
def test_a_weekday_tied_date_in_the_text_settles_an_ambiguous_numeric_date(
    text: str, date: str | None
) -> None:
    published = read_published("03.11.2023", text=text)
    assert published.date == date
    assert published.candidates == ("2023-03-11", "2023-11-03")


def test_a_weekday_tied_date_chooses_among_the_years_of_a_window() -> None:
    text = "The fair, held on Sunday, June 14, drew crowds; it was founded in 1998."
    window = (D(2014, 1, 1), D(2016, 12, 31))
    published = read_published("June 15", text=text, window=window, today=TODAY)
    assert published.candidates == ("2014-06-15", "2015-06-15", "2016-06-15")
    assert published.date == "2015-06-15"


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("2016-10-05", PubDate(D(2016, 10, 5), D(2016, 10, 5), "day")),
        ("2016-12", PubDate(D(2016, 12, 1), D(2016, 12, 31), "month")),
        ("2016-02", PubDate(D(2016, 2, 1), D(2016, 2, 29), "month")),
        ("2016", PubDate(D(2016, 1, 1), D(2016, 12, 31), "year")),
        ("XXXX-03-08", None),
        ("2016-13", None),
        ("", None),
        (None, None),
    ],
)
def test_date_span_covers_the_days_a_date_may_be(value: str | None, span: PubDate | None) -> None:
    assert date_span(value) == span


def test_a_month_or_a_year_is_never_a_day() -> None:
    def article(published: Published) -> Article:
        return Article(id="a", source="a", text="x", raw="x", published=published)

    month = publication_date(article(read_published("2016-10")))
    assert month is not None and month.day is None and month.value == "2016-10"
    day = publication_date(article(read_published("Oct 5, 2016")))
    assert day is not None and day.day == D(2016, 10, 5) and day.value == "2016-10-05"
    yearless = article(read_published("Friday, March 8", today=TODAY))
    assert publication_date(yearless) is None
    assert D(2019, 3, 8) in {c.day for c in publication_candidates(yearless)}


@given(
    hostile_text(),
    hostile_text(200),
    st.none() | st.text(max_size=40).map(lambda t: f"https://x.example/{t}"),
    st.none() | st.tuples(st.dates(D(1990, 1, 1), D(2030, 1, 1)), st.integers(0, 4000)),
)
def test_any_printed_date_reads_without_crashing(
    warm_parsers: None,
    printed: str,
    text: str,
    url: str | None,
    span: tuple[datetime.date, int] | None,
) -> None:
    parse_printed(printed)
    find_printed_date(printed.split("\n"))
    year_bounds(text)
    date_span(printed)
    window = (span[0], span[0] + datetime.timedelta(days=span[1])) if span else None
    published = read_published(printed, text=text, url=url, window=window, today=TODAY)
    assert published.date is None or published.date[:4].isdigit()


def test_a_yearless_date_takes_the_year_nearest_the_collection() -> None:
    printed = read_published("Friday, March 8", today=TODAY)
    assert printed.date is None
    dated = [D(2017, 11, 14), D(2017, 11, 16)]
    found = infer_published(printed, text="", dated=dated, margin_days=365)
    assert found is not None and found.date is None
    assert found.inferred == "2019-03-08"  # 2019 is nearer 2017 than 2013 is
    assert found.inference is not None and "2017-11-14..2017-11-16" in found.inference
    article = Article(id="a", source="a", text="x", raw="x", published=found)
    span = publication_date(article)
    assert span is not None and span.inferred and span.day == D(2019, 3, 8)
    # Inside a wider inferred window the only candidate is taken; with none dated, none is.
    wide = infer_published(printed, text="", dated=[D(2024, 1, 5)], margin_days=365)
    assert wide is not None and wide.inferred == "2024-03-08"
    assert infer_published(printed, text="", dated=[], margin_days=365) is None
    # A date printed in full is never re-read.
    assert (
        infer_published(read_published("2017-11-16"), text="", dated=dated, margin_days=9) is None
    )
