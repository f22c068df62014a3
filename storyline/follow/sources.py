"""What a fetched document is: an RSS/Atom feed, a sitemap (or sitemap index), or an article page.

Feeds are read with feedparser, sitemaps with the standard library's XML parser; the links
they hold are made absolute against the document's URL.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser

__all__ = ["Source", "read_source"]

_FEED_ROOTS = {"rss", "feed", "rdf", "channel"}


@dataclass
class Source:
    """A document's kind (feed, sitemap, sitemapindex or page) and the links it lists."""

    kind: str
    links: list[str] = field(default_factory=list)


def _root_name(body: bytes) -> str | None:
    """The local name of an XML document's root element, or None for anything else."""
    head = body[:2048].lower()
    if not head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf")):
        return None
    try:
        for _event, element in ET.iterparse(io.BytesIO(body), events=("start",)):
            return str(element.tag).rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
    except ET.ParseError:
        return None
    return None


def _sitemap_links(body: bytes, base: str) -> list[str]:
    links: list[str] = []
    try:
        for _event, element in ET.iterparse(io.BytesIO(body), events=("end",)):
            if element.tag.rsplit("}", 1)[-1] == "loc" and element.text and element.text.strip():
                links.append(urljoin(base, element.text.strip()))
            element.clear()
    except ET.ParseError:
        pass  # the links before the broken part are kept
    return links


def _feed_links(body: bytes, base: str) -> list[str]:
    parsed = feedparser.parse(body, response_headers={"content-location": base})
    links = []
    for entry in parsed.entries:
        link = entry.get("link")
        if link:
            links.append(urljoin(base, str(link)))
    return links


def read_source(body: bytes, *, url: str) -> Source:
    """Tell a feed, sitemap or sitemap index from a page, with the links a list holds in order."""
    # A byte-order mark or blank lines before the XML declaration are common and harmless.
    body = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    root = _root_name(body)
    if root == "urlset":
        return Source("sitemap", _sitemap_links(body, url))
    if root == "sitemapindex":
        return Source("sitemapindex", _sitemap_links(body, url))
    if root in _FEED_ROOTS:
        return Source("feed", _feed_links(body, url))
    return Source("page")
