"""Scoring the quote finder against gold attributions in a JSONL file.

Each line holds `{"id", "text", "quotes": [{"start", "end", "kind", "speaker", ...}]}`: the
content span of every attribution, `direct` or `indirect`, and who said it. Optional fields:
`speaker_start`/`speaker_end` (where the text names the source) and `pronoun` (the source is
he/she, and `speaker` the name it stands for).

A predicted quote matches a gold one when their contents overlap by at least half of the
shorter. Recall counts the gold items some prediction matches, precision the predictions that
match some gold item (a quote broken by "he said" is one gold attribution and two found quotes).
Figures are given per kind and over all attributions. On each gold item found, paired with the
prediction overlapping it most, the speaker is right when the
predicted name ends in the gold name's surname, or (for a source that is not a pronoun) the
predicted speaker's words overlap the gold source's; accuracy is given for named, described
("a source") and pronoun sources apart.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.enrich.names import name_tokens
from storyline.records import Quote

__all__ = ["Attribution", "evaluate_quotes", "predicted", "score_quotes"]

_KINDS = ("direct", "indirect")
# A gold source whose words, the article dropped, are all lower case is a description.
_ARTICLES = frozenset({"the", "a", "an"})


@dataclass(frozen=True)
class Attribution:
    """One attribution, gold or predicted: content span, kind and speaker."""

    start: int
    end: int
    kind: str
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    pronoun: bool = False


def read_gold(path: Path) -> list[dict[str, Any]]:
    """The gold lines; one line per article."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def gold_attributions(line: Mapping[str, Any]) -> list[Attribution]:
    """The attributions of one gold line."""
    return [
        Attribution(
            start=int(q["start"]),
            end=int(q["end"]),
            kind=str(q.get("kind") or "direct"),
            speaker=q.get("speaker"),
            speaker_start=q.get("speaker_start"),
            speaker_end=q.get("speaker_end"),
            pronoun=bool(q.get("pronoun")),
        )
        for q in line.get("quotes", [])
    ]


def predicted(quotes: Sequence[Quote]) -> list[Attribution]:
    """What the finder claims as attributions: direct and indirect quotes, and quoted fragments
    given a speaker that no indirect quote already holds (scare quotes are no attribution)."""
    indirect = [(q.start, q.end) for q in quotes if q.kind == "indirect"]
    found = []
    for q in quotes:
        if q.kind not in _KINDS and (
            q.speaker is None or any(lo <= q.start and q.end <= hi for lo, hi in indirect)
        ):
            continue
        found.append(
            Attribution(
                q.start,
                q.end,
                q.kind if q.kind in _KINDS else "indirect",
                q.speaker,
                q.speaker_start,
                q.speaker_end,
            )
        )
    return found


def evaluate_quotes(path: Path, *, model: str | None = None) -> dict[str, Any]:
    """Run the quote finder over every gold text and score it."""
    from storyline.enrich.entities import find_mentions
    from storyline.enrich.pipeline import DEFAULT_MODEL, load_nlp
    from storyline.enrich.quotes import find_quotes

    lines = read_gold(path)
    nlp = load_nlp(model or DEFAULT_MODEL)
    pairs = []
    for line, doc in zip(lines, nlp.pipe(str(line["text"]) for line in lines), strict=True):
        quotes = find_quotes(doc, find_mentions(doc, title=None))
        pairs.append((gold_attributions(line), predicted(quotes), str(line["text"])))
    return score_quotes(pairs)


def score_quotes(
    documents: Iterable[tuple[list[Attribution], list[Attribution], str]],
) -> dict[str, Any]:
    """P/R/F1 by kind and over all, and speaker accuracy on the matched pairs."""
    counts = {kind: [0, 0, 0, 0] for kind in (*_KINDS, "all")}
    speakers = {kind: [0, 0] for kind in ("named", "described", "pronoun", "all")}
    n_docs = 0
    for gold, pred, text in documents:
        n_docs += 1
        for kind in _KINDS:
            _add(
                counts[kind],
                [g for g in gold if g.kind == kind],
                [p for p in pred if p.kind == kind],
            )
        pairs = _add(counts["all"], gold, pred)
        for g, p in pairs:
            if g.speaker is None and (g.pronoun or g.speaker_start is None):
                continue
            source = _source_kind(g, text)
            correct = int(_speaker_right(g, p))
            for key in (source, "all"):
                speakers[key][0] += correct
                speakers[key][1] += 1
    result: dict[str, Any] = {"documents": n_docs}
    for kind, (found, right, n_pred, n_gold) in counts.items():
        result[kind] = {"gold": n_gold, "predicted": n_pred, **_prf(found, right, n_pred, n_gold)}
    result["speaker"] = {
        kind: {
            "right": right,
            "scored": total,
            "accuracy": round(right / total, 4) if total else 0.0,
        }
        for kind, (right, total) in speakers.items()
    }
    return result


def _add(
    row: list[int], gold: Sequence[Attribution], pred: Sequence[Attribution]
) -> list[tuple[Attribution, Attribution]]:
    """Count found gold items, right predictions, predictions and gold items into the row."""
    pairs, right = _match(gold, pred)
    row[0] += len(pairs)
    row[1] += right
    row[2] += len(pred)
    row[3] += len(gold)
    return pairs


def _prf(found: int, right: int, predicted: int, gold: int) -> dict[str, float]:
    precision = right / predicted if predicted else 0.0
    recall = found / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _overlaps(a: Attribution, b: Attribution) -> int:
    """Shared characters, or 0 where they share less than half of the shorter span."""
    overlap = min(a.end, b.end) - max(a.start, b.start)
    return overlap if overlap > 0 and overlap * 2 >= min(a.end - a.start, b.end - b.start) else 0


def _match(
    gold: Sequence[Attribution], pred: Sequence[Attribution]
) -> tuple[list[tuple[Attribution, Attribution]], int]:
    """Each gold item found, with the prediction overlapping it most; and how many predictions
    overlap some gold item. Not one-to-one: a quote broken by its cue is one gold attribution
    and two found quotes, and both are right."""
    pairs = []
    for g in gold:
        best = max(pred, key=lambda p: _overlaps(g, p), default=None)
        if best is not None and _overlaps(g, best):
            pairs.append((g, best))
    right = sum(1 for p in pred if any(_overlaps(g, p) for g in gold))
    return pairs, right


def _source_kind(gold: Attribution, text: str) -> str:
    if gold.pronoun:
        return "pronoun"
    words = (gold.speaker or "").split()
    if gold.speaker_start is not None and gold.speaker_end is not None:
        words = text[gold.speaker_start : gold.speaker_end].split()
    if words and words[0].lower() in _ARTICLES:
        words = words[1:]
    return "named" if any(w[:1].isupper() for w in words) else "described"


def _speaker_right(gold: Attribution, pred: Attribution) -> bool:
    gold_words, pred_words = name_tokens(gold.speaker or ""), name_tokens(pred.speaker or "")
    if gold_words and pred_words and gold_words[-1] == pred_words[-1]:
        return True
    if gold.pronoun or None in (gold.speaker_start, gold.speaker_end, pred.speaker_start):
        return False
    assert gold.speaker_start is not None and gold.speaker_end is not None
    assert pred.speaker_start is not None and pred.speaker_end is not None
    return pred.speaker_start < gold.speaker_end and gold.speaker_start < pred.speaker_end
