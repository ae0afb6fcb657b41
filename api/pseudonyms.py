"""Partner-scoped pseudonymous ids: what a partner sees instead of ``customer_key``.

An id is a keyed HMAC of partner and customer (key from settings, apart from the PII key), so
two partners' ids of one customer cannot be joined, and without the key no id leads back to a
customer. The API resolves a partner's id through a reverse map of the served customers, built
on a partner's first request.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable, Sequence

PREFIX = "p_"
DIGEST_CHARS = 32


class Pseudonyms:
    def __init__(self, key: bytes, customer_keys: Callable[[], Sequence[str]]) -> None:
        self._key = key
        self._customer_keys = customer_keys
        self._reverse: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def of(self, partner_id: str, customer_key: str) -> str:
        message = f"{partner_id}:{customer_key}".encode()
        return PREFIX + hmac.new(self._key, message, hashlib.sha256).hexdigest()[:DIGEST_CHARS]

    def resolve(self, partner_id: str, pseudonym: str) -> str | None:
        """The customer_key behind a partner's id, or None when it names no served customer."""
        return self._reverse_map(partner_id).get(pseudonym)

    def forget(self) -> None:
        """Drop the reverse maps: the served customers changed."""
        with self._lock:
            self._reverse.clear()

    def _reverse_map(self, partner_id: str) -> dict[str, str]:
        with self._lock:
            if partner_id not in self._reverse:
                self._reverse[partner_id] = {
                    self.of(partner_id, key): key for key in self._customer_keys()}
            return self._reverse[partner_id]
