"""Renderers of a timeline: plain text, Markdown, JSON and one self-contained HTML page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from storyline.tell.render.html import render_html
from storyline.tell.render.json import render_json, timeline_view
from storyline.tell.render.markdown import render_markdown
from storyline.tell.render.text import render_text

if TYPE_CHECKING:
    from storyline.tell.timeline import Timeline

__all__ = ["FORMATS", "render", "timeline_view"]

_RENDERERS: dict[str, Callable[[Timeline], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
    "html": render_html,
}
FORMATS = tuple(_RENDERERS)


def render(timeline: Timeline, *, format: str) -> str:
    """The timeline in one of FORMATS; ValueError for any other."""
    try:
        renderer = _RENDERERS[format]
    except KeyError:
        raise ValueError(f"unknown format {format!r} (one of {', '.join(FORMATS)})") from None
    return renderer(timeline)
