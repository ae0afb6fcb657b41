"""Partner partitions from the profile: what each simulated partner institution holds.

ProfileHub plays every partner on one machine, so one point-in-time feature table (the
``training_v1`` feature service, or ``lake.customer_features`` where no marts were built) is
labelled with the generator's planted ground truth and split:

- a holdout (``holdout.parquet``) every model is judged on: federated, centralised (all training
  rows pooled) and each partner alone;
- ``partition-<i>.parquet`` for partner ``i``: non-IID, because each (home city, asset tier)
  group of customers is spread over the partners by weights drawn from a Dirichlet
  distribution, so partners differ in size, customer mix and label rates, deterministically
  for a seed.

Features are encoded once here into the float columns every partner agrees on
(``federated.encoding``, the spec kept in ``manifest.json`` for scoring).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from federated.encoding import EncodingSpec
from federated.layout import features_snapshot
from federated.partition_files import (
    HOLDOUT_FILE,
    MANIFEST_FILE,
    PartitionManifest,
    partition_file,
)
from federated.task import KEY_COLUMN, LABELS
from profilehub.catalog import load_features as feature_catalog
from profilehub.catalog.model import PARTNER_SOURCES
from profilehub.files import write_file_atomically
from profilehub.generator.truth import CUSTOMERS_FILE
from profilehub.settings import Settings
from spark.features.plan import FEATURE_TABLE
from spark.identity.tables import CUSTOMER_ACCOUNTS

# Ground-truth flags behind each model's label.
TRUTH_FLAGS = {LABELS["churn"]: "is_churner", LABELS["panic_sell"]: "is_panic_seller"}
# What decides a customer's partner: customers of one group share the group's partner mix.
MIX_COLUMNS = ("home_city", "asset_tier")
MIX_PREFIX = "truth_"
# Smaller is more skewed: at 0.5 most groups sit mostly with one or two partners.
DIRICHLET_ALPHA = 0.5
HOLDOUT_SHARE = 0.25
# Feature sources: a feature service of the feature store, or the lake's feature table.
LAKE_SOURCE = "lake"


def load_features(settings: Settings, as_of: dt.date, source: str, *, reuse: bool = False
                  ) -> pd.DataFrame:
    """One row per customer of ``as_of``: ``customer_key`` and the source's features.

    ``training_v1`` (or another feature service) asks the feature store point-in-time for the
    instant the as_of was complete, and keeps the answer (``features_snapshot``): with ``reuse``
    a kept answer is read back instead of asked again (a point-in-time retrieval over the file
    offline store takes about a minute at 20k customers; scoring each model would repeat it).
    ``lake`` reads ``lake.customer_features`` directly (for data without built marts: the
    feature columns the tags are computed from), less the partner-derived ones.
    """
    if source == LAKE_SOURCE:
        folder = settings.paths.lake / FEATURE_TABLE / f"as_of={as_of.isoformat()}"
        features = pq.read_table(folder).to_pandas().drop(columns=["as_of"], errors="ignore")
        return features.drop(columns=partner_derived_features())
    snapshot = features_snapshot(settings, as_of, source)
    if reuse and snapshot.exists():
        return pd.read_parquet(snapshot)
    from profilehub.feature_store import get_store, training_set
    from profilehub.feature_store.marts import as_of_complete_at

    keys = customer_keys(settings, as_of)
    requests = pd.DataFrame({KEY_COLUMN: keys, "event_timestamp": as_of_complete_at(as_of)})
    features = training_set(get_store(settings), requests, source).drop(
        columns=["event_timestamp"])
    write_file_atomically(snapshot, lambda staging: features.to_parquet(staging, index=False))
    return features


def partner_derived_features() -> list[str]:
    """Feature columns computed from partner sources. The lake holds them for every customer,
    consent or not (consent gates the tags built from them), so a federation over the lake
    leaves them out; a feature service serves only consented partner-derived values."""
    return [feature.name for feature in feature_catalog()
            if PARTNER_SOURCES.intersection(feature.sources)]


def customer_keys(settings: Settings, as_of: dt.date) -> list[str]:
    accounts = pq.read_table(_accounts_partition(settings, as_of), columns=[KEY_COLUMN])
    return sorted(set(accounts.column(KEY_COLUMN).to_pylist()))


def _accounts_partition(settings: Settings, as_of: dt.date) -> Path:
    return settings.paths.lake / CUSTOMER_ACCOUNTS.name / f"as_of={as_of.isoformat()}"


def customer_labels(settings: Settings, as_of: dt.date) -> pd.DataFrame:
    """Per customer_key: the planted label flags and the mix columns, from the ground truth.

    Accounts map to customers through the identity table of ``as_of``; a customer of several
    accounts is a churner (panic seller) when any of them is.
    """
    truth = pd.read_parquet(settings.paths.ground_truth / CUSTOMERS_FILE,
                            columns=["account_id", *TRUTH_FLAGS.values(), *MIX_COLUMNS])
    accounts = pq.read_table(_accounts_partition(settings, as_of),
                             columns=["account_id", KEY_COLUMN]).to_pandas()
    joined = accounts.merge(truth, on="account_id", how="inner")
    aggregations = {label: (flag, "max") for label, flag in TRUTH_FLAGS.items()}
    aggregations |= {column: (column, "first") for column in MIX_COLUMNS}
    labels = joined.sort_values("account_id").groupby(KEY_COLUMN, as_index=False).agg(
        **aggregations)
    return labels.astype({label: np.int64 for label in TRUTH_FLAGS})


def assign_partners(mix: pd.DataFrame, num_partitions: int, seed: int) -> np.ndarray:
    """A partner per row: each mix group's customers drawn by its own Dirichlet weights."""
    rng = np.random.default_rng(seed)
    groups = mix.astype(str).agg("|".join, axis=1)
    partner = np.empty(len(mix), dtype=np.int64)
    for group in sorted(groups.unique()):
        rows = np.flatnonzero((groups == group).to_numpy())
        weights = rng.dirichlet(np.full(num_partitions, DIRICHLET_ALPHA))
        partner[rows] = rng.choice(num_partitions, size=len(rows), p=weights)
    return partner


