"""The features federated training reads from the feature store: one point-in-time retrieval
per as_of and service, kept for scoring (``federated.partitions.load_features``)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from support.feature_store_data import CUSTOMERS, D2

from federated.layout import features_snapshot
from federated.partitions import load_features
from federated.task import KEY_COLUMN
from spark.identity.tables import CUSTOMER_ACCOUNTS

SERVICE = "training_v1"


@pytest.fixture(scope="module")
def settings(published):
    """The tiny published store, with the identity table's accounts of D2 beside it."""
    folder = published.settings.paths.lake / CUSTOMER_ACCOUNTS.name / f"as_of={D2.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"account_id": [f"A{i:09d}" for i in range(len(CUSTOMERS))],
                             KEY_COLUMN: list(CUSTOMERS)}), folder / "part-0.parquet")
    return published.settings


@pytest.mark.parametrize("published", ["local"], indirect=True)
def test_a_retrieval_is_kept_and_read_back_only_when_reuse_is_asked(settings):
    asked = load_features(settings, D2, SERVICE)
    snapshot = features_snapshot(settings, D2, SERVICE)
    assert sorted(asked[KEY_COLUMN]) == sorted(CUSTOMERS)
    assert "asset_tier" in asked.columns and "event_timestamp" not in asked.columns
    pd.testing.assert_frame_equal(pd.read_parquet(snapshot), asked)

    # What is kept is what reuse returns: cut it down and it is read back as cut.
    asked.head(2).to_parquet(snapshot, index=False)
    assert load_features(settings, D2, SERVICE, reuse=True)[KEY_COLUMN].tolist() == \
        asked[KEY_COLUMN].head(2).tolist()
    # Without reuse the store is asked again and the snapshot replaced.
    assert len(load_features(settings, D2, SERVICE)) == len(CUSTOMERS)
    assert len(pd.read_parquet(snapshot)) == len(CUSTOMERS)
