"""Who receives which tag: the rules behind the versioned feature services.

A service serves one audience for one purpose. Its rule admits tags by their catalog
sensitivity and purposes; a partner-derived value is moreover only served where the customer
consented to the service's purpose (the consent-gated feature views hold nothing else). A
change to what a service returns is a new version (``…_v2``), never an edit of ``…_v1``'s
meaning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from profilehub.catalog import Tag

# Purposes under which data leaves ProfileHub for a partner.
PARTNER_PURPOSES = ("partner_credit_assessment",)
# Sensitivities that never leave the house.
WITHHELD_FROM_PARTNERS = ("internal", "sensitive")


def partner_may_receive(tag: Tag) -> bool:
    """The one rule for partners: neither internal nor sensitive, and meant for a partner purpose.

    The partner API applies this same function; the ``partner_api_v1`` service is built from it.
    """
    return (tag.sensitivity not in WITHHELD_FROM_PARTNERS
            and any(purpose in PARTNER_PURPOSES for purpose in tag.purposes))


def allowed_for(purpose: str) -> Callable[[Tag], bool]:
    """A rule admitting every tag whose catalog purposes include ``purpose``."""

    def admits(tag: Tag) -> bool:
        return purpose in tag.purposes

    return admits


@dataclass(frozen=True)
class ServiceRule:
    name: str
    # The purpose the service's data is used for: the consent partner-derived values need.
    purpose: str
    description: str
    admits: Callable[[Tag], bool]


TRAINING_V1 = ServiceRule(
    "training_v1", "research",
    "Data scientists' training sets: every tag the catalog allows for research.",
    allowed_for("research"))
PARTNER_API_V1 = ServiceRule(
    "partner_api_v1", "partner_credit_assessment",
    "What a partner may receive: tags neither internal nor sensitive, meant for a partner "
    "purpose (partner_may_receive).",
    partner_may_receive)
MARKETING_V1 = ServiceRule(
    "marketing_v1", "marketing",
    "Campaign targeting: every tag the catalog allows for marketing.",
    allowed_for("marketing"))
SERVICES = (TRAINING_V1, PARTNER_API_V1, MARKETING_V1)
SERVICES_BY_NAME = {rule.name: rule for rule in SERVICES}
