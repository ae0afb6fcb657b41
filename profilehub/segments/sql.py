"""Compile a segment to DuckDB SQL over the long tag table: the reference the index must match.

The compilation is a direct set algebra, independent of the bitmap index: an atom selects the
customers that have a row for the tag whose value satisfies the condition; OR is UNION; NOT is
EXCEPT from every customer of the table. A customer with no row for a tag therefore satisfies
no atom on it, but does satisfy its negation. AND intersects its positive operands and takes
away its negated ones, so that the costly scan of every customer (for the complement) is only
paid by a NOT that stands alone, under OR, or in an AND with no positive operand.
"""

from __future__ import annotations

from profilehub.segments.ast import (
    ORDERED_OPS,
    And,
    Atom,
    Between,
    Compare,
    Expr,
    InList,
    IsTrue,
    Not,
    Or,
    Value,
)
from profilehub.segments.kinds import TRUE_LABEL, TagKind, TagKinds
from profilehub.segments.semantics import bucket_position, check

DEFAULT_TABLE = "tag_table"
_SQL_OPS = {"=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def to_sql(expr: Expr, kinds: TagKinds, table: str = DEFAULT_TABLE) -> str:
    """A query returning the distinct ``customer_key`` of the segment.

    ``table`` is inserted verbatim, so it may be a table name or a table function such as
    ``read_parquet('tags.parquet')``; it must hold one as_of.
    """
    check(expr, kinds)
    return f"SELECT DISTINCT customer_key FROM ({_set_query(expr, kinds, table)}) AS segment"


def _set_query(expr: Expr, kinds: TagKinds, table: str) -> str:
    if isinstance(expr, Or):
        return _combine("UNION", expr.operands, kinds, table)
    if isinstance(expr, And):
        kept = tuple(operand for operand in expr.operands if not isinstance(operand, Not))
        removed = tuple(operand.operand for operand in expr.operands if isinstance(operand, Not))
        base = _combine("INTERSECT", kept, kinds, table) if kept else _everyone(table)
        return f"({base}) EXCEPT ({_combine('UNION', removed, kinds, table)})" if removed else base
    if isinstance(expr, Not):
        return f"({_everyone(table)}) EXCEPT ({_set_query(expr.operand, kinds, table)})"
    condition = _condition(expr, kinds[expr.tag])
    return (f"SELECT customer_key FROM {table} "
            f"WHERE tag_id = {sql_string(expr.tag)} AND {condition}")


def _everyone(table: str) -> str:
    return f"SELECT customer_key FROM {table}"


def _combine(operator: str, operands: tuple[Expr, ...], kinds: TagKinds, table: str) -> str:
    return f" {operator} ".join(f"({_set_query(operand, kinds, table)})" for operand in operands)


def _condition(atom: Atom, kind: TagKind) -> str:
    if isinstance(atom, IsTrue):
        return f"value = {sql_string(TRUE_LABEL)}"
    subject = _subject(atom, kind)
    if isinstance(atom, Compare):
        return f"{subject} {_SQL_OPS[atom.op]} {_operand(atom.value, atom, kind)}"
    if isinstance(atom, InList):
        listed = ", ".join(_operand(value, atom, kind) for value in atom.values)
        return f"{subject} IN ({listed})"
    low, high = _operand(atom.low, atom, kind), _operand(atom.high, atom, kind)
    return f"{subject} BETWEEN {low} AND {high}"


def _is_ordered_bucket(atom: Atom, kind: TagKind) -> bool:
    ordered = isinstance(atom, Between) or (isinstance(atom, Compare) and atom.op in ORDERED_OPS)
    return kind.type == "bucket" and ordered


def _subject(atom: Atom, kind: TagKind) -> str:
    if kind.type == "score":
        return "TRY_CAST(value AS DOUBLE)"
    if _is_ordered_bucket(atom, kind):
        labels = ", ".join(sql_string(label) for label in kind.buckets)
        return f"list_position([{labels}], value)"
    return "value"


def _operand(value: Value, atom: Atom, kind: TagKind) -> str:
    if isinstance(value, float):
        return f"CAST({sql_string(repr(value))} AS DOUBLE)"
    if _is_ordered_bucket(atom, kind):
        return str(bucket_position(kind, value) + 1)  # list_position counts from 1
    return sql_string(value)
