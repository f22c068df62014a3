"""The timeline as one self-contained HTML page: inline CSS and script, nothing fetched.

The page is meant to be saved and shared, so every string from an article goes through
Jinja2's autoescaping, the embedded JSON has <, > and & escaped, and only http(s) links
become hrefs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, StrictUndefined, Template
from markupsafe import Markup

from storyline.tell.render.json import timeline_view
from storyline.tell.render.text import date_label

if TYPE_CHECKING:
    from storyline.tell.timeline import Timeline

__all__ = ["embed_json", "render_html"]

TEMPLATE = "timeline.html.j2"
ROWS = 3  # label rows above the axis, so close dates do not overprint
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def embed_json(data: Any) -> Markup:
    """JSON safe inside a <script> element: no '</script>', '<!--' or '&' can appear raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _day(value: str) -> dt.date | None:
    """The first day a date value (2017, 2017-11 or 2017-11-14 and longer forms) can mean."""
    match = _DATE.match(value)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        return None


def _axis(events: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Marks placed by date (percent of the span, in label rows) and evenly spaced ticks."""
    days = [_day(e["date"]["value"]) for e in events]
    known = [d for d in days if d is not None]
    if not known:
        return [], []
    first, last = min(known), max(known)
    span = max(1, (last - first).days)
    marks: list[dict[str, Any]] = []
    row_end = [-100.0] * ROWS
    for index, (event, day) in enumerate(zip(events, days, strict=True)):
        if day is None:
            continue
        pos = 50.0 if first == last else 4 + 92 * (day - first).days / span
        row = next((r for r in range(ROWS) if row_end[r] <= pos - 9), index % ROWS)
        row_end[row] = pos
        marks.append({"anchor": f"ev-{index}", "pos": round(pos, 2), "row": row, "event": event})
    fmt = "%Y" if span > 3 * 365 else "%b %Y" if span > 90 else "%d %b %Y"
    steps = 1 if first == last else 5
    ticks = [
        {
            "pos": 50.0 if first == last else round(4 + 92 * i / steps, 2),
            "label": (first + dt.timedelta(days=span * i / steps)).strftime(fmt),
        }
        for i in range(steps + 1 if first != last else 1)
    ]
    return marks, ticks


def _card(anchor: str, event: dict[str, Any]) -> dict[str, Any]:
    """An event with its page anchor and the outlets its framing table has columns for."""
    framing: dict[str, dict[str, Any]] = event.get("framing", {})
    outlets = list(dict.fromkeys(o for found in framing.values() for o in found))
    return {"anchor": anchor, "event": event, "outlets": outlets}


def _safe_url(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


@cache
def _template() -> Template:
    source = resources.files("storyline.tell.render").joinpath(TEMPLATE).read_text("utf-8")
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)
    env.filters["date_label"] = date_label
    env.filters["safe_url"] = _safe_url
    return env.from_string(source)


def render_html(timeline: Timeline) -> str:
    """The whole page as one string."""
    view = timeline_view(timeline)
    palette = {s["id"]: i % 6 for i, s in enumerate(view["storylines"])}
    marks, ticks = _axis(view["events"])
    return _template().render(
        view=view,
        marks=marks,
        ticks=ticks,
        rows=ROWS,
        palette=palette,
        storyline_titles={s["id"]: s["title"] for s in view["storylines"]},
        cards=[_card(f"ev-{i}", e) for i, e in enumerate(view["events"])],
        undated_cards=[_card(f"un-{i}", e) for i, e in enumerate(view["undated"])],
        data_json=embed_json(view),
    )
