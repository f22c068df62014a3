"""Choosing the date of the main happening an article reports.

News puts the lead event first and dates it with a day-level expression on a past-tense verb
("On Tuesday, Putin said ..."). Background years, dates inside quotations, plans ("will meet
on Friday") and the printed dateline (no verb on its line) are passed over, so the pick is the
first day-level expression that a reported past event hangs on, within the opening sentences.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc

from storyline.records import EventTime, TimeExpr

__all__ = ["event_time"]

# How far into the article the lead event may be dated: the lead plus a few paragraphs of
# reaction, as when a story opens with the response and dates the meeting afterwards.
_LEAD_SENTENCES = 15
_DAY_VALUE = re.compile(r"(?:\d{4}|XXXX)-\d\d-\d\d")
_FUTURE = {"will", "'ll", "shall", "wo", "would", "could", "may", "might", "should", "must"}
_OPEN_QUOTES = "“«"
_CLOSE_QUOTES = "”»"


def _governing_verb(doc: Doc, start: int, end: int) -> Any | None:
    """The finite verb an expression hangs on, skipping participles ("On Tuesday speaking ...,
    Putin said")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    tok: Any = span.root
    for _ in range(10):
        if tok.pos_ in ("VERB", "AUX"):
            finite = tok.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
                c.dep_ in ("aux", "auxpass") for c in tok.children
            )
            if finite or tok.dep_ == "ROOT":
                return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _reports_past(verb: Any) -> bool:
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE for a in aux):
        return False
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in aux):
        return True
    return verb.tag_ == "VBN" and any(a.lower_ in ("has", "have", "'ve") for a in aux)


def _quoted(text: str, sent_start: int, start: int) -> bool:
    """Whether `start` lies inside a quotation opened earlier in its sentence."""
    before = text[sent_start:start]
    curly = sum(before.count(q) for q in _OPEN_QUOTES) - sum(before.count(q) for q in _CLOSE_QUOTES)
    return curly > 0 or before.count('"') % 2 == 1


def _line_of(text: str, start: int, end: int, at: int) -> str:
    """The sentence around `at`, cut at paragraph breaks the parser ran across."""
    left = max(start, text.rfind("\n", start, at) + 1)
    right = text.find("\n", at, end)
    return text[left : right if right != -1 else end].strip()


def event_time(doc: Doc, times: list[TimeExpr]) -> EventTime | None:
    """The date of the article's lead event, with its sentence as evidence, or None."""
    sentences = list(doc.sents)[:_LEAD_SENTENCES]
    if not sentences:
        return None
    limit = sentences[-1].end_char
    for time in sorted(times, key=lambda t: t.start):
        if time.start >= limit or time.type not in ("DATE", "TIME"):
            continue
        if not _DAY_VALUE.match(time.value):
            continue
        sent = next(s for s in sentences if s.start_char <= time.start < s.end_char)
        verb = _governing_verb(doc, time.start, time.end)
        if (
            verb is None
            or not _reports_past(verb)
            or _quoted(doc.text, sent.start_char, time.start)
        ):
            continue
        if "\n" in doc.text[min(verb.idx, time.start) : max(verb.idx, time.end)]:
            continue  # a dateline on its own line, not a date of the reported event
        return EventTime(
            value=time.value[:10],
            precision="day",
            evidence=_line_of(doc.text, sent.start_char, sent.end_char, time.start),
            start=time.start,
            end=time.end,
        )
    return None
