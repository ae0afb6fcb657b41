"""Where federated training keeps things under the data root (``settings.paths.federated``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from profilehub.settings import Settings


def partitions_dir(settings: Settings, as_of: dt.date) -> Path:
    return settings.paths.federated / "partitions" / f"as_of={as_of.isoformat()}"


def features_snapshot(settings: Settings, as_of: dt.date, source: str) -> Path:
    """The point-in-time features of every customer of ``as_of`` that ``source`` (a feature
    service) served when the partitions were prepared; scoring reads them again from here."""
    return partitions_dir(settings, as_of) / f"features-{source}.parquet"


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


def score_tags_dir(settings: Settings) -> Path:
    """Score-tag rows (``fct_customer_tags``' shape) per model and as_of."""
    return settings.paths.federated / "score_tags"
