from __future__ import annotations

from storyline.link.cluster import Linker, link
from tests.link.helpers import make

MEETING = (
    "Russian President Vladimir Putin hosted the South Ossetian leader Anatoly Bibilov in "
    "Moscow to discuss bilateral cooperation, integration and economic aid for the region"
)
FIRE = "A fire badly damaged the Waitrose supermarket in Wellington High Street overnight crews"


def test_two_reports_of_one_event_join() -> None:
    a = make("a", MEETING, people=("Putin", "Bibilov"), when=("2017-11-14", "day"))
    b = make("b", MEETING + " treaty", people=("Putin", "Bibilov"), when=("2017-11-14", "day"))
    linker = Linker()
    first = linker.add(*a, {})
    assert linker.add(*b, {}) == first


def test_same_entities_on_another_day_is_another_event() -> None:
    a = make("a", MEETING, people=("Putin", "Bibilov"), when=("2017-11-14", "day"))
    b = make("b", MEETING, people=("Putin", "Bibilov"), when=("2019-03-06", "day"))
    linker = Linker()
    assert linker.add(*a, {}) != linker.add(*b, {})


def test_unrelated_articles_stay_apart_and_ids_are_stable() -> None:
    meeting = make("a", MEETING, people=("Putin",))
    fire = make("f", FIRE, places=("Wellington",))
    events, storylines = link([meeting, fire], entity_links={})
    assert sorted(len(e.articles) for e in events) == [1, 1]
    again, _ = link([fire, meeting], entity_links={})
    assert {e.id for e in events} == {e.id for e in again}
    assert storylines == []


def test_refine_keeps_event_ids_and_restore_rebuilds() -> None:
    a = make("a", MEETING, people=("Putin",), when=("2017-11-14", "day"))
    b = make("b", MEETING, people=("Putin",), when=("2017-11-14", "day"))
    linker = Linker()
    eid = linker.add(*a, {})
    linker.add(*b, {})
    linker.refine()
    assert linker.event_of("a") == linker.event_of("b") == eid
    restored = Linker()
    restored.restore(linker.events(), [a, b], {})
    assert restored.event_of("b") == eid
    c = make("c", MEETING, people=("Putin",), when=("2017-11-14", "day"))
    assert restored.add(*c, {}) == eid
