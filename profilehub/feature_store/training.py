"""Point-in-time correct training sets from a feature service.

Labels are rows of ``customer_key`` and ``event_timestamp`` (the instant the label is about)
plus any label columns. Feast joins each label to the latest snapshot whose event timestamp
(the instant its as_of was complete) is at or before the label's, so no value computed from
later events reaches a label. Timestamps without a zone are business wall time (the sources'
Asia/Shanghai), like every timestamp ProfileHub receives.

Feast's file (Dask) offline store loses label rows: it drops a row when every snapshot row of
its customer is newer than the label (or older than the views' TTL), and keeps one of several
rows sharing customer and timestamp (feast-dev/feast#6787). So Feast is asked once per distinct
(customer, timestamp) and its answer joined back onto every label row, NULL where it had none:
one output row per label, in the labels' order. All snapshots share their timestamps and the
profile's customers, so a request Feast drops has no value in any view.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from feast import FeatureStore

from profilehub.feature_store.config import get_store
from profilehub.feature_store.services import TRAINING_V1
from profilehub.feature_store.views import ENTITY_KEY, EVENT_TIMESTAMP
from profilehub.settings import Settings
from spark.session import SESSION_TIME_ZONE

TABLE_FORMATS = (".parquet", ".csv")


def training_set(store: FeatureStore, labels: pd.DataFrame, service: str = TRAINING_V1.name
                 ) -> pd.DataFrame:
    """The labels with the service's features as of each label's timestamp (UTC)."""
    keys = [ENTITY_KEY, EVENT_TIMESTAMP]
    labelled = label_instants(labels)
    requests = labelled[keys].drop_duplicates(ignore_index=True)
    job = store.get_historical_features(entity_df=requests,
                                        features=store.get_feature_service(service))
    features = job.to_df()
    features[EVENT_TIMESTAMP] = _utc(features[EVENT_TIMESTAMP])
    return labelled.merge(features, on=keys, how="left", validate="many_to_one")


def label_instants(labels: pd.DataFrame) -> pd.DataFrame:
    """The labels with ``event_timestamp`` as UTC instants (naive times are business time)."""
    missing = [column for column in (ENTITY_KEY, EVENT_TIMESTAMP) if column not in labels]
    if missing:
        raise ValueError(f"labels lack column(s) {', '.join(missing)}")
    instants = pd.to_datetime(labels[EVENT_TIMESTAMP])
    if instants.dt.tz is None:
        instants = instants.dt.tz_localize(SESSION_TIME_ZONE)
    return labels.assign(**{EVENT_TIMESTAMP: _utc(instants)})


def _utc(instants: pd.Series) -> pd.Series:
    # One dtype on both sides of the join back, whatever resolution Feast returns.
    return instants.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")


def write_training_set(settings: Settings, labels_path: Path, service: str, out_path: Path
                       ) -> int:
    """``profilehub training-set``: labels file in, training set file out; the rows written."""
    result = training_set(get_store(settings), read_table(labels_path), service)
    write_table(result, out_path)
    return len(result)


def _format(path: Path) -> str:
    if path.suffix not in TABLE_FORMATS:
        raise ValueError(f"{path}: expected one of {', '.join(TABLE_FORMATS)}")
    return path.suffix


def read_table(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path) if _format(path) == ".parquet" else pd.read_csv(path)


def write_table(frame: pd.DataFrame, path: Path) -> None:
    if _format(path) == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
