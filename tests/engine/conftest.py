"""A local Ray for the engine tests (2 CPUs, shut down after them), and the store backends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.store.conftest import pg_admin, pg_dsn

__all__ = ["local_ray", "pg_admin", "pg_dsn"]


@pytest.fixture(scope="session")
def local_ray() -> Iterator[Any]:
    """Ray on this machine with two CPUs; skipped only where Ray cannot be imported."""
    ray = pytest.importorskip("ray", reason="Ray not installed (extra `ray`)")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        object_store_memory=256 * 1024 * 1024,
    )
    try:
        yield ray
    finally:
        ray.shutdown()
