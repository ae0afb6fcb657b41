"""The quarantine's ``raw_record``: the rejected line as delivered, minus the raw PII.

Raw PII never leaves the landing zone, not even for a broken line:

- A line that parses is shown field by field: known clear columns as delivered, PII columns as
  their token (so the record can still be matched with the lake), and columns the contract
  does not know as ``<redacted>``, since nobody vouched that they hold no PII. JSON lines are
  shown as an object of text values.
- A CSV line that does not parse is split naively on commas. A field can have slid by one
  position (a dropped or an extra separator), so every field within one position of a PII or
  unknown header column is redacted, as are fields beyond the header.
- A JSON line that does not parse gets the values of PII keys and unknown keys redacted by
  pattern.
- Finally anything that still looks like a phone number or an ID number is redacted.

Only rejected records need one, and they are few: the reader carries the cheap ingredients
(``_clear_fields``: the fields with PII already tokenised; ``_unparsed_record``: the redacted
text of lines that do not parse, which needs the raw line), and :func:`raw_record_sql` renders
the record after validation, for rejected rows only. Raw values are gone before any shuffle.
"""

from __future__ import annotations

from collections.abc import Sequence

from profilehub.contracts import Contract
from profilehub.pii import NATIONAL_ID_LIKE, PHONE_LIKE, REDACTED
from profilehub.validation import bad_encoding_sql, get_dialect, malformed_sql

SPARK = get_dialect("spark")
CLEAR_FIELDS = "_clear_fields"
UNPARSED_RECORD = "_unparsed_record"
_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
# A JSON value that is not a string: a number, true/false or the start of an object/array.
_JSON_SCALAR = r'(?!null\b)[^,}\]\s]+'


def _redacted_lookalikes(text_sql: str) -> str:
    without_ids = SPARK.regexp_replace_all(text_sql, NATIONAL_ID_LIKE, REDACTED)
    return SPARK.regexp_replace_all(without_ids, PHONE_LIKE, REDACTED)


def parses_sql(contract: Contract) -> str:
    """TRUE when the raw line is readable as a record (valid UTF-8 and well-formed)."""
    return f"(NOT {bad_encoding_sql(SPARK)} AND NOT {malformed_sql(contract, SPARK)})"


def clear_fields_sql(contract: Contract, header: Sequence[str] | None) -> str:
    """The record's fields with PII tokenised and unknown columns redacted (no raw PII).

    CSV: an array in header order. JSON: a map of the contract's keys (unknown keys are added
    back as redacted when the record is rendered).
    """
    pii = {column.name: column.curated_name for column in contract.pii_columns}
    if header is None:
        pairs = [f"{SPARK.literal(c.name)}, "
                 + (SPARK.name_of(pii[c.name]) if c.name in pii else SPARK.name_of(c.name))
                 for c in contract.columns]
        return f"map({', '.join(pairs)})"
    clear = set(contract.column_names) - set(pii)
    fields = [SPARK.name_of(pii[name]) if name in pii
              else f"_fields._c{index}" if name in clear else SPARK.literal(REDACTED)
              for index, name in enumerate(header)]
    return f"array({', '.join(fields)})"


def _unparsed_csv_sql(contract: Contract, header: Sequence[str]) -> str:
    clear = {column.name for column in contract.columns if not column.pii}
    unsafe = {index for index, name in enumerate(header) if name not in clear}
    redacted = sorted({i for index in unsafe for i in (index - 1, index, index + 1) if i >= 0})
    positions = ", ".join(str(i) for i in redacted) or "-1"
    return (f"array_join(transform(split(make_valid_utf8(_raw), ','), (field, i) -> "
            f"CASE WHEN i IN ({positions}) OR i >= {len(header)} THEN {SPARK.literal(REDACTED)} "
            f"ELSE field END), ',')")


def _unparsed_json_sql(contract: Contract) -> str:
    known = "|".join(contract.column_names)
    value = f"({_JSON_STRING}|{_JSON_SCALAR})"
    text = SPARK.regexp_replace_all(
        "make_valid_utf8(_raw)", rf'("(?!(?:{known})")(?:[^"\\]|\\.)*"\s*:\s*){value}',
        f'$1"{REDACTED}"')
    for column in contract.pii_columns:
        text = SPARK.regexp_replace_all(text, rf'("{column.name}"\s*:\s*){value}',
                                        f'$1"{REDACTED}"')
    return text


def unparsed_record_sql(contract: Contract, header: Sequence[str] | None) -> str:
    """The redacted raw record of a line that does not parse; NULL for lines that do."""
    text = _unparsed_json_sql(contract) if header is None else _unparsed_csv_sql(contract, header)
    return f"CASE WHEN NOT {parses_sql(contract)} THEN {_redacted_lookalikes(text)} END"


def _rendered_sql(contract: Contract) -> str:
    if contract.format == "jsonl":
        unknown = (f"map_from_arrays(_extra_columns, transform(_extra_columns, "
                   f"name -> {SPARK.literal(REDACTED)}))")
        return f"to_json(map_concat({CLEAR_FIELDS}, {unknown}))"
    quoted = """concat('"', replace(field, '"', '""'), '"')"""
    field = (f"CASE WHEN field IS NULL THEN '' WHEN instr(field, ',') > 0 OR "
             f"""instr(field, '"') > 0 THEN {quoted} ELSE field END""")
    return f"array_join(transform({CLEAR_FIELDS}, field -> {field}), ',')"


def raw_record_sql(contract: Contract) -> str:
    """Spark SQL for ``raw_record`` over the judged batch: NULL for accepted rows."""
    rendered = _redacted_lookalikes(_rendered_sql(contract))
    return (f"CASE WHEN _rule IS NULL THEN NULL WHEN {UNPARSED_RECORD} IS NOT NULL "
            f"THEN {UNPARSED_RECORD} ELSE {rendered} END")
