"""Linking state in the store: a new article touches only the events it joins, on every backend.

The example corpus is read and enriched once; each test stores it into a clean store of its
backend and links it through `api.link_pending`, the path every ingest takes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storyline import api
from storyline.config import load_config
from storyline.records import Article, Enrichment, Event
from storyline.store.base import Store
from tests.conftest import EXAMPLES
from tests.store.conftest import StoreFactory

Corpus = list[tuple[Article, Enrichment]]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    from storyline.enrich.pipeline import enrich_articles
    from storyline.read.reader import read_paths

    articles = [a for a in read_paths([str(EXAMPLES / "corpus")]) if isinstance(a, Article)]
    return list(zip(articles, enrich_articles(articles), strict=True))


def _store_all(store: Store, items: Corpus) -> None:
    for article, enrichment in items:
        store.add_article(article)
        store.save_enrichment(enrichment)


def _events(store: Store) -> dict[str, Event]:
    return {e.id: e for e in store.events()}


def _placed(store: Store, items: Corpus) -> dict[str, str]:
    return store.event_of(a.id for a, _ in items)


@pytest.fixture(scope="module")
def late(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The last article of the corpus whose event two others also report."""
    with api.open_store(tmp_path_factory.mktemp("whole") / "s.db") as whole:
        _store_all(whole, corpus)
        api.link_pending(whole)
        events = _events(whole)
        event_of = _placed(whole, corpus)
    return next(a.id for a, _ in reversed(corpus) if len(events[event_of[a.id]].articles) >= 3)


@pytest.fixture
def linked(store: Store, corpus: Corpus, late: str) -> Iterator[tuple[Store, str]]:
    """The corpus linked without `late`, a batch of eight at a time."""
    _store_all(store, [(a, e) for a, e in corpus if a.id != late])
    config = load_config(link_batch=8)
    assert api.link_pending(store, config=config) == len(corpus) - 1
    yield store, late


def test_a_new_article_touches_only_the_event_it_joins(
    linked: tuple[Store, str], corpus: Corpus
) -> None:
    store, late = linked
    before = _events(store)
    lines = {s.id: s for s in store.storylines()}
    assert store.unlinked() == [] and len(_placed(store, corpus)) == len(corpus) - 1
    [(article, enrichment)] = [(a, e) for a, e in corpus if a.id == late]
    store.add_article(article)
    store.save_enrichment(enrichment)
    assert store.unlinked() == [late]
    assert api.link_pending(store) == 1
    after = _events(store)
    joined = store.event_of([late])[late]
    assert joined in before, "the report joins the event it reports, under that event's id"
    assert late in after[joined].articles and after[joined].updated != before[joined].updated
    untouched = {eid: e for eid, e in before.items() if eid != joined}
    assert {eid: after.get(eid) for eid in untouched} == untouched
    # Storylines the joined event is not in keep their rows too.
    kept = {sid: s for sid, s in lines.items() if joined not in s.events}
    assert {sid: s for sid, s in ((s.id, s) for s in store.storylines()) if sid in kept} == kept
    assert store.doc_freq([""]) == {"": len(corpus)}
    assert api.link_pending(store) == 0 and _events(store) == after


def test_relink_keeps_ids_and_counts_afresh(linked: tuple[Store, str], corpus: Corpus) -> None:
    store, _ = linked
    before = _events(store)
    placed = _placed(store, corpus)
    assert api.relink(store) == len(before)
    assert _placed(store, corpus) == placed
    assert set(_events(store)) == set(before)
    assert store.doc_freq([""]) == {"": len(corpus) - 1}


def test_a_reread_article_is_placed_again(linked: tuple[Store, str], corpus: Corpus) -> None:
    store, _ = linked
    article, enrichment = corpus[0]
    store.save_enrichment(enrichment)
    assert store.unlinked() == [article.id]
    assert api.link_pending(store) == 1
    placed = _placed(store, corpus)
    members = [a for e in store.events() for a in e.articles]
    assert article.id in placed and sorted(members) == sorted(placed), "one event each"
    assert store.doc_freq([""]) == {"": len(corpus) - 1}


def test_factory_reopens_the_linked_store(store_factory: StoreFactory, corpus: Corpus) -> None:
    first = store_factory()
    _store_all(first, corpus[:3])
    api.link_pending(first)
    first.close()
    again = store_factory()
    assert again.unlinked() == [] and len(_placed(again, corpus[:3])) == 3
