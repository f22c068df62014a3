"""The bundled example corpus end to end: its events, dates and syndicated copy."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import storyline
from storyline.eval.events import bcubed
from tests.conftest import EXAMPLES


@pytest.mark.slow
def test_examples_form_their_events(tmp_path: Path) -> None:
    gold = json.loads((EXAMPLES / "gold.json").read_text(encoding="utf-8"))
    event_of = {a: e for e, v in gold["events"].items() for a in v["articles"]}
    with storyline.open_store(tmp_path / "x.db") as store:
        report = storyline.ingest([str(EXAMPLES / "corpus")], store=store)
        assert report.ok and len(report.added) == len(event_of)
        name = {a.id: os.path.basename(a.source) for a in store.articles()}
        predicted = {name[a]: e.id for e in store.events() for a in e.articles}
        dates = {
            name[a]: e.date.value if e.date else None for e in store.events() for a in e.articles
        }
        copies = {name[a.id]: name.get(a.duplicate_of or "") for a in store.articles()}
        entities = {e.name: e for e in store.entities()}
    _, recall, f1 = bcubed({k: event_of[k] for k in predicted}, predicted)
    assert recall == 1.0  # every report of an event lands in one event
    assert f1 >= 0.9
    right = sum(dates[a] == gold["events"][e]["date"] for a, e in event_of.items())
    assert right >= 0.8 * len(event_of)
    for copy, original in gold["duplicates"]:
        assert copies[copy] == original
    # No place, country or company typed a person; each misspelling and surname joins its person.
    for place in ("Veloria", "Lissel", "Tornby", "Aldane Aerospace", "Stavenholm", "Marsk"):
        assert entities[place].type != "PERSON", (place, entities[place].evidence)
        assert entities[place].evidence
    merged = {alias: e.name for e in entities.values() for alias in e.aliases}
    assert merged["Anders Hollm"] == merged["Holm"] == merged["Hollm"] == "Anders Holm"
    assert merged["Varga"] == "Ilona Varga" and merged["Kolan"] == "Pavel Kolan"
    assert merged["Redlich"] == "Tomas Redlich" and merged["Kolar"] == "Petra Kolar"
    [hollm] = [m for m in entities["Anders Holm"].merges if m["alias"] == "Anders Hollm"]
    assert hollm["reason"].startswith("surname spelling variant") and hollm["articles"]
    assert not {"Holm", "Varga", "Kolan", "Anders Hollm"} & set(entities)
