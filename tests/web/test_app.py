"""App setup: security headers everywhere, docs without remote assets, Host allow-list, exposure."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from storyline.cli import app as cli
from storyline.config import Config
from storyline.web.app import LOOPBACK_HOSTS, create_app, exposure
from tests.web.conftest import TOKEN, make_client

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


@pytest.mark.parametrize("path", ["/api/events", "/openapi.json", "/docs", "/api/nothing", "/"])
def test_every_response_is_nosniff_with_a_content_policy(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_docs_load_every_asset_from_this_server(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets)
    assert "<script>" not in page.text  # no inline script: the policy allows none
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_the_host_allow_list_refuses_other_names(db: Path) -> None:
    from fastapi.testclient import TestClient

    app = create_app(Config(db=str(db)), allowed_hosts=LOOPBACK_HOSTS)
    with TestClient(app, base_url="http://localhost:8000") as local:
        assert local.get("/api/events").status_code == 200
        assert local.get("/api/events", headers={"Host": "[::1]:8000"}).status_code == 200
        rebound = local.get("/api/events", headers={"Host": "attacker.example"})
        assert rebound.status_code == 400
    with make_client(db, allowed_hosts=("news.example",)) as named:
        assert named.get("/api/events", headers={"Host": "news.example"}).status_code == 200
        assert named.get("/api/events").status_code == 400  # the test client's own name


def test_serving_off_loopback_needs_a_token() -> None:
    assert exposure(Config(), "127.0.0.1") == [] and exposure(Config(), "localhost") == []
    with pytest.raises(ValueError, match="STORYLINE_TOKEN"):
        exposure(Config(), "0.0.0.0")
    notes = exposure(Config(write_token=TOKEN), "0.0.0.0")
    assert any("PROTECT_READS" in n for n in notes)
    assert exposure(Config(write_token=TOKEN, protect_reads=True, allowed_hosts=("a",)), "::") == []
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"], env={"STORYLINE_TOKEN": ""})
    assert result.exit_code == 2 and "refusing" in result.output
