"""What every backend must do alike: round trips of every record, search, ordering, transactions."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from storyline.read.reader import read_paths
from storyline.records import (
    Article,
    DateConflict,
    Enrichment,
    Entity,
    Event,
    EventDate,
    EventDetails,
    EventSubject,
    EventTime,
    Failure,
    FetchState,
    Framed,
    KeyQuote,
    Mention,
    PlaceEvidence,
    Published,
    Quote,
    Source,
    Speaker,
    SpeakerQuotes,
    Storyline,
    SummarySentence,
    TimeExpr,
)
from storyline.store.base import LinkChanges, Store
from tests.store.conftest import StoreFactory


def _article(aid: str, text: str = "The council met in Springfield on Tuesday.") -> Article:
    return Article(
        id=aid,
        source=f"{aid}.txt",
        text=text,
        raw="RAW " + text,
        title=f"Title {aid}",
        outlet="Springfield Gazette",
        byline=["Ann Lee", "Bo Chen"],
        published=Published(
            date="2021-03-02", precision="day", candidates=("2021-03-02",), evidence="2 March"
        ),
        metadata={"format": "text", "zeta": [1, 2.5, None], "alpha": {"b": 1, "a": "é"}},
        language="en",
    )


def test_reopening_keeps_data_and_migrates_once(store_factory: StoreFactory) -> None:
    first = store_factory()
    first.add_article(_article("a1"))
    first.close()
    again = store_factory()
    assert again.count_articles() == 1
    assert again.article("a1") == _article("a1")


def test_article_round_trip_and_idempotence(store: Store) -> None:
    art = _article("a1")
    assert store.add_article(art, bands=["0:ab", "1:cd"])
    assert not store.add_article(art)
    back = store.article("a1")
    assert back == art
    assert back is not None and list(back.metadata) == sorted(art.metadata)
    assert store.article("missing") is None
    assert store.has_article("a1") and not store.has_article("missing")
    assert store.count_articles() == 1
    assert store.articles_sharing_bands(["1:cd", "9:zz"]) == ["a1"]
    assert store.articles_sharing_bands([]) == []


def test_article_ids_by_their_start(store: Store) -> None:
    for aid in ("abc123", "abd456", "xyz789"):
        store.add_article(_article(aid, text=f"Text of {aid}."))
    assert store.article_ids_starting("ab") == ["abc123", "abd456"]
    assert store.article_ids_starting("abc") == ["abc123"]
    assert store.article_ids_starting("x", limit=1) == ["xyz789"]
    assert store.article_ids_starting("q") == []
    assert store.article_ids_starting("%") == [] and store.article_ids_starting("_") == []


def test_articles_keep_insertion_order_and_page(store: Store) -> None:
    for aid in ["c", "a", "b"]:
        store.add_article(_article(aid), bands=["0:x", "1:y"] if aid == "b" else ["0:x"])
    assert [a.id for a in store.articles()] == ["c", "a", "b"]
    assert [a.id for a in store.articles(limit=1, offset=1)] == ["a"]
    assert store.articles_by_id(["b", "missing", "c"]) == {"b": _article("b"), "c": _article("c")}
    assert store.articles_by_id([]) == {}
    assert store.articles_sharing_bands(["0:x", "1:y"])[0] == "b"


def test_set_published_replaces_the_record(store: Store) -> None:
    store.add_article(_article("a1"))
    store.set_published("a1", {"date": "2021-03-05", "precision": "day", "candidates": []})
    back = store.article("a1")
    assert back is not None and back.published == Published("2021-03-05", "day", (), None)


def test_a_revision_replaces_metadata_keeps_history_and_drops_the_reading(store: Store) -> None:
    store.add_article(_article("a1"))
    store.save_enrichment(Enrichment("a1", "p1"))
    corrected = dataclasses.replace(_article("a1"), source="b.txt", title="Harbour reopens")
    store.revise_article(corrected, {"title": "Title a1", "source": "a1.txt"})
    store.revise_article(dataclasses.replace(corrected, url="https://x.example/a"), {"url": None})
    assert store.article("a1") == dataclasses.replace(corrected, url="https://x.example/a")
    assert store.article_history("a1") == [
        {"source": "a1.txt", "title": "Title a1"},
        {"url": None},
    ]
    assert store.article_history("missing") == []
    assert store.unenriched("p1") == ["a1"]
    assert store.search_articles("harbour") == ["a1"]


def test_full_text_search(store: Store) -> None:
    store.add_article(_article("a1", "Floods closed the harbour road in Marsk."))
    store.add_article(_article("a2", "The central bank raised its rate."))
    store.add_article(_article("a3", "Harbour, harbour, harbour: the harbour again."))
    assert store.search_articles("harbour") == ["a3", "a1"]
    assert store.search_articles("HARBOUR") == ["a3", "a1"]
    assert store.search_articles("harbour", limit=1) == ["a3"]
    assert store.search_articles("bank rate") == ["a2"]
    assert store.search_articles("Title a2") == ["a2"]
    assert store.search_articles("bank harbour") == []
    assert store.search_articles("!!") == []
    assert store.search_articles("don't & | ! ( ) :*") == []


def test_failed_write_leaves_store_unchanged(store: Store) -> None:
    store.add_article(_article("a1"))
    bad = _article("a2")
    bad.duplicate_of = "missing"  # foreign key violation: the whole insert rolls back
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        store.add_article(bad, bands=["0:x"])
    assert [a.id for a in store.articles()] == ["a1"]
    assert store.articles_sharing_bands(["0:x"]) == []
    assert store.add_article(_article("a2"))  # the store is still usable


def test_enrichment_entities_quotes_round_trip(store: Store) -> None:
    store.add_article(_article("a1"))
    store.add_article(_article("a0"))
    enrichment = Enrichment(
        article_id="a1",
        pipeline="v1",
        mentions=[Mention(0, 8, "Ann Lee", "PERSON", "Ann Lee")],
        times=[
            TimeExpr(30, 37, "Tuesday", "DATE", "2021-03-02", "day", "2021-03-02", "2021-03-02")
        ],
        quotes=[Quote(50, 60, "We agree", "direct", "said", "Ann Lee", 0, 8)],
        event_time=EventTime("2021-03-02", "day", "The council met.", 30, 37),
        sentences=[(0, 40)],
    )
    store.save_enrichment(enrichment)
    assert store.enrichment("a1") == enrichment
    assert store.enrichment("a0") is None
    assert store.unenriched("v1") == ["a0"]
    assert store.unenriched("v2") == ["a1", "a0"]
    store.save_enrichment(Enrichment("a0", "v2"))
    store.save_enrichment(Enrichment("a1", "v2"))  # a re-read replaces the old one
    assert [e.article_id for e in store.enrichments()] == ["a1", "a0"]
    assert store.unenriched("v2") == []
    store.save_enrichment(enrichment)
    store.replace_entities(
        [Entity("e1", "Ann Lee", "PERSON", ["Ann Lee", "Lee"], [{"why": "alias"}])],
        [("a1", "Ann Lee", "e1", 3)],
    )
    [row] = store.entities()
    assert row == Entity(
        "e1", "Ann Lee", "PERSON", ["Ann Lee", "Lee"], [{"why": "alias"}], articles=1, mentions=3
    )
    assert store.entity_links() == {("a1", "Ann Lee"): "e1"}
    [quote] = store.quotes(speaker="lee")
    assert quote.speaker == Speaker("Ann Lee", "e1")
    assert (quote.source, quote.id, quote.text, quote.kind) == (
        "a1.txt",
        "a1:50",
        "We agree",
        "direct",
    )
    assert store.quotes(speaker="nobody") == []
    store.replace_entities([], [])
    assert store.entities() == [] and store.entity_links() == {}


def test_entities_order_by_mentions_then_name_bytewise(store: Store) -> None:
    store.add_article(_article("a1"))
    names = ["bob", "Bob", "alice", "Zed"]
    store.replace_entities(
        [Entity(f"e{i}", n, "PERSON") for i, n in enumerate(names)],
        [("a1", n, f"e{i}", 9 if n == "alice" else 1) for i, n in enumerate(names)],
    )
    assert [r.name for r in store.entities()] == ["alice", "Bob", "Zed", "bob"]
    assert [r.name for r in store.entities(limit=2, offset=1)] == ["Bob", "Zed"]
    assert store.count_entities() == 4


def test_entities_upsert_by_batch_with_index_and_counts(store: Store) -> None:
    for aid in ["a1", "a2", "a3"]:
        store.add_article(_article(aid))
    lee = Entity("e1", "Ann Lee", "PERSON", labels={"PERSON": 2})
    store.save_entities(
        [lee],
        [("a1", "Ann Lee", "e1", 2)],
        articles=["a1"],
        keys=[("a:ann lee", "e1"), ("l:lee", "e1")],
    )
    store.save_entities(
        [Entity("e2", "Lee", "PERSON"), Entity("e3", "Marsk", "GPE")],
        [("a2", "Lee", "e2", 1), ("a2", "Marsk", "e3", 4), ("a3", "Marsk", "e3", 1)],
        articles=["a2", "a3"],
        keys=[("a:lee", "e2"), ("a:marsk", "e3")],
    )
    assert store.entity_keys(["l:lee", "a:lee", "a:none"]) == {"l:lee": ["e1"], "a:lee": ["e2"]}
    assert store.entity_company(["e2", "e3"]) == {"e2": {"e3"}, "e3": {"e2"}}
    # Re-reading a2 replaces its links and moves the counts with them.
    store.save_entities([], [("a2", "Marsk", "e3", 1)], articles=["a2"])
    assert store.entities_by_id(["e3"])["e3"].mentions == 2
    assert store.entities_by_id(["e2"])["e2"].articles == 0
    # The bare surname merges into the full name: links and keys follow, the old row goes.
    store.save_entities(
        [Entity("e1", "Ann Lee", "PERSON", aliases=["Lee"])],
        [("a3", "Lee", "e1", 1), ("a3", "Marsk", "e3", 1)],
        articles=["a3"],
        absorbed={"e2": "e1"},
    )
    assert store.entity_keys(["a:lee"]) == {"a:lee": ["e1"]}
    assert set(store.entities_by_id(["e1", "e2"])) == {"e1"}
    [first, second] = store.entities()
    assert (first.id, first.articles, first.mentions) == ("e1", 2, 3)
    assert (second.id, second.articles, second.mentions) == ("e3", 2, 2)
    assert store.entity_links(["a3"]) == {("a3", "Lee"): "e1", ("a3", "Marsk"): "e3"}


def test_events_and_storylines_round_trip(store: Store) -> None:
    store.add_article(_article("a1"))
    event = Event(
        id="ev1",
        articles=["a1"],
        date=EventDate("2021-03-02", "day", "On Tuesday", "a1"),
        headline="Council meets",
        storyline="st1",
        details=EventDetails(
            date_support=("a1",),
            date_conflicts=(DateConflict("2021-03-03", "day", "a1", "Wednesday"),),
            date_inherited={"a1": "03-02"},
            described=True,
            sources=(
                Source("a1", "Gazette", "Council meets", "2021-03-02", url="https://x.example"),
            ),
            quotes=(
                SpeakerQuotes("Ann Lee", (KeyQuote("a1", "Gazette", 0, 5, "We met", "said"),)),
            ),
            framing={"Ann Lee": {"Gazette": (Framed("mayor", "a1", 6, 11, 2),)}},
            headline_from="a1",
            summary=(SummarySentence("a1", 0, 5, "We met"),),
            place=PlaceEvidence("Springfield", "a1", "dateline", 0, 11),
        ),
    )
    story = Storyline(id="st1", title="Council", events=["ev1"], participants=["Ann Lee"])
    store.replace_events([event], [story])
    [back] = store.events()
    assert back.updated is not None and back == dataclasses.replace(event, updated=back.updated)
    assert store.storylines() == [story]


def test_common_cores_counts_each_participant_no_further_than_needed(store: Store) -> None:
    for aid in ["a1", "a2", "a3"]:
        store.add_article(_article(aid))
    cores = {"ev1": ("x", "y"), "ev2": ("x", "y"), "ev3": ("x",)}
    store.save_links(
        LinkChanges(
            events=[Event(eid, [f"a{eid[-1]}"]) for eid in cores],
            subjects={eid: EventSubject(core, {}, {"vote": 1.0}) for eid, core in cores.items()},
        )
    )
    assert store.events_sharing_core(["y"]) == ["ev1", "ev2"]
    assert store.common_cores(["x", "y", "z"], limit=2) == {"x"}
    assert store.common_cores(["x", "y"], limit=1) == {"x", "y"}
    assert store.common_cores(["x"], limit=3) == set()


def test_events_order_by_date_undated_last_then_id_bytewise(store: Store) -> None:
    for aid in ["a1", "a2", "a3", "a4"]:
        store.add_article(_article(aid))
    day = EventDate("2021-03-02", "day", "Tuesday", "a1")
    events = [
        Event("b", ["a1"], day),
        Event("undated", ["a2"]),
        Event("B", ["a3"], day),
        Event("early", ["a4"], EventDate("2021-03", "month", "March", "a4")),
    ]
    store.replace_events(events, [])
    assert [e.id for e in store.events()] == ["early", "B", "b", "undated"]
    store.replace_events([], [])
    assert store.events() == [] and store.storylines() == []


def test_fetch_states_are_remembered_and_replaced(store: Store) -> None:
    assert store.fetch_state("https://example.org/feed.xml") is None
    first = FetchState(
        url="https://example.org/feed.xml",
        status=200,
        fetched_at="2024-05-01T10:00:00+00:00",
        etag='W/"abc"',
        last_modified="Wed, 01 May 2024 09:00:00 GMT",
    )
    store.save_fetch_state(first)
    assert store.fetch_state(first.url) == first
    page = FetchState(
        url="https://example.org/a.html",
        status=200,
        fetched_at="2024-05-01T10:00:01+00:00",
        article_id="a1",
    )
    store.save_fetch_state(page)
    again = FetchState(url=first.url, status=304, fetched_at="2024-05-01T10:15:00+00:00")
    store.save_fetch_state(again)
    assert store.fetch_state(first.url) == again
    assert store.fetch_state(page.url) == page


def test_failures_are_recorded_replaced_listed_and_cleared(store: Store) -> None:
    for aid in ("a1", "a2"):
        store.add_article(_article(aid, f"Text of {aid} about the council."))
    store.record_failure("a2", "enrich", "ValueError: bad", "v1")
    store.record_failure("a1", "link", "KeyError: x", "v1")
    store.record_failure("a2", "enrich", "ValueError: worse", "v2")
    store.record_failure("a2", "describe", "IndexError: y", "v2")
    assert store.failed_articles() == [
        Failure("a1", "link", "KeyError: x", "v1"),
        Failure("a2", "describe", "IndexError: y", "v2"),
        Failure("a2", "enrich", "ValueError: worse", "v2"),
    ]
    store.clear_failures(["a2", "a1"], "enrich")
    assert [(f.article_id, f.stage) for f in store.failed_articles()] == [
        ("a1", "link"),
        ("a2", "describe"),
    ]


def test_pages_filter_and_page_in_the_store(store: Store) -> None:
    from storyline.store.base import Scope

    for aid, outlet, day in [("a1", "Gazette", "2021-03-02"), ("a2", "Times", "2021-04-05")]:
        art = _article(aid)
        art.outlet, art.published = outlet, Published(date=day, precision="day")
        store.add_article(art)
        store.save_enrichment(
            Enrichment(aid, "v1", quotes=[Quote(5, 9, f"{aid} said", "direct", "said", "Ann Lee")])
        )
    store.replace_entities(
        [Entity("e1", "Ann Lee", "PERSON")],
        [("a1", "Ann Lee", "e1", 1)],
        keys=[("a:ann lee", "e1")],
    )
    events = [
        Event("ev2", ["a2"], EventDate("2021-04", "month", "April", "a2"), storyline="s1"),
        Event("ev1", ["a1"], EventDate("2021-03-02", "day", "2 March", "a1"), storyline="s1"),
        Event("ev3", []),
    ]
    store.replace_events(events, [Storyline("s1", "Story", ["ev1", "ev2"])])
    ids = lambda found: [x.id for x in found]  # noqa: E731
    assert ids(store.events_page(Scope(), limit=2)) == ["ev1", "ev2"]
    assert ids(store.events_page(Scope(), limit=None, offset=2)) == ["ev3"]
    assert ids(store.events_page(Scope(), limit=None, newest=True)) == ["ev2", "ev1"]
    assert ids(store.events_page(Scope(), limit=None, undated=True)) == ["ev3"]
    assert ids(store.events_page(Scope(articles=("a2", "zz")), limit=9)) == ["ev2"]
    assert ids(store.events_page(Scope(start="2021-04-01"), limit=9)) == ["ev2"]
    assert ids(store.events_page(Scope(outlet="gazette"), limit=9)) == ["ev1"]
    assert ids(store.events_page(Scope(entities=("e1",)), limit=9)) == ["ev1"]
    assert store.events_page(Scope(entities=()), limit=9) == []
    assert store.count_events(Scope(storyline="s1")) == 2
    assert ids(store.events_of_articles(["a2"])) == ["ev2"]
    stored = store.event("ev1")
    assert stored == dataclasses.replace(events[1], updated=stored and stored.updated)
    assert store.event("zz") is None
    assert ids(store.articles_page(Scope(end="2021-03-31"), limit=9)) == ["a1"]
    assert store.count_articles_in(Scope(storyline="s1")) == 2
    assert ids(store.storylines_page(Scope(start="2022-01-01"), limit=9)) == []
    assert ids(store.entities_page(Scope(outlet="Times"), limit=9)) == []
    assert store.count_entities_in(Scope(outlet="Gazette")) == 1
    assert ids(store.quotes_page(Scope(), limit=9)) == ["a1:5", "a2:5"]
    assert ids(store.quotes_page(Scope(), speaker_entity="e1", limit=9)) == ["a1:5"]
    assert store.count_quotes(Scope(outlet="Times")) == 1
    [quote] = store.quotes_page(Scope(articles=("a2",)), limit=1)
    assert quote.speaker == Speaker("Ann Lee", None)


def test_bulk_load_adds_everything_in_one_go(store: Store) -> None:
    from storyline.store.base import Scope

    store.replace_entities([Entity("e1", "Ann Lee", "PERSON")], [])
    quote = Quote(5, 9, "said", "direct", "said", "Ann Lee")
    store.bulk_load(
        [(_article("b1"), ["0:x"]), (_article("b2"), [])],
        enrichments=[Enrichment("b1", "v1", quotes=[quote]), Enrichment("b2", "v1")],
        links=[("b1", "Ann Lee", "e1", 2), ("b2", "Ann Lee", "e1", 1)],
        events=[Event("ev1", ["b1", "b2"], storyline="s1")],
        storylines=[Storyline("s1", "Story", ["ev1"])],
    )
    assert [a.id for a in store.articles()] == ["b1", "b2"]
    assert store.articles_sharing_bands(["0:x"]) == ["b1"]
    assert store.unenriched("v1") == []
    [lee] = store.entities()
    assert (lee.articles, lee.mentions) == (2, 3)
    assert [e.id for e in store.events_of_articles(["b2"])] == ["ev1"]
    assert [q.id for q in store.quotes_page(Scope(), limit=5)] == ["b1:5"]
    assert set(store.search_articles("council")) == {"b1", "b2"}


def test_what_a_reader_makes_of_nul_and_surrogates_stores_on_every_backend(
    store: Store, tmp_path: Path
) -> None:
    feed = tmp_path / "nul.jsonl"
    record = {
        "title": "A\x00B",
        "text": "Bridge\x00 opened \ud800today.",
        "tags": {"k\x00": "v\x00"},
    }
    feed.write_text(json.dumps(record) + "\n")
    [article] = [a for a in read_paths([str(feed)]) if isinstance(a, Article)]
    assert store.add_article(article)
    assert store.article(article.id) == article


def test_articles_of_an_entity_come_from_its_links(store: Store) -> None:
    for aid in ("a1", "a2", "a3"):
        store.add_article(_article(aid))
    store.replace_entities(
        [Entity("e1", "Ann Lee", "PERSON")],
        [("a1", "Ann Lee", "e1", 1), ("a3", "Lee", "e1", 1)],
    )
    assert sorted(a.id for a in store.articles_of_entity("e1", limit=5)) == ["a1", "a3"]
    assert len(store.articles_of_entity("e1", limit=1)) == 1
    assert store.articles_of_entity("zz", limit=5) == []


def test_publications_are_read_without_the_articles(store: Store) -> None:
    store.add_article(_article("a1"))
    inferred = Published(
        precision="day", candidates=("2019-03-08",), evidence="Friday, March 8",
        inferred="2019-03-08", inference="nearest year",
    )  # fmt: skip
    store.set_published("a1", dataclasses.asdict(inferred))
    assert store.publications() == {"a1": inferred}
    back = store.article("a1")
    assert back is not None and back.published == inferred
