"""Property tests of the skip-logic language: it never crashes, round-trips, and means
what a plain Python reading of the same conditions means."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from razem.surveys.expressions import (
    FUNCTIONS,
    Binary,
    Call,
    Current,
    Expr,
    ExpressionError,
    Neg,
    Number,
    Ref,
    String,
    compile_expression,
    evaluate,
    is_relevant,
    parse,
    to_xpath,
)

# --- (1) arbitrary text ----------------------------------------------------------------

FRAGMENTS = [
    "${a}", "${b}", "${", "}", ".", "..", "(", ")", ",", "'x'", '"y"', "'", '"', "1", "2.5",
    ".5", "-", "+", "*", "div", "mod", "and", "or", "=", "!=", "<", "<=", ">", ">=", "not",
    "selected", "count-selected", "string-length", "regex", "today", " ", "'(a+)+'",
    "'[0-9]{2}'", "'('", "9" * 400, "/", "$",
]
texts = st.one_of(
    st.text(),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(" ".join),
)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_arbitrary_text_raises_nothing_but_expression_error(text: str) -> None:
    try:
        parse(text)
    except ExpressionError as error:
        assert error.position is not None and 1 <= error.position <= len(text) + 1


# --- (2) generated trees round-trip ---------------------------------------------------

names = st.one_of(
    st.sampled_from(["a", "b", "age", "q-1", "x.y", "_n"]),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,10}", fullmatch=True),
)
numbers = st.one_of(
    st.integers(0, 10**9).map(float),
    st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False),
).filter(lambda value: math.copysign(1.0, value) > 0)
strings = st.text(max_size=12).filter(lambda text: not ("'" in text and '"' in text))
SAFE_PATTERNS = ["[0-9]{2}-[0-9]{3}", "[A-Z][a-z]*", "a|b", "", ".*"]
leaves = st.one_of(
    numbers.map(Number),
    strings.map(String),
    names.map(Ref),
    st.just(Current()),
)


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    plain = [name for name in FUNCTIONS if name != "regex"]
    calls = st.sampled_from(plain).flatmap(
        lambda name: st.lists(children, min_size=FUNCTIONS[name][0],
                              max_size=FUNCTIONS[name][1]).map(
            lambda args: Call(name, tuple(args))))
    # A literal pattern is checked at parse time, so generated ones must be safe.
    patterns = st.one_of(st.sampled_from(SAFE_PATTERNS).map(String),
                         children.filter(lambda node: not isinstance(node, String)))
    regex = st.tuples(children, patterns).map(lambda args: Call("regex", args))
    binary = st.builds(Binary, st.sampled_from(
        ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]),
        children, children)
    return st.one_of(children.map(Neg), binary, calls, regex)


trees = st.recursive(leaves, _extend, max_leaves=12).filter(lambda node: node.depth <= 25)


@settings(max_examples=500, deadline=None)
@given(trees)
def test_generated_trees_round_trip_through_xpath_text(tree: Expr) -> None:
    assert parse(to_xpath(tree)) == tree


@settings(max_examples=300, deadline=None)
@given(trees)
def test_canonical_text_is_a_fixed_point(tree: Expr) -> None:
    text = to_xpath(tree)
    assert to_xpath(parse(text)) == text


# --- (3) boolean combinations agree with plain Python ----------------------------------

CHOICES = ["car", "bus", "bike", "walk"]
TEXTS = ["x", "y", "", "Łosice"]
answers_strategy = st.fixed_dictionaries({}, optional={
    "transport": st.one_of(st.none(), st.lists(st.sampled_from(CHOICES), unique=True)),
    "age": st.one_of(st.none(), st.integers(-5, 120).map(str)),
    "gmina": st.one_of(st.none(), st.sampled_from(TEXTS)),
})
Answers = Mapping[str, object]
Condition = tuple[str, Callable[[Answers], bool]]
COMPARE = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
           ">": operator.gt, ">=": operator.ge}


def _selected(choice: str) -> Condition:
    return (f"selected(${{transport}}, '{choice}')",
            lambda answers: choice in (answers.get("transport") or []))


def _count(op: str, k: int) -> Condition:
    return (f"count-selected(${{transport}}) {op} {k}",
            lambda answers: COMPARE[op](len(answers.get("transport") or []), k))


def _age(op: str, k: int) -> Condition:
    def reference(answers: Answers) -> bool:
        age = answers.get("age")
        # Rule: an unanswered question compared with a number is false; != is true.
        return op == "!=" if age is None else COMPARE[op](int(str(age)), k)

    return (f"${{age}} {op} {k}", reference)


def _gmina(op: str, text: str) -> Condition:
    return (f"${{gmina}} {op} '{text}'",
            lambda answers: COMPARE[op](answers.get("gmina") or "", text))


atoms: st.SearchStrategy[Condition] = st.one_of(
    st.sampled_from(CHOICES).map(_selected),
    st.builds(_count, st.sampled_from(list(COMPARE)), st.integers(0, 4)),
    st.builds(_age, st.sampled_from(list(COMPARE)), st.integers(-5, 120)),
    st.builds(_gmina, st.sampled_from(["=", "!="]), st.sampled_from(TEXTS)),
)


def _and(pair: tuple[Condition, Condition]) -> Condition:
    (left, f), (right, g) = pair
    return (f"({left}) and ({right})", lambda answers: f(answers) and g(answers))


def _or(pair: tuple[Condition, Condition]) -> Condition:
    (left, f), (right, g) = pair
    return (f"({left}) or ({right})", lambda answers: f(answers) or g(answers))


def _not(condition: Condition) -> Condition:
    text, f = condition
    return (f"not({text})", lambda answers: not f(answers))


conditions = st.recursive(atoms, lambda inner: st.one_of(
    st.tuples(inner, inner).map(_and),
    st.tuples(inner, inner).map(_or),
    inner.map(_not),
), max_leaves=10)


@settings(max_examples=500, deadline=None)
@given(conditions, answers_strategy)
def test_boolean_combinations_agree_with_python(condition: Condition, answers: Answers) -> None:
    text, reference = condition
    assert is_relevant(text, answers) is reference(answers)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(conditions, conditions, answers_strategy)
def test_de_morgan_holds(first: Condition, second: Condition, answers: Answers) -> None:
    a, b = first[0], second[0]
    for left, right in [(f"not(({a}) and ({b}))", f"not({a}) or not({b})"),
                        (f"not(({a}) or ({b}))", f"not({a}) and not({b})")]:
        assert is_relevant(left, answers) is is_relevant(right, answers)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(trees, trees, answers_strategy)
def test_not_equal_is_exactly_the_negation_of_equal(left: Expr, right: Expr,
                                                    answers: Answers) -> None:
    equal = evaluate(Binary("=", left, right), answers)  # type: ignore[arg-type]
    assert evaluate(Binary("!=", left, right), answers) is (not equal)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(conditions, answers_strategy)
def test_double_negation_changes_nothing(condition: Condition, answers: Answers) -> None:
    text = condition[0]
    assert is_relevant(f"not(not({text}))", answers) is is_relevant(text, answers)  # type: ignore[arg-type]


# --- (4) evaluation never raises ---------------------------------------------------------

any_answer = st.one_of(st.none(), st.text(max_size=20), st.lists(st.text(max_size=8), max_size=4),
                       st.sampled_from(["12", "-3.5", ".5", "1e5", "NaN", "Infinity", "(a+)+"]))
any_answers = st.dictionaries(names, any_answer, max_size=6)


@settings(max_examples=500, deadline=None)
@given(trees, any_answers, any_answer)
def test_evaluation_never_raises_on_any_answers(tree: Expr, answers: Answers,
                                                current: object) -> None:
    result = evaluate(tree, answers, current)  # type: ignore[arg-type]
    assert isinstance(result, (bool, str, float))


def _same_value(first: object, second: object) -> bool:
    if isinstance(first, float) and isinstance(second, float) and math.isnan(first):
        return math.isnan(second)
    return type(first) is type(second) and first == second


@settings(max_examples=500, deadline=None)
@given(trees, any_answers, any_answer)
def test_compiled_expressions_give_what_evaluation_gives(tree: Expr, answers: Answers,
                                                         current: object) -> None:
    compiled = compile_expression(tree)(answers, current)  # type: ignore[arg-type]
    assert _same_value(compiled, evaluate(tree, answers, current))  # type: ignore[arg-type]
