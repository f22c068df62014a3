"""What a name's surroundings say of its type, so a place the model calls a person is not one.

The small model types a name from its letters and its sentence; the store holds every sentence
a name appears in. A name written as a place ("in X", "X's capital", a dateline "MARSK, X"),
after a definite article ("the upper X", "the X government") or with "which" is not a person;
a name after a title ("Governor X") or with "who" is one. Each mention gives at most one cue,
and the entity's type is decided over all its mentions in the store with the cues as evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from storyline.enrich.entities import KEPT_LABELS
from storyline.enrich.names import TITLE_WORDS
from storyline.enrich.speakers import SPEECH_VERBS
from storyline.records import Mention

__all__ = [
    "NOT_PERSON",
    "PERSON",
    "PLACE",
    "PLACE_EVIDENCE",
    "SPEAKS",
    "Cue",
    "decide_type",
    "mention_cue",
]

PERSON = "person"
# Said or told something: a person or a body speaking, so no evidence of a type on its own.
SPEAKS = "speaks"
PLACE = "place"
NOT_PERSON = "not-person"
_PLACE_LABELS = ("GPE", "LOC", "FAC")
# Place cues an organisation name needs before it is taken for the place it is mostly written as.
PLACE_EVIDENCE = 3
# The preposition may open a sentence ("In X, ..."), so its case is ignored.
_BEFORE_PLACE = re.compile(
    r"\b(?i:in|near|across|throughout|inside|outside|towards?)\s+(?:the\s+)?$"
)
_BEFORE_THE = re.compile(r"\bthe\s+(?:[a-z]+\s+)?$")
_DATELINE = re.compile(r"(?:^|\n)\W*[A-Z][A-Z .'-]+,\s*$")
_AFTER_PLACE = re.compile(r"^['’]s\s+(?:capital|government|territory|borders?|regions?)\b")
_AFTER_THING = re.compile(r"^(?:\s+(?:government|authorities)\b|,\s+which\b)")
_AFTER_PERSON = re.compile(r"^,\s+who\b")
_SPEECH_AFTER = re.compile(r"^\s+([a-z]+)\b")
_TITLE_BEFORE = re.compile(r"([A-Za-z.]+)\s+$")
_WINDOW = 40


@dataclass(frozen=True)
class Cue:
    """One mention's evidence of its type: `kind` is PERSON or NOT_PERSON, `text` what was read."""

    kind: str
    text: str


def mention_cue(text: str, mention: Mention) -> Cue | None:
    """The evidence one mention's surroundings give, if any."""
    before = text[max(0, mention.start - _WINDOW) : mention.start]
    after = text[mention.end : mention.end + _WINDOW]
    if _AFTER_PERSON.match(after):
        return Cue(PERSON, f"{mention.text}, who")
    title = _TITLE_BEFORE.search(before)
    if title and title.group(1).casefold() in TITLE_WORDS and title.group(1)[0].isupper():
        return Cue(PERSON, f"{title.group(1)} {mention.text}")
    if after[:1] in ("'", "’") and not _AFTER_PLACE.match(after):
        return None  # a possessive: whatever precedes, "in X's view" names no place
    place = _BEFORE_PLACE.search(before) or _DATELINE.search(before)
    if place:
        return Cue(PLACE, f"{place.group(0).strip()} {mention.text}")
    if owned := _AFTER_PLACE.match(after):
        return Cue(PLACE, f"{mention.text}{owned.group(0)}")
    thing = _BEFORE_THE.search(before)
    if thing:
        return Cue(NOT_PERSON, f"{thing.group(0).strip()} {mention.text}")
    piece = _AFTER_THING.match(after)
    if piece:
        return Cue(NOT_PERSON, f"{mention.text}{piece.group(0)}")
    verb = _SPEECH_AFTER.match(after)
    if verb and verb.group(1) in SPEECH_VERBS:
        return Cue(SPEAKS, f"{mention.text} {verb.group(1)}")
    return None


def decide_type(labels: Mapping[str, float], cues: Mapping[str, int], *, words: int) -> str:
    """The entity's type: the model's majority, unless the evidence says otherwise.

    A name typed PERSON with more place and thing cues than person cues is no person: written
    mostly as a place it takes its most used place label (else GPE), otherwise its most used
    other label, else a place (one word) or an organisation (several words). A name typed ORG
    that the model also calls a place, written as a place at least PLACE_EVIDENCE times and
    more often than all other cues together ("in X", "X's capital"), is that place.
    """
    order = {label: i for i, label in enumerate(KEPT_LABELS)}
    counted = Counter({k: v for k, v in labels.items() if v > 0})
    if not counted:
        return "ORG"
    best = min(counted, key=lambda lab: (-counted[lab], order.get(lab, 99)))
    places, things = cues.get(PLACE, 0), cues.get(NOT_PERSON, 0)
    seen = [lab for lab in _PLACE_LABELS if counted[lab]]
    rest = things + cues.get(PERSON, 0) + cues.get(SPEAKS, 0)
    if best == "ORG" and seen and places >= PLACE_EVIDENCE and places > rest:
        return max(seen, key=lambda lab: counted[lab])
    if best != "PERSON" or places + things <= cues.get(PERSON, 0):
        return best
    if places >= things:
        return max(seen, key=lambda lab: counted[lab]) if seen else _PLACE_LABELS[0]
    others = [lab for lab in counted if lab not in ("PERSON", "NORP")]
    if others:
        return min(others, key=lambda lab: (-counted[lab], order.get(lab, 99)))
    return _PLACE_LABELS[0] if words == 1 else "ORG"
