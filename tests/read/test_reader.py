"""From paths to articles: every format, stable ids, and a named problem for each bad input."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from storyline.read.reader import Problem, article_id, expand_paths, read_paths
from storyline.records import Article

STORY = (
    "Harbour Workers End Strike\n\n"
    "By Lena Brandt\n"
    "March 3, 2022\n\n"
    "Dock workers in the port city of Halvik returned to work on Thursday after a two-day "
    "strike over overtime pay, the union said.\n\n"
    "\u201cWe got what we came for,\u201d said union leader Ivo Marsh.\n"
)
PAGE = """<html><head><title>Bank holds rates | Veloria Daily</title>
<meta property="og:title" content="Bank holds rates">
<meta property="og:site_name" content="Veloria Daily">
<meta name="author" content="Mira Stone">
<meta property="article:published_time" content="2023-12-14T09:30:00Z">
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Bank holds rates</h1>
<p>The central bank of Veloria held its main interest rate at four percent on Thursday,
saying that inflation had eased for a third month in a row.</p>
<p>Governor Anders Holm told reporters that the board would watch wages closely in the new year
and was ready to act if prices rose again.</p>
<p>Markets had expected the decision, and the currency barely moved after the announcement.</p>
</article><footer>Copyright Veloria Daily</footer></body></html>"""


def _articles(items: list[Article | Problem]) -> list[Article]:
    return [a for a in items if isinstance(a, Article)]


def _problems(items: list[Article | Problem]) -> list[Problem]:
    return [p for p in items if isinstance(p, Problem)]


def test_plain_text_file(tmp_path: Path) -> None:
    path = tmp_path / "strike.txt"
    path.write_text(STORY, encoding="utf-8")
    [art] = _articles(list(read_paths([str(path)])))
    assert art.source == str(path)
    assert art.title == "Harbour Workers End Strike"
    assert art.byline == ["Lena Brandt"]
    assert art.published.date == "2022-03-03"
    assert "two-day strike" in art.text and "Lena Brandt" not in art.text
    assert art.raw == STORY


def test_html_page(tmp_path: Path) -> None:
    path = tmp_path / "bank.html"
    path.write_text(PAGE, encoding="utf-8")
    [art] = _articles(list(read_paths([str(path)])))
    assert art.title == "Bank holds rates"
    assert art.outlet == "Veloria Daily"
    assert art.byline == ["Mira Stone"]
    assert art.published.date == "2023-12-14"
    assert "Governor Anders Holm" in art.text and "Home" not in art.text


def test_feeds_name_each_record_and_broken_line(tmp_path: Path) -> None:
    lines = [
        {
            "title": "One",
            "text": "The first report of the council vote in Marsk.",
            "date": "2024-01-02",
        },
        {"title": "Two", "body": "The second report, about the harbour strike in Halvik."},
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(x) for x in lines) + '\n{"title": oops\n')
    csv = tmp_path / "feed.csv"
    csv.write_text('title,content,outlet\nThree,"A third report, from the CSV export.",Wire\n')
    packed = tmp_path / "feed2.jsonl.gz"
    packed.write_bytes(gzip.compress(json.dumps({"text": "A packed report of a launch."}).encode()))
    items = list(read_paths([str(feed), str(csv), str(packed)]))
    arts = _articles(items)
    assert [a.source for a in arts] == [f"{feed}:1", f"{feed}:2", f"{csv}:2", f"{packed}:1"]
    assert arts[0].published.date == "2024-01-02"
    assert arts[2].outlet == "Wire"
    [problem] = _problems(items)
    assert problem.source == f"{feed}:3" and "broken JSON" in problem.reason


def test_bad_inputs_are_named_and_the_rest_read(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(STORY)
    (tmp_path / "binary.txt").write_bytes(os.urandom(4096) + b"\x00")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "nav.html").write_text("<html><body><nav>Home | About</nav></body></html>")
    (tmp_path / "cp1251.txt").write_bytes(
        "Заголовок\n\nПрезидент встретился с министром в столице во вторник утром.\n".encode(
            "cp1251"
        )
    )
    items = list(read_paths([str(tmp_path), str(tmp_path / "missing.txt")]))
    reasons = {Path(p.source).name: p.reason for p in _problems(items)}
    assert set(reasons) == {"binary.txt", "empty.txt", "nav.html", "missing.txt"}
    assert "binary" in reasons["binary.txt"] and "empty" in reasons["empty.txt"]
    assert "no such file" in reasons["missing.txt"]
    titles = {Path(a.source).name: a.title for a in _articles(items)}
    assert titles["cp1251.txt"] == "Заголовок"
    assert "good.txt" in titles


def test_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(STORY * 50)
    [problem] = _problems(list(read_paths([str(big)], max_bytes=1000)))
    assert "limit" in problem.reason


def test_globs_directories_and_ids(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(STORY)
    (tmp_path / "b.md").write_text(STORY)
    (tmp_path / "notes.bin").write_bytes(b"ignored in directories")
    found = list(expand_paths([str(tmp_path)]))
    assert [Path(str(f)).name for f in found] == ["b.md", "a.txt"]
    assert [Path(str(f)).name for f in expand_paths([str(tmp_path / "*.md")])] == ["b.md"]
    [nothing] = list(expand_paths([str(tmp_path / "*.csv")]))
    assert isinstance(nothing, Problem)
    same = _articles(list(read_paths([str(tmp_path)])))
    assert len({a.id for a in same}) == 1  # same story, same id
    assert article_id("A  story.") == article_id("a story")
    assert article_id("A story.") != article_id("Another story.")


def test_seeds_read_without_problems(seeds: Path) -> None:
    items = list(read_paths(sorted(str(p) for p in seeds.glob("*.txt"))))
    assert not _problems(items)
    assert len(_articles(items)) == 5
