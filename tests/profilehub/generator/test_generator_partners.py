"""Partner data: partial coverage, and links to accounts only through the PII link keys."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
from generator_checks import load_source

from profilehub.contracts import (
    CUSTOMERS,
    ECOMMERCE_ORDERS,
    GEO_EVENTS,
    PARENTING_SPEND,
    TRAVEL_BOOKINGS,
)
from profilehub.generator import calibration as cal

SOURCES = {"ecom_mall": ECOMMERCE_ORDERS, "trip_ota": TRAVEL_BOOKINGS, "geo_telco": GEO_EVENTS,
           "kids_edu": PARENTING_SPEND}


@pytest.fixture(scope="module")
def truth(behaviour_run):
    folder = behaviour_run.paths.ground_truth
    return (pq.read_table(folder / "customers.parquet").to_pandas(),
            pq.read_table(folder / "identity_links.parquet").to_pandas())


def test_partners_cover_part_of_our_customers(truth):
    customers, links = truth
    for partner, share in cal.PARTNER_COVERAGE.items():
        assert abs(customers[f"is_{partner}_user"].mean() - share) <= 0.02, partner
        users = links[links.partner == partner]
        assert users.account_id.isna().mean() == pytest.approx(1 / 3, abs=0.02), partner


def owners(customers: pd.DataFrame, key: str) -> pd.Series:
    """Every account each value of a KYC PII column has ever belonged to."""
    return customers.dropna(subset=[key]).groupby(key).account_id.agg(frozenset)


@pytest.mark.parametrize("partner", sorted(SOURCES))
def test_partner_records_link_to_the_true_accounts_through_pii(behaviour_run, truth, partner):
    _, links = truth
    contract = SOURCES[partner]
    key = contract.pii_columns[0].name
    records = load_source(behaviour_run.paths.landing, contract)
    kyc = owners(load_source(behaviour_run.paths.landing, CUSTOMERS), key)
    found = records[key].map(kyc).map(lambda accounts: accounts
                                      if isinstance(accounts, frozenset) else frozenset())
    link = links[links.partner == partner].set_index("partner_user_id")
    expected = records.partner_user_id.map(
        lambda user: frozenset(a for a in (link.account_id[user], link.other_account_id[user])
                               if isinstance(a, str)))
    assert len(records) > 50
    assert (found == expected).all()
    assert records.partner_user_id.isin(link.index).all()
    assert not records.partner_user_id.str.startswith("A").any()


def test_identity_traps_are_planted_and_recorded(behaviour_run, truth):
    customers, links = truth
    shared = links[links.link_conflict == "shared_device"]
    assert len(shared) >= 1 and shared.partner.eq("geo_telco").all()
    assert links.shared_device.sum() == len(shared)
    assert links.phone_changed.sum() == (links.link_conflict == "phone_changed").sum() > 0
    assert shared.other_account_id.notna().all()
    changed = customers.account_id[customers.phone_changed_on.notna()]
    kyc = load_source(behaviour_run.paths.landing, CUSTOMERS)
    phones = kyc[kyc.account_id.isin(changed)].groupby("account_id").phone.nunique()
    assert len(phones) >= 10 and (phones == 2).all()
    flagged = links.account_id[links.link_conflict == "phone_changed"]
    assert set(flagged) <= set(changed)


def test_travellers_book_trips_and_fly(behaviour_run, truth):
    customers, links = truth
    bookings = load_source(behaviour_run.paths.landing, TRAVEL_BOOKINGS)
    users = links[links.partner == "trip_ota"].set_index("partner_user_id").account_id
    bookings["account_id"] = bookings.partner_user_id.map(users)
    abroad = set(bookings.account_id[bookings.destination_country != "CN"].dropna())
    crossers = set(customers.account_id[customers.is_cross_border_traveller])
    assert crossers and crossers <= abroad
    travellers = set(customers.account_id[customers.is_traveller])
    assert travellers <= set(bookings.account_id.dropna())
    visits = customers[customers.had_airport_visit]
    assert len(visits) >= 5
    assert visits.airport_visit_dates.map(len).min() >= 1
