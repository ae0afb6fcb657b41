"""The ingest job on hand-written landing files: lake, quarantine and reconciliation, reruns,
failures, in the layout others build on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from profilehub.contracts import Contract, get_contract
from profilehub.landing import part_file_name, partition_dir
from profilehub.pii import token
from profilehub.settings import Settings
from profilehub.validation import DeliveryDates
from spark.ingest import IngestError, ingest_range, ingest_source, source_order
from spark.ingest.job import LineNumberingError
from spark.ingest.tables import TableMismatch, ensure_tables

pytestmark = pytest.mark.slow

DAY1, DAY2 = dt.date(2026, 1, 5), dt.date(2026, 1, 6)
TRADE = "{id},A000000001,{day} 09:30:00,600001,finance,BUY,100,10.5,{amount},5.0,false,app"
CUSTOMER = ("{account},Li Lei,13800138000,{national_id},,1990-01-01,M,Beijing,2025-12-01,app,"
            "{day} {time}")


def deliver(settings: Settings, source: str, day: dt.date, lines: list[str | bytes],
            index: int = 0, header: str | None = None) -> str:
    contract = get_contract(source)
    path = partition_dir(settings.paths.landing, contract, day) / part_file_name(contract, index)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [line.encode() if isinstance(line, str) else line for line in lines]
    if contract.format == "csv":
        rows.insert(0, (header or ",".join(contract.column_names)).encode())
    path.write_bytes(b"\n".join(rows) + b"\n")
    return path.relative_to(settings.paths.landing).as_posix()


def trade(trade_id: str, day: dt.date, amount: str = "1050.0") -> str:
    return TRADE.format(id=trade_id, day=day, amount=amount)


@pytest.fixture(scope="module")
def lenient(spark_settings: Settings) -> Settings:
    """The session's data root with a quarantine limit these small, dirty files stay under."""
    ingest = dataclasses.replace(spark_settings.ingest, max_quarantine_rate=0.5)
    return dataclasses.replace(spark_settings, ingest=ingest)


@pytest.fixture(scope="module")
def delivered(lenient: Settings) -> dict[str, str]:
    s = lenient
    files = {
        "products": deliver(s, "wealth_products", DAY1, [
            f"FD00000{i},Fund {i},fund,R2,Issuer,CNY,1000.0,2025-01-01,2026-01-04 18:00:00"
            for i in (1, 2)]),
        "holdings": deliver(s, "wealth_holdings", DAY1, [
            "A000000001,2026-01-05,FD000001,10.0,100.0",
            "A000000001,2026-01-05,FD999999,10.0,100.0",
            "A000000002,2026-01-05,FD000002,10.0,100.0"]),
        "trades": deliver(s, "trades", DAY1, [
            trade("T1", DAY1), trade("T2", DAY1, "-35.2"), trade("T1", DAY1),
            trade("T3", DAY1).replace("finance", "fin").encode() + b"\xff",
            trade("T4", DAY1).rsplit(",", 2)[0], trade("T5", DAY1)]),
        "trades_drift": deliver(s, "trades", DAY1, [
            trade(f"T{n}", DAY1) + ",core_v2" for n in (6, 7)], index=1,
            header=",".join(get_contract("trades").column_names) + ",source_system"),
        "trades2": deliver(s, "trades", DAY2, [trade("T10", DAY2), trade("T1", DAY1)]),
        "customers": deliver(s, "customers", DAY1, [
            CUSTOMER.format(account="A000000001", national_id="110105194912310021", day=DAY1,
                            time="10:00:00")]),
        "customers2": deliver(s, "customers", DAY2, [
            CUSTOMER.format(account="A000000002", national_id="110105194912310021", day=DAY2,
                            time="10:00:00"),
            CUSTOMER.format(account="A000000001", national_id="110105194912310021", day=DAY2,
                            time="11:00:00")]),
        "orders": deliver(s, "ecommerce_orders", DAY1, [json.dumps(o) for o in (
            {"order_id": "O1", "partner_user_id": "u1", "phone": "13900139000",
             "order_time": "2026-01-05 12:00:00", "category": "books", "amount": 35.5,
             "status": "paid"},
            {"order_id": "O2", "partner_user_id": "u2", "mobile": "13700137000",
             "order_time": "2026-01-05 12:00:00", "category": "books", "amount": 9.5,
             "status": "paid"})]),
    }
    return files


