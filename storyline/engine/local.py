"""The default engine: reading and enrichment in this process, one batch after another.

`read_files` and `enrich_batch` are the one way either stage runs; every engine calls them,
here or on its workers, so they all read and enrich alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from storyline.config import Config
from storyline.read.reader import Limits, Problem, Window, read_paths
from storyline.records import Article, Enrichment

__all__ = ["Engine", "EngineError", "LocalEngine", "enrich_batch", "read_files"]

Batch = list[Article]


class EngineError(RuntimeError):
    """An engine's workers failed past their retries; what was stored before stays stored."""


class Engine(Protocol):
    """Turns paths into articles, and batches of articles into their enrichments, in order."""

    def read(
        self, paths: Sequence[str], *, window: Window | None, config: Config
    ) -> Iterator[Article | Problem]: ...

    def enrich(
        self, batches: Iterable[Batch], *, config: Config
    ) -> Iterator[tuple[Batch, list[Enrichment | Exception]]]:
        """Each batch with, for each of its articles, the enrichment or the failure."""
        ...

    def close(self) -> None: ...


def read_files(
    paths: Sequence[str],
    *,
    window: Window | None,
    config: Config,
    common: frozenset[str] | None = None,
) -> Iterator[Article | Problem]:
    """The reader under the configuration's limits."""
    return read_paths(paths, window=window, limits=Limits.of(config), common=common)


def enrich_batch(batch: Sequence[Article], *, config: Config) -> list[Enrichment | Exception]:
    """Each article's enrichment, or what went wrong reading that article alone."""
    from storyline.enrich.pipeline import enrich_articles

    def run(articles: Sequence[Article]) -> list[Enrichment]:
        return list(
            enrich_articles(articles, model=config.model, max_quote_marks=config.max_quote_marks)
        )

    try:
        return list(run(batch))
    except Exception:  # one article broke the batch: read each alone to find it
        pass
    out: list[Enrichment | Exception] = []
    for article in batch:
        try:
            out += run([article])
        except Exception as exc:
            out.append(exc)
    return out


class LocalEngine:
    """Everything in the calling process: the reader's stream, then spaCy batch by batch."""

    def read(
        self, paths: Sequence[str], *, window: Window | None, config: Config
    ) -> Iterator[Article | Problem]:
        return read_files(paths, window=window, config=config)

    def enrich(
        self, batches: Iterable[Batch], *, config: Config
    ) -> Iterator[tuple[Batch, list[Enrichment | Exception]]]:
        for batch in batches:
            yield batch, enrich_batch(batch, config=config)

    def close(self) -> None:
        """Nothing to release."""
