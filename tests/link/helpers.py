"""Records built by hand for the linker's unit tests."""

from __future__ import annotations

from storyline.records import Article, Enrichment, EventTime, Mention, Published, Quote, TimeExpr

__all__ = ["make"]


def make(
    article_id: str,
    text: str,
    *,
    people: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
    when: tuple[str, str] | None = None,
    published: str | None = None,
    quotes: tuple[str, ...] = (),
) -> tuple[Article, Enrichment]:
    """An article whose text names `people` and `places`, quotes `quotes` (found in the text)
    and whose event time is `when`."""
    body = text + " " + " ".join(people) + " " + " ".join(places)
    mentions = []
    for label, names in (("PERSON", people), ("GPE", places)):
        for name in names:
            start = body.index(name)
            mentions.append(Mention(start, start + len(name), name, label, name))
    times, event_time = [], None
    if when is not None:
        value, precision = when
        times.append(TimeExpr(0, 5, value, "DATE", value, precision))
        event_time = EventTime(value, precision, f"On {value} it happened.", 0, 5)
    article = Article(
        id=article_id,
        source=article_id,
        text=body,
        raw=body,
        published=Published(date=published, precision="day" if published else None),
    )
    enrichment = Enrichment(
        article_id=article_id,
        pipeline="test",
        mentions=mentions,
        times=times,
        event_time=event_time,
        quotes=[
            Quote(body.index(q), body.index(q) + len(q), q, "direct") for q in quotes if q in body
        ],
        sentences=[(0, len(body))],
    )
    return article, enrichment
