"""The ASGI application: JSON API under /api, web pages at /, one writer, one reader per thread.

Reads run on FastAPI's thread pool, each thread with its own read connection (SQLite in WAL mode lets
them read while the writer commits). Writes go to the single :class:`~storyline.serve.writer.Writer`,
in a process of its own by default (:mod:`storyline.serve.writer_process`), so reads do not take the
interpreter from it.
Every error is JSON ``{"error": "..."}`` on /api and a short HTML page elsewhere.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline import __version__
from storyline.serve.data import NotFound
from storyline.serve.writer import StoreFailure, Writer
from storyline.serve.writer_process import WriterProcess
from storyline.settings import Settings
from storyline.store import Store

__all__ = ["ServeConfig", "create_app", "reader", "token_ok"]

log = logging.getLogger("storyline.serve")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """How the service runs.

    `token`: bearer token required by write endpoints (None: writes are open). `max_body`: largest
    request body in bytes. `page_size`: stories per page. `max_items`: most items one pipeline call
    takes (queued posts are merged up to it). `revise_after`: idle seconds before stories are fully
    revised (see :mod:`storyline.serve.writer`). `writer_process`: run the writer in a child process
    (the default); off, it is a thread of this process (what tests that patch the pipeline need).
    """

    db: str = "storyline.db"
    token: str | None = None
    max_body: int = 10 * 1024 * 1024
    page_size: int = 50
    max_items: int = 2000
    revise_after: float = 0.5
    settings: Settings = field(default_factory=Settings)
    writer_process: bool = True


def token_ok(authorization: str | None, token: str) -> bool:
    """Whether an Authorization header carries ``Bearer TOKEN`` (constant-time compare)."""
    scheme, _, value = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and secrets.compare_digest(value.strip().encode(), token.encode())


class TokenGate:
    """Refuses writes without the bearer token with 401 before the body is read or parsed, so a client
    without the token cannot make the service parse (or even receive) its JSON."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.token is None
            or scope["type"] != "http"
            or scope.get("method") in ("GET", "HEAD", "OPTIONS")
            or not str(scope.get("path", "")).startswith("/api")
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        given = headers.get(b"authorization", b"").decode("latin-1")
        if token_ok(given, self.token):
            await self.app(scope, receive, send)
            return
        response = JSONResponse(
            {"error": "missing or wrong bearer token"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
        await response(scope, receive, send)


class BodyLimit:
    """Rejects request bodies over `limit` bytes with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:  # the app's error handler turns this into the JSON 413
                raise HTTPException(413, self._message())
            return message

        await self.app(scope, counted, send)

    def _message(self) -> str:
        return f"request body too large: the limit is {self.limit} bytes; post smaller batches"

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await JSONResponse({"error": self._message()}, status_code=413)(scope, receive, send)


_readers = threading.local()


def reader(request: Request) -> Store:
    """This thread's read connection to the app's store (opened on first use)."""
    db: str = request.app.state.config.db
    store: Store | None = getattr(_readers, db, None)
    if store is None:
        store = Store(db)
        setattr(_readers, db, store)
    return store


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        return JSONResponse({"error": message}, status_code=status)
    from storyline.serve.ui import CSP, error_page

    return HTMLResponse(
        error_page(status, message), status_code=status, headers={"Content-Security-Policy": CSP}
    )


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = _error(request, exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body') or 'body'}: {e.get('msg')}"
            for e in exc.errors()[:5]
        )
        return _error(request, 422, f"invalid request: {problems}")

    @app.exception_handler(StoreFailure)
    async def unwritable(request: Request, exc: StoreFailure) -> Response:
        log.error("%s: %s", request.url.path, exc)
        return _error(
            request, 503, "the store cannot be written now (disk full or I/O error); nothing was stored"
        )

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        # The exception's text can hold internal paths or data: it goes to the log, under a reference
        # the client gets instead.
        reference = secrets.token_hex(4)
        log.exception("unhandled error on %s (reference %s)", request.url.path, reference)
        return _error(request, 500, f"internal error (server log reference {reference})")


def create_app(config: ServeConfig | None = None) -> FastAPI:
    """The service over `config.db` (created when missing)."""
    config = config or ServeConfig()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        host = WriterProcess if config.writer_process else Writer
        app.state.writer = host(config.db, config.settings, config.max_items, config.revise_after)
        if config.token is None:
            log.warning("no token configured: anyone who can reach this server can post articles")
        try:
            yield
        finally:
            app.state.writer.close()

    from storyline.serve.api import router as api_router
    from storyline.serve.ui import router as ui_router

    app = FastAPI(
        title="Storyline",
        version=__version__,
        description="Copy groups, stories and consolidated story views over a Storyline store.",
        lifespan=lifespan,
    )
    app.state.config = config
    _install_errors(app)
    app.include_router(api_router)
    app.include_router(ui_router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.add_middleware(BodyLimit, limit=config.max_body)
    app.add_middleware(TokenGate, token=config.token)  # added last, so it runs first
    return app
