"""The `storyline` command: argument parsing and output formatting over the library's API."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storyline import api
from storyline.config import Config, load_config
from storyline.records import Article
from storyline.store.base import Store
from storyline.tell.columns import TABLES, entity_row, short_id, storyline_row
from storyline.tell.export import table_rows, write_csv
from storyline.tell.views import (
    article_summary,
    entity_view,
    event_view,
    quote_view,
    storyline_view,
)
from storyline.terminal import App, Group, fitted_table

__all__ = ["app", "main"]


app = App(
    help="Turn a pile of news articles into a sourced, dated timeline of events.",
    epilog="Example: storyline ingest articles/ && storyline events",
    cls=Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = App(
    help="Score the pipeline against gold annotations.",
    epilog="Example: storyline eval events ../shared/data/ecbplus/dev.jsonl",
    cls=Group,
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")

out = Console()
err = Console(stderr=True)
# Flags show no `<bool>` placeholder; value options name what they take.
JsonOption = Annotated[
    bool, typer.Option("--json", metavar="", help="Print JSON on stdout (the HTTP API's shape).")
]
CsvOption = Annotated[
    bool, typer.Option("--csv", metavar="", help="Print CSV on stdout (the export's columns).")
]

WindowOption = Annotated[
    str | None,
    typer.Option(
        "--window", metavar="START..END", help="When the corpus was collected, as two ISO dates."
    ),
]


class _State:
    config: Config = load_config()


@app.callback()
def _global(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH|URL",
            help="SQLite file or postgresql:// URL (default storyline.db, or $STORYLINE_DB).",
        ),
    ] = None,
) -> None:
    """Options every command shares."""
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


def _fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _listing(
    store: Store,
    table: str,
    flags: tuple[bool, bool],
    json_rows: Callable[[], list[dict[str, Any]]],
    csv_rows: Iterator[dict[str, Any]] | None = None,
) -> bool:
    """Print a listing as JSON or CSV when `flags` (--json, --csv) ask; else False: a table."""
    as_json, as_csv = flags
    if as_json and as_csv:
        _fail("--json and --csv are exclusive", code=2)
    if as_json:
        _print_json(json_rows())
    elif as_csv:
        write_csv(csv_rows or table_rows(store, table), TABLES[table], sys.stdout)
    return as_json or as_csv


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
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Files, directories, globs, or - for stdin."),
    ],
    window: WindowOption = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine", metavar="ray", help="Read and enrich on Ray workers (default: here)."
        ),
    ] = None,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            metavar="ADDRESS",
            help="The Ray cluster to join, e.g. auto (default: start a local one).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Ray workers that enrich (default: one per CPU)."),
    ] = None,
) -> None:
    """Read articles from files (text, HTML, JSONL, JSON, CSV, gzip), store, enrich and link them.

    Example: storyline ingest articles/ feed.jsonl --window 2019-01-01..2019-12-31
    """
    try:
        span = api.parse_window(window) if window else None
        runner = api.make_engine(engine, address=ray_address, workers=workers)
    except ValueError as exc:
        _fail(str(exc), code=2)
    with _store() as store, closing(runner), _progress("reading") as progress:
        try:
            report = api.ingest(
                paths,
                store=store,
                window=span,
                config=_State.config,
                progress=progress,
                engine=runner,
            )
        except api.EngineError as exc:
            _fail(str(exc), code=1)
    _report(report)


def _report(report: api.IngestReport, *, head: str = "", fail: bool = True) -> None:
    """Name every file skipped and every problem on stderr, then one summary line; with `fail`,
    exit 1 if anything failed (a skipped file is not a failure)."""
    for skipped in report.skipped:
        err.print(f"skipped: {skipped}", markup=False, highlight=False, soft_wrap=True)
    for problem in report.problems:
        err.print(f"error: {problem}", markup=False, highlight=False, soft_wrap=True)
    out.print(
        f"{head}{len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} already stored, "
        f"{len(report.duplicates)} near-duplicates linked, {len(report.skipped)} skipped, "
        f"{len(report.problems)} failed",
        highlight=False,
        soft_wrap=True,
    )
    if fail and not report.ok:
        raise typer.Exit(1)


@app.command()
def follow(
    urls: Annotated[
        list[str],
        typer.Argument(metavar="URL", help="RSS/Atom feeds, sitemaps or article pages."),
    ],
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            metavar="DURATION",
            help="Check again every DURATION (30s, 15m, 1h); without it, once.",
        ),
    ] = None,
    window: WindowOption = None,
) -> None:
    """Fetch new articles from feeds, sitemaps and pages, and ingest them as files are.

    Example: storyline follow https://example.org/feed.xml --every 15m
    """
    try:
        span = api.parse_window(window) if window else None
        interval = api.parse_every(every) if every else None
    except ValueError as exc:
        _fail(str(exc), code=2)
    try:
        while True:
            with _store() as store, _progress("enriching") as progress:
                report = api.follow(
                    urls, store=store, window=span, config=_State.config, progress=progress
                )
            head = (
                f"{report.requests} requests, {len(report.not_modified)} unchanged, "
                f"{len(report.pages)} pages fetched; "
            )
            _report(report, head=head, fail=interval is None)
            if interval is None:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        err.print("stopped", markup=False)


@app.command()
def enrich(
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Re-read every article.")
    ] = False,
) -> None:
    """Re-read stored articles that the current NLP pipeline has not read (and, after an
    upgrade, those an earlier version failed on).

    Example: storyline enrich --force
    """
    problems: list[api.Problem] = []
    with _store() as store, _progress("enriching") as progress:
        done = api.enrich(
            store, config=_State.config, force=force, progress=progress, problems=problems
        )
    for problem in problems:
        err.print(f"error: {problem}", markup=False, highlight=False, soft_wrap=True)
    out.print(f"{done} articles enriched, {len(problems)} failed", highlight=False)
    if problems:
        raise typer.Exit(1)


@app.command()
def relink() -> None:
    """Re-cluster every stored article into events and storylines (a full sweep; ingest and
    enrich link only what new articles touch).

    Example: storyline relink
    """
    with _store() as store:
        count = api.relink(store, config=_State.config)
    out.print(f"{count} events", highlight=False)


@app.command()
def articles(
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    failed: Annotated[
        bool,
        typer.Option("--failed", metavar="", help="Only articles a stage failed on, and why."),
    ] = False,
) -> None:
    """List stored articles: short id, publication date, outlet and title.

    Example: storyline articles --csv > articles.csv
    """
    if failed:
        _failed_articles(as_json, as_csv)
        return
    with _store() as store:
        if _listing(
            store,
            "articles",
            (as_json, as_csv),
            lambda: list(map(article_summary, store.articles())),
        ):
            return
        found = store.articles()
    rows = [[short_id(a.id), _published_label(a), a.outlet or "", a.title or ""] for a in found]
    out.print(
        fitted_table(out.width, [("id", 0), ("published", 0), ("outlet", 1), ("title", 3)], rows)
    )


def _published_label(article: Article) -> str:
    """The printed publication date, else the inferred one marked so, else '?'."""
    published = article.published
    if published.date:
        return published.date
    return f"{published.inferred} (inferred)" if published.inferred else "?"


def _failed_articles(as_json: bool, as_csv: bool) -> None:
    """The articles a stage failed on: as JSON (each with its failures) or a table a failure a row."""
    if as_csv:
        _fail("--failed prints a table or --json", code=2)
    with _store() as store:
        found = api.failed_articles(store)
    if as_json:
        _print_json(found)
        return
    rows = [
        [short_id(a["id"]), f["stage"], f["reason"], f["pipeline"]]
        for a in found
        for f in a["failures"]
    ]
    out.print(
        fitted_table(out.width, [("id", 0), ("stage", 0), ("reason", 3), ("pipeline", 1)], rows)
    )


@app.command()
def article(
    article_id: Annotated[
        str, typer.Argument(metavar="ID", help="The article's id, or a unique start of it.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Show one article with what was read in it.

    Example: storyline article 3f2a9c01 --json
    """
    with _store() as store:
        try:
            full = api.resolve_article_id(store, article_id)
        except ValueError as exc:
            _fail(str(exc))
        view = api.article_detail(store, full) if full else None
    if view is None:
        _fail(f"no article with id {article_id}")
    if as_json:
        _print_json(view)
        return
    out.print(f"[bold]{escape(view['title'] or '(untitled)')}[/bold]")
    out.print(
        f"{view['outlet'] or ''}  {', '.join(view['byline'])}  {view['published']['date'] or '?'}"
        f"  [{view['language'] or '?'}]",
        markup=False,
    )
    out.print(view["text"], markup=False, highlight=False)


