"""A timeline: the events a reader asked for, in date order, with what is needed to show them.

`build_timeline` only reads the store; `render` (re-exported from `tell.render`) turns the
result into text, Markdown, JSON or one self-contained HTML page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.records import Article, Enrichment, Event, Storyline
from storyline.store.base import Store
from storyline.tell.render import FORMATS, render
from storyline.tell.views import entity_names

__all__ = ["FORMATS", "Timeline", "build_timeline", "render"]


@dataclass
class Timeline:
    """Dated events in date order, undated ones apart, with their storylines and articles."""

    title: str
    events: list[Event]
    undated: list[Event] = field(default_factory=list)
    storylines: dict[str, Storyline] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)


def _date_key(event: Event) -> tuple[str, str]:
    return (event.date.value if event.date else "", event.id)


def _matching_storyline(storylines: list[Storyline], wanted: str) -> Storyline:
    for s in storylines:
        if s.id == wanted:
            return s
    for s in storylines:
        if s.title.casefold() == wanted.casefold():
            return s
    # A short id as listings print it, when no other storyline's id starts the same.
    starting = [s for s in storylines if s.id.startswith(wanted)]
    if len(starting) == 1:
        return starting[0]
    raise ValueError(f"no storyline {wanted!r}")


def _entity_ids(store: Store, name: str) -> set[str]:
    """Canonical entities whose name or an alias is `name`, ignoring case."""
    wanted = name.casefold().strip()
    return {e.id for e in store.entities() if wanted in entity_names(e)}


def _mentions_entity(
    event: Event,
    name: str,
    ids: set[str],
    links: dict[tuple[str, str], str],
    enrichments: dict[str, Enrichment | None],
) -> bool:
    wanted = name.casefold().strip()
    if any(p.casefold() == wanted for p in event.participants):
        return True
    for article_id in event.articles:
        enrichment = enrichments.get(article_id)
        for m in enrichment.mentions if enrichment else []:
            linked = links.get((article_id, m.key))
            if (linked in ids) if linked else m.key.casefold() == wanted:
                return True
    return False


def build_timeline(
    store: Store,
    *,
    storyline: str | None = None,
    entity: str | None = None,
    query: str | None = None,
) -> Timeline:
    """The events matching every filter given (none: all events), as the link stage described them.

    `storyline` is a storyline id (or exact title); `entity` a canonical name or alias,
    matched case-insensitively against participants and linked mentions; `query` full text
    over the articles. Raises ValueError for a storyline the store does not hold.
    """
    all_storylines = store.storylines()
    events = store.events()
    filters: dict[str, str] = {}
    title = "Timeline"
    if storyline is not None:
        chosen = _matching_storyline(all_storylines, storyline)
        members = set(chosen.events)
        events = [e for e in events if e.storyline == chosen.id or e.id in members]
        filters["storyline"], title = chosen.id, chosen.title
    if query is not None:
        hits = set(store.search_articles(query, limit=500))
        events = [e for e in events if hits.intersection(e.articles)]
        filters["query"] = query
        title = f"{title}: “{query}”"
    if entity is not None:
        wanted_ids = {a for e in events for a in e.articles}
        enrichments = {a: store.enrichment(a) for a in wanted_ids}
        links = store.entity_links(wanted_ids)
        ids = _entity_ids(store, entity)
        events = [e for e in events if _mentions_entity(e, entity, ids, links, enrichments)]
        filters["entity"] = entity
        title = f"{title}: {entity}"
    # Events were described when they were linked; reading never describes them again.
    used = sorted({a for e in events for a in e.articles})
    kept_storylines = {e.storyline for e in events if e.storyline}
    return Timeline(
        title=title,
        events=sorted((e for e in events if e.date), key=_date_key),
        undated=sorted((e for e in events if not e.date), key=lambda e: e.id),
        storylines={s.id: s for s in all_storylines if s.id in kept_storylines},
        articles={a.id: a for a in (store.article(i) for i in used) if a is not None},
        filters=filters,
    )
