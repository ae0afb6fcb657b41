"""Names of the validation rules a raw record can break, in the order they are checked.

A rejected record carries exactly one rule id: the first one it breaks in ``RULE_ORDER``.
Column-level rules are written ``<check>:<column>`` (``range:amount``); record-level rules
are the bare check name (``malformed``). The generator's dirty-defect manifest, the Spark
ingest and the DuckDB reference all speak these ids.
"""

from __future__ import annotations

BAD_ENCODING = "bad_encoding"          # bytes that are not valid UTF-8
MALFORMED = "malformed"                # unparseable line: wrong field count, broken JSON
MISSING_COLUMN = "missing_column"      # the file header lacks a contract column (drift)
NOT_NULL = "not_null"                  # a required column is empty
TYPE = "type"                          # value does not parse as the column's type
ALLOWED = "allowed"                    # value outside the column's allowed set
PATTERN = "pattern"                    # value does not match the column's pattern
RANGE = "range"                        # numeric value outside [min, max]
FUTURE_EVENT_TIME = "future_event_time"  # event time after the delivery date (+ tolerance)
LATE_ARRIVAL = "late_arrival"          # event time older than the allowed lateness
UNKNOWN_REFERENCE = "unknown_reference"  # e.g. a product code not in the catalogue
DUPLICATE_KEY = "duplicate_key"        # exact duplicate in the batch, or replay of a prior day
IDENTITY_CONFLICT = "identity_conflict"  # an identity value already owned by another key

RULE_ORDER = (
    BAD_ENCODING,
    MALFORMED,
    MISSING_COLUMN,
    NOT_NULL,
    TYPE,
    ALLOWED,
    PATTERN,
    RANGE,
    FUTURE_EVENT_TIME,
    LATE_ARRIVAL,
    UNKNOWN_REFERENCE,
    DUPLICATE_KEY,
    IDENTITY_CONFLICT,
)
COLUMN_RULES = (MISSING_COLUMN, NOT_NULL, TYPE, ALLOWED, PATTERN, RANGE, UNKNOWN_REFERENCE,
                IDENTITY_CONFLICT)


def rule_id(check: str, column: str | None = None) -> str:
    """``rule_id("range", "amount") == "range:amount"``; record-level checks take no column."""
    if check not in RULE_ORDER:
        raise ValueError(f"unknown check {check!r}; expected one of {', '.join(RULE_ORDER)}")
    if check in COLUMN_RULES:
        if not column:
            raise ValueError(f"check {check!r} needs a column")
        return f"{check}:{column}"
    return check
