"""Groups of the cross-validation benchmark: one per (corpus, topic)."""

from __future__ import annotations

from benchmarks.cv import group_ids


def test_topics_of_different_corpora_never_share_a_group() -> None:
    lines = [{"topic": 1}, {"topic": "1"}, {"topic": 1}, {"topic": "rates"}, {"topic": 2}]
    corpora = ["a", "b", "a", "b", "a"]
    groups = group_ids(lines, corpora)
    assert groups[0] == groups[2]
    assert len(set(groups)) == 4
    assert group_ids(lines, corpora) == groups
