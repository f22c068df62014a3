"""Train the same-event scorer on ECB+ train and write storyline/link/scorer.json.

Pairs come from within a topic (same event or the topic's other event) plus, for every
article, its three most similar articles of other topics (the hard negatives a store will
offer as candidates); `topic` only builds pairs and folds, it is never a feature. The
regularization and the joining threshold are chosen by clustering held-out folds (grouped
by topic) and maximizing B-cubed F1. Deterministic: fixed seeds, sorted inputs.

    python scripts/train_scorer.py [--data PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from sklearn.feature_extraction import DictVectorizer
from sklearn.preprocessing import normalize

from storyline.eval.events import bcubed, canonical_ids, read_gold
from storyline.link.cluster import Linker
from storyline.link.features import (
    FEATURE_SIGNS,
    FEATURES,
    METADATA_FEATURES,
    SAME_HAPPENING_DAYS,
    DocFreq,
    keys_of,
    pair_features,
    profile,
    vectors,
)
from storyline.link.score import DEFAULT_PARAMS, Scorer
from storyline.read.reader import read_paths
from storyline.records import Article, Enrichment

__all__ = [
    "Corpus",
    "build_corpus",
    "cross_validate",
    "fit",
    "main",
    "topic_folds",
    "train",
]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "ecbplus" / "train.jsonl"
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(11))
REGULARIZATION = (0.1, 1.0)
PRIOR_DOCS = 100.0
# A term enters the shipped IDF prior when this many training articles use it.
PRIOR_MIN_DF = 3
# The likeness threshold is calibrated with the date rule off: ECB+ labels a story's steps
# over months (a killing, the charges, the verdict) as one event, and tuning with the rule on
# would teach the threshold to lump in compensation. The rule then applies as set here.
NO_DATE_RULE = 10**6
SETTINGS: dict[str, float] = {
    "same_happening_days": SAME_HAPPENING_DAYS,
    "sample": 12,
    "candidates": 24,
    "per_key": 64,
    "split_margin": 0.15,
    "storyline_threshold": 0.25,
    # Least mean likeness to an occurrence's anchors that places an unanchored report in it
    # (link/recurring.py); set by comparing 0.25 / 0.4 / 0.5 on ECB+ train, ECB+ dev and
    # webnews dev together, not by cross-validation.
    "place_floor": 0.4,
}


@dataclasses.dataclass
class Corpus:
    """Training articles with their enrichment, canonical ids, gold event and topic."""

    articles: list[Article]
    enrichments: list[Enrichment]
    entity_ids: list[dict[str, str]]
    events: list[str]
    topics: list[int]

    def subset(self, rows: Sequence[int]) -> Corpus:
        return Corpus(
            [self.articles[i] for i in rows],
            [self.enrichments[i] for i in rows],
            [self.entity_ids[i] for i in rows],
            [self.events[i] for i in rows],
            [self.topics[i] for i in rows],
        )


def _idf_prior(corpus: Corpus) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for a, e, ids in zip(corpus.articles, corpus.enrichments, corpus.entity_ids, strict=True):
        counts.update(set(profile(a, e, ids).terms))
    n = len(corpus.articles)
    return {t: c / n for t, c in counts.items() if c >= PRIOR_MIN_DF}


def _pairs(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and labels: all same-topic pairs plus three hard cross-topic negatives
    per article, under document frequencies of this corpus alone."""
    profiles = [
        profile(a, e, ids)
        for a, e, ids in zip(corpus.articles, corpus.enrichments, corpus.entity_ids, strict=True)
    ]
    df = DocFreq()
    for p in profiles:
        df.add(keys_of(p))
    vecs = [vectors(p, df) for p in profiles]
    matrix = normalize(DictVectorizer().fit_transform([v.body for v in vecs]))
    sims = (matrix @ matrix.T).toarray()
    chosen: set[tuple[int, int]] = set()
    n = len(profiles)
    for i in range(n):
        for j in range(i + 1, n):
            if corpus.topics[i] == corpus.topics[j]:
                chosen.add((i, j))
        others = [j for j in np.argsort(-sims[i]) if corpus.topics[j] != corpus.topics[i]][:3]
        chosen.update((min(i, j), max(i, j)) for j in others)
    rows, labels = [], []
    for i, j in sorted(chosen):
        values = pair_features(profiles[i], profiles[j], df, vecs[i], vecs[j])
        rows.append([np.nan if v is None else v for v in values])
        labels.append(int(corpus.events[i] == corpus.events[j]))
    return np.array(rows, dtype=float), np.array(labels)


def _signed_logistic(
    z: np.ndarray, absent: np.ndarray, y: np.ndarray, *, c: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """L2-regularized logistic regression whose feature weights keep FEATURE_SIGNS' signs and
    whose missing-evidence weights are zero for METADATA_FEATURES: L-BFGS-B with bounds."""
    n = z.shape[1]
    design = np.hstack([z, absent, np.ones((len(y), 1))])
    signs = [FEATURE_SIGNS[f] for f in FEATURES]
    bounds = [(0.0, None) if s > 0 else (None, 0.0) for s in signs]
    bounds += [(0.0, 0.0) if f in METADATA_FEATURES else (None, None) for f in FEATURES]
    bounds += [(None, None)]
    penalty = np.r_[np.ones(2 * n), 0.0] / c

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        margin = design @ w
        p = 1.0 / (1.0 + np.exp(-margin))
        value = np.logaddexp(0.0, margin).sum() - y @ margin + 0.5 * penalty @ (w * w)
        return float(value), design.T @ (p - y) + penalty * w

    start = np.zeros(design.shape[1])
    w = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds).x
    return w[:n], w[n : 2 * n], float(w[-1])


