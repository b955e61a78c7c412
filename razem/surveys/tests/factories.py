"""Small surveys for tests: one definition that uses every question type.

`make_survey(partnership)` is shared by the helpers' tests; keep its signature stable.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from razem.surveys.definition import (
    AGE_GROUP_LIST,
    SEX_LIST,
    Choice,
    MatrixItem,
    Question,
    QuestionType,
    Settings,
    SurveyDefinition,
    Text,
    default_age_groups,
    default_sexes,
)
from razem.surveys.models import Survey

T = QuestionType


def _choices(*pairs: tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(name, Text(pl, en)) for name, pl, en in pairs)


AGREE = _choices(
    ("1", "zdecydowanie się nie zgadzam", "strongly disagree"),
    ("2", "raczej się nie zgadzam", "disagree"),
    ("3", "ani tak, ani nie", "neither agree nor disagree"),
    ("4", "raczej się zgadzam", "agree"),
    ("5", "zdecydowanie się zgadzam", "strongly agree"),
)
YES_NO = _choices(("yes", "tak", "yes"), ("no", "nie", "no"))
NEEDS = _choices(
    ("roads", "drogi", "roads"),
    ("jobs", "praca", "jobs"),
    ("culture", "kultura", "culture"),
    ("health", "zdrowie", "health"),
)


def small_definition() -> SurveyDefinition:
    """Every question type once, with skip logic, a constraint and "other (specify)".

    Question order (names): intro (note), gmina, age, sex, lives_here (single, required),
    years (number, relevant when lives_here = yes, 0..100), needs (multiple, or_other),
    priority (ranking), satisfaction (likert), services (matrix: svc_school, svc_clinic),
    household (decimal number, constraint . > 0), idea (short text, max 50),
    comments (long text).
    """
    questions = (
        Question("intro", T.NOTE, Text("Dziękujemy za udział.", "Thank you for taking part.")),
        Question("gmina", T.GMINA,
                 Text("W której gminie mieszkasz?", "Which gmina do you live in?"), required=True),
        Question("age", T.AGE_GROUP, Text("Wiek", "Age"), choice_list=AGE_GROUP_LIST),
        Question("sex", T.SEX, Text("Płeć", "Sex"), choice_list=SEX_LIST),
        Question("lives_here", T.SINGLE_CHOICE,
                 Text("Czy mieszkasz tu na stałe?", "Do you live here permanently?"),
                 required=True, choice_list="yes_no"),
        Question("years", T.NUMBER, Text("Od ilu lat tu mieszkasz?", "For how many years?"),
                 hint=Text("Podaj liczbę lat.", "Give the number of years."),
                 required=True, relevant="${lives_here} = 'yes'",
                 min_value=Decimal(0), max_value=Decimal(100)),
        Question("needs", T.MULTIPLE_CHOICE,
                 Text("Co wymaga poprawy?", "What needs improving?"),
                 choice_list="needs", or_other=True),
        Question("priority", T.RANKING, Text("Uszereguj według ważności", "Rank by importance"),
                 choice_list="needs"),
        Question("satisfaction", T.LIKERT,
                 Text("Jestem zadowolony z życia w gminie", "I am happy living in the gmina"),
                 choice_list="agree"),
        Question("services", T.LIKERT_MATRIX, Text("Oceń usługi", "Rate the services"),
                 choice_list="agree",
                 items=(MatrixItem("svc_school", Text("Szkoły", "Schools")),
                        MatrixItem("svc_clinic", Text("Przychodnie", "Clinics")))),
        Question("household", T.NUMBER, Text("Ile osób liczy gospodarstwo domowe?",
                                             "How many people live in your household?"),
                 decimal=True, constraint=". > 0",
                 constraint_message=Text("Podaj liczbę większą od zera.",
                                         "Give a number greater than zero.")),
        Question("idea", T.SHORT_TEXT, Text("Pomysł w kilku słowach", "An idea in a few words"),
                 max_length=50),
        Question("comments", T.LONG_TEXT, Text("Uwagi", "Comments")),
    )
    return SurveyDefinition(
        title=Text("Ankieta testowa", "Test survey"),
        settings=Settings(form_id="test", version="1"),
        questions=questions,
        choice_lists={
            "yes_no": YES_NO,
            "needs": NEEDS,
            "agree": AGREE,
            AGE_GROUP_LIST: default_age_groups(),
            SEX_LIST: default_sexes(),
        },
    )


def make_survey(
    partnership,
    *,
    slug: str = "test",
    audience: str = "resident",
    anonymity: str = "anonymous",
    codes_required: bool = False,
    opens_on: date | None = None,
    closes_on: date | None = None,
    definition: SurveyDefinition | None = None,
) -> Survey:
    """A saved survey of `partnership`, open today ±30 days unless told otherwise."""
    today = timezone.localdate()
    opens_on = opens_on or today - timedelta(days=30)
    closes_on = closes_on or max(today + timedelta(days=30), opens_on)
    survey = Survey(
        partnership=partnership,
        slug=slug,
        audience=audience,
        title="Ankieta testowa",
        introduction="Prosimy o wypełnienie krótkiej ankiety.",
        gdpr_clause="Administratorem danych jest partnerstwo.",
        opens_on=opens_on,
        closes_on=closes_on,
        anonymity=anonymity,
        codes_required=codes_required,
    )
    survey.set_questionnaire(definition or small_definition())
    survey.save()
    return survey
