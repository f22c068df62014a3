"""Quotations in an article: where they are, whether they are direct, and who speaks.

Quote marks are read per paragraph with a small state machine rather than a regex pair,
because real articles mix styles: “…" opened curly and closed straight, nested quotes inside
a quotation, a paragraph left open because the quote goes on in the next one, which opens
again. Each stretch of quoted text is a piece; pieces joined across paragraphs make one quote.
Who speaks is `speakers.SpeakerFinder`'s job; this module decides which windows it reads.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from storyline.config import Config
from storyline.enrich.cues import SPEECH_VERBS
from storyline.enrich.indirect import find_indirect
from storyline.enrich.speakers import Attribution, SpeakerFinder
from storyline.records import Mention, Quote

__all__ = ["Piece", "find_quotes", "quoted_pieces"]

_OPENERS = "“„«"
_CLOSERS = "”»"
_STRAIGHT = '"'
_SINGLE_OPEN = "‘"
_SINGLE_CLOSE = "’"
_SINGLE_MARKS = "'" + _SINGLE_OPEN + _SINGLE_CLOSE
_ALL_MARKS = frozenset(_OPENERS + _CLOSERS + _STRAIGHT + _SINGLE_MARKS)
# Quotes of up to this many words are scare quotes or fragments, never a statement.
_SHORT = 3
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*\s+(?=[\"“‘«(\[]?[A-Z0-9])")
_DASHES = "–—-"
# Titles of works have at most this many words.
_LONGEST_TITLE = 8
# How many reported statements starting before a fragment are checked for holding it.
_AROUND = 4


@dataclass
class Piece:
    """One stretch of quoted text inside a paragraph; `close` is None where the mark never came."""

    open: int
    start: int
    end: int
    close: int | None
    paragraph: int
    continues: bool = False


def find_quotes(
    doc: Doc, mentions: list[Mention], *, max_marks: int = Config.max_quote_marks
) -> list[Quote]:
    """Every quotation and indirect attribution with its kind, cue and speaker's mention key.

    Only the text up to the `max_marks`-th quote mark is read for quotes.
    """
    text = doc.text
    pieces = quoted_pieces(text[: _mark_limit(text, max_marks)])
    runs = _runs(pieces)
    quoted = [(p.open, p.close or p.end) for p in pieces]
    finder = SpeakerFinder(doc, mentions, quoted=quoted)
    quotes: list[Quote] = []
    said_by: list[Attribution | None] = []
    previous: Attribution | None = None
    for index, run in enumerate(runs):
        first, last = run[0], run[-1]
        if index and first.paragraph > runs[index - 1][-1].paragraph + 1:
            previous = None
        kind = _kind(text, run, runs[index - 1] if index else None)
        neighbour = said_by[-1] if index and _goes_on(text, runs[index - 1], first) else None
        said = _attribute(text, finder, run, runs, index, kind, previous, neighbour)
        if (
            said is not None
            and _words(text, run) <= _SHORT
            and said.cue in ("context", "continues")
        ):
            said = None
        if _is_title(text, run):
            kind, said = "title", None
        said_by.append(said)
        quotes.append(
            Quote(
                start=first.start,
                end=last.end,
                text="\n\n".join(text[p.start : p.end].strip() for p in run),
                kind=kind,
                cue=said.cue if said else None,
                speaker=said.speaker or None if said else None,
                speaker_start=said.start if said else None,
                speaker_end=said.end if said else None,
                speaker_evidence=finder.evidence(said) if said else None,
            )
        )
        previous = said or previous
    reported = find_indirect(doc, finder, quoted)
    quotes = _mixed(quotes, reported.mostly_quoted)
    starts = {q.start for q in quotes}
    quotes.extend(q for q in reported.indirect if q.start not in starts)
    return sorted(quotes, key=lambda q: (q.start, q.end))


def _mixed(quotes: list[Quote], statements: Sequence[Quote]) -> list[Quote]:
    """Fragments that make up most of a reported statement are that statement in the speaker's
    own words: direct speech, spoken by the statement's source where they had none."""
    if not statements:
        return quotes
    statements = sorted(statements, key=lambda s: s.start)
    starts = [s.start for s in statements]
    out = []
    for quote in quotes:
        i = bisect_right(starts, quote.start)
        around = [s for s in statements[max(0, i - _AROUND) : i] if quote.start < s.end]
        if quote.kind != "partial" or not around:
            out.append(quote)
            continue
        statement = around[-1]
        if quote.speaker is None and quote.speaker_start is None:
            quote = replace(
                quote,
                cue=statement.cue,
                speaker=statement.speaker,
                speaker_start=statement.speaker_start,
                speaker_end=statement.speaker_end,
                speaker_evidence=statement.speaker_evidence,
            )
        out.append(replace(quote, kind="direct"))
    return out


