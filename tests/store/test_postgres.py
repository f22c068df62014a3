"""What only the PostgreSQL store does: its schema_version table, JSONB, the tsvector index.

The behaviour both backends share is tested in test_store.py against each of them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storyline.api import open_store
from storyline.records import Article
from storyline.store.postgres import PostgresStore, migrations


@pytest.fixture
def pg_store(pg_dsn: str) -> Iterator[PostgresStore]:
    store = PostgresStore(pg_dsn)
    yield store
    store.close()


def test_migrations_are_recorded_once(pg_store: PostgresStore, pg_dsn: str) -> None:
    assert pg_store.schema_version == migrations()[-1][0]
    again = PostgresStore(pg_dsn)
    versions = again._rows("SELECT version FROM schema_version ORDER BY version")
    again.close()
    assert [r["version"] for r in versions] == [v for v, _ in migrations()]


def test_json_columns_are_jsonb_and_search_is_indexed(pg_store: PostgresStore) -> None:
    pg_store.add_article(Article("a1", "a1.txt", "Floods in Marsk.", "raw", metadata={"k": [1]}))
    kinds = pg_store._rows(
        "SELECT column_name AS c, data_type AS t FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND data_type IN ('jsonb', 'tsvector')"
    )
    assert {(r["c"], r["t"]) for r in kinds} >= {
        ("metadata", "jsonb"),
        ("data", "jsonb"),
        ("search", "tsvector"),
    }
    [row] = pg_store._rows("SELECT metadata -> 'k' ->> 0 AS first FROM articles")
    assert row["first"] == "1"  # real JSON the server can query, not quoted text
    [index] = pg_store._rows(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        " AND indexname = 'articles_search'"
    )
    assert "gin" in index["indexdef"].lower()


def test_open_store_takes_a_postgres_url(pg_dsn: str) -> None:
    store = open_store(pg_dsn)
    assert isinstance(store, PostgresStore)
    store.close()
