"""From paths to articles: every format, stable ids, and a named problem for each bad input."""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.read.clean import recurring_lines
from storyline.read.reader import (
    Limits,
    Problem,
    Skipped,
    article_id,
    expand_paths,
    read_paths,
    short_lines_of,
)
from storyline.records import Article
from tests.read.test_clean import COURIER, LEDGER_ONE, LEDGER_TWO
from tests.strategies import RECORDS, hostile_text

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
    assert art.language == "en"


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
    [problem] = _problems(list(read_paths([str(big)], limits=Limits(max_bytes=1000))))
    assert "limit" in problem.reason


def test_globs_directories_and_ids(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(STORY)
    (tmp_path / "b.md").write_text(STORY)
    (tmp_path / "notes.bin").write_bytes(b"ignored in directories")
    found = list(expand_paths([str(tmp_path)]))
    assert [Path(f).name for f in found if isinstance(f, str)] == ["b.md", "a.txt"]
    assert [str(f) for f in found if isinstance(f, Skipped)] == [
        f"{tmp_path / 'notes.bin'}: unknown extension .bin, not read"
    ]
    assert [Path(str(f)).name for f in expand_paths([str(tmp_path / "*.md")])] == ["b.md"]
    [nothing] = list(expand_paths([str(tmp_path / "*.csv")]))
    assert isinstance(nothing, Problem)
    same = _articles(list(read_paths([str(tmp_path)])))
    assert len({a.id for a in same}) == 1  # same story, same id
    assert article_id("A  story.") == article_id("a story.")
    assert article_id("Let's eat, grandma.") != article_id("Let's eat grandma.")
    assert article_id("A story.") != article_id("Another story.")


def test_seeds_read_without_problems(seeds: Path) -> None:
    items = list(read_paths(sorted(str(p) for p in seeds.glob("*.txt"))))
    assert not _problems(items)
    assert len(_articles(items)) == 5


GOOD = {"title": "Fair opens", "text": "The spring fair opened on Saturday with 200 stalls."}


def test_hostile_files_are_named_and_good_ones_read(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 5000 + "]" * 5000)
    (tmp_path / "bigcell.csv").write_text('title,text\nBig,"' + "word " * 40000 + '"\n')
    (tmp_path / "huge.jsonl").write_text(json.dumps({"text": "word " * 30000}) + "\n")
    (tmp_path / "good.jsonl").write_text(json.dumps({**GOOD, "published": "Aprıl 5, 2016"}))
    os.mkfifo(tmp_path / "pipe.txt")
    limits = Limits(max_text_chars=100_000, max_json_depth=64, max_csv_field=100_000)
    items = list(read_paths([str(tmp_path)], limits=limits))  # the FIFO would block if opened
    reasons = {Path(p.source.split(":")[0]).name: p.reason for p in _problems(items)}
    assert "max_json_depth" in reasons["deep.json"] and "line 2" in reasons["bigcell.csv"]
    assert "max_csv_field" in reasons["bigcell.csv"] and "max_text_chars" in reasons["huge.jsonl"]
    assert "named pipe" in reasons["pipe.txt"]
    [art] = _articles(items)
    assert art.title == "Fair opens" and art.published.date == "2016-04-05"


def test_line_separators_nul_and_lone_surrogates_stay_inside_a_record(tmp_path: Path) -> None:
    feed = tmp_path / "seps.jsonl"
    text = "A bridge opened\u2028on Tuesday.\u0085It cost\x00 10 million \ud800euros."
    feed.write_text(json.dumps({"title": "Bridge\x00", "text": text, "tags": ["a\x00"]}) + "\n")
    [art] = list(read_paths([str(feed)]))
    assert isinstance(art, Article) and art.source == f"{feed}:1"
    assert art.text.startswith("A bridge opened\u2028on Tuesday.\u0085It cost 10 million")
    assert "\x00" not in art.text + (art.title or "") and art.metadata["tags"] == ["a"]
    art.text.encode("utf-8")  # storable: the lone surrogate is replaced


def test_an_unexpected_failure_is_a_problem_for_that_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str, **_: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("storyline.read.reader.read_html", broken)
    (tmp_path / "a.html").write_text(PAGE)
    (tmp_path / "b.txt").write_text(STORY)
    items = list(read_paths([str(tmp_path)]))
    [problem] = _problems(items)
    assert problem.source.endswith("a.html") and "RecursionError" in problem.reason
    assert len(_articles(items)) == 1


def test_files_are_read_one_at_a_time(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps(GOOD))
    second.write_text(json.dumps(GOOD))
    items = read_paths([str(first), str(second)])
    assert isinstance(next(items), Article)
    second.unlink()  # not yet read: the batch streams
    [problem] = list(items)
    assert isinstance(problem, Problem) and "no such file" in problem.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every directory")
def test_an_unreadable_directory_is_a_problem(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(STORY)
    locked.chmod(0)
    try:
        [problem] = list(expand_paths([str(tmp_path)]))
    finally:
        locked.chmod(0o700)
    assert isinstance(problem, Problem) and "not readable" in problem.reason


def test_every_file_a_folder_holds_is_read_or_named(tmp_path: Path) -> None:
    """Known extensions and files without one are read; the rest are named with the reason."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "story.txt").write_text(STORY)
    (tmp_path / ".draft.txt").write_text(STORY)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "ARTICLE").write_text(STORY.replace("Thursday", "Friday"))
    (tmp_path / "page.htm").write_text(PAGE)
    items = list(read_paths([str(tmp_path)]))
    skipped = {Path(s.source).name: s.reason for s in items if isinstance(s, Skipped)}
    assert skipped == {
        ".git": "hidden folder, not read",
        ".draft.txt": "hidden file, not read",
        "scan.pdf": "unknown extension .pdf, not read",
    }
    assert sorted(Path(a.source).name for a in _articles(items)) == ["ARTICLE", "page.htm"]
    assert len(_problems(items)) == len(skipped)  # skips are problems of their own kind only
    # A file named on the command line is read whatever its extension.
    named = tmp_path / "story.article"
    named.write_text(STORY)
    assert _articles(list(read_paths([str(named)])))


ZH_PAGE = """<html><head><title>港口工人结束罢工</title></head><body><article><h1>港口工人结束罢工</h1>
<p>星期四上午，哈尔维克港的码头工人在为期两天的罢工后恢复工作。工会表示，双方就加班费问题达成了协议。</p>
<p>工会负责人对记者说：“我们得到了我们想要的。”港口管理局说，积压的货物将在本周内运走。</p>
</article></body></html>"""
JA_PAGE = """<html><head><title>港の労働者がストを終了</title></head><body><article>
<p>ハルヴィク港の港湾労働者は木曜日、二日間のストライキを終えて仕事に戻った。組合によると、合意が成立した。</p>
<p>組合の代表は記者団に対し「求めていたものを手に入れた」と述べた。貨物は今週中に運び出される。</p>
</article></body></html>"""
ZH_TEXT = (
    "港口工人结束罢工\n\n"
    "星期四上午，哈尔维克港的码头工人在为期两天的罢工后恢复工作。工会表示，双方达成了协议。\n\n"
    "工会负责人对记者说：“我们得到了我们想要的。”\n"
)


def test_chinese_and_japanese_are_measured_in_characters(tmp_path: Path) -> None:
    (tmp_path / "zh.html").write_text(ZH_PAGE, encoding="utf-8")
    (tmp_path / "ja.html").write_text(JA_PAGE, encoding="utf-8")
    (tmp_path / "zh.txt").write_text(ZH_TEXT, encoding="utf-8")
    (tmp_path / "menu.html").write_text(
        "<html><body><article><p>首页 新闻 体育</p></article></body></html>", encoding="utf-8"
    )
    items = list(read_paths([str(tmp_path)]))
    read = {Path(a.source).name: a for a in _articles(items)}
    assert sorted(read) == ["ja.html", "zh.html", "zh.txt"]
    assert "码头工人" in read["zh.html"].text and "港湾労働者" in read["ja.html"].text
    assert read["zh.txt"].title == "港口工人结束罢工" and "协议" in read["zh.txt"].text
    [problem] = _problems(items)
    assert problem.source.endswith("menu.html") and "no article text" in problem.reason


def test_dates_of_month_or_year_precision_from_every_source(tmp_path: Path) -> None:
    body = "The council of Halvik voted on Tuesday to close the old harbour bridge for repairs."
    records = [
        {"text": body, "published": "2016-10"},
        {"text": body + " Two years.", "published": "2016"},
        {"text": body + " Cost.", "url": "https://e.org/news/2016/10/bridge"},
        {"text": body + " Vote.", "published": "5. November 2023"},
    ]
    (tmp_path / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (tmp_path / "printed.txt").write_text(f"Bridge closes\nThe Gazette\nNovember 2017\n\n{body}\n")
    (tmp_path / "page.html").write_text(
        '<html><head><title>Bridge</title><link rel="canonical" href="https://e.org/2017/11/b">'
        f"</head><body><article><h1>Bridge closes</h1><p>{body}</p><p>{body} Again.</p>"
        "</article></body></html>"
    )
    found = {
        Path(a.source).name: (a.published.date, a.published.precision)
        for a in _articles(list(read_paths([str(tmp_path)])))
    }
    assert found == {
        "feed.jsonl:1": ("2016-10", "month"),
        "feed.jsonl:2": ("2016", "year"),
        "feed.jsonl:3": ("2016-10", "month"),
        "feed.jsonl:4": ("2023-11-05", "day"),
        "printed.txt": ("2017-11", "month"),
        "page.html": ("2017-11", "month"),
    }


@given(
    st.binary(max_size=600) | hostile_text(400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(["a.txt", "a.html", "a.json", "a.jsonl", "a.csv", "a.txt.gz", "a"]),
)
def test_any_file_gives_articles_or_problems(warm_parsers: None, data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        for item in read_paths([str(path), folder]):
            assert isinstance(item, (Article, Problem))
            if isinstance(item, Article):
                item.text.encode("utf-8")  # storable on both backends
                assert "\x00" not in item.text


@given(st.lists(RECORDS, min_size=1, max_size=3))
def test_any_feed_records_give_storable_articles_or_problems(
    warm_parsers: None, records: list[dict[str, Any]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
        items = list(read_paths([str(path)]))
    assert len(items) == len(records)
    for item in items:
        if isinstance(item, Article):
            stored = json.dumps([item.text, item.title, item.metadata], ensure_ascii=False)
            stored.encode("utf-8")  # no lone surrogate
            assert "\\u0000" not in stored  # no NUL (PostgreSQL refuses both)


def test_files_read_apart_with_the_batch_common_lines_read_as_in_one_batch(
    tmp_path: Path,
) -> None:
    """What lets workers read a batch file by file: its common lines, gathered file by file."""
    files = []
    for name, text in (("a.txt", LEDGER_ONE), ("b.txt", COURIER), ("c.txt", LEDGER_TWO)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    whole = list(read_paths(files))
    common = recurring_lines(short_lines_of(f) for f in files)
    assert [item for f in files for item in read_paths([f], common=common)] == whole
    assert [item for f in files for item in read_paths([f])] != whole  # the lines matter here
