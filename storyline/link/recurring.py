"""Recurring stories: the same people meeting again, the same board deciding again.

When a story recurs, reports of its occurrences read alike (same participants, same
subject) and only their dates tell them apart. An article that gives no day of its own can
then be placed by likeness alone, which cannot say which occurrence it reports: it stays in
its event only with evidence of that very occurrence (the same day, shared wording, the
same quotation), and otherwise stands as an event of its own rather than being guessed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from storyline.link.features import Profile, same_occurrence

__all__ = ["split_recurring"]

Pair = tuple[str, str]


def _dated(profile: Profile) -> bool:
    return profile.event_time is not None and profile.event_time[1] == "day"


def split_recurring(
    clusters: Sequence[list[str]],
    *,
    profiles: Mapping[str, Profile],
    votes: Mapping[Pair, int],
    likeness: Callable[[str, str], float],
    threshold: float,
) -> list[list[str]]:
    """Clusters with undated members of recurring stories set apart where nothing ties them
    to their cluster's dated reports.

    A cluster belongs to a recurring story when one of its members reads like a member of
    another cluster (`likeness` at or above `threshold`) whose date clashes with it (a
    negative day vote): that is an earlier or later occurrence of the same story.
    """
    owner = {m: i for i, cluster in enumerate(clusters) for m in cluster}
    recurring: set[int] = set()
    for (a, b), vote in votes.items():
        apart = vote < 0 and a in owner and b in owner and owner[a] != owner[b]
        if apart and likeness(a, b) >= threshold:
            recurring.update((owner[a], owner[b]))
    out: list[list[str]] = []
    for index, cluster in enumerate(clusters):
        dated = [m for m in cluster if _dated(profiles[m])]
        if index not in recurring or not dated:
            out.append(list(cluster))
            continue
        kept, loose = list(dated), []
        for m in cluster:
            if m in dated:
                continue
            if any(same_occurrence(profiles[m], profiles[d]) for d in dated):
                kept.append(m)
            else:
                loose.append(m)
        out.append(kept)
        out.extend(_group(loose, profiles))
    return out


def _group(loose: list[str], profiles: Mapping[str, Profile]) -> list[list[str]]:
    """Set-apart articles that share evidence of one occurrence stay together."""
    groups: list[list[str]] = []
    for m in loose:
        home = next(
            (g for g in groups if any(same_occurrence(profiles[m], profiles[o]) for o in g)),
            None,
        )
        if home is None:
            groups.append([m])
        else:
            home.append(m)
    return groups
