"""A survey's responses as CSV and XLSX, with codes and with labels.

The layout is the usual one for survey data (as KoboToolbox and ODK export it): one row per
response, one column per variable, the variables in question order.

* Fixed columns first: `_id` (the response number), `_channel`, `_submitted_on` (the day) and,
  in confidential mode only, `_submitted_at`. Nothing identifying is ever exported: no
  respondent, no e-mail; in anonymous mode the row holds only what the row stores anyway.
* One column per answer name: a Likert matrix gives one column per item; a multiple choice
  gives the chosen codes joined by spaces in `<name>` and one 0/1 column `<name>/<choice>` per
  choice (empty when the question was not answered); a ranking gives `<name>/1` ... `<name>/n`,
  the choice in each place; "other (specify)" adds the text column `<name>_other`. "/" never
  occurs in a question name, so these names cannot collide with a question's.
* Codes or labels, never both in one table: two header rows or code-and-label cells break
  Excel's sorting and filtering and every statistics package. The CSV comes in two variants
  (codes, headed by variable names; labels, headed by question texts); the XLSX holds both as
  the sheets "dane" and "dane_etykiety" plus "słownik", the codebook (variable, question, code,
  label) that ties the codes to their labels. A gmina's code is its TERYT code, its label the
  gmina's name.

Both are built from a streaming query (`iterator(chunk_size=...)`), so memory does not grow with
the number of responses: the CSV is yielded in chunks, the XLSX is written by openpyxl's
write-only mode into a temporary file.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from razem.surveys import answers as answers_module
from razem.surveys.definition import Choice, Question, QuestionType, SurveyDefinition, Text
from razem.surveys.models import Channel, Response, Survey
from razem.territory.models import GminaType, UnitKind

CHUNK_SIZE = 2000  # rows fetched from the database at a time
CSV_ROWS_PER_CHUNK = 500  # rows per piece of the streamed CSV (about 50-200 kB)
# Polish Excel opens a CSV by double-click correctly only if it is UTF-8 *with* a BOM
# (without one it assumes Windows-1250 and garbles the Polish letters) and separated by ";"
# (the list separator of the Polish locale, where "," is the decimal comma). Numbers use the
# decimal comma for the same reason; this is also R's read.csv2 convention.
CSV_DELIMITER = ";"
BOM = "\ufeff"
# A text starting with one of these is run as a formula by Excel and LibreOffice when the CSV
# is opened ("CSV injection": =HYPERLINK(...) or a DDE call typed into an open answer). A
# leading apostrophe makes the spreadsheet show it as text; the OWASP advice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Sheet names are not translated: scripts refer to them (pandas.read_excel(sheet_name="dane")).
SHEET_CODES, SHEET_LABELS, SHEET_CODEBOOK = "dane", "dane_etykiety", "słownik"
XLSX_MAX_TEXT = 32_767  # Excel's limit per cell; longer texts would make the file "repaired"

CellValue = str | int | Decimal | date | datetime | None
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


class Format:
    """How one file format writes each kind of cell. Blocks format their choices once,
    when the layout is built, so a row costs a dictionary look-up per answer."""

    empty: CellValue = None
    chosen: CellValue = 1
    not_chosen: CellValue = 0

    def text(self, value: str) -> CellValue:
        return value

    def number(self, value: str) -> CellValue:
        """A stored number ("-12.5"); anything else is exported as the text it is."""
        return Decimal(value) if _PLAIN_NUMBER.fullmatch(value) else self.text(value)

    def integer(self, value: int) -> CellValue:
        return value

    def day(self, value: date) -> CellValue:
        return value

    def moment(self, value: datetime) -> CellValue:
        # Excel has no time zones: the local (Warsaw) time, as people read it.
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


class CsvFormat(Format):
    """Every cell a finished CSV field (neutralised, quoted when needed), so a row is a join."""

    empty = ""
    chosen = "1"
    not_chosen = "0"

    def text(self, value: str) -> str:
        # Formula injection: see FORMULA_STARTS. A plain number ("-1", a Likert code) is
        # left alone: it is not a formula and must stay a number.
        if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
            value = "'" + value
        if ";" in value or '"' in value or "\n" in value or "\r" in value:
            value = '"' + value.replace('"', '""') + '"'
        return value

    def number(self, value: str) -> str:
        return value.replace(".", ",") if _PLAIN_NUMBER.fullmatch(value) else self.text(value)

    def integer(self, value: int) -> str:
        return str(value)

    def day(self, value: date) -> str:
        return value.isoformat()

    def moment(self, value: datetime) -> str:
        return super().moment(value).isoformat(sep=" ")


class XlsxFormat(Format):
    def text(self, value: str) -> str:
        # Control characters are not allowed in the file format at all.
        return _ILLEGAL_XML.sub("", value)[:XLSX_MAX_TEXT]


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Variable:
    """One column: its name (the header with codes), its header with labels, and for the
    codebook the question it comes from and its codes with their labels."""

    name: str
    header: str
    question: str
    codes: tuple[tuple[str, str], ...] = ()


class _Block:
    """The columns of one question: `cells(answers)` gives their codes and `labels(answers)`
    their labels, one formatted value per variable. A list returned may be shared between
    rows: callers copy it into the row, never change it."""

    variables: list[Variable]

    def __init__(self, name: str, fmt: Format) -> None:
        self.name = name
        self.fmt = fmt

    def cells(self, answers: Mapping[str, Any]) -> list[CellValue]:
        raise NotImplementedError

    def labels(self, answers: Mapping[str, Any]) -> list[CellValue]:
        return self.cells(answers)


def _text(text: Text) -> str:
    # The same wording as the form shows (English only when the interface is English).
    return answers_module.text_for(text)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


class _ChoiceMaps:
    """Formatted codes and labels of a choice list; a code the definition no longer lists
    (the survey was edited after answers came in) is shown as it is."""

    def __init__(self, choices: Sequence[tuple[str, str]], fmt: Format) -> None:
        self.fmt = fmt
        self.label_of = dict(choices)
        self.codes = {code: fmt.text(code) for code, _label in choices}
        self.labels = {code: fmt.text(label) for code, label in choices}

    def code(self, value: Any) -> CellValue:
        found = self.codes.get(value) if isinstance(value, str) else None
        return found if found is not None else self.fmt.text(" ".join(_as_list(value)))

    def label(self, value: Any) -> CellValue:
        found = self.labels.get(value) if isinstance(value, str) else None
        return found if found is not None else self.fmt.text(" ".join(_as_list(value)))


class _SingleBlock(_Block):
    """Single choice, Likert (and each matrix item), gmina, age group, sex."""

    def __init__(self, name: str, header: str, choices: Sequence[tuple[str, str]],
                 fmt: Format) -> None:
        super().__init__(name, fmt)
        self.maps = _ChoiceMaps(choices, fmt)
        self.variables = [Variable(name, header, header, tuple(choices))]
        self.empty = [fmt.empty]

    def cells(self, answers: Mapping[str, Any]) -> list[CellValue]:
        value = answers.get(self.name)
        return self.empty if value is None else [self.maps.code(value)]

    def labels(self, answers: Mapping[str, Any]) -> list[CellValue]:
        value = answers.get(self.name)
        return self.empty if value is None else [self.maps.label(value)]


class _MultipleBlock(_Block):
    def __init__(self, name: str, header: str, choices: Sequence[tuple[str, str]],
                 fmt: Format) -> None:
        super().__init__(name, fmt)
        self.maps = _ChoiceMaps(choices, fmt)
        self.choice_names = [code for code, _label in choices]
        chosen = (("1", _("chosen")), ("0", _("not chosen")))
        self.variables = [Variable(name, header, header, tuple(choices))] + [
            Variable(f"{name}/{code}", f"{header}: {label}", f"{header}: {label}", chosen)
            for code, label in choices
        ]
        self.empty = [fmt.empty] * len(self.variables)

    def _flags(self, chosen: list[str]) -> list[CellValue]:
        yes, no = self.fmt.chosen, self.fmt.not_chosen
        return [yes if code in chosen else no for code in self.choice_names]

    def cells(self, answers: Mapping[str, Any]) -> list[CellValue]:
        value = answers.get(self.name)
        if value is None:
            return self.empty
        chosen = _as_list(value)
        return [self.fmt.text(" ".join(chosen)), *self._flags(chosen)]

    def labels(self, answers: Mapping[str, Any]) -> list[CellValue]:
        value = answers.get(self.name)
        if value is None:
            return self.empty
        chosen = _as_list(value)
        joined = "; ".join(self.maps.label_of.get(code, code) for code in chosen)
        return [self.fmt.text(joined), *self._flags(chosen)]


class _RankingBlock(_Block):
    def __init__(self, name: str, header: str, choices: Sequence[tuple[str, str]],
                 fmt: Format) -> None:
        super().__init__(name, fmt)
        self.maps = _ChoiceMaps(choices, fmt)
        self.places = len(choices)
        self.variables = [
            Variable(f"{name}/{place}", self._place(header, place), self._place(header, place),
                     tuple(choices))
            for place in range(1, self.places + 1)
        ]

    @staticmethod
    def _place(header: str, place: int) -> str:
        return _("%(question)s: place %(place)d") % {"question": header, "place": place}

    def _fill(self, cells: list[CellValue]) -> list[CellValue]:
        return cells + [self.fmt.empty] * (self.places - len(cells))

    def cells(self, answers: Mapping[str, Any]) -> list[CellValue]:
        ranked = _as_list(answers.get(self.name))[: self.places]
        return self._fill([self.maps.code(code) for code in ranked])

    def labels(self, answers: Mapping[str, Any]) -> list[CellValue]:
        ranked = _as_list(answers.get(self.name))[: self.places]
        return self._fill([self.maps.label(code) for code in ranked])


class _NumberBlock(_Block):
    def __init__(self, name: str, header: str, fmt: Format) -> None:
        super().__init__(name, fmt)
        self.variables = [Variable(name, header, header)]
        self.empty = [fmt.empty]

    def cells(self, answers: Mapping[str, Any]) -> list[CellValue]:
        value = answers.get(self.name)
        if value is None or value == "":
            return self.empty
        return [self.fmt.number(str(value))]


class _TextBlock(_Block):
    """Short and long texts, and the `<name>_other` texts."""

    def __init__(self, name: str, header: str, fmt: Format) -> None:
        super().__init__(name, fmt)
        self.variables = [Variable(name, header, header)]
        self.empty = [fmt.empty]

    def cells(self, answers: Mapping[str, Any]) -> list[CellValue]:
        value = answers.get(self.name)
        if value is None:
            return self.empty
        return [self.fmt.text(value if isinstance(value, str) else " ".join(_as_list(value)))]


def _other(question: Question, header: str, fmt: Format) -> _TextBlock:
    return _TextBlock(f"{question.name}_other",
                      _("%(question)s: other (specify)") % {"question": header}, fmt)


def _choices(definition: SurveyDefinition, question: Question,
             gminas: Sequence[Choice]) -> list[tuple[str, str]]:
    # The choices the form offers (the implicit "other" and the default lists included).
    return [(c.name, _text(c.label))
            for c in answers_module.choices_for(definition, question, gminas)]


def _blocks(survey: Survey, gminas: Sequence[Choice], fmt: Format) -> list[_Block]:
    definition = survey.questionnaire
    blocks: list[_Block] = []
    for question in definition.questions:
        header = _text(question.label) or question.name
        qtype = question.type
        if qtype == QuestionType.NOTE:
            continue
        if qtype == QuestionType.LIKERT_MATRIX:
            scale = _choices(definition, question, gminas)
            blocks += [_SingleBlock(item.name, f"{header}: {_text(item.label) or item.name}",
                                    scale, fmt) for item in question.items]
        elif qtype == QuestionType.MULTIPLE_CHOICE:
            blocks.append(_MultipleBlock(question.name, header,
                                         _choices(definition, question, gminas), fmt))
        elif qtype == QuestionType.RANKING:
            blocks.append(_RankingBlock(question.name, header,
                                        _choices(definition, question, gminas), fmt))
        elif qtype == QuestionType.NUMBER:
            blocks.append(_NumberBlock(question.name, header, fmt))
        elif qtype in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
            blocks.append(_TextBlock(question.name, header, fmt))
        else:  # single choice, Likert, gmina, age group, sex
            blocks.append(_SingleBlock(question.name, header,
                                       _choices(definition, question, gminas), fmt))
        if question.or_other and qtype in (QuestionType.SINGLE_CHOICE,
                                           QuestionType.MULTIPLE_CHOICE):
            blocks.append(_other(question, header, fmt))
    return blocks


def gmina_choices(survey: Survey) -> list[Choice]:
    """The partnership's gminas (TERYT code, name); a name two gminas share (a town and the
    rural gmina around it) gets the gmina type, so that labels stay unique."""
    rows = list(survey.partnership.units.filter(kind=UnitKind.GMINA).order_by("teryt")
                .values_list("teryt", "name", "gmina_type"))
    names = [name for _teryt, name, _kind in rows]
    kinds = dict(GminaType.choices)
    labels = [(teryt, f"{name} ({kinds.get(kind, kind)})" if names.count(name) > 1 and kind
               else name) for teryt, name, kind in rows]
    return [Choice(teryt, Text(label, label)) for teryt, label in labels]


class Layout:
    """The columns of one survey's export and how each response fills them in `fmt`."""

    def __init__(self, survey: Survey, gminas: Sequence[Choice], fmt: Format) -> None:
        self.fmt = fmt
        self.confidential = not survey.is_anonymous
        channels = {value: str(label) for value, label in Channel.choices}
        self.channel_codes = {value: fmt.text(value) for value in channels}
        self.channel_labels = {value: fmt.text(label) for value, label in channels.items()}
        fixed = [
            Variable("_id", _("Response number"), _("Response number")),
            Variable("_channel", _("How it was collected"), _("How it was collected"),
                     tuple(channels.items())),
            Variable("_submitted_on", _("Day submitted"), _("Day submitted")),
        ]
        if self.confidential:
            fixed.append(Variable("_submitted_at", _("Time submitted"), _("Time submitted")))
        self.blocks = _blocks(survey, gminas, fmt)
        # A row is mostly one-choice columns: those are looked up right in the row loop,
        # without a call per cell (the export of 100,000 responses is benchmarked).
        self.code_plan = [(b.name, b.maps.codes, b) if isinstance(b, _SingleBlock)
                          else (None, None, b) for b in self.blocks]
        self.label_plan = [(b.name, b.maps.labels, b) if isinstance(b, _SingleBlock)
                           else (None, None, b) for b in self.blocks]
        self.variables = fixed + [v for block in self.blocks for v in block.variables]
        # The query names only what may be exported: never the respondent.
        self.fields = ["id", "channel", "submitted_on"]
        self.fields += ["submitted_at", "answers"] if self.confidential else ["answers"]

    @classmethod
    def for_survey(cls, survey: Survey, fmt: Format) -> Layout:
        return cls(survey, gmina_choices(survey), fmt)

    def _fixed(self, row: Sequence[Any], channels: Mapping[str, CellValue]) -> list[CellValue]:
        fmt = self.fmt
        channel = channels.get(row[1])
        cells = [fmt.integer(row[0]), fmt.text(row[1]) if channel is None else channel,
                 fmt.day(row[2])]
        if self.confidential:
            cells.append(fmt.empty if row[3] is None else fmt.moment(row[3]))
        return cells

    def code_row(self, row: Sequence[Any]) -> list[CellValue]:
        return self._row(row, self.channel_codes, self.code_plan, labels=False)

    def label_row(self, row: Sequence[Any]) -> list[CellValue]:
        return self._row(row, self.channel_labels, self.label_plan, labels=True)

    def _row(self, row: Sequence[Any], channels: Mapping[str, CellValue],
             plan: list[tuple[Any, Any, _Block]], labels: bool) -> list[CellValue]:
        answers = row[-1] or {}
        cells = self._fixed(row, channels)
        get, append, empty = answers.get, cells.append, self.fmt.empty
        for name, choices, block in plan:
            if choices is None:
                cells += block.labels(answers) if labels else block.cells(answers)
                continue
            value = get(name)
            if value is None:
                append(empty)
                continue
            found = choices.get(value) if value.__class__ is str else None
            if found is None:  # not a listed code: the block's slower path
                cells += block.labels(answers) if labels else block.cells(answers)
            else:
                append(found)
        return cells

    def codebook(self) -> Iterator[list[str]]:
        """(variable, question, code, label) rows; a variable without codes gets one row."""
        for variable in self.variables:
            if not variable.codes:
                yield [variable.name, variable.question, "", ""]
            for code, label in variable.codes:
                yield [variable.name, variable.question, code, label]


