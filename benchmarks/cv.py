"""Topic-grouped cross-validation of event linking over all labelled data.

The topics of ECB+ train and dev and of webnews dev are dealt into K folds (whole topics, a
seeded shuffle: `scripts/train_scorer.py`'s own split). For each fold a scorer is trained on
the other folds' topics exactly as `scripts/train_scorer.py` trains the shipped one (its
inner topic-grouped cross-validation choosing the regularization and the joining
threshold), and the held-out topics of each corpus are linked by the whole pipeline, as
`storyline eval events` runs it, with that scorer. The shipped scorer links the same
held-out sets as the reference (its training data, ECB+ train, is in some of them: those
figures are in-sample for it).

spaCy reads each article once: enrichments are kept in a store file (`--cache`) and handed
to every later ingest of the same text and publication day.

    python -m benchmarks.cv --cache /tmp/storyline-cv.db --out /tmp/storyline-cv [--folds 5]
        [--seed 0] [--fold K ...]

Each fold's figures are written to `--out` as `fold-K.json` and kept, so the folds can run
one process at a time (about five minutes each on two cores); the tables cover the folds
found there.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from scripts.train_scorer import build_corpus, topic_folds, train
from storyline.api import open_store
from storyline.config import Config, load_config
from storyline.engine.local import enrich_batch, read_files
from storyline.enrich.pipeline import anchor_day, pipeline_id
from storyline.eval.events import evaluate_events, read_gold
from storyline.read.reader import Problem, Window
from storyline.records import Article, Enrichment
from storyline.store.base import Store

__all__ = ["CachedEngine", "group_ids", "main"]

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# Each corpus's files under the data folder; the last one is its dev file.
CORPORA: dict[str, tuple[str, ...]] = {
    "ECB+": ("ecbplus/train.jsonl", "ecbplus/dev.jsonl"),
    "webnews": ("webnews/dev.jsonl",),
}


class CachedEngine:
    """The local engine, except that an article's enrichment is read from a cache store when
    the cache holds one made by the same pipeline from the same text and publication day."""

    def __init__(self, cache: Store, config: Config) -> None:
        self.cache = cache
        self.pipeline = pipeline_id(config.model)
        self.hits = self.misses = 0

    def read(
        self, paths: Sequence[str], *, window: Window | None, config: Config
    ) -> Iterator[Article | Problem]:
        return read_files(paths, window=window, config=config)

    def _cached(self, article: Article) -> Enrichment | None:
        stored = self.cache.article(article.id)
        if stored is None or anchor_day(stored) != anchor_day(article):
            return None
        found = self.cache.enrichment(article.id)
        return found if found is not None and found.pipeline == self.pipeline else None

    def _keep(self, article: Article, enrichment: Enrichment) -> None:
        """Cache an enrichment, unless the cache holds this text under another day."""
        stored = self.cache.article(article.id)
        if stored is None:
            self.cache.add_article(article)
        elif anchor_day(stored) != anchor_day(article):
            return
        self.cache.save_enrichment(enrichment)

    def enrich(
        self, batches: Iterable[list[Article]], *, config: Config
    ) -> Iterator[tuple[list[Article], list[Enrichment | Exception]]]:
        for batch in batches:
            found: dict[str, Enrichment | Exception] = {}
            for article in batch:
                cached = self._cached(article)
                if cached is not None:
                    found[article.id] = cached
            todo = [a for a in batch if a.id not in found]
            self.hits += len(found)
            self.misses += len(todo)
            for article, result in zip(todo, enrich_batch(todo, config=config), strict=True):
                found[article.id] = result
                if isinstance(result, Enrichment):
                    self._keep(article, result)
            yield batch, [found[a.id] for a in batch]

    def close(self) -> None:
        """The cache store is the caller's to close."""


def group_ids(lines: Sequence[Mapping[str, Any]], corpora: Sequence[str]) -> list[int]:
    """One integer per line naming its (corpus, topic) group, the same for the same data:
    topics of different corpora never share a group, whatever their names."""
    keys = sorted({(c, str(line["topic"])) for c, line in zip(corpora, lines, strict=True)})
    number = {key: i for i, key in enumerate(keys)}
    return [number[(c, str(line["topic"]))] for c, line in zip(corpora, lines, strict=True)]


