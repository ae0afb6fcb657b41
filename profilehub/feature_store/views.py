"""Feast objects generated from the tag catalog, so the catalog stays the one source of truth.

Model scores (the catalog's ``model_scores`` family) are not here: batch scoring writes them
into a Feast project of their own (``features/model_scores.py``). Of the tags dbt computes,
those that read no partner data are columns of the profile mart (``dim_customer_profile``): one
feature view per family serves them. A partner-derived value is only published for the purposes
the customer consented to (``fct_customer_tags.consented_purposes``), so those tags are served by
consent-gated views, one per family and purpose, whose values are NULL where the customer did
not consent to that purpose. Every view reads a Parquet snapshot that ``materialize_as_of``
writes per as_of, with the instant the as_of's data is complete as its event timestamp.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import pyarrow as pa
from feast import Entity, FeatureService, FeatureView, Field, FileSource
from feast.data_format import ParquetFormat
from feast.types import Bool, FeastType, Float64, String

from profilehub.catalog import Tag, dbt_tags, load_tags
from profilehub.feature_store.services import ServiceRule

ENTITY_KEY = "customer_key"
EVENT_TIMESTAMP = "event_timestamp"
# Snapshots live under the feature store's data folder (Feast's repo_path, see config), one
# folder per source with one Hive partition per as_of.
SNAPSHOTS_DIR = "offline"
PROFILE_SNAPSHOT = "customer_profile"
# FeatureView tag naming the purpose a consent-gated view's values were consented for.
CONSENT_PURPOSE = "consent_purpose"
# Profiles are rebuilt daily; a label a week past the last build gets NULLs, not a stale profile.
PROFILE_TTL = timedelta(days=7)


@dataclass(frozen=True)
class ValueType:
    feast: FeastType
    arrow: pa.DataType


# By tag type. Scores are DECIMAL(5, 4) in the marts; Feast has no decimal, and a double holds
# four decimal places exactly enough for every model and comparison.
VALUE_TYPES = {
    "boolean": ValueType(Bool, pa.bool_()),
    "category": ValueType(String, pa.string()),
    "bucket": ValueType(String, pa.string()),
    "score": ValueType(Float64, pa.float64()),
}
ARROW_TYPES = {value_type.feast: value_type.arrow for value_type in VALUE_TYPES.values()}


@cache
def catalog_tags() -> tuple[Tag, ...]:
    """Every tag of the catalog, model scores included."""
    return load_tags()


@cache
def served_tags() -> tuple[Tag, ...]:
    """The tags this repository serves: every tag dbt computes (no model score)."""
    return dbt_tags(catalog_tags())


def consented_snapshot(purpose: str) -> str:
    return f"consented_{purpose}"


def consented_view_name(family: str, purpose: str) -> str:
    return f"{family}_for_{purpose}"


def snapshot_source(name: str, description: str) -> FileSource:
    """A source over a snapshot folder, relative to the feature store's data folder."""
    return FileSource(name=name, path=f"{SNAPSHOTS_DIR}/{name}", file_format=ParquetFormat(),
                      timestamp_field=EVENT_TIMESTAMP, description=description)


def tag_field(tag: Tag, name: str | None = None) -> Field:
    """The Feast field of a catalog tag (named ``tag.id`` unless ``name`` says otherwise)."""
    description = (f"{tag.name_en} / {tag.name_zh} ({tag.type}, v{tag.version}; "
                   f"{tag.sensitivity}; purposes: {', '.join(tag.purposes)})")
    return Field(name=name or tag.id, dtype=VALUE_TYPES[tag.type].feast, description=description,
                 tags={"tag_type": tag.type, "version": str(tag.version), "owner": tag.owner,
                       "sensitivity": tag.sensitivity, "purposes": ",".join(tag.purposes)})


def family_tags(family: str) -> list[Tag]:
    """The family's tags that read no partner data: its columns of the profile mart."""
    return [tag for tag in served_tags() if tag.family == family and not tag.is_partner_derived]


def consented_tags(family: str, purpose: str) -> list[Tag]:
    """The family's partner-derived tags the catalog allows for ``purpose``."""
    return [tag for tag in served_tags() if tag.family == family and tag.is_partner_derived
            and purpose in tag.purposes]


def family_view(family: str, customer: Entity, source: FileSource) -> FeatureView:
    return FeatureView(
        name=family, entities=[customer], source=source, ttl=PROFILE_TTL, online=True,
        schema=[tag_field(tag) for tag in family_tags(family)],
        description=f"Tags of the {family} family that read no partner data.",
        tags={"family": family})


def consented_view(family: str, purpose: str, customer: Entity, source: FileSource
                   ) -> FeatureView:
    return FeatureView(
        name=consented_view_name(family, purpose), entities=[customer], source=source,
        ttl=PROFILE_TTL, online=True,
        schema=[tag_field(tag) for tag in consented_tags(family, purpose)],
        description=(f"Partner-derived {family} tags, valued only where the customer consented "
                     f"to {purpose} for every partner the tag reads; NULL otherwise."),
        tags={"family": family, CONSENT_PURPOSE: purpose})


def feature_service(rule: ServiceRule, views: Iterable[FeatureView]) -> FeatureService:
    """The rule's tags from the profile views and from the views gated by the rule's purpose."""
    by_id = {tag.id: tag for tag in catalog_tags()}
    projections = []
    for view in views:
        if view.tags.get(CONSENT_PURPOSE, rule.purpose) != rule.purpose:
            continue
        admitted = [field.name for field in view.features if rule.admits(by_id[field.name])]
        if admitted:
            projections.append(view[admitted])
    return FeatureService(name=rule.name, features=projections, description=rule.description,
                          tags={"purpose": rule.purpose})

