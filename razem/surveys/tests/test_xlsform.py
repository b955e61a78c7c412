from __future__ import annotations

import dataclasses
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from razem.surveys.definition import (
    AGE_GROUP_LIST,
    SEX_LIST,
    DefinitionError,
    QuestionType,
    Text,
    default_sexes,
    validate,
)
from razem.surveys.tests.xlsform_samples import (
    CHOICES,
    SETTINGS,
    docx_bytes,
    every_type_definition,
    form,
    workbook_bytes,
)
from razem.surveys.xlsform import MAX_ROWS, XlsFormError, read_xlsform, write_xlsform


def import_error(data: bytes) -> XlsFormError:
    with pytest.raises(XlsFormError) as caught:
        read_xlsform(data)
    return caught.value


def sheet_values(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    workbook = openpyxl.load_workbook(BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


# --- round trip --------------------------------------------------------------------------


def test_export_then_import_gives_the_same_survey_for_every_question_type():
    definition = every_type_definition()
    assert {q.type for q in definition.questions} == set(QuestionType)

    assert read_xlsform(write_xlsform(definition)) == definition


def test_english_as_default_language_survives_the_round_trip():
    base = every_type_definition()
    definition = dataclasses.replace(
        base, settings=dataclasses.replace(base.settings, default_language="en")
    )

    assert read_xlsform(write_xlsform(definition)) == definition


def test_writing_an_imported_sample_is_stable():
    sample = form(
        [
            ["select_one yes_no", "ok", "Czy dobrze?", "All right?", ""],
            ["text", "why", "Dlaczego?", "Why?", "${ok} = 'no'"],
        ],
    )
    once = write_xlsform(read_xlsform(sample))
    twice = write_xlsform(read_xlsform(once))

    assert sheet_values(once) == sheet_values(twice)
    assert read_xlsform(once) == read_xlsform(sample)


def test_polish_and_english_labels_are_preserved():
    definition = read_xlsform(form([["select_one yes_no", "ok", "Czy dobrze?", "All right?", ""]]))

    question = definition.questions[0]
    assert question.label == Text("Czy dobrze?", "All right?")
    assert definition.choice_lists["yes_no"][0].label == Text("tak", "yes")


def test_a_label_without_language_counts_as_the_default_language():
    sample = form([["integer", "n", "Ile?"]], header=["type", "name", "label"])

    assert read_xlsform(sample).questions[0].label == Text("Ile?", "")


words = st.text(
    alphabet=st.sampled_from("abcząęłńóśźżABCŁŻ0123456789 .,?!-=()'\"${}"),
    min_size=1,
    max_size=30,
).filter(lambda text: text == text.strip() and "${" not in text)


@settings(max_examples=25, deadline=None)
@given(pl=words, en=words | st.just(""))
def test_any_label_text_survives_the_round_trip(pl, en):
    base = every_type_definition()
    first = dataclasses.replace(base.questions[0], label=Text(pl, en))
    definition = dataclasses.replace(base, questions=(first, *base.questions[1:]))

    assert read_xlsform(write_xlsform(definition)).questions[0].label == Text(pl, en)


# --- type mapping ------------------------------------------------------------------------


def test_a_group_of_likert_rows_on_one_scale_becomes_a_likert_matrix():
    sample = form(
        [
            ["begin_group", "rate", "Oceń", "Rate", "field-list"],
            ["select_one yes_no", "rate_a", "A", "A", "likert"],
            ["select_one yes_no", "rate_b", "B", "B", "likert"],
            ["end_group", "", "", "", ""],
        ],
        header=["type", "name", "label::Polish (pl)", "label::English (en)", "appearance"],
    )

    matrix = read_xlsform(sample).questions[0]

    assert matrix.type == QuestionType.LIKERT_MATRIX
    assert [item.name for item in matrix.items] == ["rate_a", "rate_b"]
    assert matrix.choice_list == "yes_no"


def test_or_other_suffix_marks_other_specify():
    definition = read_xlsform(form([["select_multiple yes_no or_other", "q", "P", "Q", ""]]))

    assert definition.questions[0].type == QuestionType.MULTIPLE_CHOICE
    assert definition.questions[0].or_other


def test_multiline_text_is_a_long_text():
    sample = form(
        [["text", "t", "Opis", "", "multiline"]],
        header=["type", "name", "label::Polish (pl)", "label::English (en)", "appearance"],
    )

    assert read_xlsform(sample).questions[0].type == QuestionType.LONG_TEXT


def test_sex_without_choices_gets_the_default_list():
    definition = read_xlsform(form([["select_one razem_sex", "sex", "Płeć", "Sex", ""]]))

    assert definition.questions[0].type == QuestionType.SEX
    assert definition.choice_lists[SEX_LIST] == default_sexes()


def test_gmina_needs_no_choices_and_keeps_none():
    definition = read_xlsform(form([["select_one razem_gmina", "g", "Gmina", "", ""]]))

    assert definition.questions[0].type == QuestionType.GMINA
    assert "razem_gmina" not in definition.choice_lists


def test_odk_metadata_rows_are_skipped():
    definition = read_xlsform(
        form([["start", "start", "", "", ""], ["integer", "n", "Ile?", "", ""]])
    )

    assert [q.name for q in definition.questions] == ["n"]


def test_number_limits_are_read_from_razem_columns():
    sample = form(
        [["decimal", "km", "Km", "", "0,5", "12"]],
        header=["type", "name", "label", "hint", "razem_min", "razem_max"],
    )

    question = read_xlsform(sample).questions[0]
    assert (question.min_value, question.max_value) == (Decimal("0.5"), Decimal(12))


def test_age_group_uses_the_workbooks_own_list_when_given():
    choices = [*CHOICES, [AGE_GROUP_LIST, "young", "młodzi", "young"]]
    definition = read_xlsform(
        form([["select_one razem_age_group", "age", "Wiek", "", ""]], choices=choices)
    )

    assert [c.name for c in definition.choice_lists[AGE_GROUP_LIST]] == ["young"]


# --- import errors -----------------------------------------------------------------------


def test_missing_survey_sheet_is_named():
    error = import_error(workbook_bytes({"ankieta": [["type", "name"]], "choices": CHOICES}))

    assert error.sheet == "survey"
    assert "survey" in error.message


def test_missing_name_column_names_sheet_row_and_column():
    error = import_error(form([["integer", "Ile?"]], header=["type", "label"]))

    assert (error.sheet, error.row, error.column) == ("survey", 1, "name")
    assert "nie ma kolumny" in error.message


def test_unknown_type_names_its_row_and_the_type_column():
    error = import_error(
        form([["integer", "a", "A", "", ""], ["geopoint", "where", "Gdzie?", "", ""]])
    )

    assert (error.sheet, error.row, error.column) == ("survey", 3, "type")
    assert "geopoint" in error.message


def test_unknown_choice_list_names_its_row_and_the_type_column():
    error = import_error(form([["select_one colours", "c", "Kolor", "", ""]]))

    assert (error.sheet, error.row, error.column) == ("survey", 2, "type")
    assert "colours" in error.message


def test_duplicate_name_is_reported_at_the_second_row():
    error = import_error(form([["integer", "a", "A", "", ""], ["text", "a", "B", "", ""]]))

    assert (error.sheet, error.row, error.column) == ("survey", 3, "name")


def test_bad_relevant_syntax_names_the_relevant_column():
    error = import_error(form([["integer", "a", "A", "", ""], ["text", "b", "B", "", "${a} >"]]))

    assert (error.sheet, error.row, error.column) == ("survey", 3, "relevant")


def test_relevant_referring_to_a_later_question_is_refused():
    error = import_error(
        form([["integer", "a", "A", "", "${b} > 1"], ["integer", "b", "B", "", ""]])
    )

    assert (error.sheet, error.row, error.column) == ("survey", 2, "relevant")
    assert "późniejsze" in error.message


def test_every_problem_is_reported_not_only_the_first():
    error = import_error(form([["geopoint", "a", "A", "", ""], ["photo", "b", "B", "", ""]]))

    assert [problem.row for problem in error.problems] == [2, 3]


def test_an_error_pyxform_finds_is_located_too():
    sample = form(
        [["text", "a", "A", "", "max-length=5"]],
        header=["type", "name", "label", "hint", "parameters"],
    )

    error = import_error(sample)

    assert (error.sheet, error.row, error.column) == ("survey", 2, "parameters")


def test_a_non_yes_no_required_value_is_refused():
    sample = form([["integer", "a", "A", "maybe"]], header=["type", "name", "label", "required"])

    assert (import_error(sample).row, import_error(sample).column) == (2, "required")


def test_random_bytes_are_not_a_workbook():
    error = import_error(bytes(range(256)) * 4)

    assert error.sheet is None
    assert "nie jest skoroszytem" in error.message


def test_a_csv_renamed_xlsx_is_not_a_workbook():
    error = import_error(b"type,name,label\ninteger,a,A\n")

    assert "nie jest skoroszytem" in error.message


def test_a_word_document_is_named_as_such():
    assert "Word" in import_error(docx_bytes()).message


def test_an_old_xls_file_asks_for_xlsx():
    assert ".xlsx" in import_error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)).message


