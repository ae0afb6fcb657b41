"""The service around the schema: health, metrics, audit, GraphiQL, keys, batching, and the
exported schema file."""

from __future__ import annotations

import json

import anyio
from graphql_client import error_messages, graphql
from support.feature_store_data import CROWD, CUSTOMERS, D2, PLAIN, RISER

from api.app import create_app
from api.audit import audit_path
from api.customers.profiles import read_profiles
from api.customers.resolvers import INLINE_READ_CUSTOMERS
from api.keys import KeyStore, keys_path
from api.roles import Role
from api.schema import SCHEMA_FILE, schema_sdl
from api.serving import Serving
from profilehub.cli import main
from profilehub.settings import load_settings


def test_schema_file_matches_the_code():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "api/schema.graphql is stale: run `profilehub api schema --write`")


def test_healthz_names_the_served_as_of(world):
    response = world.client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok",
                                                                "as_of": D2.isoformat()}


def test_healthz_before_any_publication(world, tmp_path):
    settings = load_settings({**world.settings._environ, "PROFILEHUB_DATA_ROOT": str(tmp_path)})
    serving = Serving(settings, store=world.serving.store, ledger=world.serving.ledger)
    from starlette.testclient import TestClient

    response = TestClient(create_app(settings, serving=serving)).get("/healthz")
    assert response.status_code == 503 and "no profile is published" in response.text


def test_metrics_have_latency_per_operation_and_role(world):
    client = world.client()
    graphql(client, world.keys["admin"], "{ tagCatalog(family: \"asset_tier\") { id } }")
    text = client.get("/metrics").text
    assert ('profilehub_api_request_seconds_bucket{le="0.01",operation="query:tagCatalog",'
            'role="admin"}') in text
    assert 'profilehub_api_requests_total{decision="allowed",operation="query:tagCatalog"' in text


def _audit_lines(world) -> list[dict]:
    lines = audit_path(world.settings).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_every_request_is_audited_append_only(world):
    before = audit_path(world.settings).read_text(encoding="utf-8")
    client = world.client()
    ref = world.serving.pseudonyms.of("ecom_mall", CROWD[4])
    graphql(client, world.keys["partner:ecom_mall"],
            'query ($k: String!) { customer(key: $k, tags: ["consumption_capacity_band"]) '
            '{ id families { tags { value } } } }', {"k": ref},
            purpose="partner_credit_assessment")
    graphql(client, world.keys["partner:ecom_mall"],
            'query ($k: String!) { customer(key: $k) { id } }',
            {"k": world.serving.pseudonyms.of("ecom_mall", PLAIN)},
            purpose="partner_credit_assessment")
    client.post("/graphql", json={"query": "{ tagCatalog { id } }"})
    after = audit_path(world.settings).read_text(encoding="utf-8")
    assert after.startswith(before)
    allowed, refused, anonymous = _audit_lines(world)[-3:]
    assert allowed["role"] == "partner:ecom_mall" and allowed["purpose"] == (
        "partner_credit_assessment")
    assert allowed["operation"] == "query:customer" and allowed["decision"] == "allowed"
    assert allowed["customers"] == [CROWD[4]]
    assert "customer.families.tags.value" in allowed["fields"]
    assert allowed["key_id"] == world.keys["partner:ecom_mall"].split("_")[1]
    assert refused["decision"] == "refused" and refused["customers"] == [PLAIN]
    assert any("no active consent" in reason for reason in refused["reasons"])
    assert anonymous["decision"] == "refused" and anonymous["key_id"] is None


def test_graphiql_is_served_locally_only(world):
    assert world.settings.api.graphiql == (world.env == "local")
    opened = world.client(world.settings_with(PROFILEHUB_API_GRAPHIQL="true"))
    page = opened.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    closed = world.client(world.settings_with(PROFILEHUB_API_GRAPHIQL="false"))
    off = closed.get("/graphql", headers={"Accept": "text/html"})
    assert off.status_code == 404 and "<html" not in off.text.lower()


