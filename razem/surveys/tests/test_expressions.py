"""Skip logic and constraints: the issue's examples, the comparison rules, the errors."""

from __future__ import annotations

import math

import pytest

from razem.surveys.expressions import (
    Binary,
    Call,
    Current,
    ExpressionError,
    Neg,
    Number,
    Ref,
    String,
    check_references,
    evaluate,
    is_relevant,
    parse,
    satisfies,
    to_xpath,
)

QUESTIONS = ["age", "gmina", "transport", "satisfaction", "leave", "reason"]


def relevant(text: str, **answers: object) -> bool:
    return is_relevant(text, answers)  # type: ignore[arg-type]


# --- parsing ----------------------------------------------------------------------------


def test_parse_builds_the_tree_with_xpath_precedence() -> None:
    assert parse("${a} = 1 or ${b} > 2 and not(.)") == Binary(
        "or",
        Binary("=", Ref("a"), Number(1.0)),
        Binary("and", Binary(">", Ref("b"), Number(2.0)), Call("not", (Current(),))),
    )


def test_binary_operators_are_left_associative() -> None:
    assert parse("10 - 4 - 3") == Binary("-", Binary("-", Number(10), Number(4)), Number(3))


def test_minus_before_a_number_is_negation_not_a_negative_literal() -> None:
    assert parse("-5") == Neg(Number(5.0))


def test_both_quote_styles_make_strings() -> None:
    assert parse("'it\"s'") == String('it"s')
    assert parse('"it\'s"') == String("it's")


def test_references_lists_every_named_question() -> None:
    expr = parse("selected(${transport}, 'bus') and ${age} >= 18 or count-selected(${transport}) > 2")
    assert expr.references() == {"transport", "age"}


def test_current_answer_is_not_a_reference() -> None:
    assert parse(". > 0 and . < 120").references() == set()


def test_to_xpath_writes_canonical_text_with_only_needed_brackets() -> None:
    expr = parse("((${a}))-(${b}-1)  div  2 mod (3)")
    assert to_xpath(expr) == "${a} - (${b} - 1) div 2 mod 3"


def test_to_xpath_keeps_brackets_that_change_the_meaning() -> None:
    assert to_xpath(parse("(${a} = 1 or ${b} = 2) and -(1 + 2) < 0")) == (
        "(${a} = 1 or ${b} = 2) and -(1 + 2) < 0"
    )


# --- the skip logic over earlier answers ------------------------------------------


def test_empty_relevant_always_shows_the_question() -> None:
    assert relevant("") is True
    assert relevant("   ") is True


def test_numeric_comparison_of_an_earlier_answer() -> None:
    assert relevant("${age} >= 18", age="18") is True
    assert relevant("${age} >= 18", age="17") is False


def test_numbers_compare_as_numbers_not_text() -> None:
    # As text "9" > "10"; skip logic must compare ages and counts as numbers.
    assert relevant("${age} < 10", age="9") is True
    assert relevant("${age} = 18", age="18.0") is True


def test_text_answers_compare_as_text() -> None:
    assert relevant("${gmina} = 'Łosice'", gmina="Łosice") is True
    assert relevant("${gmina} != 'Łosice'", gmina="Sarnaki") is True


def test_selected_checks_membership_in_a_multiple_choice_list() -> None:
    assert relevant("selected(${transport}, 'bus')", transport=["car", "bus"]) is True
    assert relevant("selected(${transport}, 'bus')", transport=["car"]) is False


def test_selected_reads_the_space_separated_form_odk_stores() -> None:
    assert relevant("selected(${transport}, 'bus')", transport="car bus") is True


def test_selected_does_not_match_part_of_a_choice_name() -> None:
    assert relevant("selected(${transport}, 'bus')", transport=["minibus"]) is False


