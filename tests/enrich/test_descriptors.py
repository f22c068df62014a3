"""Descriptors of people read from the parse: appositions, titles, predicate nouns, scare quotes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from storyline.enrich.descriptors import APPOSITION, PREDICATE, TITLE, find_descriptors
from storyline.enrich.entities import find_mentions
from storyline.enrich.pipeline import enrich_articles, load_nlp
from storyline.records import Article, Descriptor, Mention

# Invented people: a surface form and the article-level name it stands for.
PEOPLE = {
    "Ilona Varga": "Ilona Varga",
    "Varga": "Ilona Varga",
    "Marek Doll": "Marek Doll",
    "Doll": "Marek Doll",
    "Anton Reis": "Anton Reis",
    "Reis": "Anton Reis",
    "Tomas Brenn": "Tomas Brenn",
}


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def _read(nlp: Any, text: str) -> list[Descriptor]:
    """Descriptors with the people of PEOPLE as the mentions, longest names first."""
    taken: list[tuple[int, int]] = []
    mentions = []
    for surface in sorted(PEOPLE, key=len, reverse=True):
        for m in re.finditer(rf"\b{re.escape(surface)}\b", text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append((m.start(), m.end()))
                mentions.append(Mention(m.start(), m.end(), surface, "PERSON", PEOPLE[surface]))
    found = find_descriptors(nlp(text), sorted(mentions, key=lambda m: m.start))
    for d in found:
        assert text[d.start : d.end] == d.text
        assert d.sentence_start <= d.start < d.end <= d.sentence_end
    return found


def _phrases(nlp: Any, text: str) -> list[tuple[str, str, str]]:
    return [(d.key, d.text, d.kind) for d in _read(nlp, text)]


def test_apposition_keeps_its_modifiers(nlp: Any) -> None:
    text = "Ilona Varga, the unelected leader of the republic, said on Monday that talks go on."
    assert _phrases(nlp, text) == [("Ilona Varga", "unelected leader of the republic", APPOSITION)]
    plain = "Ilona Varga, the leader of the republic, said on Monday that talks go on."
    assert _phrases(nlp, plain) == [("Ilona Varga", "leader of the republic", APPOSITION)]


def test_apposition_before_the_name(nlp: Any) -> None:
    text = "The republic's unelected leader, Ilona Varga, said nothing on the matter."
    assert _phrases(nlp, text) == [("Ilona Varga", "republic's unelected leader", APPOSITION)]
    text = "He met the president of the breakaway province, Anton Reis."
    assert _phrases(nlp, text) == [
        ("Anton Reis", "president of the breakaway province", APPOSITION)
    ]
    text = "Doll held a summit with his Kestrian counterpart, Anton Reis, on Friday."
    assert _phrases(nlp, text) == [("Anton Reis", "Kestrian counterpart", APPOSITION)]


def test_titles_before_the_name_are_open_vocabulary(nlp: Any) -> None:
    assert _phrases(nlp, "Authoritarian leader Tomas Brenn arrived by train.") == [
        ("Tomas Brenn", "Authoritarian leader", TITLE)
    ]
    assert _phrases(nlp, "The illegitimate president Anton Reis spoke to reporters.") == [
        ("Anton Reis", "illegitimate president", TITLE)
    ]
    assert _phrases(nlp, "He greeted the self-proclaimed governor Anton Reis at noon.") == [
        ("Anton Reis", "self-proclaimed governor", TITLE)
    ]
    assert _phrases(nlp, "The newly elected president Anton Reis spoke.") == [
        ("Anton Reis", "newly elected president", TITLE)
    ]
    # A verb after a noun is a clause's, not part of the title.
    assert _phrases(nlp, "The club placed rookie Anton Reis on the injured list.") == [
        ("Anton Reis", "rookie", TITLE)
    ]


def test_predicate_nouns(nlp: Any) -> None:
    assert _phrases(nlp, "Tomas Brenn is a former army officer who rose quickly.") == [
        ("Tomas Brenn", "former army officer", PREDICATE)
    ]
    assert _phrases(nlp, "Marek Doll was elected party chairman in 2019.") == [
        ("Marek Doll", "party chairman", PREDICATE)
    ]
    text = "Marek Doll, who is the opposition's most senior figure, called the result a disgrace."
    # "a disgrace" describes the result, not the speaker.
    assert _phrases(nlp, text) == [("Marek Doll", "opposition's most senior figure", PREDICATE)]


def test_scare_quotes_are_kept_and_marked(nlp: Any) -> None:
    [found] = _read(nlp, 'The so-called "president" Anton Reis refused to meet them.')
    assert (found.text, found.kind, found.quoted) == ('so-called "president"', TITLE, True)
    [found] = _read(nlp, 'Anton Reis, the "governor" of the province, refused.')
    assert (found.text, found.quoted) == ('"governor" of the province', True)
    [found] = _read(nlp, "Anton Reis, the governor of the province, refused.")
    assert not found.quoted


def test_nothing_where_no_phrase_describes_the_person(nlp: Any) -> None:
    for text in (
        "Varga, Doll and Reis met on Friday.",
        "They thanked Varga, who had called the vote.",
        "Critics have attacked Ilona Varga for weeks.",
        "Ilona Varga was not a dictator, her aides said.",
        "Doll called Varga a dictator on Monday.",
        "On Tuesday Ilona Varga said she would stay.",
        "Ilona Varga (knee) will miss the match.",
    ):
        assert [d for d in _read(nlp, text) if d.key == "Ilona Varga"] == [], text


def test_a_phrase_goes_to_the_name_it_stands_beside(nlp: Any) -> None:
    assert _phrases(nlp, "Varga and Doll, the opposition leader, met on Friday.") == []
    assert _phrases(nlp, "Putin met Varga, Doll's ally, in the capital.") == [
        ("Ilona Varga", "Doll's ally", APPOSITION)
    ]


def test_real_mentions_and_headlines(nlp: Any) -> None:
    text = (
        "Varga Meets Reis In Capital For Talks\n"
        "Prime Minister Ilona Varga met separatist leader Anton Reis on Monday. "
        "Reis, a former army colonel, asked for more time."
    )
    doc = nlp(text)
    mentions = find_mentions(doc, title="Varga Meets Reis In Capital For Talks")
    found = find_descriptors(doc, mentions, title="Varga Meets Reis In Capital For Talks")
    assert [(d.key, d.text) for d in found] == [
        ("Ilona Varga", "Prime Minister"),
        ("Anton Reis", "separatist leader"),
        ("Anton Reis", "former army colonel"),
    ]


def test_read_in_english_articles_only() -> None:
    text = "Prime Minister Ilona Varga met separatist leader Anton Reis on Monday."
    english = Article("en", "en.txt", text, text, language="en")
    other = Article("xx", "xx.txt", text, text, language="es")
    found = {e.article_id: e.descriptors for e in enrich_articles([english, other])}
    assert [d.text for d in found["en"]] == ["Prime Minister", "separatist leader"]
    assert found["xx"] == []
