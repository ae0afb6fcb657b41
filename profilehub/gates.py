"""The gates an as_of must pass before it is published, each with a readable report.

- :func:`reconciliation_gate`: after the ingest. Every source delivered for the date has a
  reconciliation row; rows in = accepted + quarantined; the quarantined share is within
  ``settings.ingest.max_quarantine_rate``; and the lake and quarantine partitions on disk hold
  exactly the rows the reconciliation says (read from their Parquet footers). The same holds
  for the earlier deliveries of the catch-up window (``settings.ingest.catchup_days``).
- :func:`quality_gate`: after the marts. ``dim_customer_profile`` has one row per customer that
  identity resolution found (coverage within ``settings.quality``), its cells are not NULL
  beyond the allowed share, enough of the catalog's tags have values, and every tag row belongs to a
  profiled customer.

Each gate writes ``reports/as_of=YYYY-MM-DD/<gate>.txt`` (for people) and ``.json`` (for
:func:`require_passed`, which publishing calls) under the data root, then raises
:class:`GateFailed` with the same text if a check failed. The gates read files only (pyarrow
and DuckDB): they need no Spark session.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from profilehub.files import write_text_atomically
from profilehub.settings import Settings

RECONCILIATION = "reconciliation"
QUALITY = "quality"
GATES = (RECONCILIATION, QUALITY)
# Columns (or tags) named in a check's detail, worst first.
_SHOWN = 5


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class GateReport:
    gate: str
    as_of: date
    run_id: str
    checks: tuple[Check, ...]
    # Headline numbers of the as_of (rows in, quarantined, population, tag rows, ...).
    figures: dict[str, int | float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    def text(self) -> str:
        failed = [check for check in self.checks if not check.passed]
        verdict = "PASSED" if self.passed else (
            f"FAILED ({len(failed)} of {len(self.checks)} checks)" if self.checks
            else "FAILED (nothing to check)")
        width = max((len(check.name) for check in self.checks), default=0)
        lines = [f"{self.gate} gate, as_of {self.as_of}, run {self.run_id}: {verdict}"]
        lines += [f"  {'ok  ' if check.passed else 'FAIL'}  {check.name:<{width}}  {check.detail}"
                  for check in self.checks]
        if self.figures:
            lines.append("  figures: " + ", ".join(f"{name} {_shown(value)}"
                                                   for name, value in self.figures.items()))
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "as_of": self.as_of.isoformat(),
                           "passed": self.passed}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> GateReport:
        raw = json.loads(text)
        return cls(gate=raw["gate"], as_of=date.fromisoformat(raw["as_of"]),
                   run_id=raw["run_id"], checks=tuple(Check(**c) for c in raw["checks"]),
                   figures=raw["figures"])


class GateFailed(RuntimeError):
    """An as_of did not pass a gate; the message is the readable report."""


def _shown(value: int | float) -> str:
    return f"{value:.2%}" if isinstance(value, float) else f"{value:,}"


def report_folder(settings: Settings, as_of: date) -> Path:
    return settings.paths.reports / f"as_of={as_of.isoformat()}"


def read_report(settings: Settings, gate: str, as_of: date) -> GateReport | None:
    path = report_folder(settings, as_of) / f"{gate}.json"
    return GateReport.from_json(path.read_text(encoding="utf-8")) if path.exists() else None


def require_passed(settings: Settings, gate: str, as_of: date, run_id: str) -> GateReport:
    """The gate's report of ``as_of`` by ``run_id``; raises :class:`GateFailed` otherwise."""
    report = read_report(settings, gate, as_of)
    if report is None or report.run_id != run_id:
        found = "no report" if report is None else f"only a report of run {report.run_id}"
        raise GateFailed(f"the {gate} gate has not passed for as_of {as_of} in run {run_id}: "
                         f"{found} in {report_folder(settings, as_of)}")
    if not report.passed:
        raise GateFailed(report.text())
    return report


def _record(settings: Settings, report: GateReport) -> GateReport:
    """Write the report (text and JSON), print it, and raise if the gate failed."""
    folder = report_folder(settings, report.as_of)
    write_text_atomically(folder / f"{report.gate}.txt", report.text() + "\n")
    write_text_atomically(folder / f"{report.gate}.json", report.to_json() + "\n")
    print(report.text(), flush=True)
    if not report.passed:
        raise GateFailed(f"{report.text()}\n(report: {folder / report.gate}.txt)")
    return report


