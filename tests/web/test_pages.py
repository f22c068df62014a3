"""The pages in-process: what each shows, links to the facts' sentences, and escaping."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from storyline.web.highlight import Span, highlight
from tests.web.conftest import EVIL_TITLE, at

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

PAGES = [
    "/",
    "/?storyline=sl-budget",
    "/events/ev1",
    "/events/ev2",
    "/events/ev3",
    "/entities/e-lee",
    "/entities/e-mal",
    "/articles/a1",
    "/articles/a3",
    "/search?q=budget",
    "/search?q=Evil",
    "/search?q=bold",
]


def page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return str(response.text)


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_html_with_nothing_unescaped(client: TestClient, path: str) -> None:
    html = page(client, path)
    assert html.lower().startswith("<!doctype html>") and "<html" in html
    for hostile in ["<script>alert", "<img src=x", "<b>Not bold", "<i>Mallory", "javascript:"]:
        assert hostile not in html
    assert "default-src 'self'" in client.get(path).headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/articles/a3", "/events/ev3", "/search?q=Evil", "/"])
def test_a_script_title_shows_as_text(client: TestClient, path: str) -> None:
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page(client, path)


def test_timeline_has_lanes_axis_and_undated_events(client: TestClient) -> None:
    html = page(client, "/")
    assert 'id="timeline"' in html and 'data-zoom="in"' in html
    assert "Springfield budget" in html
    assert html.count('class="ev"') == 2
    lefts = [float(x) for x in re.findall(r'class="ev" href="[^"]+" style="left: ([\d.]+)%', html)]
    assert len(lefts) == 2 and 0 < lefts[0] < lefts[1] < 100
    undated = html[html.index("Undated events") :]
    assert 'href="/events/ev3"' in undated


def test_timeline_filters_and_errors(client: TestClient) -> None:
    assert page(client, "/?from=2021-04-01").count('class="ev"') == 1
    missing = client.get("/?storyline=nope")
    assert missing.status_code == 404 and "<html" in missing.text and "nope" in missing.text


def test_event_page_shows_dated_evidence_sources_framing_and_quotes(client: TestClient) -> None:
    html = page(client, "/events/ev1")
    assert "Springfield council passes the budget" in html
    assert f'href="/articles/a1#c{at("a1", "2 March 2021")[0]}"' in html
    sources = html[html.index('class="sources"') : html.index('class="quotes"')]
    assert sources.index("Springfield Gazette") < sources.index("Shelbyville Times")
    assert "the embattled mayor" in sources and "Mayor" in sources
    quotes = html[html.index('class="quotes"') :]
    assert 'href="/entities/e-lee">Ann Lee</a>' in quotes
    for aid, text in [("a1", "We will fix every road"), ("a2", "It is a fair plan,")]:
        assert f'href="/articles/{aid}#c{at(aid, text)[0]}"' in quotes


def test_event_page_survives_missing_details(client: TestClient) -> None:
    html = page(client, "/events/ev3")  # never described
    assert 'href="/articles/a3"' in html and "undated" in html
    described = page(
        client, "/events/ev2"
    )  # stored undescribed: its articles listed, never described on read
    assert (
        'href="/articles/a4"' in described and 'Sources <span class="count">1</span>' in described
    )


def test_entity_page_shows_aliases_merges_events_and_quotes(client: TestClient) -> None:
    html = page(client, "/entities/e-lee")
    assert "surname" in html and f'href="/articles/a2#c{at("a2", "Lee")[0]}"' in html
    assert 'href="/events/ev1"' in html and 'href="/events/ev2"' in html
    assert "We will fix every road this year," in html


def test_article_page_marks_every_fact_at_its_offset(client: TestClient) -> None:
    html = page(client, "/articles/a1")
    for part in ["Ann Lee", "We will fix every road this year,", "Springfield", "2 March 2021"]:
        assert f'id="c{at("a1", part)[0]}"' in html
    assert '<a class="ent ent-PERSON" title="PERSON: Ann Lee" href="/entities/e-lee"' in html
    assert 'class="time"' in html and 'class="quote q-direct"' in html


def test_every_fact_link_lands_on_its_sentence(client: TestClient) -> None:
    links: set[tuple[str, int]] = set()
    for path in PAGES:
        links |= {
            (a, int(n)) for a, n in re.findall(r'href="/articles/(\w+)#c(\d+)"', page(client, path))
        }
    assert len(links) >= 8
    for aid, start in links:
        html = page(client, f"/articles/{aid}")
        spans = [
            (int(s), int(e)) for s, e in re.findall(r'data-start="(\d+)" data-end="(\d+)"', html)
        ]
        assert f'id="c{start}"' in html or any(s <= start < e for s, e in spans), (aid, start)


def test_search_page_groups_results(client: TestClient) -> None:
    html = page(client, "/search?q=budget")
    assert "Events" in html and "Articles" in html and 'href="/events/ev1"' in html
    assert "Type words" in page(client, "/search")
    assert 'value="budget"' in html


def test_unknown_pages_are_html_404s(client: TestClient) -> None:
    for path in ["/events/zz", "/entities/zz", "/articles/zz", "/nowhere"]:
        response = client.get(path)
        assert response.status_code == 404 and "<html" in response.text


def test_static_assets_are_served(client: TestClient) -> None:
    assert "zoom" in client.get("/static/app.js").text
    assert ".timeline" in client.get("/static/app.css").text


# -- highlight -----------------------------------------------------------------------------
def test_highlight_escapes_and_nests_crossing_spans() -> None:
    text = 'One <b>. "Two. Three" four.'
    spans = [
        Span(0, 8, 0, "sent"),
        Span(9, 27, 0, "sent"),
        Span(4, 14, 1, "quote"),
        Span(4, 7, 2, "ent", tag="a", attrs={"href": "/e/1?a=1&b=2"}),
    ]
    html = str(highlight(text, spans))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert html.count('id="c4"') == 1  # the quote split over two sentences keeps one anchor
    assert html.count('class="quote"') == 3  # in each sentence and the space between
    assert 'href="/e/1?a=1&amp;b=2"' in html
    assert (
        re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
        == text
    )


def test_highlight_drops_overlaps_and_clips_to_the_text() -> None:
    html = str(highlight("abcdef", [Span(0, 4, 2, "x"), Span(2, 5, 2, "y"), Span(4, 99, 2, "z")]))
    assert 'class="y"' not in html
    assert html == '<span class="x" id="c0">abcd</span><span class="z" id="c4">ef</span>'
    assert str(highlight("", [Span(0, 3, 0, "x")])) == ""
    assert EVIL_TITLE not in str(highlight(EVIL_TITLE, []))