@app.command()
def entities(as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List canonical entities with their aliases and how often they appear.

    Example: storyline entities --json
    """
    with _store() as store:
        rows = store.entities()
        if _listing(
            store,
            "entities",
            (as_json, as_csv),
            lambda: [entity_view(r) for r in rows],
            map(entity_row, rows),
        ):
            return
    cells = [
        [
            short_id(row["id"]),
            row["name"],
            row["type"],
            str(row["articles"]),
            str(row["mentions"]),
            ", ".join(row["aliases"]),
        ]
        for row in map(entity_row, rows)
    ]
    columns = [
        ("id", 0),
        ("name", 2),
        ("type", 0),
        ("articles", 0),
        ("mentions", 0),
        ("aliases", 2),
    ]
    out.print(fitted_table(out.width, columns, cells))


@app.command()
def quotes(
    speaker: Annotated[
        str | None,
        typer.Option("--speaker", metavar="NAME", help="Only quotes by this name."),
    ] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List quotes with their speakers.

    Example: storyline quotes --speaker Varga
    """
    wanted = speaker.lower() if speaker else ""
    with _store() as store:
        mine = (r for r in table_rows(store, "quotes") if wanted in (r["speaker"] or "").lower())
        if _listing(
            store,
            "quotes",
            (as_json, as_csv),
            lambda: [quote_view(q) for q in store.quotes(speaker=speaker)],
            mine,
        ):
            return
        found = store.quotes(speaker=speaker)
    for r in found:
        who = r.speaker.name if r.speaker else "?"
        out.print(f"[bold]{escape(who)}[/bold] ({r.kind}): ", end="")
        out.print(f"\u201c{r.text}\u201d", markup=False, highlight=False)


@app.command()
def events(as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List events in date order: date, headline, number of reports, storyline.

    Example: storyline events --csv > events.csv
    """
    with _store() as store:
        if _listing(
            store, "events", (as_json, as_csv), lambda: list(map(event_view, store.events()))
        ):
            return
        rows = list(table_rows(store, "events"))
    cells = [
        [
            (f"{r['date']} (inferred)" if r["date_inferred"] else r["date"]) or "undated",
            r["headline"] or "",
            str(len(r["articles"])),
            r["storyline"] or "",
            short_id(r["id"]),
        ]
        for r in rows
    ]
    columns = [("date", 0), ("headline", 4), ("reports", 0), ("storyline", 2), ("id", 0)]
    out.print(fitted_table(out.width, columns, cells))


@app.command()
def storylines(as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List storylines: events that continue one story.

    Example: storyline storylines --json
    """
    with _store() as store:
        found = store.storylines()
        rows = [storyline_row(s) for s in found]
        if _listing(
            store,
            "storylines",
            (as_json, as_csv),
            lambda: list(map(storyline_view, found)),
            iter(rows),
        ):
            return
    cells = [
        [short_id(r["id"]), r["title"], str(len(r["events"])), ", ".join(r["participants"])]
        for r in rows
    ]
    out.print(
        fitted_table(
            out.width, [("id", 0), ("title", 3), ("events", 0), ("participants", 2)], cells
        )
    )


@app.command()
def timeline(
    storyline: Annotated[
        str | None,
        typer.Option("--storyline", metavar="ID|TITLE", help="One storyline (id, start or title)."),
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", metavar="NAME", help="Events with this entity.")
    ] = None,
    query: Annotated[
        str | None, typer.Option("--query", metavar="TEXT", help="Events matching this text.")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="text, markdown, json or html.")
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write to a file.")
    ] = None,
) -> None:
    """Print or save a timeline of events.

    Example: storyline timeline --entity Varga --format html -o varga.html
    """
    from storyline.tell.timeline import build_timeline, render

    if fmt not in {"text", "markdown", "json", "html"}:
        _fail(f"unknown format {fmt!r} (text, markdown, json or html)", code=2)
    with _store() as store:
        try:
            built = build_timeline(store, storyline=storyline, entity=entity, query=query)
        except ValueError as exc:
            _fail(str(exc))
    rendered = render(built, format=fmt)
    if output is None:
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
    else:
        output.write_text(rendered, encoding="utf-8")
        err.print(f"timeline written to {output}", markup=False)


@app.command()
def export(
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="DIR", help="Folder to write the files in.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="csv, parquet or json.")
    ] = "csv",
    what: Annotated[
        str,
        typer.Option(
            "--what",
            metavar="TABLE",
            help="events, articles, entities, quotes, storylines, or all.",
        ),
    ] = "all",
) -> None:
    """Write the store's tables as files for pandas, DuckDB or Spark (columns in the README).

    Example: storyline export --format parquet --what events -o out/
    """
    with _store() as store:
        try:
            written = api.export(store, output, fmt=fmt, what=what)
        except ValueError as exc:
            _fail(str(exc), code=2)
    for path, count in written.items():
        out.print(f"{path}  {count} rows", markup=False, highlight=False)


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web app and HTTP API over the store.

    Example: storyline serve --port 8000
    """
    from storyline.web.app import exposure
    from storyline.web.app import serve as run_server

    try:
        notes = exposure(_State.config, host)
    except ValueError as exc:
        _fail(str(exc), code=2)
    for note in notes:
        err.print(f"warning: {note}", markup=False, highlight=False, style="bold yellow")
    run_server(_State.config, host=host, port=port)


@eval_app.command("timex")
def eval_timex(
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="JSONL of texts with gold TimeML timexes.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Score time-expression tagging as TempEval-3 does.

    Example: storyline eval timex ../shared/data/timex/meantime-en.jsonl
    """
    from storyline.eval.timex import evaluate_timex

    _print_scores(evaluate_timex(path), as_json=as_json)


@eval_app.command("events")
def eval_events(
    path: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="JSONL of articles with a gold `event` label."),
    ],
    as_json: JsonOption = False,
) -> None:
    """Cluster articles into events in a temporary store and score against the gold labels.

    Example: storyline eval events ../shared/data/ecbplus/dev.jsonl
    """
    from storyline.eval.events import evaluate_events

    _print_scores(evaluate_events(path), as_json=as_json)


@eval_app.command("quotes")
def eval_quotes(
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="JSONL of texts with gold attributions.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Score direct and indirect quotes and their speakers against gold attributions.

    Example: storyline eval quotes attributions.jsonl --json
    """
    from storyline.eval.quotes import evaluate_quotes

    _print_scores(evaluate_quotes(path, model=_State.config.model), as_json=as_json)


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
