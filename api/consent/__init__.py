"""The consent ledger the API checks on every request (PIPL: consent per partner and purpose).

The pipeline publishes consent as of each as_of (``fct_customer_tags.consented_purposes``, from
``int_consent__active``); a revocation must however bind from the next request, not the next
as_of. The ledger holds both: the published grants of the served as_of, replaced whole when a
newer as_of is served, and decisions recorded through the API (``recordConsent``, ``profilehub
api consent``), which win over published state until recorded otherwise. SQLite under the data
root locally, Redis in prod.
"""

from api.consent.ledger import ConsentLedger, ConsentState, open_ledger
from api.consent.published import published_grants, sync_ledger

__all__ = ["ConsentLedger", "ConsentState", "open_ledger", "published_grants", "sync_ledger"]
