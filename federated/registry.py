"""The model registry: versioned artefacts of trained models, with what produced them.

``<registry>/<model>/v<N>/`` holds ``parameters.npz`` (the logistic regression), the feature
encoding it reads (``encoding.json``) and ``metadata.json``: metrics, the data's ``as_of`` and
source (feature service and its version), the strategy, the SecAgg+ and DP settings with the
(ε, δ) achieved, and the run it came from. Versions only grow; nothing is overwritten.

Reading the registry (``load_model``, ``registered_models``) needs neither Flower nor the
training code: the API lists models without importing them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from federated.outcome import RunOutcome
    from federated.partition_files import PartitionManifest

METADATA_FILE = "metadata.json"
ENCODING_FILE = "encoding.json"
# The run's final parameters, under this name in a run folder and in a registered version
# (``federated.outcome`` writes it; spelled here so reading the registry imports no Flower).
PARAMETERS_FILE = "parameters.npz"
VERSION_PATTERN = re.compile(r"^v(\d+)$")
MODEL_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
NAME_PATTERN = re.compile(r"^(?P<model>[a-z][a-z0-9_]*)@v(?P<version>\d+)$")


def parse_name(name: str) -> tuple[str, int]:
    """``(model, version)`` of a provenance text ``<model>@v<N>``."""
    match = NAME_PATTERN.match(name)
    if match is None:
        raise ValueError(f"{name!r} is not a registered model version (<model>@v<N>)")
    return match["model"], int(match["version"])


@dataclass(frozen=True)
class RegisteredModel:
    model: str
    version: int
    folder: Path
    metadata: dict

    @property
    def name(self) -> str:
        """``<model>@v<N>``: the provenance a score carries."""
        return f"{self.model}@v{self.version}"

    def parameters(self) -> list[np.ndarray]:
        with np.load(self.folder / PARAMETERS_FILE) as stored:
            return [stored["coef"], stored["intercept"]]

    def encoding(self) -> dict:
        return json.loads((self.folder / ENCODING_FILE).read_text())


def _versions(folder: Path) -> list[int]:
    if not folder.is_dir():
        return []
    return sorted(int(match.group(1)) for child in folder.iterdir()
                  if (match := VERSION_PATTERN.match(child.name)))


def register_model(registry: Path, outcome: RunOutcome, manifest: PartitionManifest,
                   metrics: dict[str, float]) -> RegisteredModel:
    """Copy a run's final model into the next version of its model's folder."""
    config = outcome.run_config
    model_folder = registry / config.model
    version = (_versions(model_folder) or [0])[-1] + 1
    target = model_folder / f"v{version}"
    target.mkdir(parents=True)
    shutil.copy2(Path(outcome.folder) / PARAMETERS_FILE, target / PARAMETERS_FILE)
    (target / ENCODING_FILE).write_text(json.dumps(manifest.encoding, indent=2))
    metadata = {
        "model": config.model, "version": version,
        "registered_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "algorithm": "logistic regression (scikit-learn), federated",
        "metrics": metrics,
        "auc_by_round": outcome.auc_by_round,
        "data": {"as_of": manifest.as_of, "source": manifest.source,
                 "partitions": manifest.num_partitions, "rows": manifest.rows,
                 "seed": manifest.seed},
        "strategy": config.strategy, "rounds": config.num_server_rounds,
        "local_epochs": config.local_epochs,
        "secagg": {"enabled": config.secagg, "num_shares": config.secagg_num_shares,
                   "reconstruction_threshold": config.secagg_reconstruction_threshold},
        "privacy": outcome.privacy,
        "run": outcome.folder,
    }
    (target / METADATA_FILE).write_text(json.dumps(metadata, indent=2, default=float))
    return RegisteredModel(config.model, version, target, metadata)


def load_model(registry: Path, model: str, version: int | None = None) -> RegisteredModel:
    """A registered version (the latest when ``version`` is None)."""
    versions = _versions(registry / model)
    if not versions:
        raise FileNotFoundError(f"no registered versions of {model} in {registry}")
    version = versions[-1] if version is None else version
    folder = registry / model / f"v{version}"
    metadata = json.loads((folder / METADATA_FILE).read_text())
    return RegisteredModel(model, version, folder, metadata)


def registered_models(registry: Path, model: str | None = None) -> list[RegisteredModel]:
    """Every registered version (of ``model`` only, when given), by model name then version;
    an empty list when nothing is registered yet."""
    if model is not None and not MODEL_PATTERN.match(model):
        raise ValueError(f"{model!r} is not a model name")
    if not registry.is_dir():
        return []
    names = [model] if model is not None else sorted(
        child.name for child in registry.iterdir() if child.is_dir())
    return [load_model(registry, name, version)
            for name in names for version in _versions(registry / name)]
