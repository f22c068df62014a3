"""Candidate search: which stored articles a new one could share an event with.

Each article is filed under a handful of blocking keys: its most distinctive terms (top
TF-IDF), its most salient canonical entities and the days it names. A query reads only the
newest `per_key` postings of each key, so its cost is bounded by keys x per_key and does not
grow with the store; a key so common that it overflows that window says little anyway.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from storyline.link.features import DocFreq, Profile, Vectors

__all__ = ["CandidateIndex", "blocking_keys"]


def blocking_keys(
    p: Profile, v: Vectors, df: DocFreq, *, terms: int = 12, entities: int = 4, names: int = 8
) -> list[str]:
    """The keys an article is filed and searched under."""
    top_terms = sorted(v.body, key=lambda t: (-v.body[t], t))[:terms]
    title_terms = sorted(v.title, key=lambda t: (-v.title[t], t))[:4]
    ents = {**p.entities, **p.persons, **p.places}
    weighted = {e: s * df.idf("e:" + e) for e, s in ents.items()}
    top_ents = sorted(weighted, key=lambda e: (-weighted[e], e))[:entities]
    # Name words meet across languages where the rarest terms (words of one language) cannot;
    # only those other articles use too, or a page's unread words would take every slot.
    shared = [w for w in p.marks if w.isalpha() and df.count(w) > 1]
    name_words = sorted(shared, key=lambda w: (-df.idf(w), w))[:names]
    days = sorted(d for d in p.days if len(d) == 10)[:4]
    keys = [f"t:{t}" for t in dict.fromkeys([*top_terms, *title_terms])]
    keys += [f"e:{e}" for e in top_ents]
    keys += [f"d:{d}" for d in days]
    keys += [f"n:{w}" for w in name_words]
    return keys


class CandidateIndex:
    """An inverted index from blocking keys to article ids, read newest first."""

    def __init__(self, *, per_key: int = 64) -> None:
        self.per_key = per_key
        self._postings: defaultdict[str, list[str]] = defaultdict(list)
        self._keys: dict[str, list[str]] = {}

    def add(self, article_id: str, keys: Iterable[str]) -> None:
        kept = list(dict.fromkeys(keys))
        self._keys[article_id] = kept
        for key in kept:
            self._postings[key].append(article_id)

    def keys(self, article_id: str) -> list[str]:
        return self._keys.get(article_id, [])

    def remove(self, article_id: str) -> None:
        for key in self._keys.pop(article_id, []):
            posting = self._postings[key]
            posting.remove(article_id)
            if not posting:
                del self._postings[key]

    def query(self, keys: Iterable[str]) -> Counter[str]:
        """Article ids sharing keys with the query, with how many they share."""
        hits: Counter[str] = Counter()
        for key in dict.fromkeys(keys):
            posting = self._postings.get(key)
            if posting:
                hits.update(posting[-self.per_key :])
        return hits
