import yaml

from profilehub.catalog import load_features
from profilehub.contracts import CONTRACTS, get_contract
from profilehub.dbt_sources import (
    LAKE_SCHEMA,
    LINEAGE_COLUMNS,
    PARTITION_COLUMN,
    SPARK_SOURCE,
    committed_sources_files,
    render_sources,
    render_spark_sources,
    sources_path,
    spark_sources_path,
)
from profilehub.docs import REGENERATE_COMMAND
from profilehub.settings import REPO_ROOT


def _tables() -> dict[str, dict]:
    tables = {}
    for text in render_sources().values():
        (source,) = yaml.safe_load(text)["sources"]
        for table in source["tables"]:
            tables[table["name"]] = {**table, "source": source}
    return tables


def _test_names(tests: list) -> list[str]:
    return [test if isinstance(test, str) else next(iter(test)) for test in tests]


def test_committed_sources_files_match_the_contracts():
    rendered = render_sources()
    stale = [p.relative_to(REPO_ROOT) for p in set(committed_sources_files()) - set(rendered)]
    drifted = [path.relative_to(REPO_ROOT) for path, text in rendered.items()
               if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale and not drifted, (
        f"dbt sources disagree with profilehub/contracts.py (drifted: {drifted}, "
        f"stale: {stale}): run `{REGENERATE_COMMAND}`"
    )


def test_one_sources_file_per_partner_in_its_staging_folder():
    partners = {contract.partner for contract in CONTRACTS}
    assert set(render_sources()) == {sources_path(partner) for partner in partners}
    assert sources_path("geo_telco").parts[-3:] == ("staging", "geo_telco",
                                                     "_geo_telco__sources.yml")


def test_every_contract_is_a_lake_table_with_curated_and_lineage_columns():
    tables = _tables()
    assert set(tables) == {contract.name for contract in CONTRACTS}
    for contract in CONTRACTS:
        table = tables[contract.name]
        assert table["source"]["name"] == contract.partner
        assert table["source"]["schema"] == LAKE_SCHEMA
        names = [column["name"] for column in table["columns"]]
        assert names == [*contract.curated_columns, *LINEAGE_COLUMNS]
        assert all(column["description"] for column in table["columns"])


def _never_null(table: dict) -> list[str]:
    (test,) = [t["not_null_columns"] for t in table["data_tests"] if "not_null_columns" in t]
    return test["arguments"]["column_names"]


def test_column_tests_follow_the_contract():
    customers = {c["name"]: c for c in _tables()["customers"]["columns"]}
    assert "data_tests" not in customers["phone_token"]
    assert _test_names(customers["account_id"]["data_tests"]) == ["matches_pattern"]
    gender = customers["gender"]["data_tests"][0]["accepted_values"]["arguments"]
    assert gender == {"values": ["F", "M"]}

    parenting = {c["name"]: c for c in _tables()["parenting_spend"]["columns"]}
    age_tests = parenting["child_age_months"]["data_tests"]
    assert age_tests == [{"accepted_range": {"arguments": {"min_value": 0, "max_value": 216}}}]
    assert _test_names(parenting["txn_id"]["data_tests"]) == ["unique"]


def test_never_null_columns_are_one_test_per_table():
    tables = _tables()
    for contract in CONTRACTS:
        expected = [c.curated_name for c in contract.columns if not c.nullable]
        assert _never_null(tables[contract.name]) == expected, contract.name
        assert all("not_null" not in _test_names(column.get("data_tests", []))
                   for column in tables[contract.name]["columns"])
    never_null = _never_null(tables["customers"])
    assert {"account_id", "phone_token"} <= set(never_null)
    assert "device_id_token" not in never_null


def test_keys_are_unique_per_table_or_per_delivery_for_snapshots():
    tables = _tables()
    customers_key = tables["customers"]["data_tests"][0]["unique_combination_of_columns"]
    assert customers_key["arguments"]["combination_of_columns"] == ["account_id", "updated_at"]
    # The catalogue is re-delivered daily: a product code repeats across deliveries.
    assert get_contract("wealth_products").kind == "snapshot"
    products_key = tables["wealth_products"]["data_tests"][0]["unique_combination_of_columns"]
    assert products_key["arguments"]["combination_of_columns"] == ["product_code",
                                                                   PARTITION_COLUMN]
    assert _test_names(tables["trades"]["data_tests"]) == ["not_null_columns"]


def test_references_and_loaded_at_field_come_from_the_contract():
    tables = _tables()
    holdings = {c["name"]: c for c in tables["wealth_holdings"]["columns"]}
    relationship = holdings["product_code"]["data_tests"][-1]["relationships"]["arguments"]
    assert relationship == {"to": "source('wealth_platform', 'wealth_products')",
                            "field": "product_code"}
    assert tables["trades"]["config"]["loaded_at_field"] == "trade_time"
    assert tables["positions"]["config"]["loaded_at_field"] == "cast(position_date as timestamp)"


def test_committed_spark_sources_file_matches_the_feature_spec():
    ((path, text),) = render_spark_sources().items()
    assert path == spark_sources_path()
    assert path.read_text(encoding="utf-8") == text, (
        f"{path.relative_to(REPO_ROOT)} is stale: run "
        "`uv run python -m profilehub.catalog render`")


def test_feature_source_has_the_key_every_feature_with_its_type_and_as_of():
    (text,) = render_spark_sources().values()
    (source,) = yaml.safe_load(text)["sources"]
    assert (source["name"], source["schema"]) == (SPARK_SOURCE, LAKE_SCHEMA)
    tables = {table["name"]: table for table in source["tables"]}
    assert set(tables) == {"customer_features", "customer_accounts", "partner_links"}
    features = load_features()
    columns = [(c["name"], c["data_type"]) for c in tables["customer_features"]["columns"]]
    assert columns == [("customer_key", "string"),
                       *((f.name, f.sql_type.lower()) for f in features), ("as_of", "date")]
    tests = tables["customer_features"]["data_tests"]
    grain = tests[0]["unique_combination_of_columns"]["arguments"]["combination_of_columns"]
    assert grain == ["customer_key", "as_of"]
    never_null = tests[1]["not_null_columns"]["arguments"]["column_names"]
    assert never_null == ["customer_key", *(f.name for f in features if not f.nullable),
                          "as_of"]
    accounts = [c["name"] for c in tables["customer_accounts"]["columns"]]
    assert accounts[:2] == ["customer_key", "account_id"] and accounts[-1] == "as_of"
