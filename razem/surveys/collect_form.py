"""What the response form templates need, computed here so they stay simple.

The form is one page of all questions in order and works without JavaScript. Each
question knows the ids of its controls (so errors and hints can be linked with
aria-describedby and the error summary can link to the first control), its values as
posted (so an invalid post is shown again with everything typed), and, for skip logic,
its `relevant` expression as a small JSON tree that survey-form.js evaluates to hide
questions that do not apply. The server stays the judge: answers to questions that do
not apply are dropped there whatever the browser showed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from razem.surveys import expressions
from razem.surveys.answers import (
    OTHER,
    OTHER_SUFFIX,
    choices_for,
    text_for,
    text_limit,
)
from razem.surveys.definition import Choice, Question, QuestionType, SurveyDefinition

T = QuestionType
# More options than this are offered as a drop-down list rather than radio buttons.
SELECT_ABOVE = 10
WIDGETS = {
    T.SINGLE_CHOICE: "choice",
    T.LIKERT: "choice",
    T.AGE_GROUP: "choice",
    T.SEX: "choice",
    T.GMINA: "choice",
    T.MULTIPLE_CHOICE: "multiple",
    T.LIKERT_MATRIX: "matrix",
    T.RANKING: "ranking",
    T.NUMBER: "input",
    T.SHORT_TEXT: "input",
    T.LONG_TEXT: "textarea",
    T.NOTE: "note",
}
# Seconds a respondent typically needs, for the estimate shown above the form.
# Reading and answering time, on the slow side: a respondent told 8 minutes who needs 15
# gives up half-way; one told 15 who needs 12 does not mind.
SECONDS = {T.LONG_TEXT: 90, T.SHORT_TEXT: 30, T.RANKING: 60, T.NOTE: 10}
SECONDS_PER_MATRIX_ITEM = 10
SECONDS_DEFAULT = 20


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool = False


@dataclass
class Row:
    """A Likert-matrix item, or a ranking's choice with its rank."""

    name: str
    label: str
    id: str
    error: str = ""
    error_id: str = ""
    options: list[Option] = field(default_factory=list)
    value: str = ""

    @property
    def describedby(self) -> str:
        return self.error_id if self.error else ""


@dataclass
class FormQuestion:
    name: str
    widget: str
    number: int | None
    label: str
    hint: str
    required: bool
    id: str  # the first control: where the error summary links
    options: list[Option] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    value: str = ""
    other: Option | None = None  # "other (specify)" text input
    other_value: str = ""
    other_error: str = ""
    error: str = ""
    relevant_note: str = ""
    relevant_json: str = ""
    answer_names: str = ""
    input_type: str = "text"
    input_mode: str = ""
    max_length: int | None = None
    select: bool = False
    rank_options: list[str] = field(default_factory=list)

    @property
    def hint_id(self) -> str:
        return f"{self.id}-hint" if self.hint else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}-error" if self.error else ""

    @property
    def note_id(self) -> str:
        return f"{self.id}-applies" if self.relevant_note else ""

    @property
    def describedby(self) -> str:
        return " ".join(i for i in (self.note_id, self.hint_id, self.error_id) if i)

    @property
    def other_error_id(self) -> str:
        return f"q-{self.name}-other-error" if self.other_error else ""

    @property
    def has_error(self) -> bool:
        return bool(self.error or self.other_error or any(row.error for row in self.rows))


@dataclass
class SummaryError:
    anchor: str
    message: str


def expression_json(expr: expressions.Expr) -> list:
    """A small tree for survey-form.js: ["n", 1], ["s", "x"], ["r", name], ["."],
    ["neg", e], ["op", operator, left, right], ["f", function, args…]."""
    if isinstance(expr, expressions.Number):
        return ["n", expr.value if math.isfinite(expr.value) else 0]
    if isinstance(expr, expressions.String):
        return ["s", expr.value]
    if isinstance(expr, expressions.Ref):
        return ["r", expr.name]
    if isinstance(expr, expressions.Current):
        return ["."]
    if isinstance(expr, expressions.Neg):
        return ["neg", expression_json(expr.operand)]
    if isinstance(expr, expressions.Binary):
        return ["op", expr.op, expression_json(expr.left), expression_json(expr.right)]
    if isinstance(expr, expressions.Call):
        return ["f", expr.name, *(expression_json(arg) for arg in expr.args)]
    raise TypeError(f"not an expression node: {expr!r}")


class _Posted:
    def __init__(self, data) -> None:
        self.data: dict[str, list[str]] = {}
        if data is None:
            return
        for key in data:
            self.data[key] = list(data.getlist(key)) if hasattr(data, "getlist") else (
                [data[key]] if isinstance(data[key], str) else list(data[key]))

    def one(self, name: str) -> str:
        values = self.data.get(name)
        return values[-1] if values else ""

    def all(self, name: str) -> list[str]:
        return self.data.get(name, [])


