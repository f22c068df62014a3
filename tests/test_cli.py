"""The command line end to end over a real store: ingest, listings as JSON, errors and exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app

runner = CliRunner()


def _run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
def test_seeds_ingest_twice_and_list(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    files = sorted(str(p) for p in seeds.glob("*.txt"))
    code, out, _ = _run(db, "ingest", *files)
    assert code == 0, out
    code, out, _ = _run(db, "ingest", *files)
    assert code == 0 and "0 added" in out
    code, out, _ = _run(db, "articles", "--json")
    arts = json.loads(out)
    assert isinstance(arts, list) and len(arts) == 5
    assert {
        "id",
        "source",
        "url",
        "outlet",
        "title",
        "byline",
        "dateline",
        "published",
        "text",
        "duplicate_of",
        "language",
    } <= set(arts[0])
    assert {a["language"] for a in arts} == {"en"}
    code, out, _ = _run(db, "article", arts[0]["id"], "--json")
    one = json.loads(out)
    assert one["id"] == arts[0]["id"] and {"entities", "times", "quotes", "event_time"} <= set(one)
    for listing in ("entities", "quotes", "events", "storylines"):
        code, out, _ = _run(db, listing, "--json")
        assert code == 0 and isinstance(json.loads(out), list), listing


@pytest.mark.slow
def test_bad_batch_keeps_store_and_reports(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = sorted(seeds.glob("*.txt"))[0]
    assert _run(db, "ingest", str(first))[0] == 0
    batch = tmp_path / "in"
    batch.mkdir()
    (batch / "binary.txt").write_bytes(os.urandom(1024) + b"\x00")
    (batch / "feed.jsonl").write_text(
        '{"title": "x", "text": "A council met on Tuesday in Marsk."}\n{bad\n'
    )
    code, _, err = _run(db, "ingest", str(batch))
    assert code == 1
    assert "binary.txt" in err and "feed.jsonl:2" in err and "Traceback" not in err
    arts = json.loads(_run(db, "articles", "--json")[1])
    assert len(arts) == 2


def test_window_must_be_two_dates(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path / "s.db", "ingest", "--window", "2019..soon", "x.txt")
    assert code == 2 and "window" in err


def test_unknown_article(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path / "s.db", "article", "nope")
    assert code == 1 and "no article" in err
