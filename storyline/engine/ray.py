"""Reading and enrichment on the workers of a Ray cluster, through Ray Data.

Files are read by Ray tasks, a few files each; articles are enriched by a fixed pool of
actors (`ActorPoolStrategy`), so every worker loads the spaCy pipeline once and keeps it.
Results come back to the caller in input order, where the store, near-duplicate decisions
and linking stay: a Ray ingest leaves the same store as a single-process one.

A worker that dies takes its pool down; a fresh pool enriches the batches not yet returned
(`restarts` times); past that the run stops with an `EngineError`, keeping every article
stored so far, and a rerun enriches the rest. Ray's own actor restarts are left off: they
cannot be trusted with the constructor arguments Ray Data keeps in the object store
(ray-project/ray#53727), and Ray prints an error line at every actor start that has them.
"""

from __future__ import annotations

import logging
import math
import pickle
import warnings
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from itertools import islice
from typing import Any

import ray
from ray.data import ActorPoolStrategy, DataContext, Dataset, TaskPoolStrategy

from storyline.config import Config
from storyline.engine.local import Batch, EngineError, enrich_batch, read_files
from storyline.enrich.pipeline import load_nlp
from storyline.read.clean import recurring_lines
from storyline.read.reader import Limits, Problem, Window, expand_paths, short_lines_of
from storyline.records import Article, Enrichment

__all__ = ["EnrichWorker", "RayEngine"]

# Batches handed to the cluster at once: enough to keep a large pool busy, few enough that
# the driver never holds more than a few thousand articles.
WINDOW = 256
# Input files per reading task at most; a batch is cut finer so every worker gets some.
FILES_PER_TASK = 32


class EnrichWorker:
    """One Ray actor: loads the spaCy pipeline once, then enriches batch after batch."""

    def __init__(self, config: Config) -> None:
        self.config = config
        load_nlp(config.model)

    def __call__(self, rows: dict[str, Any]) -> dict[str, list[bytes]]:
        batches: list[Batch] = [pickle.loads(data) for data in rows["batch"]]
        return {"results": [pickle.dumps([_portable(r) for r in self.enrich(b)]) for b in batches]}

    def enrich(self, articles: Batch) -> list[Enrichment | Exception]:
        """The shared enrichment of one batch; a subclass may watch it (tests kill here)."""
        return enrich_batch(articles, config=self.config)


def _portable(result: Enrichment | Exception) -> Enrichment | Exception:
    """A result the driver can unpickle: an exception that cannot travel is sent as its text."""
    if isinstance(result, Exception):
        try:
            pickle.loads(pickle.dumps(result))
        except Exception:
            return RuntimeError(f"{type(result).__name__}: {result}")
    return result


def _short_lines(rows: Any, *, limits: Limits) -> dict[str, list[bytes]]:
    return {"lines": [pickle.dumps(short_lines_of(str(s), limits=limits)) for s in rows["source"]]}


def _read(
    rows: Any, *, window: Window | None, config: Config, common: frozenset[str]
) -> dict[str, list[bytes]]:
    sources = [str(s) for s in rows["source"]]
    items = read_files(sources, window=window, config=config, common=common)
    return {"item": [pickle.dumps(item) for item in items]}


def _map(dataset: Dataset, fn: Any, **options: Any) -> Dataset:
    """`map_batches` with retry limits: Ray Data's default retries a crashing batch forever."""
    with warnings.catch_warnings():
        # Retry limits have no named parameter in Ray Data yet; the remote args still work.
        warnings.simplefilter("ignore", DeprecationWarning)
        return dataset.map_batches(fn, **options)