def _source_check(settings: Settings, as_of: date, row: dict) -> Check:
    """One source's reconciliation row of one date against its limit and the files on disk."""
    from spark.ingest.tables import partition_folder, partition_rows

    paths, source, limit = settings.paths, row["source"], settings.ingest.max_quarantine_rate
    on_disk = (partition_rows(partition_folder(paths.lake / source, None, as_of)),
               partition_rows(partition_folder(paths.quarantine, source, as_of)))
    problems = []
    if row["rows_in"] != row["accepted"] + row["quarantined"]:
        problems.append("rows in != accepted + quarantined")
    if row["quarantine_rate"] > limit:
        problems.append(f"quarantine rate above the limit {limit:.2%}")
    if on_disk != (row["accepted"], row["quarantined"]):
        problems.append(f"partitions on disk hold {on_disk[0]} accepted and {on_disk[1]} "
                        f"quarantined rows")
    if row["status"] != "ok":
        problems.append(f"ingest status {row['status']}")
    top = sorted(row["rule_counts"].items(), key=lambda item: (-item[1], item[0]))[:3]
    detail = (f"in {row['rows_in']}, accepted {row['accepted']}, quarantined "
              f"{row['quarantined']} ({row['quarantine_rate']:.2%})"
              + (f" [{', '.join(f'{rule} {n}' for rule, n in top)}]" if top else "")
              + (f": {'; '.join(problems)}" if problems else ""))
    return Check(f"source {source}", not problems, detail)


def _date_checks(settings: Settings, day: date) -> tuple[list[Check], list[dict]]:
    """The checks of one delivery date, and its reconciliation rows."""
    from profilehub.contracts import CONTRACTS
    from profilehub.landing import list_partition_files
    from spark.ingest.reconcile import read_reconciliations
    from spark.ingest.tables import partition_folder

    paths = settings.paths
    delivered = [c.name for c in CONTRACTS if list_partition_files(paths.landing, c, day)]
    rows = {row["source"]: row for row in
            read_reconciliations(partition_folder(paths.reconciliation, None, day))}
    missing = [source for source in delivered if source not in rows]
    checks = [Check("delivered sources reconciled", bool(delivered) and not missing,
                    f"{len(delivered) - len(missing)} of {len(delivered)} delivered sources"
                    + (f"; no reconciliation for {', '.join(missing)}" if missing else "")
                    + ("" if delivered else "; nothing was delivered for this date"))]
    checks += [_source_check(settings, day, rows[source]) for source in sorted(rows)]
    return checks, list(rows.values())


def _earlier_dates_check(settings: Settings, as_of: date) -> Check:
    """The deliveries of the catch-up window before ``as_of``: all reconciled and within
    limits, since the profile's windows read them (named by date when they are not)."""
    from profilehub.contracts import CONTRACTS
    from profilehub.landing import delivered_dates

    earliest = date.fromordinal(as_of.toordinal() - settings.ingest.catchup_days)
    days = sorted({day for contract in CONTRACTS
                   for day in delivered_dates(settings.paths.landing, contract)
                   if earliest <= day < as_of})
    failing = []
    for day in days:
        failed = [check.name for check in _date_checks(settings, day)[0] if not check.passed]
        if failed:
            failing.append(f"{day} ({', '.join(failed[:_SHOWN])})")
    detail = (f"{len(days) - len(failing)} of {len(days)} earlier delivery dates since "
              f"{earliest} pass" + (f"; failing: {'; '.join(failing[:_SHOWN])}" if failing
                                     else ""))
    return Check("earlier deliveries the profile reads", not failing, detail)


def reconciliation_gate(settings: Settings, as_of: date, run_id: str) -> GateReport:
    """Judge the ingest of ``as_of`` from its reconciliation rows and partitions on disk, and
    the earlier deliveries of the catch-up window with one check."""
    checks, rows = _date_checks(settings, as_of)
    checks.append(_earlier_dates_check(settings, as_of))
    figures = {"sources": len(rows),
               "rows_in": sum(row["rows_in"] for row in rows),
               "accepted": sum(row["accepted"] for row in rows),
               "quarantined": sum(row["quarantined"] for row in rows)}
    return _record(settings, GateReport(RECONCILIATION, as_of, run_id, tuple(checks), figures))


