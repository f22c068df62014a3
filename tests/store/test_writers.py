"""Crashes and concurrent writers, with real `storyline ingest` processes on every backend.

A run killed (SIGKILL) while storing, enriching, linking or describing is rerun, and the
store must then hold every article exactly once, each in one event, with the linker's
counts exact; two ingests started at once must both land; so must first opens racing on a
new store.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline import api
from storyline.store.base import Store
from tests.conftest import EXAMPLES

STORYLINE = str(Path(sys.executable).with_name("storyline"))
STAGES = ["storing", "enriching", "linking", "describing"]
# Six reports of three events, from the example corpus.
FILES = sorted((EXAMPLES / "corpus").glob("*halvik*.txt")) + sorted(
    (EXAMPLES / "corpus").glob("*rate*.txt")
)


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A clean store location: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "s.db")
    dsn: str = request.getfixturevalue("pg_dsn")
    return dsn


def _copy(folder: Path) -> Path:
    folder.mkdir()
    for path in FILES:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return _copy(tmp_path / "in")


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> set[frozenset[str]]:
    """The events of an uninterrupted run."""
    root = tmp_path_factory.mktemp("clean")
    clean = str(root / "clean.db")
    assert _finish(_ingest(clean, _copy(root / "in"))) == 0
    stores: list[Store] = []
    try:
        return _check(clean, stores, len(FILES))
    finally:
        for store in stores:
            store.close()


def _ingest(db: str, *paths: Path, kill_at: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "STORYLINE_LINK_BATCH": "2"}
    env.pop("STORYLINE_TEST_KILL_AT", None)
    if kill_at:
        env["STORYLINE_TEST_KILL_AT"] = kill_at
    return subprocess.Popen(
        [STORYLINE, "--db", db, "ingest", *map(str, paths)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> int:
    _, err = process.communicate(timeout=300)
    assert process.returncode in (0, -signal.SIGKILL), err
    return process.returncode


@pytest.fixture
def opened() -> Iterator[list[Store]]:
    stores: list[Store] = []
    yield stores
    for store in stores:
        store.close()


def _check(db: str, opened: list[Store], count: int | None = None) -> set[frozenset[str]]:
    """The store is whole: articles stored once, each placed article in exactly one event and
    counted once by the linker; with `count`, all `count` articles enriched and placed.
    Returns the events as sets of article ids."""
    if not db.startswith("postgresql"):
        with sqlite3.connect(db) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    store = api.open_store(db)
    opened.append(store)
    ids = [a.id for a in store.articles()]
    assert len(ids) == len(set(ids))
    events = store.events()
    members = [a for e in events for a in e.articles]
    assert len(members) == len(set(members)), "no article in two events"
    assert store.event_of(ids) == {a: e.id for e in events for a in e.articles}
    assert all(store.enrichment(a) is not None for a in members)
    assert store.doc_freq([""]) == ({"": len(members)} if members else {})
    if count is not None:
        assert len(ids) == count and store.unlinked() == []
        assert sorted(members) == sorted(ids), "every article in an event"
    return {frozenset(e.articles) for e in events}


@pytest.mark.slow
def test_runs_killed_at_each_stage_are_completed_by_a_rerun(
    db: str, folder: Path, opened: list[Store], expected: set[frozenset[str]]
) -> None:
    # Each run is killed one stage further on, leaving what the last left half done.
    for stage in STAGES:
        assert _finish(_ingest(db, folder, kill_at=stage)) == -signal.SIGKILL, stage
        _check(db, opened)
    assert _finish(_ingest(db, folder)) == 0
    assert _check(db, opened, len(FILES)) == expected


@pytest.mark.slow
def test_two_ingests_at_once_both_land(db: str, folder: Path, opened: list[Store]) -> None:
    files = sorted(folder.iterdir())
    first = _ingest(db, *files[::2])
    second = _ingest(db, *files[1::2])
    assert (_finish(first), _finish(second)) == (0, 0)
    _check(db, opened, len(files))


def test_first_opens_race_on_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            api.open_store(path).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with api.open_store(path) as store:
        assert store.count_articles() == 0
