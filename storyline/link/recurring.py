"""Recurring stories: the same people meeting again, the same board deciding again.

When a story recurs, reports of its occurrences read alike (same participants, same
subject) and only their dates tell them apart, so likeness alone lumps them. What does tell
them apart is the reports that date what they report as it happens: a report published on
the day of what it tells, or a day or two after, dates its occurrence (an anchor). Two
groups of reports, each anchored on its own day(s), are two occurrences however alike they
read; a reaction piece published later anchors nothing, and one report alone on a day (its
date may be misread) cuts nothing.

Every other report (undated, or dated only by a later look back) then joins the occurrence
whose anchors it reads most like, when it reads clearly more like that one than like any
other; only where two occurrences are about as likely does it stay apart, with the reports
that share evidence of one occurrence with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from storyline.link.features import Profile, parse_date, same_occurrence
from storyline.read.language import main_language

__all__ = ["anchor_day", "split_recurring"]

Pair = tuple[str, str]

# A report published this many days after what it tells still reports it as news.
_FRESH_DAYS = 2
# Anchors this many days apart or fewer date one occurrence (a meeting over days, time
# zones, a report dating it by the day it was announced).
_SAME_OCCURRENCE_DAYS = 3
# A cluster is cut only where at least two of its day groups hold this many anchors each:
# one report's date alone may be misread, two reports agreeing on it rarely are.
_RUN_SUPPORT = 2
# How much more an unanchored report must read like one occurrence than like any other
# for likeness to place it.
_CLEAR_MARGIN = 0.05
# The share of the likeness floor a report needs where its own date (or its fresh
# publication) leaves one occurrence it can report: the date is then half the evidence.
_CONFIRMED_FLOOR = 0.5
# Names and numbers a report in another language must share with an occurrence to join it.
_STRONG_MARKS = 3
# Occurrences of a recurring story (a summit, a rate decision, a launch) lie months apart.
_RECURRENCE_DAYS = 180


def anchor_day(p: Profile) -> dt.date | None:
    """The day an article reports as news: its event time where the article states the year
    and was published that day or up to `_FRESH_DAYS` after (or gives no publication date
    to say otherwise); None for undated reports and later looks back."""
    if p.event_time is None or p.event_time[1] != "day":
        return None
    year, month, day = parse_date(p.event_time[0])
    if year is None or month is None or day is None:
        return None
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    if p.published is None:
        return date
    return date if 0 <= (p.published - date).days <= _FRESH_DAYS else None


@dataclass(frozen=True)
class _Occurrence:
    """One occurrence as reports are placed in it: its reports, anchor days, the language
    most of them are in, and the names and numbers they carry."""

    members: list[str]
    days: frozenset[dt.date]
    language: str | None
    marks: frozenset[str]

    def alike(self, m: str, likeness: Callable[[str, str], float]) -> float:
        """How much a report reads like this occurrence's reports, on average."""
        return sum(likeness(m, o) for o in self.members) / len(self.members)

    @classmethod
    def of(
        cls, group: list[str], days: Mapping[str, dt.date], profiles: Mapping[str, Profile]
    ) -> _Occurrence:
        return cls(
            group,
            frozenset(days[m] for m in group if m in days),
            main_language(profiles[m].language for m in group),
            frozenset().union(*(profiles[m].marks for m in group)),
        )


def _support(run: Iterable[str], profiles: Mapping[str, Profile]) -> int:
    """How firmly a day group dates an occurrence: each report dating it counts once, and
    twice where its text names the day and its publication day confirms it (the date is
    then read twice, and a misread rarely agrees with both; "today" is read only once)."""
    return sum(2 if profiles[m].published and profiles[m].event_day_named else 1 for m in run)


def _runs(days: Mapping[str, dt.date]) -> list[list[str]]:
    """Articles grouped by anchor day, days no more than `_SAME_OCCURRENCE_DAYS` apart
    chaining into one group."""
    groups: list[list[str]] = []
    last: dt.date | None = None
    for m in sorted(days, key=lambda k: (days[k], k)):
        if last is None or (days[m] - last).days > _SAME_OCCURRENCE_DAYS:
            groups.append([])
        groups[-1].append(m)
        last = days[m]
    return groups


