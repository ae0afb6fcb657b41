"""Tag quality against planted behaviours, on hand-made Parquet with known answers (no Spark).

Ten customers C0..C9 (C9 has two accounts, merged by identity resolution) with a ground truth
and tag values chosen so that every figure below is known by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from profilehub import daily
from profilehub.catalog import load_tags
from profilehub.feature_store.marts import TAGS_MODEL, mart_partition
from profilehub.generator import generate
from profilehub.generator.truth import CUSTOMERS_FILE
from profilehub.pipeline import tag_quality_summary
from profilehub.settings import Paths, Settings, load_settings
from profilehub.tag_quality import (
    CHECKS,
    auc,
    read_report,
    score_tables,
    tag_quality,
    write_report,
)

AS_OF = dt.date(2026, 10, 10)
KEYS = [f"C{n}" for n in range(10)]
# account -> customer: C9 holds A9 and A10.
ACCOUNTS = {f"A{n}": f"C{n}" for n in range(10)} | {"A10": "C9"}


def days(offset: int) -> dt.date:
    return AS_OF + dt.timedelta(days=offset)


def truth_row(account: str, **planted) -> dict:
    """A ground-truth row with every column the checks read: nothing planted by default."""
    row = {"account_id": account, "open_date": dt.date(2020, 1, 1), "is_gen_z": False,
           "total_assets": 10_000.0, "risk_level": "C3", "preferred_sector": "finance",
           "is_day_trader": False, "is_wash_trader": False, "is_panic_seller": False,
           "is_churner": False, "churn_start_date": None, "is_fomo_chaser": False,
           "is_margin_user": False, "is_wealth_user": False, "is_suitability_breach": False,
           "is_traveller": False, "is_cross_border_traveller": False, "is_new_parent": False,
           "airport_visit_dates": []}
    return {**row, **planted}


TRUTH = [
    truth_row("A0", is_gen_z=True, total_assets=50_000.0, is_day_trader=True,
              is_panic_seller=True, is_churner=True, churn_start_date=days(-2),
              is_traveller=True, airport_visit_dates=[days(-6)]),
    truth_row("A1", is_gen_z=True, total_assets=200_000.0, is_day_trader=True,
              is_panic_seller=True, is_churner=True, churn_start_date=days(3),
              is_traveller=True, airport_visit_dates=[days(-7)]),
    truth_row("A2", total_assets=2_000_000.0, is_day_trader=True, is_panic_seller=True,
              is_traveller=True, airport_visit_dates=[days(1)]),
    truth_row("A3", total_assets=20_000_000.0, is_day_trader=True, is_traveller=True),
    truth_row("A4", total_assets=99_999.0),
    truth_row("A5"), truth_row("A6"), truth_row("A7"), truth_row("A8"),
    # C9: two accounts of 60k (together mass affluent), the second a day trader.
    truth_row("A9", total_assets=60_000.0),
    truth_row("A10", total_assets=60_000.0, is_day_trader=True),
    # An account identity resolution does not know (another generation, not delivered yet).
    truth_row("A99", is_day_trader=True),
]


def tag_rows() -> list[dict]:
    rows = []

    def put(tag: str, values: dict[str, str]) -> None:
        rows.extend({"customer_key": key, "tag_id": tag, "value": value}
                    for key, value in values.items())

    put("gen_z", {key: "true" if key in ("C0", "C1") else "false" for key in KEYS})
    # Day traders C0-C3 and C9; tagged C0-C2 and C5: TP 3, FP 1, FN 2.
    put("day_trader", {key: "true" if key in ("C0", "C1", "C2", "C5") else "false"
                       for key in KEYS})
    put("panic_seller_score", {"C0": "0.9000", "C1": "0.5000", "C2": "0.2000", "C3": "0.5000",
                               "C4": "0.1000"} | {key: "0.0000" for key in KEYS[5:]})
    # C0's churn started before the as_of, C1's only after it (not a churner yet).
    put("churn_risk_score", {key: {"C0": "0.8000", "C1": "0.9000"}.get(key, "0.1000")
                             for key in KEYS})
    put("asset_tier", {"C0": "long_tail", "C1": "mass_affluent", "C2": "hnw", "C3": "hnw",
                       "C9": "mass_affluent"}
        | {key: "long_tail" for key in ("C4", "C5", "C6", "C7", "C8")})
    # Partner-derived: C0-C2, C4 and C5 consented (C3 and C6-C9 have no row).
    put("travel_lover", {"C0": "true", "C1": "true", "C2": "false", "C4": "true",
                         "C5": "false"})
    put("airport_visit_7d", {key: "true" if key in ("C0", "C1") else "false" for key in KEYS})
    return rows


def write_inputs(settings: Settings) -> None:
    from spark.identity.tables import AS_OF as AS_OF_COLUMN
    from spark.identity.tables import CUSTOMER_ACCOUNTS

    truth = settings.paths.ground_truth / CUSTOMERS_FILE
    truth.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(TRUTH), truth)
    for folder, rows in (
            (settings.paths.lake / CUSTOMER_ACCOUNTS.name / f"{AS_OF_COLUMN}={AS_OF}",
             [{"customer_key": key, "account_id": account} for account, key in ACCOUNTS.items()]),
            (mart_partition(settings, TAGS_MODEL, AS_OF), tag_rows())):
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows), folder / "part-00000.parquet")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"PROFILEHUB_DATA_ROOT": str(tmp_path)})


@pytest.fixture
def scored(settings: Settings):
    write_inputs(settings)
    quality = tag_quality(settings, AS_OF)
    assert quality is not None
    return quality


def test_auc_is_the_share_of_planted_above_others_ties_half():
    assert auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == 0.75
    assert auc([0.5, 0.5, 0.5], [True, False, False]) == 0.5
    assert auc([1.0, 0.0], [True, False]) == 1.0
    assert auc([1.0, 0.0], [False, True]) == 0.0
    assert auc([0.3, 0.2], [True, True]) is None


def test_customers_are_their_accounts(scored):
    # A99 belongs to no customer of the as_of: it is not scored anywhere.
    assert (scored.customers, scored.accounts) == (10, 11)


def test_a_boolean_tag_gets_precision_recall_and_support(scored):
    day_trader = scored.score("day_trader")
    # C9 is a day trader through its second account.
    assert (day_trader.customers, day_trader.support, day_trader.tagged,
            day_trader.true_positives) == (10, 5, 4, 3)
    assert (day_trader.precision, day_trader.recall) == (0.75, 0.6)
    gen_z = scored.score("gen_z")
    assert (gen_z.precision, gen_z.recall, gen_z.support) == (1.0, 1.0, 2)


def test_a_score_tag_gets_its_auc(scored):
    # Planted 0.9, 0.5, 0.2 against 0.5, 0.1 and five zeros: 7 + 6.5 + 6 of 21 pairs.
    panic = scored.score("panic_seller_score")
    assert (panic.support, panic.customers) == (3, 10)
    assert panic.auc == pytest.approx(19.5 / 21)
    assert panic.precision is None and panic.tagged is None
    # Only C0's churn had started by the as_of; C1 (0.9) is not yet a churner.
    churn = scored.score("churn_risk_score")
    assert churn.support == 1 and churn.auc == pytest.approx(8 / 9)


def test_a_category_tag_gets_accuracy_and_each_label_precision_and_recall(scored):
    tier = scored.score("asset_tier")
    # C3 (20M, uhnw by the catalog's rule) is tagged hnw; the merged C9 adds up to 120k.
    assert (tier.customers, tier.accuracy) == (10, 0.9)
    hnw, uhnw = scored.score("asset_tier=hnw"), scored.score("asset_tier=uhnw")
    assert (hnw.support, hnw.tagged, hnw.precision, hnw.recall) == (1, 2, 0.5, 1.0)
    assert (uhnw.support, uhnw.tagged, uhnw.precision, uhnw.recall) == (1, 0, None, 0.0)
    affluent = scored.score("asset_tier=mass_affluent")
    assert (affluent.support, affluent.precision, affluent.recall) == (2, 1.0, 1.0)


def test_customers_without_consent_are_counted_not_missed(scored):
    travel = scored.score("travel_lover")
    assert travel.partner
    # Scored C0, C1, C2, C4, C5: planted C0-C2, tagged C0, C1, C4.
    assert (travel.customers, travel.support, travel.tagged, travel.true_positives) == (
        5, 3, 3, 2)
    assert travel.precision == travel.recall == pytest.approx(2 / 3)
    # C3 (planted) and C6-C9 gave no consent.
    assert (travel.no_value, travel.no_value_planted) == (5, 1)


def test_the_airport_truth_is_the_tags_seven_day_window(scored):
    # C0's visit 6 days back is in the window; C1's 7 days back and C2's next day are not.
    airport = scored.score("airport_visit_7d")
    assert (airport.support, airport.tagged, airport.precision, airport.recall) == (
        1, 2, 0.5, 1.0)


def test_tags_without_values_are_reported_not_scored(scored):
    margin = scored.score("margin_user")
    assert (margin.customers, margin.no_value, margin.precision, margin.recall) == (
        0, 10, None, None)


def test_the_report_is_written_and_read_back(settings, scored):
    path = write_report(settings, scored)
    assert path.parent.name == f"as_of={AS_OF}"
    assert read_report(settings, AS_OF) == scored
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"tag quality vs planted behaviours, as_of {AS_OF}: 10 customers")
    line = next(line for line in text.splitlines() if line.startswith("day_trader "))
    assert line.split() == ["day_trader", "day_trader", "flag", "10", "5", "4", "0.750",
                            "0.600"]
    assert "travel_lover *" in text and "5 (1)" in text
    assert "AUC 0.929" in text and "accuracy 0.900" in text
    summary = tag_quality_summary(settings, [AS_OF - dt.timedelta(days=1), AS_OF])
    assert summary is not None and "  day_trader " in summary and str(path) in summary


def test_every_check_names_a_catalog_tag_of_its_kind():
    tags = {tag.id: tag for tag in load_tags()}
    for check in CHECKS:
        tag = tags[check.tag]
        expected = {"flag": ("boolean", "category"), "score": ("score",),
                    "category": ("category",)}[check.kind]
        assert tag.type in expected, check
        if tag.type == "category" and check.kind == "flag":
            assert check.predicted != "value = 'true'", check


def test_every_check_binds_to_the_generators_ground_truth(tmp_path: Path):
    report = generate(Paths(tmp_path), customers=60, days=2, seed=3, dirty_rate=0.0,
                      start=AS_OF - dt.timedelta(days=1), progress=False)
    truth = pq.read_table(report.ground_truth / CUSTOMERS_FILE)
    accounts = pa.table({"customer_key": truth.column("account_id"),
                         "account_id": truth.column("account_id")})
    empty = pa.table({"customer_key": pa.array([], pa.string()),
                      "tag_id": pa.array([], pa.string()), "value": pa.array([], pa.string())})
    quality = score_tables(empty, accounts, truth, AS_OF)
    assert quality.customers == truth.num_rows
    assert {score.tag.split("=")[0] for score in quality.scores} == {c.tag for c in CHECKS}
    assert all(score.no_value == truth.num_rows for score in quality.scores)


def test_the_daily_run_skips_without_ground_truth(settings, capsys):
    assert daily.report_tag_quality(settings, AS_OF) is None
    assert "tag quality of as_of 2026-10-10: skipped, no ground truth at" in capsys.readouterr().out


def test_the_daily_run_reports_and_never_fails(settings, capsys):
    truth = settings.paths.ground_truth / CUSTOMERS_FILE
    truth.parent.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(TRUTH), truth)
    # Ground truth but no marts: printed, not raised.
    assert daily.report_tag_quality(settings, AS_OF) is None
    assert "not scored (FileNotFoundError: as_of 2026-10-10 has no" in capsys.readouterr().out
    write_inputs(settings)
    quality = daily.report_tag_quality(settings, AS_OF)
    assert quality is not None and read_report(settings, AS_OF) == quality
    assert "day_trader" in capsys.readouterr().out
