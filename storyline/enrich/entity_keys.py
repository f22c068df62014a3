"""The index keys a canonical entity is filed under, so a new name finds its candidates.

A new mention is never compared with every stored name: it is looked up under a few keys
and compared only with the entities filed there. The keys mirror what a merge needs:
the folded spelling (the same name), the surname (a bare surname, a first-name variant),
the surname with letters deleted (a typo: two spellings within the distance
`surname_similar` allows share a deletion variant) and the initials of a place
("S. Ossetia" and "South Ossetia").
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

__all__ = [
    "abbreviation_key",
    "alias_key",
    "entity_keys",
    "surname_key",
    "typo_keys",
]

# Shorter surnames only ever merge when spelled alike (see `names.surname_similar`).
_MIN_FUZZY = 5


def alias_key(folded: str) -> str:
    """The key of one folded spelling."""
    return f"a:{folded}"


def surname_key(surname: str) -> str:
    """The key of a full-name person's folded surname."""
    return f"l:{surname}"


def typo_keys(surname: str) -> set[str]:
    """Deletion variants of a surname, its first letter kept (typos rarely touch it).

    Two surnames within edit distance d share a variant with at most d letters deleted
    from each; d is 1 up to seven letters and 2 beyond, as `surname_similar` allows.
    """
    if len(surname) < _MIN_FUZZY - 1:
        return set()
    head, rest = surname[0], surname[1:]
    depth = 1 if len(surname) <= 6 else 2
    out = {f"d:{surname}"}
    for n in range(1, depth + 1):
        for gone in combinations(range(len(rest)), n):
            kept = "".join(ch for i, ch in enumerate(rest) if i not in gone)
            out.add(f"d:{head}{kept}")
    return out


def abbreviation_key(tokens: list[str]) -> str | None:
    """The initials of a several-word place, shared by its shortened forms."""
    if len(tokens) < 2:
        return None
    return f"i:{len(tokens)}:{''.join(t[0] for t in tokens)}"


def entity_keys(folded: Iterable[str], *, person: bool, place: bool) -> set[str]:
    """Every key an entity with these folded spellings is filed under."""
    out: set[str] = set()
    for name in folded:
        tokens = name.split()
        if not tokens:
            continue
        out.add(alias_key(name))
        if person and len(tokens) >= 2:
            out.add(surname_key(tokens[-1]))
            out |= typo_keys(tokens[-1])
        if place and (key := abbreviation_key(tokens)):
            out.add(key)
    return out
