"""Training sets are point-in-time correct: a value that changes after a label's timestamp
never reaches that label's row."""

from __future__ import annotations

import pandas as pd
import pytest
from support.feature_store_data import CONSENTER, RISER

from profilehub.cli import main
from profilehub.feature_store import training_set
from profilehub.settings import get_settings

# RISER's assets change on D2 (2026-10-02); D2's profile is complete at 2026-10-03 00:00
# Asia/Shanghai = 2026-10-02 16:00 UTC. Naive label times are Shanghai wall time.
LABELS = pd.DataFrame({
    "customer_key": [RISER, RISER, RISER, RISER, CONSENTER, CONSENTER],
    "event_timestamp": pd.to_datetime([
        "2026-10-01 12:00:00",   # before any profile was complete
        "2026-10-02 23:59:59",   # D2's values exist only after this second
        "2026-10-03 00:00:00",   # D2 complete
        "2026-10-02 23:59:59",   # the same request twice: both label rows stay
        "2026-10-02 12:00:00",   # D1: research consented
        "2026-10-03 08:00:00",   # D2: research revoked
    ]),
    "label": [10, 11, 12, 13, 14, 15],
})


@pytest.fixture(scope="module")
def training(published) -> pd.DataFrame:
    return training_set(published.store, LABELS, "training_v1")


def test_one_row_per_label_in_label_order(training):
    assert training["label"].tolist() == LABELS["label"].tolist()
    assert training["customer_key"].tolist() == LABELS["customer_key"].tolist()


def test_no_value_from_after_the_label_reaches_it(training):
    riser = training[training["customer_key"] == RISER].set_index("label")
    assert riser.loc[10, ["hnw", "asset_tier"]].isna().all()
    assert riser.loc[11, "hnw"] == False  # noqa: E712 (a numpy bool)
    assert riser.loc[11, "asset_tier"] == "mass_affluent"
    assert riser.loc[11, "churn_risk_score"] == pytest.approx(0.1)
    assert riser.loc[13, "asset_tier"] == "mass_affluent"
    assert riser.loc[12, "hnw"] == True  # noqa: E712
    assert riser.loc[12, "churn_risk_score"] == pytest.approx(0.9)


def test_aware_timestamps_are_taken_as_given(published):
    labels = pd.DataFrame({"customer_key": [RISER, RISER], "event_timestamp": pd.to_datetime(
        ["2026-10-02 15:59:59+00:00", "2026-10-02 16:00:00+00:00"]), "label": [0, 1]})
    result = training_set(published.store, labels, "training_v1")
    assert result["asset_tier"].tolist() == ["mass_affluent", "hnw"]


def test_consent_revoked_later_is_respected_in_history(training):
    consenter = training[training["customer_key"] == CONSENTER].set_index("label")
    assert consenter.loc[14, "consumption_capacity_band"] == "high"
    assert consenter.loc[14, "serial_refunder"] == True  # noqa: E712
    assert pd.isna(consenter.loc[15, "consumption_capacity_band"])


def test_labels_need_a_customer_and_a_timestamp(published):
    with pytest.raises(ValueError, match="event_timestamp"):
        training_set(published.store, LABELS.drop(columns="event_timestamp"))


# The command reads the process settings, pointed here at the local store's.
@pytest.mark.parametrize("published", ["local"], indirect=True)
def test_cli_writes_the_training_set(published, tmp_path, monkeypatch):
    for name, value in {"PROFILEHUB_DATA_ROOT": str(published.settings.paths.root),
                        "PROFILEHUB_FEAST_PROJECT": published.settings.feast.project}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    labels, out = tmp_path / "labels.csv", tmp_path / "training.parquet"
    LABELS.to_csv(labels, index=False)
    try:
        assert main(["training-set", "--labels", str(labels), "--out", str(out)]) == 0
    finally:
        get_settings.cache_clear()
    written = pd.read_parquet(out)
    assert written["label"].tolist() == LABELS["label"].tolist()
    assert written.set_index("label").loc[12, "asset_tier"] == "hnw"
