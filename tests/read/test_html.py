"""Web pages: the publication date as the page states it, at the precision it states."""

from __future__ import annotations

import pytest

from storyline.read.html import _page_date, read_html

BODY = (
    "<p>The council of Halvik voted on Tuesday to close the old harbour bridge for repairs, "
    "the mayor said after the meeting.</p><p>Repairs will take two years, according to the "
    "council's own estimate, and traffic will use the north bridge.</p>"
)


def _page(head: str = "", top: str = "", under: str = "") -> str:
    return (
        f"<html><head><title>Bridge closes</title>{head}</head><body>{top}<article><header>"
        f"<h1>Bridge closes</h1></header>{under}{BODY}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("html", "published"),
    [
        (_page(head='<meta property="article:published_time" content="2017-11">'), "2017-11"),
        (
            _page(head='<meta property="article:published_time" content="2017-11-14T09:30:00Z">'),
            "2017-11-14T09:30:00Z",
        ),
        (
            _page(
                head='<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle",'
                ' "datePublished": "2017"}]}</script>'
            ),
            "2017",
        ),
        (_page(under='<time datetime="2017-11" pubdate>November 2017</time>'), "2017-11"),
        # A date line under the headline, not today's date in the masthead above it.
        (
            _page(
                top="<div>Friday, December 4, 2026</div>",
                under="<div><span>By Ann Lee</span><span>Published 14 November 2017</span></div>",
            ),
            "Published 14 November 2017",
        ),
        (_page(under="<p>November 2017</p>"), "November 2017"),
        (_page(), None),
    ],
)
def test_the_page_date_as_stated(html: str, published: str | None) -> None:
    assert read_html(html).published == published


def test_a_day_the_page_never_states_is_not_taken() -> None:
    """htmldate fills a day it did not find (a month-only date gets one): its date is kept
    only where the page writes that day."""
    stated = _page(head='<link rel="canonical" href="https://e.org/2017/11/04/b">')
    assert _page_date(stated, "2017-11-04") == "2017-11-04"
    assert (
        _page_date(
            _page(head='<link rel="canonical" href="https://e.org/2017/11/b">'), "2017-11-04"
        )
        is None
    )
    assert _page_date("<p>20171104</p>", "2017-11-04") == "2017-11-04"