def _mark_limit(text: str, max_marks: int) -> int:
    """Where the text holding the first `max_marks` quote marks ends."""
    seen = 0
    for i, ch in enumerate(text):
        if ch in _ALL_MARKS:
            seen += 1
            if seen > max_marks:
                return i
    return len(text)


def quoted_pieces(text: str) -> list[Piece]:
    """The quoted stretches of a text in order, double marks first, single marks outside them."""
    pieces: list[Piece] = []
    offset = 0
    number = 0
    for line in text.split("\n"):
        number += bool(line.strip())
        found = _double_pieces(line, offset, number)
        found += _single_pieces(line, offset, number, found)
        found.sort(key=lambda p: p.open)
        if (
            pieces
            and found
            and pieces[-1].close is None
            and found[0].open == offset + _indent(line)
        ):
            found[0].continues = True
        pieces.extend(found)
        offset += len(line) + 1
    return pieces


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _double_pieces(line: str, offset: int, paragraph: int) -> list[Piece]:
    """Double-mark quotes: curly, guillemet or straight, mixed pairs allowed, nesting kept inside."""
    pieces = []
    opener: int | None = None
    depth = 0
    mixed = _STRAIGHT in line and any(c in line for c in _OPENERS)
    next_straight = _next_marks(line, _STRAIGHT) if mixed else []
    next_curly = _next_marks(line, _CLOSERS) if mixed else []
    for i, ch in enumerate(line):
        if ch in _OPENERS:
            if depth == 0:
                opener = i
            depth += 1
        elif ch in _CLOSERS and depth:
            depth -= 1
        elif ch == _STRAIGHT:
            if depth == 0:
                opener, depth = i, 1
                continue
            assert opener is not None
            if line[opener] != _STRAIGHT and _nested_straight(
                line, i, next_straight[i], next_curly[i]
            ):
                depth += 1
                continue
            depth -= 1
        else:
            continue
        if depth == 0 and opener is not None and i > opener:
            pieces.append(
                Piece(offset + opener, offset + opener + 1, offset + i, offset + i + 1, paragraph)
            )
            opener = None
    if depth and opener is not None and line[opener + 1 :].strip():
        end = len(line.rstrip())
        pieces.append(Piece(offset + opener, offset + opener + 1, offset + end, None, paragraph))
    return pieces


def _nested_straight(line: str, i: int, later: int, curly: int) -> bool:
    """A straight mark inside a curly quote opens a nested quote only if shaped so and closed later.

    `later` and `curly` are where the next straight mark and the next curly closer come (-1: none).
    """
    before = line[i - 1] if i else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    if not (before.isspace() or before in "([") or not after.isalnum():
        return False
    return later != -1 and (curly == -1 or later < curly)


def _next_marks(line: str, marks: str) -> list[int]:
    """For each position, where the next of these marks after it comes (-1: none); one pass."""
    found = [-1] * (len(line) + 1)
    for i in range(len(line) - 1, -1, -1):
        found[i] = i + 1 if i + 1 < len(line) and line[i + 1] in marks else found[i + 1]
    return found


def _single_pieces(line: str, offset: int, paragraph: int, doubles: Sequence[Piece]) -> list[Piece]:
    """Single-mark quotes outside double ones; an apostrophe (“Russia’s”) never closes one."""
    inside = sorted((p.open - offset, (p.close or p.end) - offset) for p in doubles)
    pieces = []
    opener: int | None = None
    k = 0
    for i, ch in enumerate(line):
        if ch not in _SINGLE_MARKS:
            continue
        while k < len(inside) and inside[k][1] <= i:
            k += 1
        if k < len(inside) and inside[k][0] <= i:
            continue
        before = line[i - 1] if i else " "
        after = line[i + 1] if i + 1 < len(line) else " "
        if opener is None and (
            ch == _SINGLE_OPEN or (ch == "'" and not before.isalnum() and after.isalpha())
        ):
            opener = i
        elif opener is not None and ch in (_SINGLE_CLOSE, "'") and not after.isalpha():
            if not before.isspace() and i > opener + 1:
                pieces.append(
                    Piece(
                        offset + opener, offset + opener + 1, offset + i, offset + i + 1, paragraph
                    )
                )
            opener = None
    return pieces


def _runs(pieces: Sequence[Piece]) -> list[list[Piece]]:
    """Pieces grouped into quotes: a piece continuing an unclosed one joins it."""
    runs: list[list[Piece]] = []
    for piece in pieces:
        if piece.continues and runs:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return runs


