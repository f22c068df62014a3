"""The timeline as Markdown; text from articles is escaped so it cannot become markup or HTML."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from storyline.tell.render.json import timeline_view
from storyline.tell.render.text import date_label

if TYPE_CHECKING:
    from storyline.tell.timeline import Timeline

__all__ = ["escape_markdown", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]#|!~])")


def escape_markdown(text: str) -> str:
    """One line of literal text: HTML characters as entities, Markdown marks backslashed."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _link(title: str, url: str | None) -> str:
    if url and url.startswith(("http://", "https://")):
        return f"[{escape_markdown(title)}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"
    return escape_markdown(title)


def _event(view: dict[str, Any]) -> list[str]:
    md = escape_markdown
    headline = md(view["headline"] or "(no headline)")
    lines = [
        f"### {md(date_label(view['date']))} — {headline}" if view["date"] else f"### {headline}",
        "",
    ]
    if view["date"]:
        lines += [f"*Date from* `{view['date']['article']}`: “{md(view['date']['evidence'])}”", ""]
    if view["summary"]:
        lines += [md(view["summary"]), ""]
    facts = []
    if view["place"]:
        facts.append(f"- **Place:** {md(view['place'])}")
    if view["participants"]:
        facts.append(f"- **Participants:** {md(', '.join(view['participants']))}")
    if facts:
        lines += [*facts, ""]
    if view["sources"]:
        lines += ["| Outlet | Title | Published |", "| --- | --- | --- |"]
        lines += [
            f"| {md(s['outlet'])} | {_link(s['title'] or '(untitled)', s['url'])}"
            f" | {md(s['published'] or 'unknown')} |"
            for s in view["sources"]
        ]
        lines.append("")
    framing = view.get("framing", {})
    outlets = list(dict.fromkeys(o for found in framing.values() for o in found))
    if framing:
        lines += [
            "| Person | " + " | ".join(md(o) for o in outlets) + " |",
            "| --- |" + " --- |" * len(outlets),
        ]
        for person, found in framing.items():
            cells = ["; ".join(md(d["text"]) for d in found.get(o, [])) or "—" for o in outlets]
            lines.append(f"| {md(person)} | " + " | ".join(cells) + " |")
        lines.append("")
    for speaker, quotes in view.get("quotes", {}).items():
        lines.append(f"**{md(speaker)}**")
        lines += [f"> “{md(q['text'])}” — {md(q['outlet'])}" for q in quotes]
        lines.append("")
    return lines


def render_markdown(timeline: Timeline) -> str:
    """A document: title, dated events as sections, then an Undated section."""
    view = timeline_view(timeline)
    lines = [f"# {escape_markdown(view['title'])}", ""]
    if not view["events"] and not view["undated"]:
        lines.append("No events match.")
    for event in view["events"]:
        lines += _event(event)
    if view["undated"]:
        lines += ["## Undated", ""]
        for event in view["undated"]:
            lines += _event(event)
    return "\n".join(lines).rstrip() + "\n"
