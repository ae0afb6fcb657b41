"""Generated files match the catalog, and the dbt macro hands dbt exactly the catalog."""

from __future__ import annotations

import jinja2

from profilehub.catalog import FAMILIES, load_tags, tag_catalog_document, tags_markdown
from profilehub.catalog.__main__ import main
from profilehub.catalog.render import DBT_MACRO, MACRO_NAME, TAGS_DOC, dbt_macro_sql


def _call_dbt_macro(source: str):
    """Run the macro the way dbt does: ``return`` hands back the value, ``fromjson`` parses."""
    returned = []
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    environment.globals["fromjson"] = __import__("json").loads
    environment.globals["return"] = lambda value: returned.append(value) or ""
    module = environment.from_string(source).module
    getattr(module, MACRO_NAME)()
    return returned[0]


def test_committed_docs_page_matches_the_catalog():
    assert TAGS_DOC.read_text(encoding="utf-8") == tags_markdown(), (
        "docs/tags.md is stale: run `uv run python -m profilehub.catalog render`")


def test_committed_dbt_macro_matches_the_catalog():
    assert DBT_MACRO.read_text(encoding="utf-8") == dbt_macro_sql(), (
        "dbt/macros/generated/tag_catalog.sql is stale: run "
        "`uv run python -m profilehub.catalog render`")


def test_dbt_macro_returns_the_catalog_document_exactly():
    catalog = _call_dbt_macro(DBT_MACRO.read_text(encoding="utf-8"))
    assert catalog == tag_catalog_document()
    first = catalog["tags"][0]
    assert {"id", "sql", "sensitivity", "purposes", "partners", "lineage"} <= set(first)
    # Quotes in SQL and Chinese names survive the Jinja string literal.
    risk = next(tag for tag in catalog["tags"] if tag["id"] == "customer_risk_level")
    assert "'C1'" in risk["sql"] and risk["name_zh"] == "客户风险等级"


def test_docs_page_has_one_table_per_family_and_a_row_per_tag():
    page = tags_markdown()
    for family in FAMILIES:
        assert f"\n## {family}\n" in page
    for tag in load_tags():
        row = next(line for line in page.splitlines() if line.startswith(f"| `{tag.id}` |"))
        assert tag.name_zh in row and tag.sensitivity in row
        assert ", ".join(tag.lineage) in row
    assert "### `panic_seller_score`" in page


def test_check_command_reports_no_drift(capsys):
    assert main(["check"]) == 0
    assert capsys.readouterr().out == ""


def test_model_scores_are_documented_but_not_handed_to_dbt():
    page = tags_markdown()
    assert "\n## model_scores\n" in page and "model `churn`:" in page
    assert "### `churn_model_score`" not in page, "no weights: a model is not a formula"
    document = tag_catalog_document()
    assert "model_scores" not in document["families"]
    model_tags = {tag.id for tag in load_tags() if tag.is_model_score}
    assert model_tags and not model_tags & {tag["id"] for tag in document["tags"]}
