"""GraphQL types of a customer profile: tags grouped by family, and model scores (read from
the model-score project, ``api.models``)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import strawberry
from strawberry.scalars import JSON

from api.context import ApiInfo
from api.customers.profiles import Profile
from api.models.scores import requested_score_tags
from api.models.types import DEFINITIONS_PAGE, ModelScore
from profilehub.catalog import FAMILIES, Tag

# Distinct values whose text is remembered (typed: True and 1.0 are different values).
VALUE_TEXTS = 65_536


def tag_value_text(value: object) -> str | None:
    """Values as text, the way the marts publish them: ``true``, ``0.9000``, ``hnw``."""
    try:
        return _scalar_text(value)
    except TypeError:  # unhashable: not a scalar of the catalog's types, not remembered
        return _value_text(value)


def _value_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


# Tag values repeat across customers (booleans, categories, 4-decimal scores): a batch of 100
# profiles of 50 tags formats ~100 distinct values, not 5,000.
_scalar_text = lru_cache(maxsize=VALUE_TEXTS, typed=True)(_value_text)


def definition_link(tag: Tag) -> str:
    return f"{DEFINITIONS_PAGE}#{tag.family}"


@strawberry.type(description="One tag's value for a customer, with the tag's catalog version.")
class TagValue:
    id: str
    name: str
    type: str
    value: str | None
    version: int
    definition_url: str

    @classmethod
    def of(cls, tag: Tag, value: object) -> TagValue:
        return cls(id=tag.id, name=tag.name_en, type=tag.type, value=tag_value_text(value),
                   version=tag.version, definition_url=definition_link(tag))


@strawberry.type(description="The tags of one family the caller may see.")
class TagFamily:
    name: str
    tags: list[TagValue]


@strawberry.type(description="A customer's profile as of the published date.")
class Customer:
    id: str = strawberry.field(
        description="customer_key; for a partner, its pseudonymous id of the customer")
    as_of: date
    _profile: strawberry.Private[Profile]
    _tags: strawberry.Private[tuple[Tag, ...]]

    @strawberry.field(description="Tags grouped by family: value, version, definition link.")
    def families(self) -> list[TagFamily]:
        by_family: dict[str, list[TagValue]] = {}
        for tag in self._tags:
            by_family.setdefault(tag.family, []).append(
                TagValue.of(tag, self._profile.values.get(tag.id)))
        return [TagFamily(name=family, tags=by_family[family])
                for family in FAMILIES if family in by_family]

    @strawberry.field(description="The federated models' scores of the customer that the "
                                  "caller may see (all, or those of `models`), each with the "
                                  "model version and as_of it was made with; empty where no "
                                  "model has scored the customer.")
    async def scores(self, info: ApiInfo, models: list[str] | None = None) -> list[ModelScore]:
        tags = requested_score_tags(info.context.access, models)
        if not tags:
            return []
        return await info.context.model_scores.load(
            (self._profile.customer_key, tuple(tag.model for tag in tags)))

    @strawberry.field(description="The same values as one object, tag id -> value text: the "
                                  "compact form for bulk reads (one field, not two per tag).")
    def values(self) -> JSON:
        ids = [tag.id for tag in self._tags]
        values = list(map(self._profile.values.get, ids))
        try:  # the whole row through the C-level cache, no Python call per value
            return dict(zip(ids, map(_scalar_text, values), strict=True))
        except TypeError:
            return dict(zip(ids, map(tag_value_text, values), strict=True))

    def value_text(self, tag_id: str) -> str | None:
        return tag_value_text(self._profile.values.get(tag_id))

    @classmethod
    def of(cls, public_id: str, profile: Profile, tags: tuple[Tag, ...]) -> Customer:
        return cls(id=public_id, as_of=profile.as_of, _profile=profile, _tags=tags)
