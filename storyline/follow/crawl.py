"""One round of following: each source asked again (conditionally), each new article fetched once.

The URLs a user gives, and the sitemaps a sitemap index lists, are sources: asked every round
with the ETag and Last-Modified they last gave, so an unchanged one costs a 304. The article
URLs a feed or sitemap lists are fetched once: the store remembers them. A source's validators
are saved only after all its new articles were read, so an interrupted round loses nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from storyline.follow.fetch import Fetcher, FetchError
from storyline.follow.sources import read_source
from storyline.read.decode import ReadError, gunzip
from storyline.read.reader import Limits, Problem, Skipped, Window, read_page
from storyline.records import Article, FetchState
from storyline.store.base import Store

__all__ = ["Round", "follow_round"]

# A sitemap index may list sitemap indexes; deeper than this is a loop or a trap.
_MAX_DEPTH = 3


@dataclass
class Round:
    """What a round did: requests made, sources unchanged (304), pages fetched, URLs visited."""

    requests: int = 0
    not_modified: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def follow_round(
    urls: list[str],
    *,
    store: Store,
    fetcher: Fetcher,
    limits: Limits,
    window: Window | None = None,
    progress: Round | None = None,
) -> Iterator[Article | Problem]:
    """The new articles behind these URLs, with a Problem (or Skipped) for each failure."""
    done = progress if progress is not None else Round()
    for url in urls:
        yield from _visit(
            url,
            source=True,
            depth=0,
            store=store,
            fetcher=fetcher,
            done=done,
            window=window,
            limits=limits,
        )
    done.requests = fetcher.requests


def _visit(
    url: str,
    *,
    source: bool,
    depth: int,
    store: Store,
    fetcher: Fetcher,
    done: Round,
    window: Window | None,
    limits: Limits,
) -> Iterator[Article | Problem]:
    if url in done.seen:
        return
    done.seen.add(url)
    if not url.startswith(("http://", "https://")):
        yield Problem(url, "not an http:// or https:// URL")
        return
    state = store.fetch_state(url)
    if not source and state is not None:
        return  # an article is fetched once
    try:
        if not fetcher.allowed(url):
            yield Skipped(url, "disallowed by robots.txt, not fetched")
            return
        reply = fetcher.get(
            url,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
        )
    except FetchError as exc:
        yield Problem(url, exc.reason)
        if not source and exc.status is not None and 400 <= exc.status < 500:
            store.save_fetch_state(FetchState(url=url, status=exc.status, fetched_at=_now()))
        return
    if reply.status == 304:
        done.not_modified.append(url)
        return
    body = reply.body
    if body[:2] == b"\x1f\x8b":  # a gzipped sitemap or feed (sitemap.xml.gz)
        try:
            body = gunzip(body, limit=limits.max_bytes)
        except ReadError as exc:
            yield Problem(url, str(exc))
            return
    found = read_source(body, url=reply.url)
    article_id = None
    if found.kind == "page":
        done.pages.append(url)
        item = read_page(body, url=url, window=window, limits=limits)
        article_id = item.id if isinstance(item, Article) else None
        yield item
    elif depth >= _MAX_DEPTH:
        yield Problem(url, f"sitemap indexes nested deeper than {_MAX_DEPTH}, not followed")
    else:
        for link in found.links:
            yield from _visit(
                link,
                source=found.kind == "sitemapindex",
                depth=depth + 1,
                store=store,
                fetcher=fetcher,
                done=done,
                window=window,
                limits=limits,
            )
    store.save_fetch_state(
        FetchState(
            url=url,
            status=reply.status,
            fetched_at=_now(),
            etag=reply.etag,
            last_modified=reply.last_modified,
            article_id=article_id,
        )
    )
