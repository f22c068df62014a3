"""A small store built from constructed records, and the app over it.

Four articles (one hostile), two entities, three events (one undated, one not yet described)
and a storyline: enough for every listing, filter and page to have something to show.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from storyline import api
from storyline.config import Config
from storyline.enrich.entity_keys import entity_keys
from storyline.enrich.names import fold
from storyline.records import (
    Article,
    Enrichment,
    Entity,
    Event,
    EventDate,
    EventDetails,
    EventTime,
    Framed,
    KeyQuote,
    Mention,
    PlaceEvidence,
    Published,
    Quote,
    Source,
    SpeakerQuotes,
    Storyline,
    SummarySentence,
    TimeExpr,
)
from storyline.store.base import Store
from storyline.store.sqlite import SQLiteStore
from storyline.web.app import create_app

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

TOKEN = "s3cret-token"
EVIL_TITLE = 'Evil headline <script>alert("x")</script>'

TEXTS = {
    "a1": (
        'Mayor Ann Lee said "We will fix every road this year," on Tuesday. '
        "The council met in Springfield on 2 March 2021 and passed the budget."
    ),
    "a2": (
        "Lee, the embattled mayor, defended the budget in Springfield on Tuesday. "
        '"It is a fair plan," Lee told reporters.'
    ),
    "a3": (
        "On Tuesday the <img src=x onerror=alert(1)> council met in Springfield. "
        '"<b>Not bold</b>" said Mallory.'
    ),
    "a4": "On 10 April 2021 the Springfield council reversed the budget vote. Ann Lee objected.",
}


def pytest_configure(config: pytest.Config) -> None:
    """Register the `browser` marker (end-to-end tests that drive Chromium)."""
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright")


def at(aid: str, part: str, nth: int = 0) -> tuple[int, int]:
    """The (start, end) offsets of the nth occurrence of `part` in article `aid`'s text."""
    text, start = TEXTS[aid], -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, c in enumerate(text):
        if c == "." and (i + 1 == len(text) or text[i + 1] == " "):
            out.append((start, i + 1))
            start = i + 2
    return out


def _mention(aid: str, part: str, label: str, key: str, nth: int = 0) -> Mention:
    s, e = at(aid, part, nth)
    return Mention(s, e, part, label, key)


def _quote(aid: str, part: str, speaker: str, cue: str) -> Quote:
    s, e = at(aid, part)
    return Quote(s, e, part, "direct", cue=cue, speaker=speaker)


def _articles() -> list[Article]:
    meta = {
        "a1": ("Council passes budget", "Springfield Gazette", "2021-03-02"),
        "a2": ("Mayor defends budget", "Shelbyville Times", "2021-03-03"),
        "a3": (EVIL_TITLE, "Evil News", "2021-03-04"),
        "a4": ("Budget vote reversed", "Springfield Gazette", "2021-04-11"),
    }
    return [
        Article(
            id=aid,
            source=f"{aid}.txt",
            text=TEXTS[aid],
            raw=TEXTS[aid],
            title=title,
            url="javascript:alert(1)" if aid == "a3" else f"https://news.example/{aid}",
            outlet=outlet,
            byline=["<script>x</script>"] if aid == "a3" else ["Reporter"],
            published=Published(date=date, precision="day", candidates=(date,), evidence=date),
        )
        for aid, (title, outlet, date) in meta.items()
    ]


def _enrichments() -> list[Enrichment]:
    return [
        Enrichment(
            "a1",
            "test",
            mentions=[
                _mention("a1", "Ann Lee", "PERSON", "Ann Lee"),
                _mention("a1", "Springfield", "GPE", "Springfield"),
            ],
            times=[
                TimeExpr(*at("a1", "2 March 2021"), "2 March 2021", "DATE", "2021-03-02", "day")
            ],
            quotes=[_quote("a1", "We will fix every road this year,", "Ann Lee", "said")],
            event_time=EventTime("2021-03-02", "day", "2 March 2021", *at("a1", "2 March 2021")),
            sentences=_sentences(TEXTS["a1"]),
        ),
        Enrichment(
            "a2",
            "test",
            mentions=[
                _mention("a2", "Lee", "PERSON", "Lee"),
                _mention("a2", "Springfield", "GPE", "Springfield"),
                _mention("a2", "Lee", "PERSON", "Lee", nth=1),
            ],
            quotes=[_quote("a2", "It is a fair plan,", "Lee", "told")],
            sentences=_sentences(TEXTS["a2"]),
        ),
        Enrichment(
            "a3",
            "test",
            mentions=[_mention("a3", "Mallory", "PERSON", "Mallory")],
            quotes=[_quote("a3", "<b>Not bold</b>", "Mallory", "said")],
            sentences=_sentences(TEXTS["a3"]),
        ),
        Enrichment(
            "a4",
            "test",
            mentions=[
                _mention("a4", "Springfield", "GPE", "Springfield"),
                _mention("a4", "Ann Lee", "PERSON", "Ann Lee"),
            ],
            times=[TimeExpr(*at("a4", "10 April 2021"), "10 April 2021", "DATE", "2021-04-10")],
            sentences=_sentences(TEXTS["a4"]),
        ),
    ]


