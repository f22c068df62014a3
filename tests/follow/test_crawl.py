"""Following a local site: each article ingested once, 304s on the second round, robots honoured."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

import storyline
from storyline import api
from storyline.config import Config, load_config
from tests.site import Doc, Site, article_page, atom, rss, sitemap

STORIES = {
    "a": (
        "Ferry service to Lunda resumes",
        "The ferry between Halvik and the island of Lunda sailed again on Monday after a week "
        "of storms kept it in port, the operator said.",
        "Captain Ines Varro said the crossing took two hours and forty passengers were aboard.",
    ),
    "b": (
        "Halvik council approves new fish market",
        "Halvik's council voted on Tuesday to build a covered fish market on the old quay, "
        "ending a two-year dispute over the site.",
        "Mayor Tomas Brenn said work would begin in the autumn and cost four million crowns.",
    ),
    "c": (
        "Lighthouse keeper retires after forty years",
        "Ola Sund, who kept the light at Skarv Point for four decades, handed over the keys on "
        "Wednesday to the coastal authority.",
        "The light has been automatic since 2015, but Sund stayed on to look after the building.",
    ),
    "d": (
        "Storm damages Halvik harbour wall",
        "A winter storm tore a ten-metre gap in the outer harbour wall at Halvik on Thursday, "
        "the port authority said.",
        "Repairs are expected to take a month; fishing boats have moved to the inner basin.",
    ),
    "e": (
        "Island school reopens after repairs",
        "The school on Lunda reopened on Friday after a summer of repairs to its roof and heating, "
        "the island's council said.",
        "Thirty-two pupils returned, four more than last year, as young families moved back.",
    ),
}


def _publish(site: Site, name: str, *, etag: bool = True) -> str:
    path = f"/news/{name}.html"
    site.docs[path] = Doc(article_page(*STORIES[name]), etag=f'"{name}-1"' if etag else None)
    return path


def _config(tmp_path: Path, **settings: object) -> Config:
    values: dict[str, object] = {"follow_delay": 0.0, "follow_timeout": 5.0, **settings}
    return load_config(db=str(tmp_path / "s.db"), **values)


@pytest.fixture
def news_site(site: Site) -> Site:
    """robots.txt keeping /private/ out, an RSS and an Atom feed, a sitemap index, pages."""
    site.docs["/robots.txt"] = Doc(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    for name in "abcd":
        _publish(site, name)
    site.docs["/private/memo.html"] = Doc(article_page(*STORIES["e"]))
    site.docs["/rss.xml"] = Doc(
        rss(site.url("/news/a.html"), site.url("/private/memo.html")),
        "application/rss+xml",
        etag='"rss-1"',
    )
    site.docs["/atom.xml"] = Doc(
        atom("/news/b.html"),  # relative: made absolute against the feed's URL
        "application/atom+xml",
        last_modified="Tue, 05 Mar 2024 08:00:00 GMT",
    )
    site.docs["/sitemap_index.xml"] = Doc(
        sitemap(site.url("/sitemap.xml"), index=True), "application/xml", etag='"idx-1"'
    )
    site.docs["/sitemap.xml"] = Doc(
        sitemap(site.url("/news/a.html"), site.url("/news/c.html")),
        "application/xml",
        last_modified="Tue, 05 Mar 2024 09:00:00 GMT",
    )
    return site


@pytest.mark.slow
def test_each_article_once_and_304_when_nothing_changed(news_site: Site, tmp_path: Path) -> None:
    site = news_site
    sources = [site.url(p) for p in ("/rss.xml", "/atom.xml", "/sitemap_index.xml")]
    sources.append(site.url("/news/d.html"))  # a single article URL
    config = _config(tmp_path)
    with storyline.open_store(config.db) as store:
        first = api.follow(sources, store=store, config=config)
        assert first.ok, first.problems
        assert len(first.added) == 4 and first.enriched == 4
        assert [str(s) for s in first.skipped] == [
            f"{site.url('/private/memo.html')}: disallowed by robots.txt, not fetched"
        ]
        assert not site.asked("/private/memo.html")
        for name in "abcd":
            assert len(site.asked(f"/news/{name}.html")) == 1, name
        assert len(site.asked("/robots.txt")) == 1
        urls = {a.url for a in store.articles()}
        assert urls == {site.url(f"/news/{n}.html") for n in "abcd"}
        assert all(h.user_agent == config.user_agent for h in site.hits)

        site.hits.clear()
        second = api.follow(sources, store=store, config=config)
        assert second.ok and not second.added and not second.pages
        assert sorted(second.not_modified) == sorted(sources)
        asked = {h.path: h for h in site.hits if h.path != "/robots.txt"}
        assert set(asked) == {"/rss.xml", "/atom.xml", "/sitemap_index.xml", "/news/d.html"}
        assert {h.status for h in asked.values()} == {304}
        assert asked["/rss.xml"].if_none_match == '"rss-1"'
        assert asked["/atom.xml"].if_modified_since == "Tue, 05 Mar 2024 08:00:00 GMT"
        assert asked["/news/d.html"].if_none_match == '"d-1"'

        # A new item in one feed: only that article is fetched.
        site.hits.clear()
        _publish(site, "e")
        site.docs["/rss.xml"] = Doc(
            rss(site.url("/news/a.html"), site.url("/news/e.html")),
            "application/rss+xml",
            etag='"rss-2"',
        )
        third = api.follow(sources, store=store, config=config)
        assert third.ok and len(third.added) == 1 and third.pages == [site.url("/news/e.html")]
        fetched = [h.path for h in site.hits if h.status == 200 and h.path.startswith("/news/")]
        assert fetched == ["/news/e.html"]
        assert store.count_articles() == 5


@pytest.mark.slow
def test_failures_are_named_and_kept_apart(site: Site, tmp_path: Path) -> None:
    site.docs["/robots.txt"] = Doc(b"", "text/plain")
    _publish(site, "a")
    site.docs["/slow.html"] = Doc(article_page(*STORIES["b"]), pause=2.0)
    site.docs["/menu.html"] = Doc(b"<html><body><nav>Home News</nav></body></html>")
    site.docs["/rss.xml"] = Doc(
        rss(site.url("/gone.html"), site.url("/menu.html"), site.url("/news/a.html")),
        "application/rss+xml",
    )
    urls = [site.url("/rss.xml"), site.url("/slow.html"), "ftp://127.0.0.1/x", "not a url"]
    config = _config(tmp_path, follow_timeout=0.5)
    with storyline.open_store(config.db) as store:
        report = api.follow(urls, store=store, config=config)
        reasons = {p.source: p.reason for p in report.problems}
        assert len(report.added) == 1
        assert reasons[site.url("/gone.html")] == "HTTP 404"
        assert "no article text" in reasons[site.url("/menu.html")]
        assert reasons[site.url("/slow.html")] == "timed out"
        assert "not an http" in reasons["ftp://127.0.0.1/x"]
        assert "not an http" in reasons["not a url"]
        site.hits.clear()
        again = api.follow(urls, store=store, config=config)
        # A missing page and a page without an article are not asked again; a timeout is.
        asked = [h.path for h in site.hits]
        assert "/gone.html" not in asked and "/menu.html" not in asked
        assert "/slow.html" in asked
        assert {p.source for p in again.problems} == {site.url("/slow.html"), *urls[2:]}


def test_a_host_that_refuses_robots_is_not_crawled(site: Site, tmp_path: Path) -> None:
    site.docs["/robots.txt"] = Doc(b"private", "text/plain", status=403)
    _publish(site, "a")
    config = _config(tmp_path)
    with storyline.open_store(config.db) as store:
        report = api.follow([site.url("/news/a.html")], store=store, config=config)
    assert not report.added and len(report.skipped) == 1
    assert [h.path for h in site.hits] == ["/robots.txt"]


@pytest.mark.slow
def test_gzipped_sitemap(site: Site, tmp_path: Path) -> None:
    site.docs["/robots.txt"] = Doc(b"", "text/plain")
    _publish(site, "c")
    packed = gzip.compress(sitemap(site.url("/news/c.html")))
    site.docs["/sitemap.xml.gz"] = Doc(packed, "application/x-gzip")
    site.docs["/broken.xml.gz"] = Doc(packed[:30], "application/x-gzip")
    config = _config(tmp_path)
    with storyline.open_store(config.db) as store:
        urls = [site.url("/sitemap.xml.gz"), site.url("/broken.xml.gz")]
        report = api.follow(urls, store=store, config=config)
    assert len(report.added) == 1
    [problem] = report.problems
    assert problem.source.endswith("/broken.xml.gz") and "gzip" in problem.reason
