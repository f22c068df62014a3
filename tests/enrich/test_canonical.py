"""Across the store: spelling variants merge on evidence, near-names of other people never do."""

from __future__ import annotations

import json
from typing import Any

import pytest

from storyline.enrich.canonical import canonicalize, entity_id
from storyline.enrich.names import first_names_compatible, fold, surname_similar
from storyline.records import Entity, Mention


def m(text: str, label: str = "PERSON", key: str | None = None) -> Mention:
    return Mention(0, len(text), text, label, key or text)


# Company every article about the Velmar talks shares.
CONTEXT = [m("Velmar", "GPE"), m("Ostrava Council", "ORG"), m("Marek Hollis")]


def owner(entities: list[Entity], alias: str) -> list[Entity]:
    return [e for e in entities if alias == e.name or alias in e.aliases]


def test_names_helpers() -> None:
    assert fold("the Republic of Morvania’s") == "republic of morvania"
    assert first_names_compatible("anatoli", "anatoly")
    assert first_names_compatible("v", "vladimir")
    assert not first_names_compatible("leonid", "anatoly")
    assert surname_similar("babilov", "bibilov") > 0
    assert surname_similar("tibilov", "bibilov") == 0
    assert surname_similar("kovac", "kovacs") > 0


def test_spelling_variants_merge_with_evidence() -> None:
    articles = {
        "a1": [m("Dorin Kovalik"), m("Dorin Kovalik", key="Dorin Kovalik"), *CONTEXT],
        "a2": [m("Doryn Kovalik"), *CONTEXT],
        "a3": [m("Dorin Kovalk"), *CONTEXT],
        "a4": [m("Dorin Kovalik"), m("Kovalick", "ORG"), *CONTEXT],
        "a5": [m("Kovalik"), *CONTEXT],
    }
    entities, links = canonicalize(articles)
    [kovalik] = owner(entities, "Dorin Kovalik")
    assert kovalik.name == "Dorin Kovalik" and kovalik.type == "PERSON"
    assert {"Doryn Kovalik", "Dorin Kovalk", "Kovalick", "Kovalik"} <= set(kovalik.aliases)
    merged = {r["alias"]: r for r in kovalik.merges}
    assert set(merged) == {"Doryn Kovalik", "Dorin Kovalk", "Kovalick", "Kovalik"}
    assert merged["Kovalick"]["articles"] == ["a4"] and merged["Kovalick"]["reason"]
    assert all(0 < r["score"] <= 1 and r["into"] == "Dorin Kovalik" for r in kovalik.merges)
    json.dumps(kovalik.merges)
    assert ("a5", "Kovalik", kovalik.id, 1) in links


def test_near_name_of_another_person_never_merges() -> None:
    articles = {
        "a1": [m("Anatoly Bibrov"), m("Anatoly Bibrov"), *CONTEXT],
        "a2": [m("Leonid Tibrov"), m("Leonid Tibrov"), *CONTEXT],
        "a3": [m("Tibrov"), m("Leonid Tibrov"), *CONTEXT],
        "a4": [m("Babrov"), m("Leonid Tibrov"), *CONTEXT],
    }
    entities, _ = canonicalize(articles)
    [bibrov] = owner(entities, "Anatoly Bibrov")
    assert not any("tibrov" in a.lower() for a in bibrov.aliases)
    # Babrov's article names Leonid Tibrov, a conflicting full name: it stays apart from Bibrov.
    assert "Babrov" not in bibrov.aliases
    [tibrov] = owner(entities, "Leonid Tibrov")
    assert "Tibrov" in tibrov.aliases


def test_same_surname_different_first_names_stay_apart() -> None:
    articles = {"a1": [m("Anna Kessler"), m("Tom Kessler"), *CONTEXT]}
    entities, _ = canonicalize(articles)
    assert len(owner(entities, "Anna Kessler")) == 1
    assert owner(entities, "Anna Kessler") != owner(entities, "Tom Kessler")


def test_type_is_the_majority_across_the_store() -> None:
    articles = {
        "a1": [m("Ilse Korhonen", "ORG")],
        "a2": [m("Ilse Korhonen")],
        "a3": [m("Ilse Korhonen")],
    }
    entities, _ = canonicalize(articles)
    assert [e.type for e in owner(entities, "Ilse Korhonen")] == ["PERSON"]


def test_ids_are_stable_and_links_count_mentions() -> None:
    articles = {
        "a1": [m("Velmar", "GPE"), m("Velmar", "GPE"), m("S. Ossmark", "GPE")],
        "a2": [m("South Ossmark", "GPE")],
    }
    entities, links = canonicalize(articles)
    [velmar] = owner(entities, "Velmar")
    assert velmar.id == entity_id("Velmar", "GPE")
    again, _ = canonicalize(dict(reversed(list(articles.items()))))
    assert {e.id for e in again} == {e.id for e in entities}
    assert ("a1", "Velmar", velmar.id, 2) in links
    assert owner(entities, "S. Ossmark") == owner(entities, "South Ossmark")


