"""One canonical entity per real entity across the store, with the evidence of every merge.

New articles are resolved against the store, never against every stored name: each new
spelling is looked up under its index keys (`entity_keys`): its folded form, its surname
and the surname's deletion variants, a place's initials. Only the entities filed there
are read and compared, so the cost of a batch follows the batch, not the store.

Article keys are grouped first by their folded spelling. People are then merged on evidence,
never on spelling alone: two full names merge when the first names agree (Anatoli/Anatoly)
and the surnames are one typo apart, with shared company or the very same first name for a
fuzzy surname; a bare surname merges into the one full name it matches, or into a near
spelling ("Babilov") only where its articles name no conflicting person and share the
entity's context. Each merge is kept in `Entity.merges` so it can be shown and undone.
A type is decided over every mention in the store, with what the text says of each
(`entity_types`) as evidence.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from storyline.enrich.entity_keys import (
    abbreviation_key,
    alias_key,
    entity_keys,
    surname_key,
    typo_keys,
)
from storyline.enrich.entity_types import PLACE, SPEAKS, decide_type, mention_cue
from storyline.enrich.names import edit_distance, first_names_compatible, fold, surname_similar
from storyline.records import Entity, Mention

__all__ = ["Known", "Resolution", "canonicalize", "entity_id", "resolve"]

_PLACES = frozenset({"GPE", "LOC", "FAC"})
# Evidence needed before a near spelling joins an entity (0..1), and its lead over the next.
_FUZZY_THRESHOLD = 0.6
_MARGIN = 0.1
# How many examples of type evidence an entity keeps.
_EVIDENCE = 6

EntityLink = tuple[str, str, str, int]


class Known(Protocol):
    """What resolution reads of the entities already stored (the Store implements it)."""

    def entity_keys(self, keys: Iterable[str]) -> dict[str, list[str]]: ...

    def entities_by_id(self, ids: Iterable[str]) -> dict[str, Entity]: ...

    def entity_company(self, ids: Iterable[str]) -> dict[str, set[str]]: ...


class _Empty:
    """No stored entities: what a batch resolves against when it is the whole collection."""

    def entity_keys(self, keys: Iterable[str]) -> dict[str, list[str]]:
        return {}

    def entities_by_id(self, ids: Iterable[str]) -> dict[str, Entity]:
        return {}

    def entity_company(self, ids: Iterable[str]) -> dict[str, set[str]]:
        return {}


@dataclass
class Resolution:
    """What a batch changes: entities new or updated (whole), the batch's links, index keys,
    and stored entities merged into another (old id -> new id)."""

    entities: list[Entity]
    links: list[EntityLink]
    keys: list[tuple[str, str]]
    absorbed: dict[str, str]


@dataclass
class _Group:
    """A new folded spelling, or a stored entity, with what the batch says of it."""

    node: str
    folded: str
    stored: Entity | None = None
    spellings: Counter[str] = field(default_factory=Counter)
    texts: set[str] = field(default_factory=set)
    labels: Counter[str] = field(default_factory=Counter)
    cues: Counter[str] = field(default_factory=Counter)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    articles: Counter[str] = field(default_factory=Counter)
    folds: set[str] = field(default_factory=set)

    @property
    def all_labels(self) -> Counter[str]:
        out = Counter(self.stored.labels) if self.stored else Counter()
        out.update(self.labels)
        return out

    @property
    def all_cues(self) -> Counter[str]:
        out = Counter(self.stored.cues) if self.stored else Counter()
        out.update(self.cues)
        return out

    @property
    def label(self) -> str:
        return decide_type(self.all_labels, self.all_cues, words=len(self.tokens))

    @property
    def tokens(self) -> list[str]:
        return self.folded.split()

    @property
    def count(self) -> int:
        return sum(self.articles.values()) + (self.stored.mentions if self.stored else 0)


@dataclass(frozen=True)
class _Merge:
    alias: str
    into: str
    reason: str
    score: float


def entity_id(name: str, label: str) -> str:
    """A stable id from the canonical name and type, so re-running gives the same ids."""
    digest = hashlib.sha1(f"{label}|{fold(name)}".encode()).hexdigest()
    return f"e-{digest[:12]}"


def canonicalize(
    articles: Mapping[str, Sequence[Mention]], texts: Mapping[str, str] | None = None
) -> tuple[list[Entity], list[EntityLink]]:
    """Canonical entities over a whole collection, and (article id, key, entity id, count) links."""
    done = resolve(articles, _Empty(), texts=texts)
    return sorted(done.entities, key=lambda e: (e.type, e.name)), done.links


def resolve(
    articles: Mapping[str, Sequence[Mention]],
    known: Known,
    *,
    texts: Mapping[str, str] | None = None,
) -> Resolution:
    """Resolve a batch of articles' mentions against the stored entities found by index keys."""
    nodes, node_of, per_article = _nodes(articles, texts or {}, known)
    _add_candidates(nodes, known)
    context = _Context(nodes, node_of, per_article, known)
    merges = _person_merges(nodes, node_of, per_article, context) + _abbreviation_merges(nodes)
    return _resolution(nodes, node_of, per_article, merges)


