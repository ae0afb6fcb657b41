"""Read side of a persisted segment index: lazy, memory-mapped, loaded piece by piece.

Opening reads only the manifest. A bitmap is deserialised from the memory-mapped bitmaps.bin
the first time a query touches it and kept; score arrays and customer keys are memory-mapped
on first use, so a query only pages in what it reads.
"""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np
import pyarrow as pa
from pyroaring import FrozenBitMap

from profilehub.segments.bitmaps import EMPTY, frozen_bitmap, union
from profilehub.segments.layout import (
    BITMAPS,
    CUSTOMERS,
    MANIFEST,
    SCORE_IDS,
    SCORE_VALUES,
    BitmapRef,
    Manifest,
    ScoreLayout,
)


class IndexStore:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.manifest = Manifest.from_json((self.folder / MANIFEST).read_text())
        self.universe = FrozenBitMap(range(self.manifest.customers))
        self._bitmaps: dict[int, FrozenBitMap] = {}
        self._mapped: mmap.mmap | None = None
        self._keys: pa.Array | None = None
        self._score_values: np.ndarray | None = None
        self._score_ids: np.ndarray | None = None

    def close(self) -> None:
        if self._mapped is not None:
            self._mapped.close()
            self._mapped = None

    def bitmap(self, ref: BitmapRef) -> FrozenBitMap:
        cached = self._bitmaps.get(ref.offset)
        if cached is None:
            serialised = self._bitmap_bytes()[ref.offset:ref.offset + ref.length]
            cached = FrozenBitMap.deserialize(serialised)
            self._bitmaps[ref.offset] = cached
        return cached

    def presence(self, tag: str) -> FrozenBitMap:
        """Customers that have a row for the tag."""
        return self.bitmap(self.manifest.tags[tag].presence)

    def label(self, tag: str, label: str) -> FrozenBitMap:
        """Customers whose value of a boolean, category or bucket tag is ``label``."""
        ref = self.manifest.tags[tag].labels.get(label)
        return EMPTY if ref is None else self.bitmap(ref)

    def score_range(self, tag: str, low: float | None = None, high: float | None = None, *,
                    low_inclusive: bool = True, high_inclusive: bool = True) -> FrozenBitMap:
        """Customers whose score lies between the bounds (None: unbounded), exactly."""
        layout = self.manifest.tags[tag].scores
        values = self._values()[layout.start:layout.stop]
        begin = 0 if low is None else int(
            np.searchsorted(values, low, side="left" if low_inclusive else "right"))
        end = len(values) if high is None else int(
            np.searchsorted(values, high, side="right" if high_inclusive else "left"))
        if 2 * (end - begin) <= len(values):
            return self._score_rows(layout, begin, end)
        # A wide range is cheaper as what it leaves out: each customer has one score row.
        outside = union([self._score_rows(layout, 0, begin),
                         self._score_rows(layout, end, len(values))])
        return self.presence(tag) - outside

    def _score_rows(self, layout: ScoreLayout, begin: int, end: int) -> FrozenBitMap:
        # Whole bins inside [begin, end) come from their stored bitmaps; only the partial bins
        # at both edges are built from ids, so the cost is bounded by two bins.
        if begin >= end:
            return EMPTY
        ids = self._ids()[layout.start:layout.stop]
        size, rows = layout.bin_size, layout.stop - layout.start
        first = -(-begin // size)
        last = len(layout.bins) if end == rows else end // size
        if first >= last:
            return frozen_bitmap(ids[begin:end])
        edges = np.concatenate((ids[begin:first * size], ids[min(last * size, rows):end]))
        whole = [self.bitmap(ref) for ref in layout.bins[first:last]]
        return union([*whole, frozen_bitmap(edges)])

    def customer_keys(self) -> pa.Array:
        """customer_key by id (row number), memory-mapped."""
        if self._keys is None:
            reader = pa.ipc.open_file(pa.memory_map(str(self.folder / CUSTOMERS)))
            self._keys = reader.read_all().column(0).combine_chunks()
        return self._keys

    def _bitmap_bytes(self) -> mmap.mmap | bytes:
        if self._mapped is None:
            with open(self.folder / BITMAPS, "rb") as file:
                if file.seek(0, 2) == 0:
                    return b""
                self._mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        return self._mapped

    def _values(self) -> np.ndarray:
        if self._score_values is None:
            self._score_values = np.load(self.folder / SCORE_VALUES, mmap_mode="r")
        return self._score_values

    def _ids(self) -> np.ndarray:
        if self._score_ids is None:
            self._score_ids = np.load(self.folder / SCORE_IDS, mmap_mode="r")
        return self._score_ids