def test_seeds_entities(seeds: Any) -> None:
    """Bibilov's misspellings join him, Tibilov stays apart, gold people are persons."""
    clean = pytest.importorskip("storyline.read.clean")
    from storyline.enrich.entities import find_mentions
    from storyline.enrich.pipeline import load_nlp

    nlp = load_nlp()
    articles = {}
    for path in sorted(seeds.glob("*.txt")):
        plain = clean.read_plain(path.read_text(encoding="utf-8"))
        articles[path.name] = find_mentions(nlp(plain.body), title=plain.title)
    entities, _ = canonicalize(articles)
    [bibilov] = owner(entities, "Anatoly Bibilov")
    names = {n.lower() for n in [bibilov.name, *bibilov.aliases]}
    for alias in ["babilov", "biblov", "anatoli bibilov", "bibilov"]:
        assert any(alias == n or alias in n.split() or n.endswith(alias) for n in names), alias
    assert not any("tibilov" in n for n in names)
    gold = json.loads((seeds / "gold.json").read_text(encoding="utf-8"))
    for name, item in gold["entities"].items():
        if item["type"] == "PERSON":
            found = owner(entities, name) or [e for e in entities if e.name in item["aliases"]]
            assert any(e.type == "PERSON" for e in found), name
    junk = ("meets", "hosts", "unmasking")
    assert not [
        e.name for e in entities if e.type == "PERSON" and any(w in e.name.lower() for w in junk)
    ]


class _Recording:
    """A store stand-in that counts which entities resolution reads (a real Store is tested
    in tests/store; here what matters is that only indexed candidates are read)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.read: set[str] = set()

    def entity_keys(self, keys: Any) -> dict[str, list[str]]:
        found: dict[str, list[str]] = self.store.entity_keys(keys)
        return found

    def entities_by_id(self, ids: Any) -> dict[str, Entity]:
        wanted = set(ids)
        self.read |= wanted
        found: dict[str, Entity] = self.store.entities_by_id(wanted)
        return found

    def entity_company(self, ids: Any) -> dict[str, set[str]]:
        found: dict[str, set[str]] = self.store.entity_company(ids)
        return found


def _save(store: Any, articles: dict[str, list[Mention]], known: Any = None) -> None:
    from storyline.enrich.canonical import resolve
    from storyline.records import Article

    for aid in articles:
        store.add_article(Article(aid, aid, "text", "text"))
    done = resolve(articles, known or store)
    store.save_entities(
        done.entities, done.links, articles=list(articles), keys=done.keys, absorbed=done.absorbed
    )


def test_batches_resolve_through_the_index_only(tmp_path: Any) -> None:
    from storyline.store.sqlite import SQLiteStore

    with SQLiteStore(tmp_path / "s.db") as store:
        _save(store, {f"x{i}": [m(f"Person{i} Name{i}"), m(f"Town{i}", "GPE")] for i in range(30)})
        _save(store, {"a1": [m("Anders Holm"), m("Holm"), m("Veloria", "GPE")]})
        before = {e.id for e in store.entities()}
        recording = _Recording(store)
        # A misspelt surname with the same first name, in an article sharing nothing with him.
        _save(store, {"a2": [m("Anders Hollm"), m("Hollm"), m("Kestrany", "GPE")]}, recording)
        [holm] = [e for e in store.entities() if e.name == "Anders Holm"]
        assert {"Anders Hollm", "Hollm"} <= set(holm.aliases)
        [merge] = [r for r in holm.merges if r["alias"] == "Anders Hollm"]
        assert merge["reason"] == "surname spelling variant, same first name"
        assert merge["articles"] == ["a2"]
        # Only the candidates the keys lead to were read, none of the thirty others.
        assert recording.read == {holm.id}
        assert {e.id for e in store.entities()} - before == {
            e.id for e in store.entities() if e.name == "Kestrany"
        }
        assert store.entity_links(["a2"])[("a2", "Hollm")] == holm.id
        assert (holm.articles, holm.mentions) == (2, 4)


def test_a_stored_surname_joins_the_full_name_that_arrives_later(tmp_path: Any) -> None:
    from storyline.store.sqlite import SQLiteStore

    with SQLiteStore(tmp_path / "s.db") as store:
        _save(store, {"a1": [m("Varga"), m("Marsk", "GPE")]})
        [bare] = [e for e in store.entities() if e.name == "Varga"]
        _save(store, {"a2": [m("Ilona Varga"), m("Marsk", "GPE")]})
        [full] = [e for e in store.entities() if "Varga" in e.name]
        assert full.name == "Ilona Varga" and "Varga" in full.aliases
        assert [r["reason"] for r in full.merges] == ["surname of the full name"]
        assert store.entity_links(["a1"])[("a1", "Varga")] == full.id != bare.id
        assert full.articles == 2


def test_type_from_every_mention_with_evidence() -> None:
    text = (
        "The bridge over the upper Lissel reopened. Tornby said the crossing in Lissel was "
        "safe, and the Lissel estuary froze. Governor Ada Lund, who spoke in Tornby, agreed."
    )

    def at(name: str, label: str, nth: int = 0) -> Mention:
        start = -1
        for _ in range(nth + 1):
            start = text.index(name, start + 1)
        return Mention(start, start + len(name), name, label, name)

    articles = {
        "a1": [
            at("Lissel", "PERSON"),
            at("Lissel", "PERSON", 1),
            at("Lissel", "PERSON", 2),
            at("Tornby", "PERSON"),
            at("Tornby", "PERSON", 1),
            at("Ada Lund", "PERSON"),
        ]
    }
    entities, _ = canonicalize(articles, {"a1": text})
    types = {e.name: e for e in entities}
    assert types["Lissel"].type in ("GPE", "LOC") and types["Tornby"].type == "GPE"
    assert types["Ada Lund"].type == "PERSON"
    cues = {ev["cue"] for ev in types["Lissel"].evidence}
    assert {"the upper Lissel", "in Lissel", "the Lissel"} <= cues
    assert types["Lissel"].labels == {"PERSON": 3}