def _nodes(
    articles: Mapping[str, Sequence[Mention]], texts: Mapping[str, str], known: Known
) -> tuple[dict[str, _Group], dict[str, str], dict[str, Counter[str]]]:
    """Batch spellings grouped by folded form, those the store knows joined to their entity."""
    groups: dict[str, _Group] = {}
    per_article: dict[str, Counter[str]] = {}
    for article, mentions in articles.items():
        keys: Counter[str] = Counter()
        text = texts.get(article)
        for mention in mentions:
            folded = fold(mention.key)
            if not folded:
                continue
            group = groups.setdefault(folded, _Group(folded, folded, folds={folded}))
            group.spellings[mention.key] += 1
            group.texts.add(mention.text)
            group.labels[mention.label] += 1
            group.articles[article] += 1
            keys[mention.key] += 1
            cue = mention_cue(text, mention) if text else None
            if cue is not None:
                group.cues[cue.kind] += 1
                if len(group.evidence) < _EVIDENCE:
                    group.evidence.append(
                        {
                            "article": article,
                            "start": mention.start,
                            "end": mention.end,
                            "kind": cue.kind,
                            "cue": cue.text,
                            "label": mention.label,
                        }
                    )
        per_article[article] = keys
    filed = known.entity_keys(alias_key(f) for f in groups)
    stored = known.entities_by_id({ids[0] for ids in filed.values() if ids})
    nodes: dict[str, _Group] = {}
    node_of: dict[str, str] = {}
    for folded, group in groups.items():
        ids = filed.get(alias_key(folded))
        entity = stored.get(ids[0]) if ids else None
        if entity is None:
            nodes[folded] = group
            node_of[folded] = folded
            continue
        node = nodes.setdefault(entity.id, _Group(entity.id, fold(entity.name), stored=entity))
        node.spellings.update(group.spellings)
        node.texts |= group.texts
        node.labels.update(group.labels)
        node.cues.update(group.cues)
        node.evidence += group.evidence
        node.articles.update(group.articles)
        node.folds.add(folded)
        node_of[folded] = entity.id
    return nodes, node_of, per_article


def _is_person(group: _Group) -> bool:
    return group.label == "PERSON"


def _add_candidates(nodes: dict[str, _Group], known: Known) -> None:
    """Stored entities a new name could merge with, found through their index keys."""
    wanted: set[str] = set()
    for group in list(nodes.values()):
        if group.stored is not None:
            continue
        tokens = group.tokens
        if len(tokens) >= 2 and _is_person(group):
            wanted |= {surname_key(tokens[-1]), alias_key(tokens[-1]), *typo_keys(tokens[-1])}
        elif len(tokens) == 1 and group.label in ("PERSON", "ORG"):
            wanted |= {surname_key(tokens[0]), *typo_keys(tokens[0])}
        elif group.label in _PLACES and (key := abbreviation_key(tokens)):
            wanted.add(key)
    found = known.entity_keys(wanted)
    ids = {i for key in found.values() for i in key} - set(nodes)
    for entity in known.entities_by_id(ids).values():
        nodes[entity.id] = _Group(entity.id, fold(entity.name), stored=entity)


