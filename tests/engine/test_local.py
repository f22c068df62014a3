"""The default engine is this process: choosing it never loads Ray, a wrong name is refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.api import make_engine
from storyline.cli import app
from storyline.engine.local import LocalEngine


def test_the_default_path_never_imports_ray() -> None:
    probe = (
        "import sys, storyline.cli, storyline.api as api; api.make_engine(None); "
        "sys.exit('ray' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


def test_engines_by_name() -> None:
    assert isinstance(make_engine(None), LocalEngine)
    assert isinstance(make_engine("local"), LocalEngine)
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        make_engine("spark")


def test_an_unknown_engine_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["--db", str(tmp_path / "s.db"), "ingest", "--engine", "spark", "x.txt"]
    )
    assert result.exit_code == 2 and "unknown engine 'spark'" in result.stderr


def test_the_ray_engine_without_ray_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what an install without Ray gives
    monkeypatch.delitem(sys.modules, "storyline.engine.ray", raising=False)
    with pytest.raises(ValueError, match=r"pip install 'storyline\[ray\]'"):
        make_engine("ray")
