"""Incremental event clustering: each arriving article joins its best candidate event or
opens a new one, and may re-shape earlier decisions (merge two events it bridges, push out
a member that no longer fits).

An article's affinity to an event is the mean same-event probability against a bounded
sample of its members (average link), so adding one article costs a bounded number of
pair scores whatever the size of the store. `Linker.refine` sweeps the whole store the same
way, which is what makes the result depend little on arrival order.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from storyline.link.candidates import CandidateIndex, blocking_keys
from storyline.link.dates import date_event
from storyline.link.features import (
    SAME_HAPPENING_DAYS,
    DocFreq,
    Profile,
    Vectors,
    day_vote,
    event_gap,
    keys_of,
    pair_features,
    profile,
    vectors,
)
from storyline.link.recurring import split_recurring
from storyline.link.score import Scorer, load_scorer
from storyline.link.storylines import build_storylines
from storyline.records import Article, Enrichment, Event, EventSubject, Storyline

__all__ = ["Linker", "link"]

# Pair probabilities are remembered for this many pairs, then forgotten all at once.
_CACHE_LIMIT = 200_000
# Term weights are recomputed once the store has grown by this factor since they were.
_STALE_GROWTH = 1.25


@dataclass
class _Member:
    profile: Profile
    vectors: Vectors
    docs_at: int
    seq: int
    enrichment: Enrichment
    article: Article


@dataclass
class _Event:
    id: str
    members: list[str] = field(default_factory=list)


def _event_id(article_id: str, salt: int = 0) -> str:
    digest = hashlib.sha1(f"{article_id}\0{salt}".encode()).hexdigest()[:12]
    return f"ev-{digest}"


class Linker:
    """Events and the indexes that find them, updated one article at a time."""

    def __init__(self, scorer: Scorer | None = None) -> None:
        self.scorer = scorer or load_scorer()
        s = self.scorer.settings
        self.threshold = self.scorer.threshold
        self.sample = int(s.get("sample", 12))
        self.max_candidates = int(s.get("candidates", 24))
        self.split_margin = float(s.get("split_margin", 0.15))
        self.same_days = int(s.get("same_happening_days", SAME_HAPPENING_DAYS))
        self.neighbours = int(s.get("neighbours", 60))
        self.place_floor = float(s.get("place_floor", 0.4))
        self.df = DocFreq(self.scorer.idf_prior, prior_docs=self.scorer.prior_docs)
        self.index = CandidateIndex(per_key=int(s.get("per_key", 64)))
        self._members: dict[str, _Member] = {}
        self._event_of: dict[str, str] = {}
        self._events: dict[str, _Event] = {}
        self._seq = 0
        self._cache: dict[tuple[str, str], float] = {}
        # Day votes of pairs with day-precise event times (see features.day_vote): two events
        # whose dates clash more than they agree are never merged, however alike they read.
        self._votes: dict[tuple[str, str], int] = {}

    # -- scoring ----------------------------------------------------------------------
    def _vectors(self, m: _Member) -> Vectors:
        if self.df.docs > m.docs_at * _STALE_GROWTH:
            m.vectors, m.docs_at = vectors(m.profile, self.df), self.df.docs
        return m.vectors

    def pair(self, a: str, b: str) -> float:
        """P(a and b report the same event)."""
        key = (a, b) if a < b else (b, a)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        ma, mb = self._members[a], self._members[b]
        values = pair_features(
            ma.profile, mb.profile, self.df, self._vectors(ma), self._vectors(mb)
        )
        p = self.scorer.probability(values)
        vote = day_vote(ma.profile, mb.profile, window=self.same_days)
        if vote:
            self._votes[key] = vote
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = p
        return p

    def _sample(self, event: _Event, prefer: Mapping[str, int], exclude: str = "") -> list[str]:
        """Up to `sample` members: those the query hit most first, then the newest."""
        members = [m for m in event.members if m != exclude]
        if len(members) <= self.sample:
            return members
        ranked = sorted(members, key=lambda m: (-prefer.get(m, 0), -self._members[m].seq))
        return ranked[: self.sample]

    def affinity(self, article_id: str, event_id: str, prefer: Mapping[str, int]) -> float:
        """Mean pair probability of an article against a sample of an event's members."""
        sample = self._sample(self._events[event_id], prefer, exclude=article_id)
        if not sample:
            return 0.0
        total = sum(self.pair(article_id, m) for m in sample)
        if sum(self._vote(article_id, m) for m in sample) < 0:
            return 0.0
        return total / len(sample)

    def _vote(self, a: str, b: str) -> int:
        return self._votes.get((a, b) if a < b else (b, a), 0)

    def _link(self, e: str, f: str) -> float:
        """Average link between two events over bounded samples of each."""
        half = max(2, self.sample // 2)
        left = self._events[e].members[-half:]
        right = self._events[f].members[-half:]
        total = sum(self.pair(a, b) for a in left for b in right)
        if sum(self._vote(a, b) for a in left for b in right) < 0:
            return 0.0
        return total / (len(left) * len(right))

    def _candidates(self, article_id: str) -> tuple[list[str], Counter[str]]:
        """Up to `candidates` events reached through the article's blocking keys, most hits
        first, with the per-article hit counts."""
        hits = self.index.query(self.index.keys(article_id))
        hits.pop(article_id, None)
        per_event: Counter[str] = Counter()
        for other, n in hits.items():
            per_event[self._event_of[other]] += n
        ranked = sorted(per_event, key=lambda e: (-per_event[e], e))
        return ranked[: self.max_candidates], hits

    # -- assignment -------------------------------------------------------------------
    def add(self, article: Article, enrichment: Enrichment, entity_ids: Mapping[str, str]) -> str:
        """File one article and return the id of the event it now belongs to."""
        if article.id in self._members:
            return self._event_of[article.id]
        p = profile(article, enrichment, entity_ids)
        self.df.add(keys_of(p))
        v = vectors(p, self.df)
        self._seq += 1
        self._members[article.id] = _Member(p, v, self.df.docs, self._seq, enrichment, article)
        self.index.add(article.id, blocking_keys(p, v, self.df))
        candidates, hits = self._candidates(article.id)
        scores = {e: self.affinity(article.id, e, hits) for e in candidates}
        best = max(scores, key=lambda e: (scores[e], e), default=None)
        if best is not None and scores[best] >= self.threshold:
            self._join(article.id, best)
            self._reshape(
                best, [e for e in candidates if e != best and scores[e] >= self.threshold]
            )
        else:
            self._open(article.id)
        return self._event_of[article.id]

    def drop(self, article_id: str) -> None:
        """Take back an article whose filing failed half way, so no later one meets a trace of it."""
        self._members.pop(article_id, None)
        self.index.remove(article_id)
        if article_id in self._event_of:
            self._leave(article_id)
        self._cache.clear()
        self._votes = {k: v for k, v in self._votes.items() if article_id not in k}

    def _open(self, article_id: str) -> str:
        salt = 0
        eid = _event_id(article_id)
        while eid in self._events:
            salt += 1
            eid = _event_id(article_id, salt)
        self._events[eid] = _Event(eid, [article_id])
        self._event_of[article_id] = eid
        return eid

    def _join(self, article_id: str, event_id: str) -> None:
        self._events[event_id].members.append(article_id)
        self._event_of[article_id] = event_id

    def _leave(self, article_id: str) -> None:
        eid = self._event_of.pop(article_id)
        event = self._events[eid]
        event.members.remove(article_id)
        if not event.members:
            del self._events[eid]

    def _merge(self, keep: str, gone: str) -> None:
        for m in self._events[gone].members:
            self._event_of[m] = keep
        self._events[keep].members.extend(self._events.pop(gone).members)
        self._events[keep].members.sort(key=lambda m: self._members[m].seq)

    def _reshape(self, event_id: str, bridged: list[str]) -> None:
        """After a join: merge events the newcomer bridges, then push out members that no
        longer fit the grown event."""
        for other in bridged:
            if (
                other in self._events
                and event_id in self._events
                and self._link(event_id, other) >= self.threshold
            ):
                big, small = sorted(
                    (event_id, other),
                    key=lambda e: (-len(self._events[e].members), self._first_seq(e)),
                )
                self._merge(big, small)
                event_id = big
        event = self._events[event_id]
        if len(event.members) < 3:
            return
        floor = self.threshold - self.split_margin
        for m in list(event.members[-self.sample :]):
            if len(event.members) > 2 and self.affinity(m, event_id, {}) < floor:
                self._leave(m)
                self._place(m)

    def _first_seq(self, event_id: str) -> int:
        return min(self._members[m].seq for m in self._events[event_id].members)

    def _place(self, article_id: str) -> None:
        """Put an unassigned article in its best event above threshold, or alone."""
        candidates, hits = self._candidates(article_id)
        scores = {e: self.affinity(article_id, e, hits) for e in candidates}
        best = max(scores, key=lambda e: (scores[e], e), default=None)
        if best is not None and scores[best] >= self.threshold:
            self._join(article_id, best)
        else:
            self._open(article_id)

    def refine(self) -> int:
        """Re-cluster the whole store by average link over the candidate graph, then keep
        each old event id on the new event that holds most of its articles. The graph and the
        merge order depend only on the articles, not on the order they came in, so this is
        what makes the outcome (nearly) order-free; term weights and blocking keys are
        brought up to date with the store's document frequencies first. Returns how many articles changed event."""
        self._cache.clear()
        self.index = CandidateIndex(per_key=self.index.per_key)
        for aid in sorted(self._members):
            member = self._members[aid]
            member.vectors, member.docs_at = vectors(member.profile, self.df), self.df.docs
            self.index.add(aid, blocking_keys(member.profile, member.vectors, self.df))
        weights = self._graph()
        clusters = split_recurring(
            _average_link(sorted(self._members), weights, self.threshold, votes=self._votes),
            profiles={m: member.profile for m, member in self._members.items()},
            votes=self._votes,
            gaps=lambda a, b: event_gap(self._members[a].profile, self._members[b].profile),
            likeness=self.pair,
            threshold=self.threshold,
            near=lambda m: self.index.query(self.index.keys(m)),
            floor=self.place_floor,
        )
        before = dict(self._event_of)
        old_first = {e: self._first_seq(e) for e in self._events}
        claims = sorted(
            (
                (-sum(1 for m in group if before[m] == old), old_first[old], old, index)
                for index, group in enumerate(clusters)
                for old in {before[m] for m in group}
            ),
        )
        named: dict[int, str] = {}
        for _, _, old, index in claims:
            if index not in named and old not in named.values():
                named[index] = old
        self._events.clear()
        self._event_of.clear()
        # Kept ids first, so a fresh id can never take one that is about to be kept.
        for index in sorted(range(len(clusters)), key=lambda i: i not in named):
            ordered = sorted(clusters[index], key=lambda m: self._members[m].seq)
            eid = named.get(index)
            if eid is None:
                eid = self._open(ordered[0])
            else:
                self._events[eid] = _Event(eid, [ordered[0]])
                self._event_of[ordered[0]] = eid
            for other in ordered[1:]:
                self._join(other, eid)
        return sum(1 for m, e in before.items() if self._event_of[m] != e)

    def _graph(self) -> dict[tuple[str, str], float]:
        """Pair probabilities between every article and its candidate neighbours."""
        weights: dict[tuple[str, str], float] = {}
        for aid in sorted(self._members):
            hits = self.index.query(self.index.keys(aid))
            hits.pop(aid, None)
            near = sorted(hits, key=lambda o: (-hits[o], o))[: self.neighbours]
            for other in near:
                key = (aid, other) if aid < other else (other, aid)
                if key not in weights:
                    weights[key] = self.pair(*key)
        return weights

    # -- restoring and reporting ------------------------------------------------------
    def restore(
        self,
        events: Iterable[Event],
        pairs: Iterable[tuple[Article, Enrichment]],
        entity_ids: Mapping[str, Mapping[str, str]],
        *,
        counted: bool = False,
    ) -> None:
        """Rebuild state from stored events and their articles without re-deciding anything,
        so ids and groupings survive between runs. `counted`: the document frequencies
        already hold these articles (loaded from a store), so they are not added again."""
        owner = {a: e.id for e in events for a in e.articles}
        # Document frequencies first, then vectors and index keys under the whole store's
        # counts, as a store built one add at a time would have them now.
        loaded = []
        for article, enrichment in pairs:
            p = profile(article, enrichment, entity_ids.get(article.id, {}))
            if not counted:
                self.df.add(keys_of(p))
            loaded.append((article, enrichment, p))
        for article, enrichment, p in loaded:
            v = vectors(p, self.df)
            self._seq += 1
            self._members[article.id] = _Member(p, v, self.df.docs, self._seq, enrichment, article)
            self.index.add(article.id, blocking_keys(p, v, self.df))
            eid = owner.get(article.id)
            if eid is None:
                self._open(article.id)
            elif eid in self._events:
                self._join(article.id, eid)
            else:
                self._events[eid] = _Event(eid, [article.id])
                self._event_of[article.id] = eid

    def event_of(self, article_id: str) -> str:
        return self._event_of[article_id]

    def profile(self, article_id: str) -> Profile:
        return self._members[article_id].profile

    def events_and_storylines(self) -> tuple[list[Event], list[Storyline]]:
        """Every event, and the storylines they form (each event's `storyline` set)."""
        events = self.events()
        subjects = {e.id: self.subject(e.id) for e in events}
        threshold = float(self.scorer.settings.get("storyline_threshold", 0.25))
        return events, build_storylines(events, subjects, threshold=threshold)

    def events(self) -> list[Event]:
        """Every event with its articles (in arrival order), date, place and participants."""
        out: list[Event] = []
        for eid in sorted(self._events, key=self._first_seq):
            ids = self._events[eid].members
            members = [self._members[m] for m in ids]
            date, details = date_event([(m.article, m.enrichment) for m in members])
            entities: Counter[str] = Counter()
            places: Counter[str] = Counter()
            for m in members:
                entities.update(m.profile.persons)
                entities.update(m.profile.entities)
                places.update(m.profile.places)
            out.append(
                Event(
                    id=eid,
                    articles=list(ids),
                    date=date,
                    place=places.most_common(1)[0][0] if places else None,
                    participants=[e for e, _ in entities.most_common(5)],
                    details=details,
                )
            )
        return out

    def subject(self, event_id: str, *, core: int = 3, terms: int = 50) -> EventSubject:
        """What an event is about, for storylines: its most salient participants and its
        strongest terms (each article's vector counted once, at unit length)."""
        entities: Counter[str] = Counter()
        names: dict[str, str] = {}
        weights: Counter[str] = Counter()
        for m in (self._members[a] for a in self._events[event_id].members):
            entities.update(m.profile.persons)
            entities.update(m.profile.entities)
            names.update(m.profile.names)
            body = self._vectors(m).body
            norm = math.sqrt(sum(v * v for v in body.values())) or 1.0
            weights.update({t: v / norm for t, v in body.items()})
        top = tuple(e for e, _ in entities.most_common(core))
        return EventSubject(
            core=top,
            names={e: names.get(e, e) for e in top},
            terms=dict(weights.most_common(terms)),
        )


def _average_link(
    items: list[str],
    weights: Mapping[tuple[str, str], float],
    threshold: float,
    *,
    votes: Mapping[tuple[str, str], int] | None = None,
) -> list[list[str]]:
    """Agglomerate while the best average pair probability between two clusters clears the
    threshold; pairs outside the graph count as 0. Two clusters whose pairs' day `votes` sum
    below zero never merge: a cluster-level decision, so no chain of joins smuggles a date
    clash in, yet one misread date in a well-agreeing event does not split it. Ties break on
    the cluster names."""
    cluster_of = {item: i for i, item in enumerate(items)}
    members: dict[int, list[str]] = {i: [item] for i, item in enumerate(items)}
    sums: dict[int, dict[int, float]] = {i: {} for i in members}
    net: dict[int, dict[int, int]] = {i: {} for i in members}
    for (a, b), vote in (votes or {}).items():
        if a in cluster_of and b in cluster_of:
            x, y = cluster_of[a], cluster_of[b]
            net[x][y] = net[x].get(y, 0) + vote
            net[y][x] = net[x][y]
    for (a, b), w in weights.items():
        x, y = cluster_of[a], cluster_of[b]
        sums[x][y] = sums[x].get(y, 0.0) + w
        sums[y][x] = sums[y].get(x, 0.0) + w
    heap = [
        (-w / (len(members[x]) * len(members[y])), x, y)
        for x, row in sums.items()
        for y, w in row.items()
        if x < y
    ]
    heapq.heapify(heap)
    while heap:
        neg, x, y = heapq.heappop(heap)
        if -neg < threshold:
            break
        if x not in members or y not in members:
            continue
        current = sums[x].get(y, 0.0) / (len(members[x]) * len(members[y]))
        if abs(current + neg) > 1e-12 or net[x].get(y, 0) < 0:
            continue
        members[x].extend(members.pop(y))
        for z, vote in net.pop(y).items():
            net[z].pop(y, None)
            if z != x:
                net[x][z] = net[x].get(z, 0) + vote
                net[z][x] = net[x][z]
        net[x].pop(y, None)
        row_y = sums.pop(y)
        for z, w in row_y.items():
            if z == x:
                continue
            sums[z].pop(y, None)
            sums[x][z] = sums[x].get(z, 0.0) + w
            sums[z][x] = sums[x][z]
        sums[x].pop(y, None)
        for z, w in sums[x].items():
            lo, hi = min(x, z), max(x, z)
            heapq.heappush(heap, (-w / (len(members[x]) * len(members[z])), lo, hi))
    return [sorted(group) for group in members.values()]


def link(
    pairs: Iterable[tuple[Article, Enrichment]],
    *,
    entity_links: Mapping[str, Mapping[str, str]],
    scorer: Scorer | None = None,
) -> tuple[list[Event], list[Storyline]]:
    """Link a whole store at once: add every article, sweep, then date events and join them
    into storylines. `entity_links` maps article id -> (article-level key -> entity id)."""
    linker = Linker(scorer)
    for article, enrichment in pairs:
        linker.add(article, enrichment, entity_links.get(article.id, {}))
    linker.refine()
    return linker.events_and_storylines()
