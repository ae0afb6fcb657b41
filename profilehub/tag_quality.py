"""How well the tags find the behaviours the generator planted: precision, recall, AUC.

The generator writes what it planted per account (``paths.ground_truth/customers.parquet``,
``profilehub.generator.truth``); identity resolution maps accounts to customers
(``lake.customer_accounts`` of the as_of); the marts hold the tag values (``fct_customer_tags``,
one row per customer and tag, no row for a NULL or consent-withheld value). :data:`CHECKS`
declares, once, which tag answers which planted behaviour, and how:

- ``flag``: a tag whose value says yes or no (a boolean tag, or a predicate over a category's
  label): precision, recall and support against the planted flag;
- ``score``: a score tag: the AUC of the score for the planted flag (ties count half), and its
  support;
- ``category``: a category tag against the planted category: accuracy, and with ``per_value``
  precision and recall of each label against the rest.

The truth of a customer is the truth of its accounts (:func:`customer_truth_sql`): flags are
true when any account's is, amounts add up, and other values come from the customer's first
account. A customer without a value for the tag is not scored but counted (``no value``, and how
many of them were planted): for a partner-derived tag that is a customer who has not consented
to every partner the tag reads, not a miss of the tag. Only generated data has a ground truth:
:func:`tag_quality` returns None without one, and the daily run reports it and goes on
(``profilehub.daily.quality_gate``). The report is informational: nothing here fails a build.

:func:`score_tables` scores in-memory tables (what the tests use); :func:`tag_quality` reads an
as_of's files (DuckDB over Parquet, no Spark); :func:`write_report` writes
``reports/as_of=…/tag_quality.txt`` and ``.json`` beside the gate reports.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from profilehub.files import write_text_atomically
from profilehub.settings import Settings

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from profilehub.catalog import Tag

REPORT_NAME = "tag_quality"
Kind = Literal["flag", "score", "category"]
# The truth of a check may use the catalog rule of its own tag over the planted columns
# (asset_tier: the tier the catalog gives the planted total assets).
CATALOG_RULE = "<catalog rule of the tag>"
# How a boolean tag says yes.
TRUE = "value = 'true'"


@dataclass(frozen=True)
class Check:
    """One tag scored against one planted behaviour.

    ``truth`` is a DuckDB expression over the customer-level truth (:func:`customer_truth_sql`;
    ``{as_of}`` is the as_of as a DATE): a boolean for ``flag`` and ``score`` checks, a label
    for ``category`` checks. ``predicted`` is an expression over the tag's text ``value`` (flag
    checks only).
    """

    behaviour: str
    tag: str
    kind: Kind
    truth: str
    predicted: str = TRUE
    per_value: bool = False


CHECKS: tuple[Check, ...] = (
    Check("gen_z", "gen_z", "flag", "is_gen_z"),
    Check("asset_tier", "asset_tier", "category", CATALOG_RULE, per_value=True),
    Check("risk_level", "customer_risk_level", "category", "risk_level"),
    Check("preferred_sector", "preferred_sector", "category", "preferred_sector"),
    Check("day_trader", "day_trader", "flag", "is_day_trader"),
    Check("wash_trader", "wash_trade_like_round_trips", "flag", "is_wash_trader"),
    Check("panic_seller", "panic_seller_score", "score", "is_panic_seller"),
    Check("panic_seller", "panic_selling_episode_90d", "flag", "is_panic_seller"),
    # A churner is one from the first day its activity starts fading; before that it behaves
    # like anyone else.
    Check("churner", "churn_risk_score", "score", "is_churner AND churn_start_date <= {as_of}"),
    Check("churner", "declining_activity", "flag",
          "is_churner AND churn_start_date <= {as_of}"),
    Check("fomo_chaser", "fomo_chaser", "flag", "is_fomo_chaser"),
    Check("fomo_chaser", "fomo_score", "score", "is_fomo_chaser"),
    Check("margin_user", "margin_user", "flag", "is_margin_user"),
    Check("wealth_user", "dominant_product_type", "flag", "is_wealth_user",
          predicted="value <> 'none'"),
    Check("suitability_breach", "holds_above_risk_level", "flag", "is_suitability_breach"),
    Check("traveller", "travel_lover", "flag", "is_traveller"),
    Check("cross_border_traveller", "cross_border_traveller", "flag",
          "is_cross_border_traveller"),
    Check("new_parent", "new_parent", "flag", "is_new_parent"),
    # The tag's window: the 7 days up to and including the as_of.
    Check("airport_visit_7d", "airport_visit_7d", "flag",
          "len(list_filter(airport_visit_dates, lambda d: d > {as_of} - 7 AND d <= {as_of})) > 0"),
)


@dataclass(frozen=True)
class Score:
    """One row of the report: a tag (or one label of a category tag) against the truth."""

    behaviour: str
    tag: str
    kind: Kind | Literal["label"]
    partner: bool  # the tag reads partner data: a missing value is withheld consent
    customers: int  # scored: with truth and a value
    support: int  # planted (or of the label) among the scored
    tagged: int | None = None  # flag and label rows: predicted positive
    true_positives: int | None = None
    precision: float | None = None
    recall: float | None = None
    auc: float | None = None
    accuracy: float | None = None
    no_value: int = 0  # customers with truth but no value (partner tags: no consent)
    no_value_planted: int = 0  # of them, planted (flag and score rows)

    def measure(self) -> str:
        if self.auc is not None:
            return f"AUC {self.auc:.3f}"
        if self.accuracy is not None:
            return f"accuracy {self.accuracy:.3f}"
        return ""


@dataclass(frozen=True)
class TagQuality:
    as_of: date
    customers: int  # customers with a ground truth (through their accounts)
    accounts: int  # accounts of the as_of matched to the ground truth
    scores: tuple[Score, ...] = field(default_factory=tuple)

    def score(self, tag: str) -> Score:
        """The row of ``tag`` (``asset_tier=hnw`` for one label of a category tag)."""
        for row in self.scores:
            if row.tag == tag:
                return row
        raise KeyError(tag)

    def table(self) -> str:
        header = ("behaviour", "tag", "kind", "scored", "support", "tagged", "precision",
                  "recall", "AUC / accuracy", "no value (planted)")
        rows = [(s.behaviour, s.tag + (" *" if s.partner else ""), s.kind, f"{s.customers:,}",
                 f"{s.support:,}", _count(s.tagged), _ratio(s.precision), _ratio(s.recall),
                 s.measure(),
                 f"{s.no_value:,} ({s.no_value_planted:,})" if s.no_value else "")
                for s in self.scores]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        right = {3, 4, 5, 6, 7}

        def line(cells: Sequence[str]) -> str:
            return "  ".join(cell.rjust(w) if i in right else cell.ljust(w)
                             for i, (cell, w) in enumerate(zip(cells, widths, strict=True)))

        return "\n".join([
            f"tag quality vs planted behaviours, as_of {self.as_of}: {self.customers:,} "
            f"customers with ground truth ({self.accounts:,} accounts)",
            line(header).rstrip(), line(["-" * w for w in widths]),
            *(line(row).rstrip() for row in rows),
            "* partner-derived: customers without consent to every partner it reads have no "
            "value and are not scored (counted under 'no value').",
        ])

    def to_json(self) -> str:
        return json.dumps({"as_of": self.as_of.isoformat(), "customers": self.customers,
                           "accounts": self.accounts,
                           "scores": [asdict(score) for score in self.scores]}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> TagQuality:
        raw = json.loads(text)
        return cls(date.fromisoformat(raw["as_of"]), raw["customers"], raw["accounts"],
                   tuple(Score(**row) for row in raw["scores"]))


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def auc(scores: Sequence[float] | np.ndarray, labels: Sequence[bool] | np.ndarray) -> float | None:
    """Area under the ROC curve (scikit-learn's, ties counting half), the chance a planted
    customer scores above another one. None without both classes."""
    from sklearn.metrics import roc_auc_score

    positive = np.asarray(labels, dtype=bool)
    if positive.all() or not positive.any():
        return None
    return float(roc_auc_score(positive, np.asarray(scores, dtype=float)))


def _divide(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def customer_truth_sql(columns: Sequence[tuple[str, str]]) -> str:
    """The SELECT of one truth row per customer from the ``accounts`` and ``truth`` tables,
    given the truth's (column, DuckDB type): flags OR-ed, amounts added, dates the earliest,
    lists concatenated, anything else of the customer's first-opened account."""
    items = []
    for name, sql_type in columns:
        if name == "account_id":
            continue
        column = f't."{name}"'
        if sql_type == "BOOLEAN":
            items.append(f'bool_or({column}) AS "{name}"')
        elif sql_type == "DOUBLE" or sql_type.startswith("DECIMAL"):
            items.append(f'sum({column}) AS "{name}"')
        elif sql_type == "DATE":
            items.append(f'min({column}) AS "{name}"')
        elif sql_type.endswith("[]"):
            items.append(f'flatten(list({column})) AS "{name}"')
        else:
            items.append(f'arg_min({column}, t.open_date) AS "{name}"')
    return ("SELECT a.customer_key, count(*) AS account_count, " + ", ".join(items)
            + " FROM (SELECT DISTINCT customer_key, account_id FROM accounts) a"
            + " JOIN truth t ON t.account_id = a.account_id GROUP BY a.customer_key")


def _truth_expression(check: Check, tag: Tag, as_of: date) -> str:
    truth = tag.sql if check.truth == CATALOG_RULE else check.truth
    return truth.replace("{as_of}", f"DATE '{as_of.isoformat()}'")


def _pairs(db: duckdb.DuckDBPyConnection, check: Check, tag: Tag, as_of: date,
           value: str) -> list[tuple[Any, Any]]:
    """(truth, value) of every customer with truth; value NULL where the tag has none."""
    return db.execute(f"""
        SELECT ({_truth_expression(check, tag, as_of)}) AS truth, {value} AS value
        FROM customer_truth c
        LEFT JOIN (SELECT customer_key, any_value(value) AS value FROM tags
                   WHERE tag_id = ? GROUP BY customer_key) v
          ON v.customer_key = c.customer_key""", [tag.id]).fetchall()


def _flag_score(check: Check, partner: bool, pairs: list[tuple[Any, Any]]) -> Score:
    scored = [(bool(truth), bool(predicted)) for truth, predicted in pairs
              if predicted is not None]
    missing = [bool(truth) for truth, predicted in pairs if predicted is None]
    support = sum(truth for truth, _ in scored)
    tagged = sum(predicted for _, predicted in scored)
    hits = sum(truth and predicted for truth, predicted in scored)
    return Score(check.behaviour, check.tag, "flag", partner, len(scored), support, tagged, hits,
                 _divide(hits, tagged), _divide(hits, support), no_value=len(missing),
                 no_value_planted=sum(missing))


def _score_score(check: Check, partner: bool, pairs: list[tuple[Any, Any]]) -> Score:
    scored = [(bool(truth), float(value)) for truth, value in pairs if value is not None]
    missing = [bool(truth) for truth, value in pairs if value is None]
    labels = [truth for truth, _ in scored]
    area = auc([value for _, value in scored], labels)
    return Score(check.behaviour, check.tag, "score", partner, len(scored), sum(labels),
                 auc=area, no_value=len(missing), no_value_planted=sum(missing))


def _category_scores(check: Check, tag: Tag, pairs: list[tuple[Any, Any]]) -> list[Score]:
    partner = bool(tag.partners)
    scored = [(truth, value) for truth, value in pairs if value is not None]
    missing = [truth for truth, value in pairs if value is None]
    right = sum(truth == value for truth, value in scored)
    rows = [Score(check.behaviour, check.tag, "category", partner, len(scored), len(scored),
                  accuracy=_divide(right, len(scored)), no_value=len(missing))]
    if check.per_value:
        for label in tag.values:
            support = sum(truth == label for truth, _ in scored)
            tagged = sum(value == label for _, value in scored)
            hits = sum(truth == value == label for truth, value in scored)
            rows.append(Score(f"{check.behaviour}={label}", f"{check.tag}={label}", "label",
                              partner, len(scored), support, tagged, hits,
                              _divide(hits, tagged), _divide(hits, support),
                              no_value=len(missing),
                              no_value_planted=sum(truth == label for truth in missing)))
    return rows


def score_connection(db: duckdb.DuckDBPyConnection, as_of: date,
                     checks: Sequence[Check] = CHECKS,
                     tags: Sequence[Tag] | None = None) -> TagQuality:
    """Score ``checks`` on a connection holding the tables (or views) ``tags``
    (customer_key, tag_id, value), ``accounts`` (customer_key, account_id) and ``truth`` (the
    generator's customers truth)."""
    from profilehub.catalog import load_tags

    catalog = {tag.id: tag for tag in (load_tags() if tags is None else tags)}
    unknown = sorted({check.tag for check in checks} - set(catalog))
    if unknown:
        raise KeyError(f"tag quality checks name tags not in the catalog: {', '.join(unknown)}")
    columns = [(name, sql_type) for name, sql_type, *_ in db.execute("DESCRIBE truth").fetchall()]
    db.execute(f"CREATE OR REPLACE TEMP TABLE customer_truth AS {customer_truth_sql(columns)}")
    customers, accounts = db.execute(
        "SELECT count(*), coalesce(sum(account_count), 0) FROM customer_truth").fetchone()
    scores: list[Score] = []
    for check in checks:
        tag = catalog[check.tag]
        partner = bool(tag.partners)
        if check.kind == "flag":
            value = f"CASE WHEN value IS NULL THEN NULL ELSE coalesce(({check.predicted}), " \
                    f"FALSE) END"
            scores.append(_flag_score(check, partner, _pairs(db, check, tag, as_of, value)))
        elif check.kind == "score":
            pairs = _pairs(db, check, tag, as_of, "TRY_CAST(value AS DOUBLE)")
            scores.append(_score_score(check, partner, pairs))
        else:
            scores.extend(_category_scores(check, tag, _pairs(db, check, tag, as_of, "value")))
    return TagQuality(as_of, int(customers), int(accounts), tuple(scores))


def score_tables(tags: pa.Table, accounts: pa.Table, truth: pa.Table, as_of: date,
                 checks: Sequence[Check] = CHECKS,
                 catalog: Sequence[Tag] | None = None) -> TagQuality:
    """:func:`score_connection` over in-memory Arrow tables."""
    import duckdb

    with duckdb.connect() as db:
        for name, table in (("tags", tags), ("accounts", accounts), ("truth", truth)):
            db.register(f"{name}_arrow", table)
            db.execute(f"CREATE VIEW {name} AS SELECT * FROM {name}_arrow")
        return score_connection(db, as_of, checks, catalog)


def ground_truth_file(settings: Settings) -> Path:
    from profilehub.generator.truth import CUSTOMERS_FILE

    return settings.paths.ground_truth / CUSTOMERS_FILE


def tag_quality(settings: Settings, as_of: date) -> TagQuality | None:
    """Score the as_of's published tag values against the ground truth; None when there is no
    ground truth (data not generated here). Raises FileNotFoundError when the as_of's tags or
    customer accounts are missing."""
    import duckdb

    from profilehub.catalog.sql import sql_string
    from profilehub.feature_store.marts import TAGS_MODEL, mart_partition
    from spark.identity.tables import AS_OF, CUSTOMER_ACCOUNTS

    truth = ground_truth_file(settings)
    if not truth.exists():
        return None
    folders = {"tags": mart_partition(settings, TAGS_MODEL, as_of),
               "accounts": settings.paths.lake / CUSTOMER_ACCOUNTS.name
               / f"{AS_OF}={as_of.isoformat()}"}
    absent = [f"{name} ({folder})" for name, folder in folders.items()
              if not any(folder.glob("*.parquet"))]
    if absent:
        raise FileNotFoundError(f"as_of {as_of} has no {', '.join(absent)}")
    with duckdb.connect() as db:
        db.execute(f"CREATE VIEW truth AS SELECT * FROM read_parquet({sql_string(str(truth))})")
        for name, folder in folders.items():
            db.execute(f"CREATE VIEW {name} AS SELECT * FROM "
                       f"read_parquet({sql_string(str(folder / '*.parquet'))})")
        return score_connection(db, as_of)


def report_paths(settings: Settings, as_of: date) -> tuple[Path, Path]:
    from profilehub.gates import report_folder

    folder = report_folder(settings, as_of)
    return folder / f"{REPORT_NAME}.txt", folder / f"{REPORT_NAME}.json"


def write_report(settings: Settings, quality: TagQuality) -> Path:
    """Write the report (text and JSON) into the as_of's report folder; returns the text's
    path."""
    text, data = report_paths(settings, quality.as_of)
    write_text_atomically(text, quality.table() + "\n")
    write_text_atomically(data, quality.to_json() + "\n")
    return text


def read_report(settings: Settings, as_of: date) -> TagQuality | None:
    _, data = report_paths(settings, as_of)
    return TagQuality.from_json(data.read_text(encoding="utf-8")) if data.exists() else None
