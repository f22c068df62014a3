"""Indirect speech read from the parse: complements of speech and thought verbs, "according to",
cue nouns; never a clause inside quotation marks."""

from __future__ import annotations

from typing import Any

import pytest

from storyline.enrich.entities import find_mentions
from storyline.enrich.pipeline import load_nlp
from storyline.enrich.quotes import find_quotes
from storyline.records import Quote


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def indirect(nlp: Any, text: str) -> list[Quote]:
    doc = nlp(text)
    return [q for q in find_quotes(doc, find_mentions(doc, title=None)) if q.kind == "indirect"]


def test_verb_with_clause_before_and_after(nlp: Any) -> None:
    found = indirect(
        nlp,
        "Mayor Ilse Korhonen said on Monday that the buses would run again by Friday. "
        "The strike could last another month, union leader Pekka Aalto warned.",
    )
    assert [(q.text, q.speaker, q.cue) for q in found] == [
        ("that the buses would run again by Friday", "Ilse Korhonen", "said"),
        ("The strike could last another month", "Pekka Aalto", "warned"),
    ]


def test_according_to_and_a_cue_noun(nlp: Any) -> None:
    found = indirect(
        nlp,
        "According to the weather office, the river will peak on Sunday. "
        "Governor Tomas Ardell rejected claims by Senator Rhea Mallory that the dam was unsafe.",
    )
    assert found[0].text == "the river will peak on Sunday" and found[0].cue == "according to"
    rejected, claim = found[1:]
    assert rejected.cue == "rejected" and rejected.speaker == "Tomas Ardell"
    assert claim.text == "that the dam was unsafe" and claim.speaker == "Rhea Mallory"


def test_unnamed_source_keeps_its_words_and_pronouns_resolve(nlp: Any) -> None:
    text = (
        "Minister Helga Brandvik visited the port. She believes the new pier will open in May. "
        "A spokesman for the port said the cranes had been repaired."
    )
    first, second = indirect(nlp, text)
    assert first.speaker == "Helga Brandvik" and first.text == "the new pier will open in May"
    assert second.speaker is None and second.speaker_start is not None
    assert text[second.speaker_start : second.speaker_end] == "A spokesman for the port"  # type: ignore[misc]


def test_clauses_inside_quotes_are_not_indirect(nlp: Any) -> None:
    found = indirect(
        nlp, "“I think that the talks will fail and I said so to the minister,” Ana Ruiz said."
    )
    assert found == []


def test_stance_verbs_attribute_their_object(nlp: Any) -> None:
    found = indirect(
        nlp,
        "Senator Rhea Mallory criticized the new harbour levy on Tuesday. "
        "Mayor Ilse Korhonen called the levy a fair price for safer docks. "
        "A survey by the port authority showed most traders opposed to the levy. "
        "The levy was criticized by fishermen.",
    )
    assert [(q.text, q.speaker, q.cue) for q in found[:2]] == [
        ("the new harbour levy", "Rhea Mallory", "criticized"),
        ("the levy a fair price for safer docks", "Ilse Korhonen", "called"),
    ]
    survey = found[2]
    assert survey.text == "most traders opposed to the levy" and survey.cue == "showed"
    assert len(found) == 3, "a passive stance verb attributes nothing to its subject"


def test_topics_of_stance_and_talk_verbs(nlp: Any) -> None:
    found = indirect(
        nlp,
        "Union leader Pekka Aalto called for a full inquiry into the harbour accident. "
        "Mayor Ilse Korhonen talked about the new ferry timetable at length.",
    )
    assert [(q.text, q.speaker, q.cue) for q in found] == [
        ("a full inquiry into the harbour accident", "Pekka Aalto", "called"),
        ("the new ferry timetable", "Ilse Korhonen", "talked"),
    ]
