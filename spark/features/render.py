"""One SQL text for two engines: the feature templates are Spark SQL, rendered for DuckDB.

Templates use ``{as_of}`` for the build date and a handful of functions that Spark SQL has and
DuckDB spells differently (or lacks). :func:`render` binds the date and rewrites those calls;
everything else in a template must already mean the same in both engines (ANSI Spark 4 and
DuckDB), which the templates ensure by: dividing only by ``NULLIF(x, 0)`` (ANSI Spark raises on
division by zero, DuckDB returns NULL); casting counts to DOUBLE before dividing; writing ratio
literals as DOUBLE casts where they multiply (a bare ``0.8`` is a DECIMAL); naming NULL order
where it matters; and never casting a fractional DOUBLE to INT (DuckDB rounds, Spark truncates).

Portable macros (same name in every template, whatever the engine):

- ``IN_WINDOW(day, N)``: ``day`` lies in the N calendar days ending with and including as_of,
  ``date_sub(as_of, N) < day <= as_of`` (the window convention of ``features.yml``).
- ``DATE_SUB(day, n)`` / ``DATE_ADD(day, n)``: the date n days before / after.
- ``DATEDIFF(end, start)``: days from ``start`` to ``end``.
- ``MONTHS_BETWEEN(a, b)``: Spark's definition (whole months when the days of month are equal
  or both are month ends, else a fraction of a 31-day month, rounded to 8 digits).
- ``MEDIAN(x)``: the exact median, mean of the two middle values (Spark ``PERCENTILE(x, 0.5)``).
- ``EXACT_SUM(x)`` / ``EXACT_SUM(x, scale)``: SUM of a DOUBLE expression accumulated as
  ``DECIMAL(38, scale)`` (6 by default: micro-CNY for money) and returned as DOUBLE. A float SUM
  depends on the order rows arrive in, which differs between Spark runs and between engines;
  an exact sum does not, so a rebuild reproduces its rows bit for bit and ties stay ties.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Literal

Dialect = Literal["spark", "duckdb"]
DIALECTS: tuple[Dialect, ...] = ("spark", "duckdb")
AS_OF_PLACEHOLDER = "{as_of}"

_CALL = re.compile(r"\b([A-Z_]+)\s*\(", re.IGNORECASE)


class RenderError(ValueError):
    """A template calls a macro with the wrong number of arguments or unbalanced parentheses."""


def _months_between_duckdb(a: str, b: str) -> str:
    whole = f"(YEAR({a}) - YEAR({b})) * 12 + MONTH({a}) - MONTH({b})"
    same_day = f"DAY({a}) = DAY({b}) OR ({a} = LAST_DAY({a}) AND {b} = LAST_DAY({b}))"
    return (f"ROUND({whole} + CASE WHEN {same_day} THEN 0 "
            f"ELSE (DAY({a}) - DAY({b})) / 31 END, 8)")


EXACT_SUM_SCALE = 6


def _exact_sum(x: str, scale: str = str(EXACT_SUM_SCALE)) -> str:
    return f"CAST(SUM(CAST({x} AS DECIMAL(38, {scale.strip('()')}))) AS DOUBLE)"


# name -> (numbers of arguments, Spark rendering, DuckDB rendering); arguments arrive rendered
# and parenthesised.
_MACROS: dict[str, tuple[tuple[int, ...], Callable[..., str], Callable[..., str]]] = {
    "DATE_SUB": ((2,), lambda d, n: f"DATE_SUB({d}, {n})", lambda d, n: f"CAST({d} - {n} AS DATE)"),
    "DATE_ADD": ((2,), lambda d, n: f"DATE_ADD({d}, {n})", lambda d, n: f"CAST({d} + {n} AS DATE)"),
    "DATEDIFF": ((2,), lambda end, start: f"DATEDIFF({end}, {start})",
                 lambda end, start: f"DATE_DIFF('day', {start}, {end})"),
    "MONTHS_BETWEEN": ((2,), lambda a, b: f"MONTHS_BETWEEN({a}, {b})", _months_between_duckdb),
    "MEDIAN": ((1,), lambda x: f"PERCENTILE({x}, 0.5)", lambda x: f"MEDIAN({x})"),
    "EXACT_SUM": ((1, 2), _exact_sum, _exact_sum),
}


def _outside_literals(text: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """Each character of ``text`` from ``start`` outside string literals, with the parenthesis
    depth before it."""
    depth, position = 0, start
    while position < len(text):
        char = text[position]
        if char == "'":
            position = text.index("'", position + 1) + 1
            continue
        yield position, char, depth
        depth += (char == "(") - (char == ")")
        position += 1


def _closing_paren(text: str, open_at: int) -> int:
    """Index of the parenthesis closing the one at ``open_at`` (string literals skipped)."""
    for position, char, depth in _outside_literals(text, open_at):
        if char == ")" and depth == 1:
            return position
    raise RenderError(f"unbalanced parenthesis after: {text[open_at - 20:open_at + 40]!r}")


def _split_arguments(text: str) -> list[str]:
    """Top-level comma-separated arguments of a call's inside."""
    commas = [position for position, char, depth in _outside_literals(text)
              if char == "," and depth == 0]
    bounds = zip([-1, *commas], [*commas, len(text)], strict=True)
    return [text[begin + 1:end].strip() for begin, end in bounds]


