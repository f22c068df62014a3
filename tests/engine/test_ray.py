"""Ray ingests leave the same store as a single process, and a killed worker loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import storyline
from storyline.api import EngineError, ingest
from storyline.cli import app
from storyline.engine.local import Batch
from storyline.records import Enrichment, to_dict
from storyline.store.base import Store
from tests.conftest import EXAMPLES, SHARED_DATA
from tests.read.test_clean import COURIER, LEDGER_ONE, LEDGER_TWO

pytest.importorskip("ray", reason="Ray not installed (extra `ray`)")

from storyline.engine.ray import EnrichWorker, RayEngine

CORPUS = str(EXAMPLES / "corpus")


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The example corpus and, after it, three files whose shared furniture lines only the
    whole batch reveals: with two workers they are read by different tasks."""
    folder = tmp_path_factory.mktemp("outlets")
    for name, text in (("a.txt", LEDGER_ONE), ("b.txt", COURIER), ("c.txt", LEDGER_TWO)):
        (folder / name).write_text(text, encoding="utf-8")
    return [CORPUS, str(folder)]


def snapshot(store: Store) -> dict[str, Any]:
    """What must not depend on the engine: articles, enrichments, events (but when they were
    written), storylines."""
    return {
        "articles": sorted((a.id, a.source, a.duplicate_of, a.text) for a in store.articles()),
        "enrichments": sorted(
            (to_dict(e) for e in store.enrichments()), key=lambda e: e["article_id"]
        ),
        "events": sorted(
            ({**to_dict(e), "updated": None} for e in store.events()), key=lambda e: e["id"]
        ),
        "storylines": sorted((to_dict(s) for s in store.storylines()), key=lambda s: s["id"]),
    }


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory, paths: list[str]) -> dict[str, Any]:
    """The example corpus ingested by one process: the answer every Ray run must give."""
    with storyline.open_store(tmp_path_factory.mktemp("single") / "s.db") as store:
        report = ingest(paths, store=store)
        assert report.ok and report.enriched == len(report.added)
        return snapshot(store)


@pytest.fixture(scope="module")
def corpus() -> str:
    """ECB+ dev where the shared data holds it, else the example corpus. All of dev (197
    articles, 8 topics): both ingests take 90-110 s together on 2 shared cores at load 7-12."""
    dev = SHARED_DATA / "ecbplus" / "dev.jsonl"
    return str(dev) if dev.is_file() else CORPUS


def answer(store: Store) -> dict[str, Any]:
    """The answer no engine may change: article ids, enrichments, events (partition and dates)."""
    return {
        "articles": sorted(a.id for a in store.articles()),
        "enrichments": sorted(
            (to_dict(e) for e in store.enrichments()), key=lambda e: e["article_id"]
        ),
        "events": sorted((sorted(e.articles), e.date and to_dict(e.date)) for e in store.events()),
    }


@pytest.mark.slow
def test_a_two_worker_ray_ingest_of_a_real_corpus_gives_the_single_process_answer(
    local_ray: Any, corpus: str, tmp_path: Path
) -> None:
    """Each into a fresh SQLite store; the Ray one as a user runs it, in its own process
    joining the local Ray, so that whatever Ray writes to its standard error shows."""
    single, ray = tmp_path / "single.db", tmp_path / "ray.db"
    result = CliRunner().invoke(app, ["--db", str(single), "ingest", corpus])
    assert result.exit_code == 0 and not result.stderr, result.output
    address = local_ray.get_runtime_context().gcs_address
    command = ["--db", str(ray), "ingest", corpus, "--engine", "ray", "--ray-address", address]
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from storyline.cli import main; main()",
            *command,
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0 and run.stdout == result.stdout, run.stderr
    assert run.stderr == ""
    with storyline.open_store(single) as one, storyline.open_store(ray) as many:
        expected = answer(one)
        assert expected["articles"] and expected["events"]
        assert len(expected["enrichments"]) == len(expected["articles"])
        assert answer(many) == expected


