from __future__ import annotations

import pytest

from storyline.eval.events import bcubed, date_accuracy, score_events
from storyline.records import Event, EventDate


def test_bcubed_perfect_and_lumped() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert bcubed(gold, {"a": "1", "b": "1", "c": "2"}) == (1.0, 1.0, 1.0)
    precision, recall, _ = bcubed(gold, {"a": "1", "b": "1", "c": "1"})
    assert precision == pytest.approx(5 / 9) and recall == 1.0


def test_score_events_report_shape() -> None:
    lines = [
        {"id": "a", "event": "x", "event_date": "2017-11-14"},
        {"id": "b", "event": "x"},
        {"id": "c", "event": "y"},
    ]
    events = [
        Event("e1", ["a", "b"], date=EventDate("2017-11-14", "day", "", "a")),
        Event("e2", ["c"]),
    ]
    report = score_events(lines, events)
    assert report["articles"] == 3 and report["gold_events"] == 2 == report["predicted_events"]
    assert report["bcubed"]["f1"] == 1.0 and report["ari"] == 1.0
    assert report["event_date"] == {"gold": 1, "exact": 1, "accuracy": 1.0}
    assert date_accuracy(lines[1:], events)["accuracy"] is None


def test_per_topic_bcubed_only_where_lines_name_topics() -> None:
    lines = [
        {"id": "a", "event": "x", "topic": "t1"},
        {"id": "b", "event": "x", "topic": "t1"},
        {"id": "c", "event": "y", "topic": "t2"},
        {"id": "d", "event": "z", "topic": "t2"},
    ]
    events = [Event("e1", ["a"]), Event("e2", ["b"]), Event("e3", ["c", "d"])]
    topics = score_events(lines, events)["topics"]
    assert list(topics) == ["t1", "t2"]
    assert topics["t1"]["precision"] == 1.0 and topics["t1"]["recall"] == 0.5
    assert topics["t2"]["precision"] == 0.5 and topics["t2"]["recall"] == 1.0
    assert topics["t2"]["gold_events"] == 2 and topics["t2"]["predicted_events"] == 1
    untagged = [{k: v for k, v in line.items() if k != "topic"} for line in lines]
    assert "topics" not in score_events(untagged, events)
