"""The feature specification: what the Spark feature jobs compute, read from ``features.yml``.

A feature is one column of the feature table (one row per ``customer_key`` and ``as_of``). The
YAML holds, for each feature, its type, nullability, window, the contract sources it reads
(its lineage) and an exact definition a Spark engineer implements; the ``conventions`` text at
the top of the file fixes what windows, snapshots, round trips and drawdown days mean.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from profilehub.contracts import CONTRACTS_BY_NAME

FEATURES_FILE = Path(__file__).with_name("features.yml")
FEATURE_TYPES = ("int", "double", "boolean", "string", "date")
FEATURE_GROUPS = (
    "demographics", "assets", "risk", "trading", "emotion", "wealth", "engagement", "scenario",
    "compliance",
)
# Spark SQL / DuckDB column types of the feature table, by feature type.
SQL_TYPES = {"int": "INT", "double": "DOUBLE", "boolean": "BOOLEAN", "string": "STRING",
             "date": "DATE"}
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
_NAMED_WINDOW = re.compile(r"_(\d+)d(?=_|$)")
_FIELDS = ("name", "group", "type", "nullable", "window_days", "sources", "description",
           "definition")


class CatalogError(ValueError):
    """A feature or tag definition breaks a catalog rule; the message names both."""


@dataclass(frozen=True)
class Feature:
    name: str
    group: str
    type: str
    nullable: bool
    window_days: int | None
    sources: tuple[str, ...]
    description: str
    definition: str

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class FeatureSpec:
    """The whole specification: shared conventions plus the features in file order."""

    conventions: str
    features: tuple[Feature, ...]

    @property
    def by_name(self) -> dict[str, Feature]:
        return {feature.name: feature for feature in self.features}


def _feature(raw: Any, position: int) -> Feature:
    if not isinstance(raw, Mapping):
        raise CatalogError(f"feature #{position}: expected a mapping, got {type(raw).__name__}")
    name = raw.get("name")
    label = f"feature {name!r}" if name else f"feature #{position}"
    missing = [key for key in _FIELDS if key not in raw]
    if missing:
        raise CatalogError(f"{label}: missing field(s) {', '.join(missing)}")
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise CatalogError(f"{label}: unknown field(s) {', '.join(unknown)}")
    if not isinstance(name, str) or not SNAKE_CASE.fullmatch(name):
        raise CatalogError(f"{label}: name must be snake_case")
    if raw["group"] not in FEATURE_GROUPS:
        raise CatalogError(f"{label}: group {raw['group']!r} not in {', '.join(FEATURE_GROUPS)}")
    if raw["type"] not in FEATURE_TYPES:
        raise CatalogError(f"{label}: type {raw['type']!r} not in {', '.join(FEATURE_TYPES)}")
    if not isinstance(raw["nullable"], bool):
        raise CatalogError(f"{label}: nullable must be true or false")
    window = raw["window_days"]
    if window is not None and (isinstance(window, bool) or not isinstance(window, int)
                               or window <= 0):
        raise CatalogError(f"{label}: window_days must be a positive integer or null")
    # The window in the name is what readers of the feature table see: it must not lie.
    # A trend over "30d vs prev 60d" reads both windows: 90 days.
    named = [int(days) for days in _NAMED_WINDOW.findall(name)]
    if named and window not in {*named, sum(named)}:
        raise CatalogError(f"{label}: name says {'+'.join(map(str, named))}d but window_days "
                           f"is {window}")
    if window is not None and not named:
        raise CatalogError(f"{label}: a windowed feature carries its window in the name")
    sources = raw["sources"]
    if not isinstance(sources, list) or not sources:
        raise CatalogError(f"{label}: sources must be a non-empty list of contract names")
    for source in sources:
        if source not in CONTRACTS_BY_NAME:
            raise CatalogError(f"{label}: unknown source {source!r}; known sources: "
                               f"{', '.join(CONTRACTS_BY_NAME)}")
    for text_field in ("description", "definition"):
        if not isinstance(raw[text_field], str) or not raw[text_field].strip():
            raise CatalogError(f"{label}: {text_field} must be non-empty text")
    return Feature(
        name=name,
        group=raw["group"],
        type=raw["type"],
        nullable=raw["nullable"],
        window_days=window,
        sources=tuple(dict.fromkeys(sources)),
        description=" ".join(raw["description"].split()),
        definition=" ".join(raw["definition"].split()),
    )


def parse_feature_spec(document: Any) -> FeatureSpec:
    """Validate a parsed ``features.yml`` document."""
    if not isinstance(document, Mapping) or "features" not in document:
        raise CatalogError("features file: expected a mapping with 'conventions' and 'features'")
    conventions = document.get("conventions")
    if not isinstance(conventions, str) or not conventions.strip():
        raise CatalogError("features file: 'conventions' must be non-empty text")
    raw_features = document["features"]
    if not isinstance(raw_features, list) or not raw_features:
        raise CatalogError("features file: 'features' must be a non-empty list")
    features: list[Feature] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_features, start=1):
        feature = _feature(raw, position)
        if feature.name in seen:
            raise CatalogError(f"feature {feature.name!r}: duplicate name")
        seen.add(feature.name)
        features.append(feature)
    return FeatureSpec(conventions=conventions.strip(), features=tuple(features))


def load_feature_spec(path: Path = FEATURES_FILE) -> FeatureSpec:
    with path.open(encoding="utf-8") as handle:
        return parse_feature_spec(yaml.safe_load(handle))


@cache
def _default_spec() -> FeatureSpec:
    return load_feature_spec()


def load_features(path: Path | None = None) -> tuple[Feature, ...]:
    """The declared features, in file order (the column order of the feature table)."""
    return (load_feature_spec(path) if path else _default_spec()).features
