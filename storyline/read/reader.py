"""From paths to `Article` records: expanding paths, choosing a reader per format, naming problems.

A problem with one file or record never stops the batch: it is yielded as a `Problem`
naming the place and the reason, and the caller reports it. Files are read one at a time,
so a batch costs the memory of its largest file, not of all of them.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import os
import stat
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html

from storyline.config import Config
from storyline.read.clean import common_lines, read_plain, short_lines
from storyline.read.dates import find_printed_date, read_published
from storyline.read.decode import ReadError, decode_bytes, gunzip, plain_string
from storyline.read.feeds import FeedRecord, read_csv, read_json, read_jsonl
from storyline.read.html import read_html
from storyline.read.language import detect_language
from storyline.records import Article

__all__ = [
    "Limits",
    "Problem",
    "Skipped",
    "Window",
    "article_from_record",
    "article_id",
    "expand_paths",
    "read_page",
    "read_paths",
    "short_lines_of",
    "too_long",
]

Window = tuple[dt.date, dt.date]
_TEXT = {".txt", ".md", ".text", ""}
_HTML = {".html", ".htm", ".xhtml"}
_FEEDS = {".jsonl", ".ndjson", ".json", ".csv"}
_KNOWN = _TEXT | _HTML | _FEEDS | {".gz"}


@dataclass(frozen=True)
class Problem:
    """Something that could not be read: where (file, and line for feeds) and why.

    `article` is the text as found where a reader failed on it unexpectedly: it is stored
    with the failure recorded, so it is listed and a later version may read it again.
    """

    source: str
    reason: str
    article: Article | None = None

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class Skipped(Problem):
    """A file in a folder that was not read on purpose (hidden, or a format no reader takes)."""


@dataclass(frozen=True)
class Limits:
    """What one file may cost: its size, its article text, its JSON nesting, its CSV cells."""

    max_bytes: int = Config.max_file_bytes
    max_text_chars: int = Config.max_text_chars
    max_json_depth: int = Config.max_json_depth
    max_csv_field: int = Config.max_csv_field

    @classmethod
    def of(cls, config: Config) -> Limits:
        """The limits a configuration sets."""
        return cls(
            config.max_file_bytes,
            config.max_text_chars,
            config.max_json_depth,
            config.max_csv_field,
        )


@dataclass
class _Loaded:
    source: str
    kind: str
    text: str
    common: frozenset[str] = field(default_factory=frozenset)


def article_id(text: str) -> str:
    """A stable id from the content: the same article read twice gets the same id.

    Spacing, case and Unicode composition are normalized; punctuation is kept, since a moved
    comma or a closing quote can change what a text says.
    """
    normal = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return hashlib.sha256(normal.encode("utf-8", "replace")).hexdigest()[:16]


def expand_paths(paths: Sequence[str]) -> Iterator[str | Problem]:
    """Files as given, directories recursively, globs; '-' is stdin.

    In a directory, files with a known extension or none are read; every other file, and every
    hidden file or folder, is yielded as `Skipped` with the reason, never passed over silently.
    """
    for given in paths:
        if given == "-":
            yield given
        elif os.path.isdir(given):
            yield from _walk(given)
        elif os.path.exists(given) or os.path.islink(given):
            yield given
        elif any(c in given for c in "*?["):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                yield Problem(given, "no file matches this pattern")
            yield from matches
        else:
            yield Problem(given, "no such file or directory")


def _walk(folder: str) -> Iterator[str | Problem]:
    unreadable: list[OSError] = []
    found: list[str | Problem] = []
    for root, dirs, files in os.walk(folder, onerror=unreadable.append):
        for hidden in sorted(d for d in dirs if d.startswith(".")):
            found.append(Skipped(str(Path(root) / hidden), "hidden folder, not read"))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = str(Path(root) / name)
            if name.startswith("."):
                found.append(Skipped(path, "hidden file, not read"))
            elif _suffix(name) not in _KNOWN:
                found.append(Skipped(path, f"unknown extension {_suffix(name)}, not read"))
            else:
                found.append(path)
    for exc in unreadable:
        yield Problem(exc.filename or folder, f"directory not readable ({exc.strerror})")
    yield from sorted(found, key=lambda f: f if isinstance(f, str) else f.source)


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


def _kind(name: str, text: str) -> str:
    suffix = _suffix(name)
    if suffix in _HTML:
        return "html"
    if suffix in _FEEDS:
        return suffix
    if suffix in _TEXT:
        return "text"
    start = text.lstrip()[:1]
    if start == "<":
        return "html"
    if start == "{":
        return ".jsonl"
    if start == "[":
        return ".json"
    return "text"


def _load(source: str, *, limit: int) -> _Loaded:
    """One file's text; anything that goes wrong is a `ReadError` naming the reason."""
    if source == "-":
        data = sys.stdin.buffer.read(limit + 1)
        name = "stdin"
    else:
        data = _read_file(source, limit=limit)
        name = source
    if len(data) > limit:
        raise ReadError(f"input larger than the {limit // (1024 * 1024)} MiB limit")
    if name.lower().endswith(".gz") or data[:2] == b"\x1f\x8b":
        data = gunzip(data, limit=limit)
        name = name[:-3] if name.lower().endswith(".gz") else name
    text = _decode(data)
    return _Loaded(source=source, kind=_kind(name, text), text=text)


