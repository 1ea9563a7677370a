"""The web application: pages, the API, static files, the Vega bundle and security headers."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from kakehashi import __version__, catalog
from kakehashi.errors import KakehashiError
from kakehashi.store.reader import Store
from kakehashi.web import (
    api,
    api_analytics,
    api_products,
    asks,
    brief_download,
    documents,
    embed,
    middleware,
    openapi_docs,
    pages,
    pages_analytics,
)
from kakehashi.web.i18n import _

STATIC = Path(__file__).resolve().parent / "static"
# kept for the tests and for anyone who imported them from here
CSP = middleware.CSP
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@functools.cache
def vega_bundle() -> tuple[str, str]:
    """The self-contained Vega/Vega-Lite/vega-embed bundle from vl-convert, and its ETag."""
    import vl_convert

    # The stub says `snippet: str`, but None (the default) selects the bundle that sets
    # window.vegaEmbed, window.vega and window.vegaLite.
    bundle: Callable[..., str] = vl_convert.javascript_bundle
    js = str(bundle())
    return js, hashlib.sha256(js.encode()).hexdigest()[:16]


def _warm(store: Store, stop: threading.Event) -> None:
    # best effort: a failure here (e.g. no store yet) is reported by the requests themselves
    with contextlib.suppress(Exception):
        asks.warm(store, stop)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Compute the default answers (coherence, rank, the country pages' analytics) in the
    background from the start, so the first visitors do not wait for them."""
    stop = threading.Event()
    thread = threading.Thread(target=_warm, args=(app.state.store, stop),
                              name="kakehashi-warm", daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=30)


def create_app(store_path: Path) -> FastAPI:
    app = FastAPI(
        lifespan=lifespan,
        title="Kakehashi API",
        version=__version__,
        description="Japan and Latin America and the Caribbean: trade, finance, FDI, growth, "
                    "UN votes and events, with the provenance of every number.",
        docs_url=None,
        redoc_url=None,
        openapi_url=f"{middleware.API}/openapi.json",
        openapi_tags=openapi_docs.TAGS,
    )
    app.state.store = Store(store_path)
    app.add_middleware(middleware.WebMiddleware, store=app.state.store)

    @app.exception_handler(KakehashiError)
    async def kakehashi_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status", 500)
        return error_response(request, status, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        detail = getattr(exc, "detail", "")
        message = (_("No such page. Start from / (the region), /country/<ISO3>, /compare, "
                     "/rank, /events, /documents, /methods or /sources; the API is listed "
                     "at /api/v1/openapi.json.") if status == 404 else str(detail))
        return error_response(request, status, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: Exception) -> Response:
        errors: list[dict[str, Any]] = list(getattr(exc, "errors", list)())
        parts = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
                 for e in errors]
        return error_response(request, 400, "Invalid request: " + "; ".join(parts) + ".")

    @app.get("/static/vega-bundle.js", include_in_schema=False)
    def vega_js(request: Request) -> Response:
        js, etag = vega_bundle()
        headers = {"Cache-Control": "public, max-age=31536000, immutable",
                   "ETag": f'"{etag}"'}
        if request.headers.get("if-none-match") == f'"{etag}"':
            return Response(status_code=304, headers=headers)
        return Response(js, media_type="text/javascript; charset=utf-8", headers=headers)

    app.include_router(api.router)
    app.include_router(api_analytics.router)
    app.include_router(api_products.router)
    app.include_router(documents.api_router)
    app.include_router(pages.router)
    app.include_router(documents.router)
    app.include_router(pages_analytics.router)
    app.include_router(embed.router)
    app.include_router(brief_download.router)
    openapi_docs.install(app)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


def error_response(request: Request, status: int, message: str) -> Response:
    """JSON under /api, an HTML page elsewhere; the status comes from the error."""
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": {"status": status, "message": message}},
                            status_code=status)
    codes: list[str] = []
    if status == 404:
        try:
            codes = [str(r["iso3"]) for r in catalog.lac_countries(
                request.app.state.store).data]
        except KakehashiError:
            codes = []
    return pages.render(request, "error.html", status_code=status,
                        title=_("Error {status}", status=status),
                        status=status, message=message, codes=sorted(codes))


def serve(store_path: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the site and the API with uvicorn (one process) until interrupted."""
    import uvicorn

    from kakehashi.store.reader import open_store

    open_store(store_path).close()  # fail early, with the store's own advice, if it is missing
    # uvicorn picks uvloop and httptools when they are installed; no access log (it costs
    # more than a cached answer does under load); errors are still logged.
    uvicorn.run(create_app(store_path), host=host, port=port, log_level="info",
                access_log=False)
