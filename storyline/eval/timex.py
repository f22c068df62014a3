"""TempEval-3 scoring of the time-expression tagger against a gold JSONL file.

Each line holds {"id", "dct", "text", "timexes": [{"start", "end", "text", "type", "value"}]}.
Extents are scored strictly (same span) and relaxed (overlapping span); value F1 counts a
relaxed match whose TimeML value equals gold's. Matching is one-to-one so that one long
prediction covering two gold expressions earns credit once.
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from collections.abc import Iterable
from typing import Any

from storyline.enrich.timex import find_times

__all__ = ["evaluate_timex", "score"]

Gold = tuple[int, int, str]


def _prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _match(gold: list[Gold], pred: list[Gold]) -> tuple[int, list[tuple[Gold, Gold]]]:
    """Exact-span pairs first, then the largest remaining overlaps, each item used once."""
    free_gold = list(gold)
    free_pred = list(pred)
    pairs: list[tuple[Gold, Gold]] = []
    for g in gold:
        same = next((p for p in free_pred if p[:2] == g[:2]), None)
        if same is not None:
            pairs.append((g, same))
            free_gold.remove(g)
            free_pred.remove(same)
    strict = len(pairs)
    overlaps = sorted(
        (
            (min(g[1], p[1]) - max(g[0], p[0]), i, j)
            for i, g in enumerate(free_gold)
            for j, p in enumerate(free_pred)
            if g[0] < p[1] and p[0] < g[1]
        ),
        reverse=True,
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, i, j in overlaps:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((free_gold[i], free_pred[j]))
    return strict, pairs


def score(documents: Iterable[tuple[list[Gold], list[Gold]]]) -> dict[str, Any]:
    """TempEval-3 figures over (gold, predicted) lists of (start, end, value) per document."""
    n_docs = n_gold = n_pred = strict = relaxed = value = 0
    for gold, pred in documents:
        n_docs += 1
        n_gold += len(gold)
        n_pred += len(pred)
        exact, pairs = _match(gold, pred)
        strict += exact
        relaxed += len(pairs)
        value += sum(1 for g, p in pairs if g[2] == p[2])
    return {
        "documents": n_docs,
        "gold": n_gold,
        "predicted": n_pred,
        "strict": _prf(strict, n_pred, n_gold),
        "relaxed": _prf(relaxed, n_pred, n_gold),
        "value": _prf(value, n_pred, n_gold),
    }


def _dct(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def evaluate_timex(path: pathlib.Path) -> dict[str, Any]:
    """Tag every document of a gold JSONL file with its creation time and score the result."""
    from storyline.enrich.pipeline import load_nlp  # late: loading spaCy is slow

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    docs = load_nlp().pipe(row["text"] for row in rows)
    pairs = []
    for row, doc in zip(rows, docs, strict=True):
        gold = [(t["start"], t["end"], t["value"]) for t in row["timexes"]]
        found = find_times(doc, published=_dct(row.get("dct")))
        pairs.append((gold, [(t.start, t.end, t.value) for t in found]))
    return score(pairs)
