"""Ingest throughput on Ray with 1 and 2 workers beside the single-process path, same input.

Each run ingests the same files into a fresh SQLite store and is timed in three stages:
`read+store` (reading, near-duplicate decisions, storing), `enrich` (spaCy and the per-batch
entity resolution, up to the last progress report) and `link` (events and their
descriptions, after it). Ray is started once, before the runs (its start-up is printed on
its own), and one small untimed ingest on each engine pays the imports first; each Ray run
still pays for starting its actor pool, which loads spaCy once per worker. The stores are compared at the end: a Ray ingest must leave the same store.

    python benchmarks/distributed.py [PATHS ...]   # default: ECB+ dev, else examples/corpus
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import storyline
from storyline.api import Engine, add_articles, enrich
from storyline.config import load_config
from storyline.engine.local import LocalEngine
from storyline.records import to_dict
from storyline.store.base import Store

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
ECB_DEV = REPO.parent / "shared" / "data" / "ecbplus" / "dev.jsonl"
WARM_UP = REPO / "examples" / "corpus" / "marsk-courier-second-summit.txt"


def snapshot(store: Store) -> dict[str, Any]:
    """What must not depend on the engine: articles, enrichments, events, storylines."""
    return {
        "articles": sorted((a.id, a.duplicate_of) for a in store.articles()),
        "enrichments": sorted(
            (to_dict(e) for e in store.enrichments()), key=lambda e: e["article_id"]
        ),
        # But when each event was written, which differs from run to run by nature.
        "events": sorted(
            ({**to_dict(e), "updated": None} for e in store.events()), key=lambda e: e["id"]
        ),
    }


def run(paths: Sequence[str], engine: Engine, folder: Path) -> dict[str, Any]:
    """One ingest, stage by stage, through the same api calls `api.ingest` makes."""
    config = load_config()
    marks: dict[str, float] = {}

    def progress(done: int, total: int) -> None:
        if done == total:
            marks["enriched"] = time.perf_counter()

    with storyline.open_store(folder / "store.db") as store:
        start = time.perf_counter()
        report = add_articles(store, engine.read(paths, window=None, config=config), config=config)
        stored = time.perf_counter()
        enrich(store, config=config, progress=progress, problems=report.problems, engine=engine)
        end = time.perf_counter()
        articles = store.count_articles()
        return {
            "articles": articles,
            "read": stored - start,
            "enrich": marks.get("enriched", end) - stored,
            "link": end - marks.get("enriched", end),
            "total": end - start,
            "snapshot": snapshot(store),
        }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args(argv)
    paths = args.paths or [str(ECB_DEV if ECB_DEV.is_file() else REPO / "examples" / "corpus")]

    import ray

    from storyline.engine.ray import RayEngine

    started = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    print(f"input: {' '.join(paths)}; Ray start-up {time.perf_counter() - started:.1f} s")
    results: dict[str, dict[str, Any]] = {}
    try:
        # Imports, the driver's spaCy and Ray's worker processes are paid once, untimed.
        warm = [str(WARM_UP)]
        for engine in (LocalEngine(), RayEngine(workers=2)):
            with tempfile.TemporaryDirectory() as folder, closing(engine):
                run(warm, engine, Path(folder))
        for name, engine in (
            ("single process", LocalEngine()),
            ("Ray, 1 worker", RayEngine(workers=1)),
            ("Ray, 2 workers", RayEngine(workers=2)),
        ):
            with tempfile.TemporaryDirectory() as folder, closing(engine):
                results[name] = run(paths, engine, Path(folder))
    finally:
        ray.shutdown()

    print(
        f"| {'run':<15} | articles | read+store s | enrich s | link s | total s "
        "| articles/s | enrich articles/s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(
            f"| {name:<15} | {r['articles']} | {r['read']:.1f} | {r['enrich']:.1f} "
            f"| {r['link']:.1f} | {r['total']:.1f} | {r['articles'] / r['total']:.2f} "
            f"| {r['articles'] / r['enrich']:.2f} |"
        )
    one, two = results["Ray, 1 worker"], results["Ray, 2 workers"]
    print(
        f"2 workers / 1 worker: {one['total'] / two['total']:.2f}x overall, "
        f"{one['enrich'] / two['enrich']:.2f}x in enrichment"
    )
    reference = results["single process"]["snapshot"]
    same = all(r["snapshot"] == reference for r in results.values())
    print(f"same store after every run: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
