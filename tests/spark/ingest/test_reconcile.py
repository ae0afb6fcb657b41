"""Reconciliation figures: what makes a source and date fail, and how it reads."""

from __future__ import annotations

import datetime as dt

from spark.ingest.reconcile import FAILED, OK, reconcile

DAY = dt.date(2026, 10, 1)


def _reconcile(rows_in: int, accepted: int, quarantined: int, limit: float = 0.10):
    return reconcile("trades", DAY, rows_in=rows_in, accepted=accepted, quarantined=quarantined,
                     rule_counts={"range:amount": quarantined}, extra_columns=["z", "a"],
                     max_quarantine_rate=limit)


def test_counts_that_add_up_under_the_limit_are_ok():
    result = _reconcile(100, 95, 5)
    assert result.status == OK and result.problems == ()
    assert result.quarantine_rate == 0.05
    assert result.extra_columns == ("a", "z")
    assert result.as_row() == ("trades", 100, 95, 5, 0.05, {"range:amount": 5}, ["a", "z"], OK)


def test_counts_that_do_not_add_up_fail_naming_the_figures():
    result = _reconcile(100, 90, 5)
    assert result.status == FAILED
    assert result.problems == ("rows in 100 != accepted 90 + quarantined 5",)


def test_a_quarantine_rate_above_the_limit_fails():
    result = _reconcile(10, 8, 2)
    assert result.problems == ("quarantine rate 20.00% exceeds the limit 10.00%",)
    assert "top rules: range:amount 2" in result.figures()


def test_an_empty_delivery_is_ok():
    assert _reconcile(0, 0, 0).status == OK
