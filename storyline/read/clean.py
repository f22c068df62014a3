"""Plain text as a scraper leaves it: split the header and the page furniture from the story.

A scraped page keeps its masthead, section labels, photo captions and credits, related-link
lists and reader prompts around the story. None of them is named here by its words: each is
told by its shape (length, closing punctuation, share of capitalised words, capitals, a
slash credit), by its place (before the first story paragraph, after the last, after a block
label) and by repetition across the files of one batch. Story paragraphs are kept whole.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storyline.read.dates import find_printed_date

__all__ = ["PlainText", "common_lines", "read_plain"]

_MAX_COMMON_WORDS = 12
"""Only short lines count as repeated furniture: a long repeated line is syndicated story."""

_SMALL = frozenset({
    "a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "at", "to", "for", "by",
    "with", "from", "as", "vs", "via", "per", "into", "over", "than", "off", "up", "out",
})  # fmt: skip
_PARTICLES = frozenset({
    "de", "da", "del", "della", "di", "du", "van", "von", "der", "den", "la", "le", "al",
    "el", "bin", "ibn", "y",
})  # fmt: skip
_ROLE = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|contributor|columnist|"
    r"photographer|analyst|bureau|desk|news|agency|wire)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’.-][^\W_]+)*\.?")
_CLOSERS = "\"'”’»)]*"
_SENTENCE_BREAK = re.compile(r"[^\W\d_]{2}[.!?…][\"'”’]?\s+[\"“‘']?[A-Z]")
_ABBREV_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$")
_BYLINE = re.compile(r"(?i:by|written by|words by|posted by|reporting by)\s+(?P<names>\S.*)")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\||\band\b)\s*")
_SLUG = re.compile(r"[A-Z0-9]{2,}(?:-[A-Z0-9]{2,})+")
_SLASH_CREDIT = re.compile(r"[^\W\d_][^/]{0,40}(?:/[^\W\d_][^/]{0,30}){1,4}")
_CREDIT = re.compile(
    r"(?i:(?:file\s+)?(?:photo|image|picture|pictured|video|credit|illustration|source|caption)s?"
    r"(?:\s+\w+){0,2}\s*[:|])"
)
_LOGO = re.compile(r"\s*\b(?i:logo|masthead)\b\s*")
_ADDRESS = re.compile(r"\b(?i:you|your|our|us|please|click|tap|sign up|log in)\b")
_WEB_ACTION = re.compile(
    r"\b(?i:newsletters?|subscribe|subscription|commenting|comments|sign up|log in|"
    r"click here|follow us|share this|cookies?|advertisement|download our)\b"
)
_DATELINE_PAREN = re.compile(r"\(\s*(?P<place>[^()]{2,60}?)\s*\)\s*[–—-]+\s*")
_DATELINE_CAPS = re.compile(
    r"(?P<place>[A-Z][A-Z'’.\- ]*[A-Z.](?:,\s*[A-Z][\w'’.\- ]{1,30}?){0,2})"
    r"\s*(?:\([^()]{1,30}\))?\s*[–—-]{1,2}\s+"
)


@dataclass(frozen=True)
class PlainText:
    """What a plain-text article states about itself, and its story without page furniture."""

    title: str | None
    outlet: str | None
    byline: list[str]
    dateline: str | None
    printed_date: str | None
    body: str


def _norm(line: str) -> str:
    return " ".join(line.split()).casefold()


def _units(raw: str) -> list[str]:
    """Non-empty lines, with hard-wrapped prose lines joined back into their paragraph."""
    units: list[str] = []
    joinable = False
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        text = " ".join(line.split())
        if not text:
            joinable = False
            continue
        if joinable and units and text[0].islower() and not _ends_sentence(units[-1]):
            units[-1] = f"{units[-1]} {text}"
        else:
            units.append(text)
        joinable = len(units[-1]) >= 60
    return units


def common_lines(texts: Iterable[str], *, min_count: int = 2) -> frozenset[str]:
    """Short lines that recur in at least `min_count` of these texts (normalised, casefolded).

    An outlet's logo line or comment prompt repeats in every file from it; a story sentence
    seldom does. `read_plain` treats these lines as furniture wherever they are not prose.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({_norm(u) for u in _units(text) if len(u.split()) <= _MAX_COMMON_WORDS})
    return frozenset(line for line, n in counts.items() if n >= min_count)


# --- line shapes ------------------------------------------------------------------------


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _title_ratio(line: str) -> float:
    """Share of capitalised words after the first, small words aside: high for headlines."""
    words = [w for w in _words(line)[1:] if w.lower() not in _SMALL]
    if not words:
        return 1.0 if line[:1].isupper() else 0.0
    return sum(w[0].isupper() for w in words) / len(words)