def response_rows(survey: Survey, layout: Layout) -> Iterator[tuple[Any, ...]]:
    """The stored rows in response order, fetched in chunks so memory stays bounded."""
    return (Response.objects.filter(survey=survey).order_by("id")
            .values_list(*layout.fields).iterator(chunk_size=CHUNK_SIZE))


# ------------------------------------------------------------------------------- CSV


def csv_chunks(survey: Survey, *, labels: bool = False) -> Iterator[bytes]:
    """The CSV as UTF-8 pieces for a StreamingHttpResponse. The layout (and its queries) is
    built before the first piece, so a failure is an error page, not a truncated file."""
    fmt = CsvFormat()
    layout = Layout.for_survey(survey, fmt)
    if labels:
        header, make_row = [v.header for v in layout.variables], layout.label_row
    else:
        header, make_row = [v.name for v in layout.variables], layout.code_row
    header = [fmt.text(name) for name in header]
    return _csv_pieces(header, (make_row(row) for row in response_rows(survey, layout)))


def _csv_pieces(header: list[CellValue], rows: Iterable[list[CellValue]]) -> Iterator[bytes]:
    # Every cell is a finished field (CsvFormat), so a line is a plain join.
    lines = [BOM + CSV_DELIMITER.join(header)]  # type: ignore[arg-type]
    for row in rows:
        lines.append(CSV_DELIMITER.join(row))  # type: ignore[arg-type]
        if len(lines) >= CSV_ROWS_PER_CHUNK:
            yield ("\r\n".join(lines) + "\r\n").encode()
            lines = []
    if lines:
        yield ("\r\n".join(lines) + "\r\n").encode()


