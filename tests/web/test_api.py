"""The JSON API in-process: envelopes, fields shared with the CLI, cursors, filters, writes."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from storyline.store.sqlite import SQLiteStore
from storyline.tell.views import article_summary, entity_view, event_view, quote_view
from storyline.web import query
from storyline.web.query import encode_cursor
from tests.web.conftest import EVIL_TITLE, TOKEN, at, make_client

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def ids(client: TestClient, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def walk(client: TestClient, path: str) -> Iterator[dict[str, Any]]:
    """Every item of a listing, one page of one item at a time, following `next`."""
    sep = "&" if "?" in path else "?"
    cursor: str | None = ""
    while cursor is not None:
        page = client.get(f"{path}{sep}limit=1" + (f"&cursor={cursor}" if cursor else "")).json()
        assert len(page["items"]) <= 1
        yield from page["items"]
        cursor = page["next"]


@pytest.mark.parametrize(
    "path", ["/api/articles", "/api/events", "/api/storylines", "/api/entities", "/api/quotes"]
)
def test_listings_answer_items_total_next(client: TestClient, path: str) -> None:
    body = client.get(path).json()
    assert set(body) == {"items", "total", "next", "exact"}
    assert body["items"] and body["total"] == len(body["items"]) and body["next"] is None
    assert body["exact"] is True


def test_items_carry_the_clis_fields(client: TestClient, db: Path) -> None:
    with SQLiteStore(db) as store:
        articles = [article_summary(a) for a in store.articles()]
        events = [event_view(e) for e in store.events()]
        entities = [entity_view(e) for e in store.entities()]
        quotes = [quote_view(q) for q in store.quotes()]
    assert client.get("/api/articles").json()["items"] == articles
    assert client.get("/api/events").json()["items"] == events
    assert client.get("/api/entities").json()["items"] == entities
    assert client.get("/api/quotes").json()["items"] == quotes


@pytest.mark.parametrize("path", ["/api/articles", "/api/events", "/api/entities", "/api/quotes"])
def test_cursors_walk_every_item_once(client: TestClient, path: str) -> None:
    everything = ids(client, path)
    assert [item["id"] for item in walk(client, path)] == everything
    assert client.get(f"{path}?limit=2").json()["total"] == len(everything)


@pytest.mark.parametrize("path", ["/api/articles", "/api/events", "/api/entities", "/api/quotes"])
def test_totals_are_counted_a_bounded_way_past_the_page(
    client: TestClient, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = ids(client, path)
    monkeypatch.setattr(query, "COUNT_AHEAD", 1)
    first = client.get(f"{path}?limit=1").json()
    assert (first["total"], first["exact"]) == (2, False) and first["next"]
    last = client.get(f"{path}?limit=1&cursor={encode_cursor(len(everything) - 2)}").json()
    assert (last["total"], last["exact"]) == (len(everything), True)
    # Paging on past the counted total still reaches every item.
    assert [item["id"] for item in walk(client, path)] == everything


def test_cursor_walk_with_a_filter(client: TestClient) -> None:
    walked = [a["id"] for a in walk(client, "/api/articles?outlet=springfield%20gazette")]
    assert walked == ["a1", "a4"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=501",
        "cursor=not-ours",
        "cursor=" + base64.urlsafe_b64encode(b"o:" + b"9" * 40).decode(),  # past any index
        "cursor=" + base64.urlsafe_b64encode("o:\u00b2".encode()).decode(),  # a digit int() refuses
        "from=March",
        "to=2021-3-1",
    ],
)
def test_bad_paging_and_dates_are_errors(client: TestClient, query: str) -> None:
    for path in ("/api/events", "/api/articles"):
        assert client.get(f"{path}?{query}").status_code in {400, 422}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/articles?outlet=Springfield%20Gazette", ["a1", "a4"]),
        ("/api/articles?from=2021-03-03&to=2021-03-31", ["a2", "a3"]),
        ("/api/articles?entity=e-lee", ["a1", "a2", "a4"]),
        ("/api/articles?storyline=sl-budget", ["a1", "a2", "a4"]),
        ("/api/events?entity=e-lee", ["ev1", "ev2"]),
        ("/api/events?entity=ann%20lee", ["ev1", "ev2"]),
        ("/api/events?from=2021-04", ["ev2"]),
        ("/api/events?to=2021-03-31", ["ev1"]),
        ("/api/events?outlet=evil%20news", ["ev3"]),
        ("/api/events?storyline=sl-budget", ["ev1", "ev2"]),
        ("/api/events?entity=nobody", []),
        ("/api/storylines?entity=e-lee", ["sl-budget"]),
        ("/api/storylines?from=2022-01-01", []),
        ("/api/entities?outlet=Evil%20News", ["e-mal"]),
        ("/api/quotes?entity=e-mal", [f"a3:{at('a3', '<b>Not bold</b>')[0]}"]),
        ("/api/quotes?outlet=Shelbyville%20Times", [f"a2:{at('a2', 'It is a fair plan,')[0]}"]),
    ],
)
def test_filters(client: TestClient, path: str, expected: list[str]) -> None:
    assert sorted(ids(client, path)) == expected


def test_quotes_by_speaker(client: TestClient) -> None:
    names = {q["speaker"]["name"] for q in client.get("/api/quotes?speaker=lee").json()["items"]}
    assert names == {"Ann Lee"}


def test_one_record_each(client: TestClient) -> None:
    article = client.get("/api/articles/a1").json()
    assert article["title"] == "Council passes budget"
    assert {m["entity"]["entity_id"] for m in article["entities"]} == {"e-lee", "e-spr"}
    event = client.get("/api/events/ev1").json()
    assert event["headline"] == "Springfield council passes the budget"
    assert set(event["quotes"]) == {"Ann Lee"}
    entity = client.get("/api/entities/e-lee").json()
    assert entity["events"] == ["ev1", "ev2"]
    assert {q["article"] for q in entity["quotes"]} == {"a1", "a2"}
    for path in ["/api/articles/zz", "/api/events/zz", "/api/entities/zz"]:
        response = client.get(path)
        assert response.status_code == 404 and "zz" in response.json()["detail"]


def test_events_are_shown_as_linking_described_them(client: TestClient) -> None:
    event = client.get("/api/events/ev2").json()  # stored undescribed: never described on read
    assert event["headline"] is None and event["sources"] == [] and event["articles"] == ["a4"]


def test_search_covers_events_articles_and_quotes(client: TestClient) -> None:
    found = client.get("/api/search?q=budget").json()
    kinds = {(hit["type"], hit["id"]) for hit in found["items"]}
    assert ("event", "ev1") in kinds and ("article", "a1") in kinds
    hits = client.get("/api/search?q=fair plan").json()["items"]
    assert [(h["type"], h["id"]) for h in hits] == [
        ("article", "a2"),
        ("quote", f"a2:{at('a2', 'It is a fair plan,')[0]}"),
    ]
    assert client.get("/api/search?q=zebra").json() == {
        "items": [],
        "total": 0,
        "next": None,
        "exact": True,
    }
    assert client.get("/api/search").status_code == 422


def test_timeline_has_the_clis_json_shape_and_filters(client: TestClient) -> None:
    whole = client.get("/api/timeline").json()
    assert {"title", "filters", "range", "storylines", "events", "undated"} <= set(whole)
    assert [e["id"] for e in whole["events"]] == ["ev1", "ev2"]
    assert [e["id"] for e in whole["undated"]] == ["ev3"]
    later = client.get("/api/timeline?from=2021-04-01").json()
    assert [e["id"] for e in later["events"]] == ["ev2"] and later["filters"][
        "from"
    ] == "2021-04-01"
    assert client.get("/api/timeline?storyline=sl-budget").json()["title"] == "Springfield budget"
    assert client.get("/api/timeline?storyline=nope").status_code == 404


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in [
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/events",
        "/api/events/{event_id}",
        "/api/storylines",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/quotes",
        "/api/search",
        "/api/timeline",
    ]:
        assert path in paths
    assert "post" in paths["/api/articles"]
    assert "/" not in paths  # pages are not API


# -- writes --------------------------------------------------------------------------------
POST = {"body": "The Springfield zoo opened a new reptile house on Friday.", "title": EVIL_TITLE}


def test_writes_are_refused_without_a_configured_token(client: TestClient) -> None:
    response = client.post("/api/articles", json=POST, headers=AUTH)
    assert response.status_code == 403
    assert "STORYLINE_TOKEN" in response.json()["detail"]


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}]
)
def test_writes_need_the_right_token(writer: TestClient, headers: dict[str, str]) -> None:
    response = writer.post("/api/articles", json=POST, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_posting_an_article_stores_it_like_a_feed_record(writer: TestClient) -> None:
    record = {**POST, "author": "Ann Lee and Bo Chen", "outlet": "Zoo News", "section": "local"}
    response = writer.post("/api/articles", json=record, headers=AUTH)
    assert response.status_code == 201, response.text
    body = response.json()
    (added,) = body["added"]
    item = body["items"][0]
    assert item["title"] == EVIL_TITLE and item["byline"] == ["Ann Lee", "Bo Chen"]
    assert item["text"] == POST["body"] and item["source"] == "api:1"
    stored = writer.get(f"/api/articles/{added}").json()
    assert stored["metadata"] == {"format": "api", "section": "local"}
    again = writer.post("/api/articles", json=[record], headers=AUTH).json()
    assert again["added"] == [] and again["unchanged"] == [added]
    assert writer.get("/api/articles").json()["total"] == 5


def test_posted_records_are_checked(writer: TestClient) -> None:
    missing = writer.post("/api/articles", json={"title": "no text"}, headers=AUTH)
    assert missing.status_code == 422 and "no text" in json.dumps(missing.json())
    assert writer.post("/api/articles", json=[], headers=AUTH).status_code == 422
    assert writer.post("/api/articles", json=[POST] * 101, headers=AUTH).status_code == 422
    long = writer.post("/api/articles", json={"text": "word " * 120_000}, headers=AUTH)
    assert long.status_code == 422 and "max_text_chars" in json.dumps(long.json())


def test_bodies_over_the_limit_are_413(writer: TestClient) -> None:
    big = {"text": "word " * 300_000}
    assert writer.post("/api/articles", json=big, headers=AUTH).status_code == 413

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(20):
            yield b"x" * 100_000
        yield b'"}'

    streamed = writer.post(
        "/api/articles",
        content=chunks(),
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413


# -- protected reads -----------------------------------------------------------------------
def test_protected_reads_need_the_token(db: Path) -> None:
    with make_client(db, write_token=TOKEN, protect_reads=True) as client:
        for path in ["/api/events", "/api/articles/a1", "/", "/articles/a1"]:
            assert client.get(path).status_code == 401
            assert client.get(path, headers=AUTH).status_code == 200
        assert client.get("/openapi.json").status_code == 200
    with make_client(db, protect_reads=True) as client:
        assert client.get("/api/events", headers=AUTH).status_code == 403


def test_writes_with_reads_protected_still_use_the_token(db: Path) -> None:
    with make_client(db, write_token=TOKEN, protect_reads=True) as client:
        assert client.post("/api/articles", json=POST, headers=AUTH).status_code == 201


def test_json_holds_hostile_text_as_data(client: TestClient) -> None:
    assert client.get("/api/articles/a3").json()["title"] == EVIL_TITLE
