"""The quarantine's raw record: the delivered line with no raw PII left in it, parsed or not."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from profilehub.contracts import CONTRACTS, CUSTOMERS, ECOMMERCE_ORDERS, Contract
from profilehub.landing import part_file_name, partition_dir
from profilehub.pii import REDACTED, token
from spark.ingest.job import judge_batch
from spark.ingest.reader import landing_batch, one_split_per_file
from spark.ingest.tables import ensure_tables

pytestmark = pytest.mark.slow

DAY = dt.date(2026, 3, 2)
PHONE, NATIONAL_ID, NAME, DEVICE = "13800138000", "11010519491231002X", "Li Lei", "dev-1"
CUSTOMER = (f"A000000001,{NAME},{PHONE},{NATIONAL_ID},{DEVICE},1990-01-01,X,Beijing,"
            "2026-01-01,app,2026-03-02 10:00:00")  # gender X: rejected, so it has a record
ORDER = {"order_id": "O1", "partner_user_id": "u1", "phone": PHONE,
         "order_time": "2026-03-02 10:00:00", "category": "books", "amount": 35.5,
         "status": "cancelled"}


@pytest.fixture(scope="module")
def judge(spark, spark_settings):
    ensure_tables(spark, spark_settings, list(CONTRACTS))

    def raw_records(root: Path, contract: Contract, lines: list[bytes],
                    header: str | None = None) -> list[tuple[str | None, str | None]]:
        path = partition_dir(root, contract, DAY) / part_file_name(contract, 0)
        path.parent.mkdir(parents=True, exist_ok=True)
        head = [] if contract.format == "jsonl" else \
            [(header or ",".join(contract.column_names)).encode()]
        path.write_bytes(b"\n".join(head + lines) + b"\n")
        with one_split_per_file(spark):
            judged = judge_batch(spark, spark_settings, landing_batch(root, contract, DAY))
            rows = judged.orderBy("_line").select("_rule", "raw_record").collect()
            judged.unpersist()
        return [(row[0], row[1]) for row in rows]

    return raw_records


def _token(kind: str, value: str, settings) -> str:
    return token(kind, value, settings.pii_hmac_key())


def assert_no_raw_pii(record: str) -> None:
    for value in (PHONE, NATIONAL_ID, NAME, DEVICE, "13900139000", "139 0013 9000"):
        assert value not in record


def test_a_parsed_csv_line_shows_tokens_for_pii_and_hides_unknown_columns(judge, tmp_path,
                                                                         spark_settings):
    header = ",".join(CUSTOMERS.column_names) + ",nickname"
    line = (CUSTOMER.replace("Beijing", '"Beijing, Chaoyang"') + ",Lei Lei").encode()
    accepted = CUSTOMER.replace(",X,", ",M,").replace("A000000001", "A000000009") + ",x"
    (rule, record), (accepted_rule, no_record) = judge(
        tmp_path, CUSTOMERS, [line, accepted.encode()], header)
    expected = [
        "A000000001", _token("name", NAME, spark_settings),
        _token("phone", PHONE, spark_settings),
        _token("national_id", NATIONAL_ID, spark_settings),
        _token("device_id", DEVICE, spark_settings), "1990-01-01", "X", '"Beijing, Chaoyang"',
        "2026-01-01", "app", "2026-03-02 10:00:00", REDACTED]
    assert (rule, record) == ("allowed:gender", ",".join(expected))
    assert (accepted_rule, no_record) == (None, None)


def test_an_unparsed_csv_line_hides_every_field_near_a_pii_column(judge, tmp_path):
    shifted = CUSTOMER.replace(NAME, "Li,Lei")  # one field too many: values slid right
    truncated = CUSTOMER.rsplit(",", 1)[0]
    records = judge(tmp_path, CUSTOMERS, [shifted.encode(), truncated.encode()])
    assert [rule for rule, _ in records] == ["malformed", "malformed"]
    for _, record in records:
        assert_no_raw_pii(record)
        assert record.split(",")[:6] == [REDACTED] * 6
    assert records[0][1].split(",")[6:] == ["1990-01-01", "X", "Beijing", "2026-01-01", "app",
                                            REDACTED]  # beyond the header
    assert records[1][1].endswith(",X,Beijing,2026-01-01,app")


def test_lookalikes_in_clear_columns_and_bad_bytes_are_redacted(judge, tmp_path):
    leaky = CUSTOMER.replace("Beijing", "call 13900139000")
    bad_bytes = CUSTOMER.replace(NAME, "Li").encode().replace(b"Li", b"L\xff")
    (_, leaky_record), (rule, bad_record) = judge(tmp_path, CUSTOMERS,
                                                  [leaky.encode(), bad_bytes])
    assert f",call {REDACTED}," in leaky_record
    assert rule == "bad_encoding"
    assert_no_raw_pii(bad_record)
    assert bad_record.split(",")[6:] == ["X", "Beijing", "2026-01-01", "app",
                                         "2026-03-02 10:00:00"]


def test_json_lines_show_tokens_or_redactions_whether_or_not_they_parse(judge, tmp_path,
                                                                        spark_settings):
    renamed = {k if k != "phone" else "mobile": v for k, v in ORDER.items()}
    lines = [json.dumps(ORDER), json.dumps(renamed),
             json.dumps({**ORDER, "tel": "139 0013 9000"}), json.dumps(ORDER)[:60],
             json.dumps({**ORDER, "phone": None})]
    records = judge(tmp_path, ECOMMERCE_ORDERS, [s.encode() for s in lines])
    assert [rule for rule, _ in records] == [
        "allowed:status", "missing_column:phone", "allowed:status", "malformed",
        "not_null:phone"]
    as_text = {key: str(value) for key, value in ORDER.items()}
    phone_token = _token("phone", PHONE, spark_settings)
    assert json.loads(records[0][1]) == {**as_text, "phone": phone_token}
    assert json.loads(records[1][1]) == {**as_text, "phone": None, "mobile": REDACTED}
    assert json.loads(records[2][1]) == {**as_text, "phone": phone_token, "tel": REDACTED}
    assert records[3][1].startswith(
        f'{{"order_id": "O1", "partner_user_id": "u1", "phone": "{REDACTED}')
    assert json.loads(records[4][1])["phone"] is None
    for _, record in records:
        assert_no_raw_pii(record)