def _entities() -> tuple[list[Entity], list[tuple[str, str, str, int]]]:
    lee_start, _ = at("a2", "Lee")
    entities = [
        Entity(
            "e-lee",
            "Ann Lee",
            "PERSON",
            aliases=["Ann Lee", "Lee"],
            merges=[
                {
                    "alias": "Lee",
                    "into": "Ann Lee",
                    "why": "surname",
                    "article": "a2",
                    "start": lee_start,
                }
            ],
        ),
        Entity("e-spr", "Springfield", "GPE", aliases=["Springfield"]),
        Entity("e-mal", "<i>Mallory</i>", "PERSON", aliases=["Mallory"]),
    ]
    links = [
        ("a1", "Ann Lee", "e-lee", 1),
        ("a2", "Lee", "e-lee", 2),
        ("a4", "Ann Lee", "e-lee", 1),
        ("a1", "Springfield", "e-spr", 1),
        ("a2", "Springfield", "e-spr", 1),
        ("a4", "Springfield", "e-spr", 1),
        ("a3", "Mallory", "e-mal", 1),
    ]
    return entities, links


def _events() -> tuple[list[Event], list[Storyline]]:
    q1, q2 = at("a1", "We will fix every road this year,"), at("a2", "It is a fair plan,")
    described = Event(
        "ev1",
        ["a1", "a2"],
        date=EventDate("2021-03-02", "day", "2 March 2021", "a1"),
        headline="Springfield council passes the budget",
        summary="The council met in Springfield on 2 March 2021 and passed the budget.",
        place="Springfield",
        participants=["Ann Lee"],
        storyline="sl-budget",
        details=EventDetails(
            described=True,
            sources=(
                Source("a1", "Springfield Gazette", "Council passes budget", "2021-03-02"),
                Source("a2", "Shelbyville Times", "Mayor defends budget", "2021-03-03"),
            ),
            quotes=(
                SpeakerQuotes(
                    "Ann Lee",
                    (
                        KeyQuote(
                            "a1",
                            "Springfield Gazette",
                            q1[0],
                            q1[1],
                            "We will fix every road this year,",
                            "said",
                        ),
                        KeyQuote(
                            "a2", "Shelbyville Times", q2[0], q2[1], "It is a fair plan,", "told"
                        ),
                    ),
                ),
            ),
            framing={
                "Ann Lee": {
                    "Springfield Gazette": (Framed("Mayor", "a1", 0, 5),),
                    "Shelbyville Times": (
                        Framed("the embattled mayor", "a2", at("a2", "the embattled mayor")[0], 0),
                    ),
                }
            },
            summary=(
                SummarySentence(
                    "a1",
                    at("a1", "The council")[0],
                    len(TEXTS["a1"]),
                    "The council met in Springfield on 2 March 2021 and passed the budget.",
                ),
            ),
            place=PlaceEvidence("Springfield", "a1", "text", at("a1", "Springfield")[0]),
        ),
    )
    undescribed = Event(
        "ev2",
        ["a4"],
        date=EventDate("2021-04-10", "day", "10 April 2021", "a4"),
        storyline="sl-budget",
    )
    undated = Event("ev3", ["a3"], headline=EVIL_TITLE)
    storyline = Storyline("sl-budget", "Springfield budget", ["ev1", "ev2"], ["Ann Lee"])
    return [described, undescribed, undated], [storyline]


def index_keys(entities: Sequence[Entity]) -> list[tuple[str, str]]:
    """The index keys each entity is found by, as ingestion files them."""
    return sorted(
        (key, e.id)
        for e in entities
        for key in entity_keys(
            {fold(n) for n in [e.name, *e.aliases]}, person=e.type == "PERSON", place=False
        )
    )


def fill(store: Store) -> None:
    """Put the constructed corpus into a store through its interface."""
    for article in _articles():
        store.add_article(article)
    for enrichment in _enrichments():
        store.save_enrichment(enrichment)
    entities, links = _entities()
    store.replace_entities(entities, links, keys=index_keys(entities))
    store.replace_events(*_events())


def stub_ingest(store: Store, articles: Sequence[Article], config: Config) -> api.IngestReport:
    """Store without NLP: the API's contract, without loading a language model."""
    return api.add_articles(store, articles, config=config)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "web.db"
    with SQLiteStore(path) as store:
        fill(store)
    return path


def make_client(db: Path, **config: Any) -> TestClient:
    """A client of the app over `db`; Config fields (write_token, protect_reads) as keywords."""
    with warnings.catch_warnings():  # starlette nudges towards httpx2; dev pins httpx
        warnings.filterwarnings("ignore", message=".*httpx2")
        from fastapi.testclient import TestClient
    return TestClient(create_app(Config(db=db, **config), ingest=stub_ingest))


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with make_client(db) as c:
        yield c


@pytest.fixture
def writer(db: Path) -> Iterator[TestClient]:
    with make_client(db, write_token=TOKEN) as c:
        yield c
