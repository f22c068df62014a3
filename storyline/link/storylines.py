"""Storylines: events that continue one story, linked through a shared core participant
and a similar subject, in date order.

Two events are joined when one of each event's core participants (its most salient
canonical entities) is the same and their subjects (summed term weights) are similar
enough; storylines are the connected components of those joins. Candidate pairs come from
an index over core participants, so the cost follows the number of events per participant.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set

from storyline.link.features import cosine
from storyline.records import Event, EventSubject, Storyline

__all__ = ["MAX_CORE_EVENTS", "build_storylines", "common_cores"]

MAX_CORE_EVENTS = 400
"""A participant core to more events than this (a country, a large company) is too common to
tell one story from another: it joins no events, so rebuilding the storylines around a new
event reads at most this many events for each of its core participants."""


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _order_key(event: Event) -> tuple[str, str]:
    # Undated events go last; a partial year (XXXX) sorts before any known year.
    return (event.date.value if event.date else "~", event.id)


def common_cores(subjects: Iterable[EventSubject], *, limit: int = MAX_CORE_EVENTS) -> set[str]:
    """The participants core to more than `limit` of these subjects' events."""
    counts = Counter(c for s in subjects for c in s.core)
    return {c for c, n in counts.items() if n > limit}


def build_storylines(
    events: Sequence[Event],
    subjects: Mapping[str, EventSubject],
    *,
    threshold: float,
    common: Set[str] = frozenset(),
    limit: int = MAX_CORE_EVENTS,
) -> list[Storyline]:
    """Storylines of two or more events; sets `Event.storyline` on their events. The id
    comes from the earliest event, so it stays put while that event does. Participants in
    `common`, or core to more than `limit` of these events, join none."""
    parent = {e.id: e.id for e in events}
    by_core: defaultdict[str, list[str]] = defaultdict(list)
    given = [subjects[e.id] for e in events if e.id in subjects]
    skip = set(common) | common_cores(given, limit=limit)
    for event in events:
        subject = subjects.get(event.id)
        if subject is None:
            continue
        for entity in subject.core:
            if entity in skip:
                continue
            for other in by_core[entity]:
                if _find(parent, other) != _find(parent, event.id) and (
                    (cosine(subject.terms, subjects[other].terms) or 0.0) >= threshold
                ):
                    parent[_find(parent, other)] = _find(parent, event.id)
            by_core[entity].append(event.id)
    groups: defaultdict[str, list[Event]] = defaultdict(list)
    for event in events:
        groups[_find(parent, event.id)].append(event)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=_order_key)
        sid = "sl-" + hashlib.sha1(members[0].id.encode()).hexdigest()[:12]
        shared = _shared_core(members, subjects)
        for event in members:
            event.storyline = sid
        out.append(
            Storyline(
                id=sid,
                title=_title(members, subjects, shared),
                events=[e.id for e in members],
                participants=shared,
            )
        )
    return sorted(out, key=lambda s: s.id)


def _shared_core(members: Sequence[Event], subjects: Mapping[str, EventSubject]) -> list[str]:
    """Core participants in order of how many of the storyline's events they are core to."""
    counts: defaultdict[str, int] = defaultdict(int)
    for event in members:
        for entity in subjects[event.id].core:
            counts[entity] += 1
    return sorted((e for e in counts if counts[e] > 1), key=lambda e: (-counts[e], e))


def _title(
    members: Sequence[Event], subjects: Mapping[str, EventSubject], shared: Sequence[str]
) -> str:
    names: dict[str, str] = {}
    terms: defaultdict[str, float] = defaultdict(float)
    for event in members:
        names.update(subjects[event.id].names)
        for term, weight in subjects[event.id].terms.items():
            terms[term] += weight
    people = [names.get(e, e) for e in shared[:2]]
    words = sorted(terms, key=lambda t: (-terms[t], t))[:3]
    return " and ".join(people) + (": " if people else "") + ", ".join(words)
