"""Quotes: every mark style, multi-paragraph and interrupted quotes, and who speaks them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.enrich.entities import find_mentions
from storyline.enrich.pipeline import load_nlp
from storyline.enrich.quotes import find_quotes, quoted_pieces
from storyline.records import Quote
from tests.strategies import QUOTES, hostile_text


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def quotes(nlp: Any, text: str) -> list[Quote]:
    doc = nlp(text)
    return find_quotes(doc, find_mentions(doc, title=None))


def only(found: list[Quote], starts: str) -> Quote:
    hits = [q for q in found if q.text.startswith(starts)]
    assert len(hits) == 1, [q.text for q in found]
    return hits[0]


def test_pieces_mixed_marks_nesting_and_apostrophes() -> None:
    text = (
        '“We built the road on our own terms," said Ms Varga.\n'
        '"We honour the Treaty [on “Friendship”] always,” she said of Marnia’s plan.\n'
        "«Nous restons», a dit le maire. 'We stay,' he said."
    )
    inner = [text[p.start : p.end] for p in quoted_pieces(text)]
    assert inner == [
        "We built the road on our own terms,",
        "We honour the Treaty [on “Friendship”] always,",
        "Nous restons",
        "We stay,",
    ]


def test_straight_close_after_space_ends_curly_quote(nlp: Any) -> None:
    found = quotes(
        nlp,
        "Minister Helga Brandvik spoke on Monday.\n\n"
        '“This is a reckless and dangerous step for the whole valley, "said Brandvik.',
    )
    quote = only(found, "This is a reckless")
    assert quote.kind == "direct" and quote.speaker == "Helga Brandvik" and quote.cue == "said"


def test_speaker_after_before_dash_and_quoted_as_saying(nlp: Any) -> None:
    text = (
        "Governor Tomas Ardell visited the port of Velmar on Friday.\n\n"
        "“We will rebuild every pier that the storm destroyed.” – Tomas Ardell\n\n"
        "“The harbour will reopen before the winter comes.” – said Ardell.\n\n"
        "The agency Nordpress quoted Ardell as saying: “Trade must resume this month.”\n\n"
        "Ardell told reporters: “We have the money and the workers ready.”"
    )
    found = quotes(nlp, text)
    for starts, cue in [
        ("We will rebuild", "–"),
        ("The harbour will", "said"),
        ("Trade must resume", "quoted"),
        ("We have the money", "told"),
    ]:
        quote = only(found, starts)
        assert (quote.speaker, quote.cue, quote.kind) == ("Tomas Ardell", cue, "direct"), quote


def test_interrupted_quote_and_pronoun_speaker(nlp: Any) -> None:
    text = (
        "Mayor Ilse Korhonen met the union on Tuesday.\n\n"
        "“The strike has cost the city dearly,” Korhonen said. "
        "“We want the buses running again by Monday,” she added."
    )
    found = quotes(nlp, text)
    first, second = only(found, "The strike"), only(found, "We want the buses")
    assert first.speaker == second.speaker == "Ilse Korhonen"
    assert second.cue == "added" and text[second.speaker_start : second.speaker_end] == "she"  # type: ignore[misc]


def test_multi_paragraph_quote_takes_its_speaker(nlp: Any) -> None:
    text = (
        "Professor Anneli Strand presented the report in Oslund.\n\n"
        "“The glacier has lost a third of its mass in ten years,” Strand said. "
        "“The melting speeds up every summer and the lake below keeps rising.\n\n"
        "“Unless the dam is raised, the villages in the valley will flood.”"
    )
    found = quotes(nlp, text)
    long = only(found, "The melting speeds up")
    assert "villages in the valley will flood" in long.text
    assert long.speaker == "Anneli Strand"


def test_descriptions_resolve_to_the_titled_person(nlp: Any) -> None:
    text = (
        "Valdorian President Marek Hollis received Belmarian Prime Minister Jonas Treu.\n\n"
        "“Our borders will stay open to every trader,” the Valdorian president said.\n\n"
        "“We thank our neighbours for their help with the grain harvest,” "
        "added the Belmarian minister."
    )
    found = quotes(nlp, text)
    assert only(found, "Our borders").speaker == "Marek Hollis"
    assert only(found, "We thank our neighbours").speaker == "Jonas Treu"


def test_partial_and_scare_quotes(nlp: Any) -> None:
    text = (
        "The so-called “president” of Eastmarch thanked Duke Oren Falk for the “generous aid.”\n\n"
        "Falk said that the talks, which resumed on Monday after a pause of almost two years in "
        "the northern capital, were “a step toward peace.”"
    )
    found = quotes(nlp, text)
    scare = only(found, "president")
    assert scare.kind == "partial" and scare.speaker is None
    assert only(found, "generous aid").speaker is None
    fragment = only(found, "a step toward")
    assert fragment.kind == "partial" and fragment.speaker == "Oren Falk"


def test_a_statement_mostly_in_quotes_is_direct(nlp: Any) -> None:
    text = (
        "Duke Oren Falk opened the talks on Monday.\n\n"
        "Falk said that the talks were “a step toward lasting peace in the region.” "
        "Mayor Ilse Korhonen, who chairs the council, said it was “too early to celebrate.”"
    )
    quoted = [(q.kind, q.speaker) for q in quotes(nlp, text) if q.kind != "indirect"]
    assert quoted == [("direct", "Oren Falk"), ("direct", "Ilse Korhonen")]


def test_organisation_as_speaker(nlp: Any) -> None:
    text = (
        "Fighting resumed near the border of Tarvania.\n\n"
        "“The ceasefire has collapsed in three districts,” Reuters reported on Sunday."
    )
    assert only(quotes(nlp, text), "The ceasefire").speaker == "Reuters"


def test_uncued_quote_takes_the_subject_before_it(nlp: Any) -> None:
    text = (
        "Senator Rhea Mallory stood before the committee in Dunmore. "
        "The senator was keen to stress the cost of delay. "
        "“Every month we wait the bridge gets more expensive to repair.”"
    )
    assert only(quotes(nlp, text), "Every month").speaker == "Rhea Mallory"


def test_many_quote_marks_take_linear_time_and_stop_at_the_limit(nlp: Any) -> None:
    """Thousands of quotes in one paragraph: doubling them about doubles the time, not quadruples."""
    import time

    def timed(n: int) -> tuple[float, int]:
        doc = nlp(" ".join(f'Ana Ruiz said "yes {i}" and' for i in range(n)))
        mentions = find_mentions(doc, title=None)
        start = time.perf_counter()
        found = find_quotes(doc, mentions)
        return time.perf_counter() - start, len(found)

    (small, n_small), (large, n_large) = timed(400), timed(1600)
    assert (n_small, n_large) == (400, 1600)
    assert large < 8 * small + 0.2, (small, large)
    doc = nlp('He said "one" and "two" and "three" and "four".')
    assert [q.text for q in find_quotes(doc, [], max_marks=4)] == ["one", "two"]


def test_seeds_quotes(seeds: Any, nlp: Any) -> None:
    """The five seed articles: the gold quotes are found with their speakers, few spurious."""
    import json

    clean = pytest.importorskip("storyline.read.clean")
    gold = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))
    aliases = {
        k: {_norm(k)} | {_norm(a) for a in v["aliases"]} for k, v in gold["entities"].items()
    }
    found: dict[str, list[Quote]] = {}
    for path in sorted(seeds.glob("*.txt")):
        plain = clean.read_plain(path.read_text(encoding="utf-8"))
        doc = nlp(plain.body)
        found[path.name] = find_quotes(doc, find_mentions(doc, title=plain.title))
    right, used = 0, set()
    for item in gold["quotes"]:
        hits = [q for q in found[item["article"]] if _norm(item["starts"]) in _norm(q.text)]
        names = aliases.get(item["speaker"], {_norm(item["speaker"])})
        if any(_norm(q.speaker or "") in names for q in hits):
            right += 1
            used.update(id(q) for q in hits)
    spurious = [
        q
        for qs in found.values()
        for q in qs
        if id(q) not in used and q.speaker and q.kind == "direct"
    ]
    assert right >= 26 and len(spurious) <= 3, (right, [q.text[:40] for q in spurious])


def _norm(text: str) -> str:
    table = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"'})
    return " ".join(text.translate(table).split()).lower()


@settings(max_examples=25)
@given(
    st.lists(
        st.sampled_from([*QUOTES, "said", "told", "he", "Ann Lee", ".", ",", "\n\n", "yes"])
        | hostile_text(20, storable=True),
        max_size=60,
    ).map(" ".join)
)
def test_any_marks_give_quotes_inside_the_text(nlp: Any, text: str) -> None:
    for quote in quotes(nlp, text):
        assert 0 <= quote.start <= quote.end <= len(text)


def test_titles_of_works_are_not_quotes_with_speakers(nlp: Any) -> None:
    text = (
        "Senator Rhea Mallory appeared on “Meet the Press” on Sunday and said her memoir, "
        "“The Long Road Home,” would come out in May. “We will not give up,” Mallory said."
    )
    found = quotes(nlp, text)
    assert only(found, "Meet the Press").kind == "title"
    assert only(found, "The Long Road Home").speaker is None
    assert only(found, "We will not give up").speaker == "Rhea Mallory"


def test_speakers_across_paragraphs_and_unknown_sources(nlp: Any) -> None:
    text = (
        "Senator Rhea Mallory addressed the harbour workers.\n\n"
        "Mallory continued:\n\n"
        "“We will not let the port close while I hold this seat.”\n\n"
        "“The docks are the city,” she said.\n\n"
        "“Every family here depends on them.”\n\n"
        "Asked about the levy, she replied: “What difference does the levy make now?” "
        "Her critics cited it as evidence of indifference.\n\n"
        "A flabbergasted Jonas Ekberg quipped, “It is a tax on fish.”\n\n"
        "Another wrote, “The levy will be gone by spring, mark my words.”"
    )
    found = quotes(nlp, text)
    said = {q.text.split()[1]: (q.speaker, q.cue) for q in found if q.kind == "direct"}
    assert said == {
        "will": ("Rhea Mallory", "context"),
        "docks": ("Rhea Mallory", "said"),
        "family": ("Rhea Mallory", "continues"),
        "difference": ("Rhea Mallory", "replied"),
        "is": ("Jonas Ekberg", "quipped"),
        "levy": (None, "wrote"),
    }
    another = only(found, "The levy will be gone")
    assert text[another.speaker_start : another.speaker_end] == "Another"  # type: ignore[misc]


def test_a_first_name_of_either_gender_fits_he_or_she(nlp: Any) -> None:
    text = (
        "Kim Aalto, the union leader, spoke first.\n\n"
        "“The strike is over,” he said.\n\n"
        "Mayor Anna Korhonen thanked the workers. “We start again on Monday,” she said."
    )
    found = quotes(nlp, text)
    assert only(found, "The strike").speaker == "Kim Aalto"
    assert only(found, "We start").speaker == "Anna Korhonen"
