"""Real GraphQL over HTTP against the ASGI app: query strings, headers, JSON back."""

from __future__ import annotations

from starlette.testclient import TestClient


def graphql(client: TestClient, key: str | None, query: str, variables: dict | None = None,
            purpose: str | None = None) -> dict:
    """POST a query string; returns the JSON body (HTTP errors raise)."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if purpose:
        headers["X-Purpose"] = purpose
    response = client.post("/graphql", json={"query": query, "variables": variables or {}},
                           headers=headers)
    response.raise_for_status()
    return response.json()


def error_messages(body: dict) -> list[str]:
    return [error["message"] for error in body.get("errors") or []]