class _Context:
    """The other entities each node appears beside: its company in the batch and the store."""

    def __init__(
        self,
        nodes: Mapping[str, _Group],
        node_of: Mapping[str, str],
        per_article: Mapping[str, Counter[str]],
        known: Known,
    ) -> None:
        self._nodes = nodes
        self._by_article = {a: {node_of[fold(k)] for k in keys} for a, keys in per_article.items()}
        self._known = known
        self._memo: dict[str, set[str]] = {}

    def __getitem__(self, node: str) -> set[str]:
        if node not in self._memo:
            group = self._nodes[node]
            near: set[str] = set().union(*(self._by_article[a] for a in group.articles))
            if group.stored is not None:
                near |= self._known.entity_company([node]).get(node, set())
            self._memo[node] = near - {node}
        return self._memo[node]


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _index(groups: Iterable[_Group]) -> dict[str, list[_Group]]:
    """Full-name people by surname and its deletion variants, for in-batch candidates."""
    out: dict[str, list[_Group]] = defaultdict(list)
    for group in groups:
        surname = group.tokens[-1]
        for key in {surname_key(surname), *typo_keys(surname)}:
            out[key].append(group)
    return out


def _near(index: Mapping[str, list[_Group]], word: str) -> list[_Group]:
    seen: dict[str, _Group] = {}
    for key in (surname_key(word), *typo_keys(word)):
        for group in index.get(key, []):
            seen.setdefault(group.node, group)
    return list(seen.values())


def _person_merges(
    nodes: Mapping[str, _Group],
    node_of: Mapping[str, str],
    per_article: Mapping[str, Counter[str]],
    context: _Context,
) -> list[_Merge]:
    full = [g for g in nodes.values() if _is_person(g) and len(g.tokens) >= 2]
    merges = _full_name_merges(full, context)
    into = {m.alias: m.into for m in merges}
    index = _index(full)
    for group in nodes.values():
        if len(group.tokens) != 1 or group.node in into:
            continue
        # A spelling merged away leads to the name it joined; two stored entities merge only
        # on new evidence: the batch names them side by side.
        heads: dict[str, tuple[_Group, _Group]] = {}
        for near in _near(index, group.tokens[0]):
            root = nodes[into.get(near.node, near.node)]
            beside = _beside(group, near) or _beside(group, root)
            if root.stored and group.stored and not beside:
                continue
            if near.tokens[-1] == group.tokens[0] or root.node not in heads:
                heads[root.node] = (near, root)
        if group.label not in ("PERSON", "ORG"):
            # A surname the model typed otherwise joins only the full name beside it, and
            # only where the text never wrote it as a place.
            if group.all_cues[PLACE]:
                continue
            heads = {
                k: (near, root)
                for k, (near, root) in heads.items()
                if near.tokens[-1] == group.tokens[0] and _beside(group, near)
            }
        merge = _bare_merge(group, list(heads.values()), nodes, node_of, per_article, context)
        if merge is not None:
            merges.append(merge)
    return merges


def _full_name_merges(full: Sequence[_Group], context: _Context) -> list[_Merge]:
    """Full-name variants into the stored or most used spelling: first names compatible,
    surnames close, and shared company or the same first name where the surname differs."""
    merges = []
    ranked = sorted(full, key=lambda g: (g.stored is None, -g.count, g.folded))
    rank = {g.node: i for i, g in enumerate(ranked)}
    index = _index(ranked)
    taken: set[str] = set()
    for head in ranked:
        if head.node in taken:
            continue
        others = sorted(_near(index, head.tokens[-1]), key=lambda g: rank[g.node])
        for other in others:
            if rank[other.node] <= rank[head.node] or other.node in taken:
                continue
            if head.stored is not None and other.stored is not None:
                continue
            first_a, last_a = head.tokens[0], head.tokens[-1]
            first_b, last_b = other.tokens[0], other.tokens[-1]
            if not first_names_compatible(first_a, first_b):
                continue
            similar = surname_similar(last_a, last_b)
            if not similar:
                continue
            shared = _overlap(context[head.node], context[other.node])
            same_first = first_a == first_b and len(first_a) > 1
            score = round(0.5 * similar + 0.3 * (1.0 if same_first else 0.8) + 0.2 * shared, 3)
            if similar < 1.0 and shared == 0.0 and not same_first:
                continue
            if similar == 1.0:
                reason = "same surname, first name variant"
            elif shared:
                reason = "surname spelling variant, first name agrees, shared context"
            else:
                reason = "surname spelling variant, same first name"
            merges.append(_Merge(other.node, head.node, reason, score))
            taken.add(other.node)
    return merges


