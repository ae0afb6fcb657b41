"""The quarantine's raw record: the delivered line with no raw PII left in it, parsed or not."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from profilehub.contracts import CUSTOMERS, ECOMMERCE_ORDERS, Contract
from profilehub.landing import part_file_name, partition_dir
from profilehub.pii import REDACTED, token
from spark.ingest.reader import batch_frame, landing_batch, one_split_per_file

pytestmark = pytest.mark.slow

DAY = dt.date(2026, 3, 2)
KEY = b"redact-test-key"
PHONE, NATIONAL_ID, NAME, DEVICE = "13800138000", "11010519491231002X", "Li Lei", "dev-1"
CUSTOMER = (f"A000000001,{NAME},{PHONE},{NATIONAL_ID},{DEVICE},1990-01-01,M,Beijing,"
            "2026-01-01,app,2026-03-02 10:00:00")


def raw_records(spark, root: Path, contract: Contract, lines: list[bytes],
                header: str | None = None) -> list[str]:
    path = partition_dir(root, contract, DAY) / part_file_name(contract, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    head = [(header or ",".join(contract.column_names)).encode()] if contract.format == "csv" \
        else []
    path.write_bytes(b"\n".join(head + lines) + b"\n")
    with one_split_per_file(spark):
        frame = batch_frame(spark, landing_batch(root, contract, DAY), KEY)
        rows = frame.orderBy("_line").select("_raw_record").collect()
    return [row[0] for row in rows]


def assert_no_raw_pii(record: str) -> None:
    for value in (PHONE, NATIONAL_ID, NAME, DEVICE, "13900139000"):
        assert value not in record


def test_a_parsed_csv_line_shows_tokens_for_pii_and_hides_unknown_columns(spark, tmp_path):
    header = ",".join(CUSTOMERS.column_names) + ",nickname"
    line = (CUSTOMER.replace("Beijing", '"Beijing, Chaoyang"') + ",Lei Lei").encode()
    (record,) = raw_records(spark, tmp_path, CUSTOMERS, [line], header)
    expected = [
        "A000000001", token("name", NAME, KEY), token("phone", PHONE, KEY),
        token("national_id", NATIONAL_ID, KEY), token("device_id", DEVICE, KEY), "1990-01-01",
        "M", '"Beijing, Chaoyang"', "2026-01-01", "app", "2026-03-02 10:00:00", REDACTED]
    assert record == ",".join(expected)


def test_an_unparsed_csv_line_hides_every_field_near_a_pii_column(spark, tmp_path):
    shifted = CUSTOMER.replace(NAME, "Li,Lei")  # one field too many: values slid right
    truncated = CUSTOMER.rsplit(",", 1)[0]
    records = raw_records(spark, tmp_path, CUSTOMERS, [shifted.encode(), truncated.encode()])
    for record in records:
        assert_no_raw_pii(record)
        assert record.split(",")[:6] == [REDACTED] * 6
    assert records[0].split(",")[6:] == ["1990-01-01", "M", "Beijing", "2026-01-01", "app",
                                         REDACTED]  # beyond the header
    assert records[1].endswith(",M,Beijing,2026-01-01,app")


def test_lookalikes_in_clear_columns_and_bad_bytes_are_redacted(spark, tmp_path):
    leaky = CUSTOMER.replace("Beijing", "call 13900139000")
    bad_bytes = CUSTOMER.replace(NAME, "Li").encode().replace(b"Li", b"L\xff")
    records = raw_records(spark, tmp_path, CUSTOMERS, [leaky.encode(), bad_bytes])
    assert f",call {REDACTED}," in records[0]
    assert_no_raw_pii(records[1])
    assert "L\ufffd" not in records[1] and "\ufffd" not in records[1].split(",", 6)[-1]


def test_json_lines_show_tokens_or_redactions_whether_or_not_they_parse(spark, tmp_path):
    order = {"order_id": "O1", "partner_user_id": "u1", "phone": PHONE,
             "order_time": "2026-03-02 10:00:00", "category": "books", "amount": 35.5,
             "status": "paid"}
    renamed = {k if k != "phone" else "mobile": v for k, v in order.items()}
    lines = [json.dumps(order), json.dumps(renamed), json.dumps({**order, "tel": "139 0013 9000"}),
             json.dumps(order)[:60], json.dumps({**order, "phone": None})]
    records = raw_records(spark, tmp_path, ECOMMERCE_ORDERS, [s.encode() for s in lines])
    assert json.loads(records[0]) == {**order, "phone": token("phone", PHONE, KEY)}
    assert json.loads(records[1])["mobile"] == REDACTED
    assert json.loads(records[2])["tel"] == REDACTED
    assert records[3].startswith('{"order_id": "O1", "partner_user_id": "u1", "phone": "<redac')
    assert json.loads(records[4])["phone"] is None
    for record in records:
        assert_no_raw_pii(record)
