"""Semantic rules of segment expressions: each atom must make sense for its tag's type.

- a bare tag id ("is true") only applies to boolean tags;
- ``<``, ``<=``, ``>``, ``>=`` and BETWEEN need an ordered tag: a score (numbers) or a bucket
  (labels, by bucket order); booleans and categories are unordered;
- scores compare with numbers within [0, 1]; every other type compares with quoted labels;
- a label must be one the tag can take (booleans 'true'/'false', the buckets, the declared
  categories); a BETWEEN range must not be empty.
"""

from __future__ import annotations

from difflib import get_close_matches

from profilehub.segments.ast import (
    ORDERED_OPS,
    Atom,
    Between,
    Compare,
    Expr,
    InList,
    IsTrue,
    Value,
    atoms,
    render_value,
)
from profilehub.segments.errors import SegmentSemanticError
from profilehub.segments.kinds import TagKind, TagKinds
from profilehub.segments.parser import parse


def parse_segment(text: str, kinds: TagKinds) -> Expr:
    """Parse and check a segment expression against the tags it may use."""
    expr = parse(text)
    check(expr, kinds)
    return expr


def check(expr: Expr, kinds: TagKinds) -> None:
    """Raise SegmentSemanticError for the first atom that breaks a rule of its tag."""
    for atom in atoms(expr):
        _check_atom(atom, _kind_of(atom.tag, kinds))


def bucket_position(kind: TagKind, label: str) -> int:
    """0-based rank of a bucket label, lowest bucket first."""
    return kind.buckets.index(label)


def _kind_of(tag: str, kinds: TagKinds) -> TagKind:
    kind = kinds.get(tag)
    if kind is None:
        close = get_close_matches(tag, list(kinds), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise SegmentSemanticError(tag, f"unknown tag{hint}")
    return kind


def _check_atom(atom: Atom, kind: TagKind) -> None:
    if isinstance(atom, IsTrue):
        if kind.type != "boolean":
            raise SegmentSemanticError(
                atom.tag, f"a bare tag id means 'is true' and needs a boolean tag, "
                          f"not a {kind.type} tag; compare it with =, IN or BETWEEN")
        return
    ordered = isinstance(atom, Between) or (isinstance(atom, Compare) and atom.op in ORDERED_OPS)
    if ordered and kind.type not in ("score", "bucket"):
        operator = "BETWEEN" if isinstance(atom, Between) else atom.op
        raise SegmentSemanticError(
            atom.tag, f"{kind.type} tags are unordered: {operator} needs a score or bucket tag; "
                      f"use =, != or IN")
    for value in _values(atom):
        _check_value(atom.tag, kind, value)
    if isinstance(atom, Between) and _rank(kind, atom.low) > _rank(kind, atom.high):
        raise SegmentSemanticError(
            atom.tag, f"empty range: BETWEEN {render_value(atom.low)} AND "
                      f"{render_value(atom.high)} needs the low end first")


def _values(atom: Atom) -> tuple[Value, ...]:
    if isinstance(atom, Compare):
        return (atom.value,)
    if isinstance(atom, InList):
        return atom.values
    if isinstance(atom, Between):
        return (atom.low, atom.high)
    return ()


def _check_value(tag: str, kind: TagKind, value: Value) -> None:
    if kind.type == "score":
        if isinstance(value, str):
            raise SegmentSemanticError(
                tag, f"score tags compare with numbers, not strings: got {render_value(value)}")
        if not 0.0 <= value <= 1.0:
            raise SegmentSemanticError(
                tag, f"scores lie within [0, 1]: got {render_value(value)}")
        return
    if not isinstance(value, str):
        raise SegmentSemanticError(
            tag, f"{kind.type} tags compare with quoted labels, not numbers: "
                 f"got {render_value(value)}")
    labels = kind.labels
    if labels is not None and value not in labels:
        known = ", ".join(render_value(label) for label in labels)
        raise SegmentSemanticError(
            tag, f"unknown {kind.type} label {render_value(value)}; known labels: {known}")


def _rank(kind: TagKind, value: Value) -> float:
    return bucket_position(kind, value) if isinstance(value, str) else value
