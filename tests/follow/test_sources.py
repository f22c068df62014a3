"""Feeds, sitemaps and pages told apart, with the links they list made absolute."""

from __future__ import annotations

from storyline.follow.sources import read_source
from tests.site import article_page, atom, rss, sitemap

BASE = "http://news.test/feeds/main.xml"


def test_rss_and_atom_links_in_order_and_absolute() -> None:
    found = read_source(rss("http://news.test/a.html", "/b.html"), url=BASE)
    assert found.kind == "feed"
    assert found.links == ["http://news.test/a.html", "http://news.test/b.html"]
    found = read_source(atom("c.html", "http://other.test/d.html"), url=BASE)
    assert found.kind == "feed"
    assert found.links == ["http://news.test/feeds/c.html", "http://other.test/d.html"]


def test_rss_one_is_a_feed() -> None:
    rdf = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="http://news.test/"><title>N</title><link>http://news.test/</link></channel>
<item rdf:about="http://news.test/x.html"><title>X</title><link>http://news.test/x.html</link></item>
</rdf:RDF>"""
    found = read_source(rdf, url=BASE)
    assert found.kind == "feed" and found.links == ["http://news.test/x.html"]


def test_sitemaps_and_indexes() -> None:
    found = read_source(b"\xef\xbb\xbf\n" + sitemap("http://news.test/a.html"), url=BASE)
    assert (found.kind, found.links) == ("sitemap", ["http://news.test/a.html"])
    found = read_source(sitemap("http://news.test/s1.xml", index=True), url=BASE)
    assert (found.kind, found.links) == ("sitemapindex", ["http://news.test/s1.xml"])
    broken = sitemap("http://news.test/a.html", "http://news.test/b.html")[:-20]
    assert read_source(broken, url=BASE).links == ["http://news.test/a.html"]


def test_pages_and_other_xml_are_pages() -> None:
    assert read_source(article_page("T", "Some text."), url=BASE).kind == "page"
    xhtml = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
    assert read_source(xhtml, url=BASE).kind == "page"
    # A feed broken halfway is still a feed: feedparser keeps what it could read.
    broken = rss("http://news.test/a.html", "http://news.test/b.html")[:-40]
    assert read_source(broken, url=BASE).kind == "feed"
