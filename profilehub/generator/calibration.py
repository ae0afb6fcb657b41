"""Every share, rate and threshold the synthetic brokerage is calibrated with, in one place.

The figures approximate public statistics of Chinese retail brokerage: most accounts are small
(about two thirds below 100k CNY), a few percent are high-net-worth, a fifth are Gen Z, most
customers trade rarely while a few day-trade. Modules import these names; none repeats them.
"""

from __future__ import annotations

import math

# --- Customers -------------------------------------------------------------------------------
# (first age, last age, share of accounts); ages are completed years on the first delivery date.
AGE_BANDS = (
    (18, 24, 0.11), (25, 29, 0.12), (30, 34, 0.15), (35, 39, 0.15), (40, 44, 0.12),
    (45, 49, 0.10), (50, 54, 0.09), (55, 59, 0.07), (60, 64, 0.05), (65, 75, 0.04),
)
GEN_Z_BIRTH_YEARS = (1997, 2012)
MALE_SHARE = 0.56
# Mean years between account opening and the first delivery date (exponential).
MEAN_ACCOUNT_AGE_YEARS = 5.0
EARLIEST_OPEN_DATE = "2000-01-01"
# Accounts opened during the run, per delivery day, as a share of all accounts.
NEW_ACCOUNTS_PER_DAY = 0.0015
CUSTOMER_CHANNELS = (("app", 0.78), ("web", 0.07), ("branch", 0.10), ("partner", 0.05))
NO_DEVICE_SHARE = 0.04
# Shares of existing accounts with a KYC update during the run (when it lasts 2+ days).
PHONE_CHANGE_SHARE = 0.01
CITY_MOVE_SHARE = 0.005
# Pairs of customers (couples) sharing one device, as a share of accounts.
SHARED_DEVICE_PAIR_SHARE = 0.005

# --- Assets ------------------------------------------------------------------------------------
# Total assets (equity + wealth, CNY) are lognormal: P(<100k) = 0.68 and P(>1M) = 0.04.
ASSET_LOG_MEAN = 10.673
ASSET_LOG_SIGMA = 1.795
MAX_TOTAL_ASSETS = 200_000_000.0
# Correlation between the age score and the asset score (older customers hold more).
ASSET_AGE_CORRELATION = 0.35
ASSET_TIERS = (
    ("long_tail", 0.0, 100_000.0),
    ("mass", 100_000.0, 500_000.0),
    ("mass_affluent", 500_000.0, 1_000_000.0),
    ("hnw", 1_000_000.0, math.inf),
)
# Share of wealth-product users: logistic in the age and asset scores.
WEALTH_USER_LOGIT = (-0.7, 0.5, 0.6)  # intercept, age score, asset score
# Accounts with less equity than this hold no shares at all (cash only).
MIN_EQUITY_FOR_POSITIONS = 300.0

# --- Risk profile --------------------------------------------------------------------------------
CUSTOMER_RISK_SHARES = (0.08, 0.22, 0.38, 0.22, 0.10)  # C1..C5
RISK_ASSET_WEIGHT = 0.55
RISK_AGE_WEIGHT = -0.35
RISK_NOISE = 0.75
ASSESSMENT_VALID_DAYS = 730
# Questionnaire score band per risk level C1..C5 (inclusive).
RISK_SCORE_BANDS = ((0, 20), (21, 40), (41, 60), (61, 80), (81, 100))

# --- Behaviour cohorts (shares of accounts; chosen exclusively, in this order) ------------------
DAY_TRADER_SHARE = 0.03
DAY_TRADER_MIN_EQUITY = 30_000.0
WASH_TRADER_SHARE = 0.0005
WASH_TRADER_MIN_COUNT = 2
WASH_TRADER_MIN_EQUITY = 200_000.0
PANIC_SELLER_SHARE = 0.06
CHURNER_SHARE = 0.04
CHURN_DECLINE_DAYS = (2, 6)  # activity fades over this many days, then stops
FOMO_SHARE = 0.05
MARGIN_MIN_ASSETS = 500_000.0  # the regulatory threshold for margin accounts
MARGIN_SHARE_OF_ELIGIBLE = 0.30
SUITABILITY_BREACH_SHARE = 0.015  # of wealth users below C5