def _load(
    engine: CachedEngine, config: Config, data: Path
) -> tuple[list[dict[str, Any]], list[str], list[Article], list[Enrichment]]:
    """Every gold line with its corpus, read as `scripts/train_scorer.py` reads training data,
    and its enrichment (from the cache where it holds one)."""
    lines: list[dict[str, Any]] = []
    corpora: list[str] = []
    articles: list[Article] = []
    for name, paths in CORPORA.items():
        for path in (data / p for p in paths):
            gold = read_gold(path)
            read = [
                a
                for a in read_files([str(path)], window=None, config=config)
                if isinstance(a, Article)
            ]
            if len(read) != len(gold):
                raise SystemExit(f"{path}: {len(gold) - len(read)} lines could not be read")
            lines += gold
            corpora += [name] * len(gold)
            articles += read
    enrichments: list[Enrichment] = []
    for start in range(0, len(articles), 32):
        for batch, results in engine.enrich([articles[start : start + 32]], config=config):
            for article, result in zip(batch, results, strict=True):
                if isinstance(result, Exception):
                    raise SystemExit(f"{article.source}: enrichment failed: {result}")
                enrichments.append(result)
        print(f"enriched {len(enrichments)}/{len(articles)}", file=sys.stderr)
    return lines, corpora, articles, enrichments


def _evaluate(
    lines: Sequence[Mapping[str, Any]], engine: CachedEngine, config: Config, tmp: Path
) -> dict[str, Any]:
    """`storyline eval events` over these gold lines, with this configuration's scorer."""
    path = tmp / "held-out.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return evaluate_events(path, config=config, engine=engine)


def _spread(values: Sequence[float]) -> str:
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {sd:.3f}"


def _fold(
    fold: int,
    rows: tuple[list[int], list[int]],
    data: tuple[list[dict[str, Any]], list[str], list[Article], list[Enrichment]],
    engine: CachedEngine,
    tmp: Path,
    split: str,
) -> dict[str, Any]:
    """One fold: a scorer trained on its training topics, then each corpus's held-out topics
    linked with it and with the shipped scorer."""
    lines, corpora, articles, enrichments = data
    train_rows, test_rows = rows
    started = time.monotonic()
    groups = group_ids(lines, corpora)
    corpus = build_corpus(
        [{**lines[i], "topic": groups[i]} for i in train_rows],
        [articles[i] for i in train_rows],
        [enrichments[i] for i in train_rows],
    )
    scorer, report = train(corpus)
    path = tmp / f"scorer-{fold}.json"
    path.write_text(json.dumps(scorer.to_json()), encoding="utf-8")
    out: dict[str, Any] = {"fold": fold, "split": split, "chosen": report["best"], "corpora": {}}
    for name in CORPORA:
        held = [lines[i] for i in test_rows if corpora[i] == name]
        if held:
            out["corpora"][name] = {
                "topics": sorted({str(x["topic"]) for x in held}),
                "cv": _evaluate(held, engine, load_config(scorer=str(path)), tmp),
                "shipped": _evaluate(held, engine, load_config(), tmp),
            }
    out["seconds"] = round(time.monotonic() - started, 1)
    return out