def test_and_or_not_combine_earlier_answers() -> None:
    text = "${leave} = 'yes' and (${age} < 30 or not(selected(${transport}, 'car')))"
    assert relevant(text, leave="yes", age="45", transport=["bus"]) is True
    assert relevant(text, leave="yes", age="45", transport=["car"]) is False
    assert relevant(text, leave="no", age="20", transport=[]) is False


def test_count_selected_counts_the_choices() -> None:
    assert relevant("count-selected(${transport}) >= 2", transport=["car", "bus"]) is True
    assert relevant("count-selected(${transport}) >= 2", transport=None) is False


# --- the rules for unanswered questions -------------------------------------------------


def test_unanswered_question_compared_with_a_number_is_false() -> None:
    assert relevant("${age} > 18") is False
    assert relevant("${age} < 18") is False
    assert relevant("${age} = 0") is False


def test_unanswered_question_is_not_equal_to_a_number() -> None:
    assert relevant("${age} != 18", age=None) is True


def test_unanswered_question_equals_the_empty_string() -> None:
    assert relevant("${reason} = ''") is True
    assert relevant("${reason} != ''", reason="") is False


def test_text_against_a_number_is_never_equal_nor_ordered() -> None:
    assert relevant("${gmina} = 5", gmina="Łosice") is False
    assert relevant("${gmina} > 5", gmina="Łosice") is False
    assert relevant("${gmina} != 5", gmina="Łosice") is True


def test_arithmetic_on_an_unanswered_question_is_nan() -> None:
    result = evaluate(parse("${age} + 1"), {})
    assert isinstance(result, float) and math.isnan(result)


def test_division_by_zero_gives_infinity_not_an_error() -> None:
    assert evaluate(parse("1 div 0"), {}) == float("inf")
    assert evaluate(parse("-1 div 0"), {}) == float("-inf")


def test_mod_keeps_the_sign_of_the_dividend() -> None:
    assert evaluate(parse("-5 mod 3"), {}) == -2.0
    assert evaluate(parse("5 mod -3"), {}) == 2.0


def test_booleans_compare_as_booleans() -> None:
    assert relevant("(${a} > 1) = (${b} > 1)", a="2", b="3") is True
    assert relevant("(${a} > 1) = 'yes'", a="2") is True  # non-empty text is true


# --- constraints on the current answer ---------------------------------------------------


def test_constraint_reads_the_current_answer_as_dot() -> None:
    assert satisfies(". >= 0 and . <= 120", {}, "42") is True
    assert satisfies(". >= 0 and . <= 120", {}, "130") is False


def test_constraint_may_compare_with_an_earlier_answer() -> None:
    assert satisfies(". <= ${age}", {"age": "40"}, "12") is True


def test_string_length_limits_a_text_answer() -> None:
    assert satisfies("string-length(.) <= 5", {}, "Łosie") is True
    assert satisfies("string-length(.) <= 5", {}, "Łosice") is False


def test_regex_must_match_the_whole_answer() -> None:
    assert satisfies("regex(., '[0-9]{2}-[0-9]{3}')", {}, "08-200") is True
    assert satisfies("regex(., '[0-9]{2}-[0-9]{3}')", {}, "08-2000") is False


def test_empty_constraint_accepts_anything() -> None:
    assert satisfies("", {}, "anything") is True


def test_regex_with_a_pattern_from_an_answer_that_is_unsafe_does_not_match() -> None:
    assert satisfies("regex(., ${pattern})", {"pattern": "(a+)+b"}, "aaaa") is False
    assert satisfies("regex(., ${pattern})", {"pattern": "(unclosed"}, "x") is False


# --- errors --------------------------------------------------------------------------------


