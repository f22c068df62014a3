"""Recurring stories: undated reports are placed only on evidence of one occurrence."""

from __future__ import annotations

from storyline.link.features import event_gap, profile, same_occurrence
from storyline.link.recurring import split_recurring
from storyline.records import Published
from tests.link.helpers import make

SUMMIT = "the prime minister and the president met at the border to talk about trade and water"
SAID = "we agreed to reopen the freight crossing before the harvest and to meet again next spring"


def _profiles(*items: tuple) -> dict:
    return {article.id: profile(article, enrichment, {}) for article, enrichment in items}


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
    )
    assert sorted(sorted(c) for c in out) == [["a1", "a2", "q"], ["b1"], ["u"]]


def test_a_story_that_does_not_recur_is_left_alone() -> None:
    first = make("a1", SUMMIT, when=("2023-05-16", "day"))
    vague = make("u", SUMMIT)
    profiles = _profiles(first, vague)
    out = split_recurring(
        [["a1", "u"]],
        profiles=profiles,
        votes={},
        gaps=lambda a, b: event_gap(profiles[a], profiles[b]),
        likeness=lambda a, b: 0.9,
        threshold=0.5,
    )
    assert out == [["a1", "u"]]


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
