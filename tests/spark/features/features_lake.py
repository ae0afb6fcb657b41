"""A hand-made lake for the feature jobs, written as Parquet the way Spark writes it.

Every row is chosen so a feature's value can be computed by hand (see test_features_values).
The rows live in 2037 (its calendar is 2026's: 2037-10-20 is a Tuesday) with their own
accounts, symbols and products, so they never meet other suites' rows in the shared test lake.
Rows delivered after as_of, or dated after it, are planted on purpose: they must change
nothing.

Layout: ``<lake>/<source>/dt=YYYY-MM-DD/*.parquet`` with the contract's curated columns, the
lineage columns and INT96 timestamps holding the UTC instant (Spark's default), identity tables
under ``<lake>/<table>/as_of=YYYY-MM-DD/``.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq

from profilehub.contracts import get_contract
from profilehub.dbt_sources import (
    LAKE_SCHEMA,
    PARTITION_COLUMN,
    SOURCE_FILE_COLUMN,
    SOURCE_LINE_COLUMN,
)
from profilehub.settings import Settings
from profilehub.validation import SQL_TYPES
from spark.identity.tables import AS_OF as AS_OF_COLUMN
from spark.identity.tables import CUSTOMER_ACCOUNTS, PARTNER_LINKS, IdentityTable
from spark.session import SESSION_TIME_ZONE

AS_OF = dt.date(2037, 10, 20)
LATER = dt.date(2037, 10, 22)
SHANGHAI = ZoneInfo(SESSION_TIME_ZONE)
ARROW_TYPES = {"STRING": pa.string(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
               "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us", tz="UTC"),
               "BOOLEAN": pa.bool_()}
PART_FILE = "part-00000-features-test.parquet"

S1, S2, S3, S4 = "370001", "370002", "370003", "370004"
SECTOR = {S1: "technology", S2: "finance", S3: "consumer", S4: "energy"}
P1, P2, P3, P4 = "FD370001", "BD370002", "SN370003", "IN370004"
A11, A12, A21, A31, A41, A51, A61, A71, A99 = (
    f"A3700000{n}" for n in (11, 12, 21, 31, 41, 51, 61, 71, 99))
K1, K2, K3, K4, K5, K6, K7 = (f"CK-TEST-K{n}" for n in range(1, 8))
ACCOUNTS_AT_AS_OF = {K1: (A11, A12), K2: (A21,), K3: (A31,), K4: (A41,), K5: (A51,), K6: (A61,)}
ACCOUNTS_LATER = {**ACCOUNTS_AT_AS_OF, K7: (A71,)}


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def t(text: str) -> dt.datetime:
    """A Shanghai wall time, as every source delivers it."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days = (first + dt.timedelta(n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5]


# Rows per source: (delivery date, record). Columns not given get a neutral value.
Rows = dict[str, list[tuple[dt.date, dict]]]


