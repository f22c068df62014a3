"""The verbs of the library: open a store, ingest files, enrich, link events. The CLI and web call these."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import re
import signal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.config import Config, load_config
from storyline.engine.local import Engine, EngineError, LocalEngine
from storyline.read.duplicates import band_keys, resemblance
from storyline.read.reader import Limits, Problem, Skipped, too_long
from storyline.records import Article, Enrichment, Event, Failure
from storyline.store.base import Store
from storyline.store.sqlite import SQLiteStore
from storyline.tell.views import article_summary, article_view

if TYPE_CHECKING:
    from storyline.link.incremental import Step
    from storyline.link.score import Scorer

__all__ = [
    "Engine",
    "EngineError",
    "FollowReport",
    "IngestReport",
    "Problem",
    "add_articles",
    "article_detail",
    "enrich",
    "export",
    "failed_articles",
    "follow",
    "infer_years",
    "ingest",
    "link_pending",
    "make_engine",
    "open_store",
    "parse_every",
    "parse_window",
    "relink",
    "resolve_article_id",
    "resolve_entities",
]

Progress = Callable[[int, int], None]
# What read an article, recorded beside a reading failure.
_READER = f"storyline-{version('storyline')}"


@dataclass
class IngestReport:
    """What one ingest did: new articles, articles already stored (`updated` where the new read
    corrected their metadata), copies found, problems."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    enriched: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _reason(exc: Exception) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())


@dataclass
class _Guard:
    """Where one article fails one stage: its failure is stored and reported, the batch goes on.

    A failure holds until the pipeline version changes (or a forced run), so a failing article
    is tried again after an upgrade but never first on every run.
    """

    store: Store
    pipeline: str
    problems: list[Problem]
    recorded: dict[tuple[str, str], str] = field(default_factory=dict)
    force: bool = False

    @classmethod
    def open(
        cls, store: Store, pipeline: str, problems: list[Problem] | None, *, force: bool = False
    ) -> _Guard:
        known = {(f.article_id, f.stage): f.pipeline for f in store.failed_articles()}
        return cls(store, pipeline, problems if problems is not None else [], known, force)

    def failed(self, stage: str) -> set[str]:
        """Articles this stage already failed on under the current pipeline version (none when
        forced)."""
        if self.force:
            return set()
        return {a for (a, s), p in self.recorded.items() if s == stage and p == self.pipeline}

    def fail(self, article: Article, stage: str, exc: Exception) -> None:
        reason = _reason(exc)
        self.store.record_failure(article.id, stage, reason, self.pipeline)
        self.recorded[(article.id, stage)] = self.pipeline
        self.problems.append(Problem(article.source, f"{stage} failed: {reason}"))

    def passed(self, article_ids: Iterable[str], stage: str) -> None:
        cleared = [a for a in article_ids if (a, stage) in self.recorded]
        if cleared:
            self.store.clear_failures(cleared, stage)
            for a in cleared:
                del self.recorded[(a, stage)]


def make_engine(
    name: str | None = None, *, address: str | None = None, workers: int | None = None
) -> Engine:
    """The engine that reads and enriches: this process (None, "local") or a Ray cluster ("ray").

    Ray is imported only when asked for, so the default path never loads it; the engine
    joins the cluster on first use, and `close()` lets it go.
    """
    if name in (None, "local"):
        return LocalEngine()
    if name == "ray":
        try:
            from storyline.engine.ray import RayEngine
        except ImportError as exc:
            raise ValueError(
                f"the ray engine needs Ray: pip install 'storyline[ray]' ({exc})"
            ) from None
        return RayEngine(address=address, workers=workers)
    raise ValueError(f"unknown engine {name!r} (local or ray)")


def open_store(path: str | Path | None = None, *, config: Config | None = None) -> Store:
    """The store at `path` (a SQLite file or a postgresql:// URL), created and migrated as needed."""
    cfg = config or load_config()
    target = path if path is not None else cfg.db
    if isinstance(target, str) and target.startswith(("postgresql://", "postgres://")):
        # Imported here so SQLite users need not install the PostgreSQL driver.
        from storyline.store.postgres import PostgresStore

        return PostgresStore(target)
    return SQLiteStore(target)


