"""Exports read back with pyarrow, csv and json equal what the store holds, page by page."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import storyline
from storyline.tell.columns import TABLES, Column
from storyline.tell.export import export_tables, table_rows


def _from_csv(cell: str, column: Column) -> Any:
    if cell == "":
        return [] if column.kind == "list" else None
    if column.kind == "list":
        return json.loads(cell)
    if column.kind == "bool":
        return {"true": True, "false": False}[cell]
    return int(cell) if column.kind == "int" else cell


def _read_back(path: Path, columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        assert table.schema.names == [c.name for c in columns]
        return table.to_pylist()
    if path.suffix == ".json":
        rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        return rows
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        assert next(reader) == [c.name for c in columns]
        return [
            {c.name: _from_csv(v, c) for c, v in zip(columns, line, strict=True)} for line in reader
        ]


def _normal(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Empty lists and missing values read the same from CSV; compare them alike."""
    return [{k: (v if v != [] else None) for k, v in row.items()} for row in rows]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_every_table_round_trips(example_db: Path, tmp_path: Path, fmt: str) -> None:
    with storyline.open_store(example_db) as store:
        written = export_tables(store, tmp_path, fmt=fmt, what=list(TABLES))
        for name, columns in TABLES.items():
            path = tmp_path / f"{name}.{fmt}"
            expected = list(table_rows(store, name))
            assert written[path] == len(expected) > 0
            assert _normal(_read_back(path, columns)) == _normal(expected)
            assert all(list(row) == [c.name for c in columns] for row in expected)
        ids = [r["id"] for r in table_rows(store, "articles")]
        assert ids == [a.id for a in store.articles()]
        events = {r["id"]: r for r in table_rows(store, "events")}
        for event in store.events():
            row = events[event.id]
            assert row["articles"] == event.articles
            assert row["date"] == (event.date.value if event.date else None)
            assert row["date_evidence"] == (event.date.evidence if event.date else None)
        spans = {
            (e.article_id, q.start, q.end, q.speaker_start, q.text)
            for e in store.enrichments()
            for q in e.quotes
        }
        exported = {
            (q["article_id"], q["start"], q["end"], q["speaker_start"], q["text"])
            for q in table_rows(store, "quotes")
        }
        assert exported == spans


@pytest.mark.slow
def test_pages_give_the_same_rows(example_db: Path) -> None:
    with storyline.open_store(example_db) as store:
        for name in TABLES:
            assert list(table_rows(store, name, page=2)) == list(table_rows(store, name)), name


def test_empty_store_writes_headers_and_schema(tmp_path: Path) -> None:
    with storyline.open_store(tmp_path / "empty.db") as store:
        for fmt in ("csv", "parquet", "json"):
            written = export_tables(store, tmp_path / fmt, fmt=fmt, what=["events", "quotes"])
            assert set(written.values()) == {0}
            for name in ("events", "quotes"):
                assert _read_back(tmp_path / fmt / f"{name}.{fmt}", TABLES[name]) == []


def test_unknown_format_or_table_writes_nothing(tmp_path: Path) -> None:
    with storyline.open_store(tmp_path / "s.db") as store:
        with pytest.raises(ValueError, match="format"):
            export_tables(store, tmp_path / "out", fmt="xml", what=["events"])
        with pytest.raises(ValueError, match="table"):
            export_tables(store, tmp_path / "out", fmt="csv", what=["people"])
    assert not (tmp_path / "out").exists()
