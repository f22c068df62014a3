"""A small invented corpus: two dated events, one undated, one storyline, with mentions and quotes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from storyline.records import (
    Article,
    Descriptor,
    Enrichment,
    Entity,
    Event,
    EventDate,
    Mention,
    Published,
    Quote,
    Storyline,
)
from storyline.store.sqlite import SQLiteStore
from storyline.tell.describe import describe_event

HOSTILE = "<script>alert(1)</script>"

TEXTS = {
    "a1": (
        "Prime Minister Ilona Varga survived a confidence vote in Parliament on Tuesday after a"
        " week of protests in Lunda. The motion failed by twelve votes, with two coalition"
        " partners abstaining at the last minute. Varga thanked her allies and promised early"
        " talks on the budget. “We will not be distracted by theatre,” Varga said."
        " Subscribe to our newsletter for daily updates on the vote."
    ),
    "a2": (
        "Varga, the embattled premier, won a confidence vote in Parliament on Tuesday after a"
        " week of street protests. Prime Minister Ilona Varga survived the confidence vote in"
        " Parliament on Tuesday after a week of protests. Opposition leader Marek Doll called"
        " the result a disgrace for the country. “This government has lost the country,” Doll"
        " said. The coalition now faces a difficult budget debate in April."
    ),
    "a3": (
        "The self-styled governor Anton Reis declared control of Oria province on Saturday."
        " Reis, a former army colonel, addressed a crowd of supporters in Port Sel. Prime"
        " Minister Ilona Varga called the declaration illegal and void. “Oria belongs to its"
        " people,” Reis said."
    ),
    "a4": (
        "Separatist leader Anton Reis claimed the governorship of Oria on Saturday. Hundreds"
        " gathered in Port Sel to hear the speech, which lasted an hour."
    ),
    "a5": (
        "The central bank of Kestria held interest rates steady on a split vote. Analysts"
        " had expected the decision after inflation slowed for a third month."
    ),
}

# surface text -> (label, article-level key, entity id)
NAMES = {
    "Ilona Varga": ("PERSON", "Ilona Varga", "e-varga"),
    "Varga": ("PERSON", "Ilona Varga", "e-varga"),
    "Marek Doll": ("PERSON", "Marek Doll", "e-doll"),
    "Doll": ("PERSON", "Marek Doll", "e-doll"),
    "Anton Reis": ("PERSON", "Anton Reis", "e-reis"),
    "Reis": ("PERSON", "Anton Reis", "e-reis"),
    "Parliament": ("ORG", "Parliament", "e-parliament"),
    "Oria": ("GPE", "Oria", "e-oria"),
    "Port Sel": ("GPE", "Port Sel", "e-portsel"),
    "Lunda": ("GPE", "Lunda", "e-lunda"),
    "Kestria": ("GPE", "Kestria", "e-kestria"),
}
ENTITIES = [
    Entity("e-varga", "Ilona Varga", "PERSON", ["Varga", "Premier Varga"]),
    Entity("e-doll", "Marek Doll", "PERSON", ["Doll"]),
    Entity("e-reis", "Anton Reis", "PERSON", ["Reis"]),
    Entity("e-parliament", "Parliament", "ORG"),
    Entity("e-oria", "Oria", "GPE"),
    Entity("e-portsel", "Port Sel", "GPE"),
    Entity("e-lunda", "Lunda", "GPE"),
    Entity("e-kestria", "Kestria", "GPE"),
]


def _mentions(text: str) -> list[Mention]:
    """Every name in NAMES, longest first, never overlapping."""
    taken: list[tuple[int, int]] = []
    out = []
    for surface in sorted(NAMES, key=len, reverse=True):
        label, key, _ = NAMES[surface]
        for m in re.finditer(rf"\b{re.escape(surface)}\b", text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append(Mention(m.start(), m.end(), surface, label, key))
    return sorted(out, key=lambda m: m.start)


def _quotes(text: str) -> list[Quote]:
    out = []
    for m in re.finditer(r"“([^”]+)”\s+(\w+) said", text):
        key = NAMES[m[2]][1]
        out.append(Quote(m.start(1), m.end(1), m[1], "direct", "said", key))
    return out


# article -> (person's key, phrase, kind) as the enrich stage reads them from the parse
PHRASES = {
    "a1": [("Ilona Varga", "Prime Minister", "title")],
    "a2": [
        ("Ilona Varga", "embattled premier", "apposition"),
        ("Ilona Varga", "Prime Minister", "title"),
        ("Marek Doll", "Opposition leader", "title"),
    ],
    "a3": [
        ("Anton Reis", "self-styled governor", "title"),
        ("Anton Reis", "former army colonel", "apposition"),
        ("Ilona Varga", "Prime Minister", "title"),
    ],
    "a4": [("Anton Reis", "Separatist leader", "title")],
}


def _descriptors(aid: str, text: str) -> list[Descriptor]:
    out = []
    for key, phrase, kind in PHRASES.get(aid, []):
        start = text.index(phrase)
        sentence = next((s, e) for s, e in _sentences(text) if s <= start < e)
        out.append(Descriptor(key, phrase, kind, start, start + len(phrase), *sentence))
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^.]+?[.”]+(?=\s|$)", text)]


@dataclass
class Corpus:
    articles: dict[str, Article]
    enrichments: dict[str, Enrichment]
    entity_ids: dict[tuple[str, str], str]
    entity_names: dict[str, str]
    events: list[Event]
    storylines: list[Storyline]


@pytest.fixture
def corpus() -> Corpus:
    meta = {
        "a1": ("Daily Ledger", "Varga survives confidence vote - Daily Ledger", "2024-03-05"),
        "a2": (None, "Premier Varga wins confidence vote | Northern Herald", "2024-03-06"),
        "a3": ("Coast Wire", "Reis declares himself governor of Oria", "2024-02-10"),
        "a4": ("Daily Ledger", HOSTILE, "2024-02-11"),
        "a5": ("Coast Wire", "Rates held", None),
    }
    articles = {}
    for aid, (outlet, title, date) in meta.items():
        articles[aid] = Article(
            id=aid,
            source=f"/feeds/{'northern_herald.xml' if aid == 'a2' else aid + '.txt'}",
            text=TEXTS[aid],
            raw=TEXTS[aid],
            title=title,
            url="javascript:alert(1)" if aid == "a4" else f"https://news.example/{aid}",
            outlet=outlet,
            dateline="LUNDA, Kestria" if aid == "a1" else None,
            published=Published(date=date, precision="day" if date else None),
        )
    enrichments = {
        aid: Enrichment(
            article_id=aid,
            pipeline="test",
            mentions=_mentions(text),
            quotes=_quotes(text),
            sentences=[] if aid == "a2" else _sentences(text),
            descriptors=_descriptors(aid, text),
        )
        for aid, text in TEXTS.items()
    }
    entity_ids = {
        (aid, m.key): NAMES[m.key][2] for aid, e in enrichments.items() for m in e.mentions
    }
    events = [
        Event(
            "ev-vote",
            ["a2", "a1"],
            EventDate("2024-03-05", "day", "on Tuesday", "a1"),
            storyline="s1",
        ),
        Event(
            "ev-reis",
            ["a3", "a4"],
            EventDate("2024-02-10", "day", "on Saturday", "a3"),
            storyline="s1",
        ),
        Event("ev-rates", ["a5"]),
    ]
    storylines = [Storyline("s1", "Varga and Reis", ["ev-reis", "ev-vote"])]
    return Corpus(
        articles, enrichments, entity_ids, {e.id: e.name for e in ENTITIES}, events, storylines
    )


@pytest.fixture
def store(corpus: Corpus, tmp_path: Path) -> Iterator[SQLiteStore]:
    db = SQLiteStore(tmp_path / "timeline.db")
    for article in corpus.articles.values():
        db.add_article(article)
    for enrichment in corpus.enrichments.values():
        db.save_enrichment(enrichment)
    counts: dict[tuple[str, str], int] = {}
    for aid, e in corpus.enrichments.items():
        for m in e.mentions:
            counts[(aid, m.key)] = counts.get((aid, m.key), 0) + 1
    links = [(aid, key, corpus.entity_ids[(aid, key)], n) for (aid, key), n in counts.items()]
    db.replace_entities(ENTITIES, links)
    # Described as the link stage stores them: reads never describe.
    described = [
        describe_event(
            e,
            articles=corpus.articles,
            enrichments=corpus.enrichments,
            entity_ids=corpus.entity_ids,
            entity_names=corpus.entity_names,
        )
        for e in corpus.events
    ]
    db.replace_events(described, corpus.storylines)
    yield db
    db.close()
