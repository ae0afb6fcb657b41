"""Conversions between numpy id arrays and roaring bitmaps, in one place."""

from __future__ import annotations

from array import array

import numpy as np
from pyroaring import BitMap, FrozenBitMap

EMPTY = FrozenBitMap()


def id_array(ids: np.ndarray) -> array:
    """uint32 ids as array('I'): the argument type pyroaring bulk-adds in C."""
    sorted_ids = np.sort(np.asarray(ids, dtype=np.uint32))  # sorted input fills containers fast
    buffer = array("I")
    buffer.frombytes(sorted_ids.tobytes())
    return buffer


def frozen_bitmap(ids: np.ndarray) -> FrozenBitMap:
    return FrozenBitMap(id_array(ids)) if len(ids) else EMPTY


def mutable_bitmap(ids: np.ndarray) -> BitMap:
    return BitMap(id_array(ids))


def union(bitmaps: list[FrozenBitMap]) -> FrozenBitMap:
    return FrozenBitMap.union(EMPTY, *bitmaps)


def id_numpy(bitmap: BitMap | FrozenBitMap) -> np.ndarray:
    return np.frombuffer(bitmap.to_array(), dtype=np.uint32)