def build(
    definition: SurveyDefinition,
    gminas: Sequence[Choice],
    data=None,
    errors: Mapping[str, str] | None = None,
    *,
    enforce_required: bool = True,
) -> tuple[list[FormQuestion], list[SummaryError]]:
    """The questions to render and the error summary, from a post (or empty for GET)."""
    posted = _Posted(data)
    errors = dict(errors or {})
    numbers: dict[str, int] = {}  # answer name -> question number
    number = 0
    questions: list[FormQuestion] = []
    summary: list[SummaryError] = []
    for question in definition.questions:
        if question.type != T.NOTE:
            number += 1
        form_question = _question(definition, question, gminas, posted, errors,
                                  number if question.type != T.NOTE else None, numbers)
        form_question.required = question.required and enforce_required
        for name in question.answer_names():
            numbers[name] = number
        questions.append(form_question)
        summary += _summary(form_question)
    return questions, summary


def _summary(question: FormQuestion) -> list[SummaryError]:
    result = []
    where = f"{question.number}. " if question.number else ""
    if question.error:
        result.append(SummaryError(question.id, _label_error(where, question.label,
                                                             question.error)))
    if question.other_error and question.other:
        result.append(SummaryError(question.other.id, _label_error(where, question.label,
                                                                   question.other_error)))
    for row in question.rows:
        if row.error:
            result.append(SummaryError(row.id, _label_error(where, row.label, row.error)))
    return result


SUMMARY_LABEL_LENGTH = 80


def _label_error(where: str, label: str, message: str) -> str:
    """"5. Question text – what is wrong", the question cut short if it is long."""
    if len(label) > SUMMARY_LABEL_LENGTH:
        label = label[: SUMMARY_LABEL_LENGTH - 1].rstrip() + "…"
    return f"{where}{label} – {message}"


def _question(definition, question: Question, gminas, posted: _Posted, errors, number,
              numbers) -> FormQuestion:
    name = question.name
    widget = WIDGETS[question.type]
    item = FormQuestion(
        name=name,
        widget=widget,
        number=number,
        label=text_for(question.label),
        hint=text_for(question.hint),
        required=question.required,
        id=f"q-{name}",
        error=errors.get(name, ""),
        answer_names=" ".join(question.answer_names()),
    )
    if question.relevant.strip():
        try:
            expr = expressions.parse(question.relevant)
        except expressions.ExpressionError:
            expr = None
        if expr is not None:
            item.relevant_json = json.dumps(expression_json(expr), ensure_ascii=False,
                                            separators=(",", ":"))
            earlier = sorted({numbers[ref] for ref in expr.references() if ref in numbers})
            item.relevant_note = _relevant_note(earlier)
    choices = choices_for(definition, question, gminas)
    if widget == "choice":
        chosen = posted.one(name)
        item.select = len(choices) > SELECT_ABOVE
        item.options = _options(name, choices, {chosen})
        item.id = f"q-{name}" if item.select else f"q-{name}-0"
        item.value = chosen
    elif widget == "multiple":
        item.options = _options(name, choices, set(posted.all(name)))
        item.id = f"q-{name}-0"
    elif widget == "matrix":
        for row_name, label in ((i.name, text_for(i.label)) for i in question.items):
            row = Row(row_name, label, f"q-{row_name}-0", error=errors.get(row_name, ""),
                      error_id=f"q-{row_name}-error")
            row.options = _options(row_name, choices, {posted.one(row_name)})
            item.rows.append(row)
        item.id = item.rows[0].id if item.rows else item.id
    elif widget == "ranking":
        item.rank_options = [str(rank) for rank in range(1, len(choices) + 1)]
        for index, choice in enumerate(choices):
            field_name = f"{name}:{choice.name}"
            item.rows.append(Row(field_name, text_for(choice.label), f"q-{name}-{index}",
                                 value=posted.one(field_name)))
        item.id = f"q-{name}-0"
    elif widget in ("input", "textarea"):
        item.value = posted.one(name)
        if question.type == T.NUMBER:
            item.input_mode = "decimal" if question.decimal else "numeric"
        else:
            item.max_length = text_limit(question)
    if question.or_other:
        item.other = Option(f"{name}{OTHER_SUFFIX}", _("Please specify the other answer"),
                            f"q-{name}-other")
        item.other_value = posted.one(f"{name}{OTHER_SUFFIX}")
        item.other_error = errors.get(f"{name}{OTHER_SUFFIX}", "")
    return item


def _options(name: str, choices: Sequence[Choice], chosen: set[str]) -> list[Option]:
    return [Option(choice.name, text_for(choice.label), f"q-{name}-{index}",
                   checked=choice.name in chosen)
            for index, choice in enumerate(choices)]


def _relevant_note(numbers: list[int]) -> str:
    if not numbers:
        return _("Answer this question only if it applies to you.")
    listed = ", ".join(str(n) for n in numbers)
    return ngettext(
        "Answer only if it applies: it depends on your answer to question %(numbers)s.",
        "Answer only if it applies: it depends on your answers to questions %(numbers)s.",
        len(numbers),
    ) % {"numbers": listed}


def estimated_minutes(definition: SurveyDefinition) -> int:
    seconds = 0
    for question in definition.questions:
        if question.type == T.LIKERT_MATRIX:
            seconds += SECONDS_PER_MATRIX_ITEM * max(1, len(question.items))
        else:
            seconds += SECONDS.get(question.type, SECONDS_DEFAULT)
    return max(1, math.ceil(seconds / 60))


__all__ = ["OTHER", "build", "estimated_minutes", "expression_json"]