def run(
    cache: Path, results: Path, data: Path, *, folds: int, repeat: int, only: Sequence[int]
) -> None:
    """Write `fold-K.json` into `results` for each asked fold not there yet, and `dev.json`
    (the shipped scorer on each corpus's dev file)."""
    config = load_config()
    results.mkdir(parents=True, exist_ok=True)
    store = open_store(cache)
    engine = CachedEngine(store, config)
    try:
        labelled = _load(engine, config, data)
        split = topic_folds(group_ids(labelled[0], labelled[1]), folds=folds, repeat=repeat)
        tag = f"{folds} folds, seed {repeat}"
        with tempfile.TemporaryDirectory(prefix="storyline-cv-") as name:
            tmp = Path(name)
            for fold in only or range(folds):
                target = results / f"fold-{fold}.json"
                if not target.exists() or json.loads(target.read_text())["split"] != tag:
                    done = _fold(fold, split[fold], labelled, engine, tmp, tag)
                    target.write_text(json.dumps(done, indent=1), encoding="utf-8")
                    print(f"fold {fold} done in {done['seconds']} s", file=sys.stderr)
            if not (results / "dev.json").exists():
                dev = {
                    n: _evaluate(read_gold(data / p[-1]), engine, config, tmp)
                    for n, p in CORPORA.items()
                }
                (results / "dev.json").write_text(json.dumps(dev, indent=1), encoding="utf-8")
    finally:
        store.close()
    print(f"enrichments from the cache {engine.hits}, made {engine.misses}", file=sys.stderr)


def _table(folds: Sequence[Mapping[str, Any]], dev: Mapping[str, Any]) -> str:
    """The figures as Markdown tables: per fold, mean ± sd per corpus, webnews per topic."""
    rows = [
        "| fold | chosen C, threshold | corpus | held-out topics | articles "
        "| B³ F1 fold's scorer | B³ F1 shipped scorer |",
        "|---:|---|---|---|---:|---:|---:|",
    ]
    f1: dict[tuple[str, str], list[float]] = {}
    topics: dict[str, dict[str, Any]] = {}
    for row in folds:
        chosen = f"{row['chosen']['C']}, {row['chosen']['threshold']}"
        for name, part in row["corpora"].items():
            cv, shipped = part["cv"], part["shipped"]
            f1.setdefault((name, "cv"), []).append(cv["bcubed"]["f1"])
            f1.setdefault((name, "shipped"), []).append(shipped["bcubed"]["f1"])
            shown = ", ".join(part["topics"])
            rows.append(
                f"| {row['fold']} | {chosen} | {name} | {shown} | {cv['articles']} | "
                f"{cv['bcubed']['f1']:.3f} | {shipped['bcubed']['f1']:.3f} |"
            )
            if name == "webnews":
                for topic, figures in cv.get("topics", {}).items():
                    topics[topic] = {"cv": figures, "shipped": shipped["topics"][topic]}
    rows += [
        "",
        "| corpus | folds | B³ F1 fold's scorer, mean ± sd | B³ F1 shipped scorer, mean ± sd |",
        "|---|---:|---:|---:|",
    ]
    for name in CORPORA:
        if (name, "cv") in f1:
            rows.append(
                f"| {name} | {len(f1[(name, 'cv')])} | {_spread(f1[(name, 'cv')])} | "
                f"{_spread(f1[(name, 'shipped')])} |"
            )
    rows += [
        "",
        "| webnews topic (held out) | articles | events | P | R | B³ F1 | B³ F1 shipped scorer |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for topic, both in sorted(topics.items()):
        cv = both["cv"]
        rows.append(
            f"| {topic} | {cv['articles']} | {cv['gold_events']} | {cv['precision']:.3f} | "
            f"{cv['recall']:.3f} | {cv['f1']:.3f} | {both['shipped']['f1']:.3f} |"
        )
    shown = ", ".join(f"{n} {r['bcubed']['f1']:.3f}" for n, r in dev.items())
    rows += ["", f"Shipped scorer on each corpus's whole dev file: {shown}"]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True, help="store file of enrichments")
    parser.add_argument("--out", type=Path, required=True, help="folder of per-fold results")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0, help="seed of the topic shuffle")
    parser.add_argument("--fold", type=int, nargs="*", default=[], help="run only these folds")
    args = parser.parse_args(argv)
    run(args.cache, args.out, args.data, folds=args.folds, repeat=args.seed, only=args.fold)
    done = [json.loads(p.read_text()) for p in sorted(args.out.glob("fold-*.json"))]
    tag = f"{args.folds} folds, seed {args.seed}"
    done = [d for d in done if d["split"] == tag and d["fold"] < args.folds]
    print(f"{len(done)} of {args.folds} folds ({tag})")
    print(_table(done, json.loads((args.out / "dev.json").read_text())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
