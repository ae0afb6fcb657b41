"""Contracts of every raw source ProfileHub receives: declared once, used everywhere.

The generator writes files that honour these contracts, the Spark ingest validates against
them, the DuckDB benchmark reference validates with the very same rules, the dbt sources yml
is generated from them, and the docs table is rendered from them.

A contract names columns with type, nullability, allowed values, ranges and patterns; the key;
the event-time column; the file format; and the partner that delivers it. Columns marked
``pii`` never leave the landing zone in clear: ingest replaces them with keyed HMAC tokens
(column ``<name>_token``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["string", "int", "double", "date", "timestamp", "boolean"]
PiiKind = Literal["name", "phone", "national_id", "device_id"]
FileFormat = Literal["csv", "jsonl"]

CUSTOMER_RISK_LEVELS = ("C1", "C2", "C3", "C4", "C5")
PRODUCT_RISK_LEVELS = ("R1", "R2", "R3", "R4", "R5")
SECTORS = (
    "technology", "finance", "consumer", "healthcare", "energy",
    "industrials", "materials", "real_estate", "utilities", "telecom",
)
PRODUCT_TYPES = ("fund", "bond", "structured", "insurance")
PURPOSES = ("marketing", "partner_credit_assessment", "risk_control", "research")
CHANNELS = ("app", "web", "branch", "partner")

# Partners that deliver data, and our own systems.
CORE_BROKERAGE = "core_brokerage"
WEALTH_PLATFORM = "wealth_platform"
CONSENT_CENTER = "consent_center"
ECOMMERCE_PARTNER = "ecom_mall"
TRAVEL_PARTNER = "trip_ota"
GEO_PARTNER = "geo_telco"
PARENTING_PARTNER = "kids_edu"
MARKET_DATA_VENDOR = "market_data_vendor"
PARTNERS = (ECOMMERCE_PARTNER, TRAVEL_PARTNER, GEO_PARTNER, PARENTING_PARTNER)

# Patterns are Java/RE2-compatible regular expressions, anchored by the validator.
ACCOUNT_ID = r"A[0-9]{9}"
SYMBOL = r"[0-9]{6}"
PRODUCT_CODE = r"(FD|BD|SN|IN)[0-9]{6}"
PHONE = r"1[3-9][0-9]{9}"
NATIONAL_ID = r"[0-9]{17}[0-9X]"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    pii: PiiKind | None = None
    # (source, column) this column must reference among accepted rows, e.g. a product code.
    references: tuple[str, str] | None = None

    @property
    def curated_name(self) -> str:
        """Name of the column after ingest: PII columns become tokens."""
        return f"{self.name}_token" if self.pii else self.name


@dataclass(frozen=True)
class Contract:
    name: str
    description: str
    partner: str
    format: FileFormat
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    event_time: str
    # Columns in other sources whose values must be unique to one key (identity conflicts).
    unique_identity: tuple[str, ...] = ()
    # Snapshots (catalogue, daily positions) are re-delivered every day; events are not.
    kind: Literal["event", "snapshot"] = "event"
    tags: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"source {self.name!r} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def pii_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.pii)

    @property
    def curated_columns(self) -> tuple[str, ...]:
        return tuple(column.curated_name for column in self.columns)


def _c(name: str, type_: ColumnType, description: str, **kwargs) -> Column:
    return Column(name=name, type=type_, description=description, **kwargs)


CUSTOMERS = Contract(
    name="customers",
    description="KYC records of brokerage accounts: one row per account change (open or update).",
    partner=CORE_BROKERAGE,
    format="csv",
    key=("account_id", "updated_at"),
    event_time="updated_at",
    unique_identity=("national_id",),
    columns=(
        _c("account_id", "string", "Brokerage account id.", pattern=ACCOUNT_ID),
        _c("name", "string", "Legal name.", pii="name"),
        _c("phone", "string", "Mobile phone number.", pattern=PHONE, pii="phone"),
        _c("national_id", "string", "Resident ID card number.", pattern=NATIONAL_ID,
           pii="national_id"),
        _c("device_id", "string", "Primary device id of the trading app.", nullable=True,
           pii="device_id"),
        _c("birth_date", "date", "Date of birth."),
        _c("gender", "string", "Gender as declared at KYC.", allowed=("F", "M")),
        _c("city", "string", "City of residence."),
        _c("open_date", "date", "Date the account was opened."),
        _c("channel", "string", "Channel the account was opened through.", allowed=CHANNELS),
        _c("updated_at", "timestamp", "When this KYC record was written."),
    ),
)

RISK_ASSESSMENTS = Contract(
    name="risk_assessments",
    description="Suitability questionnaire results: customer risk level C1 (lowest) to C5.",
    partner=CORE_BROKERAGE,
    format="csv",
    key=("assessment_id",),
    event_time="assessed_at",
    columns=(
        _c("assessment_id", "string", "Questionnaire submission id."),
        _c("account_id", "string", "Brokerage account id.", pattern=ACCOUNT_ID),
        _c("risk_level", "string", "Customer risk level.", allowed=CUSTOMER_RISK_LEVELS),
        _c("score", "int", "Questionnaire score.", min=0, max=100),
        _c("assessed_at", "timestamp", "When the questionnaire was submitted."),
        _c("expires_on", "date", "Date after which the assessment must be renewed."),
    ),
)

TRADES = Contract(
    name="trades",
    description="Executed equity trades (A-shares), one row per fill.",
    partner=CORE_BROKERAGE,
    format="csv",
    key=("trade_id",),
    event_time="trade_time",
    columns=(
        _c("trade_id", "string", "Execution id."),
        _c("account_id", "string", "Brokerage account id.", pattern=ACCOUNT_ID),
        _c("trade_time", "timestamp", "Execution time (Asia/Shanghai, no offset)."),
        _c("symbol", "string", "Six-digit security code.", pattern=SYMBOL),
        _c("sector", "string", "Industry sector of the security.", allowed=SECTORS),
        _c("side", "string", "Buy or sell.", allowed=("BUY", "SELL")),
        _c("quantity", "int", "Shares filled.", min=1, max=10_000_000),
        _c("price", "double", "Fill price in CNY.", min=0.01, max=10_000),
        _c("amount", "double", "Fill amount in CNY (quantity × price).", min=0.01, max=500_000_000),
        _c("fee", "double", "Commission and taxes in CNY.", min=0, max=1_000_000),
        _c("is_margin", "boolean", "Whether the trade used margin financing."),
        _c("channel", "string", "Channel the order came through.", allowed=CHANNELS),
    ),
)

POSITIONS = Contract(
    name="positions",
    description="End-of-day equity positions per account and security.",
    partner=CORE_BROKERAGE,
    format="csv",
    kind="snapshot",
    key=("account_id", "position_date", "symbol"),
    event_time="position_date",
    columns=(
        _c("account_id", "string", "Brokerage account id.", pattern=ACCOUNT_ID),
        _c("position_date", "date", "Trading date of the snapshot."),
        _c("symbol", "string", "Six-digit security code.", pattern=SYMBOL),
        _c("sector", "string", "Industry sector of the security.", allowed=SECTORS),
        _c("quantity", "int", "Shares held.", min=0, max=100_000_000),
        _c("cost_basis", "double", "Average cost per share in CNY.", min=0, max=10_000),
        _c("market_value", "double", "Closing market value in CNY.", min=0, max=5_000_000_000),
    ),
)

WEALTH_PRODUCTS = Contract(
    name="wealth_products",
    description="Catalogue of wealth products on the shelf, with product risk level R1–R5.",
    partner=WEALTH_PLATFORM,
    format="csv",
    kind="snapshot",
    key=("product_code",),
    event_time="updated_at",
    columns=(
        _c("product_code", "string", "Product code.", pattern=PRODUCT_CODE),
        _c("product_name", "string", "Display name."),
        _c("product_type", "string", "Product family.", allowed=PRODUCT_TYPES),
        _c("risk_level", "string", "Product risk level.", allowed=PRODUCT_RISK_LEVELS),
        _c("issuer", "string", "Issuing institution."),
        _c("currency", "string", "Settlement currency.", allowed=("CNY", "USD", "HKD")),
        _c("min_investment", "double", "Minimum subscription in currency units.", min=0,
           max=10_000_000),
        _c("launch_date", "date", "Date the product was launched."),
        _c("updated_at", "timestamp", "When this catalogue row was last changed."),
    ),
)

WEALTH_HOLDINGS = Contract(
    name="wealth_holdings",
    description="End-of-day holdings of wealth products per account.",
    partner=WEALTH_PLATFORM,
    format="csv",
    kind="snapshot",
    key=("account_id", "holding_date", "product_code"),
    event_time="holding_date",
    columns=(
        _c("account_id", "string", "Brokerage account id.", pattern=ACCOUNT_ID),
        _c("holding_date", "date", "Date of the snapshot."),
        _c("product_code", "string", "Product held.", pattern=PRODUCT_CODE,
           references=("wealth_products", "product_code")),
        _c("units", "double", "Units held.", min=0, max=1_000_000_000),
        _c("market_value", "double", "Market value in CNY.", min=0, max=5_000_000_000),
    ),
)

WEALTH_TRANSACTIONS = Contract(
    name="wealth_transactions",
    description="Subscriptions, redemptions and dividends of wealth products.",
    partner=WEALTH_PLATFORM,
    format="csv",
    key=("txn_id",),
    event_time="txn_time",
    columns=(
        _c("txn_id", "string", "Transaction id."),
        _c("account_id", "string", "Brokerage account id.", pattern=ACCOUNT_ID),
        _c("product_code", "string", "Product traded.", pattern=PRODUCT_CODE,
           references=("wealth_products", "product_code")),
        _c("txn_type", "string", "Transaction type.",
           allowed=("subscribe", "redeem", "dividend")),
        _c("amount", "double", "Amount in CNY.", min=0.01, max=100_000_000),
        _c("txn_time", "timestamp", "When the transaction was confirmed."),
        _c("channel", "string", "Channel the order came through.", allowed=CHANNELS),
    ),
)

ECOMMERCE_ORDERS = Contract(
    name="ecommerce_orders",
    description="Orders on the partner e-commerce mall; linked to us through the phone number.",
    partner=ECOMMERCE_PARTNER,
    format="jsonl",
    key=("order_id",),
    event_time="order_time",
    columns=(
        _c("order_id", "string", "Partner order id."),
        _c("partner_user_id", "string", "Partner-side user id."),
        _c("phone", "string", "Buyer's mobile phone number.", pattern=PHONE, pii="phone"),
        _c("order_time", "timestamp", "When the order was paid."),
        _c("category", "string", "Merchandise category.",
           allowed=("electronics", "apparel", "groceries", "luxury", "home", "beauty",
                    "books", "sports")),
        _c("amount", "double", "Order amount in CNY.", min=0.01, max=1_000_000),
        _c("status", "string", "Order status.", allowed=("paid", "refunded")),
    ),
)

TRAVEL_BOOKINGS = Contract(
    name="travel_bookings",
    description="Bookings on the partner travel agency; linked through the ID card number.",
    partner=TRAVEL_PARTNER,
    format="jsonl",
    key=("booking_id",),
    event_time="booked_at",
    columns=(
        _c("booking_id", "string", "Partner booking id."),
        _c("partner_user_id", "string", "Partner-side user id."),
        _c("national_id", "string", "Traveller's ID card number.", pattern=NATIONAL_ID,
           pii="national_id"),
        _c("booked_at", "timestamp", "When the booking was made."),
        _c("travel_date", "date", "Departure date."),
        _c("booking_type", "string", "What was booked.", allowed=("flight", "hotel", "package")),
        _c("destination_city", "string", "Destination city."),
        _c("destination_country", "string", "ISO country code of the destination.",
           pattern=r"[A-Z]{2}"),
        _c("amount", "double", "Booking amount in CNY.", min=0.01, max=2_000_000),
    ),
)

GEO_EVENTS = Contract(
    name="geo_events",
    description="Place visits detected by the partner telco; linked through the device id.",
    partner=GEO_PARTNER,
    format="jsonl",
    key=("event_id",),
    event_time="event_time",
    columns=(
        _c("event_id", "string", "Partner event id."),
        _c("partner_user_id", "string", "Partner-side user id."),
        _c("device_id", "string", "Device id seen by the partner.", pii="device_id"),
        _c("event_time", "timestamp", "When the visit was detected."),
        _c("place_type", "string", "Kind of place visited.",
           allowed=("airport", "railway_station", "mall", "hospital", "school", "office")),
        _c("place_code", "string", "Place code (IATA code for airports).", nullable=True),
        _c("city", "string", "City of the place."),
        _c("dwell_minutes", "int", "Minutes spent at the place.", min=1, max=1440),
    ),
)

PARENTING_SPEND = Contract(
    name="parenting_spend",
    description="Parenting and education purchases on the partner platform; linked by phone.",
    partner=PARENTING_PARTNER,
    format="jsonl",
    key=("txn_id",),
    event_time="txn_time",
    columns=(
        _c("txn_id", "string", "Partner transaction id."),
        _c("partner_user_id", "string", "Partner-side user id."),
        _c("phone", "string", "Buyer's mobile phone number.", pattern=PHONE, pii="phone"),
        _c("txn_time", "timestamp", "When the purchase was paid."),
        _c("category", "string", "Spend category.",
           allowed=("infant_formula", "diapers", "toys", "tutoring", "school_fees",
                    "extracurricular", "children_books")),
        _c("amount", "double", "Amount in CNY.", min=0.01, max=500_000),
        _c("child_age_months", "int", "Age of the child in months, where known.",
           nullable=True, min=0, max=216),
    ),
)

MARKET_QUOTES = Contract(
    name="market_quotes",
    description="Daily closing quotes per security from the market data vendor.",
    partner=MARKET_DATA_VENDOR,
    format="csv",
    kind="snapshot",
    key=("symbol", "trade_date"),
    event_time="trade_date",
    columns=(
        _c("symbol", "string", "Six-digit security code.", pattern=SYMBOL),
        _c("trade_date", "date", "Trading date."),
        _c("sector", "string", "Industry sector of the security.", allowed=SECTORS),
        _c("prev_close", "double", "Previous close in CNY.", min=0.01, max=10_000),
        _c("close", "double", "Close in CNY.", min=0.01, max=10_000),
        _c("index_close", "double", "Close of the broad market index that day.", min=1,
           max=100_000),
    ),
)

CONSENT_EVENTS = Contract(
    name="consent_events",
    description="Consent grants and revocations, per customer, partner and purpose (PIPL).",
    partner=CONSENT_CENTER,
    format="jsonl",
    key=("consent_event_id",),
    event_time="event_time",
    columns=(
        _c("consent_event_id", "string", "Consent ledger entry id."),
        _c("account_id", "string", "Brokerage account id.", pattern=ACCOUNT_ID),
        _c("partner_id", "string", "Partner the consent is about.", allowed=PARTNERS),
        _c("purpose", "string", "Purpose of processing.", allowed=PURPOSES),
        _c("action", "string", "Grant or revoke.", allowed=("grant", "revoke")),
        _c("event_time", "timestamp", "When the customer acted."),
        _c("channel", "string", "Where the customer acted.", allowed=CHANNELS),
        _c("policy_version", "string", "Version of the privacy notice shown.",
           pattern=r"v[0-9]+\.[0-9]+"),
    ),
)

CONTRACTS: tuple[Contract, ...] = (
    CUSTOMERS,
    RISK_ASSESSMENTS,
    TRADES,
    POSITIONS,
    MARKET_QUOTES,
    WEALTH_PRODUCTS,
    WEALTH_HOLDINGS,
    WEALTH_TRANSACTIONS,
    ECOMMERCE_ORDERS,
    TRAVEL_BOOKINGS,
    GEO_EVENTS,
    PARENTING_SPEND,
    CONSENT_EVENTS,
)
CONTRACTS_BY_NAME = {contract.name: contract for contract in CONTRACTS}


def get_contract(name: str) -> Contract:
    try:
        return CONTRACTS_BY_NAME[name]
    except KeyError:
        known = ", ".join(CONTRACTS_BY_NAME)
        raise KeyError(f"unknown source {name!r}; known sources: {known}") from None