def _kyc_rows() -> list[tuple[dt.date, dict]]:
    def kyc(account, updated, *, birth, opened, city, channel="app", gender="F"):
        return {"account_id": account, "updated_at": t(updated), "birth_date": d(birth),
                "open_date": d(opened), "city": city, "channel": channel, "gender": gender,
                "phone_token": f"ph-{account}", "national_id_token": f"nid-{account}"}

    backfill = d("2037-10-01")
    return [
        (backfill, kyc(A11, "2020-01-15 10:00:00", birth="1998-10-21", opened="2020-01-15",
                       city="Hangzhou", channel="branch")),
        (backfill, kyc(A11, "2037-09-01 09:00:00", birth="1998-10-21", opened="2020-01-15",
                       city="Shanghai", channel="branch")),
        (backfill, kyc(A12, "2037-03-01 09:00:00", birth="1998-10-21", opened="2037-03-01",
                       city="Suzhou")),
        # Dated after as_of though delivered on it; then a change delivered later.
        (AS_OF, kyc(A11, "2037-10-21 00:30:00", birth="1998-10-21", opened="2020-01-15",
                    city="Beijing", channel="branch")),
        (d("2037-10-25"), kyc(A12, "2037-10-25 09:00:00", birth="1998-10-21",
                              opened="2037-03-01", city="Nanjing")),
        (AS_OF, kyc(A21, "2037-10-20 08:00:00", birth="2000-02-29", opened="2037-10-20",
                    city="Shenzhen", channel="web", gender="M")),
        (backfill, kyc(A31, "2030-05-05 10:00:00", birth="1980-01-01", opened="2030-05-05",
                       city="Shanghai")),
        (backfill, kyc(A41, "2031-05-05 10:00:00", birth="1990-06-15", opened="2031-05-05",
                       city="Shanghai", gender="M")),
        (backfill, kyc(A51, "2032-05-05 10:00:00", birth="1985-03-31", opened="2032-05-05",
                       city="Beijing")),
        (backfill, kyc(A61, "2033-05-05 10:00:00", birth="1970-12-31", opened="2033-05-05",
                       city="Chengdu")),
        (d("2037-10-21"), kyc(A71, "2037-10-21 10:00:00", birth="1995-01-01",
                              opened="2037-10-21", city="Xiamen")),
        # An account identity resolution does not map: not a customer.
        (backfill, kyc(A99, "2033-05-05 10:00:00", birth="1970-01-01", opened="2033-05-05",
                       city="Wuhan")),
    ]


def _index_close(day: dt.date) -> float:
    moves = {"2037-07-22": 2900.0, "2037-07-23": 2800.0, "2037-10-13": 2900.0,
             "2037-10-21": 2800.0}
    return moves.get(day.isoformat(), 3000.0)


def _quote_rows() -> list[tuple[dt.date, dict]]:
    """Weekdays are trading dates. Drawdown days: 07-22 (outside the 90d window of as_of),
    07-23 (its first day), 10-13 and 10-21 (after as_of); rally days 07-24, 10-14, 10-22.
    S1 closes at its +10% limit on 10-12."""
    rows = []
    for day in weekdays(d("2037-07-01"), d("2037-10-23")):
        delivered = max(day, d("2037-10-01"))
        for symbol in (S1, S2, S3, S4):
            prev_close, close = 10.0, 10.0
            if symbol == S1 and day == d("2037-10-12"):
                close = 11.0
            if symbol == S1 and day == d("2037-10-13"):
                prev_close = 11.0
            rows.append((delivered, {"symbol": symbol, "trade_date": day,
                                     "sector": SECTOR[symbol], "prev_close": prev_close,
                                     "close": close, "index_close": _index_close(day)}))
    # The limit-up quote re-delivered the next day: it must count once.
    rows += [(d("2037-10-13"), record) for day, record in rows
             if record["symbol"] == S1 and record["trade_date"] == d("2037-10-12")]
    return rows


def _position_rows() -> list[tuple[dt.date, dict]]:
    def pos(account, day, symbol, quantity, cost, value):
        return (max(d(day), d("2037-10-01")), {
            "account_id": account, "position_date": d(day), "symbol": symbol,
            "sector": SECTOR[symbol], "quantity": quantity, "cost_basis": cost,
            "market_value": value})

    k1 = [pos(A11, "2037-07-01", S1, 1000, 8.0, 10000.0)]
    for day in ("2037-10-12", "2037-10-13"):
        k1 += [pos(A11, day, S1, 1000, 8.0, 10000.0), pos(A12, day, S2, 500, 12.0, 5000.0)]
    for day in ("2037-10-14", "2037-10-16"):
        k1 += [pos(A11, day, S1, 600, 8.0, 6000.0), pos(A12, day, S2, 500, 12.0, 5000.0)]
    k1 += [pos(A11, "2037-10-20", S1, 400, 8.0, 4400.0),
           pos(A12, "2037-10-20", S1, 200, 9.5, 2200.0),
           pos(A12, "2037-10-20", S2, 500, 12.0, 4000.0),
           pos(A11, "2037-10-20", S3, 200, 12.5, 2000.0),
           pos(A11, "2037-10-20", S2, 0, 0.0, 0.0),
           pos(A11, "2037-10-21", S1, 400, 8.0, 99999.0)]
    k3 = [pos(A31, "2037-07-01", S1, 1000, 12.0, 10000.0),
          pos(A31, "2037-10-12", S1, 1000, 8.0, 11000.0),
          pos(A31, "2037-10-12", S3, 300, 9.0, 3000.0),
          pos(A31, "2037-10-13", S1, 510, 8.0, 5100.0),
          pos(A31, "2037-10-13", S3, 300, 9.0, 3000.0),
          pos(A31, "2037-10-14", S1, 510, 10.0, 5100.0),
          pos(A31, "2037-10-14", S3, 300, 9.0, 3000.0)]
    for day in ("2037-10-16", "2037-10-20"):
        k3 += [pos(A31, day, S1, 410, 10.0, 4100.0), pos(A31, day, S3, 320, 9.0, 3200.0)]
    k6 = [pos(A61, "2037-10-16", S4, 100, 10.0, 1000.0)]
    return k1 + k3 + k6