@pytest.fixture(scope="module")
def ingested(spark, lenient, delivered):
    return ingest_range(lenient, start=DAY1, end=DAY2, sources=None, spark=spark)


def table_rows(spark, table: str, where: str) -> list[dict]:
    return [row.asDict() for row in spark.table(table).where(where).collect()]


def quarantined(spark, day: dt.date) -> set[tuple]:
    rows = table_rows(spark, "lake.quarantine", f"dt = DATE '{day}'")
    return {(r["source"], r["file"], r["line"], r["rule"]) for r in rows}


def test_every_record_is_accepted_or_quarantined_by_the_rule_it_broke(spark, ingested,
                                                                      delivered):
    f = delivered
    assert quarantined(spark, DAY1) == {
        ("wealth_holdings", f["holdings"], 3, "unknown_reference:product_code"),
        ("trades", f["trades"], 3, "range:amount"),
        ("trades", f["trades"], 4, "duplicate_key"),
        ("trades", f["trades"], 5, "bad_encoding"),
        ("trades", f["trades"], 6, "malformed"),
        ("ecommerce_orders", f["orders"], 2, "missing_column:phone"),
    }
    assert quarantined(spark, DAY2) == {
        ("trades", f["trades2"], 3, "duplicate_key"),
        ("customers", f["customers2"], 2, "identity_conflict:national_id"),
    }
    details = {r["rule"]: r["detail"] for r in table_rows(spark, "lake.quarantine",
                                                           "source = 'trades'")}
    assert details["range:amount"] == "amount=-35.2 outside [0.01, 500000000]"
    assert details["duplicate_key"] in {f"key (trade_id=T1) repeats {f['trades']}:2",
                                        "key (trade_id=T1) was already accepted on 2026-01-05"}


def test_accepted_rows_are_typed_in_contract_order_with_lineage(spark, ingested, delivered):
    trades = spark.table("lake.trades").where(f"dt = DATE '{DAY1}'")
    assert [(f.name, f.dataType.simpleString()) for f in trades.schema.fields] == [
        ("trade_id", "string"), ("account_id", "string"), ("trade_time", "timestamp"),
        ("symbol", "string"), ("sector", "string"), ("side", "string"),
        ("quantity", "bigint"), ("price", "double"), ("amount", "double"), ("fee", "double"),
        ("is_margin", "boolean"), ("channel", "string"), ("_source_file", "string"),
        ("_source_line", "bigint"), ("dt", "date")]
    lineage = {(r.trade_id, r._source_file, r._source_line) for r in trades.collect()}
    assert lineage == {("T1", delivered["trades"], 2), ("T5", delivered["trades"], 7),
                       ("T6", delivered["trades_drift"], 2),
                       ("T7", delivered["trades_drift"], 3)}
    row = trades.where("trade_id = 'T1'").first()
    assert row.quantity == 100 and row.amount == 1050.0 and row.is_margin is False


def test_pii_reaches_the_lake_only_as_tokens(spark, ingested, lenient):
    key = lenient.pii_hmac_key()
    customers = spark.table("lake.customers")
    assert {"name", "phone", "national_id", "device_id"}.isdisjoint(customers.columns)
    rows = customers.orderBy("dt", "updated_at").collect()
    assert [(r.account_id, r.dt) for r in rows] == [("A000000001", DAY1), ("A000000001", DAY2)]
    assert rows[0].phone_token == token("phone", "13800138000", key)
    assert rows[0].national_id_token == token("national_id", "110105194912310021", key)
    assert rows[0].device_id_token is None
    order = spark.table("lake.ecommerce_orders").first()
    assert order.phone_token == token("phone", "13900139000", key)