def quality_gate(settings: Settings, as_of: date, run_id: str) -> GateReport:
    """Judge the marts of ``as_of`` against the population identity resolution found."""
    import duckdb

    from profilehub.catalog.dbt_marts import PROFILE_MODEL, TAG_MODEL, TAGS_MODEL
    from profilehub.catalog.sql import sql_string
    from profilehub.feature_store.marts import mart_partition
    from spark.identity.tables import AS_OF, CUSTOMER_ACCOUNTS

    accounts = settings.paths.lake / CUSTOMER_ACCOUNTS.name / f"{AS_OF}={as_of.isoformat()}"
    inputs = {"accounts": accounts, "profile": mart_partition(settings, PROFILE_MODEL, as_of),
              "tags": mart_partition(settings, TAGS_MODEL, as_of),
              "catalog": mart_partition(settings, TAG_MODEL, as_of)}
    absent = [f"{name} ({folder})" for name, folder in inputs.items()
              if not any(folder.glob("*.parquet"))]
    if absent:
        check = Check("inputs present", False, f"no rows for this as_of: {', '.join(absent)}")
        return _record(settings, GateReport(QUALITY, as_of, run_id, (check,)))
    with duckdb.connect() as db:
        for name, folder in inputs.items():
            db.execute(f"CREATE VIEW {name} AS SELECT * FROM "
                       f"read_parquet({sql_string(str(folder / '*.parquet'))})")
        checks, figures = _quality_checks(db, settings)
    return _record(settings, GateReport(QUALITY, as_of, run_id, tuple(checks), figures))


def _quality_checks(db, settings: Settings) -> tuple[list[Check], dict[str, int | float]]:
    limits = settings.quality

    def one(sql: str):
        return db.execute(sql).fetchone()

    population, = one("SELECT count(DISTINCT customer_key) FROM accounts")
    rows, keys, unknown = one("""
        SELECT count(*), count(DISTINCT customer_key),
               count(*) FILTER (WHERE customer_key NOT IN (SELECT customer_key FROM accounts))
        FROM profile""")
    coverage = rows / population if population else 0.0
    checks = [
        Check("profile rows vs population",
              population > 0 and coverage >= limits.min_profile_coverage and unknown == 0,
              f"{rows} profile rows for {population} resolved customers ({coverage:.2%}, at "
              f"least {limits.min_profile_coverage:.2%}); {unknown} rows of unknown customers"),
        Check("one profile row per customer", keys == rows,
              f"{rows} rows, {keys} distinct customer keys"),
    ]
    columns = [name for name, in db.execute(
        "SELECT column_name FROM (DESCRIBE profile) WHERE column_name <> 'as_of'").fetchall()]
    nulls = one("SELECT " + ", ".join(f'count(*) FILTER (WHERE "{c}" IS NULL)' for c in columns)
                + " FROM profile")
    cells = rows * len(columns)
    null_share = sum(nulls) / cells if cells else 1.0
    # Single columns may be NULL for everyone by design (a tag that does not apply to anyone
    # yet, say a win rate before any trade closed): the share over all cells is the signal.
    highest = sorted(((count / rows if rows else 1.0, column)
                      for column, count in zip(columns, nulls, strict=True)), reverse=True)
    checks.append(Check(
        "null share", null_share <= limits.max_null_share,
        f"{null_share:.2%} of {cells} profile cells are NULL (at most "
        f"{limits.max_null_share:.2%}); highest columns: "
        + ", ".join(f"{column} {share:.2%}" for share, column in highest[:_SHOWN])))
    catalog, valued, tag_rows, tagged, strangers = one("""
        SELECT (SELECT count(*) FROM catalog),
               (SELECT count(DISTINCT tag_id) FROM tags
                WHERE tag_id IN (SELECT tag_id FROM catalog)),
               (SELECT count(*) FROM tags),
               (SELECT count(DISTINCT customer_key) FROM tags),
               (SELECT count(*) FROM tags
                WHERE customer_key NOT IN (SELECT customer_key FROM profile))""")
    tag_coverage = valued / catalog if catalog else 0.0
    silent = [tag for tag, in db.execute("""
        SELECT tag_id FROM catalog WHERE tag_id NOT IN (SELECT tag_id FROM tags)
        ORDER BY tag_id""").fetchall()]
    checks += [
        Check("tag coverage", catalog > 0 and tag_coverage >= limits.min_tag_coverage,
              f"{valued} of {catalog} catalog tags have values ({tag_coverage:.2%}, at least "
              f"{limits.min_tag_coverage:.2%})"
              + (f"; none for {', '.join(silent[:_SHOWN])}"
                 + (" ..." if len(silent) > _SHOWN else "") if silent else "")),
        Check("tag rows of profiled customers", strangers == 0,
              f"{strangers} of {tag_rows} tag rows name a customer without a profile row"),
    ]
    figures = {"population": population, "profile_rows": rows, "null_share": null_share,
               "tag_rows": tag_rows,
               "tagged_customers": tagged, "tags_with_values": valued, "catalog_tags": catalog,
               "profile_coverage": coverage, "tag_coverage": tag_coverage}
    return checks, figures
