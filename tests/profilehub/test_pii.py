"""PII tokens: Python and SQL agree bit for bit; normalising joins spellings; redaction patterns."""

from __future__ import annotations

import hashlib
import hmac
import re

import duckdb
import pytest

from profilehub.pii import (
    NATIONAL_ID_LIKE,
    PHONE_LIKE,
    normalise,
    token,
    token_sql,
)
from profilehub.validation import get_dialect

KEYS = (b"short-key", bytes(range(64)), b"k" * 100)  # below, at and above the HMAC block
VALUES = {
    "phone": ["13800138000", "138-0013-8000", "+86 138 0013 8000", ""],
    "national_id": ["11010519491231002x", "11010519491231002X"],
    "name": ["  李小明\t", "Zoë O'Neil", "Ada"],
    "device_id": [" 3F2504E0-4F89-11D3-9A0C-0305E82C3301 ", "dev'ice\\id"],
}


def test_normalising_makes_spellings_of_one_value_agree():
    assert normalise("phone", "+86 138-0013-8000") == "8613800138000"
    assert normalise("phone", "138-0013-8000") == "13800138000"
    assert normalise("national_id", "11010519491231002x") == "11010519491231002X"
    assert normalise("name", " \t李小明\n") == "李小明"
    assert normalise("device_id", " AbC-1 ") == "abc-1"
    with pytest.raises(ValueError, match="unknown PII kind"):
        normalise("email", "a@b.c")


def test_token_is_the_keyed_hmac_of_kind_and_normalised_value():
    key = b"secret"
    expected = hmac.new(key, b"phone:13800138000", hashlib.sha256).hexdigest()
    assert token("phone", "138-0013-8000", key) == expected
    assert token("phone", None, key) is None
    assert token("name", "13800138000", key) != expected  # the kind is part of the message
    assert token("phone", "13800138000", b"other") != expected


@pytest.mark.parametrize("key", KEYS, ids=["short", "block", "long"])
def test_duckdb_sql_token_equals_python_token(key: bytes):
    dialect = get_dialect("duckdb")
    connection = duckdb.connect()
    for kind, values in VALUES.items():
        rows = [(value,) for value in values]
        connection.execute("CREATE OR REPLACE TABLE v (value VARCHAR)")
        connection.executemany("INSERT INTO v VALUES (?)", rows)
        sql = f"SELECT value, {token_sql(kind, 'value', key, dialect)} FROM v"
        for value, sql_token in connection.sql(sql).fetchall():
            assert sql_token == token(kind, value, key), (kind, value)
    null_sql = f"SELECT {token_sql('phone', 'CAST(NULL AS VARCHAR)', KEYS[0], dialect)}"
    assert connection.execute(null_sql).fetchall() == [(None,)]


def test_lookalike_patterns_find_standalone_numbers_but_not_digits_inside_tokens():
    line = "x,13800138000,+86 139-0013-9000,11010519491231002X,a13800138000b"
    assert re.findall(PHONE_LIKE, line) == ["13800138000", "+86 139-0013-9000"]
    assert re.findall(NATIONAL_ID_LIKE, line) == ["11010519491231002X"]
    hex_token = "ab13800138000" + "f" * 51
    assert not re.search(PHONE_LIKE, hex_token)
    assert not re.search(PHONE_LIKE, "11010519491231002X")  # an ID is not a phone
