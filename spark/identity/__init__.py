"""Identity resolution: customer keys from KYC history and partner links with evidence.

``build_identity(settings, as_of)`` writes ``lake.customer_accounts`` and
``lake.partner_links`` (and ``lake.identity_quality`` when ground truth exists) for one date;
``profilehub identity --as-of DATE`` runs it. See ``accounts`` and ``links`` for the rules.
"""

from spark.identity.accounts import customer_key_column, customer_key_of
from spark.identity.build import IdentityResult, build_identity
from spark.identity.scoring import IdentityScore, PartnerScore, score_identity
from spark.identity.tables import CUSTOMER_ACCOUNTS, IDENTITY_QUALITY, PARTNER_LINKS

__all__ = [
    "CUSTOMER_ACCOUNTS",
    "IDENTITY_QUALITY",
    "PARTNER_LINKS",
    "IdentityResult",
    "IdentityScore",
    "PartnerScore",
    "build_identity",
    "customer_key_column",
    "customer_key_of",
    "score_identity",
]
