"""build_timeline over a real SQLite store, and every renderer over its result."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from storyline.records import Event, EventDetails
from storyline.store.sqlite import SQLiteStore
from storyline.tell.render.html import embed_json
from storyline.tell.timeline import FORMATS, Timeline, build_timeline, render

from .conftest import HOSTILE


def test_events_in_date_order_with_undated_apart(store: SQLiteStore) -> None:
    timeline = build_timeline(store)
    assert [e.id for e in timeline.events] == ["ev-reis", "ev-vote"]
    assert [e.id for e in timeline.undated] == ["ev-rates"]
    assert all(e.headline and e.details.sources for e in timeline.events + timeline.undated)
    assert set(timeline.storylines) == {"s1"}
    assert set(timeline.articles) == {"a1", "a2", "a3", "a4", "a5"}
    assert timeline.filters == {}


def test_storyline_filter_by_id_or_title(store: SQLiteStore) -> None:
    timeline = build_timeline(store, storyline="s1")
    assert [e.id for e in timeline.events] == ["ev-reis", "ev-vote"]
    assert timeline.undated == [] and timeline.title == "Varga and Reis"
    assert build_timeline(store, storyline="varga and reis").filters == {"storyline": "s1"}
    with pytest.raises(ValueError, match="no storyline"):
        build_timeline(store, storyline="nope")


def test_entity_filter_matches_names_and_aliases_ignoring_case(store: SQLiteStore) -> None:
    assert [e.id for e in build_timeline(store, entity="marek doll").events] == ["ev-vote"]
    assert [e.id for e in build_timeline(store, entity="REIS").events] == ["ev-reis"]
    # Varga is quoted at the vote and named (not a main participant) in a Reis article
    both = build_timeline(store, entity="Premier Varga")
    assert [e.id for e in both.events] == ["ev-reis", "ev-vote"]
    assert build_timeline(store, entity="Nobody").events == []


def test_query_filter_uses_full_text_search(store: SQLiteStore) -> None:
    timeline = build_timeline(store, query="interest rates")
    assert timeline.events == [] and [e.id for e in timeline.undated] == ["ev-rates"]
    assert set(timeline.articles) == {"a5"}
    combined = build_timeline(store, storyline="s1", query="governorship")
    assert [e.id for e in combined.events] == ["ev-reis"]


def test_events_are_shown_as_stored_never_described_on_read(store: SQLiteStore) -> None:
    stored = store.events()
    told = replace(stored[0], headline="Already told")
    untold = replace(stored[1], headline=None, summary=None, details=EventDetails())
    store.replace_events([told, untold, *stored[2:]], store.storylines())
    shown = {e.id: e for e in (lambda t: t.events + t.undated)(build_timeline(store))}
    assert shown[told.id].headline == "Already told"
    assert shown[untold.id].headline is None and not shown[untold.id].details.described
    assert render(build_timeline(store), format="json")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_every_event(store: SQLiteStore, fmt: str) -> None:
    out = render(build_timeline(store), format=fmt)
    for headline in ("Reis declares himself governor of Oria", "Rates held"):
        assert headline in out
    assert out.index("Reis declares") < out.index("wins confidence vote") < out.index("Rates held")


def test_text_and_markdown_shapes(store: SQLiteStore) -> None:
    timeline = build_timeline(store)
    text = render(timeline, format="text")
    assert "Undated" in text and "2024-02-10  Reis declares" in text
    assert "“embattled premier”" in text
    markdown = render(timeline, format="markdown")
    assert markdown.startswith("# Timeline\n")
    assert "| Person | Coast Wire | Daily Ledger |" in markdown
    assert "## Undated" in markdown
    assert HOSTILE not in markdown and "&lt;script&gt;" in markdown
    assert "javascript:" not in markdown


def test_json_is_the_shared_view(store: SQLiteStore) -> None:
    data = json.loads(render(build_timeline(store), format="json"))
    assert [e["id"] for e in data["events"]] == ["ev-reis", "ev-vote"]
    assert data["range"] == {"first": "2024-02-10", "last": "2024-03-05"}
    assert data["undated"][0]["id"] == "ev-rates"
    vote = data["events"][1]
    assert vote["framing"]["Ilona Varga"]["Daily Ledger"][0]["text"] == "Prime Minister"
    assert vote["quotes"]["Marek Doll"][0]["article"] == "a2"
    assert data["storylines"][0]["id"] == "s1"


def test_html_is_one_self_contained_escaped_file(store: SQLiteStore) -> None:
    html = render(build_timeline(store), format="html")
    assert html.startswith("<!DOCTYPE html>")
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<link" not in html and not re.search(r"\ssrc=", html)
    assert not re.search(r"url\(\s*['\"]?http", html)
    assert html.count("<script") == 2  # the data and the page script, nothing else
    data = re.search(
        r'<script type="application/json" id="timeline-data">(.*?)</script>', html, re.S
    )
    assert data is not None and "<" not in data[1] and "\\u003cscript\\u003e" in data[1]
    assert json.loads(data[1])["events"][0]["id"] == "ev-reis"
    for anchor in ("ev-0", "ev-1", "un-0"):
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
    assert "embattled premier" in html and "How each outlet names them" in html


def test_embed_json_escapes_script_breakers() -> None:
    text = str(embed_json({"t": "</script><!-- & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script><!-- & \u2028"}


def test_empty_timeline_renders_and_bad_format_fails() -> None:
    empty = Timeline(title="Nothing", events=[])
    for fmt in FORMATS:
        assert "Nothing" in render(empty, format=fmt)
    assert "No events match." in render(empty, format="html")
    with pytest.raises(ValueError, match="unknown format"):
        render(empty, format="pdf")


def test_coarse_and_odd_dates_still_render() -> None:
    from storyline.records import EventDate

    events = [
        Event("y", [], EventDate("2023", "year", "in 2023", "a"), headline="Year only"),
        Event("m", [], EventDate("2023-05", "month", "in May", "a"), headline="Month only"),
        Event("w", [], EventDate("2023-W20", "week", "that week", "a"), headline="Week"),
    ]
    html = render(Timeline(title="Coarse", events=events), format="html")
    assert "2023-05 (month)" in html and "Year only" in html