def _trade_rows() -> list[tuple[dt.date, dict]]:
    rows = []

    def fill(account, time, side, symbol, quantity, price, amount=None, *, delivered=None,
             margin=False, channel="app"):
        trade_id = f"T-{account}-{len(rows):03d}"
        rows.append((delivered or max(t(time).date(), d("2037-10-01")), {
            "trade_id": trade_id, "account_id": account, "trade_time": t(time),
            "symbol": symbol, "sector": SECTOR[symbol], "side": side, "quantity": quantity,
            "price": price, "amount": amount if amount is not None else quantity * price,
            "fee": 1.0, "is_margin": margin, "channel": channel}))

    # K1: one buy for turnover.
    fill(A12, "2037-10-16 11:00:00", "BUY", S3, 200, 10.0)
    # K2: window boundaries, 100 CNY each; energy and finance tie at 300.
    fill(A21, "2037-07-22 23:59:59", "BUY", S4, 10, 10.0)
    fill(A21, "2037-07-23 00:00:00", "BUY", S2, 10, 10.0)
    fill(A21, "2037-09-20 12:00:00", "BUY", S4, 10, 10.0)
    fill(A21, "2037-09-21 00:00:00", "BUY", S2, 10, 10.0)
    fill(A21, "2037-10-13 12:00:00", "BUY", S4, 10, 10.0)
    fill(A21, "2037-10-14 00:00:00", "BUY", S2, 10, 10.0)
    fill(A21, "2037-10-20 23:59:59", "BUY", S4, 10, 10.0)
    fill(A21, "2037-10-21 00:00:01", "BUY", S2, 10, 10.0, delivered=AS_OF)
    fill(A21, "2037-10-19 10:00:00", "BUY", S4, 10, 10.0, delivered=d("2037-10-21"))
    # K3: sells into the drawdowns, chases S1's limit-up day, buys after the rally.
    fill(A31, "2037-07-23 10:00:00", "SELL", S1, 200, 10.0)
    fill(A31, "2037-10-12 10:00:00", "BUY", S1, 10, 11.0)
    fill(A31, "2037-10-13 09:45:00", "SELL", S1, 500, 10.0)
    fill(A31, "2037-10-13 10:00:00", "BUY", S1, 10, 10.0)
    fill(A31, "2037-10-15 10:00:00", "SELL", S1, 100, 10.0)
    fill(A31, "2037-10-15 10:05:00", "SELL", S2, 50, 10.0)
    fill(A31, "2037-10-15 10:10:00", "BUY", S3, 20, 10.0)
    # K4: day trading, a wash-like round trip, trades into the close, large fills.
    fill(A41, "2037-10-14 10:00:00", "BUY", S1, 100, 10.0)
    fill(A41, "2037-10-14 14:50:00", "SELL", S1, 100, 10.05, 1005.0)
    fill(A41, "2037-10-14 10:30:00", "BUY", S2, 100, 10.0)
    fill(A41, "2037-10-14 15:00:00", "SELL", S2, 50, 10.0)
    fill(A41, "2037-10-15 14:49:59", "BUY", S3, 1000, 1000.0)
    fill(A41, "2037-10-16 15:00:01", "SELL", S3, 1000, 1000.0)
    fill(A41, "2037-10-19 09:31:00", "BUY", S1, 10, 10.0, margin=True, channel="web")
    fill(A41, "2037-10-19 09:32:00", "BUY", S1, 10, 10.0, channel="web")
    # An account no customer owns.
    fill(A99, "2037-10-19 09:32:00", "BUY", S1, 10, 10.0)
    return rows


