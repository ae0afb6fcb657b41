"""The append-only audit log: one JSON line per request, whatever became of it.

Each line names the key, role and purpose, the operation and the fields asked for, the
customers touched and the decision (``allowed``, ``partial``, ``refused``) with its reasons.
Lines are only ever appended (``O_APPEND``), one ``write`` each, under the data root.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from profilehub.settings import Settings

AUDIT_FILE = "audit.jsonl"
ALLOWED, PARTIAL, REFUSED = "allowed", "partial", "refused"


@dataclass
class AuditEntry:
    key_id: str | None
    role: str | None
    purpose: str | None
    operation: str = ""
    fields: list[str] = field(default_factory=list)
    customers: set[str] = field(default_factory=set)
    decision: str = ALLOWED
    reasons: list[str] = field(default_factory=list)

    def refuse(self, reason: str) -> None:
        self.reasons.append(reason)

    def to_json(self) -> str:
        # The fields by hand, not dataclasses.asdict: that deep-copies every list and set
        # first, a third of the cost of a line.
        document = {"at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                    "key_id": self.key_id, "role": self.role, "purpose": self.purpose,
                    "operation": self.operation, "fields": list(self.fields),
                    "customers": sorted(self.customers), "decision": self.decision,
                    "reasons": list(self.reasons)}
        return json.dumps(document, sort_keys=True)


def audit_path(settings: Settings) -> Path:
    return settings.paths.api / AUDIT_FILE


class AuditLog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._lock = threading.Lock()

    @classmethod
    def of(cls, settings: Settings) -> AuditLog:
        return cls(audit_path(settings))

    def append(self, entry: AuditEntry) -> None:
        line = (entry.to_json() + "\n").encode("utf-8")
        with self._lock:
            os.write(self._fd, line)

    def read(self) -> list[dict]:
        with self.path.open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]

    def close(self) -> None:
        os.close(self._fd)
