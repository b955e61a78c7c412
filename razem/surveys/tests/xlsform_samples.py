"""Workbooks for the XLSForm tests, built in memory with openpyxl.

Each sheet is a list of rows, the first row being the header, so a test shows exactly
what the coordinator's spreadsheet would hold.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import openpyxl

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

Rows = list[list[object]]

SURVEY_HEADER = ["type", "name", "label::Polish (pl)", "label::English (en)", "relevant"]
CHOICES: Rows = [
    ["list_name", "name", "label::Polish (pl)", "label::English (en)"],
    ["yes_no", "yes", "tak", "yes"],
    ["yes_no", "no", "nie", "no"],
]
SETTINGS: Rows = [
    ["form_title", "form_id", "version", "default_language"],
    ["Ankieta mieszkańców", "mieszkancy", "1", "Polish (pl)"],
]


def workbook_bytes(sheets: dict[str, Rows]) -> bytes:
    """An .xlsx with the given sheets in order; the first replaces openpyxl's default sheet."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def form(
    survey_rows: Rows,
    *,
    header: list[str] | None = None,
    choices: Rows | None = None,
    settings: Rows | None = None,
) -> bytes:
    """A complete XLSForm whose survey sheet has `survey_rows` under `header`."""
    return workbook_bytes(
        {
            "survey": [header or SURVEY_HEADER, *survey_rows],
            "choices": CHOICES if choices is None else choices,
            "settings": SETTINGS if settings is None else settings,
        }
    )


def docx_bytes() -> bytes:
    """A minimal zip laid out like a Word document: a zip, but not a workbook."""
    import zipfile

    output = BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return output.getvalue()


def every_type_definition() -> SurveyDefinition:
    """One question of every type, with both languages, limits and skip logic."""
    scale = tuple(
        Choice(str(n), Text(pl, en))
        for n, pl, en in [
            (1, "zdecydowanie nie", "strongly disagree"),
            (2, "raczej nie", "disagree"),
            (3, "trudno powiedzieć", "neutral"),
            (4, "raczej tak", "agree"),
            (5, "zdecydowanie tak", "strongly agree"),
        ]
    )
    services = (
        Choice("school", Text("szkoła", "school")),
        Choice("clinic", Text("przychodnia", "clinic")),
        Choice("transport", Text("komunikacja", "transport")),
    )
    questions = (
        Question("intro", QuestionType.NOTE, Text("Dziękujemy za udział.", "Thank you.")),
        Question(
            "gmina", QuestionType.GMINA, Text("Gmina zamieszkania", "Your gmina"), required=True
        ),
        Question(
            "age",
            QuestionType.AGE_GROUP,
            Text("Wiek", "Age"),
            choice_list=AGE_GROUP_LIST,
            required=True,
        ),
        Question("sex", QuestionType.SEX, Text("Płeć", "Sex"), choice_list=SEX_LIST),
        Question(
            "live_well",
            QuestionType.LIKERT,
            Text("Dobrze mi się tu żyje", "I live well here"),
            hint=Text("Jedna odpowiedź", "One answer"),
            choice_list="scale",
        ),
        Question(
            "stay",
            QuestionType.SINGLE_CHOICE,
            Text("Czy zostaniesz?", "Will you stay?"),
            choice_list="services",
            or_other=True,
            relevant="${live_well} >= 3",
        ),
        Question(
            "services",
            QuestionType.MULTIPLE_CHOICE,
            Text("Usługi", "Services"),
            choice_list="services",
            or_other=True,
            relevant="selected(${stay}, 'school') or not(${age} = 'under_18')",
        ),
        Question(
            "ratings",
            QuestionType.LIKERT_MATRIX,
            Text("Oceń", "Rate"),
            hint=Text("Skala 1–5", "Scale 1–5"),
            required=True,
            choice_list="scale",
            relevant="${sex} = 'female'",
            items=(
                MatrixItem("rate_roads", Text("Drogi", "Roads")),
                MatrixItem("rate_parks", Text("Parki", "Parks")),
            ),
        ),
        Question(
            "priorities", QuestionType.RANKING, Text("Uszereguj", "Rank"), choice_list="services"
        ),
        Question(
            "household",
            QuestionType.NUMBER,
            Text("Liczba osób", "Household size"),
            min_value=Decimal(1),
            max_value=Decimal(20),
            constraint=". <= 20",
            constraint_message=Text("Za dużo", "Too many"),
        ),
        Question(
            "commute",
            QuestionType.NUMBER,
            Text("Dojazd (km)", "Commute (km)"),
            decimal=True,
            min_value=Decimal("0.5"),
            relevant="${rate_parks} > 2",
        ),
        Question("job", QuestionType.SHORT_TEXT, Text("Zawód", "Occupation"), max_length=100),
        Question("ideas", QuestionType.LONG_TEXT, Text("Pomysły", ""), max_length=2000),
    )
    return SurveyDefinition(
        title=Text("Ankieta mieszkańców", "Residents' survey"),
        settings=Settings(form_id="mieszkancy_2026", version="3", default_language="pl"),
        questions=questions,
        choice_lists={
            "scale": scale,
            "services": services,
            AGE_GROUP_LIST: default_age_groups(),
            SEX_LIST: default_sexes(),
        },
    )
