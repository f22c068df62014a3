from __future__ import annotations

import json

import pytest

from storyline.link.features import FEATURE_SIGNS, FEATURES, METADATA_FEATURES
from storyline.link.score import DEFAULT_PARAMS, SCORER_VERSION, Scorer, load_scorer


def _scorer(weights: list[float]) -> Scorer:
    n = len(FEATURES)
    return Scorer(FEATURES, (0.5,) * n, (1.0,) * n, tuple(weights), (0.0,) * n, 0.0, 0.5)


def test_missing_feature_adds_its_own_weight() -> None:
    scorer = _scorer([1.0] * len(FEATURES))
    assert scorer.probability([None] * len(FEATURES)) == pytest.approx(0.5)
    assert scorer.probability([1.0] + [None] * (len(FEATURES) - 1)) > 0.5
    n = len(FEATURES)
    wary = Scorer(
        FEATURES, (0.5,) * n, (1.0,) * n, (1.0,) * n, (-0.5,) + (0.0,) * (n - 1), 0.0, 0.5
    )
    assert wary.probability([None] * n) < 0.5


def test_round_trip_through_json() -> None:
    scorer = _scorer([0.25] * len(FEATURES))
    again = Scorer.from_json(json.loads(json.dumps(scorer.to_json())))
    assert again.weights == scorer.weights and again.threshold == scorer.threshold


def test_rejects_other_features() -> None:
    data = _scorer([0.0] * len(FEATURES)).to_json()
    data["features"] = ["body_cos"]
    with pytest.raises(ValueError):
        Scorer.from_json(data)


def test_shipped_params_load_and_favour_similar_bodies() -> None:
    data = json.loads(DEFAULT_PARAMS.read_text(encoding="utf-8"))
    assert data["version"] == SCORER_VERSION and data["features"] == list(FEATURES)
    scorer = load_scorer()
    assert 0.0 < scorer.threshold < 1.0
    assert scorer.weights[FEATURES.index("body_cos")] > 0
    for name, sign in FEATURE_SIGNS.items():  # training keeps every weight on its side
        assert scorer.weights[FEATURES.index(name)] * sign >= 0
    for name in METADATA_FEATURES:  # how a corpus was collected says nothing of a pair
        assert scorer.missing[FEATURES.index(name)] == 0
