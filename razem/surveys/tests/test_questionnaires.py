"""The four questionnaire templates, the GDPR clause and copying a template into a survey."""

from __future__ import annotations

from datetime import date

import pytest

from razem.surveys import definition as definitions
from razem.surveys.collect_form import estimated_minutes
from razem.surveys.definition import QuestionType, from_data, to_data, validate
from razem.surveys.expressions import is_relevant, satisfies
from razem.surveys.models import Survey
from razem.surveys.questionnaires import (
    CORE_LISTS,
    CORE_QUESTIONS,
    TEMPLATES,
    create_from_template,
    default_gdpr_clause,
)
from razem.surveys.xlsform import read_xlsform, write_xlsform

KEYS = ("resident", "youth", "leader", "business")


def _questions(key: str) -> dict[str, definitions.Question]:
    return {question.name: question for question in TEMPLATES[key].definition().questions}


def test_the_four_audiences_have_a_template():
    assert set(TEMPLATES) == set(KEYS)
    assert {template.audience for template in TEMPLATES.values()} == set(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_template_is_a_valid_definition_that_survives_storage_and_xlsform(key):
    definition = TEMPLATES[key].definition()
    validate(definition)
    assert from_data(to_data(definition)) == definition
    assert read_xlsform(write_xlsform(definition)) == definition


@pytest.mark.parametrize("key", KEYS)
def test_template_has_polish_and_english_texts_everywhere(key):
    definition = TEMPLATES[key].definition()
    texts = [definition.title, TEMPLATES[key].title, TEMPLATES[key].introduction]
    for question in definition.questions:
        texts += [question.label] + [item.label for item in question.items]
        texts += [t for t in (question.hint, question.constraint_message) if t.pl]
    texts += [choice.label for choices in definition.choice_lists.values() for choice in choices]
    assert all(text.pl.strip() and text.en.strip() for text in texts)


@pytest.mark.parametrize("key", KEYS)
def test_introduction_states_purpose_and_anonymity(key):
    # The time is not written into the text: the form states its own estimate
    # (collect_form.estimated_minutes), which stays true when a coordinator edits.
    intro = TEMPLATES[key].introduction.pl
    assert "strategi" in intro and "anonimowa" in intro and "minut" not in intro


@pytest.mark.parametrize("key", KEYS)
def test_template_uses_skip_logic_constraints_and_many_types(key):
    questions = TEMPLATES[key].definition().questions
    assert sum(1 for q in questions if q.relevant) >= 3
    assert any(q.constraint for q in questions)
    assert any(q.required for q in questions)
    types = {q.type for q in questions}
    assert {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.LIKERT,
            QuestionType.LIKERT_MATRIX, QuestionType.RANKING, QuestionType.NUMBER,
            QuestionType.LONG_TEXT, QuestionType.NOTE, QuestionType.GMINA} <= types
    assert any(q.or_other for q in questions)
    numbers = [q for q in questions if q.type == QuestionType.NUMBER]
    assert all(q.min_value is not None and q.max_value is not None for q in numbers)


def test_length_is_about_fifteen_minutes():
    answerable = {
        key: [q for q in TEMPLATES[key].definition().questions if q.type != QuestionType.NOTE]
        for key in KEYS
    }
    assert 25 <= len(answerable["resident"]) <= 35
    for key in KEYS:
        assert 15 <= len(answerable[key]) <= 35
        long_texts = [q for q in answerable[key] if q.type == QuestionType.LONG_TEXT]
        assert len(long_texts) <= 2
        # What the form tells respondents: about a quarter of an hour.
        assert 10 <= estimated_minutes(TEMPLATES[key].definition()) <= 17


def test_core_questions_share_names_types_and_choice_lists():
    definitions_by_key = {key: TEMPLATES[key].definition() for key in KEYS}
    reference = definitions_by_key["resident"]
    core = {q.name: q for q in reference.questions if q.name in CORE_QUESTIONS}
    assert set(core) == set(CORE_QUESTIONS)
    for key, definition in definitions_by_key.items():
        questions = {q.name: q for q in definition.questions}
        for name, question in core.items():
            other = questions[name]
            assert (other.type, other.choice_list, other.or_other, other.relevant,
                    other.constraint) == (question.type, question.choice_list, question.or_other,
                                          question.relevant, question.constraint), (key, name)
            assert [i.name for i in other.items] == [i.name for i in question.items]
        for list_name in CORE_LISTS:
            assert definition.choice_lists[list_name] == reference.choice_lists[list_name]


def test_core_covers_the_agreed_content():
    questions = _questions("resident")
    assert questions["quality_of_life"].type == QuestionType.LIKERT
    services = {item.name for item in questions["services"].items}
    assert services == {
        "svc_schools", "svc_health", "svc_transport", "svc_roads", "svc_culture", "svc_sport",
        "svc_social_care", "svc_internet", "svc_water_sewage", "svc_administration",
    }
    assert questions["priorities"].or_other
    assert questions["directions"].type == QuestionType.RANKING
    assert questions["coop_support"].type == QuestionType.LIKERT


def test_weighting_variables_by_audience():
    assert {"age_group", "sex"} <= set(_questions("resident"))
    assert "sex" in _questions("youth") and "age_group" not in _questions("youth")
    assert "sector" in _questions("business") and "firm_size" in _questions("business")
    assert "leader_role" in _questions("leader")
    for key in KEYS:
        gmina = _questions(key)["gmina"]
        assert gmina.type == QuestionType.GMINA and gmina.required


def test_priorities_allow_at_most_three():
    priorities = _questions("resident")["priorities"]
    assert satisfies(priorities.constraint, {}, ["roads", "health", "other"])
    assert not satisfies(priorities.constraint, {}, ["roads", "health", "jobs", "schools"])


def test_reasons_for_leaving_only_for_those_leaving():
    relevant = _questions("resident")["leave_reasons"].relevant
    assert is_relevant(relevant, {"stay_plans": "move_abroad"})
    assert is_relevant(relevant, {"stay_plans": "move_city"})
    assert not is_relevant(relevant, {"stay_plans": "stay"})
    assert not is_relevant(relevant, {"stay_plans": "dont_know"})
    assert not is_relevant(relevant, {})


def test_none_of_these_cannot_be_combined():
    engagement = _questions("resident")["engagement"]
    assert satisfies(engagement.constraint, {}, ["none"])
    assert satisfies(engagement.constraint, {}, ["ngo", "civic_budget"])
    assert not satisfies(engagement.constraint, {}, ["none", "ngo"])


def test_gdpr_clause_names_the_administrator_and_the_essentials(partnership_a):
    clause = default_gdpr_clause(partnership_a)
    assert "Powiat łosicki" in clause and partnership_a.name in clause
    for text in ("art. 13", "art. 6 ust. 1 lit. e", "anonimowa", "profilowania",
                 "Prezesa Urzędu Ochrony Danych Osobowych", "przechowujemy",
                 "[adres e-mail inspektora ochrony danych]"):
        assert text in clause


def test_gdpr_clause_without_a_leader_unit(partnership_a):
    partnership_a.leader_unit = None
    clause = default_gdpr_clause(partnership_a)
    assert partnership_a.name in clause and "[nazwa i adres" in clause


def test_create_from_template_copies_everything(partnership_a):
    survey = create_from_template(partnership_a, "youth", slug="klasy-maturalne",
                                  opens_on=date(2026, 5, 4), closes_on=date(2026, 5, 29))
    survey = Survey.objects.get(pk=survey.pk)
    template = TEMPLATES["youth"]
    assert survey.template == "youth" and survey.audience == "youth"
    assert survey.title == template.title.pl
    assert survey.introduction == template.introduction.pl
    assert survey.gdpr_clause == default_gdpr_clause(partnership_a)
    assert (survey.opens_on, survey.closes_on) == (date(2026, 5, 4), date(2026, 5, 29))
    assert survey.questionnaire == template.definition()
    assert survey.responses.count() == 0 and not survey.results_published


def test_create_from_template_with_own_title(partnership_a):
    survey = create_from_template(partnership_a, "business", slug="firmy", title="Firmy 2026",
                                  opens_on=date(2026, 5, 4), closes_on=date(2026, 5, 4))
    assert survey.title == "Firmy 2026"


def test_create_from_template_refuses_a_taken_slug_in_the_same_partnership(
        partnership_a, partnership_b):
    create_from_template(partnership_a, "leader", slug="liderzy-2026",
                         opens_on=date(2026, 5, 4), closes_on=date(2026, 6, 4))
    with pytest.raises(ValueError, match="liderzy-2026"):
        create_from_template(partnership_a, "resident", slug="liderzy-2026",
                             opens_on=date(2026, 5, 4), closes_on=date(2026, 6, 4))
    assert Survey.objects.filter(partnership=partnership_a, slug="liderzy-2026").count() == 1
    # Another partnership may use the same address.
    create_from_template(partnership_b, "leader", slug="liderzy-2026",
                         opens_on=date(2026, 5, 4), closes_on=date(2026, 6, 4))


def test_create_from_template_refuses_reversed_dates_and_unknown_keys(partnership_a):
    with pytest.raises(ValueError):
        create_from_template(partnership_a, "leader", slug="x",
                             opens_on=date(2026, 6, 4), closes_on=date(2026, 5, 4))
    with pytest.raises(KeyError):
        create_from_template(partnership_a, "tourists", slug="y",
                             opens_on=date(2026, 5, 4), closes_on=date(2026, 6, 4))
    assert not Survey.objects.filter(partnership=partnership_a, slug__in=["x", "y"]).exists()