@pytest.mark.slow
def test_storyline_ingest_on_ray_into_postgresql_leaves_the_same_store(
    local_ray: Any, paths: list[str], single: dict[str, Any], pg_dsn: str, tmp_path: Path
) -> None:
    """The command a cluster runs, on the cluster's backend: quiet when not on a terminal but
    for the file a worker could not read, named as on one machine."""
    blank = tmp_path / "blank.txt"
    blank.write_text("\n\n   \n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["--db", pg_dsn, "ingest", *paths, str(blank), "--engine", "ray", "--workers", "2"]
    )
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{len(single['articles'])} added")
    assert result.stdout.rstrip().endswith("1 failed")
    assert result.stderr.startswith(f"error: {blank}: ") and result.stderr.count("\n") == 1
    with storyline.open_store(pg_dsn) as store:
        assert snapshot(store) == single
    assert local_ray.is_initialized()  # an engine leaves a Ray it did not start running


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_nothing(
    local_ray: Any, paths: list[str], single: dict[str, Any], tmp_path: Path
) -> None:
    """The actor is restarted and its batch retried; the SQLite store ends as one process's."""
    marker = tmp_path / "killed"

    class KilledOnce(EnrichWorker):
        """Dies half-way through its first batch, once in the whole run (the marker says)."""

        def enrich(self, articles: Batch) -> list[Enrichment | Exception]:
            if not marker.exists():
                super().enrich(articles[: len(articles) // 2])
                marker.touch()
                os.kill(os.getpid(), signal.SIGKILL)
            return super().enrich(articles)

    with storyline.open_store(tmp_path / "r.db") as store:
        with closing(RayEngine(workers=1, worker=KilledOnce)) as engine:
            ingest(paths, store=store, engine=engine)
        assert marker.exists()
        assert snapshot(store) == single


@pytest.mark.slow
def test_workers_that_keep_dying_are_reported_and_a_rerun_completes(
    local_ray: Any, paths: list[str], single: dict[str, Any], tmp_path: Path
) -> None:
    class AlwaysKilled(EnrichWorker):
        def enrich(self, articles: Batch) -> list[Enrichment | Exception]:
            os.kill(os.getpid(), signal.SIGKILL)
            return []

    with storyline.open_store(tmp_path / "r.db") as store:
        with (
            closing(RayEngine(workers=1, worker=AlwaysKilled, restarts=1)) as engine,
            pytest.raises(EngineError, match="running the same ingest again completes it"),
        ):
            ingest(paths, store=store, engine=engine)
        assert store.count_articles() == len(single["articles"])
        assert not list(store.enrichments()) and not store.events()
        report = ingest(paths, store=store)  # the rerun, on whichever engine
        assert not report.added and report.enriched == len(single["enrichments"])
        assert snapshot(store) == single


@pytest.mark.slow
def test_an_article_that_fails_on_a_worker_is_reported_with_its_source(
    local_ray: Any, paths: list[str], single: dict[str, Any], tmp_path: Path
) -> None:
    class Unpicklable(Exception):
        def __init__(self, what: str, why: str) -> None:
            super().__init__(f"{what} {why}")

    class FailsOnFirstRecord(EnrichWorker):
        def enrich(self, articles: Batch) -> list[Enrichment | Exception]:
            results = super().enrich(articles)
            return [
                Unpicklable("parser", "broke") if a.source.endswith(".jsonl:1") else r
                for a, r in zip(articles, results, strict=True)
            ]

    with storyline.open_store(tmp_path / "r.db") as store:
        seen: list[tuple[int, int]] = []
        with closing(RayEngine(workers=1, worker=FailsOnFirstRecord)) as engine:
            report = ingest(paths, store=store, engine=engine, progress=lambda *p: seen.append(p))
        # The bar advances as on one process, to every stored article, the failed one too.
        assert seen[-1] == (len(single["articles"]), len(single["articles"]))
        [problem] = report.problems
        assert problem.source == str(EXAMPLES / "corpus" / "feed.jsonl") + ":1"
        assert problem.reason.startswith("enrich failed") and "parser broke" in problem.reason
        [failure] = store.failed_articles()
        assert failure.stage == "enrich"
        assert len(list(store.enrichments())) == len(single["enrichments"]) - 1
