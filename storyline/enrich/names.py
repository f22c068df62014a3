"""Name handling shared by the entity jobs: titles to strip, name parts, spelling distance.

Within an article (`entities`) and across the store (`canonical`) the same questions come up:
is this word a title or a name, which part is the surname, are two spellings one name. They
are answered here once so both stages agree.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "HONORIFICS",
    "ROLE_NOUNS",
    "TITLE_WORDS",
    "edit_distance",
    "first_names_compatible",
    "fold",
    "name_tokens",
    "role_match",
    "surname_similar",
]

# Forms of address that only ever stand before a person's name.
HONORIFICS = frozenset(
    [
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "dr",
        "dr.",
        "prof",
        "prof.",
        "sir",
        "dame",
        "lord",
        "lady",
        "madam",
        "gen",
        "gen.",
        "col",
        "col.",
        "lt",
        "lt.",
        "capt",
        "capt.",
        "sgt",
        "sgt.",
        "sen",
        "sen.",
        "rep",
        "rep.",
        "gov",
        "gov.",
        "rev",
        "rev.",
        "st",
        "st.",
        "fr",
        "fr.",
        "sheikh",
        "constable",
        "detective",
        "inspector",
        "sergeant",
        "superintendent",
        "duke",
        "duchess",
        "baron",
        "baroness",
        "earl",
        "sultan",
        "emir",
        "tsar",
    ]
)
# Nouns naming a role a person holds; a description such as "the minister" is one of these.
ROLE_NOUNS = frozenset(
    [
        "president",
        "minister",
        "premier",
        "chancellor",
        "leader",
        "chief",
        "head",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "official",
        "chairman",
        "chairwoman",
        "chair",
        "secretary",
        "governor",
        "mayor",
        "ambassador",
        "envoy",
        "general",
        "commander",
        "director",
        "ceo",
        "executive",
        "founder",
        "prosecutor",
        "judge",
        "senator",
        "lawmaker",
        "legislator",
        "congressman",
        "congresswoman",
        "diplomat",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "emperor",
        "monarch",
        "ruler",
        "dictator",
        "candidate",
        "deputy",
        "speaker",
        "officer",
        "negotiator",
        "coach",
        "captain",
        "manager",
        "owner",
        "chairperson",
        "representative",
        "analyst",
        "expert",
        "professor",
        "author",
        "attorney",
        "lawyer",
        "mp",
    ]
)
# Words that may stand in a title before a name ("Russian Foreign Minister X"): never a name.
TITLE_WORDS = (
    HONORIFICS
    | ROLE_NOUNS
    | frozenset(
        [
            "vice",
            "prime",
            "foreign",
            "defence",
            "defense",
            "interior",
            "finance",
            "state",
            "former",
            "acting",
            "self-proclaimed",
            "de",
            "facto",
            "de-facto",
            "interim",
            "incumbent",
            "elected",
            "newly",
            "outgoing",
            "deputy",
            "first",
            "lady",
        ]
    )
)
# Role nouns that name the same kind of office, so "the region's chief" can find its leader.
_ROLE_GROUPS = (
    frozenset({"leader", "chief", "head", "ruler", "president"}),
    frozenset({"spokesman", "spokeswoman", "spokesperson"}),
    frozenset({"minister", "secretary"}),
    frozenset({"chairman", "chairwoman", "chair", "chairperson"}),
    frozenset({"lawmaker", "legislator", "congressman", "congresswoman", "senator", "mp"}),
    frozenset({"attorney", "lawyer"}),
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_POSSESSIVE = re.compile(r"'s?$")
_NON_WORD = re.compile(r"[^\w\s'-]+")


def fold(name: str) -> str:
    """A name compared across articles: accents, case, quote marks, a leading "the" set aside."""
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _NON_WORD.sub(" ", text.replace(".", " "))
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1]) or words[-1]
    return " ".join(words)


def name_tokens(name: str) -> list[str]:
    """The folded words of a name, initials kept ("V. Putin" -> ["v", "putin"])."""
    return [w for w in fold(name).split() if w]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, enough for the short strings names are."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def surname_similar(a: str, b: str) -> float:
    """How alike two surnames are, 0..1; 0 where the difference is too large to be a typo.

    A typo changes one letter in a short name and at most two in a long one, and rarely the
    first: "Tibilov" against "Bibilov" is taken for another family, not a slip.
    """
    if a == b:
        return 1.0
    if not a or not b or a[0] != b[0]:
        return 0.0
    distance = edit_distance(a, b)
    longest = max(len(a), len(b))
    allowed = 1 if longest <= 7 else 2
    if distance > allowed or longest < 5:
        return 0.0
    return 1.0 - distance / longest


def first_names_compatible(a: str, b: str) -> bool:
    """Whether two first names can belong to one person: equal, an initial, or a transliteration."""
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if a[0] != b[0]:
        return False
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return True
    distance = edit_distance(a, b)
    return distance <= 1 or (distance == 2 and min(len(a), len(b)) >= 6)


def role_match(head: str, roles: frozenset[str]) -> float:
    """How well a description's head noun fits a person's roles: 1 same, 0.5 kindred, 0 none.

    Kindred counts half so that a matching qualifier decides: "the Russian leader" is the
    Russian president before it is the South Ossetian leader.
    """
    if head in roles:
        return 1.0
    for group in _ROLE_GROUPS:
        if head in group and roles & group:
            return 0.5
    return 0.0
