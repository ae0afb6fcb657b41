"""Records as the sources deliver them: Arrow tables typed by the contract, and their bytes.

Bulk serialisation is vectorised (pyarrow's CSV writer; JSON lines assembled with Arrow string
kernels) and follows profilehub/landing.py: a header line for CSV, no quoting because no
generated value holds a comma, quote or newline (the CSV writer refuses any that would), ``\\n``
line ends, empty field or ``null`` for null. Single records (dirty defects) go through the
codecs below, which read and write one line the same way.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from profilehub.contracts import Column, Contract

ARROW_TYPES = {
    "string": pa.string(), "int": pa.int64(), "double": pa.float64(), "date": pa.date32(),
    "timestamp": pa.timestamp("s"), "boolean": pa.bool_(),
}


def build_table(contract: Contract, columns: Mapping[str, object]) -> pa.Table:
    """A table with exactly the contract's columns, in order, cast to the contract's types."""
    missing = [name for name in contract.column_names if name not in columns]
    extra = [name for name in columns if name not in contract.column_names]
    if missing or extra:
        raise ValueError(f"source {contract.name!r}: table columns do not match the contract "
                         f"(missing {missing}, unexpected {extra})")
    arrays = [_as_array(columns[c.name], c) for c in contract.columns]
    return pa.Table.from_arrays(arrays, names=list(contract.column_names))


def _as_array(values, column: Column) -> pa.Array:
    target = ARROW_TYPES[column.type]
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values if values.type == target else values.cast(target)
    return pa.array(values, type=target)


def empty_table(contract: Contract) -> pa.Table:
    return build_table(contract, {c.name: pa.array([], ARROW_TYPES[c.type])
                                  for c in contract.columns})


def header_line(columns) -> bytes:
    return (",".join(columns) + "\n").encode()


def serialize(contract: Contract, table: pa.Table) -> bytes:
    """The data lines of ``table`` (no header), exactly as written to a landing file."""
    if table.num_rows == 0:
        return b""
    if contract.format == "csv":
        sink = io.BytesIO()
        pa_csv.write_csv(table, sink, pa_csv.WriteOptions(include_header=False,
                                                          quoting_style="none"))
        return sink.getvalue()
    return _jsonl(contract, table)


def _jsonl(contract: Contract, table: pa.Table) -> bytes:
    parts: list = []
    for position, column in enumerate(contract.columns):
        parts.append(("{" if position == 0 else ",") + json.dumps(column.name) + ":")
        parts.append(_json_texts(table.column(column.name).combine_chunks(), column))
    parts.append("}\n")
    lines = pc.binary_join_element_wise(*parts, "")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[
        lines.offset: lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[offsets[0]: offsets[-1]].tobytes()


def _json_texts(values: pa.Array, column: Column) -> pa.Array:
    text = values.cast(pa.string())
    if column.type == "string" and _needs_json_escaping(text):
        raise ValueError(f"column {column.name!r} holds a character that needs JSON escaping")
    if column.type in ("string", "date", "timestamp"):
        text = pc.binary_join_element_wise('"', text, '"', "")
    return pc.fill_null(text, "null")


def _needs_json_escaping(text: pa.Array) -> bool:
    """Whether any value holds a quote, backslash or control character (a byte scan of the
    values buffer: no value is written escaped, so none may need it)."""
    data = text.buffers()[2]
    if data is None:
        return False
    raw = np.frombuffer(data, dtype=np.uint8)
    return bool(((raw == ord('"')) | (raw == ord("\\")) | (raw < 0x20)).any())


def line_starts(data: bytes) -> np.ndarray:
    """Byte offset of the start of every line, plus the end of the data."""
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")) + 1
    return np.r_[0, ends].astype(np.int64)


def text_of(value) -> str:
    """How a single CSV field renders a Python value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class CsvCodec:
    """Reads and writes one CSV data line as a ``{column: text or None}`` record."""

    def __init__(self, columns) -> None:
        self.columns = tuple(columns)

    def parse(self, line: bytes) -> dict:
        fields = next(csv.reader([line.decode("utf-8").rstrip("\n")]))
        return {name: (field if field != "" else None) for name, field in zip(self.columns, fields,
                                                                                strict=True)}

    def encode(self, record: Mapping) -> bytes:
        sink = io.StringIO()
        csv.writer(sink, lineterminator="\n").writerow([text_of(record[c]) for c in self.columns])
        return sink.getvalue().encode("utf-8")


class JsonCodec:
    """Reads and writes one JSON line as a ``{column: value}`` record."""

    def __init__(self, columns) -> None:
        self.columns = tuple(columns)

    def parse(self, line: bytes) -> dict:
        return json.loads(line)

    def encode(self, record: Mapping) -> bytes:
        ordered = {c: record[c] for c in self.columns}
        return (json.dumps(ordered, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def codec_for(contract: Contract) -> CsvCodec | JsonCodec:
    return (CsvCodec if contract.format == "csv" else JsonCodec)(contract.column_names)
