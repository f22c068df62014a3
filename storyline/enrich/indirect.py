"""Reported speech without quotation marks, read from the dependency parse.

Three shapes carry most indirect attributions in news:

- a verb of speech or thought with a clausal complement: "X said (that) S", "S, X warned",
  "X wants to S" (an infinitive after a verb of intent);
- "according to X", whose content is the clause it hangs on;
- a noun of speech with a "that" clause: "X's claim that S", "a warning by X that S".

The content is the complement's words; the speaker is the verb's subject (or the noun's owner,
or the object of "according to"), resolved by `SpeakerFinder` like a direct quote's. Clauses
inside quotation marks belong to the direct quote around them and are left alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from storyline.enrich.cues import (
    ADDRESSEE_VERBS,
    COGNITION_VERBS,
    CUE_NOUNS,
    INTENT_VERBS,
    SPEECH_VERBS,
    STANCE_VERBS,
    TOPIC_PREPOSITIONS,
)
from storyline.enrich.speakers import (
    Attribution,
    SpeakerFinder,
    left_words,
    unnamed,
    unnamed_words,
)
from storyline.records import Quote

__all__ = ["Reported", "find_indirect"]

_CLAUSE_VERBS = SPEECH_VERBS | COGNITION_VERBS
# Verbs whose topic is what they report: "complained about X", "called for X", "talked of X".
_TOPIC_VERBS = (SPEECH_VERBS - ADDRESSEE_VERBS) | STANCE_VERBS
# Complements shorter than this many words are not a statement ("he said so").
_SHORTEST = 2
_SUBJECTS = ("nsubj", "nsubjpass")
# A statement with at least this share of its characters inside quotation marks is direct speech.
_MOSTLY_QUOTED = 0.6
# A name before a heading's colon has at most this many words.
_LONGEST_HEADING_NAME = 5
# What follows a stance verb's object and belongs with it.
_STANCE_PARTS = ("dobj", "ccomp", "xcomp", "oprd")
_STANCE_PREPOSITIONS = frozenset({"as", "of", "for"})
_TIMES = frozenset({"DATE", "TIME"})


@dataclass
class Reported:
    """What the parse reports as said: indirect quotes, and the statements whose words are
    mostly quoted ("X said the plan was “a reckless gamble”"), kept apart as direct speech."""

    indirect: list[Quote] = field(default_factory=list)
    mostly_quoted: list[Quote] = field(default_factory=list)


def find_indirect(doc: Doc, finder: SpeakerFinder, quoted: Sequence[tuple[int, int]]) -> Reported:
    """Every reported statement in the article outside the quoted spans, in text order."""
    spans = sorted(quoted)
    starts = [lo for lo, _ in spans]

    def inside(position: int) -> bool:
        i = bisect_right(starts, position) - 1
        return i >= 0 and spans[i][0] <= position < spans[i][1]

    found = Reported()
    for token in doc:
        if inside(token.idx):
            continue
        reading = _read(token, finder)
        if reading is None:
            continue
        content, said, cue = reading
        lo, hi = _trim(content)
        if hi - lo < 1 or sum(1 for t in content if t.is_alpha) < _SHORTEST:
            continue
        start, end = content[lo].idx, content[hi - 1].idx + len(content[hi - 1])
        if inside(start) or inside(content[0].idx):
            # A quotation with its own frame ("'…,' X told Y, notes Z") is the direct quote's.
            continue
        first = max(0, bisect_right(starts, start) - 1)
        last = bisect_right(starts, end)
        quoted_chars = sum(
            min(end, b) - max(start, a) for a, b in spans[first:last] if a < end and start < b
        )
        mostly_quoted = quoted_chars > _MOSTLY_QUOTED * (end - start)
        if mostly_quoted and cue.lower() in STANCE_VERBS:
            # "calling it “very important”": quoted words that describe, not a statement.
            mostly_quoted = any(t.pos_ in ("VERB", "AUX") and inside(t.idx) for t in content)
        (found.mostly_quoted if mostly_quoted else found.indirect).append(
            Quote(
                start=start,
                end=end,
                text=finder.text[start:end],
                kind="direct" if mostly_quoted else "indirect",
                cue=cue,
                speaker=said.speaker or None if said else None,
                speaker_start=said.start if said else None,
                speaker_end=said.end if said else None,
                speaker_evidence=finder.evidence(said) if said else None,
            )
        )
    return found


def _read(token: Any, finder: SpeakerFinder) -> tuple[list[Any], Attribution | None, str] | None:
    """The content, speaker and cue this token introduces, if it is a cue."""
    word = token.lower_
    if token.pos_ in ("VERB", "AUX") and word in _CLAUSE_VERBS | INTENT_VERBS | STANCE_VERBS:
        complement = _complement(token, "xcomp" if word in INTENT_VERBS else None)
        content = _subtree(complement) if complement is not None else []
        if not content and word in STANCE_VERBS:
            content = _stance_object(token)
        if not content and word in _TOPIC_VERBS:
            topic = _object(token)
            content = _subtree(topic) if topic is not None else []
        if not content and token.dep_ == "parataxis":
            # "In three years, Barden says, far too many lives have been lost."
            content = _clause_around(token)
        if not content:
            return None
        said = finder.subject(token, token.idx, None)
        if said is None:
            said = unnamed(token)
        if said is None:
            return None
        return content, said, token.text
    if word == ":":
        # A heading's "Name: what they said".
        sentence = finder.sentence(token.i)
        if token.i - sentence.start > _LONGEST_HEADING_NAME or token.i == sentence.start:
            return None
        source = list(token.doc[sentence.start : token.i])
        said = finder.candidate(source, token.idx, None, ":", names_only=True)
        if said is None or said.start != source[0].idx:
            return None
        return list(token.doc[token.i + 1 : sentence.end]), said, ":"
    if word == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
        objects = [c for c in token.nbor().children if c.dep_ == "pobj"]
        if not objects:
            objects = [c for c in token.children if c.dep_ == "pobj"]
        if not objects:
            return None
        source = list(token.doc[objects[0].left_edge.i : objects[0].right_edge.i + 1])
        said = finder.candidate(source, token.idx, None, "according to") or unnamed_words(source)
        return _clause_around(token), said, "according to"
    if token.pos_ == "NOUN" and word in CUE_NOUNS:
        clauses = [
            c
            for c in token.children
            if c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" for m in c.children)
        ]
        if not clauses:
            return None
        return _subtree(clauses[0]), _owner(token, finder), token.text
    return None


def _object(verb: Any) -> Any:
    """What a speech verb's object or topic says: "denied the allegations", "conceded defeat",
    "called for a ban"; never a time ("on Sunday night")."""
    for child in verb.children:
        if child.dep_ == "dobj" and child.pos_ in ("NOUN", "PROPN") and _timeless(child):
            return child
        if child.dep_ == "prep" and child.lower_ in TOPIC_PREPOSITIONS:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects and objects[0].n_lefts + objects[0].n_rights and _timeless(objects[0]):
                return objects[0]
    return None


def _timeless(head: Any) -> bool:
    return head.ent_type_ not in _TIMES


def _stance_object(verb: Any) -> list[Any]:
    """What a stance verb attributes: its object with what is said of it ("called the plan
    reckless", "accused him of lying", "described it as a step back"); none in the passive, and
    never a date the parser took for an object ("conceded Sunday night")."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return []
    parts = [c for c in verb.children if c.i > verb.i and c.dep_ in _STANCE_PARTS and _timeless(c)]
    if not any(c.dep_ in ("dobj", "ccomp") for c in parts):
        return []
    parts += [
        c
        for c in verb.children
        if c.i > parts[0].i and c.dep_ == "prep" and c.lower_ in _STANCE_PREPOSITIONS
    ]
    return list(verb.doc[parts[0].left_edge.i : max(c.right_edge.i for c in parts) + 1])


def _complement(verb: Any, extra: str | None) -> Any:
    for child in verb.children:
        if child.dep_ == "ccomp" or (extra and child.dep_ == extra):
            return child
    return None


def _subtree(head: Any) -> list[Any]:
    return list(head.doc[head.left_edge.i : head.right_edge.i + 1])


def _trim(tokens: Sequence[Any]) -> tuple[int, int]:
    """The content without the punctuation and spaces at its ends."""
    lo, hi = 0, len(tokens)
    while lo < hi and (tokens[lo].is_punct or tokens[lo].is_space):
        lo += 1
    while hi > lo and (tokens[hi - 1].is_punct or tokens[hi - 1].is_space):
        hi -= 1
    return lo, hi


def _clause_around(according: Any) -> list[Any]:
    """What "according to X" or an inserted "X says" vouches for: the longer side of its
    clause, without it."""
    head = according.head if according.head is not according else according
    doc = according.doc
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    a, b = according.left_edge.i, according.right_edge.i + 1
    before, after = list(doc[lo:a]), list(doc[b:hi])
    return before if len(before) >= len(after) else after


def _owner(noun: Any, finder: SpeakerFinder) -> Attribution | None:
    """Whose the claim is: "X's claim", "a claim by X", or the subject of "X made the claim"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return finder.candidate(left_words(child), noun.idx, None, noun.text)
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return finder.candidate(left_words(objects[0]), noun.idx, None, noun.text)
    if noun.dep_ in ("dobj", "pobj") and noun.head.pos_ == "VERB":
        return finder.subject(noun.head, noun.idx, None)
    return None
