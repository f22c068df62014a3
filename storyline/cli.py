"""The `storyline` command: argument parsing and output formatting over the library's API."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline import api
from storyline.config import Config, load_config
from storyline.store.base import Store
from storyline.tell.views import article_summary, event_view, storyline_view

__all__ = ["app", "main"]

app = typer.Typer(
    help="Turn a pile of news articles into a sourced, dated timeline of events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Score the pipeline against gold annotations.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

out = Console()
err = Console(stderr=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]


class _State:
    config: Config = load_config()


@app.callback()
def _global(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLite file or postgresql:// URL (default storyline.db, or $STORYLINE_DB).",
        ),
    ] = None,
) -> None:
    _State.config = load_config(db=db)


@contextmanager
def _store() -> Iterator[Store]:
    store = api.open_store(config=_State.config)
    try:
        yield store
    finally:
        store.close()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@contextmanager
def _progress(label: str) -> Iterator[api.Progress]:
    """A progress bar on a terminal, nothing when output goes to a file or pipe."""
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    )
    task = bar.add_task(label, total=None)
    with bar:
        yield lambda done, total: bar.update(task, completed=done, total=total)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
    window: Annotated[
        str | None,
        typer.Option("--window", help="When the corpus was collected: START..END (ISO dates)."),
    ] = None,
) -> None:
    """Read articles from files (text, HTML, JSONL, JSON, CSV, gzip), store, enrich and link them."""
    try:
        span = api.parse_window(window) if window else None
    except ValueError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    with _store() as store, _progress("reading") as progress:
        report = api.ingest(
            paths, store=store, window=span, config=_State.config, progress=progress
        )
    for problem in report.problems:
        err.print(f"error: {problem}", markup=False, highlight=False, soft_wrap=True)
    out.print(
        f"{len(report.added)} added, {len(report.unchanged)} already stored, "
        f"{len(report.duplicates)} near-duplicates linked, {len(report.problems)} failed",
        highlight=False,
    )
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def enrich(
    force: Annotated[bool, typer.Option("--force", help="Re-read every article.")] = False,
) -> None:
    """Re-read stored articles that the current NLP pipeline has not read."""
    with _store() as store, _progress("enriching") as progress:
        done = api.enrich(store, config=_State.config, force=force, progress=progress)
    out.print(f"{done} articles enriched", highlight=False)


@app.command()
def articles(as_json: JsonOption = False) -> None:
    """List stored articles."""
    with _store() as store:
        rows = [article_summary(a) for a in store.articles()]
    if as_json:
        _print_json(rows)
        return
    table = Table("id", "published", "outlet", "title", "source")
    for r in rows:
        table.add_row(
            r["id"], r["published"]["date"] or "?", r["outlet"] or "", r["title"] or "", r["source"]
        )
    out.print(table)


@app.command()
def article(
    article_id: Annotated[str, typer.Argument(help="The article's id.")],
    as_json: JsonOption = False,
) -> None:
    """Show one article with what was read in it."""
    with _store() as store:
        view = api.article_detail(store, article_id)
    if view is None:
        err.print(f"error: no article with id {article_id}", markup=False)
        raise typer.Exit(1)
    if as_json:
        _print_json(view)
        return
    out.print(f"[bold]{view['title'] or '(untitled)'}[/bold]")
    out.print(
        f"{view['outlet'] or ''}  {', '.join(view['byline'])}  {view['published']['date'] or '?'}"
        f"  [{view['language'] or '?'}]",
        markup=False,
    )
    out.print(view["text"], markup=False, highlight=False)


@app.command()
def entities(as_json: JsonOption = False) -> None:
    """List canonical entities with their aliases and how often they appear."""
    with _store() as store:
        rows = store.entities()
    if as_json:
        _print_json(rows)
        return
    table = Table("id", "name", "type", "articles", "mentions", "aliases")
    for r in rows:
        table.add_row(
            r["id"],
            r["name"],
            r["type"],
            str(r["articles"]),
            str(r["mentions"]),
            ", ".join(a for a in r["aliases"] if a != r["name"]),
        )
    out.print(table)


@app.command()
def quotes(
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Only quotes by this name.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List quotes with their speakers."""
    with _store() as store:
        rows = store.quotes(speaker=speaker)
    if as_json:
        _print_json(rows)
        return
    for r in rows:
        who = r["speaker"]["name"] if r["speaker"] else "?"
        out.print(f"[bold]{who}[/bold] ({r['kind']}): ", end="")
        out.print(f"\u201c{r['text']}\u201d", markup=False, highlight=False)