def split_recurring(
    clusters: Sequence[list[str]],
    *,
    profiles: Mapping[str, Profile],
    votes: Mapping[Pair, int],
    gaps: Callable[[str, str], int | None],
    likeness: Callable[[str, str], float],
    threshold: float,
    near: Callable[[str], Iterable[str]],
    floor: float,
) -> list[list[str]]:
    """Clusters of recurring stories cut into their occurrences.

    First, undated reports of a story that recurs months apart are set apart where nothing
    ties them to their own cluster's dated reports (`_set_apart`). Then every cluster is cut
    at its anchor days, and each report without an anchor of its own (and not deliberately
    set apart) is placed in the occurrence its evidence points to (`_place`): at least
    `floor` alike on average and `_CLEAR_MARGIN` above the next. `near` gives the articles
    worth comparing with one (its candidate neighbours), which bounds the cost."""
    kept, alone = _set_apart(
        clusters, likeness, threshold, profiles=profiles, votes=votes, gaps=gaps
    )
    days = {m: d for m, d in ((m, anchor_day(p)) for m, p in profiles.items()) if d is not None}
    usual = main_language(p.language for p in profiles.values())
    occurrences: list[list[str]] = []
    loose: list[tuple[str, int | None]] = []
    for cluster in kept:
        runs = _runs({m: days[m] for m in cluster if m in days})
        firm = [run for run in runs if _support(run, profiles) >= _RUN_SUPPORT]
        weak: list[str] = []
        if len(firm) == 1:
            # One firmly dated occurrence: a report dating another day on its own is placed
            # like any other (its day's occurrence may lie in another cluster), not cut.
            weak = [m for run in runs if run is not firm[0] for m in run]
            runs = firm
        elif not firm:
            runs = [[m for run in runs for m in run]] if runs else []
        if len(cluster) == 1 and runs:
            loose.append((cluster[0], None))  # a lone dated report may join its day's event
            continue
        if not runs:
            occurrences.append(list(cluster))
            # Set apart because likeness could not choose: only time, or the names and
            # numbers of a report in another language, may place them now. Reports of an
            # undated group that carry a date of their own may follow it to its occurrence.
            loose.extend(
                (m, None)
                for m in cluster
                if (len(cluster) == 1 and m not in alone)
                or (m in alone and (_timed(profiles[m]) or profiles[m].language != usual))
                or (m not in alone and (profiles[m].published or _dated(profiles[m])))
            )
            continue
        home = len(occurrences) if len(runs) == 1 else None
        occurrences.extend(runs)
        loose.extend((m, home) for m in cluster if m not in days or m in weak)
    owner = {m: i for i, group in enumerate(occurrences) for m in group}
    found = [_Occurrence.of(group, days, profiles) for group in occurrences]
    out = [list(group) for group in occurrences]
    apart: list[str] = []
    for m, home in loose:
        rivals = {owner[o] for o in near(m) if o in owner and found[owner[o]].days}
        rivals.discard(owner.get(m, -1))
        best = _place(m, profiles[m], days.get(m), rivals, found, likeness, floor)
        if best is None:
            best = home
        elif best == _AMBIGUOUS:
            best = None  # it reads as much like another occurrence as like its own
        if m in owner:
            if best is not None:
                out[owner[m]].remove(m)
                out[best].append(m)
        elif best is not None:
            out[best].append(m)
        else:
            apart.append(m)
    out.extend(_group(apart, profiles))
    return [group for group in out if group]


def _place(
    m: str,
    p: Profile,
    own_day: dt.date | None,
    rivals: set[int],
    found: Sequence[_Occurrence],
    likeness: Callable[[str, str], float],
    floor: float,
) -> int | None:
    """The occurrence a report belongs to; None where nothing is alike enough, and
    `_AMBIGUOUS` where two occurrences are about equally likely (then it stands apart, even
    from the cluster it came in with).

    Time rules out what it cannot report: a report dated as news joins only an occurrence
    of its day, and one published on a day reports nothing later. Its own day (read in the
    occurrence's year where it gives none) and its publication (news of an occurrence up to
    `_FRESH_DAYS` before) each point at occurrences; where they point apart (a look back
    misread as the event, or a later page about an earlier day), likeness chooses between
    both. The days and weekdays its text names narrow the choice further. Likeness then
    decides: at least `floor` on average against the occurrence's reports (half of it where
    time leaves one occurrence and that is also the one it reads most like), and
    `_CLEAR_MARGIN` above the next."""
    candidates = sorted(rivals)
    # Whether the report's own date (or its fresh publication) picked the candidates.
    confirmed = False
    if own_day is not None:
        candidates = [i for i in candidates if _near_day(own_day, found[i].days, 0)]
        confirmed = True
    else:
        published = p.published
        if published is not None:
            candidates = [i for i in candidates if min(found[i].days) <= published + _DAY]
        dated = [i for i in candidates if _same_day(p, found[i].days, 0)] or [
            i for i in candidates if _same_day(p, found[i].days, _SAME_OCCURRENCE_DAYS)
        ]
        fresh = [
            i
            for i in candidates
            if published is not None and _near_day(published, found[i].days, _FRESH_DAYS, back=True)
        ]
        both = [i for i in dated if i in fresh]
        if dated and fresh and not both:
            candidates = sorted({*dated, *fresh})  # the text and the page disagree
        elif dated or fresh:
            candidates, confirmed = both or dated or fresh, True
        elif _dated(p):
            candidates = []
    candidates = _narrowed(
        candidates,
        lambda i: any(
            d.isoformat() in p.days
            or (d.strftime("%m-%d") in p.days and (not p.years or d.year in p.years))
            for d in found[i].days
        ),
    )
    if p.weekdays:
        candidates = _narrowed(
            candidates, lambda i: any(d.isoweekday() in p.weekdays for d in found[i].days)
        )

    languages = {found[i].language for i in candidates}
    if p.language is not None and candidates and p.language not in languages | {None}:
        return _by_marks(p, candidates, [found[i].marks for i in candidates])

    def alike(i: int) -> float:
        return found[i].alike(m, likeness)

    scores = sorted(((alike(i), i) for i in candidates), reverse=True)
    if confirmed and len(scores) == 1:
        floor *= _CONFIRMED_FLOOR
    if not scores or scores[0][0] < floor:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < _CLEAR_MARGIN:
        return _AMBIGUOUS
    return scores[0][1]


