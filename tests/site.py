"""A web site on 127.0.0.1, started by the tests (fixture `site`): feeds, sitemaps, robots.txt and pages we write.

Each document may carry an ETag and a Last-Modified; the server answers 304 to a request that
names them, and logs every request so the tests can see what was asked and how.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Doc:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200
    pause: float = 0.0


@dataclass
class Hit:
    path: str
    status: int
    at: float
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None


@dataclass
class Site:
    base: str
    docs: dict[str, Doc] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def asked(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            doc = site.docs.get(self.path)
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if doc is None:
                status = 404
            elif (doc.etag and inm == doc.etag) or (doc.last_modified and ims == doc.last_modified):
                status = 304
            else:
                status = doc.status
            site.hits.append(
                Hit(self.path, status, time.monotonic(), inm, ims, self.headers.get("User-Agent"))
            )
            if doc is not None and doc.pause:
                time.sleep(doc.pause)
            self.send_response(status)
            if doc is not None and status in (200, 304):
                if doc.etag:
                    self.send_header("ETag", doc.etag)
                if doc.last_modified:
                    self.send_header("Last-Modified", doc.last_modified)
            body = doc.body if doc is not None and status == 200 else b""
            self.send_header("Content-Type", doc.content_type if doc else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The client may have given up waiting (the timeout tests).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # the tests read `site.hits` instead

    return Handler


@contextlib.contextmanager
def serve_site() -> Iterator[Site]:
    """A fresh site on a free port of 127.0.0.1, stopped on leaving."""
    holder = Site(base="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder))
    holder.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def article_page(title: str, *paragraphs: str, published: str = "2024-03-05") -> bytes:
    """An article page as a news site serves it: metadata, navigation, the story, a footer."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html><head><title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Harbour Herald">
<meta property="article:published_time" content="{published}T08:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/news/">News</a></nav>
<article><h1>{title}</h1>
{body}
</article><footer>Harbour Herald, all rights reserved</footer></body></html>""".encode()


def rss(*links: str) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{link}</link></item>" for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Harbour Herald</title><link>/</link>{items}</channel></rss>"
    ).encode()


def atom(*links: str) -> bytes:
    entries = "".join(
        f'<entry><title>Entry {i}</title><link href="{link}"/><id>urn:e{i}</id>'
        "<updated>2024-03-05T08:00:00Z</updated></entry>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Harbour Herald</title><id>urn:feed</id>{entries}</feed>"
    ).encode()


def sitemap(*links: str, index: bool = False) -> bytes:
    tag, item = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    entries = "".join(f"<{item}><loc>{link}</loc></{item}>" for link in links)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<{tag} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</{tag}>'
    ).encode()