def _product_rows() -> list[tuple[dt.date, dict]]:
    def product(code, product_type, risk, currency, updated):
        return {"product_code": code, "product_name": code, "product_type": product_type,
                "risk_level": risk, "issuer": "issuer", "currency": currency,
                "min_investment": 1000.0, "launch_date": d("2030-01-01"),
                "updated_at": t(updated)}

    catalogue = [product(P1, "fund", "R2", "CNY", "2037-09-01 08:00:00"),
                 product(P2, "bond", "R1", "USD", "2037-09-01 08:00:00"),
                 product(P3, "structured", "R4", "CNY", "2037-09-01 08:00:00"),
                 product(P4, "insurance", "R5", "HKD", "2037-09-01 08:00:00")]
    return [
        *((d("2037-10-01"), row) for row in catalogue),
        *((d("2037-10-15"), row) for row in catalogue),  # the daily re-delivery
        # Re-ratings dated after as_of (one delivered on as_of itself).
        (AS_OF, product(P1, "fund", "R3", "CNY", "2037-10-21 01:00:00")),
        (d("2037-10-21"), product(P2, "bond", "R3", "USD", "2037-10-21 08:00:00")),
    ]


def _holding_rows() -> list[tuple[dt.date, dict]]:
    def holding(account, day, product, units, value):
        return (d(day), {"account_id": account, "holding_date": d(day), "product_code": product,
                         "units": units, "market_value": value})

    return [holding(A11, "2037-09-25", P1, 1000.0, 20000.0),
            holding(A11, "2037-10-20", P1, 1000.0, 21000.0),
            holding(A12, "2037-10-20", P2, 500.0, 5000.0),
            holding(A11, "2037-10-20", P3, 0.0, 0.0),
            holding(A61, "2037-10-20", P1, 10.0, 100.0),
            holding(A11, "2037-10-21", P4, 100.0, 50000.0)]


def _wealth_txn_rows() -> list[tuple[dt.date, dict]]:
    def txn(n, time, txn_type, product, amount):
        return (max(t(time).date(), d("2037-10-01")), {
            "txn_id": f"W{n}", "account_id": A11, "product_code": product, "txn_type": txn_type,
            "amount": amount, "txn_time": t(time), "channel": "app"})

    return [txn(1, "2037-07-22 10:00:00", "redeem", P1, 700.0),
            txn(2, "2037-08-01 10:00:00", "subscribe", P1, 10000.0),
            txn(3, "2037-09-20 10:00:00", "dividend", P1, 50.0),
            txn(4, "2037-10-05 12:00:00", "subscribe", P3, 3000.0),
            txn(5, "2037-10-15 12:00:00", "subscribe", P3, 1000.0),
            txn(6, "2037-10-18 12:00:00", "redeem", P1, 500.0),
            txn(7, "2037-10-21 09:00:00", "redeem", P1, 9999.0)]


def _assessment_rows() -> list[tuple[dt.date, dict]]:
    def assessment(assessment_id, time, level, score, expires):
        return (max(t(time).date(), d("2037-10-01")), {
            "assessment_id": assessment_id, "account_id": A11, "risk_level": level,
            "score": score, "assessed_at": t(time), "expires_on": d(expires)})

    # RA-0005 and RA-0006 share their instant: the greatest id (C4) is the assessment.
    return [assessment("RA-0001", "2037-06-01 09:00:00", "C3", 55, "2038-06-01"),
            assessment("RA-0005", "2037-10-10 10:00:00", "C2", 30, "2038-10-10"),
            assessment("RA-0006", "2037-10-10 10:00:00", "C4", 70, "2037-10-19"),
            assessment("RA-0009", "2037-10-21 09:00:00", "C5", 90, "2038-10-21")]


