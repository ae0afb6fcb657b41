"""Reading landing files: exact file and line, values by header name, tokens equal to Python."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from profilehub.contracts import CUSTOMERS, ECOMMERCE_ORDERS, TRADES, Contract
from profilehub.landing import part_file_name, partition_dir
from profilehub.pii import token
from profilehub.validation import get_dialect
from spark.ingest.reader import (
    batch_frame,
    count_lines,
    landing_batch,
    one_split_per_file,
    read_header,
)

DAY = dt.date(2026, 3, 1)
KEY = b"reader-test-key"
TRADE = "T{n},A000000001,2026-03-01 09:30:00,600001,finance,BUY,100,10.5,1050.0,5.0,false,app"


def write_part(root: Path, contract: Contract, index: int, data: bytes) -> Path:
    path = partition_dir(root, contract, DAY) / part_file_name(contract, index)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("data", "lines"), [
    (b"", 0), (b"a\n", 1), (b"a\nb", 2), (b"a\n\nb\n", 3), (b"a\r\nb\rc\n", 2),
])
def test_lines_are_counted_as_the_spark_reader_splits_them(tmp_path, data, lines):
    path = tmp_path / "f"
    path.write_bytes(data)
    assert count_lines(path) == lines


def test_a_csv_header_is_read_without_bom_quotes_or_spaces(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes('\ufeffa, "b,c" ,d\nx,y,z\n'.encode())
    assert read_header(path) == ("a", '"b', 'c"', "d")
    path.write_bytes(b'a,"b,c",d\n')
    assert read_header(path) == ("a", "b,c", "d")


def test_a_batch_lists_files_with_records_excluding_headers(tmp_path):
    write_part(tmp_path, TRADES, 0, (",".join(TRADES.column_names) + "\n").encode()
               + (TRADE.format(n=1) + "\n").encode())
    write_part(tmp_path, TRADES, 1, b"")
    batch = landing_batch(tmp_path, TRADES, DAY)
    assert [(f.relative, f.lines, f.records) for f in batch.files] == [
        ("trades/dt=2026-03-01/part-00000.csv", 2, 1),
        ("trades/dt=2026-03-01/part-00001.csv", 0, 0)]
    assert batch.records == 1
    assert landing_batch(tmp_path, TRADES, DAY + dt.timedelta(1)).files == ()


def _collect(spark, root: Path, contract: Contract) -> dict[tuple[str, int], dict]:
    with one_split_per_file(spark):
        frame = batch_frame(spark, landing_batch(root, contract, DAY), KEY)
        return {(row["_file"], row["_line"]): row.asDict() for row in frame.collect()}


@pytest.mark.slow
def test_csv_records_keep_file_and_physical_line_and_map_values_by_header(spark, tmp_path):
    header = ",".join(TRADES.column_names)
    first = "\n".join([header, TRADE.format(n=1), "", TRADE.format(n=3)]) + "\n"
    reordered = ["channel", *TRADES.column_names[:-1], "source_system"]
    second = ",".join(reordered) + "\n" + "\n".join(
        "app," + TRADE.format(n=n).removesuffix(",app") + ",core_v2" for n in (4, 5))
    write_part(tmp_path, TRADES, 0, first.encode())
    write_part(tmp_path, TRADES, 1, second.encode())  # no newline at the end
    rows = _collect(spark, tmp_path, TRADES)
    part0, part1 = (f"trades/dt=2026-03-01/part-0000{i}.csv" for i in (0, 1))
    assert sorted(rows) == [(part0, 2), (part0, 3), (part0, 4), (part1, 2), (part1, 3)]
    assert rows[(part0, 4)]["trade_id"] == "T3" and rows[(part0, 3)]["_raw"] == ""
    assert rows[(part1, 3)]["trade_id"] == "T5" and rows[(part1, 3)]["channel"] == "app"
    assert rows[(part1, 3)]["is_margin"] == "false"
    assert rows[(part1, 2)]["_field_names"] == reordered
    assert rows[(part0, 2)]["_field_names"] == list(TRADES.column_names)


@pytest.mark.slow
def test_json_values_arrive_as_text_and_non_objects_have_no_keys(spark, tmp_path):
    record = {"order_id": "O1", "partner_user_id": "u1", "phone": "13800138000",
              "order_time": "2026-03-01 10:00:00", "category": "books", "amount": 35.5,
              "status": "paid", "coupon": True}
    lines = [json.dumps(record), "[1, 2]", '{"order_id": "O3", "amo']
    write_part(tmp_path, ECOMMERCE_ORDERS, 0, ("\n".join(lines) + "\n").encode())
    rows = _collect(spark, tmp_path, ECOMMERCE_ORDERS)
    part = "ecommerce_orders/dt=2026-03-01/part-00000.jsonl"
    assert rows[(part, 1)]["amount"] == "35.5"
    assert rows[(part, 1)]["_field_names"] == list(record)
    assert rows[(part, 1)]["phone_token"] == token("phone", "13800138000", KEY)
    assert rows[(part, 2)]["_field_names"] is None
    assert rows[(part, 3)]["_field_names"] is None


@pytest.mark.slow
def test_spark_tokens_equal_python_tokens(spark, tmp_path):
    values = [("A000000001", " 李 小明 ", "138-0013-8000", "11010519491231002x", " DEV-1 "),
              ("A000000002", "Zoë", "+86 139 0013 9000", "110105194912310021", ""),
              ("A000000003", "Ada\t", "13700137000", "110105194912310030", "dev\\'2")]
    lines = [",".join(CUSTOMERS.column_names)]
    for account, name, phone, national_id, device in values:
        lines.append(f'{account},"{name}",{phone},{national_id},{device},1990-01-01,F,Beijing,'
                     "2026-01-01,app,2026-03-01 10:00:00")
    write_part(tmp_path, CUSTOMERS, 0, ("\n".join(lines) + "\n").encode())
    rows = _collect(spark, tmp_path, CUSTOMERS)
    for line, (_, name, phone, national_id, device) in enumerate(values, start=2):
        row = rows[("customers/dt=2026-03-01/part-00000.csv", line)]
        assert row["name_token"] == token("name", name, KEY)
        assert row["phone_token"] == token("phone", phone, KEY)
        assert row["national_id_token"] == token("national_id", national_id, KEY)
        assert row["device_id_token"] == token("device_id", device or None, KEY)


@pytest.mark.slow
def test_spark_token_sql_handles_every_key_length(spark):
    from profilehub.pii import token_sql

    dialect = get_dialect("spark")
    for key in (b"k", bytes(range(64)), b"x" * 200):
        sql = token_sql("name", "value", key, dialect)
        frame = spark.createDataFrame([("Ada",), ("  李小明 ",)], "value string")
        got = [row[0] for row in frame.selectExpr(sql).collect()]
        assert got == [token("name", "Ada", key), token("name", "  李小明 ", key)]
