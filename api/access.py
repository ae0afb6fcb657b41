"""Field-level access: which tags a caller sees, decided by the tag catalog.

A tag is visible to a request when the request's purpose is among the tag's catalog purposes
and, for a partner, when ``partner_may_receive`` admits it (neither internal nor sensitive, and
meant for a partner purpose) — the very rules the feature services ``training_v1``,
``marketing_v1`` and ``partner_api_v1`` are built from. Partner-derived values moreover need
active consent, per customer, for every partner the tag reads (and, for a partner caller, for
that partner too): see ``required_partners``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from api.errors import AccessDenied
from api.roles import Role
from profilehub.catalog import FAMILIES, Tag
from profilehub.feature_store.services import partner_may_receive
from profilehub.feature_store.views import catalog_tags, consented_view_name

# Purposes that have consent-gated feature views (profile_repo.py): partner-derived tags are
# only readable for these.
CONSENTED_PURPOSES = ("research", "marketing", "partner_credit_assessment")


@dataclass(frozen=True)
class Access:
    """What one request may read: its role and the purpose it acts under."""

    role: Role
    purpose: str

    @classmethod
    def of(cls, role: Role, stated_purpose: str | None) -> Access:
        purpose = stated_purpose or role.default_purpose
        if purpose is None:
            raise AccessDenied(f"role {role} must state a purpose (header X-Purpose), one of "
                               f"{', '.join(role.purposes)}")
        if purpose not in role.purposes:
            raise AccessDenied(f"role {role} may not act for purpose {purpose!r}; allowed: "
                               f"{', '.join(role.purposes)}")
        return cls(role, purpose)

    def sees(self, tag: Tag) -> bool:
        return tag_visible(self.role, self.purpose, tag)

    def visible_tags(self) -> tuple[Tag, ...]:
        """Every catalog tag the request may see, model scores included."""
        return visible_tags(self.role, self.purpose)

    def profile_tags(self) -> tuple[Tag, ...]:
        """The visible tags of the profile (its feature store project): no model score."""
        return _profile_tags(self.role, self.purpose)

    def model_score_tags(self) -> tuple[Tag, ...]:
        """The visible model scores (served by the model-score project, with provenance)."""
        return _model_score_tags(self.role, self.purpose)

    def required_partners(self, tag: Tag) -> tuple[str, ...]:
        """Partners whose consent to the purpose a customer needs before this caller sees the
        tag's value of that customer."""
        partners = set(tag.partners)
        if self.role.is_partner:
            partners.add(self.role.partner_id)
        return tuple(sorted(partners))


def tag_visible(role: Role, purpose: str, tag: Tag) -> bool:
    if purpose not in tag.purposes:
        return False
    if tag.is_partner_derived and purpose not in CONSENTED_PURPOSES:
        return False
    return partner_may_receive(tag) if role.is_partner else True


@cache
def visible_tags(role: Role, purpose: str) -> tuple[Tag, ...]:
    """The role's tags for the purpose, in catalog family order."""
    order = {family: rank for rank, family in enumerate(FAMILIES)}
    tags = [tag for tag in catalog_tags() if tag_visible(role, purpose, tag)]
    return tuple(sorted(tags, key=lambda tag: order[tag.family]))


@cache
def _profile_tags(role: Role, purpose: str) -> tuple[Tag, ...]:
    return tuple(tag for tag in visible_tags(role, purpose) if not tag.is_model_score)


@cache
def _model_score_tags(role: Role, purpose: str) -> tuple[Tag, ...]:
    return tuple(tag for tag in visible_tags(role, purpose) if tag.is_model_score)


def feature_ref(tag: Tag, purpose: str) -> str:
    """Where the profile's online store keeps the tag's value for the purpose
    (``view:feature``); model scores live in the model-score project instead."""
    view = consented_view_name(tag.family, purpose) if tag.is_partner_derived else tag.family
    return f"{view}:{tag.id}"
