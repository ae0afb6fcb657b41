"""The partner rule, on catalog tags with their sensitivity and purposes varied."""

from __future__ import annotations

import dataclasses

import pytest

from profilehub.catalog import load_tags
from profilehub.contracts import PURPOSES
from profilehub.feature_store.services import (
    PARTNER_PURPOSES,
    SERVICES,
    allowed_for,
    partner_may_receive,
)

TAG = load_tags()[0]


@pytest.mark.parametrize(("sensitivity", "purposes", "allowed"), [
    ("public", ("partner_credit_assessment",), True),
    ("partner_derived", ("marketing", "partner_credit_assessment"), True),
    ("internal", ("partner_credit_assessment",), False),
    ("sensitive", ("partner_credit_assessment", "research"), False),
    ("public", ("marketing", "research"), False),
    ("partner_derived", ("research",), False),
])
def test_partner_may_receive(sensitivity, purposes, allowed):
    tag = dataclasses.replace(TAG, sensitivity=sensitivity, purposes=purposes)
    assert partner_may_receive(tag) is allowed


def test_allowed_for_reads_the_purposes():
    tag = dataclasses.replace(TAG, purposes=("marketing",))
    assert allowed_for("marketing")(tag)
    assert not allowed_for("research")(tag)


def test_services_name_real_purposes_and_versions():
    assert set(PARTNER_PURPOSES) <= set(PURPOSES)
    for rule in SERVICES:
        assert rule.purpose in PURPOSES
        assert rule.name.rsplit("_", 1)[1] == "v1"
    assert len({rule.name for rule in SERVICES}) == len(SERVICES)