def test_a_workbook_over_the_row_limit_is_refused():
    rows = [["integer", f"q{n}", f"P{n}", "", ""] for n in range(MAX_ROWS + 1)]

    error = import_error(form(rows))

    assert (error.sheet, error.row) == ("survey", MAX_ROWS + 2)


def test_a_group_that_is_not_a_likert_matrix_is_refused():
    error = import_error(
        form(
            [
                ["begin_group", "g", "G", "", ""],
                ["integer", "a", "A", "", ""],
                ["end_group", "", "", "", ""],
            ]
        )
    )

    assert (error.row, error.column) == (3, "type")


def test_unknown_settings_language_falls_back_to_polish():
    settings_rows = [SETTINGS[0], ["Ankieta", "a", "1", "Deutsch (de)"]]

    assert (
        read_xlsform(
            form([["integer", "a", "A", "", ""]], settings=settings_rows)
        ).settings.default_language
        == "pl"
    )


# --- the definition on its own -----------------------------------------------------------


def test_definition_problems_are_listed_in_polish():
    base = every_type_definition()
    twin = dataclasses.replace(base.questions[1], name="intro")
    definition = dataclasses.replace(base, questions=(*base.questions, twin))

    with pytest.raises(DefinitionError) as caught:
        validate(definition)

    assert caught.value.messages == ["Nazwa intro jest użyta w więcej niż jednym pytaniu."]


def test_definition_refuses_relevant_on_a_later_question():
    base = every_type_definition()
    first = dataclasses.replace(base.questions[1], relevant="${job} = 'x'")
    definition = dataclasses.replace(base, questions=(first, *base.questions[2:]))

    with pytest.raises(DefinitionError) as caught:
        validate(definition)

    assert [(p.question, p.field) for p in caught.value.problems] == [("gmina", "relevant")]


def test_an_invalid_definition_is_not_exported():
    base = every_type_definition()
    definition = dataclasses.replace(base, choice_lists={})

    with pytest.raises(DefinitionError):
        write_xlsform(definition)


def test_a_label_in_a_language_we_do_not_keep_is_ignored():
    header = ["type", "name", "label::Polish (pl)", "label::Ukrainian (uk)"]

    definition = read_xlsform(form([["integer", "n", "Ile?", "Скільки?"]], header=header))

    assert definition.questions[0].label == Text("Ile?", "")


def test_a_label_inserting_an_answer_is_refused_with_its_column():
    sample = form([["integer", "a", "A", "", ""], ["integer", "b", "Ile razy ${a}?", "", ""]])

    error = import_error(sample)

    assert (error.row, error.column) == (3, "label::Polish (pl)")
