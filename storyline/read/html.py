"""Saved web pages: the main text and metadata, extracted with trafilatura.

The publication date is read as the page states it, at the precision it states: the standard
metadata (Open Graph, schema.org, Dublin Core, `<time>`), else a date line under the headline,
else htmldate's date where the page states that day (htmldate fills a missing day in).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
import lxml.html
import trafilatura

from storyline.read.clean import count_words
from storyline.read.dates import find_printed_date
from storyline.read.decode import ReadError

__all__ = ["HtmlPage", "read_html"]


@dataclass
class HtmlPage:
    """What a page says about itself and the text of its article."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    byline: list[str] = field(default_factory=list)


def read_html(html: str, *, url: str | None = None) -> HtmlPage:
    """Extract the article of a page; a page with no article in it is an error, not an empty one."""
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    extracted = (getattr(doc, "text", None) or "") if doc is not None else ""
    # One paragraph a line from trafilatura; a blank line between, as plain-text bodies have.
    text = "\n\n".join(line.strip() for line in extracted.splitlines() if line.strip())
    if count_words(text) < 8:  # characters, in Chinese and Japanese
        raise ReadError("HTML page with no article text in it")
    authors = getattr(doc, "author", None) or ""
    return HtmlPage(
        text=text,
        title=getattr(doc, "title", None) or None,
        url=getattr(doc, "url", None) or url,
        outlet=getattr(doc, "sitename", None) or None,
        published=_page_date(html, getattr(doc, "date", None)),
        byline=[a.strip() for a in authors.replace(" and ", ";").split(";") if a.strip()],
    )


# Metadata names (property, name or itemprop, lower-cased) that state when a page was published.
_PUBLISHED_META = frozenset({
    "article:published_time", "og:published_time", "datepublished", "datecreated",
    "dc.date", "dc.date.issued", "dc.date.created", "dcterms.date", "dcterms.issued",
    "dcterms.created", "citation_publication_date", "citation_date", "pubdate", "publishdate",
    "publish-date", "publish_date", "published_time", "published-date", "date",
    "parsely-pub-date", "sailthru.date",
})  # fmt: skip
_LINES_UNDER_HEADLINE = 8
"""How far under the headline a printed date line is looked for."""
_ISO_DAY = re.compile(r"(?<!\d)(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})(?!\d)")


def _page_date(html: str, found: str | None) -> str | None:
    """The page's publication date as it states it, or None."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return found if found and _states_day(html, found) else None
    for value in _metadata_dates(tree):
        return value
    printed = _printed_under_headline(tree)
    if printed is not None:
        return printed
    if found and _states_day(html, found):
        return found
    return None


def _metadata_dates(tree: Any) -> Iterator[str]:
    """Publication dates in the page's metadata, as written there, the most explicit first."""
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        value = (node.get("content") or "").strip()
        if key in _PUBLISHED_META and value:
            yield value
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            try:
                yield from _json_ld_dates(json.loads(script.text))
            except (ValueError, RecursionError):
                continue
    for node in tree.iter("time"):
        value = (node.get("datetime") or "").strip()
        if value and (node.get("pubdate") is not None or node.get("itemprop") == "datePublished"):
            yield value


def _json_ld_dates(data: Any) -> Iterator[str]:
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_dates(item)
    elif isinstance(data, dict):
        value = data.get("datePublished")
        if isinstance(value, str) and value.strip():
            yield value.strip()
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _json_ld_dates(data[key])


def _printed_under_headline(tree: Any) -> str | None:
    """A date line printed just under the page's headline (a date at the top of a page is
    often today's, printed by the masthead, so none is read before the headline)."""
    headline = next(tree.iter("h1"), None)
    if headline is None:
        return None
    lines: list[str] = []
    # The headline's own siblings, then those of the header block it sits in.
    level = headline
    for _ in range(3):
        for node in level.itersiblings():
            if isinstance(node.tag, str) and node.tag not in ("script", "style"):
                chunks = "\n".join(node.itertext()).splitlines()
                lines += [line for line in chunks if line.strip()]
        level = level.getparent()
        if len(lines) >= _LINES_UNDER_HEADLINE or level is None:
            break
    return find_printed_date(lines[:_LINES_UNDER_HEADLINE])


def _states_day(html: str, iso: str) -> bool:
    """Whether the page writes this day as numbers anywhere (2017-11-14, 2017/11/14, 20171114)."""
    return any("-".join(match.groups()) == iso[:10] for match in _ISO_DAY.finditer(html))
