"""Scoring event clustering and event dates against a gold file (B-cubed, ARI, exact day,
and B-cubed per topic where the file groups its events into topics).

The gold lines are read, only the fields an ingest would see are handed to the whole
pipeline (never `event` or `event_date`), and the predicted grouping is compared with the
gold one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sklearn.metrics import adjusted_rand_score

from storyline.config import Config
from storyline.engine.local import Engine
from storyline.records import Enrichment, Event

__all__ = [
    "bcubed",
    "canonical_ids",
    "date_accuracy",
    "evaluate_events",
    "per_topic",
    "read_gold",
    "score_events",
]

# What a feed record may carry into an evaluation run: never `event`, `event_date` or `topic`.
_FEED_FIELDS = ("id", "text", "title", "url", "outlet", "published")


def bcubed(gold: Mapping[str, str], pred: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted clustering (item -> cluster label)."""
    items = sorted(gold)
    if not items:
        return (0.0, 0.0, 0.0)
    by_gold: defaultdict[str, set[str]] = defaultdict(set)
    by_pred: defaultdict[str, set[str]] = defaultdict(set)
    for item in items:
        by_gold[gold[item]].add(item)
        by_pred[pred[item]].add(item)
    precision = recall = 0.0
    for item in items:
        g, p = by_gold[gold[item]], by_pred[pred[item]]
        both = len(g & p)
        precision += both / len(p)
        recall += both / len(g)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (precision, recall, f1)


def read_gold(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def canonical_ids(enrichments: Iterable[Enrichment]) -> dict[str, dict[str, str]]:
    """Article id -> (article-level key -> canonical entity id), from the canonicalizer when
    it is installed; an empty mapping lets the linker fall back to lower-cased keys."""
    items = list(enrichments)
    try:
        canonical = importlib.import_module("storyline.enrich.canonical")
    except ImportError:
        return {e.article_id: {} for e in items}
    _, links = canonical.canonicalize({e.article_id: e.mentions for e in items})
    out: dict[str, dict[str, str]] = {e.article_id: {} for e in items}
    for article_id, key, entity_id, _count in links:
        out.setdefault(article_id, {})[key] = entity_id
    return out


def date_accuracy(lines: Sequence[Mapping[str, Any]], events: Sequence[Event]) -> dict[str, Any]:
    """Exact-day accuracy over gold events with a date: each gold event is judged by the
    predicted event that holds most of its articles."""
    event_of = {a: e for e in events for a in e.articles}
    gold_dates: dict[str, str] = {}
    members: defaultdict[str, list[str]] = defaultdict(list)
    for line in lines:
        members[str(line["event"])].append(str(line["id"]))
        if line.get("event_date"):
            gold_dates[str(line["event"])] = str(line["event_date"])
    if not gold_dates:
        return {"gold": 0, "exact": 0, "accuracy": None}
    exact = 0
    for gold_event, value in gold_dates.items():
        votes = Counter(event_of[a].id for a in members[gold_event] if a in event_of)
        if not votes:
            continue
        top = votes.most_common(1)[0][0]
        predicted = next(e for e in events if e.id == top)
        if predicted.date is not None and predicted.date.value == value:
            exact += 1
    return {"gold": len(gold_dates), "exact": exact, "accuracy": exact / len(gold_dates)}


def evaluate_events(
    path: Path,
    *,
    window: tuple[dt.date, dt.date] | None = None,
    config: Config | None = None,
    engine: Engine | None = None,
) -> dict[str, Any]:
    """Run the whole pipeline over a gold file and score the result.

    Only the fields an ingest would see (`_FEED_FIELDS`, never the gold) are written to a
    JSON Lines file in a temporary folder and ingested into a temporary store there, so the
    real reader, enrichment and linking run exactly as for a user, and no user store is
    ever touched. Gold lines are matched to stored articles by their line in that file.
    `config` and `engine` are handed to the ingest (a scorer to link with, an engine whose
    enrichments are cached).
    """
    from storyline.api import ingest, open_store

    lines = read_gold(path)
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        feed = Path(tmp) / "articles.jsonl"
        with open(feed, "w", encoding="utf-8") as fh:
            for line in lines:
                record = {k: line[k] for k in _FEED_FIELDS if line.get(k) not in (None, "")}
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        store = open_store(Path(tmp) / "eval.db", config=config)
        try:
            ingest([str(feed)], store=store, window=window, config=config, engine=engine)
            by_source = {a.source: a.id for a in store.articles()}
            stored = store.events()
        finally:
            store.close()
    gold_ids: defaultdict[str, list[str]] = defaultdict(list)
    for number, line in enumerate(lines, start=1):
        stored_id = by_source.get(f"{feed}:{number}")
        if stored_id is not None:
            gold_ids[stored_id].append(str(line["id"]))
    events = [
        dataclasses.replace(e, articles=[g for a in e.articles for g in gold_ids.get(a, [])])
        for e in stored
    ]
    return score_events(lines, events)


def score_events(lines: Sequence[Mapping[str, Any]], events: Sequence[Event]) -> dict[str, Any]:
    """The report of `evaluate_events` for an already linked set of events."""
    gold = {str(line["id"]): str(line["event"]) for line in lines}
    pred = {a: e.id for e in events for a in e.articles if a in gold}
    for item in gold:
        pred.setdefault(item, f"unlinked:{item}")
    precision, recall, f1 = bcubed(gold, pred)
    items = sorted(gold)
    report: dict[str, Any] = {
        "articles": len(items),
        "gold_events": len(set(gold.values())),
        "predicted_events": len(set(pred.values())),
        "bcubed": {"precision": precision, "recall": recall, "f1": f1},
        "ari": float(adjusted_rand_score([gold[i] for i in items], [pred[i] for i in items])),
        "event_date": date_accuracy(lines, events),
    }
    topics = per_topic(lines, pred)
    if topics:
        report["topics"] = topics
    return report


def per_topic(lines: Sequence[Mapping[str, Any]], pred: Mapping[str, str]) -> dict[str, Any]:
    """B-cubed within each gold topic (empty where lines carry no `topic`): a predicted event
    counts only its articles of that topic, so a merge across topics shows as lost precision
    in neither, and the overall figure is the place to see it."""
    by_topic: defaultdict[str, dict[str, str]] = defaultdict(dict)
    for line in lines:
        if line.get("topic") is not None:
            by_topic[str(line["topic"])][str(line["id"])] = str(line["event"])
    out: dict[str, Any] = {}
    for topic in sorted(by_topic):
        gold = by_topic[topic]
        precision, recall, f1 = bcubed(gold, {i: pred[i] for i in gold})
        out[topic] = {
            "articles": len(gold),
            "gold_events": len(set(gold.values())),
            "predicted_events": len({pred[i] for i in gold}),
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }
    return out
