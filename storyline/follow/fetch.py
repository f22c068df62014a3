"""HTTP for `storyline follow`: conditional requests, a delay per host, timeouts and robots.txt.

One `Fetcher` serves one round of following: it waits between two requests to the same host,
asks each host's robots.txt once, and reads at most `max_bytes` of a body.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

__all__ = ["FetchError", "Fetcher", "Response"]


@dataclass(frozen=True)
class Response:
    """A body fetched (status 200) or the server's word that it did not change (304)."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


class FetchError(Exception):
    """A request that gave no usable answer; `status` is the HTTP status when there was one."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Fetcher:
    """Polite HTTP GETs: one host at a time waits `delay` seconds (or its Crawl-delay)."""

    def __init__(
        self,
        *,
        delay: float,
        timeout: float,
        user_agent: str,
        max_bytes: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self.user_agent = user_agent
        self.max_bytes = max_bytes
        self.requests = 0
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=True, headers={"User-Agent": user_agent}
        )
        self._clock, self._sleep = clock, sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets this user agent fetch `url`."""
        return self._rules(_host(url)).can_fetch(self.user_agent, url)

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """GET `url`, conditional on the validators given; raises FetchError on any failure."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._request(url, headers)

    def _rules(self, host: str) -> RobotFileParser:
        """The host's robots.txt, asked once: missing allows all; refused or failing, none."""
        rules = self._robots.get(host)
        if rules is not None:
            return rules
        rules = RobotFileParser(f"{host}/robots.txt")
        try:
            found = self._request(f"{host}/robots.txt", {})
            rules.parse(found.body.decode("utf-8", "replace").splitlines())
        except FetchError as exc:
            missing = exc.status is not None and 400 <= exc.status < 500
            refused = exc.status in (401, 403)
            rules.parse([] if missing and not refused else ["User-agent: *", "Disallow: /"])
        self._robots[host] = rules
        return rules

    def _wait(self, host: str) -> None:
        rules = self._robots.get(host)
        crawl_delay = rules.crawl_delay(self.user_agent) if rules is not None else None
        delay = max(self.delay, float(crawl_delay or 0))
        last = self._last.get(host)
        if last is not None:
            left = last + delay - self._clock()
            if left > 0:
                self._sleep(left)
        self._last[host] = self._clock()

    def _request(self, url: str, headers: dict[str, str]) -> Response:
        self._wait(_host(url))
        self.requests += 1
        try:
            with self._client.stream("GET", url, headers=headers) as reply:
                if reply.status_code == 304:
                    return Response(url=str(reply.url), status=304)
                if reply.status_code != 200:
                    raise FetchError(f"HTTP {reply.status_code}", reply.status_code)
                body = bytearray()
                for chunk in reply.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        limit = self.max_bytes // (1024 * 1024)
                        raise FetchError(f"response larger than the {limit} MiB limit")
                return Response(
                    url=str(reply.url),
                    status=200,
                    body=bytes(body),
                    content_type=reply.headers.get("content-type", ""),
                    etag=reply.headers.get("etag"),
                    last_modified=reply.headers.get("last-modified"),
                )
        except httpx.TimeoutException:
            raise FetchError("timed out") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"request failed ({type(exc).__name__}: {exc})") from None
