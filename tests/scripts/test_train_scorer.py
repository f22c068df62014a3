"""The topic-grouped split the scorer's training and benchmarks/cv.py share."""

from __future__ import annotations

from scripts.train_scorer import topic_folds


def test_folds_hold_out_whole_topics_once_and_repeat_alike() -> None:
    topics = [3, 1, 3, 2, 5, 1, 4, 4, 2, 6, 7, 7]
    split = topic_folds(topics, folds=3, repeat=0)
    held = [sorted(test) for _, test in split]
    assert sorted(i for rows in held for i in rows) == list(range(len(topics)))
    for train, test in split:
        assert sorted(train + test) == list(range(len(topics)))
        assert not {topics[i] for i in train} & {topics[i] for i in test}
    assert split == topic_folds(list(topics), folds=3, repeat=0)
    assert [t for _, t in topic_folds(topics, folds=3, repeat=1)] != [t for _, t in split]