# --- Trading -------------------------------------------------------------------------------------
DORMANT_SHARE = 0.30
DORMANT_RATE_FACTOR = 0.03
ACTIVE_TRADE_RATE_MEDIAN = 0.30  # trades per day
ACTIVE_TRADE_RATE_SIGMA = 1.3
YOUNG_ACTIVITY_BOOST = 0.4
DAY_TRADER_REGULAR_RATE = 3.0
DAY_TRADER_ROUND_TRIPS = 12.0
WASH_ROUND_TRIPS = (5, 14)
SELL_PROBABILITY = 0.45
CHURN_SELL_PROBABILITY = 0.85
DRAWDOWN_ACTIVITY = 1.5
RALLY_ACTIVITY = 1.3
TRADE_SIZE_SHARE = (0.03, 0.25)  # of the account's equity
SELL_FRACTION = (0.2, 1.0)
SELL_ALL_ABOVE = 0.85
PANIC_POSITION_PROBABILITY = 0.85
PANIC_SELL_FRACTION = (0.6, 1.0)
PANIC_NEXT_DAY_PROBABILITY = 0.4
FOMO_BUYS = 3.0
FOMO_SIZE_SHARE = (0.1, 0.3)
FOMO_TOP_GAINER_QUANTILE = 0.95
MARGIN_TRADE_PROBABILITY = 0.35
LOT_SIZE = 100
MAX_FILL_QUANTITY = 1_000_000
COMMISSION_RATE = 0.0003
MIN_COMMISSION = 5.0
STAMP_DUTY_RATE = 0.0005  # sells only
TRANSFER_FEE_RATE = 0.00001
TRADE_CHANNELS = (("app", 0.86), ("web", 0.08), ("branch", 0.02), ("partner", 0.04))
# Position count per account: 1 + Poisson(slope * max(log10(equity) - offset, 0)), capped.
POSITIONS_SLOPE = 0.9
POSITIONS_LOG_OFFSET = 3.3
MAX_POSITIONS = 12
# Dirichlet concentration of sector preferences (times the market's sector weights): low, so
# that most retail investors concentrate on one or two sectors.
SECTOR_PREFERENCE_CONCENTRATION = 0.6
COST_BASIS_SPREAD = 0.25  # lognormal sigma of cost basis around the starting price

# --- Market --------------------------------------------------------------------------------------
SYMBOL_COUNT_RANGE = (300, 800)
CUSTOMERS_PER_SYMBOL = 100
SECTOR_WEIGHTS = {
    "technology": 0.20, "finance": 0.08, "consumer": 0.12, "healthcare": 0.12, "energy": 0.06,
    "industrials": 0.15, "materials": 0.10, "real_estate": 0.05, "utilities": 0.06,
    "telecom": 0.06,
}
INDEX_START = 3350.0
INDEX_DAILY_DRIFT = 0.0003
INDEX_DAILY_VOL = 0.009
NORMAL_RETURN_CLIP = 0.022
DRAWDOWN_RETURN = (-0.055, -0.032)
RALLY_RETURN = (0.025, 0.04)
DAYS_PER_DRAWDOWN = 10  # one planted drawdown per this many days, 1..4 per run
MAX_DRAWDOWNS = 4
PRICE_LOG_MEDIAN = 2.5  # ~12 CNY
PRICE_LOG_SIGMA = 0.8
PRICE_RANGE = (2.0, 1800.0)
BETA_RANGE = (0.6, 1.4)
SECTOR_DAILY_VOL = 0.008
IDIOSYNCRATIC_DAILY_VOL = 0.012
MAIN_BOARD_LIMIT = 0.10
GROWTH_BOARD_LIMIT = 0.20  # ChiNext (300xxx) and STAR (688xxx)
INTRADAY_NOISE = 0.004

# --- Wealth products -----------------------------------------------------------------------------
PRODUCT_COUNTS = {"fund": 170, "bond": 60, "structured": 40, "insurance": 30}
# Product risk level R1..R5 shares per product type.
PRODUCT_RISK_MIX = {
    "fund": (0.15, 0.25, 0.30, 0.25, 0.05),
    "bond": (0.50, 0.50, 0.0, 0.0, 0.0),
    "structured": (0.0, 0.0, 0.0, 0.55, 0.45),
    "insurance": (0.60, 0.40, 0.0, 0.0, 0.0),
}
PRODUCT_MIN_INVESTMENT = {
    "fund": (1.0, 10.0, 100.0, 1000.0),
    "bond": (1000.0, 10_000.0),
    "structured": (50_000.0, 100_000.0, 1_000_000.0),
    "insurance": (1000.0, 10_000.0),
}
PRODUCT_TYPE_PREFERENCE = {"fund": 0.55, "bond": 0.20, "structured": 0.10, "insurance": 0.15}
FOREIGN_CURRENCY_SHARE = 0.05
NAV_BETA_BY_RISK = (0.0, 0.1, 0.5, 0.9, 1.2)
NAV_DAILY_DRIFT = 0.00008
NAV_DAILY_NOISE = 0.002
HOLDINGS_SLOPE = 0.5
MAX_HOLDINGS = 6
SUBSCRIBE_RATE = 0.01  # per wealth user per day
REDEEM_RATE = 0.006
DIVIDEND_RATE = 0.002  # per fund or bond holding per day
BREACH_SUBSCRIBE_SHARE = 0.3
WEALTH_CHANNELS = (("app", 0.80), ("web", 0.08), ("branch", 0.07), ("partner", 0.05))

