"""People, organisations and places named in one article, each resolved to its full name.

spaCy's entities are the start. Their extents are repaired (titles, possessives and a leading
"the" trimmed), junk from title-case headlines is dropped and re-found by the names the body
uses, names the model missed are added where they repeat a known person's first name or
surname, every short form gets the article's full name as its key ("Putin" -> "Vladimir
Putin"), and each key gets one label, voted over its mentions with person-like evidence,
since the small model calls one man ORG in one sentence and PERSON in the next.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from storyline.enrich.cues import SPEECH_VERBS
from storyline.enrich.names import HONORIFICS, TITLE_WORDS, fold
from storyline.records import Mention

__all__ = ["KEPT_LABELS", "find_mentions", "headline_ranges"]

KEPT_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
# Ties between labels go to the earlier one: a name that is half PERSON is a person.
_PRIORITY = {label: i for i, label in enumerate(KEPT_LABELS)}
_TRAILING = frozenset({"'s", "’s", "'", "’"})
_QUOTE_MARKS = frozenset('"“”‘’«»„')
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_MINOR = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "vs",
        "via",
        "de",
        "la",
        "du",
    ]
)
# Particles that stay lowercase inside a person's name.
_NAME_PARTICLES = frozenset(
    ["de", "da", "di", "del", "der", "van", "von", "bin", "ibn", "al", "el", "la", "le"]
)


@dataclass
class _Span:
    start: int
    end: int
    label: str

    def text(self, doc: Doc) -> str:
        return str(doc[self.start : self.end].text)


def find_mentions(doc: Doc, *, title: str | None) -> list[Mention]:
    """Every kept-label mention in the article, with its article-level key and voted label."""
    heads = headline_ranges(doc.text, title=title)
    body = [
        span
        for ent in doc.ents
        if ent.label_ in KEPT_LABELS
        and (span := _trim(doc, _name_start(doc, ent), ent.end, ent.label_)) is not None
        and not _in_ranges(doc, span, heads)
        and not _junk(doc, span)
    ]
    body += _missed_people(doc, body, heads)
    body += _headline_mentions(doc, body, heads)
    body.sort(key=lambda s: s.start)
    keys = _resolve(doc, body)
    labels = _vote(doc, body, keys)
    mentions = []
    for span, key in zip(body, keys, strict=True):
        first, last = doc[span.start], doc[span.end - 1]
        end = last.idx + len(last.text)
        mentions.append(Mention(first.idx, end, doc.text[first.idx : end], labels[key], key))
    return mentions


def headline_ranges(text: str, *, title: str | None) -> list[tuple[int, int]]:
    """Character ranges of lines that are headlines: the title itself, or title-case lines.

    Title case defeats the small model ("Putin Meets S. Ossetia Leader" is one PERSON), and
    ECB+-style texts start with their headline, so such lines are read by string match only.
    """
    wanted = fold(title) if title else None
    ranges = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and (fold(stripped) == wanted or _is_title_case(stripped)):
            ranges.append((offset, offset + len(line)))
        offset += len(line) + 1
    return ranges


def _is_title_case(line: str) -> bool:
    words: list[str] = _WORD.findall(line)
    if not 3 <= len(words) <= 20 or line[-1] in ".;,:":
        return False
    content = [w for w in words if w.lower() not in _MINOR]
    capitalized = sum(w[0].isupper() for w in content)
    return capitalized >= 3 and capitalized >= 0.85 * len(content)


def _in_ranges(doc: Doc, span: _Span, ranges: Sequence[tuple[int, int]]) -> bool:
    start = doc[span.start].idx
    end = doc[span.end - 1].idx + len(doc[span.end - 1])
    return any(start < hi and end > lo for lo, hi in ranges)


def _name_start(doc: Doc, ent: Any) -> int:
    """Where a person's or body's name starts: the model often leaves out a first name
    ("Governor Anders [Holm]"), a proper noun compounding onto the name that is no title."""
    start = int(ent.start)
    if ent.label_ not in ("PERSON", "ORG"):
        return start
    while start > 0:
        token = doc[start - 1]
        if not (
            token.tag_ == "NNP"
            and token.dep_ == "compound"
            and ent.start <= token.head.i < ent.end
            and token.is_title
            and token.is_alpha
            and token.ent_iob_ == "O"
            and token.lower_ not in TITLE_WORDS
        ):
            break
        start -= 1
    return start


def _trim(doc: Doc, start: int, end: int, label: str) -> _Span | None:
    """The name inside an entity: no leading "the" or titles, no trailing possessive or marks,
    nothing from a bracket it does not close ("Veloria (Northern Wire" from a dateline)."""
    opened = [i for i in range(start, end) if doc[i].is_bracket and doc[i].is_left_punct]
    if opened and not any(t.is_bracket and t.is_right_punct for t in doc[opened[0] + 1 : end]):
        end = opened[0]
    while end > start and (
        doc[end - 1].text in _TRAILING or doc[end - 1].is_punct or doc[end - 1].is_space
    ):
        end -= 1
    while start < end and (doc[start].is_punct or doc[start].lower_ == "the"):
        start += 1
    if label == "PERSON":
        titled = [i for i in range(start, end - 1) if doc[i].lower_ in TITLE_WORDS]
        if titled:
            start = titled[-1] + 1
        while start < end and doc[start].is_punct:
            start += 1
    if start >= end:
        return None
    text = doc[start:end].text
    if "\n" in text or not any(ch.isalpha() for ch in text):
        return None
    return _Span(start, end, label)


def _junk(doc: Doc, span: _Span) -> bool:
    """A PERSON span no person name looks like: shouted in capitals, holding a verb or a mark."""
    if span.label != "PERSON":
        return False
    tokens = doc[span.start : span.end]
    text = tokens.text
    if len(tokens) > 1 and text.isupper():
        return True
    if any(ch in _QUOTE_MARKS for ch in text):
        return True
    return any(
        bool(t.tag_.startswith("VB")) or (t.is_lower and t.lower_ not in _NAME_PARTICLES)
        for t in tokens
        if t.is_alpha
    )


def _covered(spans: Sequence[_Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


def _missed_people(
    doc: Doc, spans: Sequence[_Span], heads: Sequence[tuple[int, int]]
) -> list[_Span]:
    """Names the model missed that repeat a known person's first name or surname, or follow Mr."""
    firsts: set[str] = set()
    lasts: set[str] = set()
    for span in spans:
        if span.label == "PERSON" and span.end - span.start >= 2:
            firsts.add(doc[span.start].lower_)
            lasts.add(doc[span.end - 1].lower_)
    covered = _covered(spans)
    found: list[_Span] = []
    i = 0
    while i < len(doc):
        run_end = i
        while (
            run_end < len(doc)
            and run_end - i < 3
            and run_end not in covered
            and doc[run_end].is_alpha
            and doc[run_end].is_title
        ):
            run_end += 1
        if run_end == i:
            i += 1
            continue
        for person in _people_in_run(doc, i, run_end, firsts, lasts):
            if not _in_ranges(doc, person, heads):
                found.append(person)
        i = run_end
    return found


