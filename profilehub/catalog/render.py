"""What the catalog renders for others: the tag reference page, the dbt catalog macro, the
tag marts' dbt properties (``dbt_marts``) and the sources of the Spark-built tables
(``profilehub.dbt_sources.render_spark_sources``, from ``features.yml``).

All files are committed and checked for drift by the tests: edit the YAML, then run
``uv run python -m profilehub.catalog render``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from profilehub.catalog.model import (
    DBT_FAMILIES,
    FAMILIES,
    MODEL_SCORE_FAMILY,
    PARTNER_DERIVED,
    Tag,
    dbt_tags,
    load_tags,
)
from profilehub.catalog.sql import format_number
from profilehub.settings import REPO_ROOT

TAGS_DOC = REPO_ROOT / "docs" / "tags.md"
DBT_MACRO = REPO_ROOT / "dbt" / "macros" / "generated" / "tag_catalog.sql"
MACRO_NAME = "tag_catalog"
_GENERATED = "Generated from profilehub/catalog by `uv run python -m profilehub.catalog render`; "


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _definition_cell(tag: Tag) -> str:
    if tag.is_model_score:
        return f"model `{tag.model}`: {_cell(tag.definition)}"
    code = f"`{_cell(tag.definition)}`"
    if tag.type == "category":
        return f"{code} ∈ {{{', '.join(tag.values)}}}"
    if tag.type == "bucket":
        steps = [tag.values[0]]
        for edge, label in zip(tag.edges, tag.values[1:], strict=True):
            steps.append(f"{format_number(edge)} ≤ {label}")
        return f"{code} → {' < '.join(steps)}"
    if tag.type == "score":
        return f"{code} (see Scores)"
    return code


def tags_markdown(tags: Sequence[Tag] | None = None) -> str:
    """The tag reference page: one table per family, then the weights of every score."""
    tags = tuple(tags if tags is not None else load_tags())
    lines = [
        "# Tag catalog",
        "",
        f"<!-- {_GENERATED}do not edit by hand. -->",
        "",
        f"{len(tags)} tags in {len(FAMILIES)} families. {len(dbt_tags(tags))} are computed by dbt "
        "from the feature table (`profilehub/catalog/features.yml`); their lineage is derived "
        f"from the features a tag reads. The {len(tags) - len(dbt_tags(tags))} of "
        f"[{MODEL_SCORE_FAMILY}](#{MODEL_SCORE_FAMILY}) are federated models' scores, written "
        "by batch scoring with the model version (`model@vN`) of every value; their lineage is "
        "the model.",
        "",
        "- **boolean** tags publish `false` when their evidence is missing; **bucket** label *i* "
        "covers `edge[i-1] ≤ x < edge[i]`; **score** signals are clamped to [0, 1] (missing = 0) "
        "and weighted to a score in [0, 1] with 4 decimals (DECIMAL(5, 4), rounded half up).",
        f"- **Consent**: a `{PARTNER_DERIVED}` tag is published for a customer on a date only if, "
        "for each partner it reads, the customer's consent to that partner is active on that date "
        "for at least one of the tag's purposes.",
        "",
        "| Family | Tags |",
        "|---|---|",
    ]
    lines += [f"| [{family}](#{family}) | {sum(t.family == family for t in tags)} |"
              for family in FAMILIES]
    for family in FAMILIES:
        lines += [
            "",
            f"## {family}",
            "",
            "| id | name (en) | name (zh) | type | definition | sensitivity | purposes | lineage "
            "| version |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for tag in (t for t in tags if t.family == family):
            lines.append(
                f"| `{tag.id}` | {_cell(tag.name_en)} | {_cell(tag.name_zh)} | {tag.type} "
                f"| {_definition_cell(tag)} | {tag.sensitivity} | {', '.join(tag.purposes)} "
                f"| {', '.join(tag.lineage)} | {tag.version} |"
            )
    lines += ["", "## Scores", ""]
    for tag in (t for t in tags if t.type == "score" and not t.is_model_score):
        lines += [f"### `{tag.id}` — {tag.name_en} / {tag.name_zh}", "",
                  "| weight | signal (clamped to [0, 1]) | why |", "|---|---|---|"]
        lines += [f"| {format_number(c.weight)} | `{_cell(c.signal)}` | {_cell(c.why)} |"
                  for c in tag.components]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def tag_catalog_document(tags: Iterable[Tag] | None = None) -> dict[str, Any]:
    """The catalog as plain data for dbt: everything a model needs to compute and gate tags.

    Only what dbt computes: model scores are written by batch scoring, not by SQL.
    """
    tags = dbt_tags(tags if tags is not None else load_tags())
    return {
        "families": list(DBT_FAMILIES),
        "tags": [
            {
                "id": tag.id,
                "family": tag.family,
                "type": tag.type,
                "name_en": tag.name_en,
                "name_zh": tag.name_zh,
                "sql": tag.sql,
                "values": list(tag.values),
                "sensitivity": tag.sensitivity,
                "purposes": list(tag.purposes),
                "partners": list(tag.partners),
                "lineage": list(tag.lineage),
                "features": list(tag.features),
                "version": tag.version,
                "owner": tag.owner,
            }
            for tag in tags
        ],
    }


def _jinja_string(text: str) -> str:
    """``text`` as a single-quoted Jinja string literal that Jinja decodes back exactly."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def dbt_macro_sql(tags: Iterable[Tag] | None = None) -> str:
    """``dbt/macros/generated/tag_catalog.sql``: ``tag_catalog()`` returns the catalog dict."""
    document = json.dumps(tag_catalog_document(tags), ensure_ascii=False, indent=1)
    return (
        f"{{# {_GENERATED}do not edit by hand. #}}\n"
        f"{{% macro {MACRO_NAME}() %}}{{{{ return(fromjson({_jinja_string(document)})) }}}}"
        f"{{% endmacro %}}\n"
    )


def rendered_files() -> dict[Path, str]:
    """Every generated file and its expected content."""
    # Imported here: they import the catalog (and the Spark table definitions) themselves.
    from profilehub.catalog.dbt_marts import rendered_marts_files
    from profilehub.dbt_sources import render_spark_sources

    tags = load_tags()
    return {TAGS_DOC: tags_markdown(tags), DBT_MACRO: dbt_macro_sql(tags),
            **rendered_marts_files(tags), **render_spark_sources()}
