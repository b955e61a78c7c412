"""Turning a posted response form into stored answers, and back (no database here).

The POST field names are fixed for the public form, paper entry, tests and the benchmark:

* one field per answer name (a question's name; a Likert matrix posts one per item name);
* a multiple choice repeats its field once per chosen choice name;
* "other (specify)" posts its text as `<name>:other` and stores it as `<name>_other`;
* a ranking posts `<name>:<choice>` = "1".."n" and stores the choice names in rank order.

The stored shape is described in razem.surveys.models. Everything posted is untrusted:
`clean_answers` never raises on any input, it returns Polish messages keyed by the field
they belong to. Questions are checked in form order, so skip logic sees exactly the
earlier answers that are kept; answers to questions that do not apply are dropped (a
respondent may have answered, then changed an earlier answer).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from razem.surveys import expressions
from razem.surveys.definition import (
    AGE_GROUP_LIST,
    CHOICE_TYPES,
    SEX_LIST,
    Choice,
    Question,
    QuestionType,
    SurveyDefinition,
    Text,
    default_age_groups,
    default_sexes,
)

OTHER = "other"
OTHER_SUFFIX = ":other"
# Limits when the definition sets none: enough for any honest answer, small enough that
# one response cannot bloat the table or the exports.
SHORT_TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 2000
NUMBER_TEXT_LIMIT = 24  # well inside Decimal's 28 significant digits
# Characters a browser never sends in a text field; PostgreSQL refuses NUL in JSON.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_RANK = re.compile(r"[0-9]{1,4}")

Answers = dict[str, str | list[str]]


# ------------------------------------------------------------------ shared helpers


def text_for(text: Text, language: str | None = None) -> str:
    """English when the page is in English and there is an English text, else Polish."""
    language = language if language is not None else (get_language() or "pl")
    if language.startswith("en") and text.en.strip():
        return text.en
    return text.pl


def choices_for(
    definition: SurveyDefinition, question: Question, gminas: Sequence[Choice] = ()
) -> tuple[Choice, ...]:
    """The choices offered, "other" included when the question allows it."""
    if question.type == QuestionType.GMINA:
        return tuple(gminas)
    if question.type not in CHOICE_TYPES:
        return ()
    choices = tuple(definition.choice_lists.get(question.choice_list, ()))
    if not choices and question.type == QuestionType.AGE_GROUP:
        choices = tuple(definition.choice_lists.get(AGE_GROUP_LIST, ())) or default_age_groups()
    if not choices and question.type == QuestionType.SEX:
        choices = tuple(definition.choice_lists.get(SEX_LIST, ())) or default_sexes()
    if question.or_other and all(choice.name != OTHER for choice in choices):
        choices += (Choice(OTHER, Text("inne (jakie?)", "other (please specify)")),)
    return choices


def text_limit(question: Question) -> int:
    hard = LONG_TEXT_LIMIT if question.type == QuestionType.LONG_TEXT else SHORT_TEXT_LIMIT
    return min(question.max_length, hard) if question.max_length else hard


@lru_cache(maxsize=512)
def _parsed(text: str) -> expressions.Expr | None:
    try:
        return expressions.parse(text) if text.strip() else None
    except expressions.ExpressionError:
        return None  # a saved definition was validated; never fail a respondent on it


def _compiled(text: str) -> expressions.Compiled | None:
    parsed = _parsed(text)
    return None if parsed is None else expressions.compile_expression(parsed)


def relevant(question: Question, answers: Mapping[str, object]) -> bool:
    return expressions.is_relevant(_parsed(question.relevant), answers)  # type: ignore[arg-type]


def normalise_number(raw: str, *, decimal: bool) -> str | None:
    """The number as stored ("12.5", "-3"), or None when it is not one (or too long).

    Accepts a decimal comma and spaces between digit groups ("1 200,5").
    """
    text = raw.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if len(text) > NUMBER_TEXT_LIMIT or not _NUMBER.fullmatch(text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not decimal and number != number.to_integral_value():
        return None
    result = format(number.normalize(), "f")
    return "0" if result in ("-0", "0") or Decimal(result) == 0 else result


def _clean_text(raw: str, *, multiline: bool) -> str:
    text = _CONTROL.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


# ------------------------------------------------------------------ cleaning


class _Values:
    """Posted values by field name, whatever container they came in."""

    def __init__(self, data: object) -> None:
        if isinstance(data, QueryDict):
            # A parsed request body: str keys and lists of str values already. Copying its
            # lists (no conversion) is the whole cost of reading a posted response.
            self.data: dict[str, list[str]] = dict(dict.items(data))
            return
        self.data = {}
        if hasattr(data, "getlist"):
            getlist = data.getlist  # type: ignore[attr-defined]
            pairs: Iterable = ((key, getlist(key)) for key in data)  # type: ignore[attr-defined]
        elif isinstance(data, Mapping):
            pairs = data.items()
        else:
            pairs = data  # type: ignore[assignment]
        for key, values in pairs:
            if isinstance(values, str):
                values = [values]
            self.data.setdefault(str(key), []).extend(str(value) for value in values)

    def all(self, name: str) -> list[str]:
        return self.data.get(name, [])

    def one(self, name: str) -> str:
        """The single value (a forged repeat counts as its last value, like QueryDict)."""
        values = self.data.get(name)
        return values[-1] if values else ""

    def names(self) -> Iterable[str]:
        return self.data.keys()


@dataclass(frozen=True, slots=True)
class _Step:
    """One question of a questionnaire, with what checking an answer to it needs worked
    out once: the parsed expressions, the allowed choice names and their order."""

    question: Question
    check: Callable[[_Cleaner, _Step, _Values], None]
    relevant: expressions.Compiled | None
    constraint: expressions.Compiled | None
    names: tuple[str, ...]  # the choices offered, in order
    order: Mapping[str, int]  # choice name -> its position; its keys are the allowed names
    limit: int


# (id(definition), id(gminas)) -> (definition, gminas, steps). Definitions and gmina lists
# are immutable and cached per process (Survey.questionnaire, gmina_choices), so a
# response posted to the public form reuses the plan made for the first one. The entry
# holds both objects, so their ids cannot be reused while it exists.
_PLANS: dict[tuple[int, int], tuple[SurveyDefinition, Sequence[Choice], tuple[_Step, ...]]] = {}
_PLANS_LIMIT = 256


def _plan(definition: SurveyDefinition, gminas: Sequence[Choice]) -> tuple[_Step, ...]:
    if not isinstance(gminas, tuple):  # a caller's list could change under the cache
        return _make_plan(definition, gminas)
    key = (id(definition), id(gminas))
    found = _PLANS.get(key)
    if found is not None and found[0] is definition and found[1] is gminas:
        return found[2]
    steps = _make_plan(definition, gminas)
    if len(_PLANS) >= _PLANS_LIMIT:
        _PLANS.clear()
    _PLANS[key] = (definition, gminas, steps)
    return steps


def _make_plan(definition: SurveyDefinition, gminas: Sequence[Choice]) -> tuple[_Step, ...]:
    checks = {
        QuestionType.LIKERT_MATRIX: _Cleaner.matrix,
        QuestionType.MULTIPLE_CHOICE: _Cleaner.multiple,
        QuestionType.RANKING: _Cleaner.ranking,
        QuestionType.NUMBER: _Cleaner.number,
        QuestionType.SHORT_TEXT: _Cleaner.text,
        QuestionType.LONG_TEXT: _Cleaner.text,
    }
    steps = []
    for question in definition.questions:
        if question.type == QuestionType.NOTE:
            continue
        names = tuple(choice.name for choice in choices_for(definition, question, gminas))
        order: dict[str, int] = {}
        for index, name in enumerate(names):
            order.setdefault(name, index)  # the first position, as list.index gave
        steps.append(_Step(
            question=question,
            check=checks.get(question.type, _Cleaner.single),
            relevant=_compiled(question.relevant),
            constraint=_compiled(question.constraint),
            names=names,
            order=order,
            limit=text_limit(question),
        ))
    return tuple(steps)


class _Cleaner:
    def __init__(self, enforce_required: bool) -> None:
        self.enforce_required = enforce_required
        self.answers: Answers = {}
        self.errors: dict[str, str] = {}

    def step(self, step: _Step, values: _Values) -> None:
        if step.relevant is not None and not expressions.to_boolean(
            step.relevant(self.answers, None)
        ):
            return
        step.check(self, step, values)

    def required(self, field: str) -> None:
        if self.enforce_required:
            self.errors[field] = _("Please answer this question.")

    def store(self, step: _Step, field: str, value: str | list[str]) -> None:
        """Keep an answer if it meets the question's constraint."""
        if step.constraint is not None and not expressions.to_boolean(
            step.constraint(self.answers, value)
        ):
            message = text_for(step.question.constraint_message)
            self.errors[field] = message or _("This answer is not allowed here.")
            return
        self.answers[field] = value

    def single(self, step: _Step, values: _Values) -> None:
        question = step.question
        chosen = values.one(question.name).strip()
        if not chosen:
            if question.required:
                self.required(question.name)
            return
        if chosen not in step.order:
            self.errors[question.name] = _("Choose one of the options given.")
            return
        self.store_with_other(step, values, chosen)

    def multiple(self, step: _Step, values: _Values) -> None:
        question = step.question
        chosen = [value.strip() for value in values.all(question.name) if value.strip()]
        if not chosen:
            if question.required:
                self.required(question.name)
            return
        allowed = step.order
        if any(name not in allowed for name in chosen):
            self.errors[question.name] = _("Choose only from the options given.")
            return
        if len(set(chosen)) != len(chosen):
            self.errors[question.name] = _("Each option can be chosen only once.")
            return
        chosen.sort(key=step.order.__getitem__)
        self.store_with_other(step, values, chosen)

    def store_with_other(self, step: _Step, values: _Values,
                         chosen: str | list[str]) -> None:
        """Store a choice, with its "other (specify)" text when "other" was chosen."""
        question = step.question
        other = None
        if question.or_other and OTHER in (chosen if isinstance(chosen, list) else [chosen]):
            field = question.name + OTHER_SUFFIX
            other = _clean_text(values.one(field), multiline=False)
            if not other:
                self.errors[field] = _("Please say what the other answer is.")
                return
            if len(other) > SHORT_TEXT_LIMIT:
                self.errors[field] = self.too_long(SHORT_TEXT_LIMIT)
                return
        self.store(step, question.name, chosen)
        if other is not None and question.name in self.answers:
            self.answers[f"{question.name}_other"] = other

    def matrix(self, step: _Step, values: _Values) -> None:
        question = step.question
        allowed = step.order
        for item in question.items:
            chosen = values.one(item.name).strip()
            if not chosen:
                if question.required:
                    self.required(item.name)
            elif chosen not in allowed:
                self.errors[item.name] = _("Choose one of the options given.")
            else:
                self.answers[item.name] = chosen

    def ranking(self, step: _Step, values: _Values) -> None:
        question = step.question
        choices = step.names
        prefix = question.name + ":"
        known = {prefix + name for name in choices}
        if any(field.startswith(prefix) and field not in known for field in values.names()):
            self.errors[question.name] = _("Rank only the options given.")
            return
        ranks: dict[str, int] = {}
        for name in choices:
            raw = values.one(prefix + name).strip()
            if not raw:
                continue
            if not (_RANK.fullmatch(raw) and 1 <= int(raw) <= len(choices)):
                self.errors[question.name] = _(
                    "Ranks must be whole numbers from 1 to %(count)s."
                ) % {"count": len(choices)}
                return
            ranks[name] = int(raw)
        if not ranks:
            if question.required:
                self.required(question.name)
            return
        if sorted(ranks.values()) != list(range(1, len(ranks) + 1)):
            self.errors[question.name] = _(
                "Give each ranked option a different place: 1, 2, 3 and so on, without gaps."
            )
            return
        self.store(step, question.name, sorted(ranks, key=ranks.__getitem__))

    def number(self, step: _Step, values: _Values) -> None:
        question = step.question
        raw = values.one(question.name)
        if not raw.strip():
            if question.required:
                self.required(question.name)
            return
        number = normalise_number(raw, decimal=question.decimal)
        if number is None:
            self.errors[question.name] = (
                _("Enter a number, e.g. 12,5.") if question.decimal
                else _("Enter a whole number, e.g. 12.")
            )
            return
        value = Decimal(number)
        low, high = question.min_value, question.max_value
        if low is not None and high is not None and not low <= value <= high:
            self.errors[question.name] = _("Enter a number from %(min)s to %(max)s.") % {
                "min": _number_label(low), "max": _number_label(high)}
        elif low is not None and value < low:
            self.errors[question.name] = _("Enter a number no smaller than %(min)s.") % {
                "min": _number_label(low)}
        elif high is not None and value > high:
            self.errors[question.name] = _("Enter a number no greater than %(max)s.") % {
                "max": _number_label(high)}
        else:
            self.store(step, question.name, number)

    def text(self, step: _Step, values: _Values) -> None:
        question = step.question
        multiline = question.type == QuestionType.LONG_TEXT
        text = _clean_text(values.one(question.name), multiline=multiline)
        if not text:
            if question.required:
                self.required(question.name)
            return
        if len(text) > step.limit:
            self.errors[question.name] = self.too_long(step.limit)
            return
        self.store(step, question.name, text)

    @staticmethod
    def too_long(limit: int) -> str:
        return _("The answer can be at most %(limit)s characters long.") % {"limit": limit}


