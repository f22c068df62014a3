"""A `store` fixture run over every backend, each test on a clean database.

PostgreSQL comes from STORYLINE_TEST_PG_URL, else from scripts/postgres.sh (started if need be);
where neither gives a server the postgres tests skip, saying why.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline.store.base import Store
from storyline.store.sqlite import SQLiteStore

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "postgres.sh"

StoreFactory = Callable[[], Store]


def _script_url() -> str:
    """The local server's URL, starting it (never installing it) when it is not running."""
    if not SCRIPT.is_file():
        pytest.skip(f"no PostgreSQL: STORYLINE_TEST_PG_URL unset and {SCRIPT} missing")
    env = {**os.environ, "STORYLINE_PG_INSTALL": "0"}
    done = subprocess.run(["bash", str(SCRIPT), "url"], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        done = subprocess.run(
            ["bash", str(SCRIPT), "start"], capture_output=True, text=True, env=env, timeout=120
        )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["no output"]
        pytest.skip(f"no PostgreSQL: scripts/postgres.sh start failed: {lines[-1]}")
    return done.stdout.strip()


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[tuple[str, Any]]:
    """The server URL and an autocommit connection that makes and drops the per-test schemas."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg not installed (extra `postgres`)")
    url = os.environ.get("STORYLINE_TEST_PG_URL") or _script_url()
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL at the test URL: {str(exc).strip().splitlines()[0]}")
    with conn:
        yield url, conn


@pytest.fixture
def pg_dsn(pg_admin: tuple[str, Any]) -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema, dropped after the test."""
    url, conn = pg_admin
    schema = f"test_{uuid.uuid4().hex}"
    conn.execute(f'CREATE SCHEMA "{schema}"'.encode())
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE'.encode())


@pytest.fixture(params=["sqlite", "postgres"])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Opens the test's one clean store location again each call, as a restarted process would."""
    opened: list[Store] = []
    if request.param == "sqlite":

        def make() -> Store:
            return SQLiteStore(tmp_path / "s.db")

    else:
        from storyline.store.postgres import PostgresStore

        dsn: str = request.getfixturevalue("pg_dsn")

        def make() -> Store:
            return PostgresStore(dsn)

    def tracked() -> Store:
        opened.append(make())
        return opened[-1]

    yield tracked
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory: StoreFactory) -> Store:
    return store_factory()
