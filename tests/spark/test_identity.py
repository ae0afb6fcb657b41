"""Identity resolution: generated data scored against its ground truth, and a hand-made lake
whose every case (shared device, moved phone, merged accounts, corrections) is known by
construction.

One Spark session and data root serve the module. The hand-made rows sit in their own dates
(2030) and id ranges, so builds of the generated dates (2026) never see them. Builds run once
in module fixtures; the tests read their partitions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import pytest

from profilehub.contracts import CONTRACTS, PARTNERS, Contract, get_contract
from profilehub.dbt_sources import SOURCE_FILE_COLUMN, SOURCE_LINE_COLUMN
from profilehub.generator import generate
from profilehub.generator.truth import IDENTITY_LINKS_FILE
from profilehub.settings import Settings, load_settings
from spark.identity import (
    CUSTOMER_ACCOUNTS,
    IDENTITY_QUALITY,
    PARTNER_LINKS,
    IdentityResult,
    build_identity,
    customer_key_column,
    customer_key_of,
)
from spark.identity.links import PARTNER_SOURCES
from spark.identity.tables import read_partition
from spark.ingest import ingest_range
from spark.ingest.tables import (
    ensure_tables,
    lake_columns,
    lake_table,
    partition_folder,
    partition_spec,
    register_partition,
    write_partition_files,
)

pytestmark = pytest.mark.slow

CUSTOMERS = get_contract("customers")
ECOMMERCE = get_contract("ecommerce_orders")
TRAVEL = get_contract("travel_bookings")
GEO = get_contract("geo_events")
PARENTING = get_contract("parenting_spend")


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, object]]:
    from spark.session import spark_session

    settings = load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path_factory.mktemp("data"))})
    spark = spark_session(settings, "test-identity")
    try:
        ensure_tables(spark, settings, list(CONTRACTS))
        yield settings, spark
    finally:
        spark.stop()


def _snapshot(spark, table, as_of: dt.date) -> list:
    rows = read_partition(spark, table, as_of).collect()
    return sorted(rows, key=lambda row: tuple(str(value) for value in row))


# ------------------------------------------------------------------------ hand-made cases

D0, D1, D2, D3, D4 = (dt.date(2030, 1, day) for day in range(1, 6))
OLD = dt.date(2020, 1, 1)


def _a(n: int) -> str:
    return f"A8000000{n:02d}"  # far from the generator's account numbers


def _kyc(account: str, day: dt.date, *, opened: dt.date, phone: str, national_id: str,
         device: str | None = None) -> dict:
    return {"account_id": account, "phone_token": phone, "national_id_token": national_id,
            "device_id_token": device, "open_date": opened,
            "updated_at": dt.datetime.combine(day, dt.time(10))}


def _activity(contract: Contract, user: str, day: dt.date, token: str) -> dict:
    [token_column] = [c.curated_name for c in contract.pii_columns]
    return {"partner_user_id": user, token_column: token,
            contract.event_time: dt.datetime.combine(day, dt.time(12))}


KYC_D0 = [
    _kyc(_a(1), D0, opened=OLD, phone="ph-1", national_id="nid-1", device="dev-shared"),
    _kyc(_a(2), D0, opened=OLD, phone="ph-2", national_id="nid-2", device="dev-shared"),
    _kyc(_a(3), D0, opened=OLD, phone="ph-move", national_id="nid-3"),
    _kyc(_a(5), D0, opened=dt.date(2015, 1, 1), phone="ph-5", national_id="nid-56"),
    _kyc(_a(6), D0, opened=dt.date(2019, 1, 1), phone="ph-6", national_id="nid-56"),
    _kyc(_a(7), D0, opened=OLD, phone="ph-7", national_id="nid-7"),
    _kyc(_a(8), D0, opened=OLD, phone="ph-8", national_id="nid-8"),
    _kyc(_a(9), D0, opened=OLD, phone="ph-9", national_id="nid-9"),
]
KYC_D1 = [
    # A3 changes phone on D1; the same number goes to A4, opened that day.
    _kyc(_a(3), D1, opened=OLD, phone="ph-3new", national_id="nid-3"),
    _kyc(_a(4), D1, opened=D1, phone="ph-move", national_id="nid-4"),
    # Opened on D1 by people whose devices the telco saw before.
    _kyc(_a(10), D1, opened=D1, phone="ph-10", national_id="nid-10", device="dev-10"),
    _kyc(_a(11), D1, opened=D1, phone="ph-11", national_id="nid-11", device="dev-11"),
]
# The KYC team corrects D0: A6 had a mistyped ID number, A9 a mistyped phone.
KYC_D0_CORRECTED = [
    *(row for row in KYC_D0 if row["account_id"] not in (_a(6), _a(9))),
    _kyc(_a(6), D0, opened=dt.date(2019, 1, 1), phone="ph-6", national_id="nid-6"),
    _kyc(_a(9), D0, opened=OLD, phone="ph-9b", national_id="nid-9"),
]
ACTIVITY = {
    ECOMMERCE: {
        D0: [_activity(ECOMMERCE, "E-old", D0, "ph-move"),
             _activity(ECOMMERCE, "E-6", D0, "ph-6"),
             _activity(ECOMMERCE, "E-9", D0, "ph-9"),
             _activity(ECOMMERCE, "E-none", D0, "ph-unknown")],
        D2: [_activity(ECOMMERCE, "E-old", D2, "ph-3new"),
             _activity(ECOMMERCE, "E-new", D2, "ph-move")],
    },
    TRAVEL: {D1: [_activity(TRAVEL, "T-56", D1, "nid-56")]},
    GEO: {D0: [_activity(GEO, "G-shared", D0, "dev-shared"),
               _activity(GEO, "G-10", D0, "dev-10"),
               _activity(GEO, "G-11-before", D0, "dev-11")],
          D2: [_activity(GEO, "G-10", D2, "dev-10"),
               _activity(GEO, "G-11-after", D2, "dev-11")]},
    PARENTING: {D0: [_activity(PARENTING, "K-78", D0, "ph-7")],
                D1: [_activity(PARENTING, "K-78", D1, "ph-8")]},
}


def _default(column, day: dt.date) -> object:
    if column.allowed:
        return column.allowed[0]
    return {"string": "x", "int": 1, "double": 1.0, "date": day,
            "timestamp": dt.datetime.combine(day, dt.time(12)), "boolean": False}[column.type]


def write_lake_rows(spark, settings: Settings, contract: Contract, day: dt.date,
                    records: list[dict]) -> None:
    """Replace the ``day`` partition of ``lake.<source>`` the way the ingest does."""
    rows = []
    for line, record in enumerate(records, start=2):
        values = {c.curated_name: record.get(c.curated_name, _default(c, day))
                  for c in contract.columns if c.curated_name in record or not c.nullable}
        values |= {SOURCE_FILE_COLUMN: f"{contract.name}/dt={day}/part-00000.jsonl",
                   SOURCE_LINE_COLUMN: line}
        rows.append(tuple(values.get(name) for name, _ in lake_columns(contract)))
    schema = ", ".join(f"`{name}` {sql_type}" for name, sql_type in lake_columns(contract))
    folder = partition_folder(settings.paths.lake / contract.name, None, day)
    write_partition_files(folder, spark.createDataFrame(rows, schema), len(rows))
    register_partition(spark, lake_table(contract), partition_spec(None, day), folder)


@dataclass(frozen=True)
class Builds:
    settings: Settings
    links: dict[dt.date, list]
    accounts: dict[dt.date, list]


@pytest.fixture(scope="module")
def handmade(lake) -> Builds:
    settings, spark = lake
    for day, records in ((D0, KYC_D0), (D1, KYC_D1)):
        write_lake_rows(spark, settings, CUSTOMERS, day, records)
    for contract, by_day in ACTIVITY.items():
        for day, records in by_day.items():
            write_lake_rows(spark, settings, contract, day, records)
    links, accounts = {}, {}

    def build(as_of: dt.date) -> None:
        print(build_identity(settings, as_of).summary())
        links[as_of] = _snapshot(spark, PARTNER_LINKS, as_of)
        accounts[as_of] = _snapshot(spark, CUSTOMER_ACCOUNTS, as_of)

    build(D2)
    write_lake_rows(spark, settings, CUSTOMERS, D0, KYC_D0_CORRECTED)
    build(D3)
    build(D4)
    return Builds(settings, links, accounts)


def _key(builds: Builds, account: str) -> str:
    return customer_key_of(account, builds.settings.pii_hmac_key())


def _rows_of(builds: Builds, as_of: dt.date, user: str) -> list:
    return [row for row in builds.links[as_of] if row.partner_user_id == user]


def test_the_spark_customer_key_equals_the_python_one(lake):
    from pyspark.sql import functions as F

    settings, spark = lake
    accounts = [_a(1), "A123456789"]
    frame = spark.createDataFrame([(account,) for account in accounts], "account_id string")
    keys = [row.key for row in frame.select(
        customer_key_column(F.col("account_id"), settings.pii_hmac_key()).alias("key")).collect()]
    assert keys == [customer_key_of(account, settings.pii_hmac_key()) for account in accounts]
    assert all(key.startswith("CK") and len(key) == 22 for key in keys)
    assert customer_key_of(_a(1), b"another key") != keys[0]


def test_accounts_sharing_a_national_id_take_the_earliest_accounts_key(handmade):
    accounts = {row.account_id: row for row in handmade.accounts[D2] if row.account_id in
                {_a(n) for n in range(1, 12)}}
    assert accounts[_a(6)].customer_key == accounts[_a(5)].customer_key == _key(handmade, _a(5))
    assert "merged into its key" in accounts[_a(6)].evidence
    assert "keeps its own key" in accounts[_a(5)].evidence
    assert accounts[_a(1)].customer_key == _key(handmade, _a(1))
    assert accounts[_a(1)].evidence == "single account"
    assert accounts[_a(1)].opened_on == OLD and accounts[_a(4)].opened_on == D1
    [travel] = _rows_of(handmade, D2, "T-56")
    assert (travel.status, travel.customer_key, travel.matched_on) == (
        "linked", _key(handmade, _a(5)), "national_id_token")


def test_a_device_shared_by_two_customers_is_ambiguous_not_merged(handmade):
    [row] = _rows_of(handmade, D2, "G-shared")
    assert (row.status, row.customer_key, row.matched_on) == (
        "ambiguous", None, "device_id_token")
    assert row.reason.startswith("device_id_token matches 2 customers")
    assert _key(handmade, _a(1)) in row.reason and _key(handmade, _a(2)) in row.reason


def test_a_partner_user_whose_tokens_point_at_different_customers_is_ambiguous(handmade):
    rows = _rows_of(handmade, D2, "K-78")
    assert {(row.link_token, row.status, row.customer_key) for row in rows} == {
        ("ph-7", "ambiguous", None), ("ph-8", "ambiguous", None)}
    assert all("2 tokens pointing at 2 customers" in row.reason for row in rows)


def test_a_moved_phone_links_activity_by_the_date_of_the_kyc_change(handmade):
    old_owner = {(r.link_token, r.status, r.customer_key, r.valid_from, r.valid_to)
                 for r in _rows_of(handmade, D2, "E-old")}
    assert old_owner == {("ph-move", "linked", _key(handmade, _a(3)), OLD, D1),
                         ("ph-3new", "linked", _key(handmade, _a(3)), D1, None)}
    [new_owner] = _rows_of(handmade, D2, "E-new")
    assert (new_owner.status, new_owner.customer_key, new_owner.valid_from,
            new_owner.first_seen) == ("linked", _key(handmade, _a(4)), D1, D2)


def test_activity_before_an_account_opened_joins_it_only_through_the_same_partner_user(
        handmade):
    [before_and_after] = _rows_of(handmade, D2, "G-10")
    assert (before_and_after.status, before_and_after.customer_key,
            before_and_after.valid_from, before_and_after.first_seen) == (
        "linked", _key(handmade, _a(10)), D0, D0)
    assert "before anyone held it" in before_and_after.reason
    [only_before] = _rows_of(handmade, D2, "G-11-before")
    assert (only_before.status, only_before.customer_key) == ("unmatched", None)
    [only_after] = _rows_of(handmade, D2, "G-11-after")
    assert (only_after.status, only_after.valid_from) == ("linked", D1)


def test_an_unknown_token_is_unmatched(handmade):
    [row] = _rows_of(handmade, D2, "E-none")
    assert (row.status, row.customer_key, row.valid_from) == ("unmatched", None, None)


def test_links_whose_kyc_evidence_was_corrected_are_unlinked_on_the_next_build(handmade):
    assert {(r.status, r.customer_key) for r in _rows_of(handmade, D2, "E-6")} == {
        ("linked", _key(handmade, _a(5)))}
    after = _rows_of(handmade, D3, "E-6")
    assert {(r.status, r.customer_key) for r in after} == {
        ("unlinked", _key(handmade, _a(5))), ("linked", _key(handmade, _a(6)))}
    [gone] = [r for r in after if r.status == "unlinked"]
    assert gone.reason == f"was linked on {D2}; the token now links to another customer: un-merged"

    phone = {(r.status, r.customer_key) for r in _rows_of(handmade, D3, "E-9")}
    assert phone == {("unlinked", _key(handmade, _a(9))), ("unmatched", None)}
    unlinked_users = {r.partner_user_id for r in handmade.links[D3] if r.status == "unlinked"}
    assert unlinked_users == {"E-6", "E-9"}


def test_unlinked_rows_appear_once_then_are_gone(handmade):
    assert all(row.status != "unlinked" for row in handmade.links[D4])
    assert {(r.status, r.customer_key) for r in _rows_of(handmade, D4, "E-6")} == {
        ("linked", _key(handmade, _a(6)))}


# ------------------------------------------------------------------------ generated data

START = dt.date(2026, 10, 1)
DAYS = 3
END = START + dt.timedelta(days=DAYS - 1)
# Seed 13 plants, among others, an e-commerce user who orders before and after a phone change.
SEED = 13


@dataclass(frozen=True)
class Generated:
    settings: Settings
    result: IdentityResult
    links: list
    links_rebuilt: list
    accounts: list
    accounts_rebuilt: list
    quality: list
    truth: pd.DataFrame


@pytest.fixture(scope="module")
def generated(lake) -> Generated:
    settings, spark = lake
    generate(settings.paths, customers=300, days=DAYS, seed=SEED, dirty_rate=0.002, start=START)
    sources = [CUSTOMERS.name, *(contract.name for contract in PARTNER_SOURCES)]
    ingest_range(settings, start=START, end=END, sources=sources, spark=spark)
    build_identity(settings, START)
    result = build_identity(settings, END)
    print(result.summary())
    links, accounts = _snapshot(spark, PARTNER_LINKS, END), _snapshot(spark, CUSTOMER_ACCOUNTS, END)
    build_identity(settings, END)
    return Generated(
        settings, result, links, _snapshot(spark, PARTNER_LINKS, END), accounts,
        _snapshot(spark, CUSTOMER_ACCOUNTS, END), _snapshot(spark, IDENTITY_QUALITY, END),
        pd.read_parquet(settings.paths.ground_truth / IDENTITY_LINKS_FILE))


def test_links_match_the_ground_truth_for_every_partner(generated):
    score = generated.result.score
    assert score is not None
    for partner in PARTNERS:
        figures = score.of(partner)
        assert figures.linked > 0, partner
        assert figures.precision >= 0.99, figures
        assert figures.recall >= 0.95, figures
    written = {row.partner: (row.precision, row.recall, row.linked) for row in generated.quality}
    assert written == {s.partner: (s.precision, s.recall, s.linked) for s in score.partners}


def test_planted_shared_devices_are_ambiguous_and_never_merged(generated):
    planted = generated.truth[generated.truth.shared_device]
    assert len(planted) >= 1
    keys = {row.account_id: row.customer_key for row in generated.accounts}
    for conflict in planted.itertuples():
        rows = [r for r in generated.links if r.partner_user_id == conflict.partner_user_id]
        assert rows and {r.status for r in rows} == {"ambiguous"}, rows
        assert keys[conflict.account_id] != keys[conflict.other_account_id]
    geo = generated.result.score.of(GEO.partner)
    assert geo.conflicts_flagged == geo.planted_conflicts == len(planted)


def test_a_phone_change_moves_the_users_links_to_the_new_number(generated):
    truth = generated.truth.set_index("partner_user_id")
    keys = {row.account_id: row.customer_key for row in generated.accounts}
    changed = truth.index[truth.phone_changed]
    moved = {}
    for row in generated.links:
        if row.partner_user_id in changed and row.status == "linked":
            moved.setdefault(row.partner_user_id, []).append(row)
    two_numbers = {user: rows for user, rows in moved.items() if len(rows) == 2}
    assert two_numbers, "the seed no longer plants an order before and after a phone change"
    for user, rows in two_numbers.items():
        old, new = sorted(rows, key=lambda row: row.valid_from)
        assert old.valid_to == new.valid_from and new.valid_to is None
        assert old.customer_key == new.customer_key == keys[truth.account_id[user]]


def test_rebuilding_the_same_date_gives_identical_partitions(generated):
    assert generated.links == generated.links_rebuilt
    assert generated.accounts == generated.accounts_rebuilt
    assert {row.status for row in generated.links} >= {"linked", "ambiguous", "unmatched"}


def test_a_partner_with_nothing_linked_scores_none_rather_than_failing(lake):
    """Small early deliveries leave a partner with no links: its ratios are undefined."""
    from spark.identity.scoring import _per_partner

    _, spark = lake
    users = spark.createDataFrame(
        [("geo", "G-1", [], "unmatched", None, False)],
        "partner string, partner_user_id string, linked_keys array<string>, resolved string, "
        "true_key string, conflict boolean")
    (row,) = _per_partner(users).collect()
    assert (row["precision"], row["recall"], row["unmatched"]) == (None, None, 1)
