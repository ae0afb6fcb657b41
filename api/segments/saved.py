"""Marketing's saved segments: named, versioned definitions, re-evaluated on each served as_of.

Every save appends a line to ``saved_segments.jsonl`` under the data root; a name's current
definition is its last line. Saving a changed expression makes a new version; saving the same
one again keeps the version.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from api.errors import ApiError
from profilehub.settings import Settings

SAVED_FILE = "saved_segments.jsonl"
NAME = re.compile(r"[a-z0-9][a-z0-9_\-]{0,63}")


@dataclass(frozen=True)
class SavedDefinition:
    name: str
    version: int
    expression: str
    saved_by: str
    saved_at: str


class SavedSegments:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def of(cls, settings: Settings) -> SavedSegments:
        return cls(settings.paths.api / SAVED_FILE)

    def current(self) -> dict[str, SavedDefinition]:
        latest: dict[str, SavedDefinition] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    definition = SavedDefinition(**json.loads(line))
                    latest[definition.name] = definition
        return latest

    def save(self, name: str, expression: str, saved_by: str) -> SavedDefinition:
        if not NAME.fullmatch(name):
            raise ApiError(f"segment name {name!r}: lower-case letters, digits, _ and -, "
                           f"at most 64, starting with a letter or digit")
        with self._lock:
            earlier = self.current().get(name)
            if earlier is not None and earlier.expression == expression:
                return earlier
            definition = SavedDefinition(
                name, (earlier.version + 1) if earlier else 1, expression, saved_by,
                datetime.now(UTC).isoformat(timespec="seconds"))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as lines:
                lines.write(json.dumps(asdict(definition), sort_keys=True) + "\n")
            return definition
