"""Root field ``suitability``: reads the customer's level and questionnaire state online."""

from __future__ import annotations

import anyio
import strawberry

from api.context import ApiInfo
from api.errors import NotFound
from api.permissions import IsInternal
from api.suitability.rules import SuitabilityReason, decide
from profilehub.feature_store.views import ENTITY_KEY

# The risk_suitability tags the rule reads, whoever asks: only the verdict is returned.
LEVEL_REF = "risk_suitability:customer_risk_level"
EXPIRED_REF = "risk_suitability:risk_assessment_expired"


@strawberry.type(description="Whether a product may be offered to a customer, and why.")
class Suitability:
    customer: str
    product: str
    product_risk_level: str
    customer_risk_level: str | None
    allowed: bool
    reason: SuitabilityReason
    explanation: str


def _risk_state(info: ApiInfo, customer_key: str) -> tuple[str | None, bool | None]:
    store = info.context.services.serving.store
    values = store.get_online_features(features=[LEVEL_REF, EXPIRED_REF],
                                       entity_rows=[{ENTITY_KEY: customer_key}]).to_dict()
    return values["customer_risk_level"][0], values["risk_assessment_expired"][0]


@strawberry.type
class SuitabilityQueries:
    @strawberry.field(permission_classes=[IsInternal],
                      description="Product given as its code or as a risk level R1–R5.")
    async def suitability(self, info: ApiInfo, customer: str, product: str) -> Suitability:
        context = info.context
        customer_key = context.customer_key_of(customer)
        shelf = context.services.products
        product_level = shelf.risk_level(product, context.snapshot.as_of)
        if product_level is None:
            raise NotFound(f"no product {product!r}: give a product code on the shelf or R1–R5")
        level, expired = await anyio.to_thread.run_sync(_risk_state, info, customer_key)
        decision = decide(level, expired, product_level)
        return Suitability(customer=customer, product=product, product_risk_level=product_level,
                           customer_risk_level=level, allowed=decision.allowed,
                           reason=decision.reason, explanation=decision.explanation)
