"""Tables for other tools: events, articles, entities, quotes and storylines as CSV, Parquet, JSON.

Rows stream from the store a page at a time (through the Store's paged reads), so an export
of a large store holds one page in memory, not the whole store. Columns are those of
`storyline.tell.columns`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

from storyline.store.base import Scope, Store
from storyline.tell.columns import (
    TABLES,
    Column,
    article_row,
    entity_row,
    event_row,
    names_of,
    quote_rows,
    storyline_row,
)

__all__ = ["EXPORT_FORMATS", "csv_cell", "export_tables", "table_rows", "write_csv"]

EXPORT_FORMATS = ("csv", "parquet", "json")
_PAGE = 200
T = TypeVar("T")


def _paged(fetch: Callable[[int, int], list[T]], page: int) -> Iterator[list[T]]:
    """Successive pages of `fetch(limit, offset)` until one comes back short."""
    offset = 0
    while batch := fetch(page, offset):
        yield batch
        if len(batch) < page:
            return
        offset += len(batch)


def table_rows(store: Store, what: str, *, page: int = _PAGE) -> Iterator[dict[str, Any]]:
    """The rows of one table (events, articles, entities, quotes, storylines), page by page."""
    everything = Scope()
    if what == "events":
        for events in _paged(lambda n, at: store.events_page(everything, limit=n, offset=at), page):
            stories = store.storylines_by_id({e.storyline for e in events if e.storyline})
            yield from (event_row(e, stories) for e in events)
    elif what == "storylines":
        lines = _paged(lambda n, at: store.storylines_page(everything, limit=n, offset=at), page)
        yield from (storyline_row(s) for batch in lines for s in batch)
    elif what == "entities":
        entities = _paged(lambda n, at: store.entities(limit=n, offset=at), page)
        yield from (entity_row(e) for batch in entities for e in batch)
    elif what in ("articles", "quotes"):
        for articles in _paged(lambda n, at: store.articles(limit=n, offset=at), page):
            enriched = {a.id: store.enrichment(a.id) for a in articles}
            if what == "articles":
                yield from (article_row(a, enriched[a.id]) for a in articles)
                continue
            links = store.entity_links(articles=[a.id for a in articles])
            names = names_of(store.entities_by_id(set(links.values())).values())
            for a in articles:
                yield from quote_rows(a, enriched[a.id], links=links, names=names)
    else:
        raise ValueError(f"unknown table {what!r} ({', '.join(TABLES)})")


def csv_cell(value: Any) -> str:
    """A value as CSV text: lists as JSON arrays, missing values as empty cells."""
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(rows: Iterator[dict[str, Any]], columns: Sequence[Column], out: IO[str]) -> int:
    """Rows as CSV with a header line; returns how many rows were written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    count = 0
    for row in rows:
        writer.writerow([csv_cell(row[c.name]) for c in columns])
        count += 1
    return count


def _write_json(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    out.write("[")
    count = 0
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _write_parquet(rows: Iterator[dict[str, Any]], columns: Sequence[Column], path: Path) -> int:
    # Imported here: pyarrow is large and only exports need it.
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {
        "string": pa.string(),
        "int": pa.int64(),
        "bool": pa.bool_(),
        "list": pa.list_(pa.string()),
    }
    schema = pa.schema([pa.field(c.name, kinds[c.kind]) for c in columns])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= _PAGE:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count, batch = count + len(batch), []
        if batch or not count:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def export_tables(
    store: Store, directory: Path, *, fmt: str, what: Sequence[str]
) -> dict[Path, int]:
    """Write each table in `what` to `directory` as `<table>.<fmt>`; the row count of each file."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (csv, parquet or json)")
    unknown = [w for w in what if w not in TABLES]
    if unknown:
        raise ValueError(f"unknown table {unknown[0]!r} ({', '.join(TABLES)})")
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[Path, int] = {}
    for name in what:
        path = directory / f"{name}.{fmt}"
        rows = table_rows(store, name)
        if fmt == "parquet":
            written[path] = _write_parquet(rows, TABLES[name], path)
            continue
        with path.open("w", encoding="utf-8", newline="") as out:
            written[path] = (
                write_csv(rows, TABLES[name], out) if fmt == "csv" else _write_json(rows, out)
            )
    return written