def _decode(data: bytes) -> str:
    """Bytes as text with Unix line ends."""
    return decode_bytes(data).replace("\r\n", "\n").replace("\r", "\n")


def _read_file(source: str, *, limit: int) -> bytes:
    """A regular file's bytes; FIFOs, sockets and devices are refused without being opened."""
    try:
        info = os.stat(source)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(f"not a regular file ({_file_type(info.st_mode)}), not opened")
        if info.st_size > limit:
            raise ReadError(f"file larger than the {limit // (1024 * 1024)} MiB limit")
        with open(source, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ReadError("not a regular file, not read")  # swapped after the check
            return handle.read(limit + 1)
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as exc:
        raise ReadError((exc.strerror or str(exc)).lower()) from None


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "a special file"


def _may_be_plain(source: str) -> bool:
    """Whether a path may hold plain text (feeds and pages never do), before reading it."""
    name = source[:-3] if source.lower().endswith(".gz") else source
    return _suffix(name) not in _HTML and _suffix(name) not in _FEEDS


def _unexpected(exc: Exception) -> str:
    """The reason for a failure no reader foresaw: its kind and message, kept to one line."""
    message = " ".join(str(exc).split())[:200]
    return f"could not be read ({type(exc).__name__}{': ' + message if message else ''})"


def short_lines_of(source: str, *, limits: Limits = Limits()) -> frozenset[str]:
    """`short_lines` of one plain-text file; empty for other formats and unreadable files.

    Lets a batch's common lines be gathered file by file (on separate workers) and handed
    to `read_paths` as `common`, giving each file the evidence a whole-batch read gives it.
    """
    if source == "-" or not _may_be_plain(source):
        return frozenset()
    try:
        loaded = _load(source, limit=limits.max_bytes)
    except Exception:  # reported when the file is read for its articles
        return frozenset()
    return short_lines(loaded.text) if loaded.kind == "text" else frozenset()


def read_paths(
    paths: Sequence[str],
    *,
    window: Window | None = None,
    limits: Limits = Limits(),
    common: frozenset[str] | None = None,
) -> Iterator[Article | Problem]:
    """Every article in these paths, in order, with a `Problem` for each thing that failed.

    Lines repeated across a batch's plain-text files are boilerplate evidence (logos, labels),
    so those files are read twice: once for their lines, once for their articles. `common`
    gives those lines instead, when these paths are a part of a larger batch.
    """
    items = list(expand_paths(paths))
    stdin: list[_Loaded] = []

    def load(source: str) -> _Loaded:
        if source != "-":
            return _load(source, limit=limits.max_bytes)
        if not stdin:
            stdin.append(_load(source, limit=limits.max_bytes))
        return stdin[0]

    def plain_texts() -> Iterator[str]:
        for source in items:
            if isinstance(source, str) and _may_be_plain(source):
                try:
                    loaded = load(source)
                except Exception:  # reported when the file is read for its articles
                    continue
                if loaded.kind == "text":
                    yield loaded.text

    shared = common if common is not None else common_lines(plain_texts())
    for item in items:
        if isinstance(item, Problem):
            yield item
            continue
        try:
            file = load(item)
        except ReadError as exc:
            yield Problem(item, str(exc))
            continue
        except Exception as exc:
            yield Problem(item, _unexpected(exc))
            continue
        file.common = shared
        yield from _articles(file, window=window, limits=limits)


def read_page(
    data: bytes, *, url: str, window: Window | None = None, limits: Limits = Limits()
) -> Article | Problem:
    """A page fetched from `url`, read as a saved HTML file is; the URL is its source."""
    try:
        text = _decode(data)
    except ReadError as exc:
        return Problem(url, str(exc))
    [item] = _articles(_Loaded(source=url, kind="html", text=text), window=window, limits=limits)
    return item


def _articles(
    item: _Loaded, *, window: Window | None, limits: Limits
) -> Iterator[Article | Problem]:
    try:
        if item.kind == "text":
            yield _from_plain(item, window=window, limits=limits)
        elif item.kind == "html":
            yield _from_html(item, window=window, limits=limits)
        else:
            yield from _from_feed(item, window=window, limits=limits)
    except ReadError as exc:
        yield Problem(item.source, str(exc))
    except Exception as exc:  # one file's surprise must not stop the batch
        text = _page_text(item.text) if item.kind == "html" else item.text
        kept = _as_found(item.source, text, item.text, item.kind, limits)
        yield Problem(item.source, _unexpected(exc), kept)


def _from_plain(item: _Loaded, *, window: Window | None, limits: Limits) -> Article:
    if len(item.text) > 2 * limits.max_text_chars:
        raise ReadError(too_long(len(item.text), limits.max_text_chars))
    plain = read_plain(item.text, common_lines=item.common)
    if not plain.body.strip():
        raise ReadError("no article text after removing boilerplate")
    return _article(
        source=item.source,
        text=plain.body,
        raw=item.text,
        fmt="text",
        printed=plain.printed_date,
        window=window,
        max_chars=limits.max_text_chars,
        title=plain.title,
        outlet=plain.outlet,
        byline=plain.byline,
        dateline=plain.dateline,
    )


def _from_html(item: _Loaded, *, window: Window | None, limits: Limits) -> Article:
    page = read_html(item.text, url=item.source if "://" in item.source else None)
    return _article(
        source=item.source,
        text=page.text,
        raw=item.text,
        fmt="html",
        printed=page.published,
        window=window,
        max_chars=limits.max_text_chars,
        title=page.title,
        url=page.url,
        outlet=page.outlet,
        byline=page.byline,
    )


def _from_feed(
    item: _Loaded, *, window: Window | None, limits: Limits
) -> Iterator[Article | Problem]:
    records: Iterable[FeedRecord]
    if item.kind == ".csv":
        records = read_csv(item.text, max_field=limits.max_csv_field)
    elif item.kind == ".json":
        records = read_json(item.text, depth=limits.max_json_depth)
    else:
        records = read_jsonl(item.text, depth=limits.max_json_depth)
    for record in records:
        where = f"{item.source}:{record.line}"
        if record.error:
            yield Problem(where, record.error)
            continue
        try:
            yield article_from_record(
                record,
                source=where,
                fmt=item.kind.lstrip("."),
                window=window,
                max_chars=limits.max_text_chars,
            )
        except ReadError as exc:
            yield Problem(where, str(exc))
        except Exception as exc:
            kept = _as_found(where, record.text, record.text, item.kind, limits, record.title)
            yield Problem(where, _unexpected(exc), kept)


def article_from_record(
    record: FeedRecord,
    *,
    source: str,
    fmt: str,
    window: Window | None = None,
    max_chars: int = Limits.max_text_chars,
) -> Article:
    """An Article from one feed or API record, its printed date read like any other.

    Crawlers often leave the page's date line under the headline inside the text; with no
    `published` field, that line is the printed date. A text over `max_chars` is a ReadError.
    """
    if len(record.text) > max_chars:
        raise ReadError(too_long(len(record.text), max_chars))
    printed = record.published or find_printed_date(record.text.split("\n")[:4])
    return _article(
        source=source,
        text=record.text,
        raw=record.text,
        fmt=fmt,
        printed=printed,
        window=window,
        max_chars=max_chars,
        title=record.title,
        url=record.url,
        outlet=record.outlet,
        byline=record.byline,
        extra=record.metadata,
    )


def _article(
    *,
    source: str,
    text: str,
    raw: str,
    fmt: str,
    printed: str | None,
    window: Window | None,
    max_chars: int,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    byline: list[str] | None = None,
    dateline: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Article:
    """The one place an Article is made from what a reader found: id from text, date from print.

    Strings are made storable here (no NUL, no lone surrogate), whichever reader found them.
    """
    text = plain_string(text)
    if len(text) > max_chars:
        raise ReadError(too_long(len(text), max_chars))
    return Article(
        id=article_id(text),
        source=source,
        text=text,
        raw=plain_string(raw),
        title=_plain(title),
        url=_plain(url),
        outlet=_plain(outlet),
        byline=[plain_string(name) for name in byline or []],
        dateline=_plain(dateline),
        published=read_published(_plain(printed), text=text, url=_plain(url), window=window),
        metadata=_plain_values({"format": fmt, **(extra or {})}),
        language=detect_language(text),
    )


def _as_found(
    source: str, text: str, raw: str, kind: str, limits: Limits, title: str | None = None
) -> Article | None:
    """The text as found, undated and uncleaned, for a reader that failed on it; None when
    there is no text to keep or too much of it."""
    text = plain_string(text).strip()
    if not text or len(text) > limits.max_text_chars:
        return None
    found = Article(article_id(text), source, text, plain_string(raw), title=_plain(title))
    found.metadata["format"] = kind.lstrip(".")
    return found


def _page_text(html: str) -> str:
    """A page's visible text without the extractor: its markup, scripts and styles dropped."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    lxml.etree.strip_elements(tree, "script", "style", with_tail=False)
    return "\n".join(line.strip() for line in tree.text_content().splitlines() if line.strip())


def too_long(length: int, limit: int) -> str:
    """Why a text is refused: its length over the max_text_chars limit."""
    return f"text of {length:,} characters, over the {limit:,} limit (max_text_chars)"


def _plain(value: str | None) -> str | None:
    return None if value is None else plain_string(value)


def _plain_values(data: dict[str, Any]) -> dict[str, Any]:
    """Metadata with every string, key or value at any depth, made storable."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return plain_string(value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {plain_string(str(k)): clean(v) for k, v in value.items()}
        return value

    return {plain_string(k): clean(v) for k, v in data.items()}
