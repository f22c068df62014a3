"""TempEval-3 scoring on a handmade file, and the MEANTIME figure the project promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.eval.timex import evaluate_timex, score

DOCS = [
    {
        "id": "a",
        "dct": "2017-11-16",
        "text": "He resigned yesterday after three years.",
        "timexes": [
            {"start": 12, "end": 21, "text": "yesterday", "type": "DATE", "value": "2017-11-15"},
            # a wider gold extent: relaxed match only; and a deliberately different value
            {
                "start": 22,
                "end": 39,
                "text": "after three years",
                "type": "DURATION",
                "value": "P4Y",
            },
        ],
    },
    {
        "id": "b",
        "dct": None,
        "text": "It happened in March 2008.",
        "timexes": [
            {"start": 0, "end": 2, "text": "It", "type": "DATE", "value": "XXXX"},
            {"start": 15, "end": 25, "text": "March 2008", "type": "DATE", "value": "2008-03"},
        ],
    },
]


def test_scores_handmade_file(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in DOCS) + "\n", encoding="utf-8")
    result = evaluate_timex(path)
    assert (result["documents"], result["gold"], result["predicted"]) == (2, 4, 3)
    assert result["strict"] == {"precision": 0.6667, "recall": 0.5, "f1": 0.5714}
    assert result["relaxed"] == {"precision": 1.0, "recall": 0.75, "f1": 0.8571}
    assert result["value"] == {"precision": 0.6667, "recall": 0.5, "f1": 0.5714}


def test_matching_is_one_to_one() -> None:
    gold = [(0, 4, "2014"), (9, 13, "2016")]
    result = score([(gold, [(0, 13, "2014")])])
    assert result["relaxed"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert result["strict"]["f1"] == 0.0


def test_empty_input_scores_zero() -> None:
    result = score([])
    assert result["value"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


@pytest.mark.slow
def test_meantime_value_f1(shared_data: Path) -> None:
    path = shared_data / "timex" / "meantime-en.jsonl"
    if not path.is_file():
        pytest.skip("MEANTIME absent")
    result = evaluate_timex(path)
    assert result["documents"] == 120
    assert result["value"]["f1"] >= 0.65
