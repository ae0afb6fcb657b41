"""The typed, immutable syntax tree of a segment expression.

Nodes are frozen dataclasses, so equal expressions are equal values and can key caches.
``str(node)`` renders the canonical text: upper-case keywords, single spaces, quoted labels,
shortest numbers, and only the parentheses precedence (OR < AND < NOT) requires. Parsing the
canonical text gives back an equal tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

# A literal is a quoted label (str) or a number (float, compared as a DuckDB DOUBLE would be).
Value = str | float
ComparisonOp = Literal["=", "!=", "<", "<=", ">", ">="]
COMPARISON_OPS: tuple[str, ...] = ("=", "!=", "<", "<=", ">", ">=")
ORDERED_OPS: tuple[str, ...] = ("<", "<=", ">", ">=")


def render_value(value: Value) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    # repr gives the shortest round-tripping digits; Decimal writes them without an exponent.
    return format(Decimal(repr(float(value))), "f")


@dataclass(frozen=True)
class IsTrue:
    """A bare boolean tag id: the customer has the tag with value 'true'."""

    tag: str

    def __str__(self) -> str:
        return self.tag


@dataclass(frozen=True)
class Compare:
    tag: str
    op: ComparisonOp
    value: Value

    def __str__(self) -> str:
        return f"{self.tag} {self.op} {render_value(self.value)}"


@dataclass(frozen=True)
class InList:
    tag: str
    values: tuple[Value, ...]

    def __str__(self) -> str:
        return f"{self.tag} IN ({', '.join(render_value(value) for value in self.values)})"


@dataclass(frozen=True)
class Between:
    """Inclusive on both ends, as in SQL."""

    tag: str
    low: Value
    high: Value

    def __str__(self) -> str:
        return f"{self.tag} BETWEEN {render_value(self.low)} AND {render_value(self.high)}"


@dataclass(frozen=True)
class Not:
    """Complement within every customer of the as_of, whether or not they have the tag."""

    operand: Expr

    def __str__(self) -> str:
        return f"NOT {_render_operand(self.operand, _NOT_PRECEDENCE - 1)}"


@dataclass(frozen=True)
class And:
    operands: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if len(self.operands) < 2:
            raise ValueError("AND needs at least two operands")

    def __str__(self) -> str:
        return " AND ".join(_render_operand(operand, _AND_PRECEDENCE) for operand in self.operands)


@dataclass(frozen=True)
class Or:
    operands: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if len(self.operands) < 2:
            raise ValueError("OR needs at least two operands")

    def __str__(self) -> str:
        return " OR ".join(_render_operand(operand, _OR_PRECEDENCE) for operand in self.operands)


Atom = IsTrue | Compare | InList | Between
Expr = Atom | Not | And | Or

_OR_PRECEDENCE, _AND_PRECEDENCE, _NOT_PRECEDENCE, _ATOM_PRECEDENCE = 1, 2, 3, 4


def _precedence(node: Expr) -> int:
    if isinstance(node, Or):
        return _OR_PRECEDENCE
    if isinstance(node, And):
        return _AND_PRECEDENCE
    if isinstance(node, Not):
        return _NOT_PRECEDENCE
    return _ATOM_PRECEDENCE


def _render_operand(node: Expr, parent_precedence: int) -> str:
    # Equal precedence is parenthesised too: the parser keeps an explicit group as its own
    # node, so rendering it back with parentheses makes parse(str(tree)) == tree.
    text = str(node)
    return f"({text})" if _precedence(node) <= parent_precedence else text


def atoms(node: Expr) -> list[Atom]:
    """Every atom of the tree, left to right."""
    if isinstance(node, Not):
        return atoms(node.operand)
    if isinstance(node, And | Or):
        return [atom for operand in node.operands for atom in atoms(operand)]
    return [node]
