"""The pairwise same-event scorer: a logistic model whose weights ship in `scorer.json`.

Features are standardized with the training means and spreads; a feature the pair gives
no evidence for (no dates, no publication times) takes its training mean, so it moves the
score neither way.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.link.features import FEATURES

__all__ = ["DEFAULT_PARAMS", "SCORER_VERSION", "Scorer", "load_scorer"]

SCORER_VERSION = 1
DEFAULT_PARAMS = Path(__file__).with_name("scorer.json")
_CONFLICT = FEATURES.index("time_conflict")


@dataclass(frozen=True)
class Scorer:
    """Weights over FEATURES plus the settings the clustering was tuned with."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    settings: Mapping[str, float] = field(default_factory=dict)
    idf_prior: Mapping[str, float] = field(default_factory=dict)
    prior_docs: float = 0.0

    def logit(self, values: Sequence[float | None]) -> float:
        total = self.bias
        for x, m, s, w in zip(values, self.mean, self.scale, self.weights, strict=True):
            if x is not None:
                total += w * (x - m) / s
        return total

    def probability(self, values: Sequence[float | None]) -> float:
        """P(same event) for one pair's feature values. Two day-precise event times that
        clash cap it at `day_conflict_cap`: however alike two reports read, a meeting on
        another day is another meeting (dated pairs are too rare in training to learn it)."""
        z = self.logit(values)
        p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
        cap = self.settings.get("day_conflict_cap")
        if cap is not None and self.day_conflict(values):
            return min(p, cap)
        return p

    @staticmethod
    def day_conflict(values: Sequence[float | None]) -> bool:
        """Whether a pair's event times clash at day precision."""
        conflict = values[_CONFLICT]
        return conflict is not None and conflict >= 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "version": SCORER_VERSION,
            "features": list(self.features),
            "mean": [round(x, 6) for x in self.mean],
            "scale": [round(x, 6) for x in self.scale],
            "weights": [round(x, 6) for x in self.weights],
            "bias": round(self.bias, 6),
            "threshold": self.threshold,
            "settings": dict(self.settings),
            "prior_docs": self.prior_docs,
            "idf_prior": {k: round(v, 4) for k, v in sorted(self.idf_prior.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Scorer:
        if data.get("version") != SCORER_VERSION:
            raise ValueError(f"scorer version {data.get('version')} != {SCORER_VERSION}")
        if tuple(data["features"]) != FEATURES:
            raise ValueError("scorer was trained on other features; re-run scripts/train_scorer.py")
        return cls(
            features=tuple(data["features"]),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            weights=tuple(data["weights"]),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            settings=dict(data.get("settings", {})),
            idf_prior=dict(data.get("idf_prior", {})),
            prior_docs=float(data.get("prior_docs", 0.0)),
        )


def load_scorer(path: Path | None = None) -> Scorer:
    """The shipped scorer, or one written by scripts/train_scorer.py."""
    with open(path or DEFAULT_PARAMS, encoding="utf-8") as fh:
        return Scorer.from_json(json.load(fh))
