"""Skip logic and constraints of XLSForm surveys, parsed and evaluated without eval.

The `relevant` and `constraint` columns of an XLSForm hold XPath 1.0 expressions as
ODK writes them. We accept the subset surveys need:

    expression := or
    or         := and ("or" and)*
    and        := equality ("and" equality)*
    equality   := relational (("=" | "!=") relational)*
    relational := additive (("<" | "<=" | ">" | ">=") additive)*
    additive   := multiply (("+" | "-") multiply)*
    multiply   := unary (("*" | "div" | "mod") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER | 'text' | "text" | ${name} | "." | "(" expression ")"
                | FUNCTION "(" [expression ("," expression)*] ")"

Functions: not(x), selected(${q}, 'value'), count-selected(${q}), string-length(x),
regex(x, 'pattern'). Binary operators are left-associative, as in XPath.

Values and the rules of evaluation (ODK-like; written down because skip logic that
surprises a coordinator silently hides questions):

* An answer is text. An unanswered or unknown reference, and `.` without a current
  answer, is the empty string. A multiple-choice answer (a list) is its choice names
  joined by spaces, as ODK stores it.
* Text "looks numeric" when it is an optional minus sign and decimal digits
  (`12`, `-3.5`, `.5`), surrounding spaces allowed. Numbers always look numeric.
* Comparisons `= != < <= > >=`:
  1. If either side is a boolean, both are compared as booleans (relational
     operators compare them as 1 and 0), as in XPath.
  2. If both sides look numeric, they are compared as numbers.
  3. If exactly one side looks numeric (for example an unanswered question against
     a number), the comparison is false; `!=` is true.
  4. Otherwise both are compared as text (relational operators in code-point order).
  `a != b` is always exactly `not(a = b)`.
* Arithmetic converts both sides to numbers; text that does not look numeric
  (including an empty answer) is NaN, so the result is NaN and every comparison
  with it is false (`!=` true). Division by zero gives ±Infinity or NaN, never an
  error; `mod` keeps the sign of the dividend (XPath).
* `and`, `or`, `not()` convert to booleans: a number is true unless 0 or NaN, text
  is true unless empty.
* `regex(x, pattern)` uses Python's `re.fullmatch`. Python's `re` has no timeout, so
  patterns longer than 200 characters, and patterns that repeat something which
  itself repeats without bound (`(a+)+`, the classic catastrophic backtracking),
  are refused: at parse time when the pattern is a literal, and as "no match" when
  the pattern comes from an answer.

Evaluation never raises on any answers; parsing raises only ExpressionError, whose
Polish message names the position (1-based) and what was expected there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache

from django.utils.translation import gettext as _

try:  # Python 3.11+ keeps the regex parser here; earlier versions in sre_parse.
    import re._constants as _sre_constants
    import re._parser as _sre_parser
except ImportError:  # pragma: no cover
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parser  # type: ignore[no-redef]

REGEX_MAX_LENGTH = 200
# Parser recursion is ~9 Python frames per bracket level; these keep parse, evaluate
# and to_xpath far below the interpreter's recursion limit on any input.
MAX_NESTING = 40
MAX_DEPTH = 200

Value = bool | str | float
Answer = str | list[str] | None

# name -> (minimum, maximum) number of arguments
FUNCTIONS: dict[str, tuple[int, int]] = {
    "not": (1, 1),
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "regex": (2, 2),
}
_PRECEDENCE = {
    "or": 1, "and": 2,
    "=": 3, "!=": 3,
    "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5,
    "*": 6, "div": 6, "mod": 6,
}
_UNARY = 7
_LEVELS: tuple[tuple[str, ...], ...] = (
    ("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"),
)
_NAME = r"[^\W\d][\w.\-]*"
_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    rf"|(?P<ref>\$\{{(?P<refname>{_NAME})\}})"
    r"|(?P<refstart>\$\{)"
    r"|(?P<string>'[^']*'|\"[^\"]*\")"
    r"|(?P<quote>['\"])"
    r"|(?P<op>!=|<=|>=|[=<>+\-*(),.])"
    rf"|(?P<name>{_NAME})"
    r"|(?P<bad>.)",
    re.DOTALL,
)
_NUMERIC = re.compile(r"\s*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")


class ExpressionError(ValueError):
    """An expression that does not parse, or refers to a question it may not."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def _error(position: int | None, problem: str) -> ExpressionError:
    if position is None:
        return ExpressionError(problem[:1].upper() + problem[1:], None)
    message = _("Position %(position)s: %(problem)s") % {"position": position, "problem": problem}
    return ExpressionError(message, position)


