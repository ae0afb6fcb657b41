"""Consent events replay exactly to the consent ground truth."""

from __future__ import annotations

import pyarrow.parquet as pq
from generator_checks import load_source

from profilehub.contracts import CONSENT_EVENTS


def test_consent_events_replay_to_the_truth(behaviour_run):
    events = load_source(behaviour_run.paths.landing, CONSENT_EVENTS)
    truth = pq.read_table(behaviour_run.paths.ground_truth / "consent_truth.parquet").to_pandas()
    key = ["account_id", "partner_id", "purpose"]
    grants = events[events.action == "grant"].set_index(key).event_time.sort_index()
    revokes = events[events.action == "revoke"].set_index(key).event_time.sort_index()
    truth = truth.rename(columns={"partner": "partner_id"}).set_index(key).sort_index()
    assert grants.index.is_unique and revokes.index.is_unique
    assert grants.index.equals(truth.index)
    assert (grants.values == truth.granted_at.values).all()
    revoked = truth.revoked_at.dropna()
    assert revokes.index.equals(revoked.index)
    assert (revokes.values == revoked.values).all()
    assert (revoked.values > truth.granted_at.loc[revoked.index].values).all()


def test_consent_mix_has_grants_refusals_and_revocations(behaviour_run):
    truth = pq.read_table(behaviour_run.paths.ground_truth / "consent_truth.parquet").to_pandas()
    customers = pq.read_table(behaviour_run.paths.ground_truth / "customers.parquet").to_pandas()
    ecommerce = customers[customers.is_ecom_mall_user].account_id
    granted = set(truth.account_id[truth.partner == "ecom_mall"])
    share = ecommerce.isin(granted).mean()
    assert 0.7 <= share <= 0.9
    assert 0.05 <= truth.revoked_at.notna().mean() <= 0.2
    assert truth.purpose.nunique() == 4 and truth.partner.nunique() == 4