# ------------------------------------------------------------------------------ XLSX


def _xlsx_cells(sheet: Any) -> Callable[[Sequence[CellValue]], list[Any]]:
    from openpyxl.cell import WriteOnlyCell

    def cell(value: CellValue) -> Any:
        if isinstance(value, str) and value.startswith("="):
            # openpyxl would store a text starting with "=" as a formula; an explicit string
            # cell keeps an open answer a text that no spreadsheet runs (formula injection).
            # Other starts (+ - @) are already written as text cells, which Excel never runs.
            text = WriteOnlyCell(sheet, value=value)
            text.data_type = "s"
            return text
        return value

    return lambda row: [cell(value) for value in row]


def xlsx_file(survey: Survey) -> IO[bytes]:
    """The workbook in an anonymous temporary file, positioned at its start.

    openpyxl's write-only mode streams each sheet to its own temporary file, so neither the
    workbook nor the rows are held in memory; the caller closes (and so deletes) the file.
    """
    from openpyxl import Workbook

    fmt = XlsxFormat()
    layout = Layout.for_survey(survey, fmt)
    workbook = Workbook(write_only=True)
    codes = workbook.create_sheet(SHEET_CODES)
    labels = workbook.create_sheet(SHEET_LABELS)
    codebook = workbook.create_sheet(SHEET_CODEBOOK)
    for sheet in (codes, labels, codebook):
        sheet.freeze_panes = "A2"
    code_cells, label_cells, book_cells = (_xlsx_cells(s) for s in (codes, labels, codebook))
    codes.append([v.name for v in layout.variables])
    labels.append(label_cells([fmt.text(v.header) for v in layout.variables]))
    for row in response_rows(survey, layout):
        codes.append(code_cells(layout.code_row(row)))
        labels.append(label_cells(layout.label_row(row)))
    codebook.append(codebook_header())
    for entry in layout.codebook():
        codebook.append(book_cells([fmt.text(text) for text in entry]))
    output = tempfile.TemporaryFile()
    try:
        workbook.save(output)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def codebook_header() -> list[str]:
    # A context keeps these short words apart from the same words elsewhere (a code batch's
    # "label" is its name, not a value label).
    return [pgettext("codebook column", "variable"), pgettext("codebook column", "question"),
            pgettext("codebook column", "code"), pgettext("codebook column", "label")]


def file_name(survey: Survey, extension: str, *, labels: bool = False) -> str:
    """ASCII only (the slug is ASCII), so every browser and mail client keeps it intact."""
    suffix = "-etykiety" if labels else ""
    return f"ankieta-{survey.slug}-{timezone.localdate().isoformat()}{suffix}.{extension}"
