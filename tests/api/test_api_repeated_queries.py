"""What the API remembers between requests to be fast (parsed and validated documents, read
plans per role, purpose and tag set, decoded values) never stands in for a decision: every
request is still limited, consent-checked and audited on its own."""

from __future__ import annotations

import json
from dataclasses import fields

from graphql_client import error_messages, graphql
from support.feature_store_data import CONSENTER, CROWD, CUSTOMERS, PLAIN, RISER

from api.audit import AuditEntry, audit_path

PROFILES = ("query ($k: [String!]!, $t: [String!]) { customers(keys: $k, tags: $t) "
            "{ id values } }")


def _audit_lines(world) -> list[dict]:
    lines = audit_path(world.settings).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_an_audit_line_holds_every_field_of_the_entry():
    entry = AuditEntry("k1", "data_scientist", "research", "query:customer",
                       ["customer", "customer.id"], {"CK2", "CK1"}, "partial", ["why"])
    line = json.loads(entry.to_json())
    assert set(line) == {"at"} | {f.name for f in fields(AuditEntry)}
    assert {key: value for key, value in line.items() if key != "at"} == {
        "key_id": "k1", "role": "data_scientist", "purpose": "research",
        "operation": "query:customer", "fields": ["customer", "customer.id"],
        "customers": ["CK1", "CK2"], "decision": "partial", "reasons": ["why"]}


def test_the_same_query_text_is_audited_once_per_request(world):
    client = world.client()
    before = len(_audit_lines(world))
    for keys in ([RISER], [PLAIN, *CROWD[:2]], [CROWD[3]]):
        body = graphql(client, world.keys["data_scientist"], PROFILES,
                       {"k": keys, "t": ["asset_tier"]})
        assert not error_messages(body), body
    lines = _audit_lines(world)[before:]
    assert [line["customers"] for line in lines] == [
        [RISER], sorted([PLAIN, *CROWD[:2]]), [CROWD[3]]]
    assert {line["operation"] for line in lines} == {"query:customers"}
    assert all(line["decision"] == "allowed" and "customers.values" in line["fields"]
               for line in lines)


def test_a_cached_document_is_still_limited_per_request(world):
    client = world.client(world.settings_with(PROFILEHUB_API_MAX_COMPLEXITY="10"))
    key = world.keys["admin"]
    small = graphql(client, key, PROFILES, {"k": [RISER], "t": ["asset_tier"]})
    assert not error_messages(small), small
    # Same text, now with variables that make it too costly: refused, then admitted again.
    large = graphql(client, key, PROFILES, {"k": list(CUSTOMERS), "t": ["asset_tier"]})
    assert error_messages(large)[0].startswith("query too complex")
    again = graphql(client, key, PROFILES, {"k": [PLAIN], "t": ["asset_tier"]})
    assert not error_messages(again), again
    # A validation limit holds on every repetition of a cached, invalid document.
    deep = world.client(world.settings_with(PROFILEHUB_API_MAX_DEPTH="2"))
    query = "query Deep ($k: String!) { customer(key: $k) { families { tags { id } } } }"
    for customer in (RISER, PLAIN):
        assert error_messages(graphql(deep, key, query, {"k": customer})) == [
            "'Deep' exceeds maximum operation depth of 2"]


def test_a_remembered_tag_set_is_still_refused_to_whom_it_is_hidden(world):
    client = world.client()
    query = 'query ($k: String!) { customer(key: $k, tags: ["asset_tier"]) { values } }'
    allowed = graphql(client, world.keys["data_scientist"], query, {"k": RISER})
    assert allowed["data"]["customer"]["values"] == {"asset_tier": "hnw"}
    hidden = 'query ($k: String!) { customer(key: $k, tags: ["no_such_tag"]) { values } }'
    for _ in range(2):
        assert "no_such_tag unknown or not available" in error_messages(
            graphql(client, world.keys["data_scientist"], hidden, {"k": RISER}))[0]


def test_consent_is_read_on_every_request_of_a_remembered_plan(world):
    """A partner-derived tag's read plan is remembered; the consent it needs is not."""
    client = world.client()
    key, tag = world.keys["data_scientist"], "consumption_capacity_band"
    query = 'query ($k: String!) { customer(key: $k, tags: ["' + tag + '"]) { values } }'
    first = graphql(client, key, query, {"k": CROWD[0]})
    assert first["data"]["customer"]["values"] == {tag: "medium"}
    ledger = world.serving.ledger
    partners = [p for p in ("ecom_mall", "trip_ota") if (CROWD[0], p) in ledger.active(
        [CROWD[0]], ["ecom_mall", "trip_ota"], "research")]
    assert partners
    try:
        ledger.record(CROWD[0], partners[0], "research", False, by="test")
        revoked = graphql(client, key, query, {"k": CROWD[0]})
        assert revoked["data"]["customer"]["values"] == {tag: None}
    finally:
        ledger.record(CROWD[0], partners[0], "research", True, by="test")
    assert graphql(client, key, query, {"k": CROWD[0]})["data"]["customer"]["values"] == {
        tag: "medium"}
    # CONSENTER withdrew research on D2: nothing remembered from CROWD[0] lets it through.
    assert graphql(client, key, query, {"k": CONSENTER})["data"]["customer"]["values"] == {
        tag: None}