_DAY = dt.timedelta(days=1)
# What `_place` answers where two occurrences are about equally likely.
_AMBIGUOUS = -1


def _by_marks(p: Profile, candidates: Sequence[int], marks: Sequence[frozenset[str]]) -> int | None:
    """The occurrence a report in another language belongs to, on strong evidence only: it
    shares at least `_STRONG_MARKS` names and numbers with that occurrence's reports, more
    than with any other, and at least one of them with no other candidate (a place, a rate,
    a flight number). Likeness of wording means little across languages."""
    shared = sorted(((len(p.marks & m), k) for k, m in enumerate(marks)), reverse=True)
    count, best = shared[0]
    if count < _STRONG_MARKS or (len(shared) > 1 and shared[1][0] == count):
        return None
    others = frozenset().union(*(m for k, m in enumerate(marks) if k != best))
    return candidates[best] if p.marks & marks[best] - others else None


def _near_day(day: dt.date, days: Iterable[dt.date], within: int, *, back: bool = False) -> bool:
    """Whether one of `days` lies within `within` days of `day` (only before it, with `back`,
    counting a day's slack for time zones)."""
    if back:
        return any(-1 <= (day - d).days <= within for d in days)
    return any(abs((day - d).days) <= max(within, _SAME_OCCURRENCE_DAYS) for d in days)


def _same_day(p: Profile, days: Iterable[dt.date], within: int) -> bool:
    """Whether a report's own day (not stated as news) falls within `within` days of one of
    `days`, read in each of their years where it gives none: a report that dates its event
    otherwise reports another occurrence."""
    year, month, day = parse_date(p.event_time[0] if p.event_time else None)
    if month is None or day is None:
        return False
    for d in days:
        try:
            if abs((dt.date(year or d.year, month, day) - d).days) <= within:
                return True
        except ValueError:
            continue
    return False


def _narrowed(candidates: list[int], keep: Callable[[int], bool]) -> list[int]:
    """The candidates that `keep`, where any do; else all of them (no evidence either way)."""
    kept = [i for i in candidates if keep(i)]
    return kept or candidates


def _timed(profile: Profile) -> bool:
    """Whether a report carries time evidence of its own: a publication day, an event day or
    a day it names (weekdays alone fit an occurrence every seventh day)."""
    return profile.published is not None or _dated(profile) or bool(profile.days)


def _dated(profile: Profile) -> bool:
    return profile.event_time is not None and profile.event_time[1] == "day"


def _set_apart(
    clusters: Sequence[list[str]],
    likeness: Callable[[str, str], float],
    threshold: float,
    *,
    profiles: Mapping[str, Profile],
    votes: Mapping[Pair, int],
    gaps: Callable[[str, str], int | None],
) -> tuple[list[list[str]], set[str]]:
    """Clusters with undated members of recurring stories set apart where nothing ties them
    to their cluster's dated reports.

    A cluster belongs to a recurring story when one of its members reads like a member of
    another cluster (`likeness` at or above `threshold`) dated months apart from it (`gaps`
    in days): that is an earlier or later occurrence of the same story. Dates closer than
    that still keep two reports apart, but may be one happening's steps reported over weeks,
    among which an undated report is fairly placed by likeness. Returns the clusters and
    the reports set apart.
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
    alone: set[str] = set()
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
        alone.update(loose)
    return out, alone


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
