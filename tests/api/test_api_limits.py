"""Each limit turns an abusive request away with an error that says which limit and why, and
internal failures are masked."""

from __future__ import annotations

from graphql_client import error_messages, graphql
from support.feature_store_data import CROWD, CUSTOMERS

from api.schema import MASKED_MESSAGE

PROFILE = 'query Deep { customer(key: "' + CROWD[0] + '") { families { tags { id } } } }'


def test_depth(world):
    client = world.client(world.settings_with(PROFILEHUB_API_MAX_DEPTH="2"))
    body = graphql(client, world.keys["admin"], PROFILE)
    assert error_messages(body) == ["'Deep' exceeds maximum operation depth of 2"]


def test_aliases(world):
    query = "{ " + " ".join(f"a{n}: tagCatalog(family: \"asset_tier\") {{ id }}"
                            for n in range(31)) + " }"
    body = graphql(world.client(), world.keys["admin"], query)
    assert error_messages(body) == ["31 aliases found. Allowed: 30"]


def test_tokens(world):
    query = "{ tagCatalog { " + " ".join(["id"] * 2500) + " } }"
    body = graphql(world.client(), world.keys["admin"], query)
    assert "Document contains more than 2000 tokens" in error_messages(body)[0]


def test_complexity(world):
    expressions = ", ".join(['"hnw"'] * 60)
    query = f"{{ segmentSizes(expressions: [{expressions}]) {{ members(limit: 1000) }} }}"
    body = graphql(world.client(), world.keys["marketing"], query)
    assert body["data"] is None
    assert error_messages(body)[0].startswith("query too complex: estimated cost 60060 exceeds "
                                              "the limit of 50000")


def test_complexity_counts_variables(world):
    client = world.client(world.settings_with(PROFILEHUB_API_MAX_COMPLEXITY="50"))
    query = "query ($k: [String!]!) { customers(keys: $k) { families { tags { id value } } } }"
    body = graphql(client, world.keys["admin"], query, {"k": list(CUSTOMERS)})
    assert error_messages(body)[0].startswith("query too complex: estimated cost 80 ")


def test_batch_size(world):
    body = graphql(world.client(), world.keys["admin"],
                   "query ($k: [String!]!) { customers(keys: $k) { id } }",
                   {"k": [f"CK{n}" for n in range(501)]})
    assert error_messages(body) == ["501 keys in one customers() call; at most 500"]


def test_rate_limit_per_key(world):
    client = world.client(world.settings_with(PROFILEHUB_API_RATE_LIMIT_PER_MINUTE="3"))
    for _ in range(3):
        graphql(client, world.keys["marketing"], "{ tagCatalog(family: \"asset_tier\") { id } }")
    refused = client.post("/graphql", json={"query": "{ tagCatalog { id } }"},
                          headers={"Authorization": f"Bearer {world.keys['marketing']}"})
    assert refused.status_code == 429
    assert refused.text == "rate limit of 3 requests per minute exceeded for this key"
    # Another key has its own budget.
    graphql(client, world.keys["admin"], "{ tagCatalog(family: \"asset_tier\") { id } }")


def test_no_introspection_for_partners_in_prod(world):
    client = world.client(world.settings_with(PROFILEHUB_API_PARTNER_INTROSPECTION="false"))
    query = "{ __schema { queryType { name } } }"
    body = graphql(client, world.keys["partner:ecom_mall"], query,
                   purpose="partner_credit_assessment")
    assert "introspection" in error_messages(body)[0].lower()
    assert graphql(client, world.keys["admin"], query)["data"]["__schema"]["queryType"] == {
        "name": "Query"}


def test_missing_or_wrong_keys_are_refused(world):
    client = world.client()
    assert client.post("/graphql", json={"query": "{ tagCatalog { id } }"}).status_code == 401
    forged = world.keys["admin"][:-4] + "AAAA"
    response = client.post("/graphql", json={"query": "{ tagCatalog { id } }"},
                           headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401 and "invalid API key" in response.text


def test_internal_failures_are_masked(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("redis://secret-host:6379 refused the connection")

    monkeypatch.setattr(world.serving.online, "read", broken)
    body = graphql(world.client(), world.keys["admin"],
                   "query ($k: String!) { customer(key: $k) { id } }", {"k": CROWD[0]})
    assert error_messages(body) == [MASKED_MESSAGE]
    assert "secret-host" not in str(body)
