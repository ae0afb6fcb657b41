"""Root field ``consumptionCapability``: a band, never amounts, for a partner's customer.

Only with active consent of that customer for the calling partner and the stated purpose
(the ledger, at request time), and only for a purpose the partner stated for the request.
"""

from __future__ import annotations

from datetime import date

import strawberry

from api.context import ApiInfo
from api.customers.profiles import requested_tags
from api.customers.resolvers import customer_of
from api.errors import AccessDenied
from api.permissions import IsPartner

CAPABILITY_TAG = "consumption_capacity_band"


@strawberry.type(description="A partner customer's consumption capability band.")
class ConsumptionCapability:
    partner_ref: str
    purpose: str
    band: str | None = strawberry.field(
        description="no_partner_spend, low, medium, high, very_high or top; null: no data")
    as_of: date


@strawberry.type
class PartnerQueries:
    @strawberry.field(permission_classes=[IsPartner],
                      description="partnerRef is the partner's pseudonymous id of the customer.")
    async def consumption_capability(self, info: ApiInfo, partner_ref: str,
                                     purpose: str) -> ConsumptionCapability:
        context = info.context
        if purpose != context.access.purpose:
            raise AccessDenied(f"purpose {purpose!r} differs from the purpose stated for this "
                               f"request ({context.access.purpose})")
        tags = requested_tags(context.access, [CAPABILITY_TAG])  # refuses unless visible
        customer_key = context.customer_key_of(partner_ref)
        lookup = await context.profiles.load((customer_key, (CAPABILITY_TAG,)))
        customer = customer_of(info, lookup, tags)
        return ConsumptionCapability(partner_ref=partner_ref, purpose=purpose,
                                     band=customer.value_text(CAPABILITY_TAG), as_of=customer.as_of)
