"""Crawler exports: JSON Lines, JSON arrays and CSV, one article per record."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from storyline.config import Config
from storyline.read.decode import ReadError

__all__ = [
    "FeedRecord",
    "check_depth",
    "read_csv",
    "read_json",
    "read_jsonl",
    "record_from_mapping",
]

_DEPTH = Config.max_json_depth
_CSV_FIELD = Config.max_csv_field
# A JSON string (skipped whole, so brackets inside it do not count) or one bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')

# Each article field and the names crawlers give it, first match wins.
FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site"),
    "published": ("published", "date", "pubDate"),
    "byline": ("author", "byline", "authors"),
}


@dataclass
class FeedRecord:
    """One record of a feed, or the error that kept it from being one; `line` is 1-based."""

    line: int
    text: str = ""
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    byline: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def _byline(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if not value:
        return []
    parts = str(value).replace(" and ", ",").replace(";", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def record_from_mapping(data: Mapping[str, Any], *, line: int) -> FeedRecord:
    """Map a record's fields by their usual names; everything else is kept as metadata."""
    lowered = {k.lower(): k for k in data}
    found: dict[str, Any] = {}
    used: set[str] = set()
    for name, aliases in FIELDS.items():
        for alias in aliases:
            key = lowered.get(alias.lower())
            if key is not None and data[key] not in (None, ""):
                found[name] = data[key]
                used.add(key)
                break
    text = _text(found.get("text"))
    if not text:
        return FeedRecord(line=line, error="record has no text (fields text, body or content)")
    return FeedRecord(
        line=line,
        text=text,
        title=_text(found.get("title")),
        url=_text(found.get("url")),
        outlet=_text(found.get("outlet")),
        published=_text(found.get("published")),
        byline=_byline(found.get("byline")),
        metadata={k: v for k, v in data.items() if k not in used},
    )


def check_depth(text: str, *, limit: int = _DEPTH) -> None:
    """Refuse JSON nested deeper than `limit` before parsing it (the parser recurses per level)."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > limit:
                raise ReadError(f"JSON nested deeper than {limit} levels (max_json_depth)")
        elif mark in "]}":
            depth -= 1


def _loads(text: str, *, depth: int) -> Any:
    check_depth(text, limit=depth)
    return json.loads(text)


def read_jsonl(text: str, *, depth: int = _DEPTH) -> Iterator[FeedRecord]:
    """Records of a JSON Lines file; a broken line becomes an error record and the rest go on.

    Lines end at a newline only: U+2028 or U+0085 inside a string is text, not a line break.
    """
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            data = _loads(raw, depth=depth)
        except json.JSONDecodeError as exc:
            yield FeedRecord(line=number, error=f"broken JSON ({exc.msg} at column {exc.colno})")
            continue
        except ReadError as exc:
            yield FeedRecord(line=number, error=str(exc))
            continue
        if not isinstance(data, dict):
            yield FeedRecord(line=number, error="a JSON line that is not an object")
            continue
        yield record_from_mapping(data, line=number)


def read_json(text: str, *, depth: int = _DEPTH) -> Iterator[FeedRecord]:
    """Records of a JSON array (or a single object) of articles."""
    try:
        data = _loads(text, depth=depth)
    except json.JSONDecodeError as exc:
        raise ReadError(f"broken JSON ({exc.msg} at line {exc.lineno})") from None
    items = data if isinstance(data, list) else [data]
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield record_from_mapping(item, line=number)
        else:
            yield FeedRecord(line=number, error="an array item that is not an object")


def read_csv(text: str, *, max_field: int = _CSV_FIELD) -> Iterator[FeedRecord]:
    """Records of a CSV file with a header row; `line` is the record's line in the file.

    A cell longer than `max_field` characters ends the file with an error naming its line
    (the csv module's limit is process-wide, so it is set here, explicitly, on every call).
    """
    csv.field_size_limit(max_field)
    reader = csv.DictReader(io.StringIO(text))
    try:
        if not reader.fieldnames:
            raise ReadError("CSV file without a header row")
        for row in reader:
            line = reader.line_num
            if None in row:
                yield FeedRecord(line=line, error="more cells than header columns")
                continue
            yield record_from_mapping(row, line=line)
    except csv.Error as exc:
        reason = str(exc)
        if "field larger" in reason:
            reason = f"a cell longer than {max_field} characters (max_csv_field)"
        raise ReadError(f"line {reader.line_num + 1}: {reason}") from None
