"""The timeline as plain text for a terminal: one block per event, wrapped to 88 columns."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from storyline.tell.render.json import timeline_view

if TYPE_CHECKING:
    from storyline.tell.timeline import Timeline

__all__ = ["date_label", "render_text"]

WIDTH = 88


def date_label(date: dict[str, Any] | None) -> str:
    """The date value, with its precision when coarser than a day ("2017-11 (month)") and a
    mark where its year was inferred rather than printed ("2019-03-06 (inferred)")."""
    if not date:
        return "undated"
    precision = date.get("precision")
    notes = [precision] if precision and precision != "day" else []
    notes += ["inferred"] if date.get("inferred") else []
    return f"{date['value']} ({', '.join(notes)})" if notes else str(date["value"])


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), WIDTH, initial_indent=indent, subsequent_indent=indent
    )


def _event(view: dict[str, Any]) -> list[str]:
    headline = view["headline"] or "(no headline)"
    lines = [f"{date_label(view['date'])}  {headline}" if view["date"] else headline]
    if view["date"]:
        lines.append(f"    date from {view['date']['article']}: “{view['date']['evidence']}”")
    if view["summary"]:
        lines += _wrap(view["summary"], "    ")
    if view["place"]:
        lines.append(f"    place: {view['place']}")
    if view["participants"]:
        lines.append(f"    participants: {', '.join(view['participants'])}")
    for source in view["sources"]:
        published = source["published"] or "date unknown"
        lines.append(f"    - {source['outlet']}: {source['title'] or '(untitled)'} [{published}]")
    for person, outlets in view.get("framing", {}).items():
        lines.append(f"    {person} is called:")
        for outlet, found in outlets.items():
            phrases = "; ".join(f"“{d['text']}”" for d in found)
            lines += _wrap(f"{outlet}: {phrases}", "        ")
    for speaker, quotes in view.get("quotes", {}).items():
        for q in quotes:
            lines += _wrap(f"{speaker}: “{q['text']}” ({q['outlet']})", "    > ")
    return lines


def render_text(timeline: Timeline) -> str:
    """Title, then dated events in order, then the undated ones under their own heading."""
    view = timeline_view(timeline)
    lines = [view["title"], "=" * len(view["title"]), ""]
    if not view["events"] and not view["undated"]:
        lines.append("No events match.")
    for event in view["events"]:
        lines += [*_event(event), ""]
    if view["undated"]:
        lines += ["Undated", "-------", ""]
        for event in view["undated"]:
            lines += [*_event(event), ""]
    return "\n".join(lines).rstrip() + "\n"