def holdout_mask(keys: pd.Series, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, 1])
    return rng.random(len(keys)) < HOLDOUT_SHARE


def prepare_partitions(features: pd.DataFrame, labels: pd.DataFrame, out_dir: Path, *,
                       as_of: dt.date, source: str, num_partitions: int, seed: int
                       ) -> PartitionManifest:
    """Encode, label and split a feature table into the holdout and partner partitions."""
    if num_partitions < 2:
        raise ValueError("a federation needs at least 2 partners")
    # The truth's mix columns get names of their own: a feature service may well serve a tag
    # of the same name (training_v1 has asset_tier), and that one stays a model input.
    mix = {column: f"{MIX_PREFIX}{column}" for column in MIX_COLUMNS}
    frame = features.merge(labels.rename(columns=mix), on=KEY_COLUMN, how="inner",
                           validate="one_to_one")
    frame = frame.sort_values(KEY_COLUMN, ignore_index=True)
    model_inputs = frame.drop(columns=[KEY_COLUMN, *TRUTH_FLAGS, *mix.values(), "as_of",
                                       "event_timestamp"], errors="ignore")
    spec = EncodingSpec.fit(model_inputs)
    encoded = pd.concat([frame[[KEY_COLUMN, *TRUTH_FLAGS]], spec.encode(model_inputs)], axis=1)
    in_holdout = holdout_mask(frame[KEY_COLUMN], seed)
    partner = assign_partners(frame[list(mix.values())], num_partitions, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = {HOLDOUT_FILE: encoded[in_holdout]}
    parts |= {partition_file(i): encoded[~in_holdout & (partner == i)]
              for i in range(num_partitions)}
    for name, part in parts.items():
        part.to_parquet(out_dir / name, index=False)
    manifest = PartitionManifest(
        folder=str(out_dir), as_of=as_of.isoformat(), source=source,
        num_partitions=num_partitions, seed=seed,
        rows={name: len(part) for name, part in parts.items()},
        positive_rates={name: {label: round(float(part[label].mean()), 4) for label in TRUTH_FLAGS}
                        for name, part in parts.items()},
        encoding=asdict(spec))
    (out_dir / MANIFEST_FILE).write_text(json.dumps(asdict(manifest), indent=2))
    return manifest

