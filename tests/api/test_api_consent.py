"""Consent at request time: a revocation recorded in the ledger binds from the next request,
for partners' profiles and capability lookups, and for partner-derived values of internal
roles; the command line records one too."""

from __future__ import annotations

from contextlib import contextmanager

from graphql_client import error_messages, graphql
from support.feature_store_data import CONSENTER, CROWD, D2, MARKETING_ONLY

from api.consent import open_ledger, published_grants
from profilehub.cli import main

PARTNER_PURPOSE = "partner_credit_assessment"
CAPABILITY = """query ($ref: String!, $purpose: String!) {
  consumptionCapability(partnerRef: $ref, purpose: $purpose) { partnerRef band asOf } }"""
RECORD = """mutation ($key: String!, $partner: String!, $purpose: String!, $active: Boolean!) {
  recordConsent(customerKey: $key, partnerId: $partner, purpose: $purpose, active: $active) {
    customerKey partnerId purpose active } }"""
BAND = """query ($key: String!) { customer(key: $key, tags: ["consumption_capacity_band"]) {
  families { tags { id value } } } }"""


def record(world, customer: str, partner: str, purpose: str, active: bool) -> dict:
    return graphql(world.client(), world.keys["admin"], RECORD,
                   {"key": customer, "partner": partner, "purpose": purpose, "active": active})


@contextmanager
def revoked(world, customer: str, partner: str, purpose: str):
    body = record(world, customer, partner, purpose, False)
    assert body["data"]["recordConsent"]["active"] is False, body
    try:
        yield
    finally:
        record(world, customer, partner, purpose, True)


def capability(world, customer: str, purpose: str = PARTNER_PURPOSE, role="partner:ecom_mall"):
    ref = world.serving.pseudonyms.of(role.split(":")[1], customer)
    return graphql(world.client(), world.keys[role], CAPABILITY,
                   {"ref": ref, "purpose": purpose}, purpose=PARTNER_PURPOSE)


def test_the_ledger_is_seeded_from_the_published_consents(world):
    grants = set(published_grants(world.settings, D2))
    assert (CROWD[0], "ecom_mall", PARTNER_PURPOSE) in grants
    # CONSENTER kept only marketing on D2; MARKETING_ONLY never consented to partners' use.
    assert (CONSENTER, "ecom_mall", "marketing") in grants
    assert (CONSENTER, "ecom_mall", PARTNER_PURPOSE) not in grants
    assert not any(c == MARKETING_ONLY and p == PARTNER_PURPOSE for c, _, p in grants)


def test_capability_is_a_band_for_a_consenting_customer(world):
    body = capability(world, CROWD[6])
    assert not error_messages(body), body
    answer = body["data"]["consumptionCapability"]
    assert answer["band"] == "medium" and answer["asOf"] == D2.isoformat()
    assert answer["partnerRef"].startswith("p_")


def test_capability_needs_consent(world):
    body = capability(world, CONSENTER)
    assert body["data"] is None
    assert error_messages(body) == ["no active consent of this customer for partner ecom_mall "
                                    "and purpose partner_credit_assessment"]


def test_capability_purpose_must_be_the_stated_one(world):
    body = capability(world, CROWD[6], purpose="marketing")
    assert "differs from the purpose stated" in error_messages(body)[0]


def test_capability_is_for_partners_only(world):
    body = graphql(world.client(), world.keys["marketing"], CAPABILITY,
                   {"ref": CROWD[6], "purpose": "marketing"})
    assert error_messages(body) == ["only partner keys may use this field"]


def test_a_revocation_takes_effect_on_the_next_request(world):
    assert capability(world, CROWD[7])["data"]["consumptionCapability"]["band"] == "medium"
    with revoked(world, CROWD[7], "ecom_mall", PARTNER_PURPOSE):
        body = capability(world, CROWD[7])
        assert body["data"] is None and "no active consent" in error_messages(body)[0]
    assert capability(world, CROWD[7])["data"]["consumptionCapability"]["band"] == "medium"


def test_a_revocation_withholds_partner_values_from_internal_roles(world):
    def band() -> str | None:
        body = graphql(world.client(), world.keys["marketing"], BAND, {"key": CROWD[8]})
        return body["data"]["customer"]["families"][0]["tags"][0]["value"]

    assert band() == "medium"
    # The band reads three partners' data: revoking any one of them withholds it.
    with revoked(world, CROWD[8], "trip_ota", "marketing"):
        assert band() is None
    assert band() == "medium"


def test_a_revocation_leaves_partner_segments_at_once(world):
    query = '{ segment(expression: "consumption_capacity_band = \'medium\'") { count } }'

    def count(client) -> int:
        return graphql(client, world.keys["marketing"], query)["data"]["segment"]["count"]

    client = world.client()
    before = count(client)
    with revoked(world, CROWD[9], "kids_edu", "marketing"):
        assert count(client) == before - 1
    assert count(client) == before


def test_only_admins_record_consent(world):
    body = graphql(world.client(), world.keys["marketing"], RECORD,
                   {"key": CROWD[9], "partner": "ecom_mall", "purpose": "marketing",
                    "active": False})
    assert error_messages(body) == ["only admin keys may use this field"]


def test_the_command_line_records_a_revocation(world, monkeypatch, capsys):
    for name, value in world.settings._environ.items():
        monkeypatch.setenv(name, value)
    from profilehub.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["api", "consent", "--customer", CROWD[10], "--partner", "ecom_mall",
                     "--purpose", PARTNER_PURPOSE, "--revoke"]) == 0
        assert "revoked" in capsys.readouterr().out
        assert "no active consent" in error_messages(capability(world, CROWD[10]))[0]
        assert main(["api", "consent", "--customer", CROWD[10], "--partner", "ecom_mall",
                     "--purpose", PARTNER_PURPOSE, "--grant"]) == 0
        assert capability(world, CROWD[10])["data"]["consumptionCapability"]["band"] == "medium"
    finally:
        get_settings.cache_clear()
    assert open_ledger(world.settings).active([CROWD[10]], ["ecom_mall"], PARTNER_PURPOSE)