def parse_window(text: str) -> tuple[dt.date, dt.date]:
    """'START..END' in ISO dates, the span in which a corpus was collected."""
    start, sep, end = text.partition("..")
    if not sep:
        raise ValueError(f"window {text!r} is not START..END")
    try:
        first, last = dt.date.fromisoformat(start.strip()), dt.date.fromisoformat(end.strip())
    except ValueError:
        raise ValueError(f"window {text!r} does not hold two ISO dates") from None
    if last < first:
        raise ValueError(f"window {text!r} ends before it starts")
    return first, last


def _find_original(store: Store, article: Article, keys: list[str], threshold: float) -> str | None:
    """The stored article this one copies, confirmed on shingles among the band-key candidates."""
    best, best_score = None, threshold
    for candidate_id in store.articles_sharing_bands(keys)[:20]:
        candidate = store.article(candidate_id)
        if candidate is None:
            continue
        score = resemblance(article.text, candidate.text)
        if score >= best_score:
            best, best_score = candidate.duplicate_of or candidate.id, score
    return best


def add_articles(
    store: Store,
    articles: Iterable[Article | Problem],
    *,
    config: Config | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Store read articles one transaction each, linking near-duplicates to what they copy."""
    cfg = config or load_config()
    report = report if report is not None else IngestReport()
    for item in articles:
        if isinstance(item, Skipped):
            report.skipped.append(item)
            continue
        if isinstance(item, Problem):
            report.problems.append(item)
            if item.article is None or store.has_article(item.article.id):
                continue
            # Read only in part: kept as read, with why, so it is listed and can be re-read.
            store.add_article(item.article)
            store.record_failure(item.article.id, "read", item.reason, _READER)
            report.added.append(item.article.id)
            continue
        stored = store.article(item.id)
        if stored is not None:
            revision = _revision(stored, item)
            if revision is None:
                report.unchanged.append(item.id)
            else:
                store.revise_article(*revision)
                report.updated.append(item.id)
            continue
        keys = band_keys(item.text, permutations=cfg.minhash_permutations, bands=cfg.minhash_bands)
        item.duplicate_of = _find_original(store, item, keys, cfg.duplicate_threshold)
        if item.duplicate_of:
            report.duplicates[item.id] = item.duplicate_of
        if store.add_article(item, bands=keys):
            report.added.append(item.id)
            _stop_at("storing", cfg)
        else:
            report.unchanged.append(item.id)
    return report


_REVISED = ("title", "url", "outlet", "byline", "dateline", "published", "metadata")


def _revision(stored: Article, read: Article) -> tuple[Article, dict[str, Any]] | None:
    """The stored article with what a new read of the same text states differently (a
    corrected title, date, url...), and the values it replaces; None when nothing changed.

    A value the new read lacks never erases a stored one; new metadata keys join the old.
    """
    changes: dict[str, Any] = {}
    for name in _REVISED:
        old, new = getattr(stored, name), getattr(read, name)
        if name == "published":
            new = new if new.date else old
        elif name == "metadata":
            new = {**old, **new}
            if {**new, "format": None} == {**old, "format": None}:
                continue  # arriving in another format corrects nothing
        if new and new != old:
            changes[name] = new
    if not changes:
        return None
    previous = {
        name: dataclasses.asdict(stored.published) if name == "published" else getattr(stored, name)
        for name in changes
    }
    previous["source"] = stored.source
    return dataclasses.replace(stored, source=read.source, **changes), previous


def ingest(
    paths: Sequence[str],
    *,
    store: Store,
    window: tuple[dt.date, dt.date] | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> IngestReport:
    """Read, store, enrich and link: the whole job for a batch of files.

    The engine reads and enriches (here, or on workers); storing, near-duplicate decisions,
    entities and linking happen in this process, so every engine leaves the same store.

    Without a `window`, yearless printed dates take their year from the store's dated articles
    (see `infer_years`); an explicit window decides them when they are read instead.
    """
    cfg = config or load_config()
    runner = engine or LocalEngine()
    report = add_articles(store, runner.read(paths, window=window, config=cfg), config=cfg)
    _settle(store, report, window=window, config=cfg, progress=progress, engine=runner)
    return report


def _settle(
    store: Store,
    report: IngestReport,
    *,
    window: tuple[dt.date, dt.date] | None,
    config: Config,
    progress: Progress | None,
    engine: Engine | None = None,
) -> None:
    """What follows storing a batch, from files or from the web alike: years inferred (without
    a window), then enrichment and linking."""
    if window is None:
        infer_years(store, config=config)
    report.enriched = enrich(
        store, config=config, progress=progress, problems=report.problems, engine=engine
    )


@dataclass
class FollowReport(IngestReport):
    """An ingest report with what following asked: requests, unchanged sources, pages fetched."""

    requests: int = 0
    not_modified: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


def follow(
    urls: Sequence[str],
    *,
    store: Store,
    window: tuple[dt.date, dt.date] | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
) -> FollowReport:
    """One round over feeds, sitemaps and article URLs: new articles fetched, stored, enriched.

    Each article is fetched once; the sources are asked again with their ETag and
    Last-Modified, each host at most once per `follow_delay` seconds and as its robots.txt
    allows. Pages are read as saved HTML files are.
    """
    from storyline.follow.crawl import Round, follow_round
    from storyline.follow.fetch import Fetcher

    cfg = config or load_config()
    done = Round()
    report = FollowReport()
    with Fetcher(
        delay=cfg.follow_delay,
        timeout=cfg.follow_timeout,
        user_agent=cfg.user_agent,
        max_bytes=cfg.max_file_bytes,
    ) as fetcher:
        found = follow_round(
            list(urls),
            store=store,
            fetcher=fetcher,
            window=window,
            limits=Limits.of(cfg),
            progress=done,
        )
        add_articles(store, found, config=cfg, report=report)
    report.requests, report.not_modified, report.pages = (
        done.requests,
        done.not_modified,
        done.pages,
    )
    _settle(store, report, window=window, config=cfg, progress=progress)
    return report


_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """Seconds in a duration such as 30s, 15m, 1h30m or 1d."""
    given = text.strip().lower()
    parts = _DURATION.findall(given)
    if not parts or "".join(n + u for n, u in parts) != given:
        raise ValueError(f"duration {text!r} is not like 30s, 15m, 1h30m or 1d")
    seconds = sum(float(n) * _SECONDS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"duration {text!r} is not positive")
    return seconds


def infer_years(store: Store, *, config: Config | None = None) -> int:
    """Give yearless printed publication dates the year nearest the store's dated articles,
    kept beside the printed record with that evidence (its `date` stays None); earlier
    inferences are redone as the store grows.
    Returns how many records changed."""
    from storyline.read.dates import date_span, infer_published

    cfg = config or load_config()
    records = store.publications()
    dated = [
        day
        for pub in records.values()
        if (span := date_span(pub.date)) is not None
        for day in (span.first, span.last)
    ]
    changed = 0
    for aid, pub in records.items():
        if pub.date is not None:
            continue
        article = store.article(aid) if pub.evidence and pub.precision == "day" else None
        if article is None:
            continue
        found = infer_published(
            pub, text=article.text, dated=dated, margin_days=cfg.window_margin_days
        )
        if found is not None and found != pub:
            store.set_published(aid, asdict(found))
            changed += 1
    return changed


def enrich(
    store: Store,
    *,
    config: Config | None = None,
    force: bool = False,
    progress: Progress | None = None,
    problems: list[Problem] | None = None,
    engine: Engine | None = None,
) -> int:
    """Read every article the current pipeline has not read yet, resolve the entities of just
    those articles against the store's index, then place every enriched article not yet in an
    event (also those an interrupted run left).

    `force` re-reads every article, rebuilds the entities from nothing and re-clusters. An
    article a stage fails on is appended to `problems`, recorded in the store, and left out of that stage
    until the pipeline changes or `force` is given; the rest go on. The engine runs spaCy
    (here, or on workers); its results are stored here, batch by batch, in order.
    """
    from storyline.enrich.pipeline import pipeline_id

    cfg = config or load_config()
    guard = _Guard.open(store, pipeline_id(cfg.model), problems, force=force)
    if force:
        todo = [a.id for a in store.articles()]
        store.replace_entities([], [])
    else:
        skip = guard.failed("enrich")
        todo = [i for i in store.unenriched(guard.pipeline) if i not in skip]
    done = seen = 0

    def readable(ids: Sequence[str]) -> list[Article]:
        # A text over the limit (stored before the limit was set) never reaches the model.
        out = []
        for article in (store.article(i) for i in ids):
            if article is not None and len(article.text) > cfg.max_text_chars:
                reason = too_long(len(article.text), cfg.max_text_chars)
                guard.fail(article, "enrich", ValueError(reason))
            elif article is not None:
                out.append(article)
        return out

    batches = (readable(todo[start : start + 16]) for start in range(0, len(todo), 16))
    for batch, results in (engine or LocalEngine()).enrich(batches, config=cfg):
        read: list[Enrichment] = []
        for article, result in zip(batch, results, strict=True):
            if isinstance(result, Exception):
                guard.fail(article, "enrich", result)
                continue
            store.save_enrichment(result)
            _stop_at("enriching", cfg)
            guard.passed([article.id], "enrich")
            read.append(result)
        resolve_entities(store, batch, read)
        done += len(read)
        seen += len(batch)
        if progress:
            progress(seen, len(todo))
    if force:
        relink(store, config=cfg, problems=guard.problems)
    else:
        link_pending(store, config=cfg, problems=guard.problems)
    return done


def resolve_entities(
    store: Store, articles: Sequence[Article], enrichments: Sequence[Enrichment]
) -> None:
    """Resolve these articles' mentions against the entities the store's index leads to."""
    from storyline.enrich.canonical import resolve

    texts = {a.id: a.text for a in articles}
    done = resolve({e.article_id: e.mentions for e in enrichments}, store, texts=texts)
    store.save_entities(
        done.entities,
        done.links,
        articles=[e.article_id for e in enrichments],
        keys=done.keys,
        absorbed=done.absorbed,
    )


def link_pending(
    store: Store, *, config: Config | None = None, problems: list[Problem] | None = None
) -> int:
    """Place every enriched article that is not in an event yet, a batch at a time, each
    batch linked against the events its articles lead to and written in one transaction.
    Safe to call at any time and from several processes at once (linkers take turns);
    returns how many articles were placed. Articles linking failed on under this pipeline
    version are left out (see `enrich`)."""
    from storyline.enrich.pipeline import pipeline_id

    cfg = config or load_config()
    with store.link_lock():
        guard = _Guard.open(store, pipeline_id(cfg.model), problems)
        skip = guard.failed("link")
        pending = [a for a in store.unlinked() if a not in skip]
        if not pending:
            return 0
        _resolve_unresolved(store, pending)
        placed = 0
        for start in range(0, len(pending), cfg.link_batch):
            batch = pending[start : start + cfg.link_batch]
            placed += _link_step(store, batch, full=False, config=cfg, guard=guard)
            _stop_at("linking", cfg)
    return placed


def relink(
    store: Store, *, config: Config | None = None, problems: list[Problem] | None = None
) -> int:
    """Re-cluster the whole store (the explicit full sweep): every enriched article is
    restored, stored events keep their ids where they keep most of their articles, and the
    linker's state is counted afresh. Returns how many events there are."""
    from storyline.enrich.pipeline import pipeline_id

    cfg = config or load_config()
    with store.link_lock():
        guard = _Guard.open(store, pipeline_id(cfg.model), problems, force=True)
        pending = store.unlinked()
        _resolve_unresolved(store, pending)
        _link_step(store, pending, full=True, config=cfg, guard=guard)
    return len(store.events())


def _resolve_unresolved(store: Store, article_ids: Sequence[str]) -> None:
    """Resolve the entities of pending articles that name some but hold no entity links: a
    run killed between saving an enrichment and resolving its names leaves such articles."""
    linked = {aid for aid, _ in store.entity_links(article_ids)}
    enrichments = [
        e
        for e in (store.enrichment(a) for a in article_ids if a not in linked)
        if e is not None and e.mentions
    ]
    articles = store.articles_by_id(e.article_id for e in enrichments)
    if enrichments:
        resolve_entities(store, [articles[e.article_id] for e in enrichments], enrichments)


def _link_step(
    store: Store, article_ids: Sequence[str], *, full: bool, config: Config, guard: _Guard
) -> int:
    """Link one batch, describe the events it changed and write it all in one transaction;
    returns how many of the batch were placed (those linking fails on are recorded)."""
    from storyline.link.incremental import plan
    from storyline.tell.describe import storyline_title

    def failed(article_id: str, exc: Exception) -> None:
        article = store.article(article_id)
        if article is not None:
            guard.fail(article, "link", exc)

    step = plan(store, article_ids, full=full, scorer=_scorer(config.scorer), failed=failed)
    changes = step.changes
    described: dict[str, Event] = {}
    for event in changes.events:
        if event.id in step.describe:
            _stop_at("describing", config)
            described[event.id] = _describe(event, step, guard)
    changes.events = [described.get(e.id, e) for e in changes.events]
    changes.storylines = [
        dataclasses.replace(
            story,
            title=storyline_title(
                [described.get(e, step.storyline_events[e]) for e in story.events]
            ),
        )
        for story in changes.storylines
    ]
    store.save_links(changes)
    guard.passed(changes.linked, "link")
    return len(changes.linked)


@functools.lru_cache(maxsize=4)
def _scorer(path: str | None) -> Scorer | None:
    """The scorer a configuration names, read once per file; None means the shipped one."""
    from storyline.link.score import load_scorer

    return load_scorer(Path(path)) if path else None


def _stop_at(stage: str, config: Config) -> None:
    """The crash tests' hook: the process kills itself (SIGKILL, no clean-up) on reaching
    the stage named by STORYLINE_TEST_KILL_AT."""
    if config.test_kill_at == stage:
        os.kill(os.getpid(), signal.SIGKILL)


def export(
    store: Store, directory: str | Path, *, fmt: str = "csv", what: str = "all"
) -> dict[Path, int]:
    """Write tables (`what`: one table name or all) as CSV, Parquet or JSON files in `directory`.

    JSON exports also get `timeline.json`, the timeline as `storyline timeline --format json`
    prints it. Returns each file written with its number of rows (events, for the timeline).
    """
    from storyline.tell.columns import TABLES
    from storyline.tell.export import export_tables
    from storyline.tell.timeline import build_timeline, render

    tables = list(TABLES) if what == "all" else [what]
    folder = Path(directory)
    written = export_tables(store, folder, fmt=fmt, what=tables)
    if fmt == "json" and "events" in tables:
        built = build_timeline(store)
        path = folder / "timeline.json"
        path.write_text(render(built, format="json"), encoding="utf-8")
        written[path] = len(built.events) + len(built.undated)
    return written


def resolve_article_id(store: Store, given: str) -> str | None:
    """The full id of the article `given` names: its id, or a start of it no other id shares.

    Raises ValueError when several articles start with it.
    """
    if store.has_article(given):
        return given
    found = store.article_ids_starting(given) if given else []
    if len(found) > 1:
        raise ValueError(f"{given!r} starts more than one article id; give more of it")
    return found[0] if found else None


def _describe(event: Event, step: Step, guard: _Guard) -> Event:
    """The event described; where that fails, described without the articles that fail alone,
    and left undescribed (its articles' failures recorded) where even that fails."""
    from storyline.tell.describe import describe_event

    def run(members: list[str], pool: dict[str, Article]) -> Event:
        one = dataclasses.replace(event, articles=members)
        described = describe_event(
            one,
            articles=pool,
            enrichments=step.enrichments,
            entity_ids=step.entity_ids,
            entity_names=step.entity_names,
            entity_types=step.entity_types,
        )
        return dataclasses.replace(described, articles=list(event.articles))

    articles = step.articles
    try:
        done = run(event.articles, articles)
    except Exception:  # find the article that breaks it
        pass
    else:
        guard.passed(event.articles, "describe")
        return done
    bad: list[str] = []
    for aid in event.articles:
        try:
            run([aid], articles)
        except Exception as exc:
            guard.fail(articles[aid], "describe", exc)
            bad.append(aid)
    good = [a for a in event.articles if a not in bad]
    try:
        done = run(good, {a: articles[a] for a in good})
    except Exception as exc:
        for aid in good:
            guard.fail(articles[aid], "describe", exc)
        return event
    guard.passed(good, "describe")
    return done


def failed_articles(store: Store) -> list[dict[str, Any]]:
    """Every article a stage failed on, as listings print it, with its failures."""
    failures: dict[str, list[Failure]] = {}
    for failure in store.failed_articles():
        failures.setdefault(failure.article_id, []).append(failure)
    out = []
    for aid, found in failures.items():
        article = store.article(aid)
        if article is not None:
            out.append({**article_summary(article), "failures": [asdict(f) for f in found]})
    return out


def article_detail(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article with its entities, times, quotes and event time, as JSON-ready data, and the
    metadata earlier reads gave it (`history`, oldest first)."""
    article = store.article(article_id)
    if article is None:
        return None
    own = {key: eid for (_, key), eid in store.entity_links([article_id]).items()}
    names = {i: e.name for i, e in store.entities_by_id(set(own.values())).items()}
    view = article_view(article, store.enrichment(article_id), entity_ids=own, entity_names=names)
    view["failures"] = [asdict(f) for f in store.failed_articles(article_id)]
    view["history"] = store.article_history(article_id)
    return view
