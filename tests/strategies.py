"""Hypothesis strategies for hostile input: text that looks like what readers and parsers
expect, mixed with the characters that broke them (look-alike letters, separators, NUL,
surrogates, quote marks, deep brackets)."""

from __future__ import annotations

from hypothesis import strategies as st

# Characters that have broken parsers: case look-alikes, line separators, controls, marks.
ODD = [*"ıİſKµ\u2028\u2029\u0085\x00\x0b\x0c\r\t\ufeff\u200b\u00a0\ufffd", "\ud800", "\udfff"]
QUOTES = list("\"'“”‘’«»„‚‹›「」")

WORDS = [
    "April", "Aprıl", "ſept", "Sept.", "MAY", "may", "Monday", "Frıday", "Tueſday", "of",
    "the", "last", "next", "this", "year", "week", "month", "ago", "since", "until", "early",
    "mid-", "late", "on", "at", "said", "told", "he", "She", "Mr", "Ann", "Lee", "Reuters",
    "Posted", "Updated", "GMT", "UTC", "+02:00", "p.m.", "noon", "tonight", "weekend",
    "quarter", "Q3", "1990s", "century", "decade", "fiscal", "2016", "1800", "0", "00", "31",
    "29", "30", "99", "9999", "10000", "12/31/99", "31.12.2024", "2024-02-30", "2024-13-01",
    "2017-11", "XXXX-11-14", "5th", "1st", "-", "–", "/", ",", ".", ":", "(", ")", "\n",
    "\n\n", "  ",
]  # fmt: skip


def hostile_text(max_size: int = 120, *, storable: bool = False) -> st.SearchStrategy[str]:
    """Free text, and text assembled from date, time and quote vocabulary with odd characters.

    `storable` text is what readers hand on: no NUL, no lone surrogate.
    """
    odd = [c for c in ODD if not storable or c.isprintable() or c in "\n\r\t\x0b\x0c\x85"]
    chars = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
    free = st.text(chars, max_size=max_size) if storable else st.text(max_size=max_size)
    pieces = st.sampled_from(WORDS) | st.sampled_from(odd) | st.sampled_from(QUOTES)
    assembled = st.lists(pieces | st.text(chars, max_size=4), max_size=30).map(" ".join)
    return (free | assembled).map(lambda t: t[: max_size * 4])


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | hostile_text(60)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
_FIELDS = "text body content title headline url link outlet source published date pubDate"
FIELD_NAMES = st.sampled_from([*_FIELDS.split(), "author", "byline", "authors"]) | st.text(
    max_size=8
)
RECORDS = st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=6)
