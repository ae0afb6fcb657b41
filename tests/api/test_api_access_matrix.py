"""Every role × purpose × tag family, for a customer with and one without consent: exactly the
tags the catalog allows are returned, partner-derived values only with consent, and partners
get nothing at all of a customer who did not consent to them.

The expectation is written out here from the catalog's fields, not taken from ``api.access``.
"""

from __future__ import annotations

import pytest
from graphql_client import error_messages, graphql
from support.feature_store_data import CROWD, D2, PARTNER_ROWS, PLAIN

from profilehub.catalog import DBT_FAMILIES, FAMILIES, load_tags

TAGS = load_tags()
PARTNER = "partner:ecom_mall"
CASES = [("data_scientist", "research"), ("marketing", "marketing"),
         *[("admin", purpose) for purpose in
           ("risk_control", "marketing", "research", "partner_credit_assessment")],
         (PARTNER, "partner_credit_assessment")]
CONSENTING, NOT_CONSENTING = CROWD[3], PLAIN
PROFILE = """query ($key: String!) { customer(key: $key) {
  id asOf families { name tags { id value version definitionUrl } } } }"""
_responses: dict[tuple, dict] = {}


def expected_tag_ids(role: str, purpose: str, family: str) -> set[str]:
    def visible(tag) -> bool:
        if purpose not in tag.purposes:
            return False
        # Partner-derived values are served from consent-gated views, which exist for
        # research, marketing and partner credit assessment only.
        if tag.is_partner_derived and purpose == "risk_control":
            return False
        if role.startswith("partner:"):
            return (tag.sensitivity in ("public", "partner_derived")
                    and "partner_credit_assessment" in tag.purposes)
        return True

    return {tag.id for tag in TAGS if tag.family == family and visible(tag)}


def profile(world, role: str, purpose: str, customer: str) -> dict:
    cache_key = (world.env, role, purpose, customer)
    if cache_key not in _responses:
        key = customer
        if role.startswith("partner:"):
            key = world.serving.pseudonyms.of(role.split(":")[1], customer)
        _responses[cache_key] = graphql(world.client(), world.keys[role], PROFILE,
                                        {"key": key}, purpose=purpose)
    return _responses[cache_key]


# The profile's families; model scores are Customer.scores (test_api_model_scores.py).
@pytest.mark.parametrize("family", DBT_FAMILIES)
@pytest.mark.parametrize(("role", "purpose"), CASES)
def test_a_consenting_customer_shows_exactly_the_allowed_tags(world, role, purpose, family):
    body = profile(world, role, purpose, CONSENTING)
    assert not error_messages(body), body
    customer = body["data"]["customer"]
    families = {f["name"]: {t["id"]: t for t in f["tags"]} for f in customer["families"]}
    expected = expected_tag_ids(role, purpose, family)
    assert set(families.get(family, {})) == expected
    assert customer["asOf"] == D2.isoformat()
    partner_values = PARTNER_ROWS[(CONSENTING, D2)]
    for tag_id, tag in families.get(family, {}).items():
        assert tag["definitionUrl"].endswith(f"#{family}") and tag["version"] >= 1
        if tag_id in partner_values and purpose in partner_values[tag_id][1]:
            assert tag["value"] == partner_values[tag_id][0], tag_id


@pytest.mark.parametrize("family", DBT_FAMILIES)
@pytest.mark.parametrize(("role", "purpose"), CASES)
def test_without_consent_partner_values_are_withheld(world, role, purpose, family):
    body = profile(world, role, purpose, NOT_CONSENTING)
    if role.startswith("partner:"):
        assert body["data"] is None
        assert any("no active consent" in message for message in error_messages(body))
        return
    assert not error_messages(body), body
    tags = [tag for f in body["data"]["customer"]["families"] if f["name"] == family
            for tag in f["tags"]]
    assert {tag["id"] for tag in tags} == expected_tag_ids(role, purpose, family)
    derived = {tag.id for tag in TAGS if tag.is_partner_derived}
    assert all(tag["value"] is None for tag in tags if tag["id"] in derived)


@pytest.mark.parametrize(("role", "purpose"), [
    ("data_scientist", "marketing"), ("marketing", "research"),
    (PARTNER, "marketing"), (PARTNER, None)])
def test_a_purpose_outside_the_role_is_refused(world, role, purpose):
    headers = {"Authorization": f"Bearer {world.keys[role]}"}
    if purpose:
        headers["X-Purpose"] = purpose
    response = world.client().post("/graphql", json={"query": "{ tagCatalog { id } }"},
                                   headers=headers)
    assert response.status_code == 403
    assert "purpose" in response.text


def test_partners_never_see_customer_keys(world):
    body = profile(world, PARTNER, "partner_credit_assessment", CONSENTING)
    text = str(body)
    assert CONSENTING not in text and "CK0" not in text
    assert body["data"]["customer"]["id"].startswith("p_")


def test_a_partner_cannot_look_up_a_raw_customer_key(world):
    body = graphql(world.client(), world.keys[PARTNER], PROFILE, {"key": CONSENTING},
                   purpose="partner_credit_assessment")
    assert body["data"] is None
    assert error_messages(body) == [f"no customer {CONSENTING!r} in the profile as of {D2}"]


def test_two_partners_get_different_ids_of_one_customer(world):
    ecom = world.serving.pseudonyms.of("ecom_mall", CONSENTING)
    trip = world.serving.pseudonyms.of("trip_ota", CONSENTING)
    assert ecom != trip
    body = graphql(world.client(), world.keys["partner:trip_ota"], PROFILE, {"key": ecom},
                   purpose="partner_credit_assessment")
    assert body["data"] is None and "no customer" in error_messages(body)[0]


def test_tag_catalog_follows_the_same_rules(world):
    for role, purpose in CASES:
        body = graphql(world.client(), world.keys[role],
                       "{ tagCatalog { id family sensitivity purposes } }", purpose=purpose)
        returned = {tag["id"] for tag in body["data"]["tagCatalog"]}
        assert returned == set().union(*(expected_tag_ids(role, purpose, family)
                                          for family in FAMILIES)), (role, purpose)


def test_tag_catalog_filters_by_family_and_search(world):
    body = graphql(world.client(), world.keys["admin"],
                   '{ tagCatalog(family: "asset_tier", search: "净值") { id nameZh } }',
                   purpose="marketing")
    found = body["data"]["tagCatalog"]
    assert {"hnw", "uhnw"} <= {tag["id"] for tag in found}
    assert all("净值" in tag["nameZh"] for tag in found)
    body = graphql(world.client(), world.keys["admin"], '{ tagCatalog(family: "nope") { id } }')
    assert "unknown family 'nope'" in error_messages(body)[0]