# --- Partners ------------------------------------------------------------------------------------
PARTNER_COVERAGE = {"ecom_mall": 0.35, "trip_ota": 0.20, "geo_telco": 0.25, "kids_edu": 0.10}
NON_CUSTOMER_USER_RATIO = 0.5  # partner users who are not our customers, per covered customer
# Share of partner records delivered 0, 1 or 2 days after the event (within allowed lateness).
PARTNER_DELIVERY_LAG = (0.85, 0.12, 0.03)
ECOMMERCE_RATE_MEDIAN = 0.06
ECOMMERCE_RATE_SIGMA = 1.0
ECOMMERCE_REFUND_SHARE = 0.06
# (category, weight, median amount CNY)
ECOMMERCE_CATEGORIES = (
    ("electronics", 0.14, 1500.0), ("apparel", 0.22, 250.0), ("groceries", 0.25, 120.0),
    ("luxury", 0.03, 8000.0), ("home", 0.12, 400.0), ("beauty", 0.12, 300.0),
    ("books", 0.06, 60.0), ("sports", 0.06, 350.0),
)
ECOMMERCE_AMOUNT_SIGMA = 0.7
TRAVELLER_SHARE = 0.5  # of travel-partner users
CROSS_BORDER_SHARE = 0.35  # of travellers
TRAVELLER_RATE = 0.03
OCCASIONAL_TRAVEL_RATE = 0.003
CROSS_BORDER_TRIP_SHARE = 0.6
BOOKING_TYPES = (("flight", 0.5), ("hotel", 0.3), ("package", 0.2))
BOOKING_AMOUNTS = {"flight": (1200.0, 5000.0), "hotel": (600.0, 1500.0),
                   "package": (6000.0, 15000.0)}  # (domestic, international) medians
BOOKING_LEAD_DAYS_P = 0.08  # geometric lead time between booking and departure
GEO_EVENTS_PER_DAY = 1.5
# (place type, share of visits, dwell minutes range, hours of the day it is visited)
GEO_PLACES = (
    ("office", 0.38, (240, 600), (7, 11)), ("mall", 0.27, (30, 180), (10, 22)),
    ("railway_station", 0.08, (20, 90), (6, 23)), ("hospital", 0.05, (30, 180), (8, 18)),
    ("school", 0.10, (10, 60), (7, 18)), ("airport", 0.005, (60, 240), (6, 22)),
)
GEO_PLACE_CODE_SHARE = 0.5  # non-airport visits that carry a POI code
NEW_PARENT_SHARE = 0.4  # of parenting users
PARENTING_RATE_NEW = 0.08
PARENTING_RATE_OLDER = 0.03
CHILD_AGE_UNKNOWN_SHARE = 0.15
INFANT_CATEGORIES = (("infant_formula", 0.35, 300.0), ("diapers", 0.35, 150.0),
                     ("toys", 0.20, 120.0), ("children_books", 0.10, 80.0))
OLDER_CHILD_CATEGORIES = (("tutoring", 0.30, 2500.0), ("school_fees", 0.15, 8000.0),
                          ("extracurricular", 0.30, 1200.0), ("toys", 0.10, 200.0),
                          ("children_books", 0.15, 100.0))
PARENTING_AMOUNT_SIGMA = 0.5

# --- Consent -------------------------------------------------------------------------------------
GRANT_ANY_IF_PARTNER_USER = 0.8
GRANT_ANY_OTHERWISE = 0.08
PURPOSE_GRANT_PROBABILITY = {
    "marketing": 0.45, "partner_credit_assessment": 0.30, "risk_control": 0.70, "research": 0.50,
}
FIRST_DAY_GRANT_SHARE = 0.6
REVOKE_SHARE = 0.12
POLICY_VERSIONS = ("v3.1", "v3.2")
CONSENT_CHANNELS = (("app", 0.80), ("web", 0.12), ("branch", 0.03), ("partner", 0.05))

# --- Dirty mode ----------------------------------------------------------------------------------
MAX_DEFECT_SHARE = 0.05  # of a source/date's rows, well under the ingest's 10% failure limit
FUTURE_SHIFT_DAYS = (5, 30)
LATE_SHIFT_DAYS = (8, 40)
REPLAY_POOL_SIZE = 32
