"""Ray ingests leave the same store as a single process, and a killed worker loses nothing."""

from __future__ import annotations

import os
import signal
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import storyline
from storyline.api import EngineError, ingest
from storyline.records import Article, Enrichment, to_dict
from storyline.store.base import Store
from tests.conftest import EXAMPLES

pytest.importorskip("ray", reason="Ray not installed (extra `ray`)")

from storyline.engine.ray import EnrichWorker, RayEngine  # noqa: E402

CORPUS = str(EXAMPLES / "corpus")


def snapshot(store: Store) -> dict[str, Any]:
    """What must not depend on the engine: articles, enrichments, events, storylines."""
    return {
        "articles": sorted((a.id, a.source, a.duplicate_of, a.text) for a in store.articles()),
        "enrichments": sorted(
            (to_dict(e) for e in store.enrichments()), key=lambda e: e["article_id"]
        ),
        "events": sorted((to_dict(e) for e in store.events()), key=lambda e: e["id"]),
        "storylines": sorted((to_dict(s) for s in store.storylines()), key=lambda s: s["id"]),
    }


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example corpus ingested by one process: the answer every Ray run must give."""
    with storyline.open_store(tmp_path_factory.mktemp("single") / "s.db") as store:
        report = ingest([CORPUS], store=store)
        assert report.ok and report.enriched == len(report.added)
        return snapshot(store)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_ray_ingest_leaves_the_same_store(
    backend: str, local_ray: Any, single: dict[str, Any], tmp_path: Path, request: Any
) -> None:
    target = str(tmp_path / "r.db") if backend == "sqlite" else request.getfixturevalue("pg_dsn")
    seen: list[tuple[int, int]] = []
    with storyline.open_store(target) as store, closing(RayEngine(workers=2)) as engine:
        report = ingest(
            [CORPUS], store=store, engine=engine, progress=lambda d, t: seen.append((d, t))
        )
        assert report.ok and report.duplicates
        assert snapshot(store) == single
    assert seen[-1] == (len(single["enrichments"]), len(single["enrichments"]))
    assert local_ray.is_initialized()  # an engine leaves a Ray it did not start running


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_nothing(
    local_ray: Any, single: dict[str, Any], tmp_path: Path
) -> None:
    marker = tmp_path / "killed"

    class KilledOnce(EnrichWorker):
        """Dies half-way through its first batch, once in the whole run (the marker says)."""

        def enrich(self, articles: list[Article]) -> list[Enrichment]:
            if not marker.exists():
                super().enrich(articles[: len(articles) // 2])
                marker.touch()
                os.kill(os.getpid(), signal.SIGKILL)
            return super().enrich(articles)

    with storyline.open_store(tmp_path / "r.db") as store:
        with closing(RayEngine(workers=2, worker=KilledOnce)) as engine:
            ingest([CORPUS], store=store, engine=engine)
        assert marker.exists()
        assert snapshot(store) == single


@pytest.mark.slow
def test_workers_that_keep_dying_are_reported_and_a_rerun_completes(
    local_ray: Any, single: dict[str, Any], tmp_path: Path
) -> None:
    class AlwaysKilled(EnrichWorker):
        def enrich(self, articles: list[Article]) -> list[Enrichment]:
            os.kill(os.getpid(), signal.SIGKILL)
            return []

    with storyline.open_store(tmp_path / "r.db") as store:
        with (
            closing(RayEngine(workers=2, worker=AlwaysKilled, restarts=1)) as engine,
            pytest.raises(EngineError, match="running the same ingest again completes it"),
        ):
            ingest([CORPUS], store=store, engine=engine)
        assert store.count_articles() == len(single["articles"])
        assert not list(store.enrichments()) and not store.events()
        with closing(RayEngine(workers=2)) as engine:
            report = ingest([CORPUS], store=store, engine=engine)
        assert not report.added and report.enriched == len(single["enrichments"])
        assert snapshot(store) == single