def test_keys_are_stored_hashed(world):
    stored = keys_path(world.settings).read_text(encoding="utf-8")
    for key in world.keys.values():
        secret = key.split("_", 2)[2]
        assert key not in stored and secret not in stored
    store = KeyStore.of(world.settings)
    assert store.authenticate(world.keys["marketing"]).role == Role.parse("marketing")
    assert store.authenticate(world.keys["marketing"] + "x") is None


def test_the_command_line_creates_a_key(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PROFILEHUB_DATA_ROOT", str(tmp_path))
    from profilehub.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["api", "keys", "create", "--role", "partner:trip_ota"]) == 0
        key = capsys.readouterr().out.strip()
        principal = KeyStore.of(get_settings()).authenticate(key)
        assert str(principal.role) == "partner:trip_ota"
        assert main(["api", "keys", "create", "--role", "partner:unknown"]) == 2
    finally:
        get_settings.cache_clear()


def test_customers_are_read_in_one_online_read(world, monkeypatch):
    online, calls = world.serving.online, []
    read = online.read

    def counted(refs, customer_keys):
        calls.append(len(customer_keys))
        return read(refs, customer_keys)

    monkeypatch.setattr(online, "read", counted)
    body = graphql(world.client(), world.keys["data_scientist"],
                   'query ($k: [String!]!, $a: String!, $b: String!) { customers(keys: $k) '
                   '{ id } a: customer(key: $a) { id } b: customer(key: $b) { id } }',
                   {"k": [RISER, *CROWD[2:6], "CKunknown"], "a": CROWD[0], "b": CROWD[1]})
    assert not error_messages(body), body
    assert [c and c["id"] for c in body["data"]["customers"]] == [RISER, *CROWD[2:6], None]
    assert calls == [7]


def test_small_reads_of_redis_stay_on_the_event_loop(world, monkeypatch):
    """A thread hop costs as much CPU as a one-customer Redis read: the prod store's small
    reads run on the event loop; larger ones, and every read of the local SQLite store (which
    may wait on a file lock), in a thread."""
    threaded, run_sync = [], anyio.to_thread.run_sync

    async def counted(function, *args, **kwargs):
        if function is read_profiles:
            threaded.append(len(args[2]))  # (serving, access, customer_keys, plan)
        return await run_sync(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    small, large = CUSTOMERS[:INLINE_READ_CUSTOMERS], CUSTOMERS[:INLINE_READ_CUSTOMERS + 1]
    for keys in (small, large):
        body = graphql(world.client(), world.keys["data_scientist"],
                       "query ($k: [String!]!) { customers(keys: $k) { id } }", {"k": keys})
        assert not error_messages(body), body
        assert [customer["id"] for customer in body["data"]["customers"]] == list(keys)
    assert world.serving.reads_quickly is (world.env == "prod")
    assert threaded == ([len(large)] if world.env == "prod" else [len(small), len(large)])


def test_rule_based_scores_are_profile_tags_with_their_catalog_version(world):
    # Customer.scores holds the federated models' scores (test_api_model_scores.py); a score
    # the catalog computes by a formula is a tag of its family like any other.
    body = graphql(world.client(), world.keys["data_scientist"],
                   'query ($k: String!) { customer(key: $k, tags: ["churn_risk_score"]) '
                   '{ values families { tags { id value version } } } }', {"k": RISER})
    customer = body["data"]["customer"]
    assert customer["values"] == {"churn_risk_score": "0.9000"}
    assert customer["families"] == [{"tags": [{"id": "churn_risk_score", "value": "0.9000",
                                               "version": 1}]}]


def test_values_is_the_compact_form_of_families(world):
    body = graphql(world.client(), world.keys["marketing"],
                   'query ($k: String!) { customer(key: $k) { values families { tags '
                   '{ id value } } } }', {"k": RISER})
    customer = body["data"]["customer"]
    flattened = {t["id"]: t["value"] for f in customer["families"] for t in f["tags"]}
    assert customer["values"] == flattened and customer["values"]["asset_tier"] == "hnw"
