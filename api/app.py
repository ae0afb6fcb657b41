"""The ASGI app: ``/graphql`` (GraphiQL on GET where enabled), ``/healthz``, ``/metrics`` and
``/segments/export.csv``; and ``serve`` to run it under uvicorn."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import os
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.dataloader import DataLoader

from api.access import Access
from api.audit import REFUSED, AuditEntry, AuditLog
from api.context import RequestContext, Services
from api.customers.resolvers import profile_batch_loader
from api.errors import AccessDenied, ApiError
from api.keys import KeyStore
from api.limits import open_rate_limiter
from api.metrics import ApiMetrics
from api.models.resolvers import scores_batch_loader
from api.segments.evaluate import evaluate_segment
from api.segments.privacy import open_difference_guard
from api.segments.resolvers import EXPORT_PATH
from api.segments.saved import SavedSegments
from api.serving import Serving
from api.suitability.products import ProductShelf
from profilehub.settings import REPO_ROOT, Settings, get_settings

PURPOSE_HEADER = "x-purpose"
KEY_HEADER = "x-api-key"
EXPORT_CHUNK = 65_536


def build_services(settings: Settings, serving: Serving | None = None) -> Services:
    return Services(
        settings=settings, serving=serving or Serving(settings), keys=KeyStore.of(settings),
        audit=AuditLog.of(settings), rate_limiter=open_rate_limiter(settings),
        metrics=ApiMetrics(settings.api.metrics_dir), differences=open_difference_guard(settings),
        saved_segments=SavedSegments.of(settings), products=ProductShelf(settings))


def presented_key(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return request.headers.get(KEY_HEADER)


def _refuse(services: Services, entry: AuditEntry, status: int, reason: str) -> HTTPException:
    entry.decision = REFUSED
    entry.reasons.append(reason)
    services.audit.append(entry)
    services.metrics.observe(entry.operation or "rejected", entry.role or "", REFUSED, 0.0)
    return HTTPException(status, reason)


def build_context(services: Services, request: Request, response: Response) -> RequestContext:
    """Authenticate, rate-limit and admit the stated purpose; raise an HTTP error otherwise
    (audited like every request)."""
    purpose = request.headers.get(PURPOSE_HEADER) or None
    principal = services.keys.authenticate(presented_key(request))
    entry = AuditEntry(principal.key_id if principal else None,
                       str(principal.role) if principal else None, purpose)
    if principal is None:
        raise _refuse(services, entry, 401, "missing or invalid API key (Authorization: "
                                            "Bearer <key>)")
    if not services.rate_limiter.admit(principal.key_id):
        raise _refuse(services, entry, 429, f"rate limit of "
                      f"{services.settings.api.rate_limit_per_minute} requests per minute "
                      f"exceeded for this key")
    try:
        access = Access.of(principal.role, purpose)
    except AccessDenied as denied:
        raise _refuse(services, entry, 403, str(denied)) from None
    entry.purpose = access.purpose
    context = RequestContext(request, response, services, principal, access, entry,
                             profiles=None)
    context.profiles = DataLoader(load_fn=profile_batch_loader(context))
    context.model_scores = DataLoader(load_fn=scores_batch_loader(context))
    return context


class ProfileHubGraphQL(GraphQL):
    def __init__(self, services: Services) -> None:
        from api.schema import build_schema

        settings = services.settings
        super().__init__(build_schema(settings.api), graphql_ide="graphiql",
                         allow_queries_via_get=False)
        self.services = services

    async def get_context(self, request: Request, response: Response) -> RequestContext:
        return build_context(self.services, request, response)


def _healthz(request: Request) -> Response:
    services: Services = request.app.state.services
    try:
        as_of = services.serving.current().as_of
    except ApiError as error:
        return JSONResponse({"status": "unavailable", "reason": str(error)}, status_code=503)
    return JSONResponse({"status": "ok", "as_of": as_of.isoformat()})


def _metrics(request: Request) -> Response:
    body, media_type = request.app.state.services.metrics.exposition()
    return Response(body, media_type=media_type)


def _csv_rows(keys: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([key] for key in keys)
    return buffer.getvalue()


def _export(request: Request) -> Response:
    """The members of a segment as CSV, streamed; internal roles only."""
    services: Services = request.app.state.services
    try:
        context = build_context(services, request, Response())
    except HTTPException as error:
        return Response(error.reason, status_code=error.status_code)
    entry = context.audit
    entry.operation, entry.fields = "export", ["segment.members"]
    if context.partner_id:
        raise_for = "partners get no segment exports"
        _refuse(services, entry, 403, raise_for)
        return Response(raise_for, status_code=403)
    try:
        members = evaluate_segment(context, request.query_params.get("expression", ""))
    except ApiError as error:
        _refuse(services, entry, 400, str(error))
        return Response(str(error), status_code=400)
    entry.reasons.append(f"exported {len(members)} customers")
    services.audit.append(entry)
    keys = context.snapshot.customer_keys

    def rows() -> Iterator[str]:
        yield "customer_key\n"
        for start in range(0, len(members), EXPORT_CHUNK):
            yield _csv_rows(list(keys[list(members[start:start + EXPORT_CHUNK])]))

    return StreamingResponse(rows(), media_type="text/csv")


def hold_for_life(services: Services) -> None:
    """Load the served snapshot, then keep what the process holds out of the cyclic GC.

    Catalog, read plans, segment index, Feast's registry and the libraries' modules are a few
    hundred thousand objects that live as long as the process; every full collection scanned
    them all, 120-160 ms here, which was the API's p99 under load. Frozen, collections scan
    only what requests allocate (gc.freeze, as CPython's docs suggest for long-lived servers).
    """
    # Nothing published yet: /healthz says so, and the first publication loads later.
    with contextlib.suppress(ApiError):
        services.serving.current()
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, *, serving: Serving | None = None
               ) -> Starlette:
    settings = settings or get_settings()
    services = build_services(settings, serving)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        hold_for_life(services)
        yield
        # A serving state handed in belongs to the caller; only what the app opened is closed.
        services.audit.close()
        if serving is None:
            services.serving.close()

    graphql = ProfileHubGraphQL(services)

    def graphiql(request: Request) -> Response:
        # Served before authentication: the page holds no data, keys go in its headers pane.
        if not settings.api.graphiql:
            return Response("GraphiQL is off in this environment; POST queries to /graphql",
                            status_code=404)
        return HTMLResponse(graphql.graphql_ide_html)

    app = Starlette(routes=[
        Route("/graphql", graphiql, methods=["GET"]),
        Route("/graphql", graphql, methods=["POST"]),
        Route("/healthz", _healthz),
        Route("/metrics", _metrics),
        Route(EXPORT_PATH, _export),
    ], lifespan=lifespan)
    app.state.services = services
    return app


def app_from_environment() -> Starlette:
    """The app of this process's settings: what each of several uvicorn workers runs."""
    return create_app(get_settings())


def serve(settings: Settings | None = None) -> None:
    """Run the API under uvicorn at the settings' host and port, in ``api.workers`` processes.

    With more than one worker this process becomes uvicorn's supervisor (exec): its workers
    are fresh interpreters that import ``app_from_environment`` and load the settings from the
    environment it is given, which also turns on Prometheus's multiprocess mode."""
    import uvicorn

    settings = settings or get_settings()
    api = settings.api
    if api.workers == 1:
        uvicorn.run(create_app(settings), host=api.host, port=api.port, log_level="warning",
                    access_log=False)
        return
    shutil.rmtree(settings.paths.api_metrics, ignore_errors=True)  # counts of an earlier run
    settings.paths.api_metrics.mkdir(parents=True)
    os.execve(sys.executable, [
        sys.executable, "-m", "uvicorn", f"{__name__}:app_from_environment", "--factory",
        "--app-dir", str(REPO_ROOT), "--workers", str(api.workers), "--host", api.host,
        "--port", str(api.port), "--log-level", "warning", "--no-access-log",
    ], settings.api_workers_environ())
