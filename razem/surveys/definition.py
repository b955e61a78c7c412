"""A survey definition independent of storage and of the XLSForm file it may come from.

The models, the public form, the analysis and the XLSForm reader/writer all speak this
vocabulary, so it is kept as plain frozen dataclasses with one whole-definition check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from razem.surveys import expressions


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    LIKERT = "likert"
    LIKERT_MATRIX = "likert_matrix"
    RANKING = "ranking"
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    GMINA = "gmina"
    AGE_GROUP = "age_group"
    SEX = "sex"
    NOTE = "note"


# The gmina list is the partnership's own units, filled in when the survey is shown, so a
# definition never carries it; age groups and sex must use these lists because weighting
# matches their choice names against population data.
GMINA_LIST = "razem_gmina"
AGE_GROUP_LIST = "razem_age_group"
SEX_LIST = "razem_sex"
RESERVED_LISTS = {
    QuestionType.GMINA: GMINA_LIST,
    QuestionType.AGE_GROUP: AGE_GROUP_LIST,
    QuestionType.SEX: SEX_LIST,
}

CHOICE_TYPES = frozenset(
    {
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.LIKERT,
        QuestionType.LIKERT_MATRIX,
        QuestionType.RANKING,
        QuestionType.AGE_GROUP,
        QuestionType.SEX,
    }
)
TEXT_TYPES = frozenset({QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT})
LANGUAGES = ("pl", "en")
# XML element names: the names become ODK instance nodes, so they obey the same rule.
PIPING = "${"
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class Text:
    """One piece of user-facing text in Polish and, optionally, English."""

    pl: str = ""
    en: str = ""


@dataclass(frozen=True)
class Choice:
    name: str
    label: Text


@dataclass(frozen=True)
class MatrixItem:
    """One row of a Likert matrix; it is answered on the matrix's shared scale."""

    name: str
    label: Text


@dataclass(frozen=True)
class Question:
    name: str
    type: QuestionType
    label: Text = Text()
    hint: Text = Text()
    required: bool = False
    constraint: str = ""
    constraint_message: Text = Text()
    relevant: str = ""
    choice_list: str = ""
    or_other: bool = False
    decimal: bool = False  # numbers only: integer unless set
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    max_length: int | None = None  # texts only
    items: tuple[MatrixItem, ...] = ()  # likert_matrix only

    def answer_names(self) -> tuple[str, ...]:
        """Names that hold an answer and may therefore be referred to by later questions."""
        if self.type == QuestionType.LIKERT_MATRIX:
            return tuple(item.name for item in self.items)
        if self.type == QuestionType.NOTE:
            return ()
        return (self.name,)


@dataclass(frozen=True)
class Settings:
    form_id: str = ""
    version: str = ""
    default_language: str = "pl"


