"""One canonical entity per real entity across the store, with the evidence of every merge.

Article keys are grouped first by their folded spelling. People are then merged on evidence,
never on spelling alone: two full names merge when the first names agree (Anatoli/Anatoly)
and the surnames are one typo apart, with shared company in the articles for a fuzzy
surname; a bare surname merges into the one full name it matches, or into a near spelling
("Babilov") only where its articles name no conflicting person and share the entity's
context. Each merge is kept in `Entity.merges` so it can be shown and undone.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.enrich.entities import KEPT_LABELS
from storyline.enrich.names import edit_distance, first_names_compatible, fold, surname_similar
from storyline.records import Entity, Mention

__all__ = ["canonicalize", "entity_id"]

_PRIORITY = {label: i for i, label in enumerate(KEPT_LABELS)}
_PLACES = frozenset({"GPE", "LOC", "FAC"})
# Evidence needed before a near spelling joins an entity (0..1), and its lead over the next.
_FUZZY_THRESHOLD = 0.6
_MARGIN = 0.1


@dataclass
class _Group:
    """Every article key that folds to one spelling."""

    folded: str
    spellings: Counter[str] = field(default_factory=Counter)
    texts: set[str] = field(default_factory=set)
    labels: Counter[str] = field(default_factory=Counter)
    articles: Counter[str] = field(default_factory=Counter)

    @property
    def label(self) -> str:
        return min(self.labels, key=lambda lab: (-self.labels[lab], _PRIORITY.get(lab, 99)))

    @property
    def tokens(self) -> list[str]:
        return self.folded.split()

    @property
    def count(self) -> int:
        return sum(self.articles.values())


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
    articles: Mapping[str, Sequence[Mention]],
) -> tuple[list[Entity], list[tuple[str, str, str, int]]]:
    """Canonical entities over all articles, and (article id, key, entity id, count) links."""
    groups, per_article = _groups(articles)
    context = _context(groups, per_article)
    merges = _person_merges(groups, per_article, context) + _abbreviation_merges(groups)
    parent = {folded: folded for folded in groups}

    def find(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for merge in merges:
        parent[find(merge.alias)] = find(merge.into)
    clusters: dict[str, list[_Group]] = defaultdict(list)
    for folded, group in groups.items():
        clusters[find(folded)].append(group)
    owner: dict[str, str] = {}
    entities = []
    for members in clusters.values():
        entity = _entity(
            members, [m for m in merges if find(m.alias) == find(members[0].folded)], groups
        )
        entities.append(entity)
        owner.update({g.folded: entity.id for g in members})
    links = [
        (article, key, owner[fold(key)], count)
        for article, keys in per_article.items()
        for key, count in sorted(keys.items())
    ]
    entities.sort(key=lambda e: (e.type, e.name))
    return entities, links


def _groups(
    articles: Mapping[str, Sequence[Mention]],
) -> tuple[dict[str, _Group], dict[str, Counter[str]]]:
    groups: dict[str, _Group] = {}
    per_article: dict[str, Counter[str]] = {}
    for article, mentions in articles.items():
        keys: Counter[str] = Counter()
        for mention in mentions:
            folded = fold(mention.key)
            if not folded:
                continue
            group = groups.setdefault(folded, _Group(folded))
            group.spellings[mention.key] += 1
            group.texts.add(mention.text)
            group.labels[mention.label] += 1
            group.articles[article] += 1
            keys[mention.key] += 1
        per_article[article] = keys
    return groups, per_article


def _context(
    groups: Mapping[str, _Group], per_article: Mapping[str, Counter[str]]
) -> dict[str, set[str]]:
    """The other entities each group appears beside: its company in the store."""
    folded_by_article = {a: {fold(k) for k in keys} for a, keys in per_article.items()}
    return {
        folded: set().union(*(folded_by_article[a] for a in group.articles)) - {folded}
        for folded, group in groups.items()
    }


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _is_person(group: _Group) -> bool:
    return group.label == "PERSON"


def _person_merges(
    groups: Mapping[str, _Group],
    per_article: Mapping[str, Counter[str]],
    context: Mapping[str, set[str]],
) -> list[_Merge]:
    full = [g for g in groups.values() if _is_person(g) and len(g.tokens) >= 2]
    merges = _full_name_merges(full, context)
    into = {m.alias: m.into for m in merges}
    heads = [g for g in full if g.folded not in into]
    for group in groups.values():
        if len(group.tokens) == 1 and group.label in ("PERSON", "ORG"):
            merge = _bare_merge(group, heads, groups, per_article, context)
            if merge is not None:
                merges.append(merge)
    return merges


def _full_name_merges(full: Sequence[_Group], context: Mapping[str, set[str]]) -> list[_Merge]:
    """Full-name variants into the most used spelling: first names compatible, surnames close."""
    merges = []
    ranked = sorted(full, key=lambda g: (-g.count, g.folded))
    taken: set[str] = set()
    for i, head in enumerate(ranked):
        if head.folded in taken:
            continue
        for other in ranked[i + 1 :]:
            if other.folded in taken:
                continue
            first_a, last_a = head.tokens[0], head.tokens[-1]
            first_b, last_b = other.tokens[0], other.tokens[-1]
            if not first_names_compatible(first_a, first_b):
                continue
            similar = surname_similar(last_a, last_b)
            if not similar:
                continue
            shared = _overlap(context[head.folded], context[other.folded])
            same_first = 1.0 if first_a == first_b else 0.8
            score = round(0.5 * similar + 0.3 * same_first + 0.2 * shared, 3)
            if similar < 1.0 and shared == 0.0:
                continue
            reason = (
                "same surname, first name variant"
                if similar == 1.0
                else "surname spelling variant, first name agrees, shared context"
            )
            merges.append(_Merge(other.folded, head.folded, reason, score))
            taken.add(other.folded)
    return merges


def _bare_merge(
    bare: _Group,
    heads: Sequence[_Group],
    groups: Mapping[str, _Group],
    per_article: Mapping[str, Counter[str]],
    context: Mapping[str, set[str]],
) -> _Merge | None:
    """A lone surname into the one person it names: exact first, a near spelling on evidence."""
    word = bare.tokens[0]
    # A name the model only ever called an organisation joins a person only beside his full name.
    person_like = bare.labels["PERSON"] > 0
    exact = [h for h in heads if h.tokens[-1] == word and (person_like or _beside(bare, h))]
    if exact:
        scored = sorted(
            ((_overlap(context[bare.folded], context[h.folded]), h) for h in exact),
            key=lambda x: -x[0],
        )
        if len(scored) > 1 and scored[0][0] - scored[1][0] < _MARGIN:
            return None
        return _Merge(
            bare.folded,
            scored[0][1].folded,
            "surname of the full name",
            round(0.8 + 0.2 * scored[0][0], 3),
        )
    candidates = []
    for head in heads:
        similar = surname_similar(word, head.tokens[-1])
        if not similar or _conflicts(bare, head, groups, per_article):
            continue
        beside = _beside(bare, head)
        if not (person_like or beside):
            continue
        shared = _overlap(context[bare.folded], context[head.folded])
        score = 0.5 * similar + 0.3 * shared + (0.2 if beside else 0.0)
        candidates.append((round(score, 3), head))
    candidates.sort(key=lambda x: -x[0])
    if not candidates or candidates[0][0] < _FUZZY_THRESHOLD:
        return None
    if len(candidates) > 1 and candidates[0][0] - candidates[1][0] < _MARGIN:
        return None
    score, head = candidates[0]
    where = "the full name is in the same article" if _beside(bare, head) else "shared context"
    reason = f"surname spelling variant; {where}"
    return _Merge(bare.folded, head.folded, reason, score)


def _beside(bare: _Group, head: _Group) -> bool:
    return any(head.articles[a] for a in bare.articles)


def _conflicts(
    bare: _Group,
    head: _Group,
    groups: Mapping[str, _Group],
    per_article: Mapping[str, Counter[str]],
) -> bool:
    """Whether an article of the bare name names another person it could as well be."""
    word = bare.tokens[0]
    for article in bare.articles:
        for key in per_article[article]:
            other = groups[fold(key)]
            if other is head or not _is_person(other) or len(other.tokens) < 2:
                continue
            near = edit_distance(word, other.tokens[-1]) <= 2
            if near and not first_names_compatible(other.tokens[0], head.tokens[0]):
                return True
    return False


def _abbreviation_merges(groups: Mapping[str, _Group]) -> list[_Merge]:
    """Place names shortened by an initial ("S. Ossetia") into the full spelling."""
    merges = []
    places = [g for g in groups.values() if g.label in _PLACES and len(g.tokens) >= 2]
    for short in places:
        if not any(len(t) == 1 for t in short.tokens):
            continue
        for full in places:
            if full is short or len(full.tokens) != len(short.tokens):
                continue
            if all(
                a == b or (len(a) == 1 and b.startswith(a))
                for a, b in zip(short.tokens, full.tokens, strict=True)
            ):
                merges.append(_Merge(short.folded, full.folded, "abbreviated with an initial", 0.9))
                break
    return merges


def _entity(
    members: Sequence[_Group], merges: Sequence[_Merge], groups: Mapping[str, _Group]
) -> Entity:
    """The cluster as an entity: majority type, fullest most used name, every spelling an alias."""
    labels: Counter[str] = Counter()
    for group in members:
        labels.update(group.labels)
    label = min(labels, key=lambda lab: (-labels[lab], _PRIORITY.get(lab, 99)))
    spellings: Counter[str] = Counter()
    for group in members:
        spellings.update(group.spellings)
    name = min(spellings, key=lambda s: (-(len(s.split()) >= 2), -spellings[s], s))
    aliases = sorted(({s for s in spellings} | {t for g in members for t in g.texts}) - {name})
    return Entity(
        id=entity_id(name, label),
        name=name,
        type=label,
        aliases=aliases,
        merges=[_record(m, name, groups) for m in merges],
    )


def _record(merge: _Merge, name: str, groups: Mapping[str, _Group]) -> dict[str, Any]:
    alias = groups[merge.alias]
    return {
        "alias": alias.spellings.most_common(1)[0][0],
        "into": name,
        "reason": merge.reason,
        "score": merge.score,
        "articles": sorted(alias.articles),
    }
