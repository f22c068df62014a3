"""Feeds: field names crawlers use, metadata kept, broken records named by line."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.read.decode import ReadError
from storyline.read.feeds import read_csv, read_json, read_jsonl
from tests.strategies import RECORDS, hostile_text


def test_jsonl_maps_fields_and_keeps_metadata() -> None:
    text = (
        '{"headline": "Dock strike", "body": "Workers walked out.", "link": "https://x.example/a",'
        ' "site": "Wire", "pubDate": "2023-11-02", "byline": "Ann Lee and Bo Chen", "lang": "en"}\n'
        "\n"
        '{"title": broken\n'
        '{"title": "no text"}\n'
        "[1, 2]\n"
    )
    first, broken, empty, array = list(read_jsonl(text))
    assert (first.title, first.text, first.url, first.outlet, first.published) == (
        "Dock strike",
        "Workers walked out.",
        "https://x.example/a",
        "Wire",
        "2023-11-02",
    )
    assert first.byline == ["Ann Lee", "Bo Chen"]
    assert first.metadata == {"lang": "en"}
    assert (broken.line, empty.line, array.line) == (3, 4, 5)
    assert broken.error is not None and "broken JSON" in broken.error
    assert empty.error is not None and "no text" in empty.error
    assert array.error is not None


def test_json_array_and_csv() -> None:
    [rec] = list(read_json('[{"content": "Text here.", "source": "Gazette", "author": ["A B"]}]'))
    assert (rec.text, rec.outlet, rec.byline) == ("Text here.", "Gazette", ["A B"])
    with pytest.raises(ReadError):
        list(read_json("{oops"))
    rows = list(read_csv('title,text,date\nOne,"Body, with comma",2024-01-02\nTwo,,\n'))
    assert rows[0].title == "One" and rows[0].text == "Body, with comma" and rows[0].line == 2
    assert rows[1].error is not None and rows[1].line == 3


def _records_or_read_error(records: Iterator[object]) -> None:
    """Consume a reader: records, error records and ReadError are fine, nothing else is."""
    with contextlib.suppress(ReadError):
        list(records)


@given(st.lists(RECORDS, max_size=4), st.booleans())
def test_any_json_records_read_without_crashing(records: list[dict[str, Any]], ascii: bool) -> None:
    lines = [json.dumps(r, ensure_ascii=ascii) for r in records]
    _records_or_read_error(read_jsonl("\n".join(lines)))
    _records_or_read_error(read_json(json.dumps(records, ensure_ascii=ascii)))


@given(hostile_text(300) | st.integers(0, 3000).map(lambda n: "[{" * n + "}]" * n))
def test_any_text_as_a_feed_raises_only_read_errors(text: str) -> None:
    _records_or_read_error(read_jsonl(text))
    _records_or_read_error(read_json(text))
    _records_or_read_error(read_csv(text, max_field=1000))
