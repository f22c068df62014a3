"""From paths to `Article` records: expanding paths, choosing a reader per format, naming problems.

A problem with one file or record never stops the batch: it is yielded as a `Problem`
naming the place and the reason, and the caller reports it.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.read.clean import common_lines, read_plain
from storyline.read.dates import find_printed_date, read_published
from storyline.read.decode import ReadError, decode_bytes, gunzip
from storyline.read.feeds import FeedRecord, read_csv, read_json, read_jsonl
from storyline.read.html import read_html
from storyline.records import Article

__all__ = ["Problem", "article_from_record", "article_id", "expand_paths", "read_paths"]

Window = tuple[dt.date, dt.date]
_TEXT = {".txt", ".md", ".text", ""}
_HTML = {".html", ".htm", ".xhtml"}
_FEEDS = {".jsonl": read_jsonl, ".ndjson": read_jsonl, ".json": read_json, ".csv": read_csv}
_KNOWN = _TEXT | _HTML | set(_FEEDS) | {".gz"}


@dataclass(frozen=True)
class Problem:
    """Something that could not be read: where (file, and line for feeds) and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class _Loaded:
    source: str
    kind: str
    text: str
    common: frozenset[str] = field(default_factory=frozenset)


def article_id(text: str) -> str:
    """A stable id from the normalized content: the same article read twice gets the same id."""
    normal = " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def expand_paths(paths: Sequence[str]) -> Iterator[str | Problem]:
    """Files as given, directories recursively (known formats only), globs; '-' is stdin."""
    for given in paths:
        if given == "-":
            yield given
        elif os.path.isdir(given):
            found = sorted(
                str(Path(root) / name)
                for root, _dirs, files in os.walk(given)
                for name in files
                if not name.startswith(".") and _suffix(name) in _KNOWN
            )
            yield from found
        elif os.path.exists(given) or os.path.islink(given):
            yield given
        elif any(c in given for c in "*?["):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                yield Problem(given, "no file matches this pattern")
            yield from matches
        else:
            yield Problem(given, "no such file or directory")


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
    if source == "-":
        data = sys.stdin.buffer.read(limit + 1)
        name = "stdin"
    else:
        try:
            if os.path.getsize(source) > limit:
                raise ReadError(f"file larger than the {limit // (1024 * 1024)} MiB limit")
            data = Path(source).read_bytes()
        except PermissionError:
            raise ReadError("permission denied") from None
        except IsADirectoryError:
            raise ReadError("is a directory") from None
        except OSError as exc:
            raise ReadError(exc.strerror or str(exc)) from None
        name = source
    if len(data) > limit:
        raise ReadError(f"input larger than the {limit // (1024 * 1024)} MiB limit")
    if name.lower().endswith(".gz") or data[:2] == b"\x1f\x8b":
        data = gunzip(data, limit=limit)
        name = name[:-3] if name.lower().endswith(".gz") else name
    text = decode_bytes(data).replace("\r\n", "\n").replace("\r", "\n")
    return _Loaded(source=source, kind=_kind(name, text), text=text)


def read_paths(
    paths: Sequence[str], *, window: Window | None = None, max_bytes: int = 50 * 1024 * 1024
) -> Iterator[Article | Problem]:
    """Every article in these paths, in order, with a `Problem` for each thing that failed."""
    loaded: list[_Loaded] = []
    for item in expand_paths(paths):
        if isinstance(item, Problem):
            yield item
            continue
        try:
            loaded.append(_load(item, limit=max_bytes))
        except ReadError as exc:
            yield Problem(item, str(exc))
    # Lines repeated across a batch's plain-text files are boilerplate evidence (logos, labels).
    shared = common_lines(x.text for x in loaded if x.kind == "text")
    for file in loaded:
        file.common = shared
        yield from _articles(file, window=window)


def _articles(item: _Loaded, *, window: Window | None) -> Iterator[Article | Problem]:
    try:
        if item.kind == "text":
            yield _from_plain(item, window=window)
        elif item.kind == "html":
            yield _from_html(item, window=window)
        else:
            yield from _from_feed(item, window=window)
    except ReadError as exc:
        yield Problem(item.source, str(exc))


def _from_plain(item: _Loaded, *, window: Window | None) -> Article:
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
        title=plain.title,
        outlet=plain.outlet,
        byline=plain.byline,
        dateline=plain.dateline,
    )


def _from_html(item: _Loaded, *, window: Window | None) -> Article:
    page = read_html(item.text)
    return _article(
        source=item.source,
        text=page.text,
        raw=item.text,
        fmt="html",
        printed=page.published,
        window=window,
        title=page.title,
        url=page.url,
        outlet=page.outlet,
        byline=page.byline,
    )


def _from_feed(item: _Loaded, *, window: Window | None) -> Iterator[Article | Problem]:
    reader = _FEEDS[item.kind]
    records: Iterable[FeedRecord] = reader(item.text)
    for record in records:
        where = f"{item.source}:{record.line}"
        if record.error:
            yield Problem(where, record.error)
            continue
        yield article_from_record(record, source=where, fmt=item.kind.lstrip("."), window=window)


def article_from_record(
    record: FeedRecord, *, source: str, fmt: str, window: Window | None = None
) -> Article:
    """An Article from one feed or API record, its printed date read like any other.

    Crawlers often leave the page's date line under the headline inside the text; with no
    `published` field, that line is the printed date.
    """
    printed = record.published or find_printed_date(record.text.splitlines()[:4])
    return _article(
        source=source,
        text=record.text,
        raw=record.text,
        fmt=fmt,
        printed=printed,
        window=window,
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
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    byline: list[str] | None = None,
    dateline: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Article:
    """The one place an Article is made from what a reader found: id from text, date from print."""
    return Article(
        id=article_id(text),
        source=source,
        text=text,
        raw=raw,
        title=title,
        url=url,
        outlet=outlet,
        byline=list(byline or []),
        dateline=dateline,
        published=read_published(printed, text=text, url=url, window=window),
        metadata={"format": fmt, **(extra or {})},
    )