def _number_label(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def clean_answers(
    definition: SurveyDefinition,
    data: Mapping[str, list[str]] | Iterable[tuple[str, list[str]]],
    gminas: Sequence[Choice] = (),
    *,
    enforce_required: bool = True,
) -> tuple[Answers, dict[str, str]]:
    """(answers to store, Polish error messages by field name) for a posted form.

    `data` may be a QueryDict, a mapping of field name to list of values, or the pairs
    of QueryDict.lists(). When there are errors the valid answers are still returned.
    `enforce_required=False` is for paper questionnaires, whose respondents skipped what
    they skipped; everything else is checked the same.
    """
    values = _Values(data)
    cleaner = _Cleaner(enforce_required)
    for step in _plan(definition, gminas):
        cleaner.step(step, values)
    return cleaner.answers, cleaner.errors


# ------------------------------------------------------------------ the inverse


def post_fields(
    definition: SurveyDefinition, answers: Mapping[str, object]
) -> list[tuple[str, str]]:
    """The (field, value) pairs a browser posts for these answers (see the module docstring).

    For valid answers, clean_answers(definition, post_fields(definition, answers)) returns
    the same answers.
    """
    fields: list[tuple[str, str]] = []
    for question in definition.questions:
        name = question.name
        qtype = question.type
        if qtype == QuestionType.NOTE:
            continue
        if qtype == QuestionType.LIKERT_MATRIX:
            fields += [(item.name, str(answers[item.name]))
                       for item in question.items if item.name in answers]
            continue
        if name not in answers:
            continue
        value = answers[name]
        if qtype == QuestionType.RANKING:
            fields += [(f"{name}:{choice}", str(rank))
                       for rank, choice in enumerate(_as_list(value), start=1)]
            continue
        if qtype == QuestionType.MULTIPLE_CHOICE:
            fields += [(name, str(choice)) for choice in _as_list(value)]
        else:
            fields.append((name, str(value)))
        if question.or_other and f"{name}_other" in answers:
            fields.append((name + OTHER_SUFFIX, str(answers[f"{name}_other"])))
    return fields


def _as_list(value: object) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value] if value not in (None, "") else []


def post_data(definition: SurveyDefinition, answers: Mapping[str, object]) -> dict[str, list[str]]:
    """post_fields grouped as a dict of lists, the shape Django's test client posts."""
    data: dict[str, list[str]] = {}
    for field, value in post_fields(definition, answers):
        data.setdefault(field, []).append(value)
    return data
