"""Plain text as a scraper leaves it: split the header and the page furniture from the story.

A scraped page keeps its masthead, section labels, photo captions and credits, related-link
lists and reader prompts around the story. None of them is named here by its words: each is
told by its shape (length, closing punctuation, share of capitalised words, capitals, a
slash credit), by its place (before the first story paragraph, after the last, after a block
label) and by repetition across the files of one batch. Story paragraphs are kept whole.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storyline.read.dates import find_printed_date

__all__ = [
    "PlainText",
    "common_lines",
    "count_words",
    "is_page_furniture",
    "read_plain",
    "recurring_lines",
    "short_lines",
]

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
# Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar):
# each of their characters counts as a word, so their articles are measured in characters.
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kana, CJK ideographs
)
_WORD = re.compile(
    rf"[{_UNSPACED}]|[^\W\d_{_UNSPACED}][^\W_{_UNSPACED}]*(?:['’.-][^\W_{_UNSPACED}]+)*\.?"
)
_CLOSERS = "\"'”’»)]*」』）"
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
    r"click here|follow us|share this|cookies?|advertisement|download our|"
    r"skip to(?: the)?(?: main)? (?:content|navigation)|ads|ad-free|inbox|email)\b"
)
_READER = re.compile(r"\b(?i:you|your|you're|yours)\b")
_SITE = re.compile(r"\b(?i:we|us|our|we're)\b")
_QUOTED_SPAN = re.compile(r"[\"“][^\"”]*[\"”]")
_RUN_TOGETHER = re.compile(r"[^\W\d_]{16,}")
"""Sixteen capitals without a space: menu labels whose separators the scraper dropped."""
_SELF_NOTICE = re.compile(
    r"(?i:\bthis\s+(?:article|story|report|piece|page)\b|©|\bcopyright\b|all rights reserved)"
)
"""A closing line about the page itself: a syndication, licence or copyright notice."""
_AUTHOR_BIO = re.compile(
    r"(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+"
    r"\s+(?i:(?:is|was|are|were)\b.*\b(?:reporter|correspondent|editor|writer|journalist|"
    r"columnist|contributor|photographer|producer)s?\b"
    r"|(?:covers|reports|writes|edits)\b.*\b(?:for|on|about)\b|contributed\b)"
)
"""A writer's note: a name, then a newsroom role, a beat ("covers ... for") or a credit."""
_QUOTES = '"“”«»'
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
    return [text for text, _ in _blocked_units(raw)]


def _blocked_units(raw: str) -> list[tuple[str, bool]]:
    """`_units`, each with whether it opens a block (follows a blank line or starts the text)."""
    units: list[tuple[str, bool]] = []
    joinable = False
    opens = True
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        text = " ".join(line.split())
        if not text:
            joinable = False
            opens = True
            continue
        if joinable and units and text[0].islower() and not _ends_sentence(units[-1][0]):
            units[-1] = (f"{units[-1][0]} {text}", units[-1][1])
        else:
            units.append((text, opens))
        opens = False
        joinable = len(units[-1][0]) >= 60
    return units


def short_lines(text: str) -> frozenset[str]:
    """The short lines of one text (normalised, casefolded) that could be an outlet's furniture."""
    return frozenset(_norm(u) for u in _units(text) if len(u.split()) <= _MAX_COMMON_WORDS)


def recurring_lines(per_text: Iterable[frozenset[str]], *, min_count: int = 2) -> frozenset[str]:
    """Lines found in at least `min_count` of these per-text `short_lines` sets."""
    counts: Counter[str] = Counter()
    for lines in per_text:
        counts.update(lines)
    return frozenset(line for line, n in counts.items() if n >= min_count)


def common_lines(texts: Iterable[str], *, min_count: int = 2) -> frozenset[str]:
    """Short lines that recur in at least `min_count` of these texts (normalised, casefolded).

    An outlet's logo line or comment prompt repeats in every file from it; a story sentence
    seldom does. `read_plain` treats these lines as furniture wherever they are not prose.
    """
    return recurring_lines((short_lines(t) for t in texts), min_count=min_count)


# --- line shapes ------------------------------------------------------------------------


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def count_words(text: str) -> int:
    """How many words a text holds; in scripts written without spaces, each character is one."""
    return len(_WORD.findall(text))


def _title_ratio(line: str) -> float:
    """Share of capitalised words after the first, small words aside: high for headlines."""
    words = [w for w in _words(line)[1:] if w.lower() not in _SMALL]
    if not words:
        return 1.0 if line[:1].isupper() else 0.0
    return sum(w[0].isupper() for w in words) / len(words)


def _ends_sentence(line: str) -> bool:
    """Closes with sentence punctuation that is not the dot of an abbreviation like U.S."""
    stripped = line.rstrip(_CLOSERS + " ")
    if not stripped or stripped[-1] not in ".!?…。！？":
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
    """A reader prompt: addresses the reader about the page (subscribe, comment, share).

    A short unclosed line naming a page action ("Join the conversation: 8 comments") is one
    too, without addressing the reader.
    """
    if not _WEB_ACTION.search(line):
        return False
    if len(_words(line)) <= 8 and not _ends_sentence(line):
        return True
    return len(line.split()) <= 25 and bool(_ADDRESS.search(line))


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


def _outlet_name(name: str, raw: str) -> str:
    """An all-caps masthead ("KESTRANY TIMES") as the page spells it elsewhere, else title-cased.

    Words without a vowel (BBC, NPR) stay capitals; mixed-case names are kept as printed.
    """
    if not _is_all_caps(name):
        return name
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?!\w)"
    for match in re.finditer(pattern, raw, re.IGNORECASE):
        spelled = " ".join(match[0].split())
        if not _is_all_caps(spelled) and spelled[:1].isupper():
            return spelled
    words = []
    for i, word in enumerate(name.split()):
        lower = word.lower()
        if i and lower in _SMALL:
            words.append(lower)
        elif not re.search(r"[aeiouy]", lower):
            words.append(word)
        else:
            words.append(word[:1] + lower[1:])
    return " ".join(words)


