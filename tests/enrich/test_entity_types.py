"""A name's type from what its sentences say of it, decided over all its mentions."""

from __future__ import annotations

from storyline.enrich.entity_types import (
    NOT_PERSON,
    PERSON,
    PLACE,
    PLACE_EVIDENCE,
    decide_type,
    mention_cue,
)
from storyline.records import Mention


def _cue(text: str, name: str) -> tuple[str, str] | None:
    start = text.index(name)
    cue = mention_cue(text, Mention(start, start + len(name), name, "PERSON", name))
    return (cue.kind, cue.text) if cue else None


def test_place_and_thing_cues() -> None:
    assert _cue("Talks were held in Brennvik on Monday.", "Brennvik") == (PLACE, "in Brennvik")
    assert _cue("In Brennvik, talks were held.", "Brennvik") == (PLACE, "In Brennvik")
    assert _cue("Brennvik's capital was quiet.", "Brennvik") == (PLACE, "Brennvik's capital")
    assert _cue("The Brennvik government said no.", "Brennvik") == (
        NOT_PERSON,
        "Brennvik government",
    )
    assert _cue("Governor Ada Lunn spoke.", "Ada Lunn") == (PERSON, "Governor Ada Lunn")
    assert _cue("Ada Lunn, who spoke first, left.", "Ada Lunn") == (PERSON, "Ada Lunn, who")
    assert _cue("In Lunn's view, rates stay.", "Lunn") is None


def test_a_person_by_the_model_written_as_a_place_is_a_place() -> None:
    assert decide_type({"PERSON": 20}, {PLACE: 3, NOT_PERSON: 15}, words=1) == "GPE"
    assert decide_type({"PERSON": 20, "LOC": 2}, {PLACE: 9, NOT_PERSON: 1}, words=1) == "LOC"
    assert decide_type({"PERSON": 7, "ORG": 1}, {NOT_PERSON: 2}, words=2) == "ORG"
    assert decide_type({"PERSON": 5}, {PLACE: 1, PERSON: 3}, words=2) == "PERSON"


def test_an_organisation_by_the_model_written_as_a_place_is_a_place() -> None:
    many = PLACE_EVIDENCE + 6
    assert decide_type({"ORG": 14, "GPE": 4}, {PLACE: many, NOT_PERSON: 1}, words=1) == "GPE"
    # A body one is "in" ("in the committee") stays a body when it is more often a thing,
    # and so does one the model never calls a place.
    assert decide_type({"ORG": 14, "GPE": 1}, {PLACE: 4, NOT_PERSON: 9}, words=1) == "ORG"
    assert decide_type({"ORG": 14}, {PLACE: many}, words=1) == "ORG"
    assert decide_type({"ORG": 14, "GPE": 4}, {PLACE: PLACE_EVIDENCE - 1}, words=1) == "ORG"
