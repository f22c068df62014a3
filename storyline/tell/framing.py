"""How each outlet names a person, side by side: the framing of an event's people.

The enrich stage reads every phrase an article uses for a person from the parse (appositions,
titles before the name, predicate nouns, scare quotes); this module gathers them per person
and per outlet, each phrase once with how often the outlet used it and the first sentence that
shows it, so "unelected leader" in one outlet sits beside "prime minister" in another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from storyline.records import Article, Descriptor, Framed

__all__ = ["Found", "outlet_framing"]

Found = tuple[str, str, Article, Descriptor]
"""(canonical person, outlet, article, descriptor): one phrase an outlet used for a person."""

_QUOTES = str.maketrans({c: '"' for c in "“”„«»"})


def _same(text: str) -> str:
    """A phrase compared across articles: case, spacing and the style of quote marks ignored."""
    return " ".join(text.translate(_QUOTES).casefold().split())


def outlet_framing(
    people: Sequence[str], found: Iterable[Found]
) -> dict[str, dict[str, tuple[Framed, ...]]]:
    """Per person (in `people`' order), per outlet: each distinct phrase with its count and the
    first place it was read (article, phrase span and evidence sentence)."""
    framing: dict[str, dict[str, list[Framed]]] = {p: {} for p in people}
    for person, outlet, article, d in found:
        if person not in framing:
            continue
        listed = framing[person].setdefault(outlet, [])
        at = next((i for i, x in enumerate(listed) if _same(x.text) == _same(d.text)), None)
        if at is not None:
            listed[at] = replace(listed[at], count=listed[at].count + 1)
            continue
        sentence = article.text[d.sentence_start : d.sentence_end]
        listed.append(
            Framed(
                text=d.text,
                article=article.id,
                start=d.start,
                end=d.end,
                kind=d.kind,
                quoted=d.quoted,
                sentence_start=d.sentence_start,
                sentence_end=d.sentence_end,
                evidence=" ".join(sentence.split()),
            )
        )
    return {
        person: {outlet: tuple(listed) for outlet, listed in outlets.items() if listed}
        for person, outlets in framing.items()
        if any(outlets.values())
    }
