"""The dbt properties of the tag marts, rendered from the catalog.

``dbt/models/marts/_marts__models.yml`` declares the contracts (column names and data types)
of ``dim_customer_profile``, ``fct_customer_tags`` and ``dim_tag`` and their data tests. The wide
profile has one typed column per tag that reads no partner data, so its contract follows the
catalog: a new tag is a new column without anyone editing yml (model scores are no columns: batch
scoring writes them, not dbt). Accepted values (families, tag
types, sensitivities, purposes) come from the catalog and the contracts, not from copies.
``uv run python -m profilehub.catalog render`` writes the file; a test fails when it drifts.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from profilehub.catalog.model import (
    DBT_FAMILIES,
    SENSITIVITIES,
    TAG_TYPES,
    Tag,
    dbt_tags,
    load_tags,
)
from profilehub.contracts import PARTNERS, PURPOSES
from profilehub.dbt_runner import DBT_PROJECT_DIR

MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"
MARTS_PROPERTIES = MARTS_DIR / "_marts__models.yml"
PROFILE_MODEL = "dim_customer_profile"
TAGS_MODEL = "fct_customer_tags"
TAG_MODEL = "dim_tag"
_HEADER = (
    "# Generated from profilehub/catalog by `uv run python -m profilehub.catalog render`.\n"
    "# Do not edit by hand: change the catalog (or profilehub/catalog/dbt_marts.py) and "
    "regenerate.\n"
)
_AS_OF = {
    "name": "as_of",
    "data_type": "date",
    "description": "Build date (dbt var `as_of`): the partition this row belongs to. A run "
                   "replaces exactly this partition.",
}
_CUSTOMER_KEY = {"name": "customer_key", "data_type": "string",
                 "description": "Pseudonymous customer key from identity resolution."}
_STRING_ARRAY = "array<string>"


class _IndentedDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _test(name: str, **arguments: Any) -> dict[str, Any]:
    return {name: {"arguments": arguments}}


def _not_null_columns(model: str, columns: list[str]) -> dict[str, Any]:
    # Named: the default name of a test lists every column it reads.
    return {"not_null_columns": {"name": f"not_null_columns_{model}",
                                 "arguments": {"column_names": columns}}}


def _column(name: str, data_type: str, description: str, *tests: Any) -> dict[str, Any]:
    column: dict[str, Any] = {"name": name, "data_type": data_type, "description": description}
    if tests:
        column["data_tests"] = list(tests)
    return column


def profile_tags(tags: Iterable[Tag]) -> list[Tag]:
    """Tags that are columns of the wide profile: those dbt computes that read no partner
    data."""
    return [tag for tag in dbt_tags(tags) if not tag.is_partner_derived]


def _tag_column_description(tag: Tag) -> str:
    kind = {"boolean": "true/false", "score": "score in [0, 1]",
            "category": "one of " + ", ".join(tag.values),
            "bucket": "bucket " + " < ".join(tag.values)}[tag.type]
    return f"{tag.name_en} / {tag.name_zh} ({tag.family}, v{tag.version}): {kind}."


def _profile_model(tags: list[Tag]) -> dict[str, Any]:
    # Booleans and scores are never NULL (missing evidence is false / 0), so one table-level
    # test guards them all together with the keys.
    never_null = ["customer_key", "account_count",
                  *(tag.id for tag in tags if tag.type in ("boolean", "score")), "as_of"]
    return {
        "name": PROFILE_MODEL,
        "description": (
            "One row per customer and build date: account summary plus every tag that reads no "
            "partner data, as a typed column (booleans, labels as strings, scores as "
            "DECIMAL). Partner-derived tags are only in fct_customer_tags, where every value "
            "carries the purposes it was consented for; a wide column could not."),
        "data_tests": [
            _test("unique_combination_of_columns", combination_of_columns=["customer_key",
                                                                           "as_of"]),
            _not_null_columns(PROFILE_MODEL, never_null),
        ],
        "columns": [
            _CUSTOMER_KEY,
            _column("account_count", "int",
                    "Brokerage accounts identity resolution maps to the customer on as_of."),
            _column("customer_since", "date",
                    "Opening date of the customer's earliest account."),
            *(_column(tag.id, tag.sql_type.lower(), _tag_column_description(tag))
              for tag in tags),
            _AS_OF,
        ],
    }


def _tags_model() -> dict[str, Any]:
    return {
        "name": TAGS_MODEL,
        "description": (
            "Every published tag value, one row per customer, tag and build date; a tag with "
            "no value (not applicable, or withheld for lack of consent) has no row."),
        "data_tests": [
            _test("unique_combination_of_columns",
                  combination_of_columns=["customer_key", "tag_id", "as_of"]),
            _not_null_columns(TAGS_MODEL, ["customer_key", "tag_id", "family", "value",
                                           "tag_version", "as_of"]),
            _test("tag_values_in_catalog", catalog=f"ref('{TAG_MODEL}')"),
        ],
        "columns": [
            _CUSTOMER_KEY,
            # No relationships test to dim_tag: tag_values_in_catalog finds every tag id in
            # the catalog of its own build date, which is stricter, and a second join of the
            # largest table costs as much as building it.
            _column("tag_id", "string", "Catalog id of the tag."),
            _column("family", "string", "Catalog family of the tag.",
                    _test("accepted_values", values=list(DBT_FAMILIES))),
            _column("value", "string",
                    "The value as text: 'true'/'false' for booleans, the decimal for scores "
                    "(4 places), the label for categories and buckets."),
            _column("tag_version", "int", "Catalog version of the tag's definition."),
            _column("consented_purposes", _STRING_ARRAY,
                    "Partner-derived tags: the tag's purposes the customer consented to for "
                    "every partner it reads, on as_of (may be empty when partners consented to "
                    "different purposes). NULL for tags that read no partner data."),
            _AS_OF,
        ],
    }


def _tag_model() -> dict[str, Any]:
    return {
        "name": TAG_MODEL,
        "description": "The tag catalog the build date's tags were computed with, one row per "
                       "tag and build date.",
        "data_tests": [
            _test("unique_combination_of_columns", combination_of_columns=["tag_id", "as_of"]),
            _not_null_columns(TAG_MODEL, [
                "tag_id", "family", "name_en", "name_zh", "tag_type", "value_labels",
                "sensitivity", "purposes", "partners", "lineage", "features", "version",
                "owner", "definition_sql", "as_of"]),
        ],
        "columns": [
            _column("tag_id", "string", "Catalog id (snake_case)."),
            _column("family", "string", "Tag family.",
                    _test("accepted_values", values=list(DBT_FAMILIES))),
            _column("name_en", "string", "English name."),
            _column("name_zh", "string", "Chinese name."),
            _column("tag_type", "string", "boolean, category, bucket or score.",
                    _test("accepted_values", values=list(TAG_TYPES))),
            _column("value_labels", _STRING_ARRAY,
                    "Category values or bucket labels (lowest bucket first); empty otherwise."),
            _column("sensitivity", "string",
                    "public, internal, sensitive or partner_derived.",
                    _test("accepted_values", values=list(SENSITIVITIES))),
            _column("purposes", _STRING_ARRAY,
                    f"Purposes the tag may be used for, among {', '.join(PURPOSES)}."),
            _column("partners", _STRING_ARRAY,
                    f"Partners whose data the tag reads (among {', '.join(PARTNERS)}): the "
                    "consents that gate it. Empty when not consent-gated."),
            _column("lineage", _STRING_ARRAY, "Contract sources behind the tag (derived)."),
            _column("features", _STRING_ARRAY, "Feature-table columns the tag reads."),
            _column("version", "int", "Version of the definition."),
            _column("owner", "string", "Owning team."),
            _column("definition_sql", "string",
                    "The tag's value as SQL over the feature table, exactly as computed."),
            _AS_OF,
        ],
    }


def marts_properties_yml(tags: Iterable[Tag] | None = None) -> str:
    """The text of ``_marts__models.yml``."""
    tags = tuple(tags if tags is not None else load_tags())
    document = {
        "version": 2,
        "models": [_profile_model(profile_tags(tags)), _tags_model(), _tag_model()],
    }
    body = yaml.dump(document, Dumper=_IndentedDumper, sort_keys=False, allow_unicode=True,
                     width=100)
    return _HEADER + body


def rendered_marts_files(tags: Iterable[Tag] | None = None) -> dict[Path, str]:
    return {MARTS_PROPERTIES: marts_properties_yml(tags)}
