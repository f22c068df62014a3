"""What every route depends on: a store per request, the shared filters, and the token checks."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from storyline import api
from storyline.config import Config
from storyline.web.query import Corpus, Filters

__all__ = [
    "Bearer",
    "CorpusDep",
    "FiltersDep",
    "config_of",
    "corpus",
    "filters",
    "require_read",
    "require_write",
]

_bearer = HTTPBearer(auto_error=False, description="The token set in STORYLINE_TOKEN.")
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def config_of(request: Request) -> Config:
    """The configuration the app was created with."""
    config: Config = request.app.state.config
    return config


def corpus(request: Request) -> Iterator[Corpus]:
    """A store of its own for each request (SQLite connections are not shared across threads)."""
    store = api.open_store(config=config_of(request))
    try:
        yield Corpus(store)
    finally:
        store.close()


CorpusDep = Annotated[Corpus, Depends(corpus)]


def filters(
    entity: Annotated[
        str | None, Query(description="An entity id, or a name or alias (any case).")
    ] = None,
    start: Annotated[
        str | None, Query(alias="from", description="First day (ISO date), inclusive.")
    ] = None,
    end: Annotated[
        str | None, Query(alias="to", description="Last day (ISO date), inclusive.")
    ] = None,
    outlet: Annotated[str | None, Query(description="An outlet's name (any case).")] = None,
    storyline: Annotated[str | None, Query(description="A storyline's id.")] = None,
) -> Filters:
    """The filters every listing takes; dates are checked so a typo is an error, not no result."""
    for name, value in (("from", start), ("to", end)):
        if value and _date_prefix(value) is None:
            raise HTTPException(422, f"{name} must be an ISO date such as 2024-03-05")
    return Filters(
        entity=entity or None,
        start=start or None,
        end=end or None,
        outlet=outlet or None,
        storyline=storyline or None,
    )


FiltersDep = Annotated[Filters, Depends(filters)]


def _date_prefix(value: str) -> str | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD prefix, or None when the value is none of these."""
    parts = value.split("-")
    sizes = [4, 2, 2][: len(parts)]
    if len(parts) > 3 or any(
        len(p) != n or not p.isdigit() for p, n in zip(parts, sizes, strict=False)
    ):
        return None
    return value


def _check(credentials: HTTPAuthorizationCredentials | None, token: str, what: str) -> None:
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise HTTPException(
            401,
            f"{what} need the token: send 'Authorization: Bearer TOKEN'",
            headers={"WWW-Authenticate": "Bearer"},
        )


def require_write(request: Request, credentials: Bearer) -> None:
    """Writes are refused outright until a token is configured, then need that token."""
    token = config_of(request).write_token
    if not token:
        raise HTTPException(
            403,
            "writes are disabled: set STORYLINE_TOKEN on the server, then send "
            "'Authorization: Bearer TOKEN'",
        )
    _check(credentials, token, "writes")


def require_read(request: Request, credentials: Bearer) -> None:
    """Reads are open unless STORYLINE_PROTECT_READS is on; then they need the token too."""
    config = config_of(request)
    if not config.protect_reads:
        return
    if not config.write_token:
        raise HTTPException(403, "reads are protected but no STORYLINE_TOKEN is configured")
    _check(credentials, config.write_token, "reads")
