"""The tag catalog: declarative tags over the feature table, validated when loaded.

Each family lives in ``tags/<family>.yml``. A tag is an expression over feature names only
(``profilehub/catalog/features.yml``); its lineage — the contract sources it reads — is derived
from the features it references and never written by hand.

Tag types and what their SQL returns:

- ``boolean``: the definition is a predicate; missing evidence (NULL) publishes ``false``.
- ``category``: the definition returns one of ``values`` (or NULL when not applicable).
- ``bucket``: the definition is a number; ``buckets.edges`` (ascending) cut it into
  ``buckets.labels`` (one more label than edges). Label *i* covers ``edges[i-1] <= x < edges[i]``;
  NULL stays NULL.
- ``score``: a weighted sum of ``components``; every signal is cast to DOUBLE and clamped to
  [0, 1] (NULL = no evidence = 0), weights are positive and sum to 1, so the score is in [0, 1];
  it is a DECIMAL(5, 4), rounded half up. Each component documents why it carries its weight.

Model scores: the tags of the ``model_scores`` family are not SQL. Each names the registered
federated model that produces it (``source: model:<name>``, ``federated/``) and says in prose
what the model predicts (``definition``); batch scoring writes its values, per as_of, with the
model version (``model@vN``) that made each one. Their lineage is that model; they read no
feature directly, dbt never computes them (``dbt_tags``), and they are never ``partner_derived``
(no per-customer consent gate exists for them). Every other tag has ``source`` ``dbt``.

Sensitivity is one of ``public``, ``internal``, ``sensitive``, ``partner_derived``; a tag is
``partner_derived`` exactly when its lineage includes a source delivered by a partner
(``contracts.PARTNERS``). ``purposes`` is a non-empty subset of ``contracts.PURPOSES``.

Consent gating (PIPL), implemented by the dbt layer: a partner-derived tag is published for a
customer on an ``as_of`` date only if, for **each** partner in ``tag.partners``, the customer's
consent to that partner is active on that date for **at least one** of the tag's purposes.
Consent for (customer, partner, purpose) is active on a date when the customer's latest
``consent_events`` row for that triple with ``event_time`` on or before the end of that date has
``action = 'grant'``; no row means no consent. A tag that reads no partner source is not gated
by consent. The API may narrow further to the purpose a requesting partner declares.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from profilehub.catalog.features import SNAKE_CASE, CatalogError, Feature, load_features
from profilehub.catalog.sql import (
    clamp_unit,
    format_number,
    scan_expression,
    sql_number,
    sql_string,
    with_double_literals,
)
from profilehub.contracts import CONTRACTS, CONTRACTS_BY_NAME, PARTNERS, PURPOSES

TAGS_DIR = Path(__file__).with_name("tags")
FAMILIES = (
    "demographic_lifecycle",
    "asset_tier",
    "risk_suitability",
    "trading_behaviour",
    "emotion_radar",
    "wealth_preference",
    "churn_engagement",
    "scenario_consumption",
    "compliance",
    "model_scores",
)
# The family whose tags models produce (every one of them, and only them).
MODEL_SCORE_FAMILY = "model_scores"
# The families dbt computes from the feature table: one tag model per family.
DBT_FAMILIES = tuple(family for family in FAMILIES if family != MODEL_SCORE_FAMILY)
# Where a tag's values come from: dbt over the feature table, or a model's batch scoring.
DBT_SOURCE = "dbt"
MODEL_SOURCE_PREFIX = "model:"
TAG_TYPES = ("boolean", "category", "score", "bucket")
SENSITIVITIES = ("public", "internal", "sensitive", "partner_derived")
PARTNER_DERIVED = "partner_derived"
PARTNER_SOURCES = frozenset(c.name for c in CONTRACTS if c.partner in PARTNERS)
SCORE_DECIMALS = 4
SCORE_SQL_TYPE = f"DECIMAL({SCORE_DECIMALS + 1}, {SCORE_DECIMALS})"
# The SQL type of a tag's value, by tag type: what a typed tag column holds.
TAG_SQL_TYPES = {"boolean": "BOOLEAN", "category": "STRING", "bucket": "STRING",
                 "score": SCORE_SQL_TYPE}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_COMMON_FIELDS = ("id", "name_en", "name_zh", "type", "version", "sensitivity", "purposes")
_TYPE_FIELDS = {
    "boolean": ("definition",),
    "category": ("definition", "values"),
    "bucket": ("definition", "buckets"),
    "score": ("components",),
}
_OPTIONAL_FIELDS = ("owner",)
# A model score: its model and what it predicts, in prose; its type is always score.
_MODEL_FIELDS = ("source", "definition")


@dataclass(frozen=True)
class ScoreComponent:
    weight: float
    signal: str
    why: str


@dataclass(frozen=True)
class Tag:
    id: str
    family: str
    name_en: str
    name_zh: str
    type: str
    # The expression as written; for a score, the weighted formula rendered from components.
    definition: str
    version: int
    owner: str
    sensitivity: str
    purposes: tuple[str, ...]
    # Features the definition reads, in feature-table order.
    features: tuple[str, ...]
    # Contract sources behind those features, in contract order: derived, never hand-written.
    lineage: tuple[str, ...]
    values: tuple[str, ...] = ()
    edges: tuple[float, ...] = ()
    components: tuple[ScoreComponent, ...] = ()
    # ``dbt`` or ``model:<name>`` (module docstring).
    source: str = DBT_SOURCE

    @property
    def model(self) -> str | None:
        """The registered model that produces the tag's values; None for tags dbt computes."""
        if self.source.startswith(MODEL_SOURCE_PREFIX):
            return self.source.removeprefix(MODEL_SOURCE_PREFIX)
        return None

    @property
    def is_model_score(self) -> bool:
        return self.model is not None

    @property
    def labels(self) -> tuple[str, ...]:
        """Bucket labels, lowest first (same storage as category values)."""
        return self.values if self.type == "bucket" else ()

    @property
    def partners(self) -> tuple[str, ...]:
        """Partners whose data the tag reads: the consents that gate it (module docstring)."""
        if self.is_model_score:
            return ()
        delivered = {CONTRACTS_BY_NAME[source].partner for source in self.lineage}
        return tuple(partner for partner in PARTNERS if partner in delivered)

    @property
    def is_partner_derived(self) -> bool:
        return bool(self.partners)

    @cached_property
    def sql(self) -> str:
        """The tag's value as one Spark-SQL/DuckDB expression over the feature table."""
        if self.is_model_score:
            raise CatalogError(f"tag {self.id!r} is produced by model {self.model}'s batch "
                               f"scoring, not by SQL: filter tags with dbt_tags()")
        definition = with_double_literals(self.definition)
        if self.type == "boolean":
            return f"COALESCE(({definition}), FALSE)"
        if self.type == "bucket":
            value = f"({definition})"
            branches = " ".join(
                f"WHEN {value} < {sql_number(edge)} THEN {sql_string(label)}"
                for edge, label in zip(self.edges, self.values[:-1], strict=True)
            )
            return (f"CASE WHEN {value} IS NULL THEN NULL {branches} "
                    f"ELSE {sql_string(self.values[-1])} END")
        if self.type == "score":
            terms = " + ".join(
                f"{sql_number(c.weight)} * {clamp_unit(c.signal)}" for c in self.components
            )
            # Rounding a DOUBLE differs between engines at half-way values (Spark rounds the
            # decimal string half up, DuckDB the binary value); going through DECIMAL(20, 10)
            # first makes both round the same number half up, and DECIMAL prints alike.
            return f"CAST(CAST({terms} AS DECIMAL(20, 10)) AS {SCORE_SQL_TYPE})"
        return definition

    @property
    def sql_type(self) -> str:
        """The SQL type of :attr:`sql`."""
        return TAG_SQL_TYPES[self.type]

    def select_item(self) -> str:
        """``CAST(<sql> AS STRING) AS <id>``: the column of the long tag table's value."""
        return f"CAST(({self.sql}) AS STRING) AS {self.id}"


