"""The quarantine's ``raw_record``: the rejected line as delivered, minus the raw PII.

Raw PII never leaves the landing zone, not even for a broken line:

- A line that parses keeps its known clear columns as delivered; PII columns show their token
  (so the record can still be matched with the lake) and columns the contract does not know
  show ``<redacted>``, since nobody vouched that they hold no PII.
- A CSV line that does not parse is split naively on commas. A field can have slid by one
  position (a dropped or an extra separator), so every field within one position of a PII or
  unknown header column is redacted, as are fields beyond the header.
- A JSON line that does not parse gets the values of PII keys and unknown keys redacted by
  pattern.
- Finally anything that still looks like a phone number or an ID number is redacted.

The expressions are Spark SQL over the reader's columns (``_raw``, ``_fields``,
``_field_names`` and the ``<column>_token`` columns); they run before the validation query, so
the raw values are gone before any shuffle.
"""

from __future__ import annotations

from collections.abc import Sequence

from profilehub.contracts import Contract
from profilehub.pii import NATIONAL_ID_LIKE, PHONE_LIKE, REDACTED
from profilehub.validation import bad_encoding_sql, get_dialect, malformed_sql

SPARK = get_dialect("spark")
_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
# A JSON value that is not a string: a number, true/false or the start of an object/array.
_JSON_SCALAR = r'(?!null\b)[^,}\]\s]+'


def _redacted_lookalikes(text_sql: str) -> str:
    without_ids = SPARK.regexp_replace_all(text_sql, NATIONAL_ID_LIKE, REDACTED)
    return SPARK.regexp_replace_all(without_ids, PHONE_LIKE, REDACTED)


def _clear_csv_field(value_sql: str) -> str:
    quoted = f"""concat('"', replace({value_sql}, '"', '""'), '"')"""
    needs_quotes = f"""(instr({value_sql}, ',') > 0 OR instr({value_sql}, '"') > 0)"""
    return (f"CASE WHEN {value_sql} IS NULL THEN '' "
            f"WHEN {needs_quotes} THEN {quoted} ELSE {value_sql} END")


def _parsed_csv_sql(contract: Contract, header: Sequence[str]) -> str:
    pii = {column.name: column.curated_name for column in contract.pii_columns}
    clear = set(contract.column_names) - set(pii)
    fields = []
    for index, name in enumerate(header):
        if name in pii:
            fields.append(f"coalesce({SPARK.name_of(pii[name])}, '')")
        elif name in clear:
            fields.append(_clear_csv_field(f"_fields._c{index}"))
        else:
            fields.append(SPARK.literal(REDACTED))
    return f"concat_ws(',', {', '.join(fields)})"


def _unparsed_csv_sql(contract: Contract, header: Sequence[str]) -> str:
    clear = {column.name for column in contract.columns if not column.pii}
    unsafe = {index for index, name in enumerate(header) if name not in clear}
    redacted = sorted({i for index in unsafe for i in (index - 1, index, index + 1) if i >= 0})
    positions = ", ".join(str(i) for i in redacted) or "-1"
    return (f"array_join(transform(split(make_valid_utf8(_raw), ','), (field, i) -> "
            f"CASE WHEN i IN ({positions}) OR i >= {len(header)} THEN {SPARK.literal(REDACTED)} "
            f"ELSE field END), ',')")


def _json_sql(contract: Contract, parses: str) -> str:
    known = "|".join(contract.column_names)
    unknown_key = rf'("(?!(?:{known})")(?:[^"\\]|\\.)*"\s*:\s*)'
    text = SPARK.regexp_replace_all(
        "make_valid_utf8(_raw)", f"{unknown_key}({_JSON_STRING}|{_JSON_SCALAR})",
        f'$1"{REDACTED}"')
    for column in contract.pii_columns:
        token = SPARK.name_of(column.curated_name)
        replacement = (f"CASE WHEN {parses} AND {token} IS NOT NULL "
                       f"""THEN concat('$1"', {token}, '"') ELSE '$1"{REDACTED}"' END""")
        pattern = SPARK.literal(rf'("{column.name}"\s*:\s*)({_JSON_STRING}|{_JSON_SCALAR})')
        text = f"regexp_replace({text}, {pattern}, {replacement})"
    return text


def raw_record_sql(contract: Contract, header: Sequence[str] | None) -> str:
    """Spark SQL for the redacted raw record (``header`` is the file's CSV header)."""
    parses = f"NOT {bad_encoding_sql(SPARK)} AND NOT {malformed_sql(contract, SPARK)}"
    if header is None:
        return _redacted_lookalikes(_json_sql(contract, f"({parses})"))
    record = (f"CASE WHEN {parses} THEN {_parsed_csv_sql(contract, header)} "
              f"ELSE {_unparsed_csv_sql(contract, header)} END")
    return _redacted_lookalikes(record)
