"""Stream the customer keys of a segment to CSV, a chunk of keys at a time."""

from __future__ import annotations

import csv
import io
import os
from typing import IO

import pyarrow as pa
from pyroaring import AbstractBitMap

from profilehub.segments.bitmaps import id_numpy
from profilehub.segments.layout import CUSTOMER_KEY

CsvTarget = str | os.PathLike | IO[str] | IO[bytes]
CHUNK_ROWS = 65_536


def write_members_csv(keys: pa.Array, members: AbstractBitMap, target: CsvTarget) -> int:
    """Write a ``customer_key`` header then one key per member, in id order; return the rows.

    ``target`` is a path (created or replaced) or an open text or binary stream, which is
    left open.
    """
    if isinstance(target, str | os.PathLike):
        with open(target, "w", newline="", encoding="utf-8") as stream:
            return _write(keys, members, stream)
    if not _is_binary(target):
        return _write(keys, members, target)
    text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
    try:
        return _write(keys, members, text)
    finally:
        text.detach()  # hand the caller's stream back open


def _is_binary(stream: IO) -> bool:
    return isinstance(stream, io.RawIOBase | io.BufferedIOBase) or "b" in getattr(
        stream, "mode", "")


def _write(keys: pa.Array, members: AbstractBitMap, stream: IO[str]) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([CUSTOMER_KEY])
    for start in range(0, len(members), CHUNK_ROWS):
        chunk = id_numpy(members[start:start + CHUNK_ROWS])
        writer.writerows([key] for key in keys.take(chunk).to_pylist())
    return len(members)
