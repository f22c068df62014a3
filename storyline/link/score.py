"""The pairwise same-event scorer: a logistic model whose weights ship in `scorer.json`.

Features are standardized with the training means and spreads. A feature the pair gives
no evidence for (no dates, no quotations) adds its own learned `missing` weight instead:
that two reports carry no comparable dates says something too, and the data says what.
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

SCORER_VERSION = 2
DEFAULT_PARAMS = Path(__file__).with_name("scorer.json")


@dataclass(frozen=True)
class Scorer:
    """Weights over FEATURES plus the settings the clustering was tuned with."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    missing: tuple[float, ...]
    bias: float
    threshold: float
    settings: Mapping[str, float] = field(default_factory=dict)
    idf_prior: Mapping[str, float] = field(default_factory=dict)
    prior_docs: float = 0.0

    def logit(self, values: Sequence[float | None]) -> float:
        total = self.bias
        for x, m, s, w, gap in zip(
            values, self.mean, self.scale, self.weights, self.missing, strict=True
        ):
            total += gap if x is None else w * (x - m) / s
        return total

    def probability(self, values: Sequence[float | None]) -> float:
        """P(same event) for one pair's feature values."""
        z = self.logit(values)
        return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "version": SCORER_VERSION,
            "features": list(self.features),
            "mean": [round(x, 6) for x in self.mean],
            "scale": [round(x, 6) for x in self.scale],
            "weights": [round(x, 6) for x in self.weights],
            "missing": [round(x, 6) for x in self.missing],
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
            missing=tuple(data["missing"]),
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
