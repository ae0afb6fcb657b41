"""Which as_of the API serves: one pointer file, switched atomically, and a history of switches.

``published/published.json`` names the served as_of. It is replaced in one ``os.replace`` of a
fully written and synced temporary file, so a reader sees the old pointer or the new one, never
half of one. Only a run whose gates all passed may publish (:func:`publish` checks their
reports for the same run), so a failed run never reaches users. Every publication is appended
to ``published/history.jsonl``.

An as_of older than the one served (a backfill) is recorded in the history but does not move
the pointer back: the API keeps serving the newest complete profile.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from profilehub.files import write_text_atomically
from profilehub.gates import GATES, require_passed
from profilehub.settings import Settings

POINTER_FILE = "published.json"
HISTORY_FILE = "history.jsonl"
# Names of the Airflow assets a publication updates, for DAGs scheduled on them (e.g. the
# federated training DAG). The as_of travels in the asset event's extra.
PUBLISHED_PROFILE_ASSET = "profilehub/published_profile"
OFFLINE_FEATURES_ASSET = "profilehub/offline_features"
PUBLISHED_ASSETS = (PUBLISHED_PROFILE_ASSET, OFFLINE_FEATURES_ASSET)


@dataclass(frozen=True)
class Publication:
    as_of: date
    run_id: str
    published_at: datetime
    # False for a backfill: recorded, but an as_of at least as new was already served.
    served: bool

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "as_of": self.as_of.isoformat(),
                           "published_at": self.published_at.isoformat()}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Publication:
        raw = json.loads(text)
        return cls(as_of=date.fromisoformat(raw["as_of"]), run_id=raw["run_id"],
                   published_at=datetime.fromisoformat(raw["published_at"]),
                   served=raw["served"])


def pointer_path(settings: Settings) -> Path:
    return settings.paths.published / POINTER_FILE


def history_path(settings: Settings) -> Path:
    return settings.paths.published / HISTORY_FILE


def read_published(settings: Settings) -> Publication | None:
    """The publication the API serves now, or None before the first one."""
    path = pointer_path(settings)
    return Publication.from_json(path.read_text(encoding="utf-8")) if path.exists() else None


def history(settings: Settings) -> list[Publication]:
    """Every publication, oldest first."""
    path = history_path(settings)
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Publication.from_json(line) for line in lines if line.strip()]


def published_dates(settings: Settings) -> set[date]:
    """Every as_of that was ever published (served or backfilled)."""
    return {publication.as_of for publication in history(settings)}


def publish(settings: Settings, as_of: date, run_id: str, *,
            now: datetime | None = None) -> Publication:
    """Record ``as_of`` as published by ``run_id`` and serve it unless a newer as_of is served.

    Raises :class:`profilehub.gates.GateFailed` (nothing written) unless every gate of this
    run passed for ``as_of``.
    """
    for gate in GATES:
        require_passed(settings, gate, as_of, run_id)
    current = read_published(settings)
    publication = Publication(as_of=as_of, run_id=run_id,
                              published_at=now or datetime.now(UTC),
                              served=current is None or as_of >= current.as_of)
    settings.paths.published.mkdir(parents=True, exist_ok=True)
    if publication.served:
        write_text_atomically(pointer_path(settings), publication.to_json() + "\n")
    with history_path(settings).open("a", encoding="utf-8") as log:
        log.write(publication.to_json() + "\n")
        log.flush()
        os.fsync(log.fileno())
    return publication

