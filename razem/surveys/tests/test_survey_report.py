"""The "Wyniki ankiety" report: a report about one survey (the registry's subject),
always with the public, suppressed figures, in PDF and DOCX."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from razem.conftest import client_for
from razem.reports import document as doc
from razem.reports import registry
from razem.reports.models import JobStatus, ReportJob
from razem.surveys.models import Response, Survey
from razem.surveys.reports import KIND, PERMISSION, build_survey_document
from razem.surveys.tests.factories import make_survey

QUESTION = "Czy mieszkasz tu na stałe?"


@pytest.fixture(autouse=True)
def _setup(cast, partnership_a, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr("razem.surveys.population.targets_for", lambda survey: None)
    cache.clear()
    Survey.objects.filter(partnership=partnership_a).delete()
    yield
    cache.clear()


@pytest.fixture
def survey(partnership_a) -> Survey:
    survey = make_survey(partnership_a)
    answers = ([{"lives_here": "yes", "needs": ["roads", "jobs"], "priority": ["roads"]}] * 17
               + [{"lives_here": "no", "needs": ["health"], "priority": ["jobs"]}] * 3
               + [{"lives_here": "yes", "needs": ["culture"], "idea": "Tajny pomysł"}] * 6)
    Response.objects.bulk_create([Response(survey=survey, answers=a) for a in answers])
    return survey


def _build(survey: Survey, language: str = "pl") -> doc.Document:
    with translation.override(language):
        return build_survey_document(survey.partnership, language=language,
                                     progress=lambda percent, message: None, subject=survey)


def _tables(document: doc.Document) -> list[doc.Table]:
    found = []
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, doc.Table):
                found.append(block)
            elif isinstance(block, doc.Chart):
                found.append(block.table)
    return found


def test_the_survey_report_is_registered_with_a_subject():
    entry = registry.get(KIND)
    assert entry is not None and entry.has_subject and entry.permission == PERMISSION


def test_the_document_has_every_question_with_a_chart_and_a_table(survey):
    document = _build(survey)

    headings = [section.heading for section in document.sections]
    assert QUESTION in headings and "Oceń usługi: Szkoły" in headings
    charts = document.charts()
    assert charts and all(chart.vega_lite_spec["data"]["values"] and chart.table.rows
                          for chart in charts)
    assert document.subtitle.startswith(survey.title)


def test_no_cell_of_fewer_than_5_is_in_the_report(survey):
    for table in _tables(_build(survey)):
        for column_index, column in enumerate(table.columns):
            if column.label != "n":
                continue
            for row in table.rows:
                value = row[column_index]
                assert value is None or value >= 5, (table.caption, row)
    chart = next(c for c in _build(survey).charts() if c.title == "Co wymaga poprawy?")
    labels = {row["label"] for row in chart.vega_lite_spec["data"]["values"]}
    assert "drogi" in labels and "zdrowie" not in labels  # three respondents: not drawn


def test_the_report_has_no_open_answer_texts(survey):
    document = _build(survey)
    texts = [str(cell) for table in _tables(document) for row in table.rows for cell in row]
    texts += [block.text for s in document.sections for block in s.blocks
              if isinstance(block, doc.Paragraph | doc.Note)]
    assert not any("Tajny pomysł" in text for text in texts)


def _text_of_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _text_of_docx(data: bytes) -> str:
    from docx import Document as Docx

    parsed = Docx(io.BytesIO(data))
    cells = [cell.text for table in parsed.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in parsed.paragraphs] + cells)


@pytest.mark.parametrize("format", ["pdf", "docx"])
def test_a_member_requests_the_report_and_gets_the_file(survey, observer, partnership_a, format):
    client = client_for(observer)
    url = reverse("reports:request", args=[partnership_a.slug, KIND, format])
    response = client.post(url, {"przedmiot": survey.pk}, follow=True)

    job = ReportJob.objects.get()
    assert (job.status, job.subject_id) == (JobStatus.DONE, survey.pk), job.message
    assert survey.title in response.content.decode()  # the job page names the survey
    file = client.get(reverse("reports:download", args=[partnership_a.slug, job.pk]))
    assert job.file_name.endswith(f"-{survey.slug}-{partnership_a.slug}-"
                                  f"{timezone.localdate().isoformat()}.{format}")
    text = _text_of_pdf(file.content) if format == "pdf" else _text_of_docx(file.content)
    flat = " ".join(text.split())
    assert QUESTION in flat
    assert re.search(r"\d+,\d", flat)  # a percentage, Polish style
    assert "Tajny pomysł" not in flat


def test_report_of_another_partnerships_survey_is_404(survey, partnership_b, outsider,
                                                      partnership_a, coordinator):
    foreign = make_survey(partnership_b, slug="obca")
    url = reverse("reports:request", args=[partnership_a.slug, KIND, "pdf"])
    assert client_for(coordinator).post(url, {"przedmiot": foreign.pk}).status_code == 404
    assert client_for(outsider).post(url, {"przedmiot": survey.pk}).status_code == 404
    assert client_for(coordinator).post(url).status_code == 404  # no subject named
    assert client_for(coordinator).post(url, {"przedmiot": "²"}).status_code == 404
    assert not ReportJob.objects.exists()


def test_anonymous_cannot_request_the_report(survey, partnership_a):
    url = reverse("reports:request", args=[partnership_a.slug, KIND, "pdf"])
    response = client_for(None).post(url, {"przedmiot": survey.pk})
    assert response.status_code == 302 and not ReportJob.objects.exists()


def test_two_surveys_get_two_jobs(survey, partnership_a, coordinator, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    other = make_survey(partnership_a, slug="druga")
    client = client_for(coordinator)
    url = reverse("reports:request", args=[partnership_a.slug, KIND, "pdf"])
    for subject in (survey, other, survey):
        client.post(url, {"przedmiot": subject.pk})
    assert sorted(ReportJob.objects.values_list("subject_id", flat=True)) == sorted(
        [survey.pk, other.pk])


def test_the_reports_list_does_not_offer_subject_reports(partnership_a, observer):
    html = client_for(observer).get(reverse("reports:list", args=[partnership_a.slug])) \
        .content.decode()
    assert f"/{KIND}/pdf/" not in html


def test_a_survey_with_too_few_responses_cannot_be_reported(partnership_a):
    small = make_survey(partnership_a, slug="mala")
    Response.objects.bulk_create([Response(survey=small, answers={"lives_here": "yes"})] * 3)
    with pytest.raises(registry.ReportError):
        _build(small)