def _is_title(text: str, run: Sequence[Piece]) -> bool:
    """A title of a work or show ("Meet the Press", “The Art of the Deal”): a short quotation in
    title case (small words aside) with no sentence punctuation at its end."""
    if len(run) > 1:
        return False
    words = text[run[0].start : run[0].end].split()
    if not 1 < len(words) <= _LONGEST_TITLE or words[-1][-1:] in ".!?:;…":
        return False
    capitals = [w for w in words if w[:1].isalpha() and w.lower() not in STOP_WORDS]
    return bool(capitals) and all(w[:1].isupper() for w in capitals) and words[0][:1].isupper()


def _words(text: str, run: Sequence[Piece]) -> int:
    return sum(len(text[p.start : p.end].split()) for p in run)


def _sentence_start(text: str, position: int, floor: int) -> int:
    """Where the sentence holding `position` begins, not before `floor`."""
    start = floor
    for match in _SENTENCE_END.finditer(text, floor, position + 2):
        if match.end() <= position:
            start = match.end()
    return start


def _paragraph_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _kind(text: str, run: Sequence[Piece], previous: Sequence[Piece] | None) -> str:
    """Direct for a full statement; partial for short or lower-case fragments inside a sentence."""
    first = run[0]
    content = text[first.start : first.end].lstrip(" .…[(\"'“‘")
    if _words(text, run) <= _SHORT or not content:
        return "partial"
    floor = _paragraph_start(text, first.open)
    if previous is not None and previous[-1].close and previous[-1].close > floor:
        floor = previous[-1].close
    lead = text[_sentence_start(text, first.open, floor) : first.open].strip()
    if content[0].islower():
        return "direct" if _interrupts(text, previous, first) else "partial"
    if not lead or lead[-1] in ":," + _DASHES:
        return "direct"
    last_word = lead.split()[-1].lower()
    return "direct" if last_word in SPEECH_VERBS or last_word == "that" else "partial"


def _interrupts(text: str, previous: Sequence[Piece] | None, piece: Piece) -> bool:
    """A lower-case piece that goes on with a quote broken by "he said," is direct."""
    if previous is None or previous[-1].close is None or previous[-1].paragraph != piece.paragraph:
        return False
    between = text[previous[-1].close : piece.open].strip()
    before = text[previous[-1].start : previous[-1].end].rstrip()
    return (
        bool(between)
        and between.endswith(",")
        and before.endswith(",")
        and len(between.split()) <= 6
    )


def _goes_on(text: str, before: Sequence[Piece], piece: Piece) -> bool:
    """Whether a quote goes on from the one before: in the same paragraph, or opening the next
    paragraph ("“…,” X said.\n\n“…”"), as news prints a speaker's further words."""
    last = before[-1].paragraph
    if last == piece.paragraph:
        return True
    return (
        last == piece.paragraph - 1
        and not text[_paragraph_start(text, piece.open) : piece.open].strip()
    )


def _attribute(
    text: str,
    finder: SpeakerFinder,
    run: Sequence[Piece],
    runs: Sequence[Sequence[Piece]],
    index: int,
    kind: str,
    previous: Attribution | None,
    neighbour: Attribution | None,
) -> Attribution | None:
    """The speaker from the clause after the quote, else before it, else the context it continues."""
    first, last = run[0], run[-1]
    following = runs[index + 1][0] if index + 1 < len(runs) else None
    if last.close is not None:
        if following is not None and following.paragraph == last.paragraph:
            limit = following.open
        else:
            limit = text.find("\n", last.close)
            limit = len(text) if limit == -1 else limit
        ended = text[last.start : last.end].rstrip().endswith((".", "!", "?"))
        said = finder.after(last.close, limit, ended=ended, previous=previous)
        if said is not None:
            return said
    floor = _paragraph_start(text, first.open)
    before = runs[index - 1][-1] if index else None
    if before is not None and before.close is not None and before.close > floor:
        floor = before.close
    lead = _sentence_start(text, first.open, floor)
    said = finder.before(lead, first.open, previous=previous)
    if said is not None:
        return said
    if neighbour is not None:
        return Attribution(
            neighbour.speaker, neighbour.start, neighbour.end, "continues", neighbour.named
        )
    if text[lead : first.open].strip() or kind == "partial":
        return None
    start = _paragraph_start(text, first.open)
    if start == lead and text[:start].rstrip().endswith(":"):
        # "Cruz continued:\n\n“…”": the paragraph before introduces this one.
        colon = len(text[:start].rstrip())
        return finder.context(_paragraph_start(text, colon - 1), colon, previous=previous)
    return finder.context(start, lead, previous=previous)