def _ends_sentence(line: str) -> bool:
    """Closes with sentence punctuation that is not the dot of an abbreviation like U.S."""
    stripped = line.rstrip(_CLOSERS + " ")
    if not stripped or stripped[-1] not in ".!?…":
        return False
    return not _ABBREV_END.search(stripped)


def _is_prose(line: str) -> bool:
    """A story paragraph: a closed sentence, sentences inside, or many lower-case words.

    Headlines, even in sentence case, stay under twenty words and hold no sentence break.
    """
    n = len(_words(line))
    if _ends_sentence(line) and n >= 2:
        return True
    if n >= 8 and _SENTENCE_BREAK.search(line):
        return True
    return n >= 30 or (n >= 20 and _title_ratio(line) < 0.5)


def _is_all_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_credit(line: str) -> bool:
    """A photo credit or caption label: "NAME/AGENCY/Getty Images", "Photo source: X"."""
    if len(line.split()) > 12:
        return False
    if _CREDIT.match(line):
        return True
    return bool(_SLASH_CREDIT.fullmatch(line)) and " / " not in line and _title_ratio(line) >= 0.5


def _is_slug(line: str) -> bool:
    return bool(_SLUG.fullmatch(line))


def _is_prompt(line: str) -> bool:
    """A reader prompt: addresses the reader about the page (subscribe, comment, share)."""
    return len(line.split()) <= 25 and bool(_ADDRESS.search(line) and _WEB_ACTION.search(line))


def _is_label(line: str, *, max_words: int = 5) -> bool:
    """A section label or block heading: a few words, no sentence, capitalised or a colon."""
    n = len(_words(line))
    if not 1 <= n <= max_words or _ends_sentence(line):
        return False
    return line.endswith(":") or _is_all_caps(line) or _title_ratio(line) >= 0.5


def _is_headline(line: str) -> bool:
    """Headline-shaped: four to twenty mostly capitalised words, no closing full stop."""
    n = len(_words(line))
    return 4 <= n <= 20 and _title_ratio(line) >= 0.6 and not _ends_sentence(line)


def _is_link_entry(line: str) -> bool:
    """An entry of a related-links list: a headline, or a short author line under one."""
    return _is_headline(line) or (len(_words(line)) <= 4 and not _is_prose(line))


def _is_footer_shaped(line: str, common: frozenset[str]) -> bool:
    """Furniture after the story: labels, link entries, credits, prompts, repeated lines."""
    if _is_furniture(line, common) or _norm(line) in common:
        return True
    return not _is_prose(line) and (_is_link_entry(line) or _is_label(line, max_words=6))


def _byline(line: str) -> list[str] | None:
    """The names of a "By A, B and C" line, or None when the line is not only names."""
    match = _BYLINE.fullmatch(line.strip())
    if match is None or len(line.split()) > 16:
        return None
    names: list[str] = []
    for part in _NAME_SPLIT.split(match["names"].strip().rstrip(".")):
        if not part:
            continue
        tokens = part.split()
        capitalised = all(t[0].isupper() or t.lower() in _PARTICLES for t in tokens)
        if not (1 <= len(tokens) <= 4 and capitalised):
            return None
        if not _ROLE.search(part):
            names.append(part)
    return names or None


def _outlet_from_logo(line: str) -> str | None:
    """ "The messenger logo" -> "The Messenger": image alt text that names the masthead."""
    if not _LOGO.search(line) or len(line.split()) > 6:
        return None
    name = _LOGO.sub(" ", line).strip(" -|:")
    if not name:
        return None
    if name[1:] == name[1:].lower():
        name = " ".join(
            w if i and w in _SMALL else w[:1].upper() + w[1:] for i, w in enumerate(name.split())
        )
    return name


# --- the reading --------------------------------------------------------------------------


@dataclass
class _Header:
    title: str | None = None
    outlet: str | None = None
    byline: tuple[str, ...] = ()
    printed_date: str | None = None


def read_plain(raw: str, *, common_lines: frozenset[str] = frozenset()) -> PlainText:
    """Split a scraped plain-text article into its header facts and its story body.

    `common_lines` (from `common_lines()` over the batch) is extra evidence of furniture.
    """
    units = _units(raw)
    common = common_lines
    first_story = next((i for i, u in enumerate(units) if _is_prose(u)), len(units))
    header = _read_header(units[:first_story], common)
    body_units = units[first_story:]
    kept_from_header = _header_keepers(units[:first_story], header, common)
    tail_start, tail_names, tail_date = _tail(body_units, common)
    body_units = _drop_blocks(body_units[:tail_start], common)
    byline = list(header.byline) or tail_names
    printed = header.printed_date or tail_date
    body = kept_from_header + body_units
    return PlainText(
        title=header.title,
        outlet=header.outlet,
        byline=byline,
        dateline=_dateline(body_units[0]) if body_units else None,
        printed_date=printed,
        body="\n\n".join(body),
    )


