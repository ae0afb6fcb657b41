"""The typed context of one request, and the services it shares with every other request."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from api.access import Access
from api.audit import AuditEntry, AuditLog
from api.errors import NotFound
from api.keys import KeyStore, Principal
from api.limits import RateLimiter
from api.metrics import ApiMetrics
from api.segments.privacy import DifferenceGuard
from api.segments.saved import SavedSegments
from api.serving import Serving, Snapshot
from api.suitability.products import ProductShelf
from profilehub.settings import Settings


@dataclass
class Services:
    """Shared by all requests of one app."""

    settings: Settings
    serving: Serving
    keys: KeyStore
    audit: AuditLog
    rate_limiter: RateLimiter
    metrics: ApiMetrics
    differences: DifferenceGuard
    saved_segments: SavedSegments
    products: ProductShelf


@dataclass
class RequestContext:
    request: Request
    response: Response
    services: Services
    principal: Principal
    access: Access
    audit: AuditEntry
    # customer_key and requested tag ids -> the profile lookup; one online read per batch.
    profiles: DataLoader = field(repr=False)
    # customer_key and requested models -> their scores; one read of the model-score project.
    model_scores: DataLoader = field(repr=False, default=None)

    @property
    def snapshot(self) -> Snapshot:
        return self.services.serving.current()

    @property
    def partner_id(self) -> str | None:
        return self.principal.role.partner_id

    def customer_key_of(self, key: str) -> str:
        """The customer a caller's key names: a partner's pseudonymous id is resolved for it;
        unknown keys raise NotFound, the same way whether or not the customer exists."""
        customer_key = (self.services.serving.pseudonyms.resolve(self.partner_id, key)
                        if self.partner_id else key)
        if customer_key is None or not self.snapshot.knows(customer_key):
            raise NotFound(f"no customer {key!r} in the profile as of {self.snapshot.as_of}")
        self.audit.customers.add(customer_key)
        return customer_key

    def public_id(self, customer_key: str) -> str:
        """How the caller may see a customer: partners only ever get their pseudonymous id."""
        if self.partner_id:
            return self.services.serving.pseudonyms.of(self.partner_id, customer_key)
        return customer_key


ApiInfo = Info[RequestContext, None]