def _partner_rows() -> Rows:
    def delivered(time: str) -> dt.date:
        return max(t(time).date(), d("2037-10-01"))

    def order(user, time, category, amount, status="paid", phone="ph-k5"):
        return (delivered(time), {"order_id": f"O-{time}", "partner_user_id": user,
                                  "phone_token": phone, "order_time": t(time),
                                  "category": category, "amount": amount, "status": status})

    def booking(time, booking_type, country, travel, amount):
        return (delivered(time), {"booking_id": f"B-{time}", "partner_user_id": "TU1",
                                  "national_id_token": "nid-k5", "booked_at": t(time),
                                  "travel_date": d(travel), "booking_type": booking_type,
                                  "destination_city": "city", "destination_country": country,
                                  "amount": amount})

    def visit(time, place_type, city):
        return (delivered(time), {"event_id": f"G-{time}", "partner_user_id": "GU1",
                                  "device_id_token": "dev-k5", "event_time": t(time),
                                  "place_type": place_type, "place_code": None, "city": city,
                                  "dwell_minutes": 30})

    def purchase(time, category, amount, child_age):
        return (delivered(time), {"txn_id": f"K-{time}", "partner_user_id": "PU1",
                                  "phone_token": "ph-k5", "txn_time": t(time),
                                  "category": category, "amount": amount,
                                  "child_age_months": child_age})

    return {
        "ecommerce_orders": [
            order("EU1", "2037-10-20 20:00:00", "luxury", 1000.0),
            order("EU1", "2037-09-21 08:00:00", "electronics", 500.0),
            order("EU1", "2037-09-20 09:00:00", "books", 200.0),
            order("EU1", "2037-07-23 09:00:00", "sports", 100.0),
            order("EU1", "2037-07-22 09:00:00", "luxury", 9999.0),
            order("EU1", "2037-10-01 09:00:00", "luxury", 300.0, status="refunded"),
            order("EU1", "2037-10-21 09:00:00", "luxury", 5555.0),
            order("EU2", "2037-10-10 09:00:00", "luxury", 7777.0, phone="ph-x"),
        ],
        "travel_bookings": [
            booking("2037-10-01 09:00:00", "flight", "JP", "2037-11-19", 3000.0),
            booking("2037-10-02 09:00:00", "hotel", "JP", "2037-11-19", 1000.0),
            booking("2037-09-01 09:00:00", "package", "TH", "2037-09-10", 2000.0),
            booking("2037-09-01 10:00:00", "flight", "TH", "2037-09-10", 500.0),
            booking("2037-08-01 09:00:00", "flight", "CN", "2037-08-05", 800.0),
        ],
        "geo_events": [
            visit("2037-10-14 09:00:00", "airport", "Shanghai"),
            visit("2037-10-13 09:00:00", "airport", "Beijing"),
            visit("2037-07-23 09:00:00", "airport", "Shanghai"),
            visit("2037-07-22 09:00:00", "airport", "Chengdu"),
            visit("2037-10-18 09:00:00", "mall", "Shanghai"),
            visit("2037-09-21 09:00:00", "mall", "Hangzhou"),
            visit("2037-09-20 09:00:00", "mall", "Hangzhou"),
            visit("2037-10-19 09:00:00", "school", "Shanghai"),
            visit("2037-10-21 09:00:00", "airport", "Shanghai"),
        ],
        "parenting_spend": [
            purchase("2037-10-15 09:00:00", "diapers", 100.0, 6),
            purchase("2037-09-21 09:00:00", "tutoring", 300.0, None),
            purchase("2037-08-10 09:00:00", "infant_formula", 200.0, 3),
            purchase("2036-10-21 09:00:00", "toys", 50.0, 30),
            # Before the number moved to K5 (see the links): another customer's child.
            purchase("2035-06-01 09:00:00", "diapers", 80.0, 2),
        ],
    }


