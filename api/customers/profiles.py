"""Read profiles from the Feast online store, as one request may see them.

One online read (``api.online``) serves a whole batch of customers; the tags read are the
caller's visible ones (``api.access``), narrowed to those asked for. Partner-derived values
then pass the consent ledger per customer; a partner caller gets no profile at all of a
customer without active consent for that partner and purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from api.access import Access, feature_ref
from api.errors import AccessDenied
from api.serving import Serving
from profilehub.catalog import Tag


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


# Distinct (access, requested tags) whose read plans are remembered: callers choose the tags.
PLANS = 1_024


def requested_tags(access: Access, tag_ids: Sequence[str] | None) -> tuple[Tag, ...]:
    return _requested_tags(access, None if tag_ids is None else tuple(tag_ids))


@lru_cache(maxsize=PLANS)
def _requested_tags(access: Access, tag_ids: tuple[str, ...] | None) -> tuple[Tag, ...]:
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


@dataclass(frozen=True)
class ReadPlan:
    """What reading the requested tags takes for one access, worked out once per distinct
    pair (keyed by tag ids: hashing 50 catalog tags costs ~20 µs, their ids ~0.3 µs)."""

    tags: tuple[Tag, ...]
    tag_ids: tuple[str, ...]
    refs: tuple[str, ...]  # where the online store keeps each tag for the purpose
    # Positions of partner-derived tags, each with the partners whose consent it needs.
    gated: tuple[tuple[int, tuple[str, ...]], ...]
    # Partners whose consents the ledger is asked for (none: no ledger read).
    partners: tuple[str, ...]


def read_plan(access: Access, tag_ids: Sequence[str] | None) -> ReadPlan:
    """The plan of reading ``tag_ids`` (None: every visible tag); raises AccessDenied as
    ``requested_tags`` does."""
    return _read_plan(access, None if tag_ids is None else tuple(tag_ids))


@lru_cache(maxsize=PLANS)
def _read_plan(access: Access, tag_ids: tuple[str, ...] | None) -> ReadPlan:
    tags = _requested_tags(access, tag_ids)
    gated = tuple((position, access.required_partners(tag))
                  for position, tag in enumerate(tags) if tag.is_partner_derived)
    partners = {partner for _, required in gated for partner in required}
    if access.role.is_partner:
        partners.add(access.role.partner_id)
    return ReadPlan(tags, tuple(tag.id for tag in tags),
                    tuple(feature_ref(tag, access.purpose) for tag in tags), gated,
                    tuple(sorted(partners)))


def read_profiles(serving: Serving, access: Access, customer_keys: Sequence[str],
                  plan: ReadPlan) -> dict[str, Lookup]:
    as_of = serving.current().as_of
    keys = list(dict.fromkeys(customer_keys))
    # Consent is read from the ledger on every request: a revocation binds from the next one.
    consented = (serving.ledger.active(keys, list(plan.partners), access.purpose)
                 if plan.partners and keys else set())
    if access.role.is_partner:
        partner = access.role.partner_id
        refused = {key for key in keys if (key, partner) not in consented}
        keys = [key for key in keys if key not in refused]
    else:
        refused = set()
    rows = _online_rows(serving, plan, keys)
    lookups = {key: Lookup(None, f"no active consent of this customer for partner "
                                 f"{access.role.partner_id} and purpose {access.purpose}")
               for key in refused}
    tag_ids, gated = plan.tag_ids, plan.gated
    for key, row in zip(keys, rows, strict=True):
        if gated:
            row = list(row)
            for position, partners in gated:
                if not all((key, partner) in consented for partner in partners):
                    row[position] = None
        lookups[key] = Lookup(Profile(key, as_of, dict(zip(tag_ids, row, strict=True))))
    return lookups


def _online_rows(serving: Serving, plan: ReadPlan, keys: Sequence[str]) -> list[tuple]:
    """One tuple of values per customer, in the plan's tag order."""
    if not keys or not plan.refs:
        return [(None,) * len(plan.refs)] * len(keys)
    return serving.online.read(plan.refs, keys)
