"""Hand-written tokenizer and recursive-descent parser of segment expressions.

Grammar (keywords case-insensitive, precedence OR < AND < NOT)::

    segment   := or_expr END
    or_expr   := and_expr (OR and_expr)*
    and_expr  := not_expr (AND not_expr)*
    not_expr  := NOT not_expr | '(' or_expr ')' | atom
    atom      := TAG [ op value | IN '(' value (',' value)* ')' | BETWEEN value AND value ]
    op        := '=' | '!=' | '<>' | '<' | '<=' | '>' | '>='
    value     := 'quoted label' ('' escapes a quote) | number (digits with optional fraction)

A bare TAG means "is true" (boolean tags). Errors name the 1-based column, the token found
and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from profilehub.segments.ast import And, Between, Compare, Expr, InList, IsTrue, Not, Or, Value
from profilehub.segments.errors import SegmentSyntaxError

TokenKind = Literal["tag", "keyword", "string", "number", "op", "(", ")", ",", "end"]
KEYWORDS = frozenset({"AND", "OR", "NOT", "IN", "BETWEEN"})
_OP_ALIASES = {"<>": "!="}
_SCANNER = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
    r"|(?P<string>'(?:[^']|'')*')"
    r"|(?P<op><=|>=|!=|<>|=|<|>)"
    r"|(?P<punct>[(),])"
)


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    column: int

    def describe(self) -> str:
        return "end of input" if self.kind == "end" else repr(self.text)


def tokenize(text: str) -> list[Token]:
    """Split the text into tokens, ending with an ``end`` token."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _SCANNER.match(text, position)
        if match is None:
            raise _bad_character(text, position)
        kind = match.lastgroup
        lexeme = match.group()
        if kind == "word":
            kind = "keyword" if lexeme.upper() in KEYWORDS else "tag"
        elif kind == "punct":
            kind = lexeme
        if kind != "space":
            tokens.append(Token(kind, lexeme, position + 1))
        position = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


def _bad_character(text: str, position: int) -> SegmentSyntaxError:
    if text[position] == "'":
        return SegmentSyntaxError("unterminated string literal", position + 1,
                                  repr(text[position:position + 20]))
    return SegmentSyntaxError("unexpected character", position + 1, repr(text[position]))


def parse(text: str) -> Expr:
    """Parse a segment expression into its syntax tree (no tag knowledge needed)."""
    return _Parser(tokenize(text)).segment()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._position = 0

    @property
    def _current(self) -> Token:
        return self._tokens[self._position]

    def _advance(self) -> Token:
        token = self._current
        self._position += 1
        return token

    def _at_keyword(self, keyword: str) -> bool:
        return self._current.kind == "keyword" and self._current.text.upper() == keyword

    def _fail(self, expected: str) -> SegmentSyntaxError:
        token = self._current
        return SegmentSyntaxError(f"expected {expected}", token.column, token.describe())

    def _expect(self, kind: TokenKind, expected: str) -> Token:
        if self._current.kind != kind:
            raise self._fail(expected)
        return self._advance()

    def _expect_keyword(self, keyword: str) -> None:
        if not self._at_keyword(keyword):
            raise self._fail(keyword)
        self._advance()

    def segment(self) -> Expr:
        expr = self._or_expr()
        self._expect("end", "AND, OR or end of input")
        return expr

    def _or_expr(self) -> Expr:
        operands = [self._and_expr()]
        while self._at_keyword("OR"):
            self._advance()
            operands.append(self._and_expr())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def _and_expr(self) -> Expr:
        operands = [self._not_expr()]
        while self._at_keyword("AND"):
            self._advance()
            operands.append(self._not_expr())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def _not_expr(self) -> Expr:
        if self._at_keyword("NOT"):
            self._advance()
            return Not(self._not_expr())
        if self._current.kind == "(":
            self._advance()
            expr = self._or_expr()
            self._expect(")", "')'")
            return expr
        return self._atom()

    def _atom(self) -> Expr:
        tag = self._expect("tag", "a tag id, NOT or '('").text
        if self._current.kind == "op":
            lexeme = self._advance().text
            return Compare(tag, _OP_ALIASES.get(lexeme, lexeme), self._value())
        if self._at_keyword("IN"):
            self._advance()
            return InList(tag, self._value_list())
        if self._at_keyword("BETWEEN"):
            self._advance()
            low = self._value()
            self._expect_keyword("AND")
            return Between(tag, low, self._value())
        return IsTrue(tag)

    def _value_list(self) -> tuple[Value, ...]:
        self._expect("(", "'(' after IN")
        values = [self._value()]
        while self._current.kind == ",":
            self._advance()
            values.append(self._value())
        self._expect(")", "',' or ')'")
        return tuple(values)

    def _value(self) -> Value:
        token = self._current
        if token.kind == "string":
            self._advance()
            return token.text[1:-1].replace("''", "'")
        if token.kind == "number":
            self._advance()
            return float(token.text)
        raise self._fail("a quoted label or a number")
