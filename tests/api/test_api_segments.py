"""Segments: counts, pages, CSV export and sizes; k-suppression and difference refusal for
partners; marketing's saved, versioned segments."""

from __future__ import annotations

import uuid

from graphql_client import error_messages, graphql
from support.feature_store_data import CROWD, CUSTOMERS, RISER

PARTNER, PURPOSE = "partner:ecom_mall", "partner_credit_assessment"
SEGMENT = """query ($e: String!) { segment(expression: $e) {
  expression asOf count suppressed exportUrl } }"""
MEMBERS = """query ($e: String!, $offset: Int!, $limit: Int!) { segment(expression: $e) {
  count members(offset: $offset, limit: $limit) } }"""
MEDIUM = "consumption_capacity_band = 'medium'"
ONLINE_1K_5K = "online_spend_band = 'k1_5k'"


def segment(world, client, role: str, expression: str, purpose: str | None = None) -> dict:
    return graphql(client, world.keys[role], SEGMENT, {"e": expression}, purpose=purpose)


def test_marketing_counts_and_pages_a_segment(world):
    client = world.client()
    body = segment(world, client, "marketing", "asset_tier = 'long_tail'")
    answer = body["data"]["segment"]
    assert answer["count"] == len(CUSTOMERS) - 1 and not answer["suppressed"]
    # Internal roles see small counts: suppression protects partners' answers.
    assert segment(world, client, "marketing", "hnw")["data"]["segment"]["count"] == 1
    page = graphql(client, world.keys["marketing"], MEMBERS,
                   {"e": "asset_tier = 'long_tail'", "offset": 2, "limit": 3})
    members = page["data"]["segment"]["members"]
    expected = sorted(key for key in CUSTOMERS if key != RISER)[2:5]
    assert members == expected


def test_the_export_link_streams_the_members_as_csv(world):
    client = world.client()
    url = segment(world, client, "marketing", "asset_tier = 'long_tail'")["data"]["segment"][
        "exportUrl"]
    response = client.get(url, headers={"Authorization": f"Bearer {world.keys['marketing']}"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0] == "customer_key" and sorted(lines[1:]) == sorted(
        key for key in CUSTOMERS if key != RISER)
    partner = client.get(url, headers={"Authorization": f"Bearer {world.keys[PARTNER]}",
                                       "X-Purpose": PURPOSE})
    assert partner.status_code == 403
    anonymous = client.get(url)
    assert anonymous.status_code == 401


def test_segment_sizes_counts_several_at_once(world):
    body = graphql(world.client(), world.keys["data_scientist"],
                   '{ segmentSizes(expressions: ["hnw", "NOT hnw"]) { expression count } }')
    assert [s["count"] for s in body["data"]["segmentSizes"]] == [1, len(CUSTOMERS) - 1]


def test_a_bad_expression_is_explained(world):
    body = segment(world, world.client(), "marketing", "asset_tier = ")
    assert error_messages(body)[0].startswith("segment expression:")


def test_tags_outside_the_purpose_cannot_be_used(world):
    body = segment(world, world.client(), "marketing", "wash_trade_like_round_trips")
    assert error_messages(body) == ["tag(s) wash_trade_like_round_trips not available to role "
                                    "marketing for purpose marketing"]


def test_partners_get_counts_of_k_or_more_with_pseudonymous_members(world):
    client = world.client()
    answer = segment(world, client, PARTNER, MEDIUM, PURPOSE)["data"]["segment"]
    assert answer["count"] == len(CROWD) and answer["exportUrl"] is None
    body = graphql(client, world.keys[PARTNER], MEMBERS,
                   {"e": MEDIUM, "offset": 0, "limit": 100}, purpose=PURPOSE)
    members = body["data"]["segment"]["members"]
    assert len(members) == len(CROWD) and all(m.startswith("p_") for m in members)
    assert not set(members) & set(CUSTOMERS)


def test_partner_counts_below_k_are_suppressed(world):
    client = world.client()
    answer = segment(world, client, PARTNER, ONLINE_1K_5K, PURPOSE)["data"]["segment"]
    assert answer["count"] is None and answer["suppressed"] is True
    body = graphql(client, world.keys[PARTNER], MEMBERS,
                   {"e": ONLINE_1K_5K, "offset": 0, "limit": 10}, purpose=PURPOSE)
    assert error_messages(body) == ["the segment is below the k threshold: no members"]


def test_overlapping_partner_segments_that_isolate_a_person_are_refused(world):
    client = world.client()
    assert segment(world, client, PARTNER, MEDIUM, PURPOSE)["data"]["segment"]["count"] == 12
    # 11 customers, but it differs from the first answer by the one serial refunder.
    body = segment(world, client, PARTNER, f"{MEDIUM} AND NOT serial_refunder", PURPOSE)
    assert body["data"] is None
    assert "differs from one you asked before by fewer than 10 customers" in (
        error_messages(body)[0])
    # The same question again is no new information, and other keys keep their own history.
    assert segment(world, client, PARTNER, MEDIUM, PURPOSE)["data"]["segment"]["count"] == 12


def test_segment_sizes_are_checked_against_each_other(world):
    body = graphql(world.client(), world.keys[PARTNER],
                   '{ segmentSizes(expressions: ["consumption_capacity_band = \'medium\'", '
                   '"consumption_capacity_band = \'medium\' AND NOT serial_refunder"]) '
                   '{ count } }', purpose=PURPOSE)
    assert body["data"] is None and "fewer than 10 customers" in error_messages(body)[0]


def test_marketing_saves_versioned_segments(world):
    name = f"watch-{uuid.uuid4().hex[:8]}"
    client = world.client()
    save = """mutation ($name: String!, $e: String!) { saveSegment(name: $name, expression: $e)
      { name version expression segment { count asOf } } }"""

    def saved(expression: str) -> dict:
        body = graphql(client, world.keys["marketing"], save, {"name": name, "e": expression})
        assert not error_messages(body), body
        return body["data"]["saveSegment"]

    assert saved("hnw")["version"] == 1
    assert saved("hnw")["version"] == 1
    second = saved("asset_tier = 'long_tail'")
    assert second["version"] == 2 and second["segment"]["count"] == len(CUSTOMERS) - 1
    listed = graphql(client, world.keys["marketing"],
                     "{ savedSegments { name version segment { count } } }")
    mine = [s for s in listed["data"]["savedSegments"] if s["name"] == name]
    assert mine == [{"name": name, "version": 2, "segment": {"count": len(CUSTOMERS) - 1}}]


def test_only_marketing_and_admin_save_segments(world):
    body = graphql(world.client(), world.keys["data_scientist"],
                   'mutation { saveSegment(name: "x", expression: "hnw") { version } }')
    assert error_messages(body) == ["only marketing and admin keys may use this field"]
