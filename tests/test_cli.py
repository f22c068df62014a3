"""The command line end to end over a real store: ingest, listings as JSON, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.tell.columns import TABLES
from tests.site import Doc, Site, article_page

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


@pytest.mark.slow
@pytest.mark.parametrize("listing", ["events", "articles", "entities", "storylines"])
def test_tables_fit_80_columns(example_db: Path, listing: str) -> None:
    """What `make demo` prints fits an 80-column terminal: titles cut, ids short, no wrapping."""
    result = runner.invoke(app, ["--db", str(example_db), listing], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) >= 4 and max(len(line) for line in lines) <= 80
    assert "…" in result.stdout  # something was cut rather than wrapped
    assert not any(re.search(r"\b[0-9a-f]{16}\b|-[0-9a-f]{12}\b", line) for line in lines)
    wide = runner.invoke(app, ["--db", str(example_db), listing], env={"COLUMNS": "200"})
    assert len(wide.stdout.splitlines()) == len(lines)  # one line a row at any width


@pytest.mark.slow
def test_events_show_storyline_titles_and_take_short_ids(example_db: Path) -> None:
    code, table, _ = _run(example_db, "events")
    stories = json.loads(_run(example_db, "storylines", "--json")[1])
    assert stories and not any(s["id"] in table for s in stories)
    assert any(s["title"][:10] in table for s in stories)
    arts = json.loads(_run(example_db, "articles", "--json")[1])
    code, out, _ = _run(example_db, "article", arts[0]["id"][:8], "--json")
    assert code == 0 and json.loads(out)["id"] == arts[0]["id"]
    code, _, err = _run(example_db, "article", "")
    assert code == 1 and "no article" in err


@pytest.mark.slow
@pytest.mark.parametrize("listing", ["events", "articles", "entities", "quotes", "storylines"])
def test_every_listing_prints_csv(example_db: Path, listing: str) -> None:
    code, out, _ = _run(example_db, listing, "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and list(rows[0]) == [c.name for c in TABLES[listing]]
    assert len(rows) == len(json.loads(_run(example_db, listing, "--json")[1]))
    code, _, err = _run(example_db, listing, "--csv", "--json")
    assert code == 2 and "exclusive" in err


@pytest.mark.slow
def test_export_writes_files(example_db: Path, tmp_path: Path) -> None:
    code, _, _ = _run(example_db, "export", "--format", "json", "-o", str(tmp_path))
    assert code == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {f"{t}.json" for t in TABLES} | {"timeline.json"}
    timeline = json.loads((tmp_path / "timeline.json").read_text(encoding="utf-8"))
    assert len(timeline["events"]) + len(timeline["undated"]) == len(
        json.loads((tmp_path / "events.json").read_text(encoding="utf-8"))
    )
    code, _, err = _run(example_db, "export", "--what", "people", "-o", str(tmp_path / "x"))
    assert code == 2 and "people" in err


def test_skipped_files_are_named_and_do_not_fail(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (folder / ".notes.txt").write_text("draft")
    code, out, err = _run(tmp_path / "s.db", "ingest", str(folder))
    assert code == 0 and "0 added" in out and "2 skipped" in out and "0 failed" in out
    assert f"skipped: {folder / 'photo.jpg'}: unknown extension .jpg" in err
    assert f"skipped: {folder / '.notes.txt'}: hidden file" in err


@pytest.mark.slow
def test_follow_once_against_a_local_site(site: Site, tmp_path: Path) -> None:
    site.docs["/robots.txt"] = Doc(b"", "text/plain")
    site.docs["/story.html"] = Doc(
        article_page(
            "Harbour crane returns to service",
            "The big crane at Halvik's container quay worked again on Monday after three weeks "
            "of repairs, the port authority said.",
            "Dockers cleared the waiting ships by the evening, a union spokesman said.",
        ),
        etag='"s1"',
    )
    db = tmp_path / "s.db"
    env = {"STORYLINE_FOLLOW_DELAY": "0"}
    result = runner.invoke(app, ["--db", str(db), "follow", site.url("/story.html")], env=env)
    assert result.exit_code == 0, result.stderr
    assert "2 requests, 0 unchanged, 1 pages fetched; 1 added" in result.stdout
    again = runner.invoke(app, ["--db", str(db), "follow", site.url("/story.html")], env=env)
    assert again.exit_code == 0 and "1 unchanged, 0 pages fetched; 0 added" in again.stdout
    missing = runner.invoke(app, ["--db", str(db), "follow", site.url("/nope.html")], env=env)
    assert missing.exit_code == 1 and "nope.html: HTTP 404" in missing.stderr


def test_follow_checks_its_interval(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path / "s.db", "follow", "--every", "soon", "http://127.0.0.1:9/")
    assert code == 2 and "duration" in err


def test_failed_articles_are_listed_with_their_stage_and_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.enrich.pipeline

    real = storyline.enrich.pipeline.find_quotes

    def find_quotes(doc: Any, *args: Any, **kwargs: Any) -> Any:
        if "Orsk" in doc.text:
            raise ValueError("injected")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(storyline.enrich.pipeline, "find_quotes", find_quotes)
    (tmp_path / "ok.txt").write_text("Bridge shut\n\nThe council of Marsk shut a bridge on Monday.")
    (tmp_path / "bad.txt").write_text("Mayor quits\n\nThe mayor of Orsk resigned on Monday.")
    db = tmp_path / "s.db"
    code, _, err = _run(db, "ingest", str(tmp_path))
    assert code == 1 and "bad.txt: enrich failed: ValueError: injected" in err
    failed = json.loads(_run(db, "articles", "--failed", "--json")[1])
    assert [(Path(a["source"]).name, a["failures"][0]["stage"]) for a in failed] == [
        ("bad.txt", "enrich")
    ]
    assert len(json.loads(_run(db, "articles", "--json")[1])) == 2
    code, out, _ = _run(db, "articles", "--failed")
    assert code == 0 and "enrich" in out


@pytest.mark.slow
def test_follow_every_loops_until_stopped(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.docs["/robots.txt"] = Doc(b"", "text/plain")
    waits: list[float] = []

    def stop_after_two(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("storyline.cli.time.sleep", stop_after_two)
    args = ["--db", str(tmp_path / "s.db"), "follow", "--every", "1m30s", site.url("/gone.html")]
    result = runner.invoke(app, args, env={"STORYLINE_FOLLOW_DELAY": "0"})
    # A failing round does not end the loop; stopping it is not an error.
    assert result.exit_code == 0 and waits == [90.0, 90.0]
    assert result.stderr.count("gone.html: HTTP 404") == 2 and "stopped" in result.stderr


def test_titles_are_printed_as_written(tmp_path: Path) -> None:
    page = tmp_path / "odd.txt"
    page.write_text(
        "[/] Council [bold]votes[/bold] on the harbour budget\n\n"
        "The council of Halvik voted on Monday to spend four million crowns on the harbour.\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    assert _run(db, "ingest", str(page))[0] == 0
    code, out, _ = _run(db, "articles")
    assert code == 0 and "[/] Council [bold]votes[/bold]" in out
