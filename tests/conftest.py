"""Shared fixtures: the real corpora in ../shared/data when present, skipped cleanly when not."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.site import Site, serve_site

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("STORYLINE_SHARED_DATA", REPO.parent / "shared" / "data"))
EXAMPLES = REPO / "examples"

# Property tests: a modest, fixed set of cases in `make test`, each bounded in time by the
# deadline (generous: the machine is shared; a hang or a blow-up still fails it), and
# HYPOTHESIS_PROFILE=fuzz explores many more, new ones on every run.
settings.register_profile(
    "ci",
    max_examples=40,
    deadline=5000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("fuzz", max_examples=2000, deadline=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real corpora (seeds, ECB+, MEANTIME); skips the test where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def seeds(shared_data: Path) -> Path:
    path = shared_data / "seeds"
    if not path.is_dir():
        pytest.skip("seed articles absent")
    return path


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the example corpus, ingested once per session; tests only read it."""
    import storyline

    db = tmp_path_factory.mktemp("examples") / "examples.db"
    with storyline.open_store(db) as store:
        report = storyline.ingest([str(EXAMPLES / "corpus")], store=store)
    assert report.ok, report.problems
    return db


@pytest.fixture
def site() -> Iterator[Site]:
    """A web site on 127.0.0.1 serving the documents a test puts in `site.docs`."""
    with serve_site() as served:
        yield served


@pytest.fixture(scope="session")
def warm_parsers() -> None:
    """Load what parsers load on first use (dateparser's tables, every locale of them for a
    line no locale reads), so per-case deadlines time the parsing, not the loading."""
    from storyline.read.dates import parse_printed

    parse_printed("16 novembre 2017")
    parse_printed("no month here 2017")
