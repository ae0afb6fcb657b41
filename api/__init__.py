"""ProfileHub's GraphQL API (issue #7): profiles, catalog, segments, suitability, partner
scenarios and model scores, with consent, access control, limits and an audit log.

    app = create_app(settings)          # Starlette: /graphql, /healthz, /metrics, CSV export
    serve(settings)                     # uvicorn at settings.api.host:port
    ensure_demo_keys(settings)          # one fresh key per role, {role: key}

One package per domain (customers, catalog, segments, suitability, partners, consent, models:
the federated models' registry and scores); access rules in ``access``, the served as_of in
``serving``, limits in ``limits``.
"""

from api.app import create_app, serve
from api.keys import ensure_demo_keys

__all__ = ["create_app", "ensure_demo_keys", "serve"]
