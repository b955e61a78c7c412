"""The BDL export parser: what it reads, and the located Polish error for each malformed file."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from razem.indicators import bdl_csv
from razem.indicators.bdl_csv import BdlCsvError, parse_bdl_csv, parse_value
from razem.indicators.models import Observation, Variable
from razem.indicators.tests.bdl_samples import HEADER, ROWS, export

DATASET = "ludnosc_ogol_przed_poprod"


def parse(data: bytes, dataset: str = DATASET) -> bdl_csv.BdlTable:
    return parse_bdl_csv(data, dataset=dataset)


def error_of(data: bytes) -> BdlCsvError:
    with pytest.raises(BdlCsvError) as caught:
        parse(data)
    return caught.value


# --- what is read ---------------------------------------------------------------------------


def test_header_cells_give_dimensions_year_and_unit():
    table = parse(export())

    assert [(c.dimensions, c.year, c.unit) for c in table.columns] == [
        (("ogółem", "ogółem"), 2018, "osoba"), (("ogółem", "ogółem"), 2019, "osoba")]
    assert table.years == [2018, 2019]


def test_columns_of_one_variable_share_its_code_and_name():
    table = parse(export())

    assert [v.code for v in table.variables] == ["ludnosc_ogol_przed_poprod|ogółem;ogółem|osoba"]
    assert table.variables[0].name == "ludnosc_ogol_przed_poprod: ogółem, ogółem [osoba]"
    assert {c.variable_code for c in table.columns} == {table.variables[0].code}


def test_year_is_the_last_four_digit_token_wherever_it_stands():
    header = '"Kod";"Nazwa";"ludność;2019;w wieku 1000;[osoba]";'
    column = parse(export('1410023;"Łosice (3)";1;', header=header)).columns[0]

    assert (column.dimensions, column.year) == (("ludność", "w wieku 1000"), 2019)


def test_rows_give_code_name_gmina_type_and_values():
    row = parse(export()).rows[0]

    assert (row.line, row.code, row.name, row.gmina_type) == (2, "1410023", "Łosice", "3")
    assert row.values == (Decimal(10837), Decimal(10787))


def test_name_without_type_suffix_has_no_gmina_type():
    row = parse(export('1410;"Powiat łosicki";1;2;')).rows[0]

    assert (row.name, row.gmina_type) == ("Powiat łosicki", None)


def test_powiat_and_voivodeship_codes_are_accepted():
    table = parse(export('14;"MAZOWIECKIE";1;2;', '1410;"łosicki";1;2;', '1410000;"x";1;2;'))

    assert [row.code for row in table.rows] == ["14", "1410", "1410000"]


@pytest.mark.parametrize("raw,expected", [
    ("10787", Decimal(10787)), ("3357,01", Decimal("3357.01")), ("-0,4", Decimal("-0.4")),
    ("1 234,5", Decimal("1234.5")), ("1\u00a0234\u00a0567", Decimal(1234567)),
    ("12\u202f345,25", Decimal("12345.25")), (" 7 ", Decimal(7)), ("0,0001", Decimal("0.0001")),
])
def test_numbers_are_read_with_decimal_comma_and_thousands_spaces(raw, expected):
    assert parse_value(raw) == expected


@pytest.mark.parametrize("raw", ["", "-", "  ", " - "])
def test_empty_and_dash_are_missing_values(raw):
    assert parse_value(raw) is None


def test_missing_values_are_none_with_the_missing_flag():
    row = parse(export('1410023;"Łosice (3)";-;;')).rows[0]

    assert row.values == (None, None)
    assert bdl_csv.flag_for(row.values[0]) == "missing"
    assert bdl_csv.flag_for(Decimal(1)) == ""


def test_byte_order_mark_is_accepted():
    assert parse(export(bom=True)).rows[0].code == "1410023"


def test_windows_line_ends_are_accepted():
    table = parse(export(newline="\r\n"))

    assert [row.line for row in table.rows] == [2, 3, 4]
    assert table.rows[-1].values == (Decimal(4701), Decimal(4668))


def test_file_without_trailing_semicolons_is_accepted():
    header = HEADER.rstrip(";")
    table = parse(export(*(row.rstrip(";") for row in ROWS), header=header))

    assert len(table.rows) == 3 and table.rows[0].values[1] == Decimal(10787)


def test_blank_lines_are_skipped():
    assert len(parse(export(ROWS[0], "", ROWS[1])).rows) == 2


# --- errors ---------------------------------------------------------------------------------


def test_truncated_row_names_its_line():
    error = error_of(export(ROWS[0], '1410012;"Huszlew (2)";2870;'))

    assert error.line == 3
    assert "Wiersz 3" in error.message and "ucięty" in error.message


def test_last_line_cut_inside_the_values_is_rejected():
    # The cut removed the closing ";": the field count alone would not show it.
    error = error_of(export(ROWS[0], '1410012;"Huszlew (2)";2870;28'))

    assert error.line == 3
    assert "nie kończy się" in error.message


def test_row_with_too_many_fields_is_rejected():
    error = error_of(export('1410023;"Łosice (3)";1;2;3;'))

    assert error.line == 2 and "za dużo średników" in error.message


@pytest.mark.parametrize("delimiter,word", [(",", "przecinkiem"), ("\t", "tabulatorem")])
def test_wrong_delimiter_is_named(delimiter, word):
    header = delimiter.join(['"Kod"', '"Nazwa"', '"ogółem;2019;[osoba]"'])
    data = export(f'1410023{delimiter}"Łosice (3)"{delimiter}10787', header=header)

    error = error_of(data)

    assert error.line == 1 and word in error.message


def test_comma_separated_rows_under_a_good_header_are_named():
    error = error_of(export('1410023,"Łosice (3)",10837,10787'))

    assert error.line == 2 and "przecinkiem" in error.message


def test_windows_1250_file_is_rejected_with_its_line_and_advice():
    error = error_of(export(encoding="cp1250"))

    assert error.line == 1  # "ó" of "ogółem" in the header
    assert "UTF-8" in error.message and "Windows-1250" in error.message


def test_encoding_error_names_the_line_of_the_bad_byte():
    data = export(ROWS[0], ROWS[1].encode().decode()).replace(b"Huszlew", b"Hu\xb3szlew")

    assert error_of(data).line == 3


@pytest.mark.parametrize("header", [
    '"Code";"Name";"ogółem;2019;[osoba]";',
    '"Nazwa";"Kod";"ogółem;2019;[osoba]";',
    '"ogółem;2019;[osoba]";',
])
def test_header_without_kod_and_nazwa_is_rejected(header):
    error = error_of(export('1410023;"Łosice (3)";1;', header=header))

    assert error.line == 1 and "„Kod” i „Nazwa”" in error.message


def test_header_without_data_columns_is_rejected():
    assert "brak kolumn z danymi" in error_of(export('1410023;"Łosice (3)";',
                                                     header='"Kod";"Nazwa";')).message


@pytest.mark.parametrize("cell,problem", [
    ("ogółem;[osoba]", "brak roku"),
    ("ogółem;2019", "brak jednostki"),
    ("ogółem;2019;[]", "brak jednostki"),
    ("ogółem;;2019;[osoba]", "pusta etykieta"),
    ("ogółem|razem;2019;[osoba]", "|"),
])
def test_header_cell_without_year_or_unit_names_the_column(cell, problem):
    error = error_of(export('1410023;"Łosice (3)";1;', header=f'"Kod";"Nazwa";"{cell}";'))

    assert error.line == 1 and error.column == cell
    assert "kolumna 3" in error.message and problem in error.message


def test_repeated_header_column_is_rejected():
    header = '"Kod";"Nazwa";"ogółem;2019;[osoba]";"ogółem;2019;[osoba]";'

    error = error_of(export('1410023;"Łosice (3)";1;1;', header=header))

    assert "kolumnie 3" in error.message and error.column == "ogółem;2019;[osoba]"


@pytest.mark.parametrize("code", ["141002A", "141002", "14100233", "", "1410 23", "１４"])
def test_code_must_be_a_teryt_code(code):
    error = error_of(export(f'{code};"Łosice (3)";1;2;'))

    assert (error.line, error.column) == (2, "Kod") and "kodu TERYT" in error.message


def test_repeated_code_names_both_lines():
    error = error_of(export(ROWS[0], ROWS[1], ROWS[0]))

    assert error.line == 4 and "wierszu 2" in error.message


def test_empty_name_is_rejected():
    error = error_of(export('1410023;"";1;2;'))

    assert (error.line, error.column) == (2, "Nazwa")


@pytest.mark.parametrize("raw", ["12,3,4", "abc", "1,2.3", "+5", "12 34", "1e5", "0x10", "−5"])
def test_value_that_is_not_a_number_names_line_and_column(raw):
    error = error_of(export(ROWS[0], f'1410012;"Huszlew (2)";2870;{raw};'))

    assert (error.line, error.column) == (3, "ogółem;ogółem;2019;[osoba]")
    assert "Wiersz 3, kolumna 4" in error.message and "nie jest liczbą" in error.message


@pytest.mark.parametrize("raw", ["12.5", "1.234"])
def test_decimal_dot_is_rejected_as_ambiguous(raw):
    error = error_of(export(f'1410023;"Łosice (3)";1;{raw};'))

    assert "kropkę" in error.message and error.column == "ogółem;ogółem;2019;[osoba]"


def test_values_beyond_the_stored_precision_are_rejected():
    assert "miejsc po przecinku" in error_of(export('1410023;"Łosice (3)";1;0,12345;')).message
    assert "za duża" in error_of(export('1410023;"Łosice (3)";1;12345678901234567;')).message


def test_every_bad_row_is_reported_at_once():
    error = error_of(export('1410023;"Łosice (3)";x;1;', ROWS[1], '1410032;"Olszanka (2)";1;'))

    assert [problem.line for problem in error.errors] == [2, 4]
    assert (error.line, error.message) == (2, error.errors[0].message)


def test_reported_errors_are_capped():
    rows = [f'14100{i:02d};"X (2)";a;1;' for i in range(10, 60)]

    assert len(error_of(export(*rows)).errors) == bdl_csv.MAX_ERRORS


def test_broken_quoting_is_a_located_error():
    error = error_of(export(ROWS[0], '1410012;"Huszlew" (2)";1;2;'))

    assert error.line == 3 and "cudzysłowy" in error.message


@pytest.mark.parametrize("data", [b"", b"\n\n", "\ufeff".encode()])
def test_empty_file_is_rejected(data):
    assert "pusty" in error_of(data).message


def test_header_without_rows_is_rejected():
    assert "brak wierszy" in error_of((HEADER + "\n").encode()).message


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("data,kind", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (_docx_bytes(), "ZIP"),
    (b"%PDF-1.7\n", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "XLS"),
])
def test_other_file_types_are_named(data, kind):
    error = error_of(data)

    assert "nie jest plikiem CSV" in error.message and kind in error.message


def test_utf16_file_is_rejected_with_advice():
    data = "\ufeff".encode("utf-16-le") + export().decode().encode("utf-16-le")

    assert "UTF-16" in error_of(b"\xff\xfe" + data[2:]).message


def test_binary_data_is_rejected():
    assert "binarne" in error_of(export() + b"\x00\x01").message


def test_invalid_dataset_name_is_rejected():
    with pytest.raises(BdlCsvError, match="zbioru danych"):
        parse(export(), dataset="ludność|2019")


def test_variable_code_too_long_for_the_database_is_rejected():
    header = f'"Kod";"Nazwa";"{"x" * 290};2019;[osoba]";'

    assert "kod zmiennej" in error_of(export('1410023;"Łosice (3)";1;', header=header)).message


# --- names and limits shared with the models -------------------------------------------------


@pytest.mark.parametrize("file_name,dataset", [
    ("ludnosc_2016-2019.csv", "ludnosc"), ("wodkangaz18.csv", "wodkangaz"),
    ("Mój eksport (2).CSV", "mój_eksport"), ("2019.csv", "2019"), ("(1).csv", "dane"),
])
def test_default_dataset_comes_from_the_file_name(file_name, dataset):
    assert bdl_csv.default_dataset(file_name) == dataset


def test_parser_limits_match_the_columns_values_are_stored_in():
    value = Observation._meta.get_field("value")

    assert value.decimal_places == bdl_csv.MAX_DECIMAL_PLACES
    assert value.max_digits - value.decimal_places == bdl_csv.MAX_INTEGER_DIGITS
    assert Variable._meta.get_field("code").max_length == bdl_csv.MAX_CODE_LENGTH
    assert Variable._meta.get_field("measure_unit").max_length == bdl_csv.MAX_UNIT_LENGTH
    assert Variable._meta.get_field("name").max_length == bdl_csv.MAX_NAME_LENGTH
