"""Near-duplicate detection for syndicated copies: MinHash over word shingles, LSH band keys.

Band keys go into the store's index, so finding candidates for a new article costs a few
lookups whatever the store's size; candidates are then confirmed on their real shingles.
"""

from __future__ import annotations

import hashlib
import re

from datasketch import MinHash

__all__ = ["band_keys", "resemblance", "shingles"]

_WORD = re.compile(r"\w+")


def shingles(text: str, *, size: int = 5) -> set[str]:
    """Overlapping runs of `size` words, lower-cased: the unit two copies of a story share."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def band_keys(text: str, *, permutations: int = 128, bands: int = 32) -> list[str]:
    """LSH band keys of the text's MinHash signature; copies share at least one with high odds."""
    parts = shingles(text)
    if not parts:
        return []
    signature = MinHash(num_perm=permutations, seed=1)
    signature.update_batch([p.encode("utf-8") for p in parts])
    rows = permutations // bands
    values = signature.hashvalues
    keys = []
    for band in range(bands):
        chunk = values[band * rows : (band + 1) * rows].tobytes()
        keys.append(f"{band}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys


def resemblance(a: str, b: str) -> float:
    """Jaccard similarity of two texts' shingle sets."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
