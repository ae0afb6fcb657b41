"""Ground truth: complete, readable by Spark, and free of raw personal data."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from generator_checks import load_source

from profilehub.contracts import CONTRACTS, NATIONAL_ID, PHONE

TRUTH_FILES = ("customers.parquet", "identity_links.parquet", "market_days.parquet",
               "consent_truth.parquet", "dirty_manifest.parquet")


def pii_values(run) -> set[str]:
    values = set()
    for contract in CONTRACTS:
        if contract.pii_columns:
            records = load_source(run.paths.landing, contract)
            for column in contract.pii_columns:
                values |= set(records[column.name].dropna())
    return values


def strings_of(column: pa.ChunkedArray) -> list[str]:
    if pa.types.is_list(column.type):
        column = column.combine_chunks().flatten()
    return [v for v in column.to_pylist() if isinstance(v, str)]


def test_ground_truth_holds_no_raw_personal_data(behaviour_run):
    pii = pii_values(behaviour_run)
    assert len(pii) > 10_000
    for name in TRUTH_FILES:
        table = pq.read_table(behaviour_run.paths.ground_truth / name)
        assert not {"name", "phone", "national_id", "device_id"} & set(table.column_names)
        for column in table.columns:
            text = strings_of(column)
            assert not pii.intersection(text), name
            assert not any(re.fullmatch(PHONE, v) or re.fullmatch(NATIONAL_ID, v)
                           for v in text), name


def test_timestamps_are_microseconds_for_spark(behaviour_run):
    for name in TRUTH_FILES:
        schema = pq.read_schema(behaviour_run.paths.ground_truth / name)
        for field in schema:
            if pa.types.is_timestamp(field.type):
                assert field.type.unit == "us", (name, field.name)


def test_customer_truth_covers_every_account_once(behaviour_run):
    truth = pq.read_table(behaviour_run.paths.ground_truth / "customers.parquet").to_pandas()
    customers = load_source(behaviour_run.paths.landing, CONTRACTS[0])
    assert truth.account_id.is_unique
    assert set(truth.account_id) == set(customers.account_id)
    for flag in ("is_day_trader", "is_panic_seller", "is_churner", "is_fomo_chaser",
                 "is_new_parent", "is_traveller", "is_cross_border_traveller",
                 "is_suitability_breach", "is_wash_trader", "is_gen_z"):
        assert 0 < truth[flag].mean() < 0.5, flag


def test_manifest_csv_matches_the_parquet(dirty_run):
    folder = dirty_run.paths.ground_truth
    parquet = pq.read_table(folder / "dirty_manifest.parquet")
    text = pa_csv.read_csv(folder / "dirty_manifest.csv",
                           convert_options=pa_csv.ConvertOptions(column_types=parquet.schema,
                                                                 strings_can_be_null=True))
    assert text.num_rows == parquet.num_rows > 0
    assert text.cast(parquet.schema).equals(parquet)