def lake_rows() -> Rows:
    return {
        "customers": _kyc_rows(),
        "market_quotes": _quote_rows(),
        "positions": _position_rows(),
        "trades": _trade_rows(),
        "wealth_products": _product_rows(),
        "wealth_holdings": _holding_rows(),
        "wealth_transactions": _wealth_txn_rows(),
        "risk_assessments": _assessment_rows(),
        **_partner_rows(),
    }


def _link(source, user, matched_on, token, customer_key, *, status="linked",
          valid_from="2030-01-01", valid_to=None) -> dict:
    return {"customer_key": customer_key, "partner": get_contract(source).partner,
            "source": source, "partner_user_id": user, "matched_on": matched_on,
            "link_token": token, "valid_from": d(valid_from),
            "valid_to": d(valid_to) if valid_to else None, "status": status}


PARTNER_LINK_ROWS = [
    _link("ecommerce_orders", "EU1", "phone_token", "ph-k5", K5),
    _link("ecommerce_orders", "EU2", "phone_token", "ph-x", None, status="ambiguous"),
    _link("travel_bookings", "TU1", "national_id_token", "nid-k5", K5),
    _link("geo_events", "GU1", "device_id_token", "dev-k5", K5),
    _link("parenting_spend", "PU1", "phone_token", "ph-k5", "CK-TEST-OLD",
          valid_to="2036-01-01"),
    _link("parenting_spend", "PU1", "phone_token", "ph-k5", K5, valid_from="2036-01-01"),
]


def _arrow_table(columns: list[tuple[str, str]], records: list[dict]) -> pa.Table:
    schema = pa.schema([(name, ARROW_TYPES[sql_type]) for name, sql_type in columns])
    return pa.Table.from_pylist([{name: r.get(name) for name, _ in columns} for r in records],
                                schema=schema)


def _default(sql_type: str, allowed: tuple[str, ...] | None) -> object:
    if allowed:
        return allowed[0]
    return {"STRING": "x", "BIGINT": 1, "DOUBLE": 1.0, "BOOLEAN": False}.get(sql_type)


def write_partition(folder: Path, table: pa.Table) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    # INT96 in UTC is what Spark writes by default; DuckDB must cope with exactly that.
    pq.write_table(table, folder / PART_FILE, use_deprecated_int96_timestamps=True)
    return folder


def write_lake(lake_root: Path, rows: Rows) -> dict[str, set[dt.date]]:
    """Write each source's rows into its dt partitions; returns the partitions written."""
    written: dict[str, set[dt.date]] = defaultdict(set)
    for source, delivered in rows.items():
        contract = get_contract(source)
        columns = [(c.curated_name, SQL_TYPES[c.type]) for c in contract.columns]
        columns += [(SOURCE_FILE_COLUMN, "STRING"), (SOURCE_LINE_COLUMN, "BIGINT")]
        by_day: dict[dt.date, list[dict]] = defaultdict(list)
        for day, record in delivered:
            by_day[day].append(record)
        for day, records in by_day.items():
            full = []
            for line, record in enumerate(records, start=2):
                row = {c.curated_name: _default(SQL_TYPES[c.type], c.allowed)
                       for c in contract.columns}
                row.update(record)
                row[SOURCE_FILE_COLUMN] = f"landing/{source}/dt={day}/part-00000"
                row[SOURCE_LINE_COLUMN] = line
                full.append(row)
            write_partition(lake_root / source / f"{PARTITION_COLUMN}={day}",
                            _arrow_table(columns, full))
            written[source].add(day)
    return dict(written)


