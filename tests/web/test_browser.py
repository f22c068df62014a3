"""End to end: a real uvicorn server and Debian's Chromium driven by Playwright.

Skips cleanly where /usr/bin/chromium (scripts/install-browser.sh) or playwright is missing.
Screenshots of each page go to artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import uvicorn

from storyline.config import Config
from storyline.store.sqlite import SQLiteStore
from storyline.web.app import create_app
from tests.web.conftest import EVIL_TITLE, at, fill, stub_ingest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under uvicorn on a free port of 127.0.0.1, in a thread of this process."""
    db = tmp_path_factory.mktemp("browser") / "web.db"
    with SQLiteStore(db) as store:
        fill(store)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(Config(db=db), ingest=stub_ingest)
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: run scripts/install-browser.sh")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh page that fails the test on any dialog (an alert would mean injected script)."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 860})
    tab = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def dialog(opened: Dialog) -> None:
        dialogs.append(opened.message)
        opened.dismiss()

    tab.on("dialog", dialog)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    assert not dialogs, f"a dialog opened: {dialogs}"
    assert not errors, f"script errors: {errors}"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def boxes(page: Page, selector: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.left, y: r.top, w: r.width, h: r.height}; })",
    )
    return found


def test_timeline_zooms_and_keeps_labels_apart(page: Page) -> None:
    page.goto("/")
    page.wait_for_selector(".axis .tick")
    assert page.locator(".ev").count() == 2
    assert page.get_by_text(EVIL_TITLE).is_visible()  # undated, shown as text
    shot(page, "timeline")
    width = page.eval_on_selector(".canvas", "c => c.offsetWidth")
    page.click("button[data-zoom=in]")
    page.click("button[data-zoom=in]")
    assert page.eval_on_selector(".canvas", "c => c.offsetWidth") > 2 * width
    page.hover(".viewport")
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_function("Number(document.getElementById('timeline').dataset.zoom) > 2.56")
    marks = boxes(page, ".ev")
    for a, b in [(marks[i], marks[j]) for i in range(len(marks)) for j in range(i)]:
        apart = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or a["y"] != b["y"]
        assert apart
    shot(page, "timeline-zoomed")
    page.click("button[data-zoom=fit]")
    assert page.eval_on_selector(".canvas", "c => c.offsetWidth") == width


def test_open_an_event_and_follow_a_quote_to_its_sentence(page: Page) -> None:
    page.goto("/")
    page.click('a.ev[href="/events/ev1"]')
    page.wait_for_url(re.compile(r"/events/ev1$"))
    assert page.locator("h1").inner_text() == "Springfield council passes the budget"
    assert page.locator(".source").count() == 2
    shot(page, "event")
    page.locator(".quotes a.quote-link").first.click()
    start = at("a1", "We will fix every road this year,")[0]
    page.wait_for_url(re.compile(rf"/articles/a1#c{start}$"))
    target = page.locator(f"#c{start}")
    assert "hit" in (target.get_attribute("class") or "")
    assert page.locator(".sent.hit").count() == 1
    assert target.is_visible()
    shot(page, "article")


def test_search_from_the_header(page: Page) -> None:
    page.goto("/")
    page.fill("header input[name=q]", "budget")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=budget$"))
    assert page.locator(".results li").count() >= 3
    shot(page, "search")
    page.locator('.results a[href="/events/ev1"]').click()
    page.wait_for_url(re.compile(r"/events/ev1$"))


def test_hostile_article_and_entity_pages(page: Page) -> None:
    page.goto("/articles/a3")
    assert page.locator("h1").inner_text() == EVIL_TITLE
    assert page.locator(".text img").count() == 0 and page.locator(".text b").count() == 0
    shot(page, "article-hostile")
    page.goto("/entities/e-lee")
    assert page.locator(".aliases li").count() == 2
    shot(page, "entity")


def test_api_docs_render_from_local_assets_under_the_policy(page: Page) -> None:
    remote: list[str] = []
    page.on(
        "request", lambda r: remote.append(r.url) if not r.url.startswith("http://127.") else None
    )
    page.goto("/docs")
    page.wait_for_selector(".opblock-summary-path")
    assert page.get_by_text("/api/events", exact=True).first.is_visible()
    assert not remote, f"the docs fetched remote assets: {remote}"
    shot(page, "docs")
