"""Ground truth of a run: the behaviours planted, the true identity links, the consent ledger,
the market's drawdown days and the dirty-defect manifest. Parquet under ``paths.ground_truth``,
outside the landing zone, so it holds account ids but never a phone, ID number, name or device.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from profilehub.contracts import PARENTING_PARTNER, PARTNERS, SECTORS, TRAVEL_PARTNER
from profilehub.generator import calibration as cal
from profilehub.generator.clock import day64
from profilehub.generator.identity import CITY_NAMES
from profilehub.generator.world import World
from profilehub.generator.writers import ManifestEntry

CUSTOMERS_FILE = "customers.parquet"
IDENTITY_LINKS_FILE = "identity_links.parquet"
MARKET_DAYS_FILE = "market_days.parquet"
CONSENT_FILE = "consent_truth.parquet"
MANIFEST_FILE = "dirty_manifest.parquet"
MANIFEST_CSV = "dirty_manifest.csv"
MANIFEST_SCHEMA = pa.schema([
    ("source", pa.string()), ("delivery_date", pa.date32()), ("file", pa.string()),
    ("line", pa.int64()), ("defect_kind", pa.string()), ("column", pa.string()),
    ("expected_rule", pa.string()),
])


def _dates_or_null(start: dt.date, day_index: np.ndarray) -> pa.Array:
    dates = day64(start) + np.maximum(day_index, 0).astype("timedelta64[D]")
    return pa.array(dates, pa.date32(), mask=day_index < 0)


def asset_tiers(total: np.ndarray) -> pa.Array:
    bounds = np.array([low for _, low, _ in cal.ASSET_TIERS[1:]])
    names = pa.array([name for name, _, _ in cal.ASSET_TIERS])
    return names.take(pa.array(np.searchsorted(bounds, total, side="right")))


def age_bands(age: np.ndarray) -> pa.Array:
    firsts = np.array([low for low, _, _ in cal.AGE_BANDS[1:]])
    labels = pa.array([f"{low}-{high}" for low, high, _ in cal.AGE_BANDS])
    return labels.take(pa.array(np.searchsorted(firsts, age, side="right")))


def _airport_dates(world: World) -> pa.Array:
    log = world.partners.airport_log
    account = np.concatenate([a for a, _ in log]) if log else np.empty(0, np.int64)
    dates = np.concatenate([d for _, d in log]) if log else np.empty(0, "datetime64[D]")
    visits = np.unique(np.rec.fromarrays([account, dates.astype(np.int64)]))
    offsets = np.searchsorted(visits["f0"], np.arange(world.pop.size + 1))
    values = pa.array(visits["f1"].astype("datetime64[D]"), pa.date32())
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values)


def customers_truth(world: World) -> pa.Table:
    pop, partners = world.pop, world.partners
    total = np.round(world.first_equity + world.first_wealth, 2)
    birth_year = pop.birth.astype("datetime64[Y]").astype(np.int64) + 1970
    low, high = cal.GEN_Z_BIRTH_YEARS
    airports = _airport_dates(world)
    columns = {
        "account_id": pop.account_ids,
        "open_date": pa.array(pop.open_date, pa.date32()),
        "birth_year": birth_year, "age": pop.age, "age_band": age_bands(pop.age),
        "is_gen_z": (birth_year >= low) & (birth_year <= high),
        "gender": np.where(pop.male, "M", "F"),
        "home_city": CITY_NAMES.take(pa.array(pop.city)),
        "asset_tier": asset_tiers(total), "total_assets": total,
        "equity_value": world.first_equity, "wealth_value": world.first_wealth,
        "risk_level": pa.array([f"C{level}" for level in range(1, 6)]).take(
            pa.array(pop.risk_level.astype(np.int64) - 1)),
        "preferred_sector": pa.array(SECTORS).take(pa.array(pop.preferred_sector)),
        "is_day_trader": pop.day_trader, "is_wash_trader": pop.wash_trader,
        "is_panic_seller": pop.panic_seller, "is_churner": pop.churner,
        "churn_start_date": _dates_or_null(pop.start, pop.churn_start_day),
        "churn_stop_date": _dates_or_null(pop.start, pop.churn_stop_day),
        "is_fomo_chaser": pop.fomo_chaser, "is_margin_user": pop.margin_user,
        "is_wealth_user": pop.wealth_user, "is_suitability_breach": world.wealth.breached,
        **{f"is_{partner}_user": partners.member(partner) for partner in PARTNERS},
        "is_traveller": partners.customer_flag(TRAVEL_PARTNER, partners.traveller),
        "is_cross_border_traveller": partners.customer_flag(TRAVEL_PARTNER,
                                                            partners.cross_border),
        "is_new_parent": partners.customer_flag(PARENTING_PARTNER, partners.new_parent),
        "had_airport_visit": pc.list_value_length(airports).to_numpy() > 0,
        "airport_visit_dates": airports,
        "phone_changed_on": _dates_or_null(pop.start, pop.phone_change_day),
        "moved_city_on": _dates_or_null(pop.start, pop.city_move_day),
        "shares_device": (pop.device_owner >= 0) | np.isin(np.arange(pop.size),
                                                            pop.device_owner),
    }
    return pa.table(columns)


def market_days(world: World) -> pa.Table:
    market = world.market
    days = market.drawdown.size
    close = market.index_close
    return pa.table({
        "date": pa.array(day64(market.start) + np.arange(days), pa.date32()),
        "index_close": close[1:], "index_return": np.round(close[1:] / close[:-1] - 1, 6),
        "is_drawdown": market.drawdown, "is_rally": market.rally,
    })


def manifest_table(entries: list[ManifestEntry]) -> pa.Table:
    columns = {name: [getattr(entry, name) for entry in entries] for name in MANIFEST_SCHEMA.names}
    return pa.table(columns, schema=MANIFEST_SCHEMA)


def headlines(customers: pa.Table, days: pa.Table) -> list[tuple[str, str]]:
    """What was planted, in a few readable lines for the run summary."""
    truth = customers.to_pandas()
    tiers = truth.asset_tier.value_counts(normalize=True)
    drawdowns = days.filter(days.column("is_drawdown")).to_pylist()
    cohorts = {"day traders": "is_day_trader", "wash traders": "is_wash_trader",
               "panic sellers": "is_panic_seller", "churners": "is_churner",
               "FOMO chasers": "is_fomo_chaser", "suitability breaches": "is_suitability_breach",
               "new parents": "is_new_parent", "cross-border travellers":
               "is_cross_border_traveller", "phone changes": "phone_changed_on",
               "shared devices": "shares_device"}
    counts = {label: int(truth[column].sum() if truth[column].dtype == bool
                         else truth[column].notna().sum()) for label, column in cohorts.items()}
    return [
        ("asset tiers", ", ".join(f"{name} {tiers.get(name, 0):.1%}"
                                  for name, _, _ in cal.ASSET_TIERS)),
        ("Gen Z", f"{truth.is_gen_z.mean():.1%} of accounts"),
        ("drawdown days", ", ".join(f"{d['date']} ({d['index_return']:+.1%})" for d in drawdowns)
         or "none (the first day is never one)"),
        ("cohorts", ", ".join(f"{label} {count:,}" for label, count in counts.items())),
    ]


def write_ground_truth(folder: Path, world: World,
                       manifest: list[ManifestEntry]) -> list[tuple[str, str]]:
    """Write every ground-truth file; returns the planted headlines for the summary."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        CUSTOMERS_FILE: customers_truth(world),
        IDENTITY_LINKS_FILE: world.partners.identity_links(),
        MARKET_DAYS_FILE: market_days(world),
        CONSENT_FILE: world.consent.truth_table(),
        MANIFEST_FILE: manifest_table(manifest),
    }
    for name, table in tables.items():
        pq.write_table(table, folder / name, coerce_timestamps="us",
                       allow_truncated_timestamps=True)
    pa_csv.write_csv(tables[MANIFEST_FILE], folder / MANIFEST_CSV)
    return headlines(tables[CUSTOMERS_FILE], tables[MARKET_DAYS_FILE])
