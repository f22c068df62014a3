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
from storyline.tell.views import article_summary

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
        Path | None,
        typer.Option("--db", help="Database file (default storyline.db, or $STORYLINE_DB)."),
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
        report = api.ingest(paths, store=store, window=span, config=_State.config, progress=progress)
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
    article_id: Annotated[str, typer.Argument(help="The article's id.")], as_json: JsonOption = False
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
        f"{view['outlet'] or ''}  {', '.join(view['byline'])}  {view['published']['date'] or '?'}",
        markup=False,
    )
    out.print(view["text"], markup=False, highlight=False)


def main() -> None:
    """Entry point of the `storyline` command."""
    app()