# --- the tree -----------------------------------------------------------------------


class Expr:
    """A parsed expression; subclasses are frozen dataclasses compared by value."""

    def children(self) -> tuple[Expr, ...]:
        return ()

    def references(self) -> set[str]:
        """Names of the questions the expression reads through ${name}."""
        return {ref.name for ref in self.refs()}

    def refs(self) -> Iterator[Ref]:
        for child in self.children():
            yield from child.refs()

    @cached_property
    def depth(self) -> int:
        # Cached, so the parser's depth check is O(1) per node built bottom-up.
        return 1 + max((child.depth for child in self.children()), default=0)


@dataclass(frozen=True)
class Number(Expr):
    value: float


@dataclass(frozen=True)
class String(Expr):
    value: str


@dataclass(frozen=True)
class Ref(Expr):
    name: str
    # Where the reference stood in the parsed text, for error messages; not part of
    # the expression's identity, so a round trip through to_xpath compares equal.
    position: int | None = field(default=None, compare=False, repr=False)

    def refs(self) -> Iterator[Ref]:
        yield self


@dataclass(frozen=True)
class Current(Expr):
    """`.`: the answer being checked, in a constraint."""


@dataclass(frozen=True)
class Neg(Expr):
    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Binary(Expr):
    op: str
    left: Expr
    right: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Call(Expr):
    name: str
    args: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        return self.args


# --- parsing ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int  # 1-based


