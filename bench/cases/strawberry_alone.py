"""Reference server of the api bench: Strawberry alone, doing none of the API's own work.

It answers the bench's two queries (``customer`` and ``customers``, each with ``id`` and
``values`` of the requested tags) from memory, under the same Starlette routing, uvicorn
workers and clients as the API, with parsing and validation cached as the API caches them. No
keys, rate limits, consent, limits, audit, metrics or Redis: what a request costs here is what
any Strawberry API pays on this machine before doing work of its own, so the API's latency is
read against it (``bench.suites.api``).

Run: ``uvicorn bench.cases.strawberry_alone:app``.
"""

from __future__ import annotations

import random

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.scalars import JSON


def tag_value_texts() -> dict[str, str]:
    """One value text per served tag, drawn as the bench's marts draw them."""
    from bench.cases.api import tag_value, value_text
    from profilehub.feature_store.views import served_tags

    rng = random.Random(7)
    return {tag.id: value_text(tag_value(tag, rng)) for tag in served_tags()}


VALUES = tag_value_texts()


@strawberry.type
class Customer:
    id: str
    values: JSON


def _customer(key: str, tags: list[str] | None) -> Customer:
    return Customer(id=key, values={tag: VALUES.get(tag) for tag in tags or VALUES})


@strawberry.type
class Query:
    @strawberry.field
    async def customer(self, key: str, tags: list[str] | None = None) -> Customer:
        return _customer(key, tags)

    @strawberry.field
    async def customers(self, keys: list[str], tags: list[str] | None = None
                        ) -> list[Customer | None]:
        return [_customer(key, tags) for key in keys]


def _healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


schema = strawberry.Schema(query=Query, extensions=[
    lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)])
app = Starlette(routes=[Route("/graphql", GraphQL(schema), methods=["POST"]),
                        Route("/healthz", _healthz)])
