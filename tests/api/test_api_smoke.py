"""Smoke: the service answers over HTTP."""

from __future__ import annotations

from graphql_client import error_messages, graphql
from support.feature_store_data import RISER


def test_admin_reads_a_profile(world):
    client = world.client()
    body = graphql(client, world.keys["admin"],
                   'query ($key: String!) { customer(key: $key) { id asOf families { name tags '
                   '{ id value version definitionUrl } } scores { model score version } } }',
                   {"key": RISER})
    assert not error_messages(body), body
    print(body["data"]["customer"]["families"][0])
