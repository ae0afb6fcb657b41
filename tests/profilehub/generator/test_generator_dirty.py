"""Dirty mode: every defect kind is planted, the ingest's rules reject exactly the manifest's
lines with the manifest's rules, and removing the defects gives back the clean run."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from generator_checks import data_lines, judge_landing, run_generator, source_files

from profilehub.contracts import CONTRACTS, CONTRACTS_BY_NAME
from profilehub.generator.dirty import (
    ADDED_COLUMN,
    DEFECT_KINDS,
    DUPLICATE_IN_FILE,
    IDENTITY_CONFLICT,
    REPLAYED_RECORD,
)


@pytest.fixture(scope="module")
def manifest(dirty_run):
    table = pq.read_table(dirty_run.paths.ground_truth / "dirty_manifest.parquet")
    return table.to_pylist()


@pytest.fixture(scope="module")
def quarantined(manifest) -> dict[str, set[int]]:
    """Lines the ingest must reject, per file."""
    found = defaultdict(set)
    for entry in manifest:
        if entry["expected_rule"] is not None:
            found[entry["file"]].add(entry["line"])
    return found


def file_lines(landing: Path, name: str) -> list[bytes]:
    return (landing / name).read_bytes().split(b"\n")[:-1]


def test_every_defect_kind_is_planted(dirty_run, manifest):
    kinds = Counter(entry["defect_kind"] for entry in manifest)
    assert set(kinds) == set(DEFECT_KINDS)
    assert dirty_run.report.missing_defect_kinds == ()
    assert dirty_run.report.defects == kinds


def test_a_one_day_run_plants_every_kind_but_replays_and_says_so(tmp_path_factory):
    run = run_generator(tmp_path_factory, "one-day-dirty", customers=200, days=1, seed=4,
                        dirty_rate=0.01)
    assert run.report.missing_defect_kinds == (REPLAYED_RECORD,)
    assert "not planted: replayed_record" in run.report.summary()


def test_defects_stay_well_below_the_ingest_failure_limit(dirty_run, manifest):
    bad = Counter((e["source"], e["delivery_date"]) for e in manifest if e["expected_rule"])
    for (source, day), count in bad.items():
        folder = dirty_run.paths.landing / source / f"dt={day.isoformat()}"
        lines = sum(len(data_lines(p, CONTRACTS_BY_NAME[source])) for p in folder.iterdir())
        assert count / lines < dirty_run.settings.ingest.max_quarantine_rate, (source, day)
    total = sum(dirty_run.report.lines.values())
    assert 0.01 <= sum(bad.values()) / total <= 0.03  # about the requested 2%


@pytest.fixture(scope="module")
def judgement(dirty_run):
    return judge_landing(dirty_run.paths.landing, dirty_run.settings.ingest)


def test_the_ingest_rules_reject_exactly_the_manifest_lines(dirty_run, manifest, judgement):
    expected = {(e["file"], e["line"]): e["expected_rule"] for e in manifest
                if e["expected_rule"] is not None}
    assert judgement.rejected() == expected
    assert len(judgement.verdicts) == sum(dirty_run.report.lines.values())


def test_added_columns_are_accepted_and_reported_as_drift(manifest, judgement):
    drift = {(e["file"], e["line"]) for e in manifest if e["defect_kind"] == ADDED_COLUMN}
    verdicts = judgement.verdicts[judgement.verdicts._rule.isna()].set_index(["_file", "_line"])
    # Lines that are not JSON objects have no field names, hence no extra columns.
    extra = verdicts._extra_columns.map(lambda names: [] if names is None or names is pd.NA
                                        else list(names))
    assert drift and {key for key, names in extra.items() if names} == drift  # among accepted
    assert all(extra[key] == ["source_system"] for key in drift)


def test_context_defects_have_their_context(dirty_run, manifest):
    """Duplicates repeat an earlier line of the file, replays a line of an earlier day, and
    identity conflicts are new accounts carrying the ID number of an earlier row."""
    landing = dirty_run.paths.landing
    checked = Counter()
    for entry in manifest:
        lines = file_lines(landing, entry["file"])
        raw = lines[entry["line"] - 1]
        kind = entry["defect_kind"]
        if kind == DUPLICATE_IN_FILE:
            assert raw in lines[: entry["line"] - 1], entry
        elif kind == REPLAYED_RECORD:
            assert replayed_from_earlier_days(landing, entry, raw), entry
        elif kind == IDENTITY_CONFLICT:
            fields = raw.decode().split(",")
            earlier = [line.decode().split(",") for line in lines[1: entry["line"] - 1]]
            owners = {f[0] for f in earlier if f[3] == fields[3]}
            assert owners and fields[0] not in owners, entry
        else:
            continue
        checked[kind] += 1
    assert set(checked) == {DUPLICATE_IN_FILE, REPLAYED_RECORD, IDENTITY_CONFLICT}


def replayed_from_earlier_days(landing: Path, entry, raw: bytes) -> bool:
    contract = CONTRACTS_BY_NAME[entry["source"]]
    for back in (1, 2, 3):
        day = entry["delivery_date"] - dt.timedelta(days=back)
        for path in (landing / contract.name / f"dt={day.isoformat()}").glob("part-*"):
            if raw in data_lines(path, contract):
                return True
    return False


def without_defects(landing: Path, quarantined, target: Path) -> None:
    """A copy of the landing zone as a perfect ingest accepts it: rejected lines removed, the
    added drift column dropped."""
    for contract in CONTRACTS:
        for path in source_files(landing, contract):
            name = path.relative_to(landing).as_posix()
            lines = path.read_bytes().split(b"\n")[:-1]
            kept = [line for number, line in enumerate(lines, start=1)
                    if number not in quarantined.get(name, ())]
            if contract.format == "csv":
                width = len(contract.column_names)
                kept = [b",".join(line.split(b",")[:width]) for line in kept]
            out = target / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(b"".join(line + b"\n" for line in kept))


def records_by_partition(landing: Path) -> dict[tuple[str, str], list[bytes]]:
    found = {}
    for contract in CONTRACTS:
        for path in source_files(landing, contract):
            key = (contract.name, path.parent.name)
            found[key] = sorted(found.get(key, []) + data_lines(path, contract))
    return found


def test_removing_the_defects_gives_back_the_clean_run(dirty_run, clean_run, quarantined,
                                                       tmp_path):
    without_defects(dirty_run.paths.landing, quarantined, tmp_path)
    assert records_by_partition(tmp_path) == records_by_partition(clean_run.paths.landing)
