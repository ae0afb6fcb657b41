"""The validation SQL, evaluated by DuckDB on hand-written records: one rule per record.

The Spark ingest runs the very same text (tests/spark/ingest/); here each rule is shown to fire
on the record made to break it, in ``RULE_ORDER`` when a record breaks several.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

import duckdb
import pytest

from profilehub import rules
from profilehub.contracts import (
    CONTRACTS,
    CUSTOMERS,
    ECOMMERCE_ORDERS,
    GEO_EVENTS,
    POSITIONS,
    TRADES,
    WEALTH_HOLDINGS,
    Contract,
)
from profilehub.pii import token
from profilehub.settings import IngestSettings
from profilehub.validation import (
    SQL_TYPES,
    DeliveryDates,
    entity_columns,
    get_dialect,
    record_checks,
    validation_query,
)

DAY = dt.date(2026, 10, 8)
ONE_DAY = DeliveryDates.of(DAY)
INGEST = IngestSettings()
KEY = b"validation-test-key"
DUCKDB = get_dialect("duckdb")
TRADE = ("T1,A000000001,2026-10-08 09:30:00,600001,finance,BUY,100,10.5,1050.0,5.0,false,"
         "app")


def _csv_batch(contract: Contract, lines: list[str], header: list[str] | None = None,
               file: str = "part-00000.csv") -> list[dict]:
    header = header or list(contract.column_names)
    records = []
    for offset, line in enumerate(lines):
        fields = next(csv.reader([line]), [])
        by_name = dict(zip(header, fields, strict=False))
        records.append({"_file": file, "_line": offset + 2, "_raw": line,
                        "_field_names": header,
                        **{name: by_name.get(name) for name in contract.column_names}})
    return records


def _json_batch(contract: Contract, lines: list[str]) -> list[dict]:
    records = []
    for offset, line in enumerate(lines):
        try:
            parsed = json.loads(line)
        except ValueError:
            parsed = None
        obj = parsed if isinstance(parsed, dict) else None
        values = {name: None if obj is None or obj.get(name) is None else str(obj[name])
                  for name in contract.column_names}
        records.append({"_file": "part-00000.jsonl", "_line": offset + 1, "_raw": line,
                        "_field_names": list(obj) if obj is not None else None, **values})
    return records


def _load_batch(connection, contract: Contract, records: list[dict]) -> None:
    for record in records:
        for column in contract.pii_columns:
            value = record[column.name] or None
            record[column.curated_name] = token(column.pii, value, KEY)
    for record in records:
        record.setdefault("_delivery_date", DAY)
    columns = ["_file", "_line", "_raw", "_field_names", "_delivery_date",
               *contract.column_names, *(c.curated_name for c in contract.pii_columns)]
    types = {"_line": "BIGINT", "_field_names": "VARCHAR[]", "_delivery_date": "DATE"}
    connection.execute("CREATE OR REPLACE TABLE batch (" + ", ".join(
        f'"{name}" {types.get(name, "VARCHAR")}' for name in columns) + ")")
    connection.executemany(f"INSERT INTO batch VALUES ({', '.join('?' * len(columns))})",
                           [[record[name] for name in columns] for record in records])


def _accepted_tables(connection, rows: dict[str, list[dict]]) -> None:
    """Empty lake tables for every source, plus the given accepted rows."""
    for contract in CONTRACTS:
        columns = [(c.curated_name, "VARCHAR" if c.pii else SQL_TYPES[c.type])
                   for c in contract.columns] + [("dt", "DATE")]
        table = f"accepted_{contract.name}"
        connection.execute(f"CREATE OR REPLACE TABLE {table} (" + ", ".join(
            f'"{name}" {kind}' for name, kind in columns) + ")")
        for row in rows.get(contract.name, []):
            names = ", ".join(f'"{name}"' for name in row)
            connection.execute(f"INSERT INTO {table} ({names}) VALUES "
                               f"({', '.join('?' * len(row))})", list(row.values()))


def judge(contract: Contract, records: list[dict], accepted: dict | None = None,
          days: DeliveryDates = ONE_DAY) -> dict:
    connection = duckdb.connect()
    _load_batch(connection, contract, records)
    _accepted_tables(connection, accepted or {})
    query = validation_query(contract, days=days, ingest=INGEST,
                             dialect="duckdb", batch="batch",
                             accepted=lambda source: f"accepted_{source}")
    result = connection.execute(query)
    names = [d[0] for d in result.description]
    return {(row[0], row[1]): dict(zip(names, row, strict=True)) for row in result.fetchall()}


def rules_by_line(judged: dict) -> dict[int, str | None]:
    return {line: row["_rule"] for (_, line), row in judged.items()}


def test_a_clean_trade_is_accepted_with_typed_values():
    judged = judge(TRADES, _csv_batch(TRADES, [TRADE]))
    row = judged[("part-00000.csv", 2)]
    assert row["_rule"] is None and row["_detail"] is None
    assert row["quantity"] == 100 and row["price"] == 10.5 and row["is_margin"] is False
    assert row["trade_time"] == dt.datetime(2026, 10, 8, 9, 30)


@pytest.mark.parametrize(("line", "rule", "detail"), [
    (TRADE.replace("finance", "fin\ufffdance"), rules.BAD_ENCODING, "not valid UTF-8"),
    ("T1,A000000001,2026-10-08 09:30:00,600001", rules.MALFORMED, "4 fields"),
    (TRADE.replace(",app", ',"app'), rules.MALFORMED, "unbalanced quote"),
    (TRADE.replace("T1,", ","), "not_null:trade_id", "trade_id is missing or empty"),
    (TRADE.replace(",100,", ",12x,"), "type:quantity", "quantity=12x is not a valid integer"),
    (TRADE.replace(",100,", ",12.0,"), "type:quantity", "integer"),
    (TRADE.replace(",10.5,", ",NaN,"), "type:price", "price=NaN is not a valid number"),
    (TRADE.replace(",10.5,", ",1e999,"), "type:price", "number"),
    (TRADE.replace("09:30:00", "24:00:00"), "type:trade_time", "timestamp"),
    (TRADE.replace("false", "False"), "type:is_margin", "boolean"),
    (TRADE.replace("BUY", "HOLD"), "allowed:side", "side=HOLD not in {BUY, SELL}"),
    (TRADE.replace("600001", "60001"), "pattern:symbol", "does not match [0-9]{6}"),
    (TRADE.replace("1050.0", "-35.2"), "range:amount", "amount=-35.2 outside [0.01, 500000000]"),
    (TRADE.replace("2026-10-08 09:30:00", "2026-10-10 00:00:01"), rules.FUTURE_EVENT_TIME,
     "trade_time=2026-10-10 00:00:01 is after 2026-10-10 00:00:00 (end of delivery date "
     "2026-10-08 + 24h)"),
    (TRADE.replace("2026-10-08 09:30:00", "2026-10-04 23:59:59"), rules.LATE_ARRIVAL,
     "trade_time=2026-10-04 23:59:59 is before 2026-10-05 00:00:00 (delivery date 2026-10-08 - "
     "3 days)"),
    # Several broken rules: the first in RULE_ORDER wins, contract order within a check.
    (TRADE.replace("BUY", "HOLD").replace(",100,", ",x,"), "type:quantity", "quantity=x"),
    (TRADE.replace("T1,", "T1").replace("BUY", "HOLD"), rules.MALFORMED, "has 11 fields"),
    (TRADE.replace("T1,", ",").replace("600001", "6"), "not_null:trade_id", "trade_id"),
])
def test_each_rule_fires_on_the_record_made_to_break_it(line, rule, detail):
    row = judge(TRADES, _csv_batch(TRADES, [line]))[("part-00000.csv", 2)]
    assert row["_rule"] == rule
    assert detail in row["_detail"]


def test_event_times_at_the_limits_are_accepted():
    lines = [TRADE.replace("2026-10-08 09:30:00", "2026-10-10 00:00:00"),  # end + 24 h
             TRADE.replace("T1", "T2").replace("2026-10-08 09:30:00", "2026-10-05 00:00:00")]
    assert set(rules_by_line(judge(TRADES, _csv_batch(TRADES, lines))).values()) == {None}


def test_a_file_whose_header_lacks_a_column_rejects_every_record_by_missing_column():
    header = [name for name in TRADES.column_names if name != "fee"] + ["source_system"]
    line = "T1,A000000001,2026-10-08 09:30:00,600001,finance,BUY,100,10.5,1050.0,false,app,v2"
    judged = judge(TRADES, _csv_batch(TRADES, [line], header))
    row = judged[("part-00000.csv", 2)]
    assert row["_rule"] == "missing_column:fee"
    assert row["_extra_columns"] == ["source_system"]


def test_an_added_column_is_ignored_and_reported():
    header = [*TRADES.column_names, "source_system"]
    judged = judge(TRADES, _csv_batch(TRADES, [TRADE + ",core_v2"], header))
    row = judged[("part-00000.csv", 2)]
    assert row["_rule"] is None and row["_extra_columns"] == ["source_system"]


def test_duplicates_keep_the_first_eligible_record_by_file_and_line():
    lines = [TRADE.replace("1050.0", "-1"),  # line 2: broken, so it does not claim the key
             TRADE,  # line 3: first eligible T1 → accepted
             TRADE,  # line 4: duplicate of line 3
             TRADE.replace("T1", "T2")]
    judged = judge(TRADES, _csv_batch(TRADES, lines))
    assert rules_by_line(judged) == {2: "range:amount", 3: None, 4: "duplicate_key", 5: None}
    assert judged[("part-00000.csv", 4)]["_detail"] == \
        "key (trade_id=T1) repeats part-00000.csv:3"


def test_replays_of_keys_accepted_within_the_lookback_are_duplicates():
    accepted = {"trades": [{"trade_id": "T1", "dt": DAY - dt.timedelta(days=1)},
                           {"trade_id": "T2", "dt": DAY - dt.timedelta(days=8)}]}
    lines = [TRADE, TRADE.replace("T1", "T2")]
    judged = judge(TRADES, _csv_batch(TRADES, lines), accepted)
    assert rules_by_line(judged) == {2: "duplicate_key", 3: None}
    assert "already accepted on 2026-10-07" in judged[("part-00000.csv", 2)]["_detail"]


def _on(day: dt.date, records: list[dict]) -> list[dict]:
    """The records as delivered on ``day`` (their file in that date's folder)."""
    return [{**record, "_delivery_date": day, "_file": f"trades/dt={day}/{record['_file']}"}
            for record in records]


def test_a_batch_of_several_dates_judges_each_date_after_the_ones_before():
    first, second, late = (DAY - dt.timedelta(days=9), DAY - dt.timedelta(days=1), DAY)
    early_t3 = TRADE.replace("T1", "T3").replace("2026-10-08", first.isoformat())
    batch = (_on(first, _csv_batch(TRADES, [early_t3]))
             + _on(second, _csv_batch(TRADES, [TRADE, TRADE]))
             + _on(late, _csv_batch(TRADES, [TRADE, TRADE.replace("T1", "T3")])))
    judged = judge(TRADES, batch, days=DeliveryDates(first, late))
    rules = {(file.split("/")[1], line): row["_rule"] for (file, line), row in judged.items()}
    assert rules == {
        (f"dt={first}", 2): None,
        (f"dt={second}", 2): None, (f"dt={second}", 3): "duplicate_key",  # same delivery
        (f"dt={late}", 2): "duplicate_key",  # accepted the day before: a replay
        (f"dt={late}", 3): None,  # T3's first acceptance is beyond the 7-day lookback
    }
    replay = judged[(f"trades/dt={late}/part-00000.csv", 2)]["_detail"]
    assert replay == f"key (trade_id=T1) was already accepted on {second}"


def test_a_reference_counts_from_the_date_its_target_was_accepted():
    accepted = {"wealth_products": [{"product_code": "FD000001", "dt": DAY}]}
    line = "A000000001,2026-10-07,FD000001,10.0,100.0"
    batch = (_on(DAY - dt.timedelta(1), _csv_batch(WEALTH_HOLDINGS, [line]))
             + _on(DAY, _csv_batch(WEALTH_HOLDINGS, [line.replace("10-07", "10-08")])))
    judged = judge(WEALTH_HOLDINGS, batch, accepted, DeliveryDates(DAY - dt.timedelta(1), DAY))
    assert [row["_rule"] for _, row in sorted(judged.items())] == [
        "unknown_reference:product_code", None]
    assert sorted(judged.items())[0][1]["_detail"].endswith(
        f"is not a product_code of accepted wealth_products up to {DAY - dt.timedelta(1)}")


def test_snapshots_are_redelivered_not_replayed_and_never_late():
    line = "A000000001,2026-09-01,600001,finance,100,10.0,1000.0"
    accepted = {"positions": [{"account_id": "A000000001", "position_date": dt.date(2026, 9, 1),
                               "symbol": "600001", "dt": DAY - dt.timedelta(days=1)}]}
    judged = judge(POSITIONS, _csv_batch(POSITIONS, [line]), accepted)
    assert rules_by_line(judged) == {2: None}


def test_unknown_references_are_checked_against_accepted_catalogue_up_to_the_day():
    accepted = {"wealth_products": [{"product_code": "FD000001", "dt": DAY},
                                    {"product_code": "FD000002", "dt": DAY + dt.timedelta(1)}]}
    lines = ["A000000001,2026-10-08,FD000001,10.0,100.0",
             "A000000001,2026-10-08,FD000002,10.0,100.0"]
    judged = judge(WEALTH_HOLDINGS, _csv_batch(WEALTH_HOLDINGS, lines), accepted)
    assert rules_by_line(judged) == {2: None, 3: "unknown_reference:product_code"}


def _customer(account: str, national_id: str, updated: str = "2026-10-08 10:00:00") -> str:
    return (f"{account},Li Lei,13800138000,{national_id},,1990-01-01,M,Beijing,2026-01-01,app,"
            f"{updated}")


def test_an_identity_belongs_to_the_first_account_that_claimed_it():
    owned = token("national_id", "110105194912310021", KEY)
    accepted = {"customers": [{"account_id": "A000000001", "national_id_token": owned,
                               "updated_at": dt.datetime(2026, 10, 1),
                               "dt": DAY - dt.timedelta(1)}]}
    lines = [_customer("A000000001", "110105194912310021"),  # the owner's KYC update
             _customer("A000000002", "110105194912310021"),  # owned on an earlier date
             _customer("A000000003", "11010519491231003X"),  # first claim in the batch
             _customer("A000000004", "11010519491231003X"),  # claimed on line 4 already
             _customer("A000000003", "11010519491231003X", "2026-10-08 11:00:00")]
    judged = judge(CUSTOMERS, _csv_batch(CUSTOMERS, lines), accepted)
    assert rules_by_line(judged) == {2: None, 3: "identity_conflict:national_id", 4: None,
                                     5: "identity_conflict:national_id", 6: None}
    detail = judged[("part-00000.csv", 3)]["_detail"]
    assert detail == "national_id=<redacted> already belongs to account_id=A000000001"
    assert entity_columns(CUSTOMERS) == ("account_id",)


def test_pii_values_never_appear_in_details():
    line = _customer("A000000001", "11010519491231002Z").replace("13800138000", "1380013800")
    row = judge(CUSTOMERS, _csv_batch(CUSTOMERS, [line]))[("part-00000.csv", 2)]
    assert row["_rule"] == "pattern:phone"
    assert row["_detail"] == "phone=<redacted> does not match 1[3-9][0-9]{9}"
    assert "phone" not in row and row["phone_token"] == token("phone", "1380013800", KEY)


ORDER = {"order_id": "O1", "partner_user_id": "u1", "phone": "13800138000",
         "order_time": "2026-10-08 10:00:00", "category": "books", "amount": 35.5,
         "status": "paid"}


def _order(**changes) -> str:
    record = {**ORDER, **changes}
    return json.dumps({k: v for k, v in record.items() if v is not ...})


def test_json_lines_drift_rules():
    lines = [_order(),
             _order(order_id="O2", phone=..., mobile="13900139000"),  # renamed key
             _order(order_id="O3", phone=...),  # absent required key, nothing unknown
             _order(order_id="O4", coupon="X1"),  # added key only
             '{"order_id": "O5", "phone": "13800138000", "amou',  # truncated
             "[1, 2]",
             _order(order_id="O7", amount="35.5"),  # a number sent as text still parses
             _order(order_id="O8", amount=True)]
    judged = judge(ECOMMERCE_ORDERS, _json_batch(ECOMMERCE_ORDERS, lines))
    assert rules_by_line(judged) == {1: None, 2: "missing_column:phone", 3: "not_null:phone",
                                     4: None, 5: "malformed", 6: "malformed", 7: None,
                                     8: "type:amount"}
    assert judged[("part-00000.jsonl", 4)]["_extra_columns"] == ["coupon"]


def test_a_nullable_key_may_be_absent_even_beside_an_unknown_key():
    line = json.dumps({"event_id": "E1", "partner_user_id": "u1", "device_id": "d1",
                       "event_time": "2026-10-08 08:00:00", "place_type": "airport",
                       "city": "Beijing", "dwell_minutes": 30, "signal": "5g"})
    assert rules_by_line(judge(GEO_EVENTS, _json_batch(GEO_EVENTS, [line]))) == {1: None}


def test_every_contract_yields_checks_in_rule_order():
    position = {rule: index for index, rule in enumerate(rules.RULE_ORDER)}
    for contract in CONTRACTS:
        checks = record_checks(contract, "duckdb", INGEST)
        order = [position[check.rule.split(":")[0]] for check in checks]
        assert order == sorted(order), contract.name
        assert len({check.rule for check in checks}) == len(checks), contract.name


def test_unknown_dialect_is_refused():
    with pytest.raises(ValueError, match="spark, duckdb"):
        get_dialect("postgres")
