"""Linking a batch of new articles against the store, touching only what they touch.

The linker's state lives in the store: each linked article's blocking keys, document
frequencies over the linked articles, the event each article is in, and each event's
subject. A batch is scored against the events its blocking keys lead to (indexed lookups),
only that neighbourhood is restored into a `Linker`, the order-free sweep runs over it, and
only the events whose members changed (and the storylines around them) are written back.
A full re-cluster (`plan(full=True)`) restores the whole store instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from storyline.link.candidates import blocking_keys
from storyline.link.cluster import Linker
from storyline.link.features import DocFreq, Profile, keys_of, profile, vectors
from storyline.link.score import Scorer
from storyline.link.storylines import MAX_CORE_EVENTS, build_storylines
from storyline.records import Article, Enrichment, Event, EventSubject
from storyline.store.base import LinkChanges, Store

__all__ = ["Step", "filing", "plan"]


@dataclass
class Step:
    """One linking step worked out: the writes, and what describing the new events needs."""

    changes: LinkChanges
    # Events whose members changed: they are described before the step is written.
    describe: set[str] = field(default_factory=set)
    # Every event of the storylines written, as it will stand (for their titles).
    storyline_events: dict[str, Event] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    enrichments: dict[str, Enrichment] = field(default_factory=dict)
    entity_ids: dict[tuple[str, str], str] = field(default_factory=dict)
    entity_names: dict[str, str] = field(default_factory=dict)
    entity_types: dict[str, str] = field(default_factory=dict)


@dataclass
class _Loaded:
    """Articles, enrichments and entity links read so far, by article."""

    articles: dict[str, Article] = field(default_factory=dict)
    enrichments: dict[str, Enrichment] = field(default_factory=dict)
    links: dict[tuple[str, str], str] = field(default_factory=dict)
    by_article: dict[str, dict[str, str]] = field(default_factory=dict)

    def load(self, store: Store, ids: Iterable[str]) -> list[str]:
        """Read these articles (those with an enrichment); their ids in the order given."""
        wanted = [a for a in dict.fromkeys(ids) if a not in self.articles]
        for aid in wanted:
            article, enrichment = store.article(aid), store.enrichment(aid)
            if article is not None and enrichment is not None:
                self.articles[aid], self.enrichments[aid] = article, enrichment
        links = store.entity_links([a for a in wanted if a in self.articles])
        self.links.update(links)
        for (aid, key), eid in links.items():
            self.by_article.setdefault(aid, {})[key] = eid
        return [a for a in wanted if a in self.articles]

    def entity_ids(self, article_id: str) -> dict[str, str]:
        return self.by_article.get(article_id, {})


def _neighbourhood(store: Store, loaded: _Loaded, new: Sequence[str], linker: Linker) -> set[str]:
    """The stored events a batch's blocking keys lead to: per new article the `candidates`
    events with the most hits among the newest `per_key` articles filed under each key."""
    profiles = [_profile(loaded, a) for a in new]
    counts = store.doc_freq({k for p in profiles for k in keys_of(p)} | {""})
    df = DocFreq(linker.scorer.idf_prior, prior_docs=linker.scorer.prior_docs)
    df.load(counts, counts.pop("", 0))
    for p in profiles:
        df.add(keys_of(p))
    keys = {p.id: blocking_keys(p, vectors(p, df), df) for p in profiles}
    postings = store.link_postings(
        {k for ks in keys.values() for k in ks}, per_key=linker.index.per_key
    )
    event_of = store.event_of({a for ids in postings.values() for a in ids})
    events: set[str] = set()
    for aid, article_keys in keys.items():
        hits: Counter[str] = Counter()
        for key in article_keys:
            hits.update(event_of[a] for a in postings.get(key, []) if a in event_of and a != aid)
        ranked = sorted(hits, key=lambda e: (-hits[e], e))
        events.update(ranked[: linker.max_candidates])
    return events


def plan(
    store: Store,
    article_ids: Sequence[str],
    *,
    full: bool = False,
    scorer: Scorer | None = None,
    failed: Callable[[str, Exception], None] | None = None,
) -> Step:
    """Work out one linking step for these pending articles (enriched, not yet linked).

    Call it under `store.link_lock()` and write what it returns under the same hold, so the
    step links against the store as it is, not as it was when the batch started. `full`
    restores every stored article and counts document frequencies afresh (a relink). An
    article the linker fails on is left out and handed to `failed`; the rest go on."""
    linker = Linker(scorer)
    loaded = _Loaded()
    pending = set(article_ids)
    if full:
        scope = store.events()
        old = loaded.load(store, [a.id for a in store.articles() if a.id not in pending])
        new = loaded.load(store, article_ids)
    else:
        new = loaded.load(store, article_ids)
        near = _neighbourhood(store, loaded, new, linker)
        # A re-read article leaves the event it was in, so that event is in scope too.
        scope = store.events_by_id(near | set(store.event_of(new).values()))
    # Re-read articles may still sit in their old events; they are placed afresh.
    counted = set(store.event_of(new))
    before = {e.id: [a for a in e.articles if a not in pending] for e in scope}
    if not full:
        old = loaded.load(store, [a for members in before.values() for a in members])
        keys = {k for a in (*old, *new) for k in keys_of(_profile(loaded, a))}
        counts = store.doc_freq(keys | {""})
        linker.df.load(counts, counts.pop("", 0))
    linker.restore(
        [replace(e, articles=before[e.id]) for e in scope if before[e.id]],
        [(loaded.articles[a], loaded.enrichments[a]) for a in old],
        {a: loaded.entity_ids(a) for a in old},
        counted=not full,
    )
    for aid in list(new):
        try:
            linker.add(loaded.articles[aid], loaded.enrichments[aid], loaded.entity_ids(aid))
        except Exception as exc:
            linker.drop(aid)
            new.remove(aid)
            if failed is None:
                raise
            failed(aid, exc)
    linker.refine()
    subjects: dict[str, EventSubject] = {}
    after: dict[str, Event] = {}
    taken = set(before)
    for event in linker.events():
        subject = linker.subject(event.id)
        if event.id not in before:
            event = replace(event, id=_free_id(store, event.id, taken))
        after[event.id] = event
        subjects[event.id] = subject
    changed = [e for eid, e in after.items() if sorted(e.articles) != sorted(before.get(eid, []))]
    changes = LinkChanges(
        linked=list(new), removed_events=sorted(set(before) - set(after)), reset=full
    )
    fresh = [*old, *new] if full else [a for a in new if a not in counted]
    for aid in fresh:
        changes.doc_freq.update(set(keys_of(linker.profile(aid))))
    changes.doc_freq[""] += len(fresh)
    for aid in [*old, *new] if full else new:
        changes.keys[aid] = linker.index.keys(aid)
    step = Step(
        changes=changes,
        describe={e.id for e in changed},
        articles=loaded.articles,
        enrichments=loaded.enrichments,
        entity_ids=loaded.links,
    )
    threshold = float(linker.scorer.settings.get("storyline_threshold", 0.25))
    _storylines(store, step, changed, {e.id: subjects[e.id] for e in changed}, threshold)
    found = store.entities_by_id(set(loaded.links.values()))
    step.entity_names = {eid: e.name for eid, e in found.items()}
    step.entity_types = {eid: e.type for eid, e in found.items()}
    return step


def filing(
    items: Iterable[tuple[Article, Enrichment, Mapping[str, str]]], df: DocFreq
) -> LinkChanges:
    """The linker's state for articles placed in events in bulk (an import, a benchmark's
    store): document frequencies and blocking keys as filing them one at a time would give.
    `df` carries the counts from one batch to the next."""
    changes = LinkChanges()
    for article, enrichment, entity_ids in items:
        p = profile(article, enrichment, entity_ids)
        keys = set(keys_of(p))
        df.add(keys)
        changes.doc_freq.update(keys)
        changes.keys[article.id] = blocking_keys(p, vectors(p, df), df)
        changes.linked.append(article.id)
    changes.doc_freq[""] += len(changes.linked)
    return changes


def _free_id(store: Store, event_id: str, taken: set[str]) -> str:
    """A new event's id, unless a stored event outside the neighbourhood has it (an article
    that once opened that event may open another): then the same id with a suffix."""
    candidate, salt = event_id, 0
    while candidate in taken or store.events_by_id([candidate]):
        salt += 1
        candidate = f"{event_id}-{salt}"
    taken.add(candidate)
    return candidate


def _names(store: Store, entity_ids: Iterable[str]) -> dict[str, str]:
    return {eid: e.name for eid, e in store.entities_by_id(set(entity_ids)).items()}


def _profile(loaded: _Loaded, article_id: str) -> Profile:
    return profile(
        loaded.articles[article_id], loaded.enrichments[article_id], loaded.entity_ids(article_id)
    )


def _storylines(
    store: Store,
    step: Step,
    changed: Sequence[Event],
    subjects: dict[str, EventSubject],
    threshold: float,
) -> None:
    """Rebuild the storylines around the changed events: those events, the events sharing a
    core participant with them (before or after the change) unless it is too common to join
    any, and every event of the storylines any of these were in. A storyline reaching outside
    that set would need two unchanged events that join only now, which cannot be."""
    changes = step.changes
    gone = set(changes.removed_events)
    ids = {e.id for e in changed} | gone
    cores = {c for s in subjects.values() for c in s.core}
    cores |= {c for s in store.event_subjects(ids).values() for c in s.core}
    # A participant core to very many events joins none, so its events are never read.
    common = store.common_cores(cores, limit=MAX_CORE_EVENTS)
    near = store.events_sharing_core(cores - common)
    stored = {e.id: e for e in store.events_by_id(set(near) | ids)}
    old_lines = {e.storyline for e in stored.values() if e.storyline}
    mates = set(store.events_in_storylines(old_lines)) - set(stored)
    stored.update((e.id, e) for e in store.events_by_id(mates))
    old_lines |= {e.storyline for e in stored.values() if e.storyline}
    events = {eid: replace(e, storyline=None) for eid, e in stored.items() if eid not in gone}
    events.update((e.id, replace(e, storyline=None)) for e in changed)
    known = store.event_subjects(set(events) - set(subjects))
    known.update(subjects)
    lines = build_storylines(
        sorted(events.values(), key=lambda e: e.id), known, threshold=threshold, common=common
    )
    names = _names(store, {p for s in lines for p in s.participants})
    lines = [replace(s, participants=[names.get(p, p) for p in s.participants]) for s in lines]
    previous = store.storylines_by_id(old_lines)
    upsert = {e.id for e in changed}
    upsert |= {
        eid for eid, e in events.items() if eid in stored and stored[eid].storyline != e.storyline
    }
    changes.subjects = subjects
    changes.events = [events[eid] for eid in sorted(upsert)]
    changes.removed_storylines = sorted(set(previous) - {s.id for s in lines})
    # A storyline is rewritten when it is new, its events or core changed, or one of its
    # events is described afresh (its title comes from their descriptions).
    changes.storylines = [
        s
        for s in lines
        if s.id not in previous
        or (s.events, s.participants) != (previous[s.id].events, previous[s.id].participants)
        or not step.describe.isdisjoint(s.events)
    ]
    step.storyline_events = {eid: events[eid] for s in changes.storylines for eid in s.events}
