"""The quote scorer on handmade attributions, the finder on our own gold articles, the PolNeAR reader."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storyline.eval.quotes import Attribution, evaluate_quotes, score_quotes

GOLD = Path(__file__).with_name("quotes_gold.jsonl")
ROOT = Path(__file__).resolve().parents[2]


def test_scores_by_kind_and_speaker() -> None:
    text = "Ana Ruiz said the plan works. “We stay,” he said. Critics claim it fails."
    gold = [
        Attribution(14, 28, "indirect", "Ana Ruiz", 0, 8),
        Attribution(31, 39, "direct", "Ana Ruiz", 41, 43, pronoun=True),
        Attribution(62, 70, "indirect", None, 50, 57),
    ]
    pred = [
        Attribution(14, 28, "indirect", "Ana Ruiz", 0, 8),
        Attribution(31, 38, "direct", "Ana Ruiz", 41, 43),
        Attribution(0, 8, "direct", None),  # no gold attribution there
    ]
    result = score_quotes([(gold, pred, text)])
    assert result["direct"] == {
        "gold": 1,
        "predicted": 2,
        "precision": 0.5,
        "recall": 1.0,
        "f1": 0.6667,
    }
    assert result["indirect"]["recall"] == 0.5 and result["indirect"]["precision"] == 1.0
    assert result["all"]["recall"] == round(2 / 3, 4)
    assert result["speaker"]["named"] == {"right": 1, "scored": 1, "accuracy": 1.0}
    assert result["speaker"]["pronoun"] == {"right": 1, "scored": 1, "accuracy": 1.0}


def test_a_wrong_pronoun_speaker_counts_wrong() -> None:
    gold = [Attribution(0, 10, "direct", "Ana Ruiz", 12, 14, pronoun=True)]
    pred = [Attribution(0, 10, "direct", "Juan Gil", 12, 14)]
    assert score_quotes([(gold, pred, "x" * 20)])["speaker"]["pronoun"]["right"] == 0


def test_finder_on_own_gold_articles() -> None:
    """Six news-like articles we wrote, 52 attributions: direct, indirect, according-to, pronouns."""
    lines = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    kinds = [q["kind"] for line in lines for q in line["quotes"]]
    assert len(kinds) >= 40 and kinds.count("indirect") >= 20
    result = evaluate_quotes(GOLD)
    assert result["direct"]["f1"] >= 0.95, result
    assert result["all"]["recall"] >= 0.9 and result["all"]["precision"] >= 0.85, result
    assert result["speaker"]["named"]["accuracy"] >= 0.95, result
    assert result["speaker"]["pronoun"]["accuracy"] >= 0.75, result


def test_polnear_reader_on_a_standoff_sample(tmp_path: Path) -> None:
    """The converter reads brat standoff: content, kind, source, a pronoun resolved by coreference."""
    text = 'Mayor Ana Ruiz said the plan works. "We stay," she said.\n'
    ann = (
        "T1\tSource 0 14\tMayor Ana Ruiz\nT2\tCue 15 19\tsaid\nT3\tContent 20 34\tthe plan works\n"
        "T4\tAttribution 15 19\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        'T5\tContent 36 46\t"We stay,"\nT6\tSource 47 50\tshe\nT7\tCue 51 55\tsaid\n'
        "T8\tAttribution 51 55\tsaid\nE2\tAttribution:T8 Content:T5 Cue:T7 Source:T6\n"
    )
    xml = (
        "<root><document><sentences><sentence id='1'><tokens>"
        "<token id='1'><word>Mayor</word><CharacterOffsetBegin>0</CharacterOffsetBegin></token>"
        "<token id='2'><word>Ana</word><CharacterOffsetBegin>6</CharacterOffsetBegin></token>"
        "<token id='3'><word>Ruiz</word><CharacterOffsetBegin>10</CharacterOffsetBegin></token>"
        "</tokens></sentence><sentence id='2'><tokens>"
        "<token id='1'><word>she</word><CharacterOffsetBegin>47</CharacterOffsetBegin></token>"
        "</tokens></sentence></sentences><coreference><coreference>"
        "<mention representative='true'><sentence>1</sentence><start>2</start><end>4</end>"
        "<head>3</head><text>Ana Ruiz</text></mention>"
        "<mention><sentence>2</sentence><start>1</start><end>2</end><head>1</head><text>she</text>"
        "</mention></coreference></coreference></document></root>"
    )
    base = tmp_path / "data" / "dev"
    for folder in ("text", "attributions", "corenlp"):
        (base / folder).mkdir(parents=True)
    (base / "text" / "a.txt").write_text(text, encoding="utf-8")
    (base / "attributions" / "a_x1.ann").write_text(ann, encoding="utf-8")
    (base / "corenlp" / "a.txt.xml").write_text(xml, encoding="utf-8")
    out = tmp_path / "dev.jsonl"
    script = ROOT / "benchmarks" / "polnear_to_jsonl.py"
    subprocess.run([sys.executable, str(script), str(tmp_path), "dev", str(out)], check=True)
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    first, second = line["quotes"]
    assert (first["kind"], first["speaker"], first["pronoun"]) == (
        "indirect",
        "Mayor Ana Ruiz",
        False,
    )
    assert (second["kind"], second["speaker"], second["pronoun"]) == ("direct", "Ana Ruiz", True)
    refused = subprocess.run([sys.executable, str(script), str(tmp_path), "test", str(out)])
    assert refused.returncode != 0