def test_reconciliation_adds_up_per_source_and_date(spark, ingested):
    rows = {(r["source"], r["dt"]): r for r in table_rows(spark, "lake.reconciliation",
                                                           f"dt IN (DATE '{DAY1}', DATE '{DAY2}')")}
    assert set(rows) == {(r.source, r.day) for r in ingested.reconciliations}
    trades = rows[("trades", DAY1)]
    assert (trades["rows_in"], trades["accepted"], trades["quarantined"]) == (8, 4, 4)
    assert trades["quarantine_rate"] == 0.5 and trades["status"] == "ok"
    assert trades["rule_counts"] == {"range:amount": 1, "duplicate_key": 1, "bad_encoding": 1,
                                     "malformed": 1}
    assert trades["extra_columns"] == ["source_system"]
    assert rows[("ecommerce_orders", DAY1)]["extra_columns"] == ["mobile"]
    assert all(r["rows_in"] == r["accepted"] + r["quarantined"] for r in rows.values())
    summary = ingested.summary()
    assert summary.splitlines()[0].split() == ["source", "date", "rows", "in", "accepted",
                                               "quarantined", "rate", "status", "top", "rules"]
    assert "trades               2026-01-05         8         4           4  50.00%  ok" in summary


def test_rerunning_a_date_gives_the_same_rows_and_keeps_other_sources(spark, ingested, lenient):
    def snapshot() -> tuple:
        where = f"dt = DATE '{DAY1}'"
        return (sorted(map(str, table_rows(spark, "lake.trades", where))),
                sorted(map(str, table_rows(spark, "lake.quarantine", where))),
                sorted(map(str, table_rows(spark, "lake.reconciliation", where))))

    before = snapshot()
    again = ingest_range(lenient, start=DAY1, end=DAY1, sources=["trades"], spark=spark)
    assert [(r.source, r.day) for r in again.reconciliations] == [("trades", DAY1)]
    assert snapshot() == before
    partitions = {r[0] for r in spark.sql("SHOW PARTITIONS lake.trades").collect()}
    assert {f"dt={DAY1}", f"dt={DAY2}"} <= partitions


def test_a_source_over_the_quarantine_limit_fails_after_writing_why(spark, spark_settings,
                                                                    ingested):
    day = dt.date(2026, 1, 20)
    file = deliver(spark_settings, "trades", day, [
        trade("T20", day), trade("T21", day, "0"), trade("T22", day, "x")])
    with pytest.raises(IngestError, match=r"trades for 2026-01-20 failed: quarantine rate "
                                          r"66\.67% exceeds the limit 10\.00% \(rows in 3"):
        ingest_range(spark_settings, start=day, end=day, sources=["trades"], spark=spark)
    (row,) = table_rows(spark, "lake.reconciliation", f"dt = DATE '{day}'")
    assert (row["status"], row["accepted"], row["quarantined"]) == ("failed", 1, 2)
    assert quarantined(spark, day) == {("trades", file, 3, "range:amount"),
                                       ("trades", file, 4, "type:amount")}


def test_an_empty_delivery_reconciles_to_zero_and_leaves_no_partition(spark, lenient):
    day = dt.date(2026, 1, 22)
    deliver(lenient, "positions", day, [])
    (result,) = ingest_range(lenient, start=day, end=day, sources=["positions"],
                             spark=spark).reconciliations
    assert (result.rows_in, result.accepted, result.quarantined) == (0, 0, 0)
    assert spark.sql(f"SHOW PARTITIONS lake.positions PARTITION (dt = '{day}')").count() == 0


def test_line_numbers_are_not_trusted_when_a_file_is_split(spark, lenient):
    day = dt.date(2026, 1, 25)
    deliver(lenient, "trades", day, [trade(f"T{n}", day) for n in range(100)])
    contract: Contract = get_contract("trades")
    spark.conf.set("spark.sql.files.maxPartitionBytes", "512")
    spark.conf.set("spark.sql.files.openCostInBytes", "0")
    try:
        with pytest.raises(LineNumberingError, match="was it split"):
            ingest_source(spark, lenient, contract, DeliveryDates.of(day))
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
        spark.conf.unset("spark.sql.files.openCostInBytes")


def test_sources_run_after_the_sources_they_reference():
    names = [c.name for c in source_order(["wealth_holdings", "trades", "wealth_products"])]
    assert names.index("wealth_products") < names.index("wealth_holdings")
    assert len(source_order(None)) == 13
    with pytest.raises(KeyError, match="unknown source 'nope'"):
        source_order(["nope"])


def test_tables_of_another_data_root_are_refused(spark, ingested, tmp_path: Path,
                                                 spark_settings):
    other = dataclasses.replace(spark_settings, paths=type(spark_settings.paths)(tmp_path))
    with pytest.raises(TableMismatch, match="points at"):
        ensure_tables(spark, other, [get_contract("trades")])
