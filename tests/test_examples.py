"""The bundled example corpus end to end: its events, dates and syndicated copy."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import storyline
from tests.conftest import EXAMPLES


@pytest.mark.slow
def test_examples_form_their_events(tmp_path: Path) -> None:
    gold = json.loads((EXAMPLES / "gold.json").read_text(encoding="utf-8"))
    event_of = {a: e for e, v in gold["events"].items() for a in v["articles"]}
    with storyline.open_store(tmp_path / "x.db") as store:
        report = storyline.ingest([str(EXAMPLES / "corpus")], store=store)
        assert report.ok and len(report.added) == len(event_of)
        name = {a.id: os.path.basename(a.source) for a in store.articles()}
        outlets = {a.outlet for a in store.articles() if a.outlet}
        events = store.events()
        copies = {name[a.id]: name.get(a.duplicate_of or "") for a in store.articles()}
        entities = {e.name: e for e in store.entities()}
    # The exact partition, each event on its own day.
    found = {frozenset(name[a] for a in e.articles): e for e in events}
    wanted = {frozenset(v["articles"]): k for k, v in gold["events"].items()}
    assert set(found) == set(wanted)
    for articles, event in found.items():
        assert event.date and event.date.value == gold["events"][wanted[articles]]["date"]
    for copy, original in gold["duplicates"]:
        assert copies[copy] == original
    # No place, country or company typed a person; each misspelling and surname joins its person.
    for place in ("Veloria", "Kestrany", "Lissel", "Tornby", "Stavenholm", "Marsk", "Dravik"):
        assert entities[place].type in ("GPE", "LOC", "FAC"), (place, entities[place].evidence)
        assert entities[place].evidence
    assert entities["Aldane Aerospace"].type == "ORG" and entities["Aldane Aerospace"].evidence
    merged = {alias: e.name for e in entities.values() for alias in e.aliases}
    assert merged["Anders Hollm"] == merged["Holm"] == merged["Hollm"] == "Anders Holm"
    assert merged["Varga"] == "Ilona Varga" and merged["Kolan"] == "Pavel Kolan"
    assert merged["Redlich"] == "Tomas Redlich" and merged["Kolar"] == "Petra Kolar"
    [hollm] = [m for m in entities["Anders Holm"].merges if m["alias"] == "Anders Hollm"]
    assert hollm["reason"].startswith("surname spelling variant") and hollm["articles"]
    [kolan] = [m for m in entities["Pavel Kolan"].merges if m["alias"] == "Kolan"]
    assert kolan["reason"] == "surname of the full name" and kolan["articles"]
    assert not {"Holm", "Varga", "Kolan", "Anders Hollm", "Kolar", "Redlich"} & set(entities)
    assert entities["Pavel Kolan"].id != entities["Petra Kolar"].id
    # People and bodies take part; places, nationalities and the outlets never do.
    for event in events:
        for participant in event.participants:
            assert entities[participant].type in ("PERSON", "ORG"), (event.headline, participant)
            assert participant not in outlets
        for person, by_outlet in event.details.framing.items():
            assert entities[person].type == "PERSON"
            for listed in by_outlet.values():
                for d in listed:
                    assert d.evidence and d.text in d.evidence
    # Each outlet's own words for a person, side by side, with the sentence that shows them.
    summit = found[frozenset(gold["events"]["marsk-summit-2023"]["articles"])]
    kolan = summit.details.framing["Pavel Kolan"]
    assert [d.text for d in kolan["The Marsk Courier"]] == [
        "Kestrany's special envoy for border affairs"
    ]
    assert [d.text for d in kolan["Veloria Daily"]] == ["Kestrany envoy"]
