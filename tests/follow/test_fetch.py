"""The fetcher: a delay between two requests to one host, robots.txt asked once, limits."""

from __future__ import annotations

import itertools

import pytest

from storyline.follow.fetch import Fetcher, FetchError
from tests.site import Doc, Site


def test_requests_to_one_host_are_spaced_and_robots_asked_once(site: Site) -> None:
    site.docs["/robots.txt"] = Doc(b"User-agent: *\nDisallow: /admin\n", "text/plain")
    for n in range(3):
        site.docs[f"/p{n}"] = Doc(b"x")
    with Fetcher(delay=0.3, timeout=5, user_agent="test-agent", max_bytes=1000) as fetcher:
        assert not fetcher.allowed(site.url("/admin/x"))
        for n in range(3):
            assert fetcher.allowed(site.url(f"/p{n}"))
            assert fetcher.get(site.url(f"/p{n}")).body == b"x"
    times = [h.at for h in site.hits]
    assert [h.path for h in site.hits] == ["/robots.txt", "/p0", "/p1", "/p2"]
    assert all(b - a >= 0.28 for a, b in itertools.pairwise(times))


def test_crawl_delay_of_robots_is_kept(site: Site) -> None:
    site.docs["/robots.txt"] = Doc(b"User-agent: *\nCrawl-delay: 1\n", "text/plain")
    site.docs["/p"] = Doc(b"x")
    with Fetcher(delay=0.0, timeout=5, user_agent="t", max_bytes=1000) as fetcher:
        assert fetcher.allowed(site.url("/p"))
        fetcher.get(site.url("/p"))
    assert site.hits[1].at - site.hits[0].at >= 0.95


def test_conditional_requests_and_limits(site: Site) -> None:
    site.docs["/big"] = Doc(b"y" * 5000, etag='"v1"', last_modified="Mon, 04 Mar 2024 10:00:00 GMT")
    with Fetcher(delay=0.0, timeout=5, user_agent="t", max_bytes=1000) as fetcher:
        assert fetcher.get(site.url("/big"), etag='"v1"').status == 304
        same = fetcher.get(site.url("/big"), last_modified="Mon, 04 Mar 2024 10:00:00 GMT")
        assert same.status == 304
        with pytest.raises(FetchError, match="limit"):
            fetcher.get(site.url("/big"))
        with pytest.raises(FetchError, match="HTTP 404") as missing:
            fetcher.get(site.url("/nothing"))
        assert missing.value.status == 404
    assert site.asked("/big")[0].if_none_match == '"v1"'


def test_missing_robots_allows_and_unreachable_host_refuses() -> None:
    with Fetcher(delay=0.0, timeout=0.5, user_agent="t", max_bytes=1000) as fetcher:
        # Port 9 on the loopback: nothing listens, the connection is refused at once.
        assert not fetcher.allowed("http://127.0.0.1:9/page")
        with pytest.raises(FetchError, match="request failed"):
            fetcher.get("http://127.0.0.1:9/page")