def write_identity(lake_root: Path, as_of: dt.date, accounts: dict[str, tuple[str, ...]],
                   links: list[dict]) -> None:
    account_rows = [{"customer_key": key, "account_id": account, "evidence": "test"}
                    for key, owned in accounts.items() for account in owned]
    for table, records in ((CUSTOMER_ACCOUNTS, account_rows), (PARTNER_LINKS, links)):
        write_partition(lake_root / table.name / f"{AS_OF_COLUMN}={as_of}",
                        _arrow_table(list(table.columns), records))


def write_handmade_lake(lake_root: Path) -> dict[str, set[dt.date]]:
    written = write_lake(lake_root, lake_rows())
    write_identity(lake_root, AS_OF, ACCOUNTS_AT_AS_OF, PARTNER_LINK_ROWS)
    write_identity(lake_root, LATER, ACCOUNTS_LATER, PARTNER_LINK_ROWS)
    return written


def copy_lake_until(lake_root: Path, target: Path, last_day: dt.date) -> Path:
    """A copy of the lake without any partition delivered after ``last_day``."""
    for partition in lake_root.glob("*/*=*"):
        if dt.date.fromisoformat(partition.name.split("=", 1)[1]) <= last_day:
            shutil.copytree(partition, target / partition.parent.name / partition.name)
    return target


def _register(spark, table: str, ddl: str, partition: str, days: set[dt.date]) -> None:
    spark.sql(ddl)
    for day in sorted(days):
        spark.sql(f"ALTER TABLE {LAKE_SCHEMA}.{table} ADD IF NOT EXISTS "
                  f"PARTITION ({partition} = '{day}')")


def register_handmade_lake(spark, settings: Settings) -> None:
    """Write the hand-made rows into the session's lake and add their partitions to the
    metastore tables (created in the ingest's layout when absent)."""
    lake = settings.paths.lake
    partitions = write_handmade_lake(lake)
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {LAKE_SCHEMA} LOCATION '{lake}'")
    for source, days in partitions.items():
        contract = get_contract(source)
        columns = ", ".join(f"`{c.curated_name}` {SQL_TYPES[c.type]}" for c in contract.columns)
        ddl = (f"CREATE TABLE IF NOT EXISTS {LAKE_SCHEMA}.{source} ({columns}, "
               f"{SOURCE_FILE_COLUMN} STRING, {SOURCE_LINE_COLUMN} BIGINT, "
               f"{PARTITION_COLUMN} DATE) USING parquet PARTITIONED BY ({PARTITION_COLUMN}) "
               f"LOCATION '{lake / source}'")
        _register(spark, source, ddl, PARTITION_COLUMN, days)
    table: IdentityTable
    for table in (CUSTOMER_ACCOUNTS, PARTNER_LINKS):
        _register(spark, table.name, table.ddl(settings), AS_OF_COLUMN, {AS_OF, LATER})


# ---------------------------------------------------------------- built feature tables

CustomerRows = dict[str, dict[str, object]]


def by_customer(records: list[dict]) -> CustomerRows:
    return {record["customer_key"]: record for record in records}


def read_feature_partition(spark, day: dt.date) -> CustomerRows:
    from spark.features.job import QUALIFIED_TABLE

    frame = spark.table(QUALIFIED_TABLE).where(f"{AS_OF_COLUMN} = DATE '{day}'")
    return by_customer([row.asDict() for row in frame.collect()])


def row_mismatches(got: CustomerRows, expected: CustomerRows, limit: int = 20) -> list[str]:
    """Differences between two builds: exact for ints, strings, booleans and dates; doubles
    within 1e-9 relative (1e-9 absolute near 0, where a different summation order of the same
    money leaves a last-bit residue instead of an exact 0)."""
    problems = []
    if set(got) != set(expected):
        return [f"customers differ: {sorted(set(got) ^ set(expected))}"]
    for customer, want in sorted(expected.items()):
        for column, value in want.items():
            other = got[customer][column]
            if isinstance(value, float) and isinstance(other, float):
                same = math.isclose(other, value, rel_tol=1e-9, abs_tol=1e-9)
            else:
                same = other == value and type(other) is type(value)
            if not same:
                problems.append(f"{customer}.{column}: {other!r} != {value!r}")
    return problems[:limit]
