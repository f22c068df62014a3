from __future__ import annotations

from storyline.link.storylines import build_storylines, common_cores
from storyline.records import Event, EventDate, EventSubject

TERMS = {"putin": 1.0, "ossetia": 1.0, "meeting": 0.5}


def _event(eid: str, date: str | None) -> Event:
    return Event(id=eid, articles=[eid], date=EventDate(date, "day", "", eid) if date else None)


def test_shared_core_and_subject_link_events_in_date_order() -> None:
    events = [_event("e1", "2019-03-06"), _event("e2", "2017-05-02"), _event("e3", None)]
    subjects = {
        "e1": EventSubject(("putin", "bibilov"), {"putin": "Vladimir Putin"}, TERMS),
        "e2": EventSubject(("putin",), {"putin": "Vladimir Putin"}, TERMS),
        "e3": EventSubject(("putin",), {}, {"election": 1.0}),
    }
    [storyline] = build_storylines(events, subjects, threshold=0.3)
    assert storyline.events == ["e2", "e1"]
    assert storyline.participants == ["putin"]
    assert storyline.title.startswith("Vladimir Putin")
    assert events[0].storyline == events[1].storyline == storyline.id
    assert events[2].storyline is None


def test_no_shared_participant_no_storyline() -> None:
    events = [_event("a", "2017-01-01"), _event("b", "2017-01-02")]
    subjects = {"a": EventSubject(("x",), {}, TERMS), "b": EventSubject(("y",), {}, TERMS)}
    assert build_storylines(events, subjects, threshold=0.1) == []


def test_a_participant_core_to_too_many_events_joins_none() -> None:
    events = [_event(f"e{i}", f"2019-03-0{i}") for i in range(1, 4)]
    subjects = {e.id: EventSubject(("putin",), {}, TERMS) for e in events}
    [storyline] = build_storylines(events, subjects, threshold=0.3, limit=3)
    assert storyline.events == ["e1", "e2", "e3"]
    assert build_storylines(events, subjects, threshold=0.3, limit=2) == []
    # Known to be that common from the whole store, though few of its events are given.
    assert build_storylines(events[:2], subjects, threshold=0.3, common={"putin"}) == []
    assert common_cores(subjects.values(), limit=2) == {"putin"}
