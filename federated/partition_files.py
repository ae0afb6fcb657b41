"""The files a partner partition consists of, and the agreed feature encoding.

Light on purpose: the ClientApp and ServerApp import this (not ``federated.partitions``, which
reads the lake and the ground truth). A partition folder holds ``manifest.json``,
``holdout.parquet`` and ``partition-<i>.parquet``; features are the float columns every partner
agrees on (``federated.encoding``, kept in the manifest so scoring encodes the same way).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from federated.encoding import EncodingSpec

MANIFEST_FILE = "manifest.json"
HOLDOUT_FILE = "holdout.parquet"


def partition_file(index: int) -> str:
    return f"partition-{index}.parquet"


@dataclass(frozen=True)
class PartitionManifest:
    """What ``prepare_partitions`` wrote, for the run, the registry and scoring."""

    folder: str
    as_of: str
    source: str
    num_partitions: int
    seed: int
    rows: dict[str, int]
    positive_rates: dict[str, dict[str, float]]
    encoding: dict

    def path(self, name: str) -> Path:
        return Path(self.folder) / name

    @property
    def spec(self) -> EncodingSpec:
        from federated.encoding import EncodingSpec

        return EncodingSpec.from_json(self.encoding)

    @classmethod
    def read(cls, folder: Path | str) -> PartitionManifest:
        return cls(**json.loads((Path(folder) / MANIFEST_FILE).read_text()))
