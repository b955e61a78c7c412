"""`manage.py import_xlsform SLUG PATH`."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from razem.core.models import AuditLogEntry
from razem.surveys.management.commands.import_xlsform import Command
from razem.surveys.models import Survey
from razem.surveys.tests.factories import make_survey, small_definition
from razem.surveys.tests.xlsform_samples import form
from razem.surveys.xlsform import write_xlsform

SLUG = "razem-dla-rozwoju"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_xlsform", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "mlodziez.xlsx"
    path.write_bytes(write_xlsform(small_definition()))
    return path


def test_creates_the_survey_and_says_what_it_created(partnership_a, workbook):
    output = run(SLUG, str(workbook), "--audience", "youth", "--survey-slug", "mlodziez-2026",
                 "--opens", "2026-05-01", "--closes", "2026-05-31")

    survey = Survey.objects.get(partnership=partnership_a, slug="mlodziez-2026")
    assert survey.questionnaire == small_definition()
    assert survey.audience == "youth" and survey.title == "Ankieta testowa"
    assert (survey.opens_on, survey.closes_on) == (date(2026, 5, 1), date(2026, 5, 31))
    assert survey.gdpr_clause  # the partnership's default clause
    assert "Ankieta testowa" in output and str(survey.pk) in output
    assert f"/p/{SLUG}/s/mlodziez-2026/" in output
    entry = AuditLogEntry.objects.filter(action="survey.imported").get()
    assert entry.actor is None and entry.actor_label == "system"


def test_defaults_take_the_slug_from_the_form_id_and_open_for_a_month(partnership_a, workbook):
    run(SLUG, str(workbook))

    survey = Survey.objects.get(partnership=partnership_a, slug="test")
    today = timezone.localdate()
    assert survey.audience == "resident"
    assert (survey.opens_on, survey.closes_on) == (today, today + timedelta(days=30))


def test_every_problem_of_a_broken_file_is_reported_and_nothing_is_saved(cast, tmp_path):
    path = tmp_path / "zla.xlsx"
    path.write_bytes(form([
        ["select_one nie_ma_listy", "q1", "Pytanie", "Question", ""],
        ["integer", "q2", "Liczba", "Number", "${nie_ma} > 2"],
    ]))
    before = Survey.objects.count()

    with pytest.raises(CommandError) as caught:
        run(SLUG, str(path), "--survey-slug", "zla")

    message = str(caught.value)
    assert "arkusz „survey”" in message  # Polish, with the sheet,
    assert "wiersz 2" in message and "wiersz 3" in message  # the rows
    assert Survey.objects.count() == before


def test_a_file_that_is_not_xlsx_is_refused_in_polish(cast, tmp_path):
    path = tmp_path / "ankieta.xlsx"
    path.write_text("typ;nazwa\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Plik nie jest skoroszytem Excela"):
        run(SLUG, str(path))


@pytest.mark.parametrize("args", [
    ["nie-ma-takiego"],
    [SLUG, "--survey-slug", "Zła nazwa!"],
    [SLUG, "--opens", "2026-05-31", "--closes", "2026-05-01"],
    [SLUG, "--opens", "31.05.2026"],
    [SLUG, "--audience", "aliens"],
])
def test_bad_arguments_are_refused(partnership_a, workbook, args):
    before = Survey.objects.count()

    with pytest.raises(CommandError):
        run(args[0], str(workbook), *args[1:])

    assert Survey.objects.count() == before


def test_a_taken_slug_is_refused(partnership_a, workbook):
    make_survey(partnership_a, slug="zajeta")

    with pytest.raises(CommandError, match="--survey-slug"):
        run(SLUG, str(workbook), "--survey-slug", "zajeta")


def test_a_missing_file_is_refused(cast, tmp_path):
    with pytest.raises(CommandError):
        run(SLUG, str(tmp_path / "nie-ma.xlsx"))


def test_failure_exits_with_status_1_from_the_command_line(cast, tmp_path, capsys):
    path = tmp_path / "ankieta.xlsx"
    path.write_bytes(b"nie arkusz")

    with pytest.raises(SystemExit) as caught:
        Command().run_from_argv(["manage.py", "import_xlsform", SLUG, str(path)])

    assert caught.value.code == 1
    assert "Plik nie jest skoroszytem Excela" in capsys.readouterr().err