def _is_author_line(line: str, names: Sequence[str]) -> bool:
    """A closing note on the writer: "Ana Ruiz covers transport for the Courier."

    A short closed line opening with a byline name, or with any name followed by a role
    ("is the paper's chief reporter", "covers ... for", "contributed reporting"). Quoted
    lines are story.
    """
    if len(_words(line)) > 30 or not _ends_sentence(line) or any(q in line for q in _QUOTES):
        return False
    if any(line.startswith(f"{name} ") for name in names):
        return True
    return bool(_AUTHOR_BIO.match(line))


# --- the reading --------------------------------------------------------------------------


_STAMPS = frozenset({"byline", "date"})


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
    common = common_lines
    units = _drop_captions(_blocked_units(raw), common)
    first_story = _first_story(units, common)
    header = _read_header(units[:first_story], common)
    if header.outlet is not None:
        header.outlet = _outlet_name(header.outlet, raw)
    body_units = units[first_story:]
    kept_from_header = _header_keepers(units[:first_story], header, common)
    tail_start, tail_names, tail_date = _tail(body_units, common, header.byline)
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


def _drop_captions(blocked: Sequence[tuple[str, bool]], common: frozenset[str]) -> list[str]:
    """The units without photo captions: the other line of a two-line block with a credit.

    "Families watch from the cliffs." over "Photo: A. Name/The Paper", blank lines around
    them, is a caption and its credit; the credit itself goes later, by its shape. A credit
    inside a longer block says nothing about its neighbours.
    """
    starts = [i for i, (_, opens) in enumerate(blocked) if opens] + [len(blocked)]
    drop: set[int] = set()
    for start, end in itertools.pairwise(starts):
        if end - start != 2:
            continue
        first, second = blocked[start][0], blocked[start + 1][0]
        for caption, credit, at in ((first, second, start), (second, first, start + 1)):
            if (
                _is_credit(credit)
                and not _is_credit(caption)
                and len(_words(caption)) <= 40
                and _header_role(caption, common) is None
            ):
                drop.add(at)
    return [text for i, (text, _) in enumerate(blocked) if i not in drop]


def _first_story(units: Sequence[str], common: frozenset[str]) -> int:
    """Where the story starts: the first prose unit, unless it is a headline that reads as one.

    A headline closing with "!" or "?" (or a full stop) has a sentence's shape; its place
    says otherwise when no title candidate stands above it and a byline or printed date
    follows within two lines.
    """
    at = 0
    while True:
        at = next((i for i in range(at, len(units)) if _is_prose(units[i])), len(units))
        if at >= len(units) or len(_words(units[at])) > 20:
            return at
        titled = any(len(_words(u)) >= 4 and _header_role(u, common) is None for u in units[:at])
        follows = {_header_role(u, common) for u in units[at + 1 : at + 3]}
        if titled or not follows & {"byline", "date"}:
            return at
        at += 1


def _is_self_notice(line: str) -> bool:
    """A closing note about the page: "This story first ran in ...", a copyright line."""
    if len(_words(line)) > 30 or any(q in line for q in _QUOTES):
        return False
    return bool(_SELF_NOTICE.search(line))


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
    shared: list[int] = []
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
        elif role == "common" and len(_words(line)) >= 4:
            shared.append(i)
        elif role is None:
            free.append(i)
    long_enough = [i for i in free if len(_words(lines[i])) >= 4]
    if not long_enough and shared:
        # A headline repeated in another file's related-links list is still this page's
        # title: the repeated line nearest above the byline or date holds its place.
        claimed = [i for i, u in enumerate(lines) if _header_role(u, common) in _STAMPS]
        above = [i for i in shared if not claimed or i < claimed[0]]
        long_enough = [above[-1] if above else shared[-1]]
    if not free and not long_enough:
        return header
    title_at = long_enough[0] if long_enough else max(free, key=lambda i: len(lines[i]))
    header.title = lines[title_at]
    if (
        header.outlet is None
        and free
        and free[0] == 0
        and title_at > 0
        and len(_words(lines[0])) <= 4
    ):
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


def is_page_furniture(line: str) -> bool:
    """Whether a line or sentence is page furniture by its shape alone: a credit, a slug, a
    reader prompt, the site speaking to its reader ("Your support helps us"), or a
    run-together menu (for text from pages whose lines were not cleaned)."""
    unquoted = _QUOTED_SPAN.sub(" ", line)
    if len(line.split()) <= 25 and _READER.search(unquoted) and _SITE.search(unquoted):
        return True
    return _is_furniture(line, frozenset())


def _is_furniture(line: str, common: frozenset[str]) -> bool:
    if _is_credit(line) or _is_slug(line) or _is_prompt(line):
        return True
    if any(run.group().isupper() for run in _RUN_TOGETHER.finditer(line)):
        return True
    return _norm(line) in common and not _is_prose(line)


def _tail(
    units: Sequence[str], common: frozenset[str], byline: Sequence[str] = ()
) -> tuple[int, list[str], str | None]:
    """Where the furniture after the last story paragraph starts, with its byline and date.

    Walks back from the end over footer-shaped lines, writer's notes and notices about the
    page, and stops at the first other line, so a closing story line without a full stop
    ends the walk too.
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
        elif _is_author_line(line, byline) or _is_self_notice(line):
            pass
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