class RayEngine:
    """Reads and enriches on Ray: joins `address` (a local Ray when None) on first use."""

    def __init__(
        self,
        *,
        address: str | None = None,
        workers: int | None = None,
        restarts: int = 3,
        worker: type[EnrichWorker] = EnrichWorker,
    ) -> None:
        self.address = address
        self.workers = workers
        self.restarts = restarts
        self.worker = worker
        self._started = False

    def _connect(self) -> int:
        """Join (or start) the cluster once; the number of workers to use."""
        # Quiet like the single-process path: failures arrive as exceptions, not log lines.
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        if not ray.is_initialized():
            options: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
            if self.address is None:
                options["include_dashboard"] = False
                if self.workers:
                    options["num_cpus"] = self.workers
            ray.init(address=self.address, **options)
            self._started = True
        context = DataContext.get_current()
        # Results in input order: the store then decides duplicates as a single process does.
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        cpus = int(ray.cluster_resources().get("CPU", 1))  # type: ignore[no-untyped-call]
        return max(1, min(self.workers or cpus, cpus))

    def read(
        self, paths: Sequence[str], *, window: Window | None, config: Config
    ) -> Iterator[Article | Problem]:
        """Articles of every file, read on workers, in the order a single process reads them."""
        sources: list[str] = []
        for item in expand_paths(paths):
            if isinstance(item, Problem):
                yield item
            elif item == "-":
                yield Problem(
                    "-", "standard input cannot be read on Ray workers; save it to a file"
                )
            else:
                sources.append(item)
        if not sources:
            return
        workers = self._connect()
        per_task = max(1, min(FILES_PER_TASK, math.ceil(len(sources) / (4 * workers))))
        # One reading task per block, and never more tasks at once than blocks.
        blocks = math.ceil(len(sources) / per_task)
        files = ray.data.from_items([{"source": s} for s in sources], override_num_blocks=blocks)
        tasks = {"batch_size": None, "compute": TaskPoolStrategy(size=min(workers, blocks))}
        common: frozenset[str] = frozenset()
        if len(sources) > 1:
            lines = partial(_short_lines, limits=Limits.of(config))
            found = _map(files, lines, max_retries=self.restarts, **tasks)
            common = recurring_lines(pickle.loads(row["lines"]) for row in self._rows(found))
        reader = partial(_read, window=window, config=config, common=common)
        for row in self._rows(_map(files, reader, max_retries=self.restarts, **tasks)):
            yield pickle.loads(row["item"])

    def enrich(
        self, batches: Iterable[Batch], *, config: Config
    ) -> Iterator[tuple[Batch, list[Enrichment | Exception]]]:
        """Each batch with its results (enrichment or failure), in order, from spaCy actors."""
        pending = iter(batches)
        while window := list(islice(pending, WINDOW)):
            done, failures = 0, 0
            while done < len(window):
                try:
                    for batch, results in self._enrich_on_a_pool(window[done:], config):
                        yield batch, results
                        done += 1
                except EngineError:
                    failures += 1
                    if failures > self.restarts:
                        raise

    def _enrich_on_a_pool(
        self, window: list[Batch], config: Config
    ) -> Iterator[tuple[Batch, list[Enrichment | Exception]]]:
        """One pool of actors for a window of batches; it fails whole if one actor dies."""
        workers = self._connect()
        data = ray.data.from_items([{"batch": pickle.dumps(b)} for b in window])
        enriched = _map(
            data,
            self.worker,
            fn_constructor_kwargs={"config": config},
            batch_size=1,
            compute=ActorPoolStrategy(size=min(workers, len(window))),
            num_cpus=1,
            max_restarts=0,
        )
        for batch, row in zip(window, self._rows(enriched), strict=True):
            yield batch, pickle.loads(row["results"])

    def _rows(self, dataset: Dataset) -> Iterator[dict[str, Any]]:
        try:
            yield from dataset.iter_rows()
        except (ray.exceptions.RayError, RuntimeError) as exc:
            reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            raise EngineError(
                f"Ray workers failed past {self.restarts} retries ({reason}); "
                "what was stored so far is kept, and running the same ingest again completes it"
            ) from exc

    def close(self) -> None:
        """Shut down the local Ray this engine started; a joined cluster keeps running."""
        if self._started:
            ray.shutdown()
            self._started = False