def _quoted(text: str) -> str:
    return _("“%(text)s”") % {"text": text}


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "bad"
        position = match.start() + 1
        if kind == "space":
            continue
        if kind == "refstart":
            raise _error(position, _("the reference ${…} is not closed or its name is invalid"))
        if kind == "quote":
            raise _error(position, _("the text in quotes is not closed"))
        if kind == "bad":
            raise _error(position, _("unexpected character %(found)s")
                         % {"found": _quoted(match.group())})
        value = match.group("refname") if kind == "ref" else match.group()
        tokens.append(_Token(kind, value, position))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.index = 0
        self.nesting = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def end_position(self) -> int:
        return len(self.text.rstrip()) + 1

    def expected(self, what: str) -> ExpressionError:
        token = self.peek()
        found = _("the end of the expression") if token is None else _quoted(token.text)
        position = self.end_position() if token is None else token.position
        return _error(position, _("expected %(expected)s, found %(found)s")
                      % {"expected": what, "found": found})

    def is_operator(self, token: _Token | None, ops: tuple[str, ...]) -> bool:
        return token is not None and token.kind in ("op", "name") and token.text in ops

    def parse(self) -> Expr:
        node = self.binary(0)
        if self.peek() is not None:
            raise self.expected(_("an operator or the end of the expression"))
        return node

    def binary(self, level: int) -> Expr:
        if level == len(_LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        while self.is_operator(token := self.peek(), _LEVELS[level]):
            assert token is not None
            self.index += 1
            node = self.checked(Binary(token.text, node, self.binary(level + 1)), token)
        return node

    def checked(self, node: Expr, token: _Token) -> Expr:
        if node.depth > MAX_DEPTH:
            raise _error(token.position, _("the expression is too long or nested too deeply"))
        return node

    def enter(self, token: _Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise _error(token.position, _("the expression is too long or nested too deeply"))

    def unary(self) -> Expr:
        token = self.peek()
        if self.is_operator(token, ("-",)):
            assert token is not None
            self.index += 1
            self.enter(token)
            node = self.checked(Neg(self.unary()), token)
            self.nesting -= 1
            return node
        return self.primary()

    def primary(self) -> Expr:
        token = self.peek()
        if not self.starts_value(token):
            raise self.expected(_("a value (a number, text in quotes, ${name}, . or a function)"))
        self.index += 1
        if token.kind == "number":
            return self.number(token)
        if token.kind == "string":
            return String(token.text[1:-1])
        if token.kind == "ref":
            return Ref(token.text, token.position)
        if token.text == ".":
            return Current()
        if token.text == "(":
            self.enter(token)
            node = self.binary(0)
            self.close()
            self.nesting -= 1
            return node
        return self.call(token)

    def number(self, token: _Token) -> Number:
        value = float(token.text)
        if math.isinf(value):
            raise _error(token.position, _("the number %(number)s is too large")
                         % {"number": token.text[:20] + "…"})
        return Number(value)

    def close(self) -> None:
        if not self.is_operator(self.peek(), (")",)):
            raise self.expected(_("a closing bracket “)”"))
        self.index += 1

    def starts_value(self, token: _Token | None) -> bool:
        if token is None or token.kind == "op":
            return token is not None and token.text in (".", "(")
        if token.kind == "name":
            # A known function without "(" reports the missing bracket instead.
            return token.text in FUNCTIONS or self.followed_by_bracket()
        return True

    def followed_by_bracket(self) -> bool:
        following = self.tokens[self.index + 1] if self.index + 1 < len(self.tokens) else None
        return self.is_operator(following, ("(",))

    def call(self, name: _Token) -> Call:
        if not self.is_operator(self.peek(), ("(",)):
            raise self.expected(_("“(” after the function name"))
        if name.text not in FUNCTIONS:
            raise _error(name.position, _("unknown function %(name)s(); available: %(available)s")
                         % {"name": name.text,
                            "available": ", ".join(f"{f}()" for f in FUNCTIONS)})
        self.index += 1
        self.enter(name)
        args: list[Expr] = []
        if not self.is_operator(self.peek(), (")",)):
            args.append(self.binary(0))
            while self.is_operator(self.peek(), (",",)):
                self.index += 1
                args.append(self.binary(0))
            if not self.is_operator(self.peek(), (")",)):
                raise self.expected(_("a comma or a closing bracket “)”"))
        self.index += 1
        self.nesting -= 1
        node = Call(name.text, tuple(args))
        _check_call(node, name.position)
        return node


def _check_call(node: Call, position: int) -> None:
    low, high = FUNCTIONS[node.name]
    if not low <= len(node.args) <= high:
        raise _error(position, _("function %(name)s() takes %(count)s argument(s), given %(given)s")
                     % {"name": node.name, "count": low, "given": len(node.args)})
    if node.name == "regex" and isinstance(node.args[1], String):
        problem = _pattern_problem(node.args[1].value)
        if problem is not None:
            raise _error(position, problem)


def parse(text: str) -> Expr:
    """Parse an XLSForm expression; raises ExpressionError naming the position."""
    return _Parser(text).parse()


def check_references(expr: Expr, known: Sequence[str], current: str) -> None:
    """Ensure every ${name} names a question before `current` in form order.

    `known` lists the survey's question names in order. When `current` is not among
    them (a question being added at the end), every known question counts as earlier.
    """
    earlier = set(known[: known.index(current)]) if current in known else set(known)
    for ref in expr.refs():
        if ref.name in earlier:
            continue
        if ref.name == current:
            problem = _("${%(name)s} refers to this question itself; its answer is written “.”")
        elif ref.name in known:
            problem = _("${%(name)s} refers to a later question; only earlier answers can be used")
        else:
            problem = _("${%(name)s} refers to a question that does not exist in the survey")
        raise _error(ref.position, problem % {"name": ref.name})


# --- regular expressions --------------------------------------------------------------


def _pattern_problem(pattern: str) -> str | None:
    """Why a regex pattern is refused, or None when it may be used."""
    if len(pattern) > REGEX_MAX_LENGTH:
        return _("the regular expression is longer than %(limit)s characters") % {
            "limit": REGEX_MAX_LENGTH}
    try:
        parsed = _sre_parser.parse(pattern)
        re.compile(pattern)
    # Untrusted patterns can fail in several ways (re.error, OverflowError, …).
    except Exception as error:  # noqa: BLE001
        return _("invalid regular expression (%(reason)s)") % {"reason": str(error)}
    if _nested_repeat(parsed, inside=False):
        return _("the regular expression repeats something that itself repeats "
                 "(such as (a+)+), which can take very long to check")
    return None


_REPEATS = {_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT} | (
    {_sre_constants.POSSESSIVE_REPEAT} if hasattr(_sre_constants, "POSSESSIVE_REPEAT") else set()
)


def _subpatterns(value: object) -> Iterator[object]:
    # Operands of the regex parse tree mix tuples, lists and nested SubPatterns.
    if isinstance(value, _sre_parser.SubPattern):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _subpatterns(item)


def _nested_repeat(pattern: object, inside: bool) -> bool:
    for op, operand in pattern:  # type: ignore[attr-defined]
        if op in _REPEATS:
            _low, high, body = operand
            unbounded = high == _sre_constants.MAXREPEAT or high > 100
            if unbounded and inside:
                return True
            if _nested_repeat(body, inside or unbounded):
                return True
            continue
        if any(_nested_repeat(sub, inside) for sub in _subpatterns(operand)):
            return True
    return False


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    return None if _pattern_problem(pattern) is not None else re.compile(pattern)


# --- evaluation -----------------------------------------------------------------------


def number_text(value: float) -> str:
    """A number as XPath writes it: no exponent, integers without a decimal point."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _answer_text(answer: object) -> str:
    # Tolerant on purpose: evaluation must never fail on whatever callers store.
    if answer is None:
        return ""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, bool):
        return "true" if answer else "false"
    if isinstance(answer, (int, float)):
        return number_text(float(answer))
    if isinstance(answer, (list, tuple, set, frozenset)):
        return " ".join(_answer_text(item) for item in answer)
    return str(answer)


def to_boolean(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return value != ""


def _numeric(value: Value) -> float | None:
    """The number a value stands for, or None when it does not look numeric."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    return float(value) if _NUMERIC.fullmatch(value) else None


def to_number(value: Value) -> float:
    number = _numeric(value)
    return math.nan if number is None else number


def to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    return value


def _order(op: str, left: object, right: object) -> bool:
    if op == "=":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right  # type: ignore[operator]
    if op == "<=":
        return left <= right  # type: ignore[operator]
    if op == ">":
        return left > right  # type: ignore[operator]
    return left >= right  # type: ignore[operator]


def compare(op: str, left: Value, right: Value) -> bool:
    """A comparison under the rules in the module docstring."""
    if isinstance(left, bool) or isinstance(right, bool):
        if op in ("=", "!="):
            return _order(op, to_boolean(left), to_boolean(right))
        return _order(op, float(to_boolean(left)), float(to_boolean(right)))
    left_number, right_number = _numeric(left), _numeric(right)
    if left_number is not None and right_number is not None:
        return _order(op, left_number, right_number)
    if left_number is not None or right_number is not None:
        return op == "!="
    return _order(op, left, right)


def _arithmetic(op: str, left: float, right: float) -> float:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "div":
        if right == 0:
            if left == 0 or math.isnan(left):
                return math.nan
            return math.copysign(math.inf, left) * math.copysign(1.0, right)
        return left / right
    # mod: XPath truncates like fmod; fmod itself raises on infinite dividends.
    if right == 0 or math.isinf(left) or math.isnan(left) or math.isnan(right):
        return math.nan
    return math.fmod(left, right)


class _Evaluator:
    def __init__(self, answers: Mapping[str, Answer], current: Answer) -> None:
        self.answers = answers
        self.current = _answer_text(current)

    def value(self, node: Expr) -> Value:
        if isinstance(node, Number):
            return node.value
        if isinstance(node, String):
            return node.value
        if isinstance(node, Ref):
            return _answer_text(self.answers.get(node.name))
        if isinstance(node, Current):
            return self.current
        if isinstance(node, Neg):
            return -to_number(self.value(node.operand))
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Call):
            return self.call(node)
        raise TypeError(f"not an expression node: {node!r}")

    def binary(self, node: Binary) -> Value:
        if node.op == "or":
            return to_boolean(self.value(node.left)) or to_boolean(self.value(node.right))
        if node.op == "and":
            return to_boolean(self.value(node.left)) and to_boolean(self.value(node.right))
        left, right = self.value(node.left), self.value(node.right)
        if node.op in ("=", "!=", "<", "<=", ">", ">="):
            return compare(node.op, left, right)
        return _arithmetic(node.op, to_number(left), to_number(right))

    def call(self, node: Call) -> Value:
        args = [self.value(arg) for arg in node.args]
        if node.name == "not":
            return not to_boolean(args[0])
        if node.name == "selected":
            return to_string(args[1]).strip() in to_string(args[0]).split()
        if node.name == "count-selected":
            return float(len(to_string(args[0]).split()))
        if node.name == "string-length":
            return float(len(to_string(args[0])))
        if node.name == "regex":
            pattern = _compiled(to_string(args[1]))
            return pattern is not None and pattern.fullmatch(to_string(args[0])) is not None
        raise TypeError(f"unknown function {node.name!r}")


Compiled = Callable[[Mapping[str, Answer], Answer], Value]


def compile_expression(expr: Expr) -> Compiled:
    """The expression as one Python function of (earlier answers, current answer), giving
    what `evaluate` gives. A questionnaire's expressions are compiled once and run for
    every response posted; walking the tree each time cost more than the checks.
    Property-tested against `evaluate` on generated trees."""
    if isinstance(expr, (Number, String)):
        constant = expr.value
        return lambda answers, current: constant
    if isinstance(expr, Ref):
        name = expr.name
        return lambda answers, current: _answer_text(answers.get(name))
    if isinstance(expr, Current):
        return lambda answers, current: _answer_text(current)
    if isinstance(expr, Neg):
        operand = compile_expression(expr.operand)
        return lambda answers, current: -to_number(operand(answers, current))
    if isinstance(expr, Binary):
        return _compile_binary(expr)
    if isinstance(expr, Call):
        return _compile_call(expr)
    raise TypeError(f"not an expression node: {expr!r}")


def _compile_binary(expr: Binary) -> Compiled:
    op = expr.op
    left, right = compile_expression(expr.left), compile_expression(expr.right)
    if op == "or":
        return lambda answers, current: (to_boolean(left(answers, current))
                                         or to_boolean(right(answers, current)))
    if op == "and":
        return lambda answers, current: (to_boolean(left(answers, current))
                                         and to_boolean(right(answers, current)))
    if op in ("=", "!=", "<", "<=", ">", ">="):
        return lambda answers, current: compare(op, left(answers, current),
                                                right(answers, current))
    return lambda answers, current: _arithmetic(op, to_number(left(answers, current)),
                                                to_number(right(answers, current)))


def _compile_call(expr: Call) -> Compiled:
    args = [compile_expression(arg) for arg in expr.args]
    name = expr.name
    if name == "not":
        (only,) = args
        return lambda answers, current: not to_boolean(only(answers, current))
    if name == "selected":
        chosen, choice = args
        return lambda answers, current: (
            to_string(choice(answers, current)).strip()
            in to_string(chosen(answers, current)).split())
    if name == "count-selected":
        (only,) = args
        return lambda answers, current: float(len(to_string(only(answers, current)).split()))
    if name == "string-length":
        (only,) = args
        return lambda answers, current: float(len(to_string(only(answers, current))))
    if name == "regex":
        text, pattern = args

        def regex(answers: Mapping[str, Answer], current: Answer) -> Value:
            # Both arguments are evaluated first, as `evaluate` does.
            subject, compiled = text(answers, current), _compiled(to_string(
                pattern(answers, current)))
            return compiled is not None and compiled.fullmatch(to_string(subject)) is not None

        return regex
    raise TypeError(f"unknown function {name!r}")


def evaluate(expr: Expr, answers: Mapping[str, Answer], current: Answer = None) -> Value:
    """The value of an expression over earlier answers and the current answer `.`."""
    return _Evaluator(answers, current).value(expr)


def _as_expr(text_or_expr: str | Expr | None) -> Expr | None:
    if text_or_expr is None:
        return None
    if isinstance(text_or_expr, Expr):
        return text_or_expr
    return parse(text_or_expr) if text_or_expr.strip() else None


def is_relevant(text_or_expr: str | Expr | None, answers: Mapping[str, Answer]) -> bool:
    """Whether a question is shown; an empty `relevant` always shows it."""
    expr = _as_expr(text_or_expr)
    return expr is None or to_boolean(evaluate(expr, answers))


def satisfies(text_or_expr: str | Expr | None, answers: Mapping[str, Answer],
              current: Answer) -> bool:
    """Whether `current` meets a `constraint`; an empty constraint accepts anything.

    ODK checks constraints only on answered questions; callers skip empty answers.
    """
    expr = _as_expr(text_or_expr)
    return expr is None or to_boolean(evaluate(expr, answers, current))


# --- rendering ------------------------------------------------------------------------


def _string_literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    # XPath 1.0 literals have no escapes; parse() can never produce such a string.
    raise _error(None, _("a text cannot contain both kinds of quotes: %(text)s")
                 % {"text": value})


def _precedence(node: Expr) -> int:
    if isinstance(node, Binary):
        return _PRECEDENCE[node.op]
    if isinstance(node, Neg):
        return _UNARY
    return _UNARY + 1


def _render(node: Expr) -> str:
    if isinstance(node, Number):
        # parse() yields only finite non-negative literals (-1 is Neg(Number(1))).
        if not (math.isfinite(node.value) and math.copysign(1.0, node.value) > 0):
            raise ValueError(f"no XPath literal for {node.value!r}; use Neg for negatives")
        return number_text(node.value)
    if isinstance(node, String):
        return _string_literal(node.value)
    if isinstance(node, Ref):
        return "${" + node.name + "}"
    if isinstance(node, Current):
        return "."
    if isinstance(node, Neg):
        operand = _render(node.operand)
        return "-" + (f"({operand})" if _precedence(node.operand) < _UNARY else operand)
    if isinstance(node, Call):
        return f"{node.name}({', '.join(_render(arg) for arg in node.args)})"
    assert isinstance(node, Binary)
    level = _PRECEDENCE[node.op]
    left, right = _render(node.left), _render(node.right)
    # Left-associative: a - (b - c) keeps its brackets, (a - b) - c needs none.
    if _precedence(node.left) < level:
        left = f"({left})"
    if _precedence(node.right) <= level:
        right = f"({right})"
    return f"{left} {node.op} {right}"


def to_xpath(expr: Expr) -> str:
    """Canonical XLSForm text of an expression: parse(to_xpath(e)) == e."""
    return _render(expr)
