"""The small formula language of the indicator catalogue, parsed without eval.

An indicator is `numerator / denominator × scale`; numerator and denominator are
arithmetic expressions over variable aliases:

    expression := term (("+" | "-") term)*
    term       := factor (("*" | "/") factor)*
    factor     := "-" factor | atom
    atom       := NUMBER | reference | "(" expression ")"
    reference  := ALIAS ["@base" | "@-" INTEGER]

`population@base` is the alias's value in the first year of the period,
`population@-1` its value in the previous year. Keeping numerator and
denominator apart (rather than one expression) is what lets aggregates be
ratios of sums: a partnership's value is sum(numerators) / sum(denominators).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import polars as pl

Offset = int | str | None  # None = same year, "base" = first year of the period, -k = k years back

_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<name>[a-z_][a-z0-9_]*)"
    r"|(?P<at>@(?:base|-\d+|\S*))"
    r"|(?P<op>[-+*/()])"
    r"|(?P<bad>\S)"
    r")"
)


class FormulaError(ValueError):
    """A formula that does not parse or names an unknown alias."""


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Ref:
    alias: str
    offset: Offset = None

    @property
    def column(self) -> str:
        return column_name(self.alias, self.offset)


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node


Node = Number | Ref | Neg | BinOp


def column_name(alias: str, offset: Offset = None) -> str:
    """The column that holds an alias at a year offset in the computation frame."""
    if offset is None:
        return alias
    return f"{alias}@{offset}"


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        # The pattern always advances (its last branch takes any character).
        if match is None or match.end() == position:  # pragma: no cover
            raise FormulaError(f"cannot read {stripped[position:]!r} at position {position + 1}")
        kind = match.lastgroup or "bad"
        value = match.group(kind)
        start = match.start(kind)
        if kind == "bad":
            raise FormulaError(
                f"unexpected character {value!r} at position {start + 1} in {text!r}"
            )
        if kind == "at" and not re.fullmatch(r"@(?:base|-[1-9]\d*)", value):
            raise FormulaError(
                f"bad year reference {value!r} at position {start + 1} in {text!r}: "
                "use @base (first year of the period) or @-1, @-2 … (years back)"
            )
        tokens.append((kind, value, start))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise FormulaError(f"formula {self.text!r} ends too early")
        self.index += 1
        return token

    def fail(self, token: tuple[str, str, int], expected: str) -> FormulaError:
        return FormulaError(
            f"expected {expected} but found {token[1]!r} at position {token[2] + 1} "
            f"in {self.text!r}"
        )

    def parse(self) -> Node:
        if not self.tokens:
            raise FormulaError("empty formula")
        node = self.expression()
        token = self.peek()
        if token is not None:
            raise self.fail(token, "an operator or the end")
        return node

    def expression(self) -> Node:
        node = self.term()
        while (token := self.peek()) is not None and token[1] in "+-" and token[0] == "op":
            self.take()
            node = BinOp(token[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while (token := self.peek()) is not None and token[1] in "*/" and token[0] == "op":
            self.take()
            node = BinOp(token[1], node, self.factor())
        return node

    def factor(self) -> Node:
        token = self.peek()
        if token is not None and token == ("op", "-", token[2]):
            self.take()
            return Neg(self.factor())
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        kind, value, _start = token
        if kind == "number":
            return Number(float(value))
        if kind == "name":
            following = self.peek()
            if following is not None and following[0] == "at":
                self.take()
                offset: Offset = "base" if following[1] == "@base" else int(following[1][1:])
                return Ref(value, offset)
            return Ref(value)
        if kind == "op" and value == "(":
            node = self.expression()
            closing = self.peek()
            if closing is None:
                raise FormulaError(f"missing ')' in {self.text!r}")
            if closing[1] != ")":
                raise self.fail(closing, "')'")
            self.take()
            return node
        raise self.fail(token, "a number, an alias or '('")


def parse(text: str, aliases: Iterable[str] | None = None) -> Node:
    """Parse a formula; with `aliases`, every reference must name one of them."""
    node = _Parser(text).parse()
    if aliases is not None:
        known = set(aliases)
        unknown = sorted({ref.alias for ref in references(node)} - known)
        if unknown:
            raise FormulaError(f"unknown alias {', '.join(unknown)} in {text!r}")
    return node


def references(node: Node) -> set[Ref]:
    """Every (alias, year offset) the formula reads."""
    if isinstance(node, Ref):
        return {node}
    if isinstance(node, Neg):
        return references(node.operand)
    if isinstance(node, BinOp):
        return references(node.left) | references(node.right)
    return set()


def to_polars(node: Node, column: Callable[[Ref], str] = lambda ref: ref.column) -> pl.Expr:
    """A polars expression computing the formula from columns named by `column`."""
    if isinstance(node, Number):
        return pl.lit(node.value, dtype=pl.Float64)
    if isinstance(node, Ref):
        return pl.col(column(node)).cast(pl.Float64)
    if isinstance(node, Neg):
        return -to_polars(node.operand, column)
    left, right = to_polars(node.left, column), to_polars(node.right, column)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    return left / right


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_SHOWN = {"+": "+", "-": "−", "*": "×", "/": "/"}


def render(node: Node, parent: int = 0, right_side: bool = False) -> str:
    """Human-readable text of a formula with only the brackets it needs."""
    if isinstance(node, Number):
        return f"{node.value:g}"
    if isinstance(node, Ref):
        return node.alias if node.offset is None else f"{node.alias}@{node.offset}"
    if isinstance(node, Neg):
        return "−" + render(node.operand, 3)
    level = _PRECEDENCE[node.op]
    text = f"{render(node.left, level)} {_SHOWN[node.op]} {render(node.right, level, True)}"
    # a − (b + c) and a / (b × c) need their brackets even at equal precedence.
    if level < parent or (level == parent and right_side):
        return f"({text})"
    return text
