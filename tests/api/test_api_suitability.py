"""Suitability: never a product above the customer's level, never without a valid
questionnaire; exhaustive over levels, and over HTTP for the crowd's customers."""

from __future__ import annotations

import itertools

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from graphql_client import error_messages, graphql
from support.feature_store_data import CROWD, EXPIRED, UNASSESSED

from api.suitability.rules import SuitabilityReason, decide
from profilehub.contracts import CUSTOMER_RISK_LEVELS, PRODUCT_RISK_LEVELS

QUERY = """query ($c: String!, $p: String!) { suitability(customer: $c, product: $p) {
  allowed reason explanation customerRiskLevel productRiskLevel } }"""
ALL_LEVELS = " ".join(
    f'{level}: suitability(customer: $c, product: "{level}") {{ allowed reason }}'
    for level in PRODUCT_RISK_LEVELS)


@pytest.mark.parametrize(("customer", "product"),
                         list(itertools.product(CUSTOMER_RISK_LEVELS, PRODUCT_RISK_LEVELS)))
def test_the_rule_never_allows_a_product_above_the_customer(customer, product):
    decision = decide(customer, False, product)
    assert decision.allowed == (int(product[1]) <= int(customer[1]))
    assert decide(customer, True, product).allowed is False
    assert decide(None, False, product).allowed is False
    assert decide("unassessed", False, product).allowed is False


@pytest.mark.parametrize("number", range(len(CROWD) - 2))
def test_over_http_allowed_exactly_up_to_the_customer_level(world, number):
    body = graphql(world.client(), world.keys["marketing"], f"query ($c: String!) "
                   f"{{ {ALL_LEVELS} }}", {"c": CROWD[number]})
    assert not error_messages(body), body
    level = number % 5 + 1
    for rank, product in enumerate(PRODUCT_RISK_LEVELS, start=1):
        answer = body["data"][product]
        assert answer["allowed"] == (rank <= level), (CROWD[number], product)
        assert answer["reason"] == ("WITHIN_LEVEL" if rank <= level else "ABOVE_CUSTOMER_LEVEL")


@pytest.mark.parametrize(("customer", "reason"), [
    (EXPIRED, SuitabilityReason.QUESTIONNAIRE_EXPIRED),
    (UNASSESSED, SuitabilityReason.QUESTIONNAIRE_MISSING)])
def test_a_missing_or_expired_questionnaire_allows_nothing(world, customer, reason):
    body = graphql(world.client(), world.keys["admin"], QUERY, {"c": customer, "p": "R1"})
    answer = body["data"]["suitability"]
    assert answer["allowed"] is False and answer["reason"] == reason.name
    assert "questionnaire" in answer["explanation"]


def test_a_product_code_is_looked_up_on_the_shelf(world):
    folder = world.settings.paths.lake / "wealth_products" / "dt=2026-10-01"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"product_code": ["FD000001"], "risk_level": ["R4"],
                             "updated_at": pa.array([0], pa.timestamp("us"))}),
                   folder / "part-00000.parquet")
    client = world.client()
    body = graphql(client, world.keys["marketing"], QUERY, {"c": CROWD[2], "p": "FD000001"})
    answer = body["data"]["suitability"]
    assert answer["productRiskLevel"] == "R4" and answer["allowed"] is False
    assert answer["explanation"] == "product level R4 exceeds customer level C3"
    unknown = graphql(client, world.keys["marketing"], QUERY, {"c": CROWD[2], "p": "FD999999"})
    assert "no product 'FD999999'" in error_messages(unknown)[0]


def test_partners_may_not_ask(world):
    body = graphql(world.client(), world.keys["partner:ecom_mall"], QUERY,
                   {"c": CROWD[0], "p": "R1"}, purpose="partner_credit_assessment")
    assert error_messages(body) == ["only data_scientist, marketing and admin keys may use this "
                                    "field"]
