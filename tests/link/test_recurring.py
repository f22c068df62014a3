"""Recurring stories: occurrences cut at their anchor days, other reports placed by evidence."""

from __future__ import annotations

import datetime as dt

from storyline.link.features import event_gap, profile, same_occurrence
from storyline.link.recurring import anchor_day, split_recurring
from storyline.records import EventTime, Published
from tests.link.helpers import make

SUMMIT = "the prime minister and the president met at the border to talk about trade and water"
SAID = "we agreed to reopen the freight crossing before the harvest and to meet again next spring"


def _profiles(*items: tuple) -> dict:
    return {article.id: profile(article, enrichment, {}) for article, enrichment in items}


def _split(clusters: list[list[str]], profiles: dict, like: dict | None = None) -> list:
    """split_recurring with every article near every other and likeness from `like`
    (pairs not listed read alike at 0.9)."""
    pairs = like or {}
    out = split_recurring(
        clusters,
        profiles=profiles,
        votes={},
        gaps=lambda a, b: event_gap(profiles[a], profiles[b]),
        likeness=lambda a, b: pairs.get((a, b), pairs.get((b, a), 0.9)),
        threshold=0.5,
        near=lambda m: [o for o in profiles if o != m],
        floor=0.4,
    )
    return sorted(sorted(c) for c in out)


def test_an_undated_report_without_evidence_is_set_apart() -> None:
    first = make("a1", SUMMIT, people=("Ilona Varga", "Tomas Redlich"), when=("2023-05-16", "day"))
    again = make("b1", SUMMIT, people=("Ilona Varga", "Tomas Redlich"), when=("2024-05-21", "day"))
    vague = make(
        "u",
        "Varga and Redlich held talks earlier this week",
        people=("Ilona Varga", "Tomas Redlich"),
    )
    quoting = make("q", f"{SUMMIT}. {SAID}", people=("Ilona Varga",), quotes=(SAID,))
    first_quoting = make("a2", f"{SUMMIT}. {SAID}", when=("2023-05-16", "day"), quotes=(SAID,))
    profiles = _profiles(first, again, vague, quoting, first_quoting)
    clusters = [["a1", "a2", "u", "q"], ["b1"]]
    out = split_recurring(
        clusters,
        profiles=profiles,
        votes={("a1", "b1"): -1},
        gaps=lambda a, b: event_gap(profiles[a], profiles[b]),
        likeness=lambda a, b: 0.9,
        threshold=0.5,
        near=lambda m: [o for o in profiles if o != m],
        floor=0.4,
    )
    assert sorted(sorted(c) for c in out) == [["a1", "a2", "q"], ["b1"], ["u"]]


def test_anchor_day_is_what_a_report_dates_as_news() -> None:
    fresh = make("a", SUMMIT, when=("2023-05-16", "day"), published="2023-05-17")
    later = make("b", SUMMIT, when=("2023-05-16", "day"), published="2023-06-20")
    notice = make("c", SUMMIT, when=("2026-01-01", "day"), published="2023-05-17")
    undated = make("d", SUMMIT, when=("2023-05-16", "day"))
    yearless = make("e", SUMMIT, when=("XXXX-05-16", "day"))
    days = [anchor_day(profile(*x, {})) for x in (fresh, later, notice, undated, yearless)]
    assert days == [dt.date(2023, 5, 16), None, None, dt.date(2023, 5, 16), None]


def test_occurrences_days_apart_are_cut_apart_and_reports_follow_their_evidence() -> None:
    people = ("Ilona Varga", "Tomas Redlich")
    items = (
        make("a1", SUMMIT, people=people, when=("2023-05-16", "day"), published="2023-05-16"),
        make("a2", SUMMIT, people=people, when=("2023-05-17", "day"), published="2023-05-17"),
        make("b1", SUMMIT, people=people, when=("2023-06-02", "day"), published="2023-06-02"),
        make("b2", SUMMIT, people=people, when=("2023-06-02", "day"), published="2023-06-03"),
        # Published the day of the second meeting: it reports that one.
        make("p", "Varga and Redlich met again", people=people, published="2023-06-03"),
        # Names a Friday: 2023-06-02 was one, 2023-05-16 a Tuesday.
        make("w", "Varga and Redlich met on Friday", people=people),
    )
    profiles = _profiles(*items)
    profiles["w"].weekdays = frozenset({5})
    clusters = [["a1", "a2", "b1", "b2", "p", "w"]]
    assert _split(clusters, profiles) == [["a1", "a2"], ["b1", "b2", "p", "w"]]


