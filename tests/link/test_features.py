from __future__ import annotations

from storyline.link.features import (
    FEATURES,
    DocFreq,
    Profile,
    day_vote,
    keys_of,
    marks,
    names_day,
    pair_features,
    parse_date,
    profile,
    tokens,
    vectors,
)
from storyline.records import TimeExpr
from tests.link.helpers import make


def _profile(a: tuple) -> Profile:
    return profile(*a, {})


def _features(a: tuple, b: tuple) -> dict[str, float | None]:
    pa, pb = profile(*a, {}), profile(*b, {})
    df = DocFreq()
    for p in (pa, pb):
        df.add(keys_of(p))
    values = pair_features(pa, pb, df, vectors(pa, df), vectors(pb, df))
    return dict(zip(FEATURES, values, strict=True))


def test_tokens_drop_stop_words_and_keep_numbers() -> None:
    assert tokens("The quake of 6.1 killed 12 people") == ["quake", "6.1", "killed", "12", "people"]


def test_parse_date_partial_values() -> None:
    assert parse_date("2017-11-14") == (2017, 11, 14)
    assert parse_date("XXXX-11-14") == (None, 11, 14)
    assert parse_date("2019-03") == (2019, 3, None)
    assert parse_date(None) == (None, None, None)


def test_day_gap_and_graded_agreement() -> None:
    text = "Putin met the South Ossetian leader in Moscow to discuss aid"
    a = make("a", text, people=("Putin",), when=("2017-11-14", "day"))
    b = make("b", text, people=("Putin",), when=("2019-03-06", "day"))
    c = make("c", text, people=("Putin",), when=("XXXX-11-14", "day"))
    d = make("d", text, people=("Putin",), when=("2017-11", "month"))
    assert _features(a, b)["time_agree"] == 0.0
    assert _features(a, b)["time_gap"] == 1.0  # more than a year apart
    assert _features(a, c)["time_agree"] == 1.0
    assert _features(a, c)["time_gap"] == 0.0  # a yearless date compared by month and day
    assert _features(a, d)["time_agree"] == 0.5
    assert _features(a, d)["time_gap"] is None  # a month is no day to measure from
    assert day_vote(_profile(a), _profile(b)) == -1 and day_vote(_profile(a), _profile(c)) == 1


def test_shared_wording_and_quotes() -> None:
    said = "the bridge will reopen to freight traffic before the winter storms arrive"
    a = make("a", f"The minister said {said} in Marsk", quotes=(said,))
    b = make("b", f"Officials said {said} on Friday", quotes=(said,))
    other = "harbour workers expected the river water to rise this fast overnight"
    c = make("c", f"A storm closed the harbour road. {other}", quotes=(other,))
    assert _features(a, b)["phrase_overlap"] > 0.5
    assert _features(a, b)["quote_match"] == 1.0
    assert _features(a, c)["phrase_overlap"] == 0.0
    assert _features(a, c)["quote_match"] == 0.0


def test_missing_evidence_is_none_not_zero() -> None:
    a = make("a", "A fire destroyed the supermarket")
    b = make("b", "A fire destroyed the supermarket")
    values = _features(a, b)
    assert values["time_agree"] is None
    assert values["pub_gap"] is None
    assert values["body_cos"] is not None and values["body_cos"] > 0.99


def test_surname_fallback_joins_short_and_full_names() -> None:
    a = make("a", "Felt revealed himself", people=("Mark Felt",))
    b = make("b", "Felt died aged 95", people=("Mr. Felt",))
    assert _features(a, b)["person_cos"] == 1.0


def test_agreeing_dates_count_only_as_far_as_the_subjects_meet() -> None:
    a = make("a", "the rocket lifted off and its booster was caught", when=("2024-06-06", "day"))
    b = make("b", "the central bank cut its deposit rate by a quarter", when=("2024-06-06", "day"))
    values = _features(a, b)
    assert values["body_cos"] == 0.0
    assert values["time_agree"] == 0.0 and values["day_overlap"] == 0.0
    assert values["time_gap"] == 0.0  # the gap itself is no evidence of a subject


def test_weekdays_named_in_the_text() -> None:
    article, enrichment = make("a", "The board met on Thursday")
    enrichment.times.append(TimeExpr(16, 24, "Thursday", "DATE", "XXXX-WXX-4", "day"))
    assert profile(article, enrichment, {}).weekdays == frozenset({4})


def test_names_day_tells_calendar_words_from_pointers_at_the_page_date() -> None:
    assert all(names_day(w) for w in ("Tuesday", "on 5 March", "7/19/2022", "early Sunday"))
    assert not any(names_day(w) for w in ("today", "tonight", "07:00pm", "this morning"))


def test_tokens_fold_accents_so_a_name_reads_alike_in_every_spelling() -> None:
    assert tokens("Erdoğan met Şahin") == tokens("Erdogan met Sahin")


def test_marks_are_name_words_and_telling_numbers() -> None:
    found = marks("rates at 4,5% and 175 bps on day 18 at 07:00", ["Astana'daki", "Il", "Ilves"])
    assert found == {"astana", "daki", "ilves", "4.5", "175"}
