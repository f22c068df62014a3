"""The timeline as JSON: the one shape the other renderers and the HTML page's data read."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from storyline.records import Event
from storyline.tell.views import event_view, storyline_view

if TYPE_CHECKING:
    from storyline.tell.timeline import Timeline

__all__ = ["render_json", "timeline_view"]


def _event(event: Event) -> dict[str, Any]:
    """An event's view with quotes and framing always present, even before it is described."""
    view = event_view(event)
    view.setdefault("quotes", {})
    view.setdefault("framing", {})
    return view


def timeline_view(timeline: Timeline) -> dict[str, Any]:
    """Title, filters, date range, storylines and events (dated then undated) as plain data."""
    dated = [_event(e) for e in timeline.events]
    return {
        "title": timeline.title,
        "filters": dict(timeline.filters),
        "range": (
            {"first": dated[0]["date"]["value"], "last": dated[-1]["date"]["value"]}
            if dated
            else None
        ),
        "storylines": [storyline_view(s) for s in timeline.storylines.values()],
        "events": dated,
        "undated": [_event(e) for e in timeline.undated],
    }


def render_json(timeline: Timeline) -> str:
    """Indented UTF-8 JSON, keys in a stable order."""
    return json.dumps(timeline_view(timeline), ensure_ascii=False, indent=2) + "\n"