def _header_role(line: str, common: frozenset[str]) -> str | None:
    """What a header line is when its shape alone says so; None for title/label candidates."""
    if _byline(line):
        return "byline"
    if find_printed_date([line]):
        return "date"
    if _outlet_from_logo(line):
        return "logo"
    if _is_credit(line) or _is_slug(line) or _is_prompt(line):
        return "furniture"
    if _norm(line) in common:
        return "common"
    return None


def _read_header(lines: Sequence[str], common: frozenset[str]) -> _Header:
    """Title, outlet, byline and printed date from the lines before the first story paragraph.

    The title is the first unclaimed line of four or more words (else the longest unclaimed
    line); a short unclaimed line opening the page, above the title, names the site.
    """
    header = _Header()
    free: list[int] = []
    for i, line in enumerate(lines):
        role = _header_role(line, common)
        if role == "byline" and not header.byline:
            header.byline = tuple(_byline(line) or ())
        elif role == "date" and header.printed_date is None:
            header.printed_date = line
        elif role == "logo" and header.outlet is None:
            header.outlet = _outlet_from_logo(line)
        elif role == "common" and i == 0 and len(_words(line)) <= 4:
            header.outlet = line
        elif role is None:
            free.append(i)
    if not free:
        return header
    long_enough = [i for i in free if len(_words(lines[i])) >= 4]
    title_at = long_enough[0] if long_enough else max(free, key=lambda i: len(lines[i]))
    header.title = lines[title_at]
    if header.outlet is None and free[0] == 0 and title_at > 0 and len(_words(lines[0])) <= 4:
        header.outlet = lines[0]
    return header


def _header_keepers(lines: Sequence[str], header: _Header, common: frozenset[str]) -> list[str]:
    """Header lines after the title that may belong to the story: those of twelve words or more.

    Shorter unclosed lines there are tag lines, photo captions ("Passengers wait for a bus
    at dusk") or decks; a caption and a deck share their shape, and neither is a story
    sentence. A long line is kept whatever its shape, as losing story costs more.
    """
    if header.title is None:
        return []
    kept: list[str] = []
    for line in lines[lines.index(header.title) + 1 :]:
        if _header_role(line, common) is not None or _is_label(line):
            continue
        if len(_words(line)) >= 12:
            kept.append(line)
    return kept


def _is_furniture(line: str, common: frozenset[str]) -> bool:
    if _is_credit(line) or _is_slug(line) or _is_prompt(line):
        return True
    return _norm(line) in common and not _is_prose(line)


def _tail(units: Sequence[str], common: frozenset[str]) -> tuple[int, list[str], str | None]:
    """Where the furniture after the last story paragraph starts, with its byline and date.

    Walks back from the end over footer-shaped lines and stops at the first other line, so
    a closing story line without a full stop ends the walk too.
    """
    names: list[str] = []
    printed: str | None = None
    end = len(units)
    while end > 1:
        line = units[end - 1]
        found = _byline(line)
        if found:
            names = names or found
        elif find_printed_date([line]):
            printed = printed or line
        elif not _is_footer_shaped(line, common):
            break
        end -= 1
    return end, names, printed


def _drop_blocks(units: Sequence[str], common: frozenset[str]) -> list[str]:
    """The body without credits, prompts, lone labels and labelled runs of link titles.

    A block label ("Related articles", "More on this topic:") followed by entries among which
    are headlines is a link list; a short capitalised label right before a story paragraph is
    a section heading. A label over a list of short lines (names, scores) is story, and kept.
    """
    kept: list[str] = []
    i = 0
    while i < len(units):
        line = units[i]
        if _is_furniture(line, common):
            i += 1
            continue
        if _is_label(line, max_words=6):
            run = i + 1
            while run < len(units) and _is_link_entry(units[run]):
                run += 1
            entries = units[i + 1 : run]
            if any(_is_headline(e) for e in entries):
                i = run
                continue
            if entries:
                kept.extend(units[i:run])
                i = run
                continue
            heading = _is_all_caps(line) or _title_ratio(line) >= 0.5
            if heading and len(_words(line)) <= 4:
                i += 1
                continue
        kept.append(line)
        i += 1
    return kept


def _dateline(paragraph: str) -> str | None:
    """The place a story is filed from, as "(CITY, Country) –" or "CITY, Country —" opens it."""
    for pattern in (_DATELINE_PAREN, _DATELINE_CAPS):
        match = pattern.match(paragraph)
        if match is None:
            continue
        place = match["place"].strip()
        first = place.split(",")[0]
        if len(place.split()) <= 6 and (pattern is _DATELINE_PAREN or _is_all_caps(first)):
            return place
    return None
