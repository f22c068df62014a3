"""Saved web pages: the main text and metadata, extracted with trafilatura."""

from __future__ import annotations

from dataclasses import dataclass, field

import trafilatura

from storyline.read.clean import count_words
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
        published=getattr(doc, "date", None) or None,
        byline=[a.strip() for a in authors.replace(" and ", ";").split(";") if a.strip()],
    )
