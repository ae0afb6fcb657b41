"""Read profiles from the Feast online store, as one request may see them.

One ``get_online_features`` call serves a whole batch of customers; the tags read are the
caller's visible ones (``api.access``), narrowed to those asked for. Partner-derived values
then pass the consent ledger per customer; a partner caller gets no profile at all of a
customer without active consent for that partner and purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from api.access import Access, feature_ref
from api.errors import AccessDenied
from api.serving import Serving
from profilehub.catalog import Tag
from profilehub.feature_store.views import ENTITY_KEY


@dataclass(frozen=True)
class Profile:
    customer_key: str
    as_of: date
    # tag id -> value as the online store returns it (None: no value or withheld).
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Lookup:
    """A profile, or why the caller gets none."""

    profile: Profile | None
    refusal: str | None = None


def requested_tags(access: Access, tag_ids: Sequence[str] | None) -> tuple[Tag, ...]:
    visible = access.profile_tags()
    if tag_ids is None:
        return visible
    by_id = {tag.id: tag for tag in visible}
    hidden = [tag_id for tag_id in tag_ids if tag_id not in by_id]
    scores = sorted({tag.id for tag in access.model_score_tags()} & set(hidden))
    if scores:
        raise AccessDenied(f"tag(s) {', '.join(scores)} are model scores: ask for them with "
                           f"Customer.scores, which carries the model version of each value")
    if hidden:
        raise AccessDenied(f"tag(s) {', '.join(sorted(hidden))} unknown or not available to "
                           f"role {access.role} for purpose {access.purpose}")
    return tuple(by_id[tag_id] for tag_id in dict.fromkeys(tag_ids))


def read_profiles(serving: Serving, access: Access, customer_keys: Sequence[str],
                  tags: Sequence[Tag]) -> dict[str, Lookup]:
    as_of = serving.current().as_of
    keys = list(dict.fromkeys(customer_keys))
    consented = _consented_pairs(serving, access, keys, tags)
    if access.role.is_partner:
        partner = access.role.partner_id
        refused = {key for key in keys if (key, partner) not in consented}
        keys = [key for key in keys if key not in refused]
    else:
        refused = set()
    columns = _online_values(serving, access, keys, tags)
    lookups = {key: Lookup(None, f"no active consent of this customer for partner "
                                 f"{access.role.partner_id} and purpose {access.purpose}")
               for key in refused}
    for row, key in enumerate(keys):
        values = {tag.id: columns[tag.id][row] for tag in tags}
        for tag in tags:
            if tag.is_partner_derived and not all(
                    (key, partner) in consented for partner in access.required_partners(tag)):
                values[tag.id] = None
        lookups[key] = Lookup(Profile(key, as_of, values))
    return lookups


def _consented_pairs(serving: Serving, access: Access, keys: Sequence[str],
                     tags: Sequence[Tag]) -> set[tuple[str, str]]:
    partners = {partner for tag in tags if tag.is_partner_derived
                for partner in access.required_partners(tag)}
    if access.role.is_partner:
        partners.add(access.role.partner_id)
    if not partners or not keys:
        return set()
    return serving.ledger.active(keys, sorted(partners), access.purpose)


def _online_values(serving: Serving, access: Access, keys: Sequence[str],
                   tags: Sequence[Tag]) -> dict[str, list]:
    if not keys or not tags:
        return {tag.id: [None] * len(keys) for tag in tags}
    response = serving.store.get_online_features(
        features=[feature_ref(tag, access.purpose) for tag in tags],
        entity_rows=[{ENTITY_KEY: key} for key in keys])
    return response.to_dict()