def dbt_tags(tags: Iterable[Tag]) -> tuple[Tag, ...]:
    """The tags dbt computes from the feature table: every tag but the model scores."""
    return tuple(tag for tag in tags if not tag.is_model_score)


def model_score_tags(tags: Iterable[Tag]) -> dict[str, Tag]:
    """The model-score tags by model name."""
    return {tag.model: tag for tag in tags if tag.is_model_score}


def to_sql_select(tags: Iterable[Tag]) -> str:
    """The SELECT list that computes ``tags`` as string columns from the feature table."""
    return ",\n".join(tag.select_item() for tag in tags)


def _fail(label: str, rule: str) -> CatalogError:
    return CatalogError(f"{label}: {rule}")


def _check_expression(label: str, expression: Any, features: Mapping[str, Feature],
                      what: str = "definition") -> tuple[str, frozenset[str]]:
    if not isinstance(expression, str) or not expression.strip():
        raise _fail(label, f"{what} must be a non-empty SQL expression")
    expression = " ".join(expression.split())
    scan = scan_expression(expression)
    if scan.problems:
        raise _fail(label, f"{what} {expression!r}: {'; '.join(scan.problems)}")
    unknown = sorted(scan.identifiers - set(features))
    if unknown:
        raise _fail(label, f"{what} uses unknown feature(s) {', '.join(unknown)}")
    return expression, scan.identifiers


