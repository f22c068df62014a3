"""The library verbs: per-article transactions, near-duplicate links, windows, resuming a batch."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import storyline
from storyline.api import add_articles, parse_window
from storyline.read.reader import Problem, read_paths
from storyline.records import Article

STORY = (
    "The port authority of Halvik said on Thursday that dock workers would return to work "
    "after a two-day strike over pay ended with an agreement on overtime rates and safety "
    "rules. The union leader told reporters the deal was a fair compromise for both sides, "
    "and that ships waiting outside the harbour could begin unloading on Friday morning."
)


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, source=f"{aid}.txt", text=text, raw=text)


def test_near_duplicate_is_stored_and_linked(tmp_path: Path) -> None:
    with storyline.open_store(tmp_path / "s.db") as store:
        copy = STORY.replace("told reporters", "told the wire") + " Wire staff contributed."
        other = "The central bank left its rate unchanged on Wednesday, citing slower inflation."
        report = add_articles(
            store, [_article("a", STORY), _article("b", copy), _article("c", other)]
        )
        assert report.added == ["a", "b", "c"]
        assert report.duplicates == {"b": "a"}
        stored = store.article("b")
        assert stored is not None and stored.duplicate_of == "a"
        again = add_articles(store, [_article("a", STORY)])
        assert again.unchanged == ["a"] and not again.added


def test_a_crash_mid_batch_keeps_what_was_stored_and_a_rerun_completes(tmp_path: Path) -> None:
    items = [
        _article(f"a{i}", f"Report number {i} on the council vote in Marsk.") for i in range(4)
    ]

    def crashing() -> Iterator[Article | Problem]:
        yield from items[:2]
        raise RuntimeError("power cut")

    with storyline.open_store(tmp_path / "s.db") as store:
        with pytest.raises(RuntimeError):
            add_articles(store, crashing())
        assert store.count_articles() == 2
        report = add_articles(store, items)
        assert report.unchanged == ["a0", "a1"] and report.added == ["a2", "a3"]
        assert store.count_articles() == 4


def test_window_parsing() -> None:
    assert parse_window("2015-01-01..2020-12-31") == (dt.date(2015, 1, 1), dt.date(2020, 12, 31))
    for bad in ("2015-01-01", "2015..2020", "2020-01-01..2019-01-01"):
        with pytest.raises(ValueError):
            parse_window(bad)


def test_window_resolves_a_yearless_date(seeds: Path) -> None:
    path = str(next(seeds.glob("004_*.txt")))
    [plain] = [a for a in read_paths([path]) if isinstance(a, Article)]
    [windowed] = [
        a
        for a in read_paths([path], window=(dt.date(2015, 1, 1), dt.date(2020, 12, 31)))
        if isinstance(a, Article)
    ]
    assert plain.published.date is None
    assert {"2013-03-08", "2019-03-08", "2024-03-08"} <= set(plain.published.candidates)
    assert windowed.published.date == "2019-03-08"
    assert windowed.published.evidence == "Friday, March 8"


@pytest.mark.slow
def test_dates_known_to_the_month_or_year_are_kept_and_never_stop_a_batch(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    records = [
        {"title": "Harbour vote", "text": STORY, "published": "2016-10"},
        {"title": "Harbour deal", "text": STORY.replace("Halvik", "Orsk"), "published": "2016"},
        {"text": STORY.replace("Thursday", "Monday"), "url": "https://e.org/2016/10/deal"},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records))
    printed = tmp_path / "printed.txt"
    printed.write_text("Dock strike ends\nNovember 2017\n\n" + STORY.replace("two-day", "long"))
    with storyline.open_store(tmp_path / "s.db") as store:
        report = storyline.ingest([str(feed), str(printed)], store=store)
        assert report.ok and len(report.added) == 4 and report.enriched == 4
        published = {a.source.rsplit("/", 1)[-1]: a.published for a in store.articles()}
        assert [(p.date, p.precision) for _, p in sorted(published.items())] == [
            ("2016-10", "month"),
            ("2016", "year"),
            ("2016-10", "month"),
            ("2017-11", "month"),
        ]
        placed = {a for event in store.events() for a in event.articles}
        assert placed == {a.id for a in store.articles()}


def test_intervals_read_as_seconds() -> None:
    from storyline.api import parse_every

    assert parse_every("30s") == 30 and parse_every("15m") == 900
    assert parse_every("1h30m") == 5400 and parse_every("1D") == 86400
    for bad in ("", "15", "m", "0m", "15 minutes", "-5m"):
        with pytest.raises(ValueError):
            parse_every(bad)
