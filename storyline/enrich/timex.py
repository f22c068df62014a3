"""Finding time expressions in an article and normalizing each against its publication date.

spaCy's DATE/TIME entities are the main source, but their extents follow OntoNotes, not
TimeML: they carry prepositions, fuse neighbours ("June 17, two days"), cross line breaks and
miss adverbs such as "now" or "recently". This module repairs the extents, adds the forms the
model misses by pattern, and hands each piece to `timex_rules.normalize` with the clause's
tense, so "Tuesday" in a past-tense sentence is the Tuesday before publication.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from spacy.tokens import Doc, Span

from storyline.enrich.timex_rules import Context, normalize
from storyline.records import TimeExpr

__all__ = ["find_times", "tag_text"]

_LABELS = ("DATE", "TIME")
# Forms the model tends to miss; each match is kept only where it normalizes.
_EXTRA = re.compile(
    r"\b(?:"
    r"now|right now|currently|recently|more recently|most recently|lately|nowadays|"
    r"at present|these days|soon|very soon|the time being|"
    r"the (?:near |distant )?future|the past(?=\s*[,.;:)]|\s+(?:and|or|but|to|when|as)\b)|"
    r"(?:the coming|recent) (?:years|months|weeks|days|decades)|"
    r"(?:the )?(?:long|short|near) term|"
    r"annually|annual|daily|weekly|monthly|yearly|quarterly|hourly|"
    r"(?:every|each|per) (?:other )?(?:second|minute|hour|day|night|week|month|year|decade|"
    r"morning|evening|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:once|twice|thrice) (?:a|an|per) (?:day|week|month|year)|an? (?:day|week|month|year)|"
    r"today|tonight|yesterday|tomorrow|"
    r"\d+(?:\.\d+)?[- ](?:year|month|week|day|hour|minute)(?:-long|-old)?|"
    r"(?:\w+-)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|hundred)-(?:year|month|week|day|hour|minute)|"
    r"\d{1,2}:\d\d(?:\s?[ap]\.?m\.?)?(?:\s(?:UTC|GMT))?|\d{1,2}\s?[ap]\.m\.|"
    r"[0-2]\d[0-5]\d\s(?:UTC|GMT)|\d{1,2}/\d{1,2}/(?:\d{4}|\d\d)|\d{4}-\d\d-\d\d"
    r")(?![\w-])",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# Calendar dates the model splits ("27" a number, "October" a date): day and month in either
# order, with a year where one follows; a capital month, as "may 5" is a verb and a number.
# Each replaces the pieces it covers.
_CALENDAR = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d))"
    r"(?:,?\s+\d{4}(?!\d))?"
)
# Words TimeML leaves outside an extent: prepositions and focus particles before it.
_LEAD = re.compile(
    r"^(?:on|in|at|by|for|since|until|till|from|during|of|within|before|after|through|between|"
    r"throughout|as of|as early as|as late as|just|only|more than|less than|at least|up to|"
    r"starting|beginning|ending|to|and|or|but|[\d.,]+(?=\s+(?:a|an|per)\s))\s+",
    re.IGNORECASE,
)
_SPLIT = re.compile(r",\s+|\s+(?:and|to|through|until|till|or)\s+|\s*[-–]\s*(?=\d)|\s*–\s*")
_RIGHT = re.compile(r"\s+(?:morning|afternoon|evening|night|UTC|GMT|ago)\b", re.IGNORECASE)
_LEFT = re.compile(
    r"\b(?:this|last|next|that|same|coming|past|previous|every|each|early|late)\s+$", re.IGNORECASE
)
_TRAIL = re.compile(r"\s+(?:and|or|to|but)$", re.IGNORECASE)
_WEEKDAY = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.IGNORECASE)
_RATE_WORDS = {"once", "twice", "thrice", "times", "%", "percent"}
_FUTURE_AUX = {"will", "'ll", "shall", "wo"}
_FUTURE_VERBS = {"plan", "plans", "planned", "expect", "expects", "expected", "schedule"}
_FUTURE_VERBS.update({"scheduled", "due", "set", "intend", "intends", "aim", "aims", "hope"})


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) to TimeML's extent: no leading preposition, no trailing punctuation."""
    while start < end:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip(' \t,("“'))
        match = _LEAD.match(piece)
        trail = len(piece) - len(piece.rstrip(" \t,.;:!?)\"”’'"))
        if piece.lower().endswith(("a.m.", "p.m.")):
            trail = 0
        if lead or match:
            start += lead or (match.end() if match else 0)
        elif piece.endswith(("'s", "’s")):
            end -= 2
        elif trail:
            end -= trail
        elif tail := _TRAIL.search(piece):
            end -= len(tail.group())
        else:
            break
    return start, end


def _tense(span: Span | None) -> str | None:
    """Which way the clause around a span points: past, present or future."""
    if span is None:
        return None
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    if before in ("since", "ago"):
        return "past"
    found = _verb_tense(span)
    if before in ("until", "till", "by", "from") and found != "past":
        return "future"
    return "past" if found == "perfect" else found