def _mask_literals(text: str) -> str:
    """``text`` with the inside of string literals blanked, so no call is found there."""
    return re.sub(r"'[^']*'", lambda m: "'" + " " * (len(m.group()) - 2) + "'", text)


def _rewrite(text: str, dialect: Dialect) -> str:
    out: list[str] = []
    position = 0
    for match in _CALL.finditer(_mask_literals(text)):
        if match.start() < position:
            continue  # inside a call already rewritten
        name = match.group(1).upper()
        open_at = match.end() - 1
        if name == "IN_WINDOW":
            close_at = _closing_paren(text, open_at)
            day, days = _split_arguments(text[open_at + 1:close_at])
            day = _rewrite(day, dialect)
            expansion = f"(({day}) > DATE_SUB({AS_OF_PLACEHOLDER}, {days}) " \
                        f"AND ({day}) <= {AS_OF_PLACEHOLDER})"
            out.append(text[position:match.start()])
            out.append(_rewrite(expansion, dialect))
            position = close_at + 1
            continue
        if name not in _MACROS:
            continue
        arities, spark_form, duckdb_form = _MACROS[name]
        close_at = _closing_paren(text, open_at)
        arguments = _split_arguments(text[open_at + 1:close_at])
        if len(arguments) not in arities:
            expected = " or ".join(map(str, arities))
            raise RenderError(f"{name} takes {expected} argument(s), got {len(arguments)}: "
                              f"{text[match.start():close_at + 1]!r}")
        rendered = [f"({_rewrite(argument, dialect)})" for argument in arguments]
        form = spark_form if dialect == "spark" else duckdb_form
        out.append(text[position:match.start()])
        out.append(form(*rendered))
        position = close_at + 1
    out.append(text[position:])
    return "".join(out)


def strip_comments(text: str) -> str:
    """``text`` without ``--`` comments (they may hold quotes or parentheses of prose)."""
    out: list[str] = []
    in_string = False
    position = 0
    while position < len(text):
        char = text[position]
        if char == "'":
            in_string = not in_string
        elif not in_string and text.startswith("--", position):
            position = text.find("\n", position)
            if position < 0:
                break
            continue
        out.append(char)
        position += 1
    return "".join(out)


def date_literal(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


def render(template: str, dialect: Dialect, as_of: dt.date) -> str:
    """``template`` for ``dialect`` with ``{as_of}`` bound to the build date."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {', '.join(DIALECTS)}")
    body = _rewrite(strip_comments(template), dialect)
    return body.replace(AS_OF_PLACEHOLDER, date_literal(as_of))
