"""Parser of GUS BDL web exports ("Tablica" CSV): bytes in, a table or a located error out.

Pure (no ORM), so the command, the upload page and the property tests share it.
The format, as the Local Data Bank writes it::

    "Kod";"Nazwa";"ogółem;ogółem;2019;[osoba]";...;
    1410023;"Łosice (3)";10787;...;

Every line ends with `;`; a header cell holds the dimension labels, the year and
the unit in brackets; values use a decimal comma and are empty or `-` when
missing; names end with the gmina type digit. Validation reads the whole file
and collects row-level problems, so a coordinator sees every bad line at once
and nothing is imported from a file with any.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

from django.utils.translation import gettext as _

from razem.indicators.naming import dataset_from_filename, variable_code

MISSING = "missing"
# Limits of the columns the values land in (Observation.value, Variable.code and
# .measure_unit); checked here so a file that cannot be stored fails validation
# instead of failing half-way through writing.
MAX_DECIMAL_PLACES = 4
MAX_INTEGER_DIGITS = 16
MAX_CODE_LENGTH = 300
MAX_UNIT_LENGTH = 40
MAX_NAME_LENGTH = 300
MAX_DATASET_LENGTH = 100
# Enough to see the pattern of a systematic problem without drowning the page.
MAX_ERRORS = 20
TERYT_LENGTHS = (2, 4, 7)

_DATASET = re.compile(r"[\w.-]+")
_YEAR = re.compile(r"[0-9]{4}")
_UNIT = re.compile(r"\[(.*)\]", re.DOTALL)
_GMINA_TYPE = re.compile(r"(.*?)\s*\(([0-9])\)", re.DOTALL)
_SPACES = "[ \u00a0\u202f]"  # space, no-break space, narrow no-break space
_NUMBER = re.compile(rf"-?(?:[0-9]{{1,3}}(?:{_SPACES}[0-9]{{3}})+|[0-9]+)(?:,[0-9]+)?")
# Files people upload instead of the CSV export, told apart by their first bytes.
_SIGNATURES = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP (XLSX, DOCX, ODS)"),
    (b"\xd0\xcf\x11\xe0", "XLS/DOC"),
)


class BdlCsvError(ValueError):
    """The export cannot be imported; the message says where and why (in Polish).

    `errors` lists every problem found (the first is this one), at most MAX_ERRORS.
    """

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None,
                 errors: list[BdlCsvError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.errors: list[BdlCsvError] = errors or [self]


@dataclass(frozen=True)
class BdlColumn:
    header: str
    dimensions: tuple[str, ...]
    year: int
    unit: str
    variable_code: str


@dataclass(frozen=True)
class BdlVariable:
    code: str
    name: str
    dimensions: tuple[str, ...]
    unit: str


@dataclass(frozen=True)
class BdlRow:
    line: int
    code: str
    name: str
    gmina_type: str | None
    # One per column; None is a missing value ("-" or empty), stored with flag MISSING.
    values: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class BdlTable:
    dataset: str
    columns: tuple[BdlColumn, ...]
    rows: tuple[BdlRow, ...]
    variables: tuple[BdlVariable, ...]

    @property
    def years(self) -> list[int]:
        return sorted({column.year for column in self.columns})

    @property
    def cell_count(self) -> int:
        return len(self.rows) * len(self.columns)


def flag_for(value: Decimal | None) -> str:
    return MISSING if value is None else ""


def default_dataset(file_name: str) -> str:
    """The dataset of an uploaded file: its stem without the years, safe as a code part."""
    # Browsers save a second download of "ludnosc.csv" as "ludnosc (1).csv".
    stem = re.sub(r"\s*\([0-9]+\)$", "", Path(file_name).stem)
    name = dataset_from_filename(stem)
    name = re.sub(r"[^\w.-]+", "_", name).strip("_.-")[:MAX_DATASET_LENGTH]
    return name or "dane"


def check_dataset(dataset: str) -> None:
    # The dataset is the first part of every variable code `dataset|dims|unit`.
    if not (_DATASET.fullmatch(dataset) and len(dataset) <= MAX_DATASET_LENGTH):
        raise BdlCsvError(
            _("Invalid dataset name %(name)s: use up to %(max)d letters, digits, “_”, “-” or "
              "“.”, without spaces.") % {"name": repr(dataset), "max": MAX_DATASET_LENGTH}
        )


def parse_bdl_csv(data: bytes, *, dataset: str) -> BdlTable:
    """The table of a BDL export; raises BdlCsvError naming the line and column."""
    check_dataset(dataset)
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"',
                        strict=True)
    parser = _Parser(dataset)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise BdlCsvError(_("The file is empty."), line=1)
        parser.read_header(header, text)
        for record in reader:
            parser.read_row(reader.line_num, record)
            if len(parser.errors) >= MAX_ERRORS:
                break
    except csv.Error as error:
        if not parser.columns and (wrong := _delimiter_error(_first_line(text))):
            parser.fail(wrong)  # a comma-separated header trips the quoting first
        parser.fail(BdlCsvError(
            _("Line %(line)d: the CSV structure is broken (%(error)s) — check the quotation "
              "marks.") % {"line": reader.line_num, "error": error}, line=reader.line_num,
        ))
    return parser.table()


def _decode(data: bytes) -> str:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise BdlCsvError(
                _("This is not a CSV file but a %(kind)s file. Download the table from the "
                  "Local Data Bank as CSV.") % {"kind": kind}, line=1,
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BdlCsvError(_("Line 1: the file is saved as UTF-16. Save it again as UTF-8."),
                          line=1)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise BdlCsvError(
            _("Line %(line)d: the file contains binary data (a zero byte), so it is not a CSV "
              "text file.") % {"line": line}, line=line,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        if error.end >= len(data) and error.reason == "unexpected end of data":
            raise BdlCsvError(
                _("Line %(line)d: the file ends in the middle of a character — it is "
                  "incomplete.") % {"line": line}, line=line,
            ) from None
        raise BdlCsvError(
            _("Line %(line)d: the file is not encoded in UTF-8 (invalid byte 0x%(byte)02X, "
              "perhaps Windows-1250). Save it again as UTF-8.")
            % {"line": line, "byte": data[error.start]}, line=line,
        ) from None


def _first_line(text: str) -> str:
    return re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]


def _delimiter_error(line: str) -> BdlCsvError | None:
    """An error naming the separator when the header is split by commas or tabs."""
    for delimiter, label in ((",", _("a comma")), ("\t", _("a tab"))):
        cells = next(csv.reader([line], delimiter=delimiter), [])
        if ([c.strip().lower() for c in cells[:2]] == ["kod", "nazwa"]
                or (";" not in line and delimiter in line)):
            return BdlCsvError(
                _("Line 1: the columns are separated by %(delimiter)s instead of a "
                  "semicolon. Export the table from the Local Data Bank again as CSV, or "
                  "save it with “;” as the separator.") % {"delimiter": label}, line=1,
            )
    return None


def _quoted(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"„{text}”"


@dataclass
class _Parser:
    dataset: str
    columns: list[BdlColumn] = field(default_factory=list)
    rows: list[BdlRow] = field(default_factory=list)
    errors: list[BdlCsvError] = field(default_factory=list)
    trailing: bool = False
    first_seen: dict[str, int] = field(default_factory=dict)

    def fail(self, error: BdlCsvError) -> NoReturn:
        self.errors.append(error)
        raise self._combined()

    def _combined(self) -> BdlCsvError:
        first = self.errors[0]
        return BdlCsvError(first.message, line=first.line, column=first.column,
                           errors=self.errors[:MAX_ERRORS])

    # --- header --------------------------------------------------------------------------

    def read_header(self, header: list[str], text: str) -> None:
        cells = [cell.strip() for cell in header]
        if [c.lower() for c in cells[:2]] != ["kod", "nazwa"]:
            self.fail(self._header_error(_first_line(text)))
        # Real exports end every line with ";", which reads as one more, empty cell.
        self.trailing = len(cells) > 2 and cells[-1] == ""
        if self.trailing:
            cells.pop()
        if len(cells) < 3:
            self.fail(BdlCsvError(_("Line 1: the header has no data columns after "
                                    "“Kod” and “Nazwa”."), line=1))
        seen: dict[tuple[str, int], int] = {}
        for number, cell in enumerate(cells[2:], start=3):
            column = self._column(number, cell)
            key = (column.variable_code, column.year)
            if key in seen:
                self.fail(BdlCsvError(
                    _("Line 1, column %(number)d (%(header)s): the same variable and year as in "
                      "column %(first)d.")
                    % {"number": number, "header": _quoted(cell), "first": seen[key]},
                    line=1, column=cell,
                ))
            seen[key] = number
            self.columns.append(column)

    def _header_error(self, line: str) -> BdlCsvError:
        return _delimiter_error(line) or BdlCsvError(
            _("Line 1: the header must begin with the columns “Kod” and “Nazwa” (found "
              "%(found)s). Is this a table exported from the Local Data Bank?")
            % {"found": _quoted(line)}, line=1,
        )

    def _column(self, number: int, cell: str) -> BdlColumn:
        def error(problem: str) -> BdlCsvError:
            return BdlCsvError(
                _("Line 1, column %(number)d (%(header)s): %(problem)s")
                % {"number": number, "header": _quoted(cell), "problem": problem},
                line=1, column=cell,
            )

        if not cell:
            self.fail(error(_("the column has no header.")))
        tokens = [token.strip() for token in cell.split(";")]
        unit = _UNIT.fullmatch(tokens[-1])
        if unit is None or not unit.group(1).strip():
            self.fail(error(_("no unit in brackets at the end, e.g. “[osoba]”.")))
        years = [i for i, token in enumerate(tokens[:-1]) if _YEAR.fullmatch(token)]
        if not years:
            self.fail(error(_("no year (four digits) before the unit.")))
        dimensions = tuple(token for i, token in enumerate(tokens[:-1]) if i != years[-1])
        if any(not token for token in dimensions):
            self.fail(error(_("an empty dimension label (two semicolons in a row).")))
        unit_text = unit.group(1).strip()
        if any("|" in token for token in (*dimensions, unit_text)):
            self.fail(error(_("the character “|” is not allowed in labels.")))
        if len(unit_text) > MAX_UNIT_LENGTH:
            self.fail(error(_("the unit is longer than %(max)d characters.")
                            % {"max": MAX_UNIT_LENGTH}))
        code = variable_code(self.dataset, list(dimensions), unit_text)
        if len(code) > MAX_CODE_LENGTH:
            self.fail(error(_("the labels are too long (the variable code would exceed "
                              "%(max)d characters).") % {"max": MAX_CODE_LENGTH}))
        return BdlColumn(header=cell, dimensions=dimensions, year=int(tokens[years[-1]]),
                         unit=unit_text, variable_code=code)

    # --- rows ----------------------------------------------------------------------------

    def read_row(self, line: int, record: list[str]) -> None:
        if not record or (len(record) == 1 and not record[0].strip()):
            return  # blank lines (typically the last one) carry nothing
        try:
            self.rows.append(self._row(line, record))
        except BdlCsvError as error:
            self.errors.append(error)

    def _row(self, line: int, record: list[str]) -> BdlRow:
        expected = 2 + len(self.columns)
        has_trailing = len(record) == expected + 1 and not record[-1].strip()
        if has_trailing:
            record = record[:-1]
        elif len(record) == expected and self.trailing:
            raise BdlCsvError(
                _("Line %(line)d: the line does not end with “;” like the header — it may be "
                  "cut off.") % {"line": line}, line=line,
            )
        if len(record) != expected:
            raise self._count_error(line, record, expected)
        code, name = record[0].strip(), record[1].strip()
        self._check_code(line, code)
        if not name:
            raise BdlCsvError(_("Line %(line)d, column Nazwa: the name is empty.")
                              % {"line": line}, line=line, column="Nazwa")
        gmina_type = None
        if found := _GMINA_TYPE.fullmatch(name):
            name, gmina_type = found.group(1), found.group(2)
        values = tuple(self._value(line, number, column, raw)
                       for number, (column, raw) in enumerate(zip(self.columns, record[2:],
                                                                  strict=True), start=3))
        return BdlRow(line=line, code=code, name=name[:MAX_NAME_LENGTH],
                      gmina_type=gmina_type, values=values)

    def _count_error(self, line: int, record: list[str], expected: int) -> BdlCsvError:
        if len(record) == 1 and ("," in record[0] or "\t" in record[0]):
            message = _("Line %(line)d: the values are separated by a comma or a tab instead of "
                        "a semicolon.")
        elif len(record) < expected:
            message = _("Line %(line)d: %(count)d columns instead of %(expected)d — the line is "
                        "cut off or the file is incomplete.")
        else:
            message = _("Line %(line)d: %(count)d columns instead of %(expected)d — too many "
                        "semicolons in the line.")
        return BdlCsvError(message % {"line": line, "count": len(record), "expected": expected},
                           line=line)

    def _check_code(self, line: int, code: str) -> None:
        if not (code.isascii() and code.isdigit() and len(code) in TERYT_LENGTHS):
            raise BdlCsvError(
                _("Line %(line)d, column Kod: invalid code %(code)s — expected a TERYT code of "
                  "7 digits (gmina), 4 (powiat) or 2 (voivodeship).")
                % {"line": line, "code": _quoted(code, 20)}, line=line, column="Kod",
            )
        if code in self.first_seen:
            raise BdlCsvError(
                _("Line %(line)d, column Kod: the code %(code)s repeats (first in line "
                  "%(first)d).") % {"line": line, "code": code, "first": self.first_seen[code]},
                line=line, column="Kod",
            )
        self.first_seen[code] = line

    def _value(self, line: int, number: int, column: BdlColumn, raw: str) -> Decimal | None:
        try:
            return parse_value(raw)
        except ValueError as problem:
            raise BdlCsvError(
                _("Line %(line)d, column %(number)d (%(header)s): %(problem)s")
                % {"line": line, "number": number, "header": _quoted(column.header),
                   "problem": problem},
                line=line, column=column.header,
            ) from None

    # --- result --------------------------------------------------------------------------

    def table(self) -> BdlTable:
        if self.errors:
            raise self._combined()
        if not self.rows:
            raise BdlCsvError(_("The file has a header but no data rows."), line=2)
        return BdlTable(dataset=self.dataset, columns=tuple(self.columns),
                        rows=tuple(self.rows), variables=_variables(self.dataset, self.columns))


def parse_value(raw: str) -> Decimal | None:
    """A BDL value: "1 234,5" → 1234.5; "-" or "" → None; ValueError (Polish) otherwise."""
    text = raw.strip()
    if text in ("", "-"):
        return None
    if not _NUMBER.fullmatch(text):
        if "." in text and _NUMBER.fullmatch(text.replace(".", ",", 1)):
            raise ValueError(_("%(value)s uses a dot; write decimals with a comma, as the Local "
                               "Data Bank does (e.g. 12,5).") % {"value": _quoted(text, 20)})
        raise ValueError(_("%(value)s is not a number (expected e.g. 1234, 12,5 or “-” for no "
                           "data).") % {"value": _quoted(text, 20)})
    number = Decimal(re.sub(_SPACES, "", text).replace(",", "."))
    whole, _sep, fraction = text.partition(",")
    if len(fraction) > MAX_DECIMAL_PLACES:
        raise ValueError(_("%(value)s has more than %(max)d decimal places.")
                         % {"value": _quoted(text, 20), "max": MAX_DECIMAL_PLACES})
    if len(re.sub(rf"-|{_SPACES}", "", whole).lstrip("0")) > MAX_INTEGER_DIGITS:
        raise ValueError(_("%(value)s is too large (more than %(max)d digits before the "
                           "decimal comma).") % {"value": _quoted(text, 20),
                                                 "max": MAX_INTEGER_DIGITS})
    return number


def _variables(dataset: str, columns: list[BdlColumn]) -> tuple[BdlVariable, ...]:
    found: dict[str, BdlVariable] = {}
    for column in columns:
        if column.variable_code not in found:
            label = ", ".join(column.dimensions)
            name = f"{dataset}: {label} [{column.unit}]" if label else f"{dataset} [{column.unit}]"
            found[column.variable_code] = BdlVariable(
                code=column.variable_code, name=name[:MAX_NAME_LENGTH],
                dimensions=column.dimensions, unit=column.unit,
            )
    return tuple(found.values())
