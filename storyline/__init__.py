"""Storyline: turn a pile of news articles into a sourced, dated timeline of events.

The library comes first; the `storyline` command and the web app are thin layers over
these verbs::

    import storyline
    with storyline.open_store("news.db") as store:
        report = storyline.ingest(["articles/"], store=store)
        for event in store.events():
            print(event.date, event.headline)
"""

from storyline.api import (
    IngestReport,
    add_articles,
    article_detail,
    enrich,
    ingest,
    open_store,
    parse_window,
)
from storyline.config import Config, load_config
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
from storyline.store.base import Store

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Config",
    "Enrichment",
    "Entity",
    "Event",
    "EventDate",
    "EventTime",
    "IngestReport",
    "Mention",
    "Published",
    "Quote",
    "Store",
    "Storyline",
    "TimeExpr",
    "__version__",
    "add_articles",
    "article_detail",
    "enrich",
    "ingest",
    "load_config",
    "open_store",
    "parse_window",
]
