"""Where segment indexes live and what a persisted index folder holds.

One folder per as_of::

    manifest.json       as_of, customer count, per tag: kind, version and where its data is
    customers.arrow     sorted customer_key (Arrow IPC file); a customer's id is its row number
    bitmaps.bin         pyroaring-serialised bitmaps, back to back; the manifest holds offsets
    score_values.npy    per score tag, its scores ascending (float64) ...
    score_ids.npy       ... and the customer id of each score (uint32), same order
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from profilehub.segments.kinds import TagKind
from profilehub.settings import get_settings

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CUSTOMERS = "customers.arrow"
BITMAPS = "bitmaps.bin"
SCORE_VALUES = "score_values.npy"
SCORE_IDS = "score_ids.npy"
CUSTOMER_KEY = "customer_key"


def segments_root() -> Path:
    """Data-root folder of all segment indexes (to move into settings.paths once agreed)."""
    return get_settings().paths.root / "segments"


def index_folder(as_of: date) -> Path:
    return segments_root() / f"as_of={as_of.isoformat()}"


@dataclass(frozen=True)
class BitmapRef:
    """Byte range of one serialised bitmap inside bitmaps.bin."""

    offset: int
    length: int


@dataclass(frozen=True)
class ScoreLayout:
    """Rows [start, stop) of the score arrays belong to the tag; ``bins`` cover them in runs of
    ``bin_size`` rows (the last run may be shorter), each as a bitmap of its customer ids."""

    start: int
    stop: int
    bin_size: int
    bins: tuple[BitmapRef, ...]


@dataclass(frozen=True)
class TagEntry:
    kind: TagKind
    version: int | None  # None: the tag has no row in this as_of
    presence: BitmapRef
    labels: dict[str, BitmapRef] = field(default_factory=dict)
    scores: ScoreLayout | None = None


@dataclass(frozen=True)
class Manifest:
    as_of: date
    customers: int
    tags: dict[str, TagEntry]

    def to_json(self) -> str:
        return json.dumps({
            "format": FORMAT_VERSION,
            "as_of": self.as_of.isoformat(),
            "customers": self.customers,
            "tags": {tag: _entry_to_json(entry) for tag, entry in self.tags.items()},
        }, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        raw = json.loads(text)
        if raw.get("format") != FORMAT_VERSION:
            raise ValueError(f"segment index format {raw.get('format')!r}, "
                             f"this code reads format {FORMAT_VERSION}")
        return cls(as_of=date.fromisoformat(raw["as_of"]), customers=raw["customers"],
                   tags={tag: _entry_from_json(entry) for tag, entry in raw["tags"].items()})


def _entry_to_json(entry: TagEntry) -> dict:
    scores = None
    if entry.scores is not None:
        scores = {"start": entry.scores.start, "stop": entry.scores.stop,
                  "bin_size": entry.scores.bin_size,
                  "bins": [[ref.offset, ref.length] for ref in entry.scores.bins]}
    return {"kind": entry.kind.to_json(), "version": entry.version,
            "presence": [entry.presence.offset, entry.presence.length],
            "labels": {label: [ref.offset, ref.length] for label, ref in entry.labels.items()},
            "scores": scores}


def _entry_from_json(raw: dict) -> TagEntry:
    scores = raw["scores"]
    if scores is not None:
        scores = ScoreLayout(start=scores["start"], stop=scores["stop"],
                             bin_size=scores["bin_size"],
                             bins=tuple(BitmapRef(*ref) for ref in scores["bins"]))
    return TagEntry(kind=TagKind.from_json(raw["kind"]), version=raw["version"],
                    presence=BitmapRef(*raw["presence"]),
                    labels={label: BitmapRef(*ref) for label, ref in raw["labels"].items()},
                    scores=scores)