def _verb_tense(span: Span) -> str | None:
    tok: Any = span.root
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in aux}
    if words & _FUTURE_AUX or "going" in words or tok.lower_ in _FUTURE_VERBS:
        return "future"
    if tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in aux if a.lower_ != "did"):
        return "past"
    if "did" in words:
        return "past"
    if tok.tag_ == "VBN" and words & {"has", "have", "'ve"}:
        return "perfect"
    if tok.tag_ == "VB" and "to" in words and tok.head.i != tok.i:
        above = _verb_tense(tok.doc[tok.head.i : tok.head.i + 1])
        return "future" if above in ("present", "future") else above
    if tok.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re"}:
        return "future"
    if tok.tag_ in ("VBZ", "VBP") or words & {"is", "are", "am"}:
        return "present"
    return None


def _is_rate(doc: Doc, start: int) -> bool:
    """Whether a span like "a year" reads as a rate ("15 a year", "twice a day")."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    prev = doc[span.start - 1]
    if prev.like_num or prev.lower_ in _RATE_WORDS or prev.text in ("$", "€", "£"):
        return True
    return prev.pos_ in ("NOUN", "PROPN") and any(
        c.like_num or c.dep_ == "nummod" for c in prev.children
    )


def _pieces(text: str, start: int, end: int, ctx: Context) -> list[tuple[int, int]]:
    """Split an extent that covers several expressions ("between 2014 and 2016")."""
    start, end = _trim(text, start, end)
    if start >= end:
        return []
    if "\n" in text[start:end]:
        out: list[tuple[int, int]] = []
        offset = start
        for line in text[start:end].split("\n"):
            out.extend(_pieces(text, offset, offset + len(line), ctx))
            offset += len(line) + 1
        return out
    if normalize(text[start:end], ctx) is not None:
        return [(start, end)]
    for sep in _SPLIT.finditer(text, start, end):
        left = _trim(text, start, sep.start())
        right = _trim(text, sep.end(), end)
        ok = [p for p in (left, right) if p[0] < p[1] and normalize(text[p[0] : p[1]], ctx)]
        if len(ok) == 2:
            return [left, *_pieces(text, right[0], right[1], ctx)]
    return []


def _candidates(doc: Doc, ctx: Context) -> list[tuple[int, int]]:
    text: str = doc.text
    spans: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ in _LABELS:
            spans.extend(_pieces(text, ent.start_char, ent.end_char, ctx))
    for match in _EXTRA.finditer(text):
        if match.group().lower().startswith(("a ", "an ")) and not _is_rate(doc, match.start()):
            continue  # "a year" alone is a time only as a rate ("15 a year")
        if not any(s < match.end() and match.start() < e for s, e in spans):
            spans.extend(_pieces(text, match.start(), match.end(), ctx))
    for match in _CALENDAR.finditer(text):
        inside = [(s, e) for s, e in spans if match.start() <= s and e <= match.end()]
        if any(s < match.end() and match.start() < e for s, e in spans if (s, e) not in inside):
            continue
        pieces = _pieces(text, match.start(), match.end(), ctx)
        if pieces:
            spans = [span for span in spans if span not in inside] + pieces
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            continue
        if merged:
            gap = text[merged[-1][1] : start]
            joint = (merged[-1][0], end)
            comma_ok = bool(_WEEKDAY.fullmatch(text[merged[-1][0] : merged[-1][1]]))
            if re.fullmatch(r" |, | at " if comma_ok else r" | at ", gap) and _joins(
                text[joint[0] : joint[1]], ctx
            ):
                merged[-1] = joint
                continue
        merged.append(_widen(text, start, end, ctx))
    return merged


def _widen(text: str, start: int, end: int, ctx: Context) -> tuple[int, int]:
    """Take in a neighbouring word the model left out ("this" year, Friday "morning", "UTC")."""
    left = _LEFT.search(text, max(0, start - 12), start)
    if left and normalize(text[left.start() : end], ctx) is not None:
        start = left.start()
    right = _RIGHT.match(text, end)
    if right and normalize(text[start : right.end()], ctx) is not None:
        end = right.end()
    return start, end


def _joins(text: str, ctx: Context) -> bool:
    """Whether two neighbours form one day or time ("12:00 UTC Monday", "Friday morning")."""
    found = normalize(text, ctx)
    return found is not None and found.granularity in ("day", "time")


def find_times(doc: Doc, *, published: dt.date | None) -> list[TimeExpr]:
    """Every time expression in the text, normalized against the publication date."""
    base = Context(anchor=published)
    out: list[TimeExpr] = []
    ref: dt.date | None = published
    for start, end in _candidates(doc, base):
        span = doc.char_span(start, end, alignment_mode="expand")
        ctx = Context(published, _tense(span), ref, _is_rate(doc, start))
        norm = normalize(doc.text[start:end], ctx)
        if norm is None:
            continue
        if norm.granularity == "day" and norm.begin is not None:
            ref = norm.begin
        out.append(
            TimeExpr(
                start=start,
                end=end,
                text=doc.text[start:end],
                type=norm.type,
                value=norm.value,
                granularity=norm.granularity,
                begin=norm.begin.isoformat() if norm.begin else None,
                end_date=norm.end.isoformat() if norm.end else None,
            )
        )
    return out


def tag_text(text: str, *, published: dt.date | None) -> list[TimeExpr]:
    """Parse `text` with the shared pipeline and return its time expressions."""
    from storyline.enrich.pipeline import load_nlp  # late: pipeline imports this module

    return find_times(load_nlp()(text), published=published)
