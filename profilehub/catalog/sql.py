"""Tag definitions as SQL: what an expression may contain, and how a tag becomes one column.

A definition is a scalar expression over feature names only, written in the subset of SQL that
Spark SQL (ANSI mode, the Spark 4 default) and DuckDB evaluate alike: arithmetic, comparisons,
AND/OR/NOT, IS [NOT] NULL, IN, BETWEEN, CASE, and the functions in ``ALLOWED_FUNCTIONS``.
Division is only by a numeric literal or by ``NULLIF(<expr>, 0)``, because ANSI Spark raises on
division by zero where DuckDB returns NULL: the guard makes both return NULL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ALLOWED_FUNCTIONS = frozenset(
    {"ABS", "CAST", "COALESCE", "FLOOR", "GREATEST", "LEAST", "NULLIF", "ROUND"}
)
KEYWORDS = frozenset({
    "AND", "AS", "BETWEEN", "BOOLEAN", "CASE", "DOUBLE", "ELSE", "END", "FALSE", "IN", "INT",
    "IS", "NOT", "NULL", "OR", "STRING", "THEN", "TRUE", "WHEN",
})
_STRING_LITERAL = re.compile(r"'[^']*'")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|<=|>=|<>|!=|[-+*/%(),<>=]|\S")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Comments, statement separators, quoted identifiers and concatenation have no place in a
# one-expression definition; rejecting them keeps the expression portable and injection-free.
_FORBIDDEN = ("--", "/*", ";", '"', "`", "|", "\\", "{", "}")


@dataclass(frozen=True)
class ExpressionScan:
    """What a definition references."""

    identifiers: frozenset[str]
    functions: frozenset[str]
    problems: tuple[str, ...]


def scan_expression(expression: str) -> ExpressionScan:
    """Identifiers, functions and portability problems of one SQL expression."""
    problems: list[str] = []
    for forbidden in _FORBIDDEN:
        if forbidden in expression:
            problems.append(f"{forbidden!r} is not allowed in a definition")
    if expression.count("'") % 2:
        problems.append("unbalanced string quote")
    code = _STRING_LITERAL.sub("''", expression)
    depth = 0
    for char in code:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        problems.append("unbalanced parentheses")
    tokens = _TOKEN.findall(code)
    identifiers: set[str] = set()
    functions: set[str] = set()
    for position, token in enumerate(tokens):
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        if token in ("/", "%"):
            after = tokens[position + 2] if position + 2 < len(tokens) else ""
            if not (_NUMBER.fullmatch(following) or (following.upper() == "NULLIF"
                                                      and after == "(")):
                problems.append(f"'{token}' must be followed by a number or NULLIF(..., 0), "
                                f"not {following!r}")
            continue
        if not _IDENTIFIER.fullmatch(token) or token.upper() in KEYWORDS:
            continue
        if following == "(":
            if token.upper() not in ALLOWED_FUNCTIONS:
                problems.append(f"function {token}() is not allowed; allowed: "
                                f"{', '.join(sorted(ALLOWED_FUNCTIONS))}")
            functions.add(token.upper())
        else:
            identifiers.add(token)
    return ExpressionScan(frozenset(identifiers), frozenset(functions), tuple(problems))


_DECIMAL_LITERAL = re.compile(r"(?<![\w.])(\d+\.\d+)(?![\w.])")


def with_double_literals(expression: str) -> str:
    """``expression`` with every decimal literal (``30.0``) made a DOUBLE.

    Both engines read ``30.0`` as a DECIMAL, and DECIMAL arithmetic with integer features
    (``trade_count_30d / 30.0``) keeps different precision in Spark and DuckDB; in DOUBLE both
    compute the same IEEE result.
    """
    parts = re.split(r"('[^']*')", expression)
    return "".join(
        part if part.startswith("'") else _DECIMAL_LITERAL.sub(r"CAST(\1 AS DOUBLE)", part)
        for part in parts
    )


def sql_number(value: float) -> str:
    """A numeric literal for rendered SQL: integers as they are, fractions as DOUBLE."""
    text = format_number(value)
    return text if "." not in text else f"CAST({text} AS DOUBLE)"


def sql_string(value: str) -> str:
    """A SQL string literal (definitions never contain a quote, so no escaping is needed)."""
    if "'" in value:
        raise ValueError(f"a catalog value may not contain a quote: {value!r}")
    return f"'{value}'"


def format_number(value: float) -> str:
    """A literal both engines parse the same way: integers without a point, else decimal."""
    if float(value).is_integer():
        return str(int(value))
    text = repr(float(value))
    # Spell out exponents (1e-06) so the literal reads as a plain decimal in both engines.
    return text if "e" not in text else f"{float(value):.15f}".rstrip("0")


def clamp_unit(expression: str) -> str:
    """``expression`` cast to DOUBLE and clamped to [0, 1]; NULL (no evidence) counts as 0."""
    return (f"COALESCE(LEAST(GREATEST(CAST(({with_double_literals(expression)}) AS DOUBLE), "
            f"CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE))")
