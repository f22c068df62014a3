"""Mentions within one article: titles stripped, short forms keyed, headlines kept clean."""

from __future__ import annotations

from typing import Any

import pytest

from storyline.enrich.entities import find_mentions, headline_ranges
from storyline.enrich.pipeline import load_nlp
from storyline.records import Mention


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def mentions(nlp: Any, text: str, title: str | None = None) -> list[Mention]:
    return find_mentions(nlp(text), title=title)


def test_offsets_point_at_the_text(nlp: Any) -> None:
    text = "Chancellor Ingrid Solberg met bankers in Frankfurt on Monday."
    for m in mentions(nlp, text):
        assert text[m.start : m.end] == m.text


def test_titles_stripped_and_short_forms_keyed(nlp: Any) -> None:
    text = (
        "Valdorian President Marek Hollis arrived in Brussels on Monday. "
        "Hollis said the talks with the European Union were useful. "
        "Later Hollis flew home."
    )
    found = mentions(nlp, text)
    people = [m for m in found if m.key == "Marek Hollis"]
    assert [m.text for m in people] == ["Marek Hollis", "Hollis", "Hollis"]
    assert {m.label for m in people} == {"PERSON"}
    assert not any("President" in m.key for m in found)


def test_short_form_takes_the_latest_full_name(nlp: Any) -> None:
    text = (
        "Anna Kessler chaired the meeting. Later Tom Kessler, her brother, spoke. "
        "Kessler said the family firm would be sold."
    )
    last = [m for m in mentions(nlp, text) if m.text == "Kessler"]
    assert last and last[-1].key == "Tom Kessler"


def test_possessive_and_article_trimmed(nlp: Any) -> None:
    text = "Officials in the Republic of Morvania said Morvania’s budget would grow."
    keys = {m.key for m in mentions(nlp, text)}
    assert "Morvania" in keys
    assert not any(k.endswith("’s") or k.startswith("the ") for k in keys)


def test_misspelled_full_name_found_by_first_name(nlp: Any) -> None:
    text = (
        "Premier Anatol Vukovar opened the bridge in Lisk. "
        "Anatol Vukovr, meanwhile, thanked the engineers."
    )
    assert any(m.text == "Anatol Vukovr" and m.label == "PERSON" for m in mentions(nlp, text))


def test_headline_line_makes_no_junk_person(nlp: Any) -> None:
    text = (
        "Hollis Meets Morvanian Leader, Pledges Aid\n"
        "Valdorian President Marek Hollis met the Morvanian leader on Tuesday. "
        "Hollis promised aid."
    )
    found = mentions(nlp, text, title="Hollis Meets Morvanian Leader, Pledges Aid")
    heading = [m for m in found if m.end <= text.index("\n")]
    assert all("Meets" not in m.text for m in found)
    assert [m.key for m in heading if m.label == "PERSON"] == ["Marek Hollis"]


def test_headline_ranges_detects_title_case_lines() -> None:
    text = "Minister Hosts Summit In Port Velmar\nThe minister hosted a summit on Friday.\n"
    assert headline_ranges(text, title=None) == [(0, text.index("\n"))]
    assert headline_ranges("A plain sentence, in prose.", title="Other") == []


def test_acronym_never_a_person(nlp: Any) -> None:
    text = "“The harvest failed,” NORDPRESS reported. The agency NORDPRESS quoted farmers."
    assert all(m.label != "PERSON" for m in mentions(nlp, text) if m.key == "NORDPRESS")
