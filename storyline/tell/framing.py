"""How each outlet names a person: the role phrases written next to the name.

"Prime Minister Ilona Varga", "Varga, the embattled premier," and "the self-styled governor
Anton Reis" each say who the writer takes the person to be; set side by side per outlet they
show the framing. Patterns over the text (no parse) keep this a pure, fast function: a title
before the name must end in a role word, an appositive after it must hold one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from storyline.enrich.names import HONORIFICS, ROLE_NOUNS, TITLE_WORDS
from storyline.records import Mention

__all__ = ["ROLE_WORDS", "Descriptor", "descriptors"]

# A trade ("lawyer", "coach") says what someone does, not the standing an outlet grants them.
_TRADES = frozenset(
    [
        "analyst",
        "author",
        "captain",
        "chairperson",
        "coach",
        "executive",
        "expert",
        "lawyer",
        "manager",
        "officer",
        "owner",
        "pope",
        "professor",
        "speaker",
    ]
)
ROLE_WORDS = (ROLE_NOUNS - _TRADES) | frozenset(
    [
        "activist",
        "administrator",
        "ally",
        "boss",
        "colonel",
        "incumbent",
        "mediator",
        "member",
        "militant",
        "nominee",
        "opponent",
        "pm",
        "predecessor",
        "president-elect",
        "prime-minister",
        "rebel",
        "rival",
        "strongman",
        "successor",
        "vice-president",
        "warlord",
    ]
)
# Lower-case words that may stand inside a title ("de facto", "self-styled", "embattled").
_MODIFIERS = (TITLE_WORDS - HONORIFICS - ROLE_NOUNS - {"first", "incumbent"}) | frozenset(
    [
        "beleaguered",
        "breakaway",
        "controversial",
        "current",
        "deputy",
        "disputed",
        "embattled",
        "exiled",
        "federal",
        "incoming",
        "jailed",
        "kremlin-backed",
        "local",
        "long-time",
        "longtime",
        "moscow-backed",
        "national",
        "new",
        "opposition",
        "ousted",
        "pro-russian",
        "pro-western",
        "rebel",
        "regional",
        "russian-backed",
        "self-declared",
        "self-styled",
        "senior",
        "separatist",
        "so-called",
        "then",
        "top",
        "unrecognised",
        "unrecognized",
        "veteran",
    ]
)
_CALENDAR = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "yesterday",
        "today",
        "tomorrow",
        "tonight",
        "earlier",
        "later",
        "meanwhile",
    ]
)
_TOKEN = re.compile(r"[A-Z]\.|[^\W_]+(?:[’'.-][^\W_]+)*(?:[’']s)?|[^\w\s]")
_BOUNDARY = re.compile(r"[.!?;:\n\"“”()\[\]]")
_APPOSITIVE = re.compile(
    r"^(?:\s*,\s+|\s+(?:is|was|remains|became)\s+(?=(?:the|a|an)\s))"
    r"(?P<d>[^,;:!?()\"“”\n]{2,120}?)(?=\s*(?:[,;:!?)\n—–]|\.(?:\s|$)|$))"
)
_SEPARATORS = frozenset({",", "–", "—"})
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_NOT_APPOSITIVE = frozenset({"who", "whom", "whose", "which", "that", "and", "or", "but"})
MAX_WORDS = 12
WINDOW = 160


@dataclass(frozen=True)
class Descriptor:
    """A role phrase for a person, with the span it was read from."""

    text: str
    start: int
    end: int


def _word(token: str) -> str:
    return token.casefold().replace("’", "'")


def _is_role(token: str) -> bool:
    word = _word(token)
    return word in ROLE_WORDS or word.removesuffix("'s") in ROLE_WORDS


def _may_modify(token: str, start: int, others: Sequence[tuple[int, int]]) -> bool:
    """Whether a word before a role word still belongs to the title."""
    word = _word(token)
    if _is_role(token) or word in _MODIFIERS:
        return True
    if word in STOP_WORDS or word in _CALENDAR or any(s <= start < e for s, e in others):
        return False
    if ("-" in word and word[:1].isalpha()) or word.endswith("'s"):
        return True
    return token[:1].isupper()


def _before(
    text: str, name_start: int, others: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    """The title written before a name: "South Ossetian leader", "the president of X, "/" – "."""
    floor = max(0, name_start - WINDOW)
    cut = max((m.end() for m in _BOUNDARY.finditer(text, floor, name_start)), default=floor)
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, cut, name_start)]
    i = len(tokens) - 1
    end: int | None = None
    if i >= 0 and tokens[i][2] in _SEPARATORS:
        i -= 1
        j = i
        while j >= 0 and tokens[j][2][:1].isupper() and not _is_role(tokens[j][2]):
            j -= 1
        if 0 <= j < i and _word(tokens[j][2]) == "the":
            j -= 1
        if 0 <= j < i and _word(tokens[j][2]) == "of":
            end, i = tokens[i][1], j - 1
    if i < 0 or not _is_role(tokens[i][2]):
        return None
    end = end or tokens[i][1]
    k = i
    while k > 0 and i - k < MAX_WORDS and _may_modify(tokens[k - 1][2], tokens[k - 1][0], others):
        k -= 1
    return tokens[k][0], end


def _after(text: str, name_end: int) -> tuple[int, int] | None:
    """The phrase after a name: ", the embattled premier," or " is the president of X"."""
    match = _APPOSITIVE.match(text[name_end : name_end + WINDOW])
    if match is None:
        return None
    phrase = match["d"]
    start = name_end + match.start("d")
    determiner = _DETERMINER.match(phrase)
    if determiner:
        start += determiner.end()
        phrase = phrase[determiner.end() :]
    words = phrase.split()
    if not words or len(words) > MAX_WORDS or _word(words[0]) in _NOT_APPOSITIVE:
        return None
    if not any(_is_role(w) for w in words[:6]):
        return None
    return start, start + len(phrase.rstrip())


def _title_inside(mention: Mention) -> int:
    """How many characters of a mention are a title ("President Putin") rather than the name."""
    offset = 0
    for match in _TOKEN.finditer(mention.text):
        if not (_is_role(match.group()) or _word(match.group()) in _MODIFIERS):
            return offset
        offset = match.end()
        while offset < len(mention.text) and mention.text[offset].isspace():
            offset += 1
    return 0


def descriptors(text: str, mention: Mention, *, others: Sequence[Mention] = ()) -> list[Descriptor]:
    """The role phrases around one mention of a person; `others` are the article's other people."""
    spans = [(m.start, m.end) for m in others if m.label == "PERSON" and m.start != mention.start]
    name_start = mention.start + _title_inside(mention)
    found = [span for span in (_before(text, name_start, spans), _after(text, mention.end)) if span]
    out = []
    for start, end in found:
        phrase = " ".join(text[start:end].split())
        if phrase:
            out.append(Descriptor(phrase, start, end))
    return out