def error_of(text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    return caught.value


def test_missing_operand_names_the_position_and_what_was_expected() -> None:
    error = error_of("${age} >= ")
    assert error.position == 10  # just after the last character written
    assert error.message == (
        "Pozycja 10: oczekiwano wartości (liczby, tekstu w cudzysłowie, ${name}, . lub funkcji), "
        "a jest koniec wyrażenia"
    )


def test_two_values_without_an_operator_point_at_the_second() -> None:
    error = error_of("${age} 18")
    assert error.position == 8
    assert "oczekiwano operatora lub końca wyrażenia, a jest „18”" in error.message


def test_unclosed_bracket_is_reported_at_the_end() -> None:
    error = error_of("(${a} = 1")
    assert error.position == 10
    assert "nawiasu zamykającego" in error.message


def test_unclosed_string_is_reported_where_it_starts() -> None:
    error = error_of("${gmina} = 'Łosice")
    assert error.position == 12
    assert "tekst w cudzysłowie nie jest zamknięty" in error.message


def test_unclosed_reference_is_reported_where_it_starts() -> None:
    error = error_of("${age > 3")
    assert error.position == 1
    assert "odwołanie ${…}" in error.message


def test_unknown_function_is_named_with_the_available_ones() -> None:
    error = error_of("${a} = 1 and today() > 3")
    assert error.position == 14
    assert "nieznana funkcja today()" in error.message
    assert "selected()" in error.message


def test_wrong_number_of_arguments_is_reported() -> None:
    error = error_of("selected(${transport})")
    assert error.message == "Pozycja 1: funkcja selected() przyjmuje argumentów: 2, podano: 1"


def test_bare_word_is_not_a_value() -> None:
    assert error_of("${a} = yes").position == 8


def test_xpath_paths_are_not_supported() -> None:
    assert error_of("/data/age > 3").position == 1


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    assert "zbyt głęboko" in error_of("(" * 5000 + "1" + ")" * 5000).message


def test_very_long_chain_is_refused_without_recursion_error() -> None:
    assert "za długie" in error_of(" or ".join(["${a} = 1"] * 5000)).message


def test_regex_pattern_over_200_characters_is_refused() -> None:
    error = error_of("regex(., '" + "a" * 201 + "')")
    assert "dłuższe niż 200 znaków" in error.message


def test_regex_with_nested_repetition_is_refused() -> None:
    assert "powtarza fragment" in error_of("regex(., '(a+)+b')").message


def test_invalid_regex_is_refused_at_parse_time() -> None:
    assert "nieprawidłowe wyrażenie regularne" in error_of("regex(., '(abc')").message


def test_reference_to_a_later_question_is_refused() -> None:
    with pytest.raises(ExpressionError) as caught:
        check_references(parse("${age} > 18 and ${leave} = 'yes'"), QUESTIONS, "transport")
    assert caught.value.position == 17
    assert caught.value.message == (
        "Pozycja 17: ${leave} odwołuje się do późniejszego pytania; "
        "można używać tylko odpowiedzi na wcześniejsze pytania"
    )


def test_reference_to_an_unknown_question_is_refused() -> None:
    with pytest.raises(ExpressionError, match=r"\$\{wiek\} odwołuje się do pytania, którego nie ma"):
        check_references(parse("${wiek} > 18"), QUESTIONS, "leave")


def test_reference_to_the_question_itself_is_refused() -> None:
    with pytest.raises(ExpressionError, match="tego samego pytania"):
        check_references(parse("${leave} = 'yes'"), QUESTIONS, "leave")


def test_references_to_earlier_questions_pass() -> None:
    check_references(parse("${age} > 18 and selected(${transport}, 'bus')"), QUESTIONS, "leave")


def test_reference_error_without_a_position_has_no_position_prefix() -> None:
    with pytest.raises(ExpressionError) as caught:
        check_references(Ref("reason"), QUESTIONS, "age")
    assert caught.value.position is None
    assert caught.value.message.startswith("${reason} odwołuje się do późniejszego pytania")


def test_is_relevant_raises_expression_error_on_bad_text() -> None:
    with pytest.raises(ExpressionError):
        is_relevant("${age} >", {})