def fit(corpus: Corpus, *, c: float, threshold: float) -> Scorer:
    """A scorer trained on every pair of the corpus."""
    x, y = _pairs(corpus)
    mean = np.nanmean(x, axis=0)
    scale = np.nanstd(x, axis=0)
    scale[~(scale > 1e-9)] = 1.0
    mean = np.nan_to_num(mean)
    z = np.nan_to_num((x - mean) / scale)
    absent = np.isnan(x).astype(float)
    weights, missing, bias = _signed_logistic(z, absent, y, c=c)
    return Scorer(
        features=FEATURES,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        weights=tuple(float(v) for v in weights),
        missing=tuple(float(v) for v in missing),
        bias=float(bias),
        threshold=threshold,
        settings=dict(SETTINGS),
        idf_prior=_idf_prior(corpus),
        prior_docs=PRIOR_DOCS,
    )


def cluster_f1(scorer: Scorer, corpus: Corpus, *, seed: int = 0) -> float:
    """B-cubed F1 of linking a corpus, arriving in a seeded random order."""
    order = list(range(len(corpus.articles)))
    random.Random(seed).shuffle(order)
    linker = Linker(scorer)
    for i in order:
        linker.add(corpus.articles[i], corpus.enrichments[i], corpus.entity_ids[i])
    linker.refine()
    gold = {a.id: ev for a, ev in zip(corpus.articles, corpus.events, strict=True)}
    pred = {a.id: linker.event_of(a.id) for a in corpus.articles}
    return bcubed(gold, pred)[2]


def topic_folds(
    topics: Sequence[int], *, folds: int, repeat: int
) -> list[tuple[list[int], list[int]]]:
    """(train rows, test rows) for one seeded shuffle of the distinct topics dealt into `folds`
    groups: every topic is held out in exactly one fold, whole, and the same seed gives the
    same split."""
    order = sorted(set(topics))
    random.Random(repeat).shuffle(order)
    out = []
    for fold in range(folds):
        held = set(order[fold::folds])
        test = [i for i, t in enumerate(topics) if t in held]
        train = [i for i, t in enumerate(topics) if t not in held]
        out.append((train, test))
    return out


def cross_validate(corpus: Corpus, *, folds: int = 4, repeats: int = 3) -> dict[str, Any]:
    """Mean held-out B-cubed F1 for every (C, threshold), over repeated topic-grouped splits.

    Clustering scores swing with which topics land together, so one split picks thresholds
    by luck; repeating the split (and the arrival order) with fixed seeds steadies the choice.
    """
    results: defaultdict[tuple[float, float], list[float]] = defaultdict(list)
    for repeat in range(repeats):
        for train_rows, test_rows in topic_folds(corpus.topics, folds=folds, repeat=repeat):
            train, test = corpus.subset(train_rows), corpus.subset(test_rows)
            for c in REGULARIZATION:
                base = fit(train, c=c, threshold=0.5)
                base = dataclasses.replace(
                    base, settings={**base.settings, "same_happening_days": NO_DATE_RULE}
                )
                for threshold in THRESHOLDS:
                    scorer = dataclasses.replace(base, threshold=threshold)
                    results[(c, threshold)].append(cluster_f1(scorer, test, seed=repeat))
    table = {f"C={c} t={t}": round(statistics.mean(v), 4) for (c, t), v in results.items()}
    top = max(results, key=lambda k: (statistics.mean(results[k]), -k[1]))
    # One-standard-error rule: among settings scoring within one standard error of the best,
    # take the most cautious (the highest threshold, then the stronger regularization), since
    # a wrong merge of two events costs a reader more than a split report.
    spread = statistics.stdev(results[top]) / len(results[top]) ** 0.5
    floor = statistics.mean(results[top]) - spread
    best = max(
        (k for k, v in results.items() if statistics.mean(v) >= floor), key=lambda k: (k[1], -k[0])
    )
    return {
        "table": table,
        "best": {"C": best[0], "threshold": best[1]},
        "best_f1": statistics.mean(results[best]),
        "folds": results[best],
    }


def load_corpus(path: Path) -> Corpus:
    """Training articles read by the same feed reader `storyline ingest` uses, then enriched."""
    from storyline.enrich.pipeline import enrich_articles

    lines = read_gold(path)
    articles = [a for a in read_paths([str(path)]) if isinstance(a, Article)]
    if len(articles) != len(lines):
        raise SystemExit(f"{path}: {len(lines) - len(articles)} lines could not be read")
    enrichments = list(enrich_articles(articles))
    return build_corpus(lines, articles, enrichments)


def build_corpus(
    lines: Sequence[Mapping[str, Any]], articles: list[Article], enrichments: list[Enrichment]
) -> Corpus:
    ids = canonical_ids(enrichments)
    return Corpus(
        articles,
        enrichments,
        [ids.get(a.id, {}) for a in articles],
        [str(x["event"]) for x in lines],
        [int(x["topic"]) for x in lines],
    )


def train(corpus: Corpus) -> tuple[Scorer, dict[str, Any]]:
    report = cross_validate(corpus)
    scorer = fit(corpus, c=report["best"]["C"], threshold=report["best"]["threshold"])
    return scorer, report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_PARAMS)
    args = parser.parse_args(argv)
    scorer, report = train(load_corpus(args.data))
    args.out.write_text(json.dumps(scorer.to_json(), indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1), file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