def _bare_merge(
    bare: _Group,
    heads: Sequence[tuple[_Group, _Group]],
    nodes: Mapping[str, _Group],
    node_of: Mapping[str, str],
    per_article: Mapping[str, Counter[str]],
    context: _Context,
) -> _Merge | None:
    """A lone surname into the one person it names: exact first, a near spelling on evidence.

    Each head is (the spelling that matched, the entity it belongs to)."""
    word = bare.tokens[0]
    # A name the model only ever called an organisation joins a person only beside his full name.
    person_like = bare.all_labels["PERSON"] > 0 or bare.all_cues[SPEAKS] > 0

    def beside(near: _Group, root: _Group) -> bool:
        return _beside(bare, near) or _beside(bare, root)

    exact = [
        root
        for near, root in heads
        if near.tokens[-1] == word and (person_like or beside(near, root))
    ]
    if exact:
        scored = sorted(
            ((_overlap(context[bare.node], context[h.node]), h) for h in exact),
            key=lambda x: (-x[0], x[1].node),
        )
        if len(scored) > 1 and scored[0][0] - scored[1][0] < _MARGIN:
            return None
        return _Merge(
            bare.node,
            scored[0][1].node,
            "surname of the full name",
            round(0.8 + 0.2 * scored[0][0], 3),
        )
    if bare.stored is not None:
        return None  # a stored surname joins a new full name only when spelled alike
    candidates = []
    for near, root in heads:
        similar = surname_similar(word, near.tokens[-1])
        if not similar or _conflicts(bare, root, nodes, node_of, per_article):
            continue
        side = beside(near, root)
        if not (person_like or side):
            continue
        shared = _overlap(context[bare.node], context[root.node])
        score = 0.5 * similar + 0.3 * shared + (0.2 if side else 0.0)
        candidates.append((round(score, 3), root, side))
    candidates.sort(key=lambda x: (-x[0], x[1].node))
    if not candidates or candidates[0][0] < _FUZZY_THRESHOLD:
        return None
    if len(candidates) > 1 and candidates[0][0] - candidates[1][0] < _MARGIN:
        return None
    score, head, side = candidates[0]
    where = "the full name is in the same article" if side else "shared context"
    return _Merge(bare.node, head.node, f"surname spelling variant; {where}", score)


def _beside(bare: _Group, head: _Group) -> bool:
    return any(head.articles[a] for a in bare.articles)


def _conflicts(
    bare: _Group,
    head: _Group,
    nodes: Mapping[str, _Group],
    node_of: Mapping[str, str],
    per_article: Mapping[str, Counter[str]],
) -> bool:
    """Whether an article of the bare name names another person it could as well be."""
    word = bare.tokens[0]
    for article in bare.articles:
        for key in per_article[article]:
            other = nodes[node_of[fold(key)]]
            if other is head or not _is_person(other) or len(other.tokens) < 2:
                continue
            near = edit_distance(word, other.tokens[-1]) <= 2
            if near and not first_names_compatible(other.tokens[0], head.tokens[0]):
                return True
    return False