def _people_in_run(
    doc: Doc, start: int, end: int, firsts: set[str], lasts: set[str]
) -> list[_Span]:
    """In a run of capitalized words: a known first name and the word after, or a known surname."""
    found = []
    i = start
    while i < end:
        word = doc[i].lower_
        after_honorific = i > 0 and doc[i - 1].lower_ in HONORIFICS
        if word in TITLE_WORDS:
            i += 1
        elif i + 1 < end and (word in firsts or after_honorific):
            found.append(_Span(i, i + 2, "PERSON"))
            i += 2
        elif word in lasts or (after_honorific and i + 1 == end):
            found.append(_Span(i, i + 1, "PERSON"))
            i += 1
        else:
            i += 1
    return found


def _headline_mentions(
    doc: Doc, spans: Sequence[_Span], heads: Sequence[tuple[int, int]]
) -> list[_Span]:
    """Mentions in headline lines, found only by the names the body itself uses."""
    if not heads:
        return []
    names: dict[str, str] = {}
    for span in spans:
        names.setdefault(span.text(doc), span.label)
        if span.label == "PERSON" and span.end - span.start >= 2:
            names.setdefault(doc[span.end - 1].text, "PERSON")
    found: list[_Span] = []
    taken: set[int] = set()
    for name in sorted(names, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        for lo, hi in heads:
            for match in pattern.finditer(doc.text, lo, hi):
                piece = doc.char_span(match.start(), match.end())
                if piece is None or taken & set(range(piece.start, piece.end)):
                    continue
                taken.update(range(piece.start, piece.end))
                found.append(_Span(piece.start, piece.end, names[name]))
    return found


def _resolve(doc: Doc, spans: Sequence[_Span]) -> list[str]:
    """Each span's key: its own name, or for a one-word person the full name it shortens."""
    full: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for span in spans:
        if span.label in ("PERSON", "ORG") and span.end - span.start >= 2:
            full[doc[span.end - 1].lower_].append((span.start, span.text(doc), span.label))
    keys = []
    for span in spans:
        name = span.text(doc)
        owners = full.get(doc[span.start].lower_, []) if span.end - span.start == 1 else []
        if span.label not in ("PERSON", "ORG"):
            # A person's surname the model called a place, unless written as one ("in X").
            placed = span.start > 0 and doc[span.start - 1].tag_ == "IN"
            owners = [] if placed else [o for o in owners if o[2] == "PERSON"]
        if owners:
            before = [owner for owner in owners if owner[0] < span.start]
            name = (before[-1] if before else owners[0])[1]
        keys.append(name)
    return keys


def _vote(doc: Doc, spans: Sequence[_Span], keys: Sequence[str]) -> dict[str, str]:
    """One label per key: the majority of its mentions, person-like evidence counting half.

    Half, so that evidence breaks ties but no lone "Reuters noted" makes an agency a person;
    a name built on a place the article names alone ("Civil Georgia") is no person either.
    """
    places = {key for span, key in zip(spans, keys, strict=True) if span.label in ("GPE", "LOC")}
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for span, key in zip(spans, keys, strict=True):
        not_person = key.isupper() or any(word in places for word in key.split())
        if not_person and span.label == "PERSON":
            votes[key]["ORG"] += 1
            continue
        votes[key][span.label] += 1
        if not not_person and _person_evidence(doc, span):
            votes[key]["PERSON"] += 0.5
    return {
        key: min(counter, key=lambda label: (-counter[label], _PRIORITY[label]))
        for key, counter in votes.items()
    }


def _person_evidence(doc: Doc, span: _Span) -> bool:
    """A title just before the name, or the name speaking ("X said", "said X")."""
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in TITLE_WORDS and before.lower_ != "state":
        return True
    if before is not None and before.lower_ in SPEECH_VERBS:
        return True
    root: Any = doc[span.start : span.end].root
    return bool(root.dep_ == "nsubj" and root.head.lower_ in SPEECH_VERBS)