def _check_labels(label: str, raw: Any, what: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(label, f"{what} must be a non-empty list")
    values = tuple(str(value) for value in raw)
    for value in values:
        if not re.fullmatch(r"[A-Za-z0-9_]+", value):
            raise _fail(label, f"{what} entry {value!r} must be a plain word (letters, digits, _)")
    if len(set(values)) != len(values):
        raise _fail(label, f"{what} has duplicates")
    return values


def _parse_buckets(label: str, raw: Any) -> tuple[tuple[float, ...], tuple[str, ...]]:
    if not isinstance(raw, Mapping) or set(raw) != {"edges", "labels"}:
        raise _fail(label, "buckets must be a mapping with exactly 'edges' and 'labels'")
    edges = raw["edges"]
    if (not isinstance(edges, list) or not edges
            or not all(isinstance(e, int | float) and not isinstance(e, bool) for e in edges)
            or not all(math.isfinite(e) for e in edges)):
        raise _fail(label, "bucket edges must be a non-empty list of finite numbers")
    if any(b <= a for a, b in itertools.pairwise(edges)):
        raise _fail(label, f"bucket edges {edges} must be strictly ascending")
    labels = _check_labels(label, raw["labels"], "bucket labels")
    if len(labels) != len(edges) + 1:
        raise _fail(label, f"{len(edges)} bucket edges need {len(edges) + 1} labels, "
                           f"got {len(labels)}")
    return tuple(float(e) for e in edges), labels


def _parse_components(label: str, raw: Any, features: Mapping[str, Feature]
                      ) -> tuple[tuple[ScoreComponent, ...], frozenset[str]]:
    if not isinstance(raw, list) or not raw:
        raise _fail(label, "a score needs a non-empty list of components")
    components: list[ScoreComponent] = []
    used: set[str] = set()
    for position, item in enumerate(raw, start=1):
        where = f"{label} component #{position}"
        if not isinstance(item, Mapping) or set(item) != {"weight", "signal", "why"}:
            raise _fail(where, "needs exactly weight, signal and why")
        weight = item["weight"]
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            raise _fail(where, f"weight {weight!r} must be a positive number")
        signal, identifiers = _check_expression(where, item["signal"], features, "signal")
        if not isinstance(item["why"], str) or not item["why"].strip():
            raise _fail(where, "why must explain the weight")
        used |= identifiers
        components.append(ScoreComponent(float(weight), signal, " ".join(item["why"].split())))
    total = sum(c.weight for c in components)
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        raise _fail(label, f"score weights sum to {total:g}, not 1")
    return tuple(components), frozenset(used)


def _score_formula(components: Iterable[ScoreComponent]) -> str:
    return " + ".join(f"{format_number(c.weight)} × clamp01({c.signal})" for c in components)


def parse_tag(raw: Any, family: str, default_owner: str, features: Mapping[str, Feature],
              position: int) -> Tag:
    """Validate one tag entry of family file ``family``."""
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{family} tag #{position}: expected a mapping")
    tag_id = raw.get("id")
    label = f"tag {tag_id!r} ({family})" if tag_id else f"{family} tag #{position}"
    if "lineage" in raw or "sources" in raw:
        derived = ("is its model's source" if family == MODEL_SCORE_FAMILY
                   else "is derived from the features it reads")
        raise _fail(label, f"lineage {derived}; remove it")
    if "family" in raw and raw["family"] != family:
        raise _fail(label, f"family {raw['family']!r} does not match its file {family}.yml")
    tag_type = raw.get("type")
    if tag_type not in TAG_TYPES:
        raise _fail(label, f"type {tag_type!r} not in {', '.join(TAG_TYPES)}")
    from_model = family == MODEL_SCORE_FAMILY
    if from_model:
        if tag_type != "score":
            raise _fail(label, f"a {MODEL_SCORE_FAMILY} tag is a model's score: type score, "
                               f"not {tag_type}")
        kind, expected = "model score", (*_COMMON_FIELDS, *_MODEL_FIELDS)
    else:
        kind, expected = f"{tag_type} tag", (*_COMMON_FIELDS, *_TYPE_FIELDS[tag_type])
    missing = [key for key in expected if key not in raw]
    if missing:
        raise _fail(label, f"missing field(s) {', '.join(missing)} for a {kind}")
    unknown = sorted(set(raw) - {*expected, *_OPTIONAL_FIELDS, "family"})
    if unknown:
        raise _fail(label, f"field(s) {', '.join(unknown)} do not apply to a {kind}")
    if not isinstance(tag_id, str) or not SNAKE_CASE.fullmatch(tag_id):
        raise _fail(label, "id must be snake_case")
    for name_field in ("name_en", "name_zh"):
        if not isinstance(raw[name_field], str) or not raw[name_field].strip():
            raise _fail(label, f"{name_field} must be non-empty text")
    if not _CJK.search(raw["name_zh"]):
        raise _fail(label, f"name_zh {raw['name_zh']!r} must be written in Chinese")
    version = raw["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _fail(label, f"version {version!r} must be a positive integer")
    owner = raw.get("owner", default_owner)
    if not isinstance(owner, str) or not owner.strip():
        raise _fail(label, "owner must name a team")
    sensitivity = raw["sensitivity"]
    if sensitivity not in SENSITIVITIES:
        raise _fail(label, f"sensitivity {sensitivity!r} not in {', '.join(SENSITIVITIES)}")
    purposes = raw["purposes"]
    if not isinstance(purposes, list) or not purposes:
        raise _fail(label, "purposes must be a non-empty list")
    bad = [p for p in purposes if p not in PURPOSES]
    if bad:
        raise _fail(label, f"purpose(s) {', '.join(map(str, bad))} not in contracts.PURPOSES "
                           f"({', '.join(PURPOSES)})")
    if len(set(purposes)) != len(purposes):
        raise _fail(label, "purposes has duplicates")
    common = dict(id=tag_id, family=family, name_en=raw["name_en"].strip(),
                  name_zh=raw["name_zh"].strip(), type=tag_type, version=version,
                  owner=owner.strip(), sensitivity=sensitivity,
                  purposes=tuple(p for p in PURPOSES if p in purposes))
    if from_model:
        return _model_score_tag(label, raw, common)

    values: tuple[str, ...] = ()
    edges: tuple[float, ...] = ()
    components: tuple[ScoreComponent, ...] = ()
    if tag_type == "score":
        components, used = _parse_components(label, raw["components"], features)
        definition = _score_formula(components)
    else:
        definition, used = _check_expression(label, raw["definition"], features)
        if tag_type == "category":
            values = _check_labels(label, raw["values"], "values")
        elif tag_type == "bucket":
            edges, values = _parse_buckets(label, raw["buckets"])

    order = list(features)
    used_features = tuple(sorted(used, key=order.index))
    sources = {source for name in used_features for source in features[name].sources}
    lineage = tuple(c.name for c in CONTRACTS if c.name in sources)
    reads_partner = bool(sources & PARTNER_SOURCES)
    if reads_partner != (sensitivity == PARTNER_DERIVED):
        partner_sources = sorted(sources & PARTNER_SOURCES)
        rule = (f"reads partner source(s) {', '.join(partner_sources)} so sensitivity must be "
                f"{PARTNER_DERIVED}, not {sensitivity}") if reads_partner else (
                f"sensitivity {PARTNER_DERIVED} but its lineage ({', '.join(lineage)}) holds no "
                f"partner source")
        raise _fail(label, rule)
    return Tag(**common, definition=definition, features=used_features, lineage=lineage,
               values=values, edges=edges, components=components)


def _model_score_tag(label: str, raw: Mapping, common: dict[str, Any]) -> Tag:
    """A tag of the model-score family: its model is its lineage (module docstring)."""
    source = raw["source"]
    if not (isinstance(source, str) and source.startswith(MODEL_SOURCE_PREFIX)
            and SNAKE_CASE.fullmatch(source.removeprefix(MODEL_SOURCE_PREFIX))):
        raise _fail(label, f"source {source!r} must be {MODEL_SOURCE_PREFIX}<model name>")
    definition = raw["definition"]
    if not isinstance(definition, str) or not definition.strip():
        raise _fail(label, "definition must say in words what the model predicts")
    if common["sensitivity"] == PARTNER_DERIVED:
        raise _fail(label, f"a model score cannot be {PARTNER_DERIVED}: nothing gates its "
                           f"values by consent per customer")
    return Tag(**common, definition=" ".join(definition.split()), features=(),
               lineage=(source,), source=source)


def parse_family(document: Any, family: str, features: Mapping[str, Feature]) -> list[Tag]:
    """Validate one family document (the parsed ``tags/<family>.yml``)."""
    if family not in FAMILIES:
        raise CatalogError(f"{family}.yml: unknown family; families are {', '.join(FAMILIES)}")
    if not isinstance(document, Mapping) or set(document) != {"family", "owner", "tags"}:
        raise CatalogError(f"{family}.yml: expected exactly the keys family, owner, tags")
    if document["family"] != family:
        raise CatalogError(f"{family}.yml: declares family {document['family']!r}")
    owner = document["owner"]
    if not isinstance(owner, str) or not owner.strip():
        raise CatalogError(f"{family}.yml: owner must name a team")
    raw_tags = document["tags"]
    if not isinstance(raw_tags, list) or not raw_tags:
        raise CatalogError(f"{family}.yml: tags must be a non-empty list")
    return [parse_tag(raw, family, owner, features, position)
            for position, raw in enumerate(raw_tags, start=1)]


def load_tags(tags_dir: Path = TAGS_DIR, features: Iterable[Feature] | None = None
              ) -> tuple[Tag, ...]:
    """Every tag of the catalog, family by family in ``FAMILIES`` order, validated."""
    by_name = {feature.name: feature for feature in (features or load_features())}
    files = {path.stem: path for path in sorted(tags_dir.glob("*.yml"))}
    stray = sorted(set(files) - set(FAMILIES))
    if stray:
        raise CatalogError(f"{tags_dir}: unknown family file(s) {', '.join(stray)}; families "
                           f"are {', '.join(FAMILIES)}")
    absent = [family for family in FAMILIES if family not in files]
    if absent:
        raise CatalogError(f"{tags_dir}: missing family file(s) {', '.join(absent)}")
    tags: list[Tag] = []
    seen: dict[str, str] = {}
    for family in FAMILIES:
        with files[family].open(encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
        for tag in parse_family(document, family, by_name):
            if tag.id in seen:
                raise CatalogError(f"tag {tag.id!r} ({family}): duplicate id, already defined "
                                   f"in {seen[tag.id]}")
            seen[tag.id] = family
            tags.append(tag)
    by_model: dict[str, str] = {}
    for tag in tags:
        if tag.model in by_model:
            raise CatalogError(f"tag {tag.id!r} ({tag.family}): model {tag.model} already "
                               f"has score tag {by_model[tag.model]!r}")
        if tag.model:
            by_model[tag.model] = tag.id
    return tuple(tags)
