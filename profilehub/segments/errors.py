"""Errors of the segment language and of the data an index is built from."""

from __future__ import annotations


class SegmentError(ValueError):
    """Base of every error a segment expression can raise."""


class SegmentSyntaxError(SegmentError):
    """The text is not a segment expression: says where (1-based column), what and why."""

    def __init__(self, reason: str, column: int, found: str) -> None:
        self.reason = reason
        self.column = column
        self.found = found
        super().__init__(f"{reason} at column {column}, found {found}")


class SegmentSemanticError(SegmentError):
    """The expression parses but breaks a rule of its tags (unknown tag, wrong operator, label)."""

    def __init__(self, tag: str, rule: str) -> None:
        self.tag = tag
        self.rule = rule
        super().__init__(f"tag {tag!r}: {rule}")


class TagTableError(ValueError):
    """The long tag table breaks its contract, so no index is built from it."""
