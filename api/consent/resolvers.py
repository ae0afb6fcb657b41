"""Admin mutation ``recordConsent``: a grant or revocation that binds from the next request."""

from __future__ import annotations

import strawberry

from api.context import ApiInfo
from api.errors import ApiError
from api.permissions import IsAdmin
from profilehub.contracts import PARTNERS, PURPOSES


@strawberry.type(description="A consent decision recorded in the ledger.")
class ConsentDecision:
    customer_key: str
    partner_id: str
    purpose: str
    active: bool


@strawberry.type
class ConsentMutations:
    @strawberry.mutation(permission_classes=[IsAdmin],
                         description="Record a customer's grant (active) or revocation.")
    def record_consent(self, info: ApiInfo, customer_key: str, partner_id: str, purpose: str,
                       active: bool) -> ConsentDecision:
        context = info.context
        if partner_id not in PARTNERS or purpose not in PURPOSES:
            raise ApiError(f"partner one of {', '.join(PARTNERS)}; purpose one of "
                           f"{', '.join(PURPOSES)}")
        customer_key = context.customer_key_of(customer_key)
        state = context.services.serving.ledger.record(
            customer_key, partner_id, purpose, active, by=context.principal.key_id)
        return ConsentDecision(customer_key=state.customer_key, partner_id=state.partner_id,
                               purpose=state.purpose, active=state.active)
