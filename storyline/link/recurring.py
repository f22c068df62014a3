"""Recurring stories: the same people meeting again, the same board deciding again.

When a story recurs, reports of its occurrences read alike (same participants, same
subject) and only their dates tell them apart. An article that gives no day of its own is
then placed by likeness, which can say which occurrence it reports only when it reads
clearly more like one than the others. Where it does not, it stays in its event only with
evidence of that very occurrence (the same day, shared wording, the same quotation), and
otherwise stands as an event of its own rather than being guessed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from storyline.link.features import Profile, same_occurrence

__all__ = ["split_recurring"]

Pair = tuple[str, str]
# How much more an undated report must read like one occurrence than like another of the
# same story for likeness alone to place it.
_CLEAR_MARGIN = 0.05
# Occurrences of a recurring story (a summit, a rate decision, a launch) lie months apart.
_RECURRENCE_DAYS = 180


def _dated(profile: Profile) -> bool:
    return profile.event_time is not None and profile.event_time[1] == "day"


def split_recurring(
    clusters: Sequence[list[str]],
    *,
    profiles: Mapping[str, Profile],
    votes: Mapping[Pair, int],
    gaps: Callable[[str, str], int | None],
    likeness: Callable[[str, str], float],
    threshold: float,
) -> list[list[str]]:
    """Clusters with undated members of recurring stories set apart where nothing ties them
    to their cluster's dated reports.

    A cluster belongs to a recurring story when one of its members reads like a member of
    another cluster (`likeness` at or above `threshold`) dated months apart from it (`gaps`
    in days): that is an earlier or later occurrence of the same story. Dates closer than
    that still keep two reports apart, but may be one happening's steps reported over weeks,
    among which an undated report is fairly placed by likeness.
    """
    owner = {m: i for i, cluster in enumerate(clusters) for m in cluster}
    siblings: dict[int, set[int]] = {}
    for (a, b), vote in votes.items():
        apart = vote < 0 and a in owner and b in owner and owner[a] != owner[b]
        if apart and (gaps(a, b) or 0) > _RECURRENCE_DAYS and likeness(a, b) >= threshold:
            siblings.setdefault(owner[a], set()).add(owner[b])
            siblings.setdefault(owner[b], set()).add(owner[a])
    dated = [[m for m in cluster if _dated(profiles[m])] for cluster in clusters]

    def closeness(m: str, index: int) -> float:
        return sum(likeness(m, d) for d in dated[index]) / len(dated[index])

    out: list[list[str]] = []
    for index, cluster in enumerate(clusters):
        own = dated[index]
        if index not in siblings or not own:
            out.append(list(cluster))
            continue
        kept, loose = list(own), []
        for m in cluster:
            if m in own:
                continue
            rival = max(closeness(m, other) for other in siblings[index] if dated[other])
            if closeness(m, index) - rival >= _CLEAR_MARGIN or any(
                same_occurrence(profiles[m], profiles[d]) for d in own
            ):
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
