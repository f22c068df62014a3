"""The web app: the JSON API and the pages over the same store the CLI uses.

`storyline serve` calls `serve`; tests and other servers call `create_app`.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.config import Config
from storyline.web import api, pages

__all__ = ["MAX_BODY_BYTES", "create_app", "serve"]

MAX_BODY_BYTES = 1024 * 1024
_HERE = Path(__file__).parent


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
    config: Config, *, ingest: api.Ingest | None = None, max_body: int = MAX_BODY_BYTES
) -> FastAPI:
    """The app over `config.db`; `ingest` replaces store-and-enrich for POSTed articles."""
    app = FastAPI(
        title="Storyline",
        version=metadata.version("storyline"),
        description=(
            "Events, storylines, entities, quotes and articles read from news. Writes need "
            "'Authorization: Bearer TOKEN' (STORYLINE_TOKEN); reads too when "
            "STORYLINE_PROTECT_READS is on."
        ),
    )
    app.state.config = config
    app.state.ingest = ingest or api.ingest_articles
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    app.add_exception_handler(StarletteHTTPException, _errors)
    app.add_middleware(_BodyLimit, limit=max_body)
    return app


def serve(config: Config, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app under uvicorn until interrupted (the `storyline serve` command)."""
    import uvicorn

    uvicorn.run(create_app(config), host=host, port=port)
