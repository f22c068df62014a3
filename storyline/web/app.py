"""The web app: the JSON API and the pages over the same store the CLI uses.

`storyline serve` calls `serve`; tests and other servers call `create_app`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.config import Config
from storyline.web import api, pages

__all__ = ["LOOPBACK_HOSTS", "MAX_BODY_BYTES", "create_app", "exposure", "serve"]

MAX_BODY_BYTES = 1024 * 1024
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")
_HERE = Path(__file__).parent
# Swagger UI's script and style as a Python package ships them: the docs load nothing remote.
_DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"


class _SecurityHeaders:
    """Every response, JSON and docs included, carries nosniff and the content policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in pages.SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


class _BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, by header or while streaming."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app, self.limit = app, limit

    def _too_large(self) -> HTTPException:
        return HTTPException(413, f"request body larger than {self.limit} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared and (not declared.isdigit() or int(declared) > self.limit):
            error = self._too_large()
            await JSONResponse({"detail": error.detail}, status_code=413)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            # FastAPI passes an HTTPException raised while reading the body on to its handler.
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise self._too_large()
            return message

        await self.app(scope, limited, send)


async def _errors(request: Request, exc: Exception) -> Response:
    """JSON errors for the API, an HTML page for everything a browser asks for."""
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path.startswith(("/api/", "/openapi", "/docs", "/static/")):
        return await http_exception_handler(request, exc)
    detail = exc.detail if isinstance(exc.detail, str) else "request refused"
    response = pages.render(
        request, "error.html", {"code": exc.status_code, "detail": detail}, code=exc.status_code
    )
    response.headers.update(exc.headers or {})
    return response


def create_app(
    config: Config,
    *,
    ingest: api.Ingest | None = None,
    max_body: int = MAX_BODY_BYTES,
    allowed_hosts: Sequence[str] = (),
) -> FastAPI:
    """The app over `config.db`; `ingest` replaces store-and-enrich for POSTed articles.

    `allowed_hosts` (else `config.allowed_hosts`) is the Host allow-list; empty admits any.
    """
    app = FastAPI(
        title="Storyline",
        version=metadata.version("storyline"),
        description=(
            "Events, storylines, entities, quotes and articles read from news. Writes need "
            "'Authorization: Bearer TOKEN' (STORYLINE_TOKEN); reads too when "
            "STORYLINE_PROTECT_READS is on."
        ),
        docs_url=None,
        redoc_url=None,
    )
    app.state.config = config
    app.state.ingest = ingest or api.ingest_articles
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    app.mount("/docs-assets", StaticFiles(directory=_DOCS_ASSETS), name="docs-assets")
    app.add_api_route("/docs", _docs, include_in_schema=False)
    app.add_exception_handler(StarletteHTTPException, _errors)
    app.add_middleware(_BodyLimit, limit=max_body)
    hosts = list(allowed_hosts or config.allowed_hosts)
    if hosts:
        # Outermost: a request naming another host (DNS rebinding) reaches nothing.
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    app.add_middleware(_SecurityHeaders)
    return app


def _docs(request: Request) -> Response:
    """Swagger UI over /openapi.json, every asset served by this app."""
    return pages.render(request, "docs.html", {})


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def exposure(config: Config, host: str) -> list[str]:
    """Warnings for serving on `host`; ValueError where it would open the store to a network.

    Off the loopback interface a write token is required, and open reads are warned about.
    """
    if _is_loopback(host):
        return []
    if not config.write_token:
        raise ValueError(
            f"refusing to serve on {host} without a token: anyone on the network could read "
            "the store. Set STORYLINE_TOKEN (and STORYLINE_PROTECT_READS=1), or serve on "
            "127.0.0.1"
        )
    notes = []
    if not config.protect_reads:
        notes.append(
            f"reads are open to anyone who can reach {host}; set STORYLINE_PROTECT_READS=1 "
            "to require the token for them too"
        )
    if not config.allowed_hosts:
        notes.append(
            "any Host header is accepted; set STORYLINE_ALLOWED_HOSTS to this server's names"
        )
    return notes


def serve(config: Config, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app under uvicorn until interrupted (the `storyline serve` command).

    On loopback only localhost names are accepted as Host unless STORYLINE_ALLOWED_HOSTS says
    otherwise, so a web page's DNS-rebound name cannot reach the open reads.
    """
    import uvicorn

    exposure(config, host)
    hosts = config.allowed_hosts or (LOOPBACK_HOSTS if _is_loopback(host) else ())
    uvicorn.run(create_app(config, allowed_hosts=hosts), host=host, port=port)
