"""Clean runs honour every contract: the ingest's own rules accept every record."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from generator_checks import judge_landing, layout_violations

from profilehub.contracts import CONTRACTS, GEO_EVENTS, TRADES
from profilehub.dbt_sources import PARTITION_COLUMN
from profilehub.generator.records import build_table, codec_for, line_starts, serialize


@pytest.fixture(scope="module")
def clean_judgement(clean_run):
    return judge_landing(clean_run.paths.landing, clean_run.settings.ingest)


def test_every_source_is_delivered_every_day(clean_run):
    for contract in CONTRACTS:
        folders = sorted(p.name for p in (clean_run.paths.landing / contract.name).iterdir())
        assert folders == ["dt=2026-10-01", "dt=2026-10-02", "dt=2026-10-03"], contract.name
        assert clean_run.report.records[contract.name] > 0, contract.name


def test_files_follow_the_landing_layout(clean_run):
    assert layout_violations(clean_run.paths.landing) == []


def test_the_ingest_rules_accept_every_clean_record(clean_run, clean_judgement):
    verdicts = clean_judgement.verdicts
    assert len(verdicts) == sum(clean_run.report.records.values())
    assert clean_judgement.rejected() == {}
    assert (verdicts._extra_columns.map(len) == 0).all()


def test_the_ingest_rules_accept_another_seed_and_size_too(other_seed_run):
    judgement = judge_landing(other_seed_run.paths.landing, other_seed_run.settings.ingest)
    assert len(judgement.verdicts) == sum(other_seed_run.report.records.values())
    assert judgement.rejected() == {}


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_event_times_lie_on_or_up_to_two_days_before_delivery(clean_judgement, contract):
    lag = clean_judgement.connection.execute(
        f'SELECT min(date_diff(\'day\', CAST("{contract.event_time}" AS DATE), '
        f"{PARTITION_COLUMN})), max(date_diff('day', CAST(\"{contract.event_time}\" AS DATE), "
        f"{PARTITION_COLUMN})) FROM accepted_{contract.name}").fetchone()
    assert 0 <= lag[0] <= lag[1] <= 2, contract.name


def test_single_line_codecs_read_what_bulk_serialisation_writes():
    table = build_table(GEO_EVENTS, {
        "event_id": ["GE1", "GE2"], "partner_user_id": ["GT1", "GT2"],
        "device_id": ["ab", None], "event_time": [dt.datetime(2026, 10, 1, 8)] * 2,
        "place_type": ["airport", "mall"], "place_code": ["PVG", None],
        "city": ["上海", "北京"], "dwell_minutes": [90, 30],
    })
    data = serialize(GEO_EVENTS, table)
    starts = line_starts(data)
    codec = codec_for(GEO_EVENTS)
    first = codec.parse(data[starts[0]:starts[1]])
    assert first == {"event_id": "GE1", "partner_user_id": "GT1", "device_id": "ab",
                     "event_time": "2026-10-01 08:00:00", "place_type": "airport",
                     "place_code": "PVG", "city": "上海", "dwell_minutes": 90}
    assert codec.parse(data[starts[1]:starts[2]])["place_code"] is None


def test_csv_refuses_values_that_would_need_quoting():
    row = {c.name: [None] for c in TRADES.columns}
    row["trade_id"] = ["T1,2"]
    with pytest.raises(pa.ArrowInvalid, match="structural characters"):
        serialize(TRADES, build_table(TRADES, row))


def test_json_refuses_values_that_would_need_escaping():
    row = {c.name: ["x"] for c in GEO_EVENTS.columns}
    row.update(event_time=[dt.datetime(2026, 10, 1)], dwell_minutes=[5], city=['say "hi"'])
    with pytest.raises(ValueError, match="'city' holds a character that needs JSON escaping"):
        serialize(GEO_EVENTS, build_table(GEO_EVENTS, row))


def test_tables_must_match_their_contract():
    with pytest.raises(ValueError, match=r"'trades'.*missing \['channel'\].*unexpected \['x'\]"):
        build_table(TRADES, {**{c.name: [] for c in TRADES.columns[:-1]}, "x": []})
