"""The SQLite store: migrations, WAL, FTS, transactions, round trips of every record."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.records import (
    Article,
    Enrichment,
    Entity,
    Event,
    EventDate,
    EventTime,
    Mention,
    Published,
    Quote,
    Storyline,
    TimeExpr,
)
from storyline.store.sqlite import SQLiteStore, migrations


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
        metadata={"format": "text"},
    )


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "s.db")


def test_schema_is_migrated_with_wal_and_foreign_keys(store: SQLiteStore, tmp_path: Path) -> None:
    assert store.schema_version == migrations()[-1][0]
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()
    again = SQLiteStore(tmp_path / "s.db")  # reopening applies nothing twice
    assert again.schema_version == migrations()[-1][0]


def test_article_round_trip_and_idempotence(store: SQLiteStore) -> None:
    art = _article("a1")
    assert store.add_article(art, bands=["0:ab", "1:cd"])
    assert not store.add_article(art)
    back = store.article("a1")
    assert back == art
    assert store.count_articles() == 1
    assert store.articles_sharing_bands(["1:cd", "9:zz"]) == ["a1"]


def test_full_text_search(store: SQLiteStore) -> None:
    store.add_article(_article("a1", "Floods closed the harbour road in Marsk."))
    store.add_article(_article("a2", "The central bank raised its rate."))
    assert store.search_articles("harbour") == ["a1"]
    assert store.search_articles("bank rate") == ["a2"]
    assert store.search_articles("!!") == []


def test_failed_write_leaves_store_unchanged(store: SQLiteStore) -> None:
    store.add_article(_article("a1"))
    bad = _article("a2")
    bad.duplicate_of = "missing"  # foreign key violation: the whole insert rolls back
    with pytest.raises(Exception, match="FOREIGN KEY"):
        store.add_article(bad, bands=["0:x"])
    assert [a.id for a in store.articles()] == ["a1"]
    assert store.articles_sharing_bands(["0:x"]) == []


def test_enrichment_entities_quotes_round_trip(store: SQLiteStore) -> None:
    store.add_article(_article("a1"))
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
    assert store.unenriched("v1") == []
    assert store.unenriched("v2") == ["a1"]
    store.replace_entities(
        [Entity("e1", "Ann Lee", "PERSON", ["Ann Lee", "Lee"])], [("a1", "Ann Lee", "e1", 3)]
    )
    [row] = store.entities()
    assert (row["name"], row["articles"], row["mentions"]) == ("Ann Lee", 1, 3)
    [quote] = store.quotes(speaker="lee")
    assert quote["speaker"] == {"name": "Ann Lee", "entity_id": "e1"}
    assert quote["source"] == "a1.txt"
    assert store.quotes(speaker="nobody") == []


def test_events_and_storylines_round_trip(store: SQLiteStore) -> None:
    store.add_article(_article("a1"))
    event = Event(
        id="ev1",
        articles=["a1"],
        date=EventDate("2021-03-02", "day", "On Tuesday", "a1"),
        headline="Council meets",
        storyline="st1",
        details={"sources": [{"outlet": "Gazette"}]},
    )
    story = Storyline(id="st1", title="Council", events=["ev1"], participants=["Ann Lee"])
    store.replace_events([event], [story])
    assert store.events() == [event]
    assert store.storylines() == [story]
