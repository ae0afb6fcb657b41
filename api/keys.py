"""API keys: random secrets handed out once, stored only as SHA-256 hashes, each bound to a role.

A key reads ``ph_<key id>_<secret>``; the key id finds the stored record, the hash of the whole
key proves it. The store is one JSON file under the data root (``settings.paths.api``), written
atomically; a serving process rereads it when it changes, so a key created from the command
line works without a restart. The secrets carry 256 bits, so a fast hash suffices (no KDF).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from api.roles import DEMO_ROLES, Role
from profilehub.files import write_text_atomically
from profilehub.settings import Settings

KEYS_FILE = "keys.json"
PREFIX = "ph"


@dataclass(frozen=True)
class StoredKey:
    key_id: str
    role: str
    sha256: str
    created_at: str
    label: str = ""


@dataclass(frozen=True)
class Principal:
    """An authenticated caller."""

    key_id: str
    role: Role


def keys_path(settings: Settings) -> Path:
    return settings.paths.api / KEYS_FILE


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._keys: dict[str, StoredKey] = {}

    @classmethod
    def of(cls, settings: Settings) -> KeyStore:
        return cls(keys_path(settings))

    def stored(self) -> list[StoredKey]:
        self._reload()
        return list(self._keys.values())

    def create(self, role: Role, label: str = "") -> str:
        """A new key for ``role``; the returned text is shown once and never stored."""
        key_id, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
        key = f"{PREFIX}_{key_id}_{secret}"
        stored = StoredKey(key_id, str(role), _digest(key),
                           datetime.now(UTC).isoformat(timespec="seconds"), label)
        self._write([*self.stored(), stored])
        return key

    def revoke(self, key_id: str) -> bool:
        kept = [key for key in self.stored() if key.key_id != key_id]
        removed = len(kept) != len(self._keys)
        self._write(kept)
        return removed

    def authenticate(self, key: str | None) -> Principal | None:
        """The principal of a presented key, or None for a missing, unknown or wrong key."""
        if not key:
            return None
        prefix, _, rest = key.partition("_")
        key_id = rest.partition("_")[0]
        self._reload()
        stored = self._keys.get(key_id)
        if prefix != PREFIX or stored is None:
            return None
        if not hmac.compare_digest(stored.sha256, _digest(key)):
            return None
        return Principal(key_id, Role.parse(stored.role))

    def _reload(self) -> None:
        try:
            status = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._keys = None, {}
            return
        stamp = (status.st_mtime_ns, status.st_size)
        if stamp != self._stamp:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self._keys = {item["key_id"]: StoredKey(**item) for item in raw["keys"]}
            self._stamp = stamp

    def _write(self, keys: list[StoredKey]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        document = {"keys": [asdict(key) for key in keys]}
        write_text_atomically(self.path, json.dumps(document, indent=1) + "\n")
        self.path.chmod(0o600)
        self._stamp = None


DEMO_LABEL = "demo"


def ensure_demo_keys(settings: Settings) -> dict[str, str]:
    """One fresh demo key per role (``make run`` prints them); earlier demo keys are revoked,
    since a hashed store cannot give their text back."""
    store = KeyStore.of(settings)
    for key in store.stored():
        if key.label == DEMO_LABEL:
            store.revoke(key.key_id)
    return {str(role): store.create(role, DEMO_LABEL) for role in DEMO_ROLES}