def test_one_report_dated_apart_does_not_cut_a_cluster() -> None:
    items = (
        make("a1", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        make("a2", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        make("m", SUMMIT, when=("2023-05-30", "day"), published="2023-05-30"),
    )
    assert _split([["a1", "a2", "m"]], _profiles(*items)) == [["a1", "a2", "m"]]


def _named(item: tuple, words: str) -> tuple:
    """`item` with its event time read from `words`, put at the head of its text."""
    article, enrichment = item
    article.text = f"{words} {article.text}"
    time = enrichment.event_time
    enrichment.event_time = EventTime(time.value, time.precision, words, 0, len(words))
    return article, enrichment


def test_one_report_naming_its_day_on_that_day_cuts_a_cluster() -> None:
    """Its text names the day and its page is dated that day: read twice, a date to trust,
    where "today" on the same page would only repeat the page's date."""
    items = (
        make("a1", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        make("a2", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        _named(make("m", SUMMIT, when=("2023-05-30", "day"), published="2023-05-30"), "Tuesday"),
    )
    assert _split([["a1", "a2", "m"]], _profiles(*items)) == [["a1", "a2"], ["m"]]
    today = _named(make("m", SUMMIT, when=("2023-05-30", "day"), published="2023-05-30"), "today")
    assert _split([["a1", "a2", "m"]], _profiles(*items[:2], today)) == [["a1", "a2", "m"]]


def test_a_report_its_date_leaves_one_occurrence_for_needs_less_likeness() -> None:
    people = ("Ilona Varga", "Tomas Redlich")
    items = (
        make("a1", SUMMIT, people=people, when=("2023-05-16", "day"), published="2023-05-16"),
        make("a2", SUMMIT, people=people, when=("2023-05-16", "day"), published="2023-05-17"),
        make("b1", SUMMIT, people=people, when=("2023-06-02", "day"), published="2023-06-02"),
        make("b2", SUMMIT, people=people, when=("2023-06-02", "day"), published="2023-06-02"),
        make("r", "markets shrugged at the border talks", published="2023-06-03"),
        make("s", "markets shrugged at the border talks"),
    )
    like = {(x, y): 0.3 if y[0] == "b" else 0.25 for x in "rs" for y in ("a1", "a2", "b1", "b2")}
    out = _split([["a1", "a2", "b1", "b2", "r", "s"]], _profiles(*items), like)
    assert out == [["a1", "a2"], ["b1", "b2", "r"], ["s"]]


def test_a_report_whose_text_and_page_dates_disagree_is_placed_by_likeness() -> None:
    items = (
        make("a1", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        make("a2", SUMMIT, when=("2023-05-16", "day"), published="2023-05-17"),
        make("b1", SUMMIT, when=("2023-06-02", "day"), published="2023-06-02"),
        make("b2", SUMMIT, when=("2023-06-02", "day"), published="2023-06-02"),
        # Published after the second meeting, but its text dates the first one.
        make("x", SUMMIT, when=("2023-05-16", "day"), published="2023-06-03"),
    )
    like = {("x", "a1"): 0.9, ("x", "a2"): 0.9, ("x", "b1"): 0.5, ("x", "b2"): 0.5}
    out = _split([["a1", "a2", "b1", "b2", "x"]], _profiles(*items), like)
    assert out == [["a1", "a2", "x"], ["b1", "b2"]]


def test_an_undated_report_that_reads_alike_both_stays_apart() -> None:
    items = (
        make("a1", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        make("a2", SUMMIT, when=("2023-05-16", "day"), published="2023-05-17"),
        make("b1", SUMMIT, when=("2023-06-02", "day"), published="2023-06-02"),
        make("b2", SUMMIT, when=("2023-06-02", "day"), published="2023-06-02"),
        make("u", "the two met at the border"),
        make("v", "the prime minister met the president to sign the freight deal"),
    )
    like = {("v", "b1"): 0.8, ("v", "b2"): 0.8, ("v", "a1"): 0.2, ("v", "a2"): 0.2}
    out = _split([["a1", "a2", "b1", "b2", "u", "v"]], _profiles(*items), like)
    assert out == [["a1", "a2"], ["b1", "b2", "v"], ["u"]]


def test_a_story_that_does_not_recur_is_left_alone() -> None:
    first = make("a1", SUMMIT, when=("2023-05-16", "day"))
    vague = make("u", SUMMIT)
    alone = make("x", "an unrelated report with no date")
    profiles = _profiles(first, vague, alone)
    assert _split([["a1", "u"], ["x"]], profiles, {("x", "a1"): 0.1}) == [["a1", "u"], ["x"]]


def test_a_yearless_date_takes_the_years_its_publication_allows() -> None:
    dated = make("a", SUMMIT, when=("2017-11-14", "day"))
    article, enrichment = make("b", SUMMIT, when=("XXXX-03-06", "day"))
    article.published = Published(candidates=("2013-03-08", "2019-03-08", "2024-03-08"))
    pa, pb = profile(*dated, {}), profile(article, enrichment, {})
    assert event_gap(pa, pb) == 477  # 2017-11-14 to 2019-03-06, the nearest reading
    article.published = Published()
    assert event_gap(pa, profile(article, enrichment, {})) == 113  # month and day alone


def test_same_occurrence_needs_a_day_wording_or_quote() -> None:
    a = make("a", f"{SUMMIT}. {SAID}", quotes=(SAID,))
    b = make("b", f"Officials said {SAID}", quotes=(SAID,))
    c = make("c", "Both leaders praised the talks and the weather in Marsk")
    pa, pb, pc = profile(*a, {}), profile(*b, {}), profile(*c, {})
    assert same_occurrence(pa, pb)
    assert not same_occurrence(pa, pc)


def _in(language: str, item: tuple) -> tuple:
    item[0].language = language
    return item


def test_a_report_in_another_language_joins_only_on_names_and_numbers() -> None:
    """Its wording reads like no English report; the place and the rate it names tell which
    decision it reports, and a report naming only what every decision shares stays apart."""
    board = ("Marta Ilves",)
    items = [
        _in(
            "en",
            make(
                x,
                f"The board raised rates to {rate}% at {town}",
                people=board,
                places=(town,),
                when=(day, "day"),
                published=day,
            ),
        )
        for x, rate, town, day in (
            ("a1", "4.25", "Velden", "2023-05-16"),
            ("a2", "4.25", "Velden", "2023-05-16"),
            ("b1", "4.50", "Rask", "2023-09-14"),
            ("b2", "4.50", "Rask", "2023-09-14"),
        )
    ]
    items.append(
        _in(
            "de", make("f", "Der Rat hob den Satz auf 4,50 Prozent", people=board, places=("Rask",))
        )
    )
    items.append(_in("de", make("g", "Der Rat tagte wieder", people=board)))
    like = {(x, y): 0.1 for x in "fg" for y in ("a1", "a2", "b1", "b2")}
    out = _split([["a1", "a2", "b1", "b2"], ["f"], ["g"]], _profiles(*items), like)
    assert out == [["a1", "a2"], ["b1", "b2", "f"], ["g"]]


def test_a_lone_report_of_another_day_is_placed_not_cut_into_its_cluster() -> None:
    """Its page dates it only by "today": its day is its own evidence, and it joins the
    occurrence of that day found in another cluster rather than the one it was lumped with."""
    items = (
        make("a1", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        make("a2", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        make("b1", SUMMIT, when=("2023-06-02", "day"), published="2023-06-02"),
        make("b2", SUMMIT, when=("2023-06-02", "day"), published="2023-06-02"),
        _named(make("x", SUMMIT, when=("2023-06-02", "day"), published="2023-06-02"), "today"),
    )
    out = _split([["a1", "a2", "x"], ["b1", "b2"]], _profiles(*items))
    assert out == [["a1", "a2"], ["b1", "b2", "x"]]


def test_a_dated_report_leaves_an_undated_group_for_its_day() -> None:
    """Two reports with no date of the story's own read alike; one was published the day of
    an occurrence, and follows it there."""
    items = (
        make("a1", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        make("a2", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        make("b1", SUMMIT, when=("2023-06-02", "day"), published="2023-06-02"),
        make("b2", SUMMIT, when=("2023-06-02", "day"), published="2023-06-02"),
        make("x", "rates rose again", published="2023-06-02"),
        make("y", "rates rose again"),
    )
    like = {(x, y): 0.3 for x in "xy" for y in ("a1", "a2", "b1", "b2")}
    out = _split([["a1", "a2"], ["b1", "b2"], ["x", "y"]], _profiles(*items), like)
    assert out == [["a1", "a2"], ["b1", "b2", "x"], ["y"]]


def test_a_day_named_without_its_year_points_only_at_the_years_the_text_names() -> None:
    items = (
        make("a1", SUMMIT, when=("2022-06-06", "day"), published="2022-06-06"),
        make("a2", SUMMIT, when=("2022-06-06", "day"), published="2022-06-06"),
        make("b1", SUMMIT, when=("2024-06-10", "day"), published="2024-06-10"),
        make("b2", SUMMIT, when=("2024-06-10", "day"), published="2024-06-10"),
        make("r", "the 2022 keynote came and went"),
    )
    profiles = _profiles(*items)
    profiles["r"].days = frozenset({"06-10"})
    profiles["r"].years = frozenset({2022})
    like = {("r", "a1"): 0.6, ("r", "a2"): 0.6, ("r", "b1"): 0.62, ("r", "b2"): 0.62}
    out = _split([["a1", "a2", "b1", "b2", "r"]], profiles, like)
    assert out == [["a1", "a2"], ["b1", "b2"], ["r"]]


def test_a_report_as_alike_to_another_occurrence_as_to_its_own_cluster_stands_apart() -> None:
    items = (
        make("a1", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        make("a2", SUMMIT, when=("2023-05-16", "day"), published="2023-05-16"),
        make("b1", SUMMIT, when=("2024-05-21", "day"), published="2024-05-21"),
        make("b2", SUMMIT, when=("2024-05-21", "day"), published="2024-05-21"),
        make("u", "the two met at the border again"),
    )
    like = {("u", "a1"): 0.9, ("u", "a2"): 0.9, ("u", "b1"): 0.92, ("u", "b2"): 0.92}
    out = _split([["a1", "a2", "u"], ["b1", "b2"]], _profiles(*items), like)
    assert out == [["a1", "a2"], ["b1", "b2"], ["u"]]