@dataclass(frozen=True)
class SurveyDefinition:
    title: Text
    settings: Settings
    questions: tuple[Question, ...]
    choice_lists: Mapping[str, tuple[Choice, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class DefinitionProblem:
    """One problem, with enough of a location for the XLSForm reader to name a row and column.

    `field` is the Question attribute at fault; `choice_list`/`choice` point into the lists.
    """

    message: str
    question: str | None = None
    field: str | None = None
    choice_list: str | None = None
    choice: str | None = None


class DefinitionError(Exception):
    def __init__(self, problems: list[DefinitionProblem]) -> None:
        super().__init__("\n".join(problem.message for problem in problems))
        self.problems = problems

    @property
    def messages(self) -> list[str]:
        return [problem.message for problem in self.problems]


def default_age_groups() -> tuple[Choice, ...]:
    bands = [("18_24", "18–24"), ("25_34", "25–34"), ("35_44", "35–44"), ("45_54", "45–54")]
    bands += [("55_64", "55–64")]
    choices = [Choice("under_18", Text("poniżej 18 lat", "under 18"))]
    choices += [Choice(name, Text(f"{label} lat", f"{label} years")) for name, label in bands]
    choices.append(Choice("65_plus", Text("65 lat i więcej", "65 and over")))
    return tuple(choices)


def default_sexes() -> tuple[Choice, ...]:
    return (Choice("female", Text("kobieta", "female")), Choice("male", Text("mężczyzna", "male")))


def validate(definition: SurveyDefinition) -> None:
    """Raise DefinitionError listing every problem, or return when the definition is sound."""
    problems = list(_definition_problems(definition))
    if problems:
        raise DefinitionError(problems)


def _definition_problems(definition: SurveyDefinition) -> Iterator[DefinitionProblem]:
    if not definition.title.pl.strip():
        yield DefinitionProblem(_("The survey has no Polish title."), field="title")
    if definition.settings.default_language not in LANGUAGES:
        yield DefinitionProblem(
            _("The default language must be Polish (pl) or English (en)."),
            field="default_language",
        )
    yield from _choice_list_problems(definition.choice_lists)
    order = [name for question in definition.questions for name in _all_names(question)]
    seen: set[str] = set()
    for question in definition.questions:
        yield from _name_problems(question, seen)
        yield from _question_problems(question, definition.choice_lists)
        yield from _expression_problems(question, order)


def _all_names(question: Question) -> list[str]:
    # The matrix's own name comes first so that references from the matrix count its
    # items as later, not earlier.
    return [question.name] + [item.name for item in question.items]


def _choice_list_problems(
    choice_lists: Mapping[str, tuple[Choice, ...]],
) -> Iterator[DefinitionProblem]:
    for list_name, choices in choice_lists.items():
        if list_name == GMINA_LIST:
            yield DefinitionProblem(
                _("The list %(list)s is filled with the partnership's gminas; do not define it.")
                % {"list": list_name},
                choice_list=list_name,
            )
        if not choices:
            yield DefinitionProblem(
                _("The choice list %(list)s is empty.") % {"list": list_name},
                choice_list=list_name,
            )
        names: set[str] = set()
        for choice in choices:
            if choice.name in names:
                yield DefinitionProblem(
                    _("The choice %(choice)s appears twice in the list %(list)s.")
                    % {"choice": choice.name, "list": list_name},
                    field="name",
                    choice_list=list_name,
                    choice=choice.name,
                )
            names.add(choice.name)
            if PIPING in choice.label.pl or PIPING in choice.label.en:
                yield DefinitionProblem(
                    _("Texts cannot contain “${”: inserting answers into texts is not supported."),
                    field="label",
                    choice_list=list_name,
                    choice=choice.name,
                )
            if not choice.label.pl.strip():
                yield DefinitionProblem(
                    _("The choice %(choice)s in the list %(list)s has no Polish label.")
                    % {"choice": choice.name, "list": list_name},
                    field="label",
                    choice_list=list_name,
                    choice=choice.name,
                )


def _name_problems(question: Question, seen: set[str]) -> Iterator[DefinitionProblem]:
    names = [question.name] + [item.name for item in question.items]
    for name in names:
        if not NAME_RE.match(name):
            yield DefinitionProblem(
                _(
                    "The name %(name)s is not valid: use letters, digits and underscores, "
                    "starting with a letter."
                )
                % {"name": name or "''"},
                question=name,
                field="name",
            )
        elif name in seen:
            yield DefinitionProblem(
                _("The name %(name)s is used by more than one question.") % {"name": name},
                question=name,
                field="name",
            )
        seen.add(name)


def _question_problems(
    question: Question, choice_lists: Mapping[str, tuple[Choice, ...]]
) -> Iterator[DefinitionProblem]:
    def problem(message: str, field_name: str) -> DefinitionProblem:
        return DefinitionProblem(message, question=question.name, field=field_name)

    qtype = question.type
    if not question.label.pl.strip():
        yield problem(
            _("The question %(name)s has no Polish label.") % {"name": question.name}, "label"
        )
    for item in question.items:
        if not item.label.pl.strip():
            yield DefinitionProblem(
                _("The question %(name)s has no Polish label.") % {"name": item.name},
                question=item.name,
                field="label",
            )
    yield from _choice_reference_problems(question, choice_lists)
    yield from _piping_problems(question)
    if question.or_other and qtype not in {
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
    }:
        yield problem(
            _("Only single and multiple choice questions may offer 'other (specify)'."), "or_other"
        )
    if qtype == QuestionType.LIKERT_MATRIX:
        if not question.items:
            yield problem(
                _("The Likert matrix %(name)s has no items.") % {"name": question.name}, "items"
            )
        if question.constraint:
            yield problem(_("A Likert matrix cannot have a constraint."), "constraint")
    elif question.items:
        yield problem(_("Only a Likert matrix has items."), "items")
    yield from _limit_problems(question)


def _piping_problems(question: Question) -> Iterator[DefinitionProblem]:
    # ODK reads ${name} inside a text as an answer to insert; our form does not insert answers,
    # and pyxform refuses a malformed one, so texts must not contain it at all.
    texts = [("label", question.label), ("hint", question.hint)]
    texts += [("constraint_message", question.constraint_message)]
    texts += [("label", item.label) for item in question.items]
    for field_name, text in texts:
        if PIPING in text.pl or PIPING in text.en:
            yield DefinitionProblem(
                _("Texts cannot contain “${”: inserting answers into texts is not supported."),
                question=question.name,
                field=field_name,
            )
            return


def _choice_reference_problems(
    question: Question, choice_lists: Mapping[str, tuple[Choice, ...]]
) -> Iterator[DefinitionProblem]:
    qtype = question.type
    list_name = question.choice_list
    reserved = RESERVED_LISTS.get(qtype)
    if qtype == QuestionType.GMINA:
        if list_name:
            yield DefinitionProblem(
                _("A gmina question takes its choices from the partnership, not from a list."),
                question=question.name,
                field="choice_list",
            )
        return
    if qtype not in CHOICE_TYPES:
        if list_name:
            yield DefinitionProblem(
                _("The question %(name)s does not use a choice list.") % {"name": question.name},
                question=question.name,
                field="choice_list",
            )
        return
    if reserved and list_name != reserved:
        yield DefinitionProblem(
            _("This question must use the choice list %(list)s.") % {"list": reserved},
            question=question.name,
            field="choice_list",
        )
    elif not reserved and list_name in RESERVED_LISTS.values():
        yield DefinitionProblem(
            _("The choice list %(list)s is reserved for its own question type.")
            % {"list": list_name},
            question=question.name,
            field="choice_list",
        )
    elif list_name not in choice_lists:
        yield DefinitionProblem(
            _("The choice list %(list)s does not exist.") % {"list": list_name or "''"},
            question=question.name,
            field="choice_list",
        )


def _limit_problems(question: Question) -> Iterator[DefinitionProblem]:
    def problem(message: str, field_name: str) -> DefinitionProblem:
        return DefinitionProblem(message, question=question.name, field=field_name)

    is_number = question.type == QuestionType.NUMBER
    if not is_number and question.decimal:
        yield problem(_("Only a number question can be decimal."), "decimal")
    for name in ("min_value", "max_value"):
        value = getattr(question, name)
        if value is not None and not is_number:
            yield problem(_("Only a number question can have a minimum or maximum."), name)
        elif value is not None and not question.decimal and value != value.to_integral_value():
            yield problem(_("The limits of an integer question must be whole numbers."), name)
    low, high = question.min_value, question.max_value
    if low is not None and high is not None and low > high:
        yield problem(_("The minimum is greater than the maximum."), "min_value")
    if question.max_length is not None:
        if question.type not in TEXT_TYPES:
            yield problem(_("Only a text question can have a maximum length."), "max_length")
        elif question.max_length < 1:
            yield problem(_("The maximum length must be at least 1."), "max_length")


def _expression_problems(question: Question, order: list[str]) -> Iterator[DefinitionProblem]:
    # Both look only backwards: relevant decides whether the question is shown, and a
    # constraint checks the question's own answer through '.', not through its name.
    for field_name, text in (("relevant", question.relevant), ("constraint", question.constraint)):
        if not text.strip():
            continue
        message = expression_problem(text, order, question.name)
        if message:
            yield DefinitionProblem(
                _("%(field)s of question %(name)s: %(message)s")
                % {"field": field_name, "name": question.name, "message": message},
                question=question.name,
                field=field_name,
            )


def expression_problem(text: str, order: Sequence[str], current: str) -> str | None:
    """Why an expression cannot be used at `current` (a syntax error, or a reference that is
    unknown or not earlier in `order`), or None when it can."""
    try:
        expressions.check_references(expressions.parse(text), order, current)
    except expressions.ExpressionError as error:
        return error.message
    return None


# ------------------------------------------------------------------ storage as JSON
# Surveys keep their definition in a JSONField; this is the one place that knows the
# shape, so the stored form can change with a data migration touching nothing else.


def _text_data(text: Text) -> dict[str, str]:
    return {"pl": text.pl, "en": text.en}


def _text(data: Mapping[str, str] | None) -> Text:
    data = data or {}
    return Text(pl=str(data.get("pl", "")), en=str(data.get("en", "")))


def _decimal_or_none(value: object) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def to_data(definition: SurveyDefinition) -> dict:
    """The definition as JSON-compatible data (see from_data)."""
    return {
        "title": _text_data(definition.title),
        "settings": {
            "form_id": definition.settings.form_id,
            "version": definition.settings.version,
            "default_language": definition.settings.default_language,
        },
        "questions": [_question_data(question) for question in definition.questions],
        "choice_lists": {
            name: [{"name": c.name, "label": _text_data(c.label)} for c in choices]
            for name, choices in definition.choice_lists.items()
        },
    }


def _question_data(question: Question) -> dict:
    return {
        "name": question.name,
        "type": str(question.type),
        "label": _text_data(question.label),
        "hint": _text_data(question.hint),
        "required": question.required,
        "constraint": question.constraint,
        "constraint_message": _text_data(question.constraint_message),
        "relevant": question.relevant,
        "choice_list": question.choice_list,
        "or_other": question.or_other,
        "decimal": question.decimal,
        "min_value": None if question.min_value is None else str(question.min_value),
        "max_value": None if question.max_value is None else str(question.max_value),
        "max_length": question.max_length,
        "items": [{"name": i.name, "label": _text_data(i.label)} for i in question.items],
    }


def from_data(data: Mapping) -> SurveyDefinition:
    """Rebuild a definition stored by to_data (raises KeyError/ValueError on other data)."""
    settings = data.get("settings", {})
    return SurveyDefinition(
        title=_text(data.get("title")),
        settings=Settings(
            form_id=settings.get("form_id", ""),
            version=settings.get("version", ""),
            default_language=settings.get("default_language", "pl"),
        ),
        questions=tuple(
            Question(
                name=q["name"],
                type=QuestionType(q["type"]),
                label=_text(q.get("label")),
                hint=_text(q.get("hint")),
                required=bool(q.get("required", False)),
                constraint=q.get("constraint", ""),
                constraint_message=_text(q.get("constraint_message")),
                relevant=q.get("relevant", ""),
                choice_list=q.get("choice_list", ""),
                or_other=bool(q.get("or_other", False)),
                decimal=bool(q.get("decimal", False)),
                min_value=_decimal_or_none(q.get("min_value")),
                max_value=_decimal_or_none(q.get("max_value")),
                max_length=q.get("max_length"),
                items=tuple(
                    MatrixItem(i["name"], _text(i.get("label"))) for i in q.get("items", ())
                ),
            )
            for q in data.get("questions", ())
        ),
        choice_lists={
            name: tuple(Choice(c["name"], _text(c.get("label"))) for c in choices)
            for name, choices in data.get("choice_lists", {}).items()
        },
    )
