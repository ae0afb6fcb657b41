"""Small hand-made long tag tables for tests."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

AS_OF = date(2026, 10, 30)
SCHEMA = pa.schema([("customer_key", pa.string()), ("tag_id", pa.string()),
                    ("value", pa.string()), ("as_of", pa.date32()), ("tag_version", pa.int32())])


def long_tag_table(rows: list[tuple], as_of: date = AS_OF, tag_version: int = 1) -> pa.Table:
    """Rows of (customer_key, tag_id, value[, as_of[, tag_version]])."""
    full = [(*row, *(as_of, tag_version)[len(row) - 3:]) for row in rows]
    return pa.Table.from_pylist([dict(zip(SCHEMA.names, row, strict=True)) for row in full],
                                schema=SCHEMA)
