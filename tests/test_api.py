"""The library verbs: per-article transactions, near-duplicate links, windows, resuming a batch."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import storyline
from storyline.api import add_articles, article_detail, enrich, parse_window, relink
from storyline.config import Config
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


def test_a_corrected_read_updates_metadata_and_keeps_the_old_in_history(tmp_path: Path) -> None:
    first = {"title": "Dock strik ends", "text": STORY, "date": "2024-06-03", "section": "port"}
    fixed = {"title": "Dock strike ends", "text": STORY, "date": "2024-06-04"}
    (tmp_path / "a.jsonl").write_text(json.dumps(first))
    (tmp_path / "b.jsonl").write_text(json.dumps(fixed))
    (tmp_path / "c.json").write_text(json.dumps([{"text": STORY}]))
    with storyline.open_store(tmp_path / "s.db") as store:
        [aid] = add_articles(store, read_paths([str(tmp_path / "a.jsonl")])).added
        report = add_articles(store, read_paths([str(tmp_path / "b.jsonl")]))
        assert report.updated == [aid] and not report.added
        stored = store.article(aid)
        assert stored is not None and stored.title == "Dock strike ends"
        assert stored.published.date == "2024-06-04" and stored.metadata["section"] == "port"
        [old] = store.article_history(aid)
        assert old["title"] == "Dock strik ends" and old["published"]["date"] == "2024-06-03"
        assert old["source"].endswith("a.jsonl:1")
        # a read that states less, or the same in another format, corrects nothing
        assert add_articles(store, read_paths([str(tmp_path / "c.json")])).unchanged == [aid]
        view = storyline.api.article_detail(store, aid)
        assert view is not None and view["history"] == [old]


def test_a_stored_text_over_the_limit_is_a_failure_not_a_model_error(tmp_path: Path) -> None:
    with storyline.open_store(tmp_path / "s.db") as store:
        add_articles(store, [_article("long", STORY + " More." * 40), _article("ok", STORY)])
        problems: list[Problem] = []
        done = enrich(store, config=Config(max_text_chars=len(STORY) + 10), problems=problems)
        assert done == 1 and [p.source for p in problems] == ["long.txt"]
        assert "max_text_chars" in problems[0].reason
        assert [f.article_id for f in store.failed_articles()] == ["long"]


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


_REPORTS = {
    "a.txt": "Harbour strike ends\n\n" + STORY,
    "b.txt": "Central bank holds\n\nThe central bank of Marsk left its main rate unchanged on "
    "Wednesday, citing slower inflation, and its governor said further cuts were possible "
    "later in the year if wages kept rising slowly.",
    "bad.txt": "Mayor resigns\n\nThe mayor of Orsk resigned on Monday after a vote of no "
    "confidence in the city council, her spokesman said, and new elections will be held "
    "within ninety days under the city charter.",
}


def _fault(stage: str, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Make one real function of `stage` raise for the article about Orsk only; returns the undo."""
    import storyline.enrich.pipeline
    import storyline.link.cluster
    import storyline.read.reader
    import storyline.tell.describe

    def broken(module: Any, name: str, is_bad: Callable[..., bool]) -> None:
        real = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if is_bad(*args, **kwargs):
                raise RuntimeError(f"injected {stage} fault")
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    targets = {
        "read": (storyline.read.reader, "read_plain", lambda raw, *_, **__: "Orsk" in raw),
        "enrich": (
            storyline.enrich.pipeline,
            "find_quotes",
            lambda doc, *_, **__: "Orsk" in doc.text,
        ),
        "link": (storyline.link.cluster, "blocking_keys", lambda p, *_, **__: "orsk" in p.terms),
        "describe": (
            storyline.tell.describe,
            "article_sentences",
            lambda article, *_, **__: "Orsk" in article.text,
        ),
    }
    broken(*targets[stage])
    return monkeypatch.undo


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["read", "enrich", "link", "describe"])
def test_one_bad_article_is_stored_with_its_failure_and_never_stops_the_batch(
    stage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.enrich.pipeline

    for name, text in _REPORTS.items():
        (tmp_path / name).write_text(text)
    undo = _fault(stage, monkeypatch)
    with storyline.open_store(tmp_path / "s.db") as store:
        report = storyline.ingest([str(tmp_path)], store=store)
        assert [str(p) for p in report.problems] == [
            f"{tmp_path / 'bad.txt'}: "
            + ("could not be read (RuntimeError: " if stage == "read" else f"{stage} failed: ")
            + ("RuntimeError: " if stage != "read" else "")
            + f"injected {stage} fault"
            + (")" if stage == "read" else "")
        ]
        assert store.count_articles() == 3
        [bad] = [a for a in store.articles() if a.source.endswith("bad.txt")]
        [failure] = store.failed_articles()
        assert (failure.article_id, failure.stage) == (bad.id, stage)
        detail = article_detail(store, bad.id)
        assert detail is not None and detail["failures"][0]["stage"] == stage
        placed = {a for e in store.events() for a in e.articles}
        good = {a.id for a in store.articles() if a.id != bad.id}
        assert good <= placed
        # The same version never tries it first again: the next run has nothing to report.
        again: list[Problem] = []
        enrich(store, problems=again)
        assert again == [] and len(store.failed_articles()) == 1
        # After an upgrade (a new pipeline version, the fault fixed) it is tried and succeeds.
        undo()
        monkeypatch.setattr(storyline.enrich.pipeline, "PIPELINE_VERSION", "upgraded")
        enrich(store, problems=again)
        assert again == []
        if stage != "read":  # a read failure is kept until the article is read again
            assert store.failed_articles() == []
            assert bad.id in {a for e in store.events() for a in e.articles}


@pytest.mark.slow
def test_without_a_window_a_yearless_date_is_inferred_and_marked(
    seeds: Path, tmp_path: Path
) -> None:
    files = sorted(str(p) for p in seeds.glob("*.txt"))
    with storyline.open_store(tmp_path / "s.db") as store:
        storyline.ingest(files, store=store)
        [messenger] = [a for a in store.articles() if a.source.startswith(files[4])]
        assert messenger.published.date is None
        assert messenger.published.inferred == "2019-03-08"
        [event] = [e for e in store.events() if messenger.id in e.articles]
        assert event.date is not None and event.date.value == "2019-03-06"
        assert event.date.inferred and "weekday" in event.date.inferred
    with storyline.open_store(tmp_path / "w.db") as store:
        window = (dt.date(2015, 1, 1), dt.date(2020, 12, 31))
        storyline.ingest(files, store=store, window=window)
        [messenger] = [a for a in store.articles() if a.source.startswith(files[4])]
        assert messenger.published.date == "2019-03-08" and messenger.published.inferred is None
        [event] = [e for e in store.events() if messenger.id in e.articles]
        assert event.date is not None and event.date.value == "2019-03-06"
        assert event.date.inferred is None


def test_linking_uses_the_scorer_the_configuration_names(seeds: Path, tmp_path: Path) -> None:
    from storyline.link.score import load_scorer

    strict = load_scorer().to_json() | {"threshold": 1.01}
    (tmp_path / "strict.json").write_text(json.dumps(strict))
    files = sorted(str(p) for p in seeds.glob("*.txt"))
    with storyline.open_store(tmp_path / "s.db") as store:
        storyline.ingest(files, store=store)
        shipped = len(store.events())
        assert shipped < store.count_articles()
        relink(store, config=Config(scorer=str(tmp_path / "strict.json")))
        assert len(store.events()) > shipped