def _abbreviation_merges(nodes: Mapping[str, _Group]) -> list[_Merge]:
    """Place names shortened by an initial ("S. Ossetia") into the full spelling."""
    merges = []
    by_key: dict[str, list[_Group]] = defaultdict(list)
    for group in nodes.values():
        key = abbreviation_key(group.tokens) if group.label in _PLACES else None
        if key:
            by_key[key].append(group)
    for places in by_key.values():
        for short in places:
            if short.stored is not None or not any(len(t) == 1 for t in short.tokens):
                continue
            for full in places:
                if full is short or len(full.tokens) != len(short.tokens):
                    continue
                if all(
                    a == b or (len(a) == 1 and b.startswith(a))
                    for a, b in zip(short.tokens, full.tokens, strict=True)
                ):
                    merges.append(_Merge(short.node, full.node, "abbreviated with an initial", 0.9))
                    break
    return merges


def _resolution(
    nodes: Mapping[str, _Group],
    node_of: Mapping[str, str],
    per_article: Mapping[str, Counter[str]],
    merges: Sequence[_Merge],
) -> Resolution:
    parent = {node: node for node in nodes}

    def find(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for merge in merges:
        parent[find(merge.alias)] = find(merge.into)
    clusters: dict[str, list[_Group]] = defaultdict(list)
    for node, group in nodes.items():
        if group.stored is None or group.articles or any(node in (m.alias, m.into) for m in merges):
            clusters[find(node)].append(group)
    owner: dict[str, str] = {}
    entities: list[Entity] = []
    keys: list[tuple[str, str]] = []
    absorbed: dict[str, str] = {}
    for root, members in clusters.items():
        own = [m for m in merges if find(m.alias) == root]
        entity = _entity(nodes[root], members, own, nodes)
        entities.append(entity)
        owner.update({g.node: entity.id for g in members})
        absorbed.update({g.node: entity.id for g in members if g.stored and g.node != entity.id})
        folds = {fold(entity.name)} | {f for g in members for f in g.folds}
        for key in entity_keys(folds, person=entity.type == "PERSON", place=entity.type in _PLACES):
            keys.append((key, entity.id))
    links = [
        (article, key, owner[node_of[fold(key)]], count)
        for article, counted in per_article.items()
        for key, count in sorted(counted.items())
        if fold(key)
    ]
    return Resolution(entities, links, sorted(set(keys)), absorbed)


def _entity(
    root: _Group, members: Sequence[_Group], merges: Sequence[_Merge], nodes: Mapping[str, _Group]
) -> Entity:
    """The cluster as an entity: a stored root keeps its id and name, a new one takes the
    fullest most used spelling; every spelling is an alias, votes and evidence add up."""
    labels: Counter[str] = Counter()
    cues: Counter[str] = Counter()
    spellings: Counter[str] = Counter()
    aliases: set[str] = set()
    evidence: list[dict[str, Any]] = []
    earlier: list[dict[str, Any]] = []
    for group in members:
        labels.update(group.all_labels)
        cues.update(group.all_cues)
        spellings.update(group.spellings)
        aliases |= set(group.spellings) | group.texts
        if group.stored is not None:
            spellings[group.stored.name] += group.stored.mentions or 1
            aliases |= {group.stored.name, *group.stored.aliases}
            earlier += group.stored.merges
            evidence += group.stored.evidence
        evidence += group.evidence
    if root.stored is not None:
        name = root.stored.name
    else:
        name = min(spellings, key=lambda s: (-(len(s.split()) >= 2), -spellings[s], s))
    label = decide_type(labels, cues, words=len(fold(name).split()))
    return Entity(
        id=root.stored.id if root.stored else entity_id(name, label),
        name=name,
        type=label,
        aliases=sorted(aliases - {name}),
        merges=earlier + [_record(m, name, nodes) for m in merges],
        labels=dict(sorted(labels.items())),
        cues=dict(sorted(cues.items())),
        evidence=evidence[:_EVIDENCE],
    )


def _record(merge: _Merge, name: str, nodes: Mapping[str, _Group]) -> dict[str, Any]:
    alias = nodes[merge.alias]
    spelled = alias.stored.name if alias.stored else alias.spellings.most_common(1)[0][0]
    return {
        "alias": spelled,
        "into": name,
        "reason": merge.reason,
        "score": merge.score,
        "articles": sorted(alias.articles),
    }
