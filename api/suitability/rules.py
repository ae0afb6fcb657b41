"""The suitability rule: a product may be offered only when its R level does not exceed the
customer's C level, and only on a valid questionnaire (never taken or expired: nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import strawberry

from profilehub.contracts import CUSTOMER_RISK_LEVELS, PRODUCT_RISK_LEVELS

UNASSESSED = "unassessed"


@strawberry.enum(description="Why a product is or is not suitable.")
class SuitabilityReason(Enum):
    WITHIN_LEVEL = "within_level"
    ABOVE_CUSTOMER_LEVEL = "above_customer_level"
    QUESTIONNAIRE_MISSING = "questionnaire_missing"
    QUESTIONNAIRE_EXPIRED = "questionnaire_expired"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: SuitabilityReason
    explanation: str


def level_rank(level: str) -> int:
    """1–5 for C1–C5 and R1–R5."""
    ranks = {value: rank for rank, value in enumerate(CUSTOMER_RISK_LEVELS, start=1)}
    ranks.update({value: rank for rank, value in enumerate(PRODUCT_RISK_LEVELS, start=1)})
    return ranks[level]


def decide(customer_level: str | None, expired: bool | None, product_level: str) -> Decision:
    if customer_level in (None, UNASSESSED):
        return Decision(False, SuitabilityReason.QUESTIONNAIRE_MISSING,
                        "the customer has no risk questionnaire on file")
    if expired:
        return Decision(False, SuitabilityReason.QUESTIONNAIRE_EXPIRED,
                        f"the customer's risk questionnaire ({customer_level}) has expired")
    if level_rank(product_level) > level_rank(customer_level):
        return Decision(False, SuitabilityReason.ABOVE_CUSTOMER_LEVEL,
                        f"product level {product_level} exceeds customer level {customer_level}")
    return Decision(True, SuitabilityReason.WITHIN_LEVEL,
                    f"product level {product_level} is within customer level {customer_level}")
