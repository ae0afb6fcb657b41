"""Where federated training keeps things under the data root (``settings.paths.federated``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from profilehub.settings import Settings


def partitions_dir(settings: Settings, as_of: dt.date) -> Path:
    return settings.paths.federated / "partitions" / f"as_of={as_of.isoformat()}"


def flwr_home(settings: Settings, process: str) -> Path:
    """A Flower process's own ``FLWR_HOME`` (``superlink``, ``supernode-<i>`` or ``cli``)."""
    return settings.paths.federated / "flwr" / process


def runs_dir(settings: Settings) -> Path:
    return settings.paths.federated / "runs"


def registry_dir(settings: Settings) -> Path:
    return settings.paths.federated / "registry"


def results_dir(settings: Settings) -> Path:
    """Per-round AUC tables and plots: federated vs centralised vs each partner alone."""
    return settings.paths.federated / "results"


def scores_dir(settings: Settings) -> Path:
    """Batch scores per model and as_of: the feature store's offline snapshot source."""
    return settings.paths.feast / "offline" / "model_scores"
