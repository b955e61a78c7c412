"""XLSForm in and out: the ODK/KoboToolbox spreadsheet standard, mapped onto SurveyDefinition.

Reading goes in four steps, each one only once the previous has passed, so the user sees
the most specific message first: is it an .xlsx at all and small enough; does it have the
sheets, columns and types we know (our checks, Polish, with sheet/row/column); is the
resulting definition sound (definition.validate, mapped back to rows); and does pyxform
(what ODK itself uses) accept it.

Mapping of types (survey sheet, `type` column):

    select_one L [or_other]       single_choice (or_other: "other (specify)")
    select_one L + appearance likert   likert
    begin_group ... end_group whose rows are all likert on one list   likert_matrix
    select_multiple L [or_other]  multiple_choice
    rank L                        ranking
    integer / decimal             number
    text (+ appearance multiline) short_text (long_text)
    note                          note
    select_one razem_gmina        gmina (choices are the partnership's units, filled at run time)
    select_one razem_age_group    age_group (default bands added when the choices sheet has none)
    select_one razem_sex          sex (default female/male added when the choices sheet has none)

ODK metadata types (start, end, today, deviceid, ...) are skipped: surveys here are anonymous.
XLSForm has no columns for numeric limits or text length, so we add our own columns,
ignored by ODK: `razem_min`, `razem_max`, `razem_max_length` on the survey sheet, and
`razem_form_title_en` (the English title) on the settings sheet.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from pyxform import aliases
from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import DefinitionData, get_xlsform

from razem.surveys.definition import (
    AGE_GROUP_LIST,
    GMINA_LIST,
    SEX_LIST,
    Choice,
    DefinitionError,
    DefinitionProblem,
    MatrixItem,
    Question,
    QuestionType,
    Settings,
    SurveyDefinition,
    Text,
    default_age_groups,
    default_sexes,
    validate,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 2000
SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
LANGUAGE_HEADERS = {"pl": "Polish (pl)", "en": "English (en)"}
SURVEY_COLUMNS = (
    "type",
    "name",
    "label::Polish (pl)",
    "label::English (en)",
    "hint::Polish (pl)",
    "hint::English (en)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::Polish (pl)",
    "constraint_message::English (en)",
    "appearance",
    "razem_min",
    "razem_max",
    "razem_max_length",
)
CHOICES_COLUMNS = ("list_name", "name", "label::Polish (pl)", "label::English (en)")
SETTINGS_COLUMNS = ("form_title", "razem_form_title_en", "form_id", "version", "default_language")
METADATA_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "phonenumber",
        "username",
        "simserial",
        "subscriberid",
        "email",
        "audit",
        "start-geopoint",
    }
)
RESERVED_TYPES = {
    GMINA_LIST: QuestionType.GMINA,
    AGE_GROUP_LIST: QuestionType.AGE_GROUP,
    SEX_LIST: QuestionType.SEX,
}
DEFAULT_LISTS = {AGE_GROUP_LIST: default_age_groups, SEX_LIST: default_sexes}
HEADER_ALIASES = {
    "constraint message": "constraint_message",
    "id_string": "form_id",
    "list name": "list_name",
}
# Where each Question attribute lives on the survey sheet, to name the column of a problem.
FIELD_COLUMNS = {
    "name": "name",
    "choice_list": "type",
    "or_other": "type",
    "decimal": "type",
    "items": "type",
    "relevant": "relevant",
    "constraint": "constraint",
    "min_value": "razem_min",
    "max_value": "razem_max",
    "max_length": "razem_max_length",
}
TEXT_FIELDS = frozenset({"label", "hint", "constraint_message"})
SETTINGS_FIELDS = {"title": "form_title", "default_language": "default_language"}


@dataclass(frozen=True)
class XlsFormProblem:
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class XlsFormError(Exception):
    """The workbook cannot become a survey; sheet/row/column are those of the first problem."""

    def __init__(
        self,
        sheet: str | None,
        row: int | None,
        column: str | None,
        message: str,
        problems: Sequence[XlsFormProblem] = (),
    ) -> None:
        self.sheet, self.row, self.column, self.message = sheet, row, column, message
        self.problems = tuple(problems) or (XlsFormProblem(sheet, row, column, message),)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @classmethod
    def of(cls, problems: Sequence[XlsFormProblem]) -> XlsFormError:
        first = problems[0]
        return cls(first.sheet, first.row, first.column, first.message, problems)


# ---------------------------------------------------------------------------------------------
# Reading


def read_xlsform(data: bytes) -> SurveyDefinition:
    _check_container(data)
    _check_row_counts(data)
    workbook = _pyxform_sheets(data)
    parsed = _parse(workbook)
    try:
        validate(parsed.definition)
    except DefinitionError as error:
        raise XlsFormError.of([parsed.locate(problem) for problem in error.problems]) from error
    _check_with_pyxform(workbook, parsed.definition)
    return parsed.definition


def _check_container(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise XlsFormError(
            None,
            None,
            None,
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # pyxform reads .xls only through xlrd, which is not among our dependencies.
        raise XlsFormError(
            None,
            None,
            None,
            _("The old .xls format is not supported; save the workbook as .xlsx and try again."),
        )
    not_xlsx = _("The file is not an Excel workbook (.xlsx) in the XLSForm format.")
    if not data.startswith(b"PK\x03\x04"):
        raise XlsFormError(None, None, None, not_xlsx)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise XlsFormError(None, None, None, not_xlsx) from None
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            not_xlsx = _("The file is a Word document, not an Excel workbook (.xlsx).")
        raise XlsFormError(None, None, None, not_xlsx)


def _check_row_counts(data: bytes) -> None:
    # Checked before pyxform reads the sheets, so a huge workbook costs at most MAX_ROWS rows.
    try:
        workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on damaged archives
        raise XlsFormError(
            None, None, None, _("The workbook cannot be read: %(detail)s") % {"detail": error}
        ) from error
    try:
        for sheet in workbook.worksheets:
            if sheet.title.lower() in (SURVEY, CHOICES, SETTINGS):
                _check_sheet_rows(sheet)
    finally:
        workbook.close()


def _check_sheet_rows(sheet: Any) -> None:
    filled = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        filled += any(value not in (None, "") for value in values)
        if filled > MAX_ROWS + 1:  # +1: the header row
            raise XlsFormError(
                sheet.title,
                number,
                None,
                _("The sheet has more than %(max)s rows.") % {"max": MAX_ROWS},
            )


def _pyxform_sheets(data: bytes) -> DefinitionData:
    try:
        workbook = get_xlsform(data, file_type=".xlsx")
    except PyXFormError as error:
        raise _translate_pyxform(error) from error
    names = {name.lower() for name in workbook.sheet_names or ()}
    if SURVEY not in names:
        raise XlsFormError(SURVEY, None, None, _("The workbook has no sheet named “survey”."))
    return workbook


# --- headers and cells -----------------------------------------------------------------------


def _language(text: str) -> str | None:
    """'Polish (pl)', 'pl', 'polski' -> 'pl'; a language we do not keep -> None."""
    text = text.strip().lower()
    code = re.search(r"\(([a-z_-]+)\)\s*$", text)
    if code:
        text = code.group(1)
    names = {
        "pl": "pl",
        "polish": "pl",
        "polski": "pl",
        "en": "en",
        "english": "en",
        "angielski": "en",
    }
    return names.get(text)


@dataclass(frozen=True)
class _Header:
    text: str
    base: str
    language: str | None  # None for columns without a language


def _headers(header_rows: Sequence[dict[str, Any]] | None, default_language: str) -> list[_Header]:
    result = []
    for text in header_rows[0] if header_rows else ():
        base, sep, suffix = text.partition("::")
        base = base.strip().lower()
        base = HEADER_ALIASES.get(base, base)
        if sep:
            # A language we do not keep must not pass for a column without a language.
            language: str | None = _language(suffix) or "other"
        else:
            language = default_language if _translatable(base) else None
        result.append(_Header(text, base, language))
    return result


def _translatable(base: str) -> bool:
    return base in {"label", "hint", "constraint_message"}


@dataclass(frozen=True)
class _Row:
    sheet: str
    number: int
    values: dict[str, str]
    headers: tuple[_Header, ...]

    def get(self, base: str) -> str:
        for header in self.headers:
            if header.base == base and header.language is None:
                return self.values.get(header.text, "").strip()
        return ""

    def text(self, base: str) -> Text:
        found = {}
        for header in self.headers:
            if header.base == base and header.language and header.language not in found:
                value = self.values.get(header.text, "").strip()
                if value:
                    found[header.language] = value
        return Text(found.get("pl", ""), found.get("en", ""))

    def column(self, base: str) -> str:
        return next((h.text for h in self.headers if h.base == base), base)


def _rows(sheet: str, rows: Sequence[dict[str, str]] | None, headers: list[_Header]) -> list[_Row]:
    # pyxform keeps blank rows inside the data, so list position + 2 is the spreadsheet row.
    return [
        _Row(sheet, index + 2, row, tuple(headers)) for index, row in enumerate(rows or ()) if row
    ]


# --- parsing ---------------------------------------------------------------------------------


class _RowProblem(Exception):
    def __init__(self, row: _Row, column: str, message: str) -> None:
        super().__init__(message)
        self.problem = XlsFormProblem(row.sheet, row.number, row.column(column), message)


@dataclass
class _Parsed:
    definition: SurveyDefinition
    question_rows: dict[str, list[int]]
    choice_rows: dict[tuple[str, str], int]
    survey_headers: list[_Header]
    choice_label_column: str
    used: Counter[str] = field(default_factory=Counter)

    def locate(self, problem: DefinitionProblem) -> XlsFormProblem:
        if problem.question is not None:
            return self._locate_question(problem)
        if problem.choice_list is not None:
            row = self.choice_rows.get((problem.choice_list, problem.choice or ""))
            if row is None:
                row = min(
                    (
                        r
                        for (name, _c), r in self.choice_rows.items()
                        if name == problem.choice_list
                    ),
                    default=None,
                )
            column = {"label": self.choice_label_column, "name": "name"}.get(
                problem.field or "", "list_name"
            )
            return XlsFormProblem(CHOICES, row, column, problem.message)
        column = SETTINGS_FIELDS.get(problem.field or "")
        return XlsFormProblem(SETTINGS, 2, column, problem.message)

    def _locate_question(self, problem: DefinitionProblem) -> XlsFormProblem:
        rows = self.question_rows.get(problem.question or "", [])
        row = rows[0] if rows else None
        if problem.field == "name" and len(rows) > 1:
            # A duplicate is reported at each later occurrence, in order.
            self.used[problem.question or ""] += 1
            row = rows[min(self.used[problem.question or ""], len(rows) - 1)]
        column = FIELD_COLUMNS.get(problem.field or "", None)
        if problem.field in TEXT_FIELDS:
            column = _text_column(self.survey_headers, problem.field or "")
        return XlsFormProblem(SURVEY, row, column, problem.message)


def _parse(workbook: DefinitionData) -> _Parsed:
    problems: list[XlsFormProblem] = []
    settings_headers = _headers(workbook.settings_header, "pl")
    settings_rows = _rows(SETTINGS, workbook.settings, settings_headers)
    settings_row = settings_rows[0] if settings_rows else None
    language = _language(settings_row.get("default_language")) if settings_row else None
    language = language or "pl"
    survey_headers = _headers(workbook.survey_header, language)
    problems += _missing_columns(SURVEY, survey_headers, ("type", "name"))
    choice_headers = _headers(workbook.choices_header, language)
    if workbook.choices_header:
        problems += _missing_columns(CHOICES, choice_headers, ("list_name", "name"))
    if problems:
        raise XlsFormError.of(problems)
    builder = _SurveyBuilder()
    for row in _rows(SURVEY, workbook.survey, survey_headers):
        try:
            builder.add(row)
        except _RowProblem as error:
            problems.append(error.problem)
    problems += builder.finish()
    choice_lists, choice_rows = _choices(_rows(CHOICES, workbook.choices, choice_headers), problems)
    if problems:
        raise XlsFormError.of(problems)
    _add_default_lists(builder.questions, choice_lists)
    definition = SurveyDefinition(
        title=_title(settings_row),
        settings=_settings(settings_row, language),
        questions=tuple(builder.questions),
        choice_lists=choice_lists,
    )
    return _Parsed(
        definition,
        builder.rows,
        choice_rows,
        survey_headers,
        _text_column(choice_headers, "label"),
    )


def _text_column(headers: list[_Header], base: str) -> str:
    """The column holding the Polish version of a text, as the workbook names it."""
    found = (h.text for h in headers if h.base == base and h.language == "pl")
    return next(found, f"{base}::{LANGUAGE_HEADERS['pl']}")


def _missing_columns(
    sheet: str, headers: list[_Header], required: Iterable[str]
) -> list[XlsFormProblem]:
    present = {header.base for header in headers}
    return [
        XlsFormProblem(
            sheet,
            1,
            name,
            _("The sheet “%(sheet)s” has no column “%(column)s”.")
            % {"sheet": sheet, "column": name},
        )
        for name in required
        if name not in present
    ]


def _title(row: _Row | None) -> Text:
    if row is None:
        return Text()
    # form_title is a single XLSForm setting; by our convention it holds the Polish title
    # whatever the default language, and razem_form_title_en the English one.
    return Text(row.get("form_title"), row.get("razem_form_title_en"))


def _settings(row: _Row | None, language: str) -> Settings:
    if row is None:
        return Settings(default_language=language)
    return Settings(
        form_id=row.get("form_id"), version=row.get("version"), default_language=language
    )


def _choices(
    rows: list[_Row], problems: list[XlsFormProblem]
) -> tuple[dict[str, tuple[Choice, ...]], dict[tuple[str, str], int]]:
    lists: dict[str, list[Choice]] = defaultdict(list)
    locations: dict[tuple[str, str], int] = {}
    for row in rows:
        list_name, name = row.get("list_name"), row.get("name")
        if not list_name or not name:
            column = "name" if list_name else "list_name"
            problems.append(
                XlsFormProblem(
                    CHOICES, row.number, column, _("Every choice needs a list name and a name.")
                )
            )
            continue
        if list_name == GMINA_LIST:
            continue  # filled with the partnership's units when the survey is shown
        locations.setdefault((list_name, name), row.number)
        lists[list_name].append(Choice(name, row.text("label")))
    return {name: tuple(choices) for name, choices in lists.items()}, locations


def _add_default_lists(questions: list[Question], lists: dict[str, tuple[Choice, ...]]) -> None:
    for question in questions:
        make_default = DEFAULT_LISTS.get(question.choice_list)
        if make_default and question.choice_list not in lists:
            lists[question.choice_list] = make_default()


@dataclass(frozen=True)
class _Kind:
    type: QuestionType
    choice_list: str = ""
    or_other: bool = False
    decimal: bool = False


def _kind(row: _Row) -> _Kind | None:
    """The question type of a row, or None for rows we deliberately skip."""
    text = re.sub(r"\s+", " ", row.get("type")).strip()
    text = re.sub(r"^(select one|select1)\b", "select_one", text)
    text = re.sub(r"^select multiple\b", "select_multiple", text)
    words = text.split(" ")
    head = words[0].lower()
    appearance = row.get("appearance").lower().split()
    simple = {
        "integer": _Kind(QuestionType.NUMBER),
        "int": _Kind(QuestionType.NUMBER),
        "decimal": _Kind(QuestionType.NUMBER, decimal=True),
        "note": _Kind(QuestionType.NOTE),
        "text": _Kind(
            QuestionType.LONG_TEXT if "multiline" in appearance else QuestionType.SHORT_TEXT
        ),
    }
    if len(words) == 1 and head in simple:
        return simple[head]
    if len(words) == 1 and head in METADATA_TYPES:
        return None
    if head in {"select_one", "select_multiple", "rank"} and len(words) in (2, 3):
        return _choice_kind(row, head, words, appearance)
    if not text:
        raise _RowProblem(row, "type", _("The row has no type."))
    raise _RowProblem(row, "type", _("Unknown question type “%(type)s”.") % {"type": text})


def _choice_kind(row: _Row, head: str, words: list[str], appearance: list[str]) -> _Kind:
    list_name = words[1]
    or_other = len(words) == 3
    if or_other and (words[2] != "or_other" or head == "rank"):
        raise _RowProblem(
            row, "type", _("Unknown question type “%(type)s”.") % {"type": " ".join(words)}
        )
    if head == "rank":
        return _Kind(QuestionType.RANKING, list_name)
    if head == "select_multiple":
        return _Kind(QuestionType.MULTIPLE_CHOICE, list_name, or_other)
    reserved = RESERVED_TYPES.get(list_name)
    if reserved == QuestionType.GMINA:
        return _Kind(reserved, "", or_other)
    if reserved:
        return _Kind(reserved, list_name, or_other)
    if "likert" in appearance:
        return _Kind(QuestionType.LIKERT, list_name, or_other)
    return _Kind(QuestionType.SINGLE_CHOICE, list_name, or_other)


def _flag(row: _Row, column: str) -> bool:
    value = row.get(column)
    if not value:
        return False
    if value not in aliases.yes_no:
        raise _RowProblem(row, column, _("Write “yes” or “no”."))
    return aliases.yes_no[value]


def _decimal(row: _Row, column: str) -> Decimal | None:
    value = row.get(column)
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise _RowProblem(
            row, column, _("“%(value)s” is not a number.") % {"value": value}
        ) from None
    if not number.is_finite():
        raise _RowProblem(row, column, _("“%(value)s” is not a number.") % {"value": value})
    return number


def _integer(row: _Row, column: str) -> int | None:
    number = _decimal(row, column)
    if number is not None and number != number.to_integral_value():
        raise _RowProblem(row, column, _("Write a whole number."))
    return None if number is None else int(number)


def _question(row: _Row, kind: _Kind) -> Question:
    return Question(
        name=row.get("name"),
        type=kind.type,
        label=row.text("label"),
        hint=row.text("hint"),
        required=_flag(row, "required"),
        constraint=row.get("constraint"),
        constraint_message=row.text("constraint_message"),
        relevant=row.get("relevant"),
        choice_list=kind.choice_list,
        or_other=kind.or_other,
        decimal=kind.decimal,
        min_value=_decimal(row, "razem_min"),
        max_value=_decimal(row, "razem_max"),
        max_length=_integer(row, "razem_max_length"),
    )


class _SurveyBuilder:
    """Turns survey rows into questions, folding a group of Likert rows into one matrix."""

    def __init__(self) -> None:
        self.questions: list[Question] = []
        self.rows: dict[str, list[int]] = defaultdict(list)
        self.group: _Row | None = None
        self.members: list[tuple[_Row, Question]] = []

    def add(self, row: _Row) -> None:
        head = re.sub(r"\s+", "_", row.get("type").strip().lower())
        if head in {"begin_group", "begin_repeat", "end_group", "end_repeat"}:
            self._group_row(row, head)
            return
        kind = _kind(row)
        if kind is None:
            return
        question = _question(row, kind)
        if self.group is not None:
            self.members.append((row, question))
        else:
            self.questions.append(question)
        self.rows[question.name].append(row.number)

    def finish(self) -> list[XlsFormProblem]:
        if self.group is None:
            return []
        return [
            XlsFormProblem(
                SURVEY,
                self.group.number,
                self.group.column("type"),
                _("The group is not closed with end_group."),
            )
        ]

    def _group_row(self, row: _Row, head: str) -> None:
        if head.endswith("repeat"):
            raise _RowProblem(row, "type", _("Repeated groups are not supported."))
        if head == "begin_group":
            if self.group is not None:
                raise _RowProblem(row, "type", _("Groups inside groups are not supported."))
            self.group, self.members = row, []
            self.rows[row.get("name")].append(row.number)
            return
        if self.group is None:
            raise _RowProblem(row, "type", _("end_group without a matching begin_group."))
        group, members = self.group, self.members
        self.group, self.members = None, []
        self.questions.append(_matrix(group, members))


def _matrix(group: _Row, members: list[tuple[_Row, Question]]) -> Question:
    only_likert = _("A group may only hold Likert questions on one scale (a Likert matrix).")
    if not members:
        raise _RowProblem(group, "type", only_likert)
    scale = members[0][1].choice_list
    for row, member in members:
        if member.type != QuestionType.LIKERT or member.choice_list != scale:
            raise _RowProblem(row, "type", only_likert)
        for column in ("relevant", "constraint", "hint"):
            if any(h.base == column and row.values.get(h.text) for h in row.headers):
                raise _RowProblem(
                    row,
                    column,
                    _("Items of a Likert matrix take their conditions and hint from the group."),
                )
    required = {member.required for _row, member in members}
    if len(required) > 1:
        raise _RowProblem(
            members[0][0],
            "required",
            _("All items of a Likert matrix must be either required or not."),
        )
    return Question(
        name=group.get("name"),
        type=QuestionType.LIKERT_MATRIX,
        label=group.text("label"),
        hint=group.text("hint"),
        required=required.pop(),
        relevant=group.get("relevant"),
        constraint=group.get("constraint"),
        choice_list=scale,
        items=tuple(MatrixItem(member.name, member.label) for _row, member in members),
    )


# --- pyxform ---------------------------------------------------------------------------------


def _check_with_pyxform(workbook: DefinitionData, definition: SurveyDefinition) -> None:
    _add_placeholder_choices(workbook, definition)
    try:
        form = workbook_to_json(workbook_dict=workbook, warnings=[])
        create_survey_element_from_dict(form).to_xml(validate=False, warnings=[])
    except PyXFormError as error:
        raise _translate_pyxform(error) from error
    except Exception as error:  # pyxform fails with plain exceptions on some odd input
        raise XlsFormError(
            None,
            None,
            None,
            _("ODK (pyxform) could not convert the form: %(detail)s") % {"detail": error},
        ) from error


def _add_placeholder_choices(workbook: DefinitionData, definition: SurveyDefinition) -> None:
    # The gmina list and our default lists are not in the workbook, but ODK insists every
    # select names a list on the choices sheet.
    present = {row.get("list_name") for row in workbook.choices or ()}
    needed = {GMINA_LIST, *definition.choice_lists} - present
    header = (
        dict(workbook.choices_header[0])
        if workbook.choices_header
        else {"list_name": None, "name": None, "label": None}
    )
    label_keys = [key for key in header if key.split("::")[0].strip().lower() == "label"]
    rows = list(workbook.choices or [])
    for list_name in sorted(needed):
        rows.append({"list_name": list_name, "name": "x", **{key: "x" for key in label_keys}})
    workbook.choices = rows
    workbook.choices_header = [header]


def _translate_pyxform(error: PyXFormError) -> XlsFormError:
    detail = str(error)
    context = error.context or {}
    row = context.get("row") or _search(r"\[row\s*:\s*(\d+)\]", detail)
    sheet = context.get("sheet") or _search(r"On the '(\w+)' sheet", detail)
    column = context.get("column") or _search(r"the '([\w:() ]+)' value", detail)
    detail = re.sub(r"^\[row\s*:\s*\d+\]\s*", "", detail)
    if row and not sheet:
        sheet = SURVEY
    return XlsFormError(
        sheet,
        int(row) if row else None,
        column,
        _("ODK (pyxform) rejected the form: %(detail)s") % {"detail": detail},
    )


def _search(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1) if match else None


# ---------------------------------------------------------------------------------------------
# Writing


def write_xlsform(definition: SurveyDefinition) -> bytes:
    """The definition as an XLSForm workbook that read_xlsform turns back into an equal one."""
    validate(definition)
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = SURVEY
    _append(survey, SURVEY_COLUMNS)
    for question in definition.questions:
        for row in _question_rows(question):
            _append(survey, [row.get(column, "") for column in SURVEY_COLUMNS])
    choices = workbook.create_sheet(CHOICES)
    _append(choices, CHOICES_COLUMNS)
    for list_name, items in definition.choice_lists.items():
        for choice in items:
            _append(choices, [list_name, choice.name, choice.label.pl, choice.label.en])
    settings = workbook.create_sheet(SETTINGS)
    _append(settings, SETTINGS_COLUMNS)
    language = LANGUAGE_HEADERS.get(
        definition.settings.default_language, definition.settings.default_language
    )
    _append(
        settings,
        [
            definition.title.pl,
            definition.title.en,
            definition.settings.form_id,
            definition.settings.version,
            language,
        ],
    )
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _append(sheet: Any, values: Sequence[str]) -> None:
    sheet.append([value or None for value in values])
    for cell in sheet[sheet.max_row]:
        # openpyxl would store text starting with '=' as a formula.
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _texts(name: str, text: Text) -> dict[str, str]:
    return {f"{name}::Polish (pl)": text.pl, f"{name}::English (en)": text.en}


def _question_rows(question: Question) -> list[dict[str, str]]:
    row = {
        "name": question.name,
        **_texts("label", question.label),
        **_texts("hint", question.hint),
        "relevant": question.relevant,
        "constraint": question.constraint,
        **_texts("constraint_message", question.constraint_message),
    }
    if question.type == QuestionType.LIKERT_MATRIX:
        return _matrix_rows(question, row)
    row["type"] = _type_text(question)
    row["required"] = "yes" if question.required else ""
    row["appearance"] = {QuestionType.LIKERT: "likert", QuestionType.LONG_TEXT: "multiline"}.get(
        question.type, ""
    )
    for column, value in (
        ("razem_min", question.min_value),
        ("razem_max", question.max_value),
        ("razem_max_length", question.max_length),
    ):
        row[column] = "" if value is None else str(value)
    return [row]


def _matrix_rows(question: Question, group: dict[str, str]) -> list[dict[str, str]]:
    rows = [{**group, "type": "begin_group", "appearance": "field-list"}]
    for item in question.items:
        rows.append(
            {
                "type": f"select_one {question.choice_list}",
                "name": item.name,
                **_texts("label", item.label),
                "appearance": "likert",
                "required": "yes" if question.required else "",
            }
        )
    rows.append({"type": "end_group"})
    return rows


def _type_text(question: Question) -> str:
    other = " or_other" if question.or_other else ""
    by_type = {
        QuestionType.SINGLE_CHOICE: f"select_one {question.choice_list}{other}",
        QuestionType.MULTIPLE_CHOICE: f"select_multiple {question.choice_list}{other}",
        QuestionType.LIKERT: f"select_one {question.choice_list}",
        QuestionType.RANKING: f"rank {question.choice_list}",
        QuestionType.NUMBER: "decimal" if question.decimal else "integer",
        QuestionType.SHORT_TEXT: "text",
        QuestionType.LONG_TEXT: "text",
        QuestionType.GMINA: f"select_one {GMINA_LIST}",
        QuestionType.AGE_GROUP: f"select_one {AGE_GROUP_LIST}",
        QuestionType.SEX: f"select_one {SEX_LIST}",
        QuestionType.NOTE: "note",
    }
    return by_type[question.type]
