"""An article's text as HTML with its sentences, quotes, entities and times marked by offset.

Spans may cross (a quote running over two sentences): a crossing span is closed and
reopened around the boundary, so the markup stays well nested. Every piece of text is
escaped here; nothing from the article reaches the page unescaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from markupsafe import Markup, escape

__all__ = ["Span", "highlight"]


@dataclass(frozen=True)
class Span:
    """A marked stretch of text; `level` orders nesting (outer first), `anchor` gives it #c{start}."""

    start: int
    end: int
    level: int
    css: str
    tag: str = "span"
    attrs: dict[str, str] = field(default_factory=dict)
    anchor: bool = True


def _kept(spans: Iterable[Span], size: int) -> list[Span]:
    """Spans inside the text, dropping any that overlaps an earlier one of its own level."""
    kept: list[Span] = []
    ends: dict[int, int] = {}
    for span in sorted(spans, key=lambda s: (s.level, s.start, -s.end)):
        start, end = max(0, span.start), min(size, span.end)
        if end <= start or start < ends.get(span.level, 0):
            continue
        ends[span.level] = end
        kept.append(span if (start, end) == (span.start, span.end) else _clip(span, start, end))
    return kept


def _clip(span: Span, start: int, end: int) -> Span:
    return Span(start, end, span.level, span.css, span.tag, span.attrs, span.anchor)


def _open(span: Span, *, first: bool, used: set[str]) -> str:
    attrs = {"class": span.css, **span.attrs}
    anchor = f"c{span.start}"
    if first and span.anchor and anchor not in used:
        used.add(anchor)
        attrs["id"] = anchor
    if not first:
        attrs.pop("id", None)
    rendered = "".join(f' {k}="{escape(v)}"' for k, v in attrs.items())
    return f"<{span.tag}{rendered}>"


def highlight(text: str, spans: Sequence[Span]) -> Markup:
    """`text` escaped, with each span wrapped in its element (split where spans cross)."""
    kept = _kept(spans, len(text))
    cuts = sorted({0, len(text), *(s.start for s in kept), *(s.end for s in kept)})
    order = {id(s): i for i, s in enumerate(kept)}
    stack: list[Span] = []
    opened: set[int] = set()
    used: set[str] = set()
    out: list[str] = []
    for left, right in pairwise(cuts):
        active = [s for s in kept if s.start <= left < s.end]
        active.sort(key=lambda s: (s.level, s.start, order[id(s)]))
        same = 0
        while same < min(len(stack), len(active)) and stack[same] is active[same]:
            same += 1
        out += [f"</{s.tag}>" for s in reversed(stack[same:])]
        for span in active[same:]:
            out.append(_open(span, first=id(span) not in opened, used=used))
            opened.add(id(span))
        stack = active
        out.append(str(escape(text[left:right])))
    out += [f"</{s.tag}>" for s in reversed(stack)]
    return Markup("".join(out))
