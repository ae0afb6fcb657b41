"""Federated models without a deployment: synthetic partner data, the app's own client and
strategy run in process (``federated.in_process``), and the run recorded and registered by the
pipeline's own ``record`` (results table, baselines, registry).

The same path as ``make run`` after the federation itself: what a SuperLink would have left in
the run folder (``outcome.json``, ``parameters.npz``) is written by ``write_outcome`` from the
in-process round log. No SecAgg+ (it needs the message protocol), which the registry records.
"""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pandas as pd

from federated import pipeline
from federated.in_process import federate_in_process
from federated.layout import partitions_dir, runs_dir
from federated.outcome import read_outcome, write_outcome
from federated.partition_files import PartitionManifest
from federated.partitions import LAKE_SOURCE, prepare_partitions
from federated.run_config import RunConfig
from federated.task import KEY_COLUMN, LABELS
from profilehub.settings import Settings

ROWS = 1500


def synthetic(rows: int = ROWS, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Customers ``CK<i:020x>`` for i < rows (the tiny feature store's customers among them)
    whose labels follow two of their features, in mixes of city and tier."""
    rng = np.random.default_rng(seed)
    keys = [f"CK{i:020x}" for i in range(rows)]
    signal, other = rng.normal(size=rows), rng.normal(size=rows)
    features = pd.DataFrame({
        KEY_COLUMN: keys, "activity": np.exp(signal), "drawdown_sell_share": other,
        "noise": rng.normal(size=rows), "vip": rng.random(rows) < 0.1,
        "city": rng.choice(["上海", "北京", "深圳"], size=rows)})
    labels = pd.DataFrame({
        KEY_COLUMN: keys,
        LABELS["churn"]: (signal + 0.5 * rng.normal(size=rows) < -1).astype(int),
        LABELS["panic_sell"]: (other + 0.5 * rng.normal(size=rows) > 1).astype(int),
        "home_city": features["city"], "asset_tier": rng.choice(["mass", "hnw"], size=rows)})
    return features, labels


def prepare(settings: Settings, as_of: dt.date, features: pd.DataFrame, labels: pd.DataFrame
            ) -> PartitionManifest:
    return prepare_partitions(features, labels, partitions_dir(settings, as_of), as_of=as_of,
                              source=LAKE_SOURCE, num_partitions=3, seed=7)


def train_in_process(settings: Settings, manifest: PartitionManifest, model: str,
                     rounds: int = 2) -> pipeline.TrainedModel:
    """Federate ``model`` in process and register it, as ``pipeline.train`` does after a
    deployment's run."""
    run = f"in-process-{model}-{uuid.uuid4().hex[:8]}"
    config = RunConfig(model=model, num_server_rounds=rounds, secagg=False,
                       partitions_dir=manifest.folder, output_dir=str(runs_dir(settings) / run))
    round_log = federate_in_process(manifest, config)
    outcome = read_outcome(write_outcome(config, manifest, round_log).parent)
    return pipeline.record(settings, outcome, manifest)
