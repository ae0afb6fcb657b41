import re

import pytest

from profilehub import rules
from profilehub.contracts import CONTRACTS, PARTNERS, get_contract


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_contract_is_internally_consistent(contract):
    names = contract.column_names
    assert len(names) == len(set(names)), "duplicate column"
    assert set(contract.key) <= set(names)
    assert contract.event_time in names
    assert contract.column(contract.event_time).type in ("date", "timestamp")
    for column in contract.columns:
        if column.pattern:
            re.compile(column.pattern)
        if column.min is not None and column.max is not None:
            assert column.min < column.max
        if column.references:
            source, target = column.references
            assert target in get_contract(source).column_names
    for key_column in contract.key:
        assert not contract.column(key_column).nullable, "key columns are required"


def test_every_partner_source_links_through_exactly_one_pii_key():
    partner_sources = [c for c in CONTRACTS if c.partner in PARTNERS]
    assert {c.partner for c in partner_sources} == set(PARTNERS)
    for contract in partner_sources:
        assert "partner_user_id" in contract.column_names
        assert len(contract.pii_columns) == 1, contract.name


def test_pii_columns_become_tokens_after_ingest():
    customers = get_contract("customers")
    assert {c.curated_name for c in customers.pii_columns} == {
        "name_token", "phone_token", "national_id_token", "device_id_token"}
    assert "phone" not in customers.curated_columns


def test_unknown_source_names_the_known_ones():
    with pytest.raises(KeyError, match="trades"):
        get_contract("trade")


def test_rule_ids_carry_the_column_for_column_checks():
    assert rules.rule_id(rules.RANGE, "amount") == "range:amount"
    assert rules.rule_id(rules.MALFORMED) == "malformed"
    with pytest.raises(ValueError, match="needs a column"):
        rules.rule_id(rules.NOT_NULL)
    with pytest.raises(ValueError, match="unknown check"):
        rules.rule_id("bogus")