@app.command()
def events(as_json: JsonOption = False) -> None:
    """List events in date order, with their articles."""
    with _store() as store:
        rows = [event_view(e) for e in store.events()]
    if as_json:
        _print_json(rows)
        return
    table = Table("date", "headline", "articles", "storyline", "id")
    for r in rows:
        date = r["date"]["value"] if r["date"] else "undated"
        table.add_row(
            date, r["headline"] or "", str(len(r["articles"])), r["storyline"] or "", r["id"]
        )
    out.print(table)


@app.command()
def storylines(as_json: JsonOption = False) -> None:
    """List storylines: events that continue one story."""
    with _store() as store:
        rows = [storyline_view(s) for s in store.storylines()]
    if as_json:
        _print_json(rows)
        return
    table = Table("id", "title", "events", "participants")
    for r in rows:
        table.add_row(r["id"], r["title"], str(len(r["events"])), ", ".join(r["participants"]))
    out.print(table)


@app.command()
def timeline(
    storyline: Annotated[
        str | None, typer.Option("--storyline", help="One storyline's id.")
    ] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Events with this entity.")] = None,
    query: Annotated[str | None, typer.Option("--query", help="Events matching this text.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, markdown, json or html.")] = "text",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None,
) -> None:
    """Print or save a timeline of events."""
    from storyline.tell.timeline import build_timeline, render

    if fmt not in {"text", "markdown", "json", "html"}:
        err.print(f"error: unknown format {fmt!r} (text, markdown, json or html)", markup=False)
        raise typer.Exit(2)
    with _store() as store:
        try:
            built = build_timeline(store, storyline=storyline, entity=entity, query=query)
        except ValueError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(1) from None
    rendered = render(built, format=fmt)
    if output is None:
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
    else:
        output.write_text(rendered, encoding="utf-8")
        err.print(f"timeline written to {output}", markup=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web app and HTTP API over the store."""
    from storyline.web.app import serve as run_server

    run_server(_State.config, host=host, port=port)


@eval_app.command("timex")
def eval_timex(
    path: Annotated[Path, typer.Argument(help="JSONL of texts with gold TimeML timexes.")],
    as_json: JsonOption = False,
) -> None:
    """Score time-expression tagging as TempEval-3 does."""
    from storyline.eval.timex import evaluate_timex

    _print_scores(evaluate_timex(path), as_json=as_json)


@eval_app.command("events")
def eval_events(
    path: Annotated[Path, typer.Argument(help="JSONL of articles with a gold `event` label.")],
    as_json: JsonOption = False,
) -> None:
    """Cluster articles into events in a temporary store and score against the gold labels."""
    from storyline.eval.events import evaluate_events

    _print_scores(evaluate_events(path), as_json=as_json)


def _print_scores(scores: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        _print_json(scores)
        return
    for key, value in scores.items():
        if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
            out.print(f"{key}:", highlight=False)
            for name, row in value.items():
                out.print(f"  {name}: {_scores_line(row)}", highlight=False)
        elif isinstance(value, dict):
            out.print(f"{key}: {_scores_line(value)}", highlight=False)
        else:
            out.print(
                f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}",
                highlight=False,
            )


def _scores_line(scores: dict[str, Any]) -> str:
    return ", ".join(
        f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in scores.items()
    )


def main() -> None:
    """Entry point of the `storyline` command."""
    app()
