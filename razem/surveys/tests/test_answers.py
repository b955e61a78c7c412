"""Cleaning a posted response form: every question type, every kind of bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from razem.surveys.answers import (
    LONG_TEXT_LIMIT,
    SHORT_TEXT_LIMIT,
    clean_answers,
    normalise_number,
    post_data,
    post_fields,
)
from razem.surveys.definition import (
    Choice,
    Question,
    QuestionType,
    Settings,
    SurveyDefinition,
    Text,
    validate,
)
from razem.surveys.tests.factories import AGREE, NEEDS, small_definition

T = QuestionType
GMINAS = (Choice("1410023", Text("Łosice")), Choice("1410012", Text("Huszlew")))
DEFINITION = small_definition()
# The required answers, and the one the skip logic asks for after lives_here = yes.
MINIMAL = {"gmina": ["1410023"], "lives_here": ["no"]}


def clean(data: dict, definition: SurveyDefinition = DEFINITION, **kwargs):
    return clean_answers(definition, {**MINIMAL, **data}, GMINAS, **kwargs)


def one_question(question: Question, **lists) -> SurveyDefinition:
    return SurveyDefinition(Text("T"), Settings(), (question,), lists)


def test_the_test_definition_is_valid():
    validate(DEFINITION)


def test_a_complete_valid_response():
    data = {
        "gmina": ["1410012"], "age": ["25_34"], "sex": ["female"], "lives_here": ["yes"],
        "years": ["12"], "needs": ["jobs", "roads"], "priority:jobs": ["1"],
        "priority:health": ["2"], "satisfaction": ["4"], "svc_school": ["5"],
        "svc_clinic": ["2"], "household": ["3,5"], "idea": ["  więcej   ławek "],
        "comments": ["pierwsza linia\r\ndruga linia"],
    }
    answers, errors = clean_answers(DEFINITION, data, GMINAS)
    assert errors == {}
    assert answers == {
        "gmina": "1410012", "age": "25_34", "sex": "female", "lives_here": "yes",
        "years": "12", "needs": ["roads", "jobs"], "priority": ["jobs", "health"],
        "satisfaction": "4", "svc_school": "5", "svc_clinic": "2", "household": "3.5",
        "idea": "więcej ławek", "comments": "pierwsza linia\ndruga linia",
    }


def test_a_query_dict_is_accepted():
    query = QueryDict(mutable=True)
    query.setlist("gmina", ["1410023"])
    query.setlist("lives_here", ["no"])
    query.setlist("needs", ["roads", "culture"])
    answers, errors = clean_answers(DEFINITION, query, GMINAS)
    assert errors == {}
    assert answers["needs"] == ["roads", "culture"]
    pairs_answers, _ = clean_answers(DEFINITION, query.lists(), GMINAS)
    assert pairs_answers == answers


def test_notes_have_no_answer():
    answers, errors = clean({"intro": ["something"]})
    assert "intro" not in answers and errors == {}


# --- required, and skip logic -------------------------------------------------------------


def test_missing_required_answers():
    answers, errors = clean_answers(DEFINITION, {}, GMINAS)
    assert set(errors) == {"gmina", "lives_here"}
    assert answers == {}


def test_required_only_when_relevant():
    # years is required, but asked only when lives_here = yes.
    assert "years" not in clean({"lives_here": ["no"]})[1]
    assert "years" in clean({"lives_here": ["yes"]})[1]
    assert "years" not in clean({"lives_here": ["yes"], "years": ["3"]})[1]


def test_answers_to_questions_that_do_not_apply_are_discarded():
    answers, errors = clean({"lives_here": ["no"], "years": ["12"]})
    assert errors == {}
    assert "years" not in answers
    # Even an invalid answer to a question that does not apply is simply dropped.
    answers, errors = clean({"lives_here": ["no"], "years": ["not a number"]})
    assert errors == {} and "years" not in answers


def test_skip_logic_sees_only_kept_answers():
    questions = (
        Question("a", T.SINGLE_CHOICE, Text("A"), choice_list="yn"),
        Question("b", T.SINGLE_CHOICE, Text("B"), choice_list="yn", relevant="${a} = 'yes'"),
        Question("c", T.SHORT_TEXT, Text("C"), required=True, relevant="${b} = 'yes'"),
    )
    yn = (Choice("yes", Text("tak")), Choice("no", Text("nie")))
    definition = SurveyDefinition(Text("T"), Settings(), questions, {"yn": yn})
    # b was answered, then a changed: b is dropped, so c does not apply either.
    answers, errors = clean_answers(definition, {"a": ["no"], "b": ["yes"]}, ())
    assert answers == {"a": "no"} and errors == {}
    answers, errors = clean_answers(definition, {"a": ["yes"], "b": ["yes"]}, ())
    assert errors.keys() == {"c"}


def test_required_can_be_waived_for_paper():
    answers, errors = clean_answers(DEFINITION, {"needs": ["roads"]}, GMINAS,
                                    enforce_required=False)
    assert errors == {} and answers == {"needs": ["roads"]}
    # Everything else is still checked.
    _, errors = clean_answers(DEFINITION, {"gmina": ["9999999"]}, GMINAS,
                              enforce_required=False)
    assert "gmina" in errors


def test_a_required_matrix_needs_every_item():
    question = Question("m", T.LIKERT_MATRIX, Text("M"), required=True, choice_list="agree",
                        items=DEFINITION.questions[9].items)
    definition = one_question(question, agree=AGREE)
    answers, errors = clean_answers(definition, {"svc_school": ["3"]}, ())
    assert errors.keys() == {"svc_clinic"}
    assert answers == {"svc_school": "3"}


# --- forged choices -------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["age", "sex", "lives_here", "satisfaction", "svc_school"])
def test_a_forged_single_choice_is_refused(field):
    answers, errors = clean({field: ["<script>"]})
    assert field in errors and field not in answers


def test_a_forged_gmina_is_refused():
    # A real TERYT code, but not a gmina of this partnership.
    answers, errors = clean({"gmina": ["1465011"]})
    assert "gmina" in errors and "gmina" not in answers


def test_multiple_choice_refuses_forged_and_repeated_choices():
    assert "needs" in clean({"needs": ["roads", "pool"]})[1]
    assert "needs" in clean({"needs": ["roads", "roads"]})[1]


def test_a_repeated_single_field_takes_one_value():
    answers, errors = clean({"satisfaction": ["4", "5"]})
    assert errors == {} and answers["satisfaction"] == "5"


# --- other (specify) ------------------------------------------------------------------------


def test_other_needs_its_text():
    answers, errors = clean({"needs": ["other"]})
    assert "needs:other" in errors and "needs" not in answers
    answers, errors = clean({"needs": ["other", "roads"], "needs:other": [" plac zabaw "]})
    assert errors == {}
    assert answers["needs"] == ["roads", "other"] and answers["needs_other"] == "plac zabaw"


def test_other_text_without_other_is_discarded():
    answers, errors = clean({"needs": ["roads"], "needs:other": ["plac zabaw"]})
    assert errors == {} and "needs_other" not in answers


def test_other_text_is_limited():
    _, errors = clean({"needs": ["other"], "needs:other": ["x" * (SHORT_TEXT_LIMIT + 1)]})
    assert "needs:other" in errors


def test_other_on_a_single_choice():
    question = Question("q", T.SINGLE_CHOICE, Text("Q"), choice_list="needs", or_other=True)
    definition = one_question(question, needs=NEEDS)
    assert clean_answers(definition, {"q": ["other"], "q:other": ["las"]}, ()) == (
        {"q": "other", "q_other": "las"}, {})
    assert "q:other" in clean_answers(definition, {"q": ["other"]}, ())[1]


# --- ranking --------------------------------------------------------------------------------


def test_ranking_stores_names_in_rank_order():
    answers, errors = clean({"priority:health": ["1"], "priority:roads": ["3"],
                             "priority:jobs": ["2"], "priority:culture": [""]})
    assert errors == {} and answers["priority"] == ["health", "jobs", "roads"]


@pytest.mark.parametrize("ranks", [
    {"priority:roads": ["1"], "priority:jobs": ["1"]},  # a place given twice
    {"priority:roads": ["1"], "priority:jobs": ["3"]},  # a gap
    {"priority:roads": ["0"]},
    {"priority:roads": ["5"]},  # more places than options
    {"priority:roads": ["first"]},
    {"priority:roads": ["²"]},
    {"priority:roads": ["9" * 5000]},
    {"priority:roads": ["-1"]},
    {"priority:pool": ["1"]},  # a forged option
])
def test_bad_rankings_are_refused(ranks):
    answers, errors = clean(ranks)
    assert "priority" in errors and "priority" not in answers


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "decimal", "stored"), [
    ("12", False, "12"), (" 12 ", False, "12"), ("12,0", False, "12"), ("-3", False, "-3"),
    ("1 200", False, "1200"), ("2,50", True, "2.5"), ("2.5", True, "2.5"), (",5", True, "0.5"),
    ("-0", True, "0"), ("+7", True, "7"), ("100", True, "100"),
    ("2,5", False, None), ("abc", False, None), ("1e5", True, None), ("NaN", True, None),
    ("Infinity", True, None), ("1.2.3", True, None), ("٣", False, None),
    ("1" * 30, False, None), ("", True, None),
])
def test_numbers(raw, decimal, stored):
    assert normalise_number(raw, decimal=decimal) == stored


def test_number_errors():
    base = {"lives_here": ["yes"]}
    assert "years" in clean({**base, "years": ["dwanaście"]})[1]
    assert "years" in clean({**base, "years": ["2.5"]})[1]  # integer only
    assert "years" in clean({**base, "years": ["101"]})[1]  # above max
    assert "years" in clean({**base, "years": ["-1"]})[1]  # below min
    assert clean({**base, "years": ["100"]})[0]["years"] == "100"


def test_constraints_are_checked_on_answered_questions():
    answers, errors = clean({"household": ["0"]})
    assert "household" in errors and "household" not in answers
    # The definition's own message is used.
    assert errors["household"] == "Podaj liczbę większą od zera."
    assert clean({"household": ["0,5"]})[0]["household"] == "0.5"
    assert "household" not in clean({})[1]  # unanswered: nothing to check


def test_a_constraint_on_a_multiple_choice():
    question = Question("q", T.MULTIPLE_CHOICE, Text("Q"), choice_list="needs",
                        constraint="count-selected(.) <= 2")
    definition = one_question(question, needs=NEEDS)
    assert clean_answers(definition, {"q": ["roads", "jobs"]}, ())[1] == {}
    assert "q" in clean_answers(definition, {"q": ["roads", "jobs", "health"]}, ())[1]


def test_min_and_max_on_decimals():
    question = Question("q", T.NUMBER, Text("Q"), decimal=True, min_value=Decimal("0.5"),
                        max_value=Decimal("2.5"))
    definition = one_question(question)
    assert clean_answers(definition, {"q": ["2,5"]}, ())[0] == {"q": "2.5"}
    assert "q" in clean_answers(definition, {"q": ["2,51"]}, ())[1]
    assert "q" in clean_answers(definition, {"q": ["0.4"]}, ())[1]


# --- texts ----------------------------------------------------------------------------------


def test_text_limits():
    assert "idea" in clean({"idea": ["x" * 51]})[1]  # the definition's max_length
    assert clean({"idea": ["x" * 50]})[0]["idea"] == "x" * 50
    assert "comments" in clean({"comments": ["x" * (LONG_TEXT_LIMIT + 1)]})[1]
    assert clean({"comments": ["x" * LONG_TEXT_LIMIT]})[1] == {}


def test_a_short_text_without_its_own_limit_is_capped():
    definition = one_question(Question("q", T.SHORT_TEXT, Text("Q")))
    assert "q" in clean_answers(definition, {"q": ["x" * (SHORT_TEXT_LIMIT + 1)]}, ())[1]
    # A definition's limit above the hard cap does not lift the cap.
    definition = one_question(Question("q", T.LONG_TEXT, Text("Q"), max_length=100_000))
    assert "q" in clean_answers(definition, {"q": ["x" * (LONG_TEXT_LIMIT + 1)]}, ())[1]


def test_control_characters_are_removed_and_blank_text_is_no_answer():
    answers, errors = clean({"idea": ["a\x00b\x07c"], "comments": [" \n\t "]})
    assert errors == {} and answers["idea"] == "abc" and "comments" not in answers


def test_a_text_constraint():
    question = Question("q", T.SHORT_TEXT, Text("Q"), constraint="regex(., '[0-9]{2}-[0-9]{3}')")
    definition = one_question(question)
    assert clean_answers(definition, {"q": ["08-200"]}, ())[0] == {"q": "08-200"}
    errors = clean_answers(definition, {"q": ["08200"]}, ())[1]
    assert "q" in errors and errors["q"]  # a default message when the definition has none


# --- never raises ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(
    st.sampled_from(["gmina", "age", "sex", "lives_here", "years", "needs", "needs:other",
                     "priority:roads", "priority:jobs", "priority:x", "satisfaction",
                     "svc_school", "household", "idea", "comments", "other"]),
    st.lists(st.text(max_size=30), max_size=4),
))
def test_any_input_gives_answers_or_errors_never_an_exception(data):
    answers, errors = clean_answers(DEFINITION, data, GMINAS)
    assert isinstance(answers, dict) and isinstance(errors, dict)
    assert all(isinstance(message, str) and message for message in errors.values())


# --- post_fields is the inverse ---------------------------------------------------------------

NAMES = [c.name for c in NEEDS]


@st.composite
def valid_answers(draw) -> dict:
    answers: dict = {"gmina": draw(st.sampled_from([g.name for g in GMINAS]))}
    answers["lives_here"] = draw(st.sampled_from(["yes", "no"]))
    if draw(st.booleans()):
        answers["age"] = draw(st.sampled_from(["under_18", "18_24", "65_plus"]))
    if draw(st.booleans()):
        answers["sex"] = draw(st.sampled_from(["female", "male"]))
    if answers["lives_here"] == "yes":
        answers["years"] = str(draw(st.integers(0, 100)))
    needs = draw(st.lists(st.sampled_from(NAMES + ["other"]), unique=True))
    if needs:
        answers["needs"] = sorted(needs, key=(NAMES + ["other"]).index)
        if "other" in needs:
            answers["needs_other"] = draw(st.text(
                st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=20))
    ranked = draw(st.lists(st.sampled_from(NAMES), unique=True))
    if ranked:
        answers["priority"] = ranked
    for name in ("satisfaction", "svc_school", "svc_clinic"):
        if draw(st.booleans()):
            answers[name] = draw(st.sampled_from([c.name for c in AGREE]))
    if draw(st.booleans()):
        value = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999"), places=2))
        answers["household"] = format(value.normalize(), "f")
    if draw(st.booleans()):
        answers["idea"] = draw(st.text(st.characters(codec="utf-8", categories=["L", "N"]),
                                       min_size=1, max_size=50))
    if draw(st.booleans()):
        answers["comments"] = "linia 1\nlinia 2"
    return answers


@settings(max_examples=200, deadline=None)
@given(valid_answers())
def test_clean_answers_inverts_post_fields(answers):
    assert clean_answers(DEFINITION, post_data(DEFINITION, answers), GMINAS) == (answers, {})
    assert clean_answers(DEFINITION, post_fields(DEFINITION, answers), GMINAS) == (answers, {})


def test_post_fields_shape():
    fields = post_fields(DEFINITION, {"needs": ["roads", "other"], "needs_other": "x",
                                      "priority": ["jobs", "roads"], "svc_school": "3"})
    assert fields == [("needs", "roads"), ("needs", "other"), ("needs:other", "x"),
                      ("priority:jobs", "1"), ("priority:roads", "2"), ("svc_school", "3")]
