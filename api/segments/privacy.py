"""Small-group protection of segment answers given to partners.

A count below k (``settings.api.k_threshold``) is suppressed, and so are its members. An answer
whose members differ from one of the same key's earlier answers by fewer than k customers (but
not by none) is refused: the difference of two overlapping segments would isolate a person
("A" and "A AND NOT x" differ by the one customer with x).
"""

from __future__ import annotations

import threading
from collections import deque

from pyroaring import BitMap, FrozenBitMap

from api.errors import PrivacyRefused

HISTORY_PER_KEY = 256


class DifferenceGuard:
    def __init__(self, k: int, history: int = HISTORY_PER_KEY) -> None:
        self.k = k
        self._history: dict[str, deque[FrozenBitMap]] = {}
        self._size = history
        self._lock = threading.Lock()

    def admit(self, key_id: str, members: BitMap) -> bool:
        """Whether the count may be shown (True) or is suppressed (False); raises
        PrivacyRefused for an answer that isolates fewer than k customers by difference."""
        if len(members) < self.k:
            return False
        with self._lock:
            answered = self._history.setdefault(key_id, deque(maxlen=self._size))
            for earlier in answered:
                difference = members.symmetric_difference_cardinality(earlier)
                if 0 < difference < self.k:
                    raise PrivacyRefused(
                        f"refused: this segment differs from one you asked before by fewer than "
                        f"{self.k} customers, which could single people out")
            answered.append(FrozenBitMap(members))
        return True
