"""Arrival order should matter little: ECB+ dev linked in three orders, by one linker and
through a store a batch at a time (the path every ingest takes)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from storyline import api
from storyline.config import load_config
from storyline.eval.events import bcubed, canonical_ids
from storyline.link.cluster import Linker
from storyline.records import Article


@pytest.mark.slow
def test_order_moves_bcubed_little(shared_data: Path, tmp_path: Path) -> None:
    from storyline.enrich.pipeline import enrich_articles

    path = shared_data / "ecbplus" / "dev.jsonl"
    if not path.is_file():
        pytest.skip("ECB+ dev absent")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    articles = [Article(id=x["id"], source=x["id"], text=x["text"], raw=x["text"]) for x in lines]
    enrichments = list(enrich_articles(articles))
    ids = canonical_ids(enrichments)
    gold = {x["id"]: x["event"] for x in lines}
    scores, stored = [], []
    for seed in (1, 2, 3):
        order = list(range(len(articles)))
        random.Random(seed).shuffle(order)
        linker = Linker()
        for i in order:
            linker.add(articles[i], enrichments[i], ids.get(articles[i].id, {}))
        linker.refine()
        scores.append(bcubed(gold, {a.id: linker.event_of(a.id) for a in articles})[2])
        with api.open_store(tmp_path / f"{seed}.db") as store:
            for i in order:
                store.add_article(articles[i])
                store.save_enrichment(enrichments[i])
            api.link_pending(store, config=load_config(link_batch=48))
            stored.append(bcubed(gold, store.event_of(a.id for a in articles))[2])
    assert max(scores) - min(scores) < 0.02, scores
    assert max(stored) - min(stored) < 0.02, stored
    assert sum(stored) / 3 > sum(scores) / 3 - 0.02, (stored, scores)
