"""CSV and XLSX exports of a survey's responses (razem.surveys.exports, views_export)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.surveys import exports
from razem.surveys.models import Channel, Response
from razem.surveys.tests.factories import make_survey

WARSAW = ZoneInfo("Europe/Warsaw")

CODE_COLUMNS = [
    "_id", "_channel", "_submitted_on",
    "gmina", "age", "sex", "lives_here", "years",
    "needs", "needs/roads", "needs/jobs", "needs/culture", "needs/health", "needs/other",
    "needs_other",
    "priority/1", "priority/2", "priority/3", "priority/4",
    "satisfaction", "svc_school", "svc_clinic", "household", "idea", "comments",
]


@pytest.fixture
def gmina(partnership_a):
    return partnership_a.units.filter(kind="gmina").order_by("teryt").first()


@pytest.fixture
def survey(partnership_a):
    return make_survey(partnership_a)


def full_answers(gmina, **extra) -> dict:
    answers = {
        "gmina": gmina.teryt, "age": "25_34", "sex": "female", "lives_here": "yes",
        "years": "12", "needs": ["roads", "other"], "needs_other": "kanalizacja",
        "priority": ["jobs", "roads"], "satisfaction": "4", "svc_school": "5",
        "svc_clinic": "2", "household": "3.5", "idea": "więcej ścieżek", "comments": "brak",
    }
    answers.update(extra)
    return answers


def add(survey, answers, **fields) -> Response:
    return Response.objects.create(survey=survey, answers=answers,
                                   submitted_on=date(2026, 3, 2), **fields)


def read_csv(chunks) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(chunks)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def as_dict(rows: list[list[str]], index: int = 1) -> dict[str, str]:
    return dict(zip(rows[0], rows[index], strict=True))


def read_xlsx(survey):
    with exports.xlsx_file(survey) as handle:
        return load_workbook(io.BytesIO(handle.read()))


# ------------------------------------------------------------------------- contents


@pytest.mark.django_db
def test_csv_is_utf8_with_bom_and_semicolons_for_polish_excel(survey, gmina) -> None:
    add(survey, full_answers(gmina))
    raw, rows = read_csv(exports.csv_chunks(survey))
    assert raw.startswith(b"\xef\xbb\xbf_id;_channel;_submitted_on;gmina;")
    assert "więcej ścieżek".encode() in raw
    assert raw.endswith(b"\r\n")
    assert len(rows) == 2


@pytest.mark.django_db
def test_code_csv_has_one_column_per_variable_in_question_order(survey, gmina) -> None:
    response = add(survey, full_answers(gmina))
    _raw, rows = read_csv(exports.csv_chunks(survey))
    assert rows[0] == CODE_COLUMNS
    row = as_dict(rows)
    assert row["_id"] == str(response.pk)
    assert (row["_channel"], row["_submitted_on"]) == ("web", "2026-03-02")
    assert (row["gmina"], row["age"], row["sex"], row["lives_here"]) == (
        gmina.teryt, "25_34", "female", "yes")
    # Multiple choice: the chosen codes joined, then one 0/1 column per choice, then "other".
    assert row["needs"] == "roads other"
    assert [row[f"needs/{c}"] for c in ("roads", "jobs", "culture", "health", "other")] == [
        "1", "0", "0", "0", "1"]
    assert row["needs_other"] == "kanalizacja"
    # Ranking: the choice in each place; places nobody ranked stay empty.
    assert [row[f"priority/{n}"] for n in range(1, 5)] == ["jobs", "roads", "", ""]
    # Likert and each matrix item: the scale's codes.
    assert (row["satisfaction"], row["svc_school"], row["svc_clinic"]) == ("4", "5", "2")
    # Numbers with the decimal comma that Polish Excel expects beside ";".
    assert (row["years"], row["household"]) == ("12", "3,5")
    assert (row["idea"], row["comments"]) == ("więcej ścieżek", "brak")


@pytest.mark.django_db
def test_label_csv_has_question_texts_and_choice_labels(survey, gmina) -> None:
    add(survey, full_answers(gmina), channel=Channel.PAPER)
    _raw, rows = read_csv(exports.csv_chunks(survey, labels=True))
    header = rows[0]
    assert len(header) == len(CODE_COLUMNS)
    assert "W której gminie mieszkasz?" in header
    assert "Co wymaga poprawy?: drogi" in header
    assert "Oceń usługi: Szkoły" in header
    row = dict(zip(CODE_COLUMNS, rows[1], strict=True))
    assert row["gmina"] == gmina.name
    assert row["_channel"] == str(Channel.PAPER.label)
    assert (row["age"], row["sex"], row["lives_here"]) == ("25–34 lat", "kobieta", "tak")
    assert row["needs"] == "drogi; inne (jakie?)"
    assert row["needs/roads"] == "1"  # 0/1 columns stay countable in both variants
    assert row["priority/1"] == "praca"
    assert row["svc_school"] == "zdecydowanie się zgadzam"


@pytest.mark.django_db
def test_unanswered_questions_are_empty_and_an_empty_choice_is_all_zeros(survey, gmina) -> None:
    add(survey, {"gmina": gmina.teryt, "lives_here": "no"})
    add(survey, {"gmina": gmina.teryt, "lives_here": "no", "needs": []})
    _raw, rows = read_csv(exports.csv_chunks(survey))
    skipped, empty = as_dict(rows, 1), as_dict(rows, 2)
    assert skipped["years"] == skipped["needs"] == skipped["needs/roads"] == ""
    assert skipped["priority/1"] == skipped["svc_school"] == ""
    assert empty["needs"] == "" and empty["needs/roads"] == empty["needs/other"] == "0"


@pytest.mark.django_db
def test_rows_come_in_response_order(survey, gmina) -> None:
    ids = [add(survey, {"gmina": gmina.teryt}).pk for _ in range(3)]
    _raw, rows = read_csv(exports.csv_chunks(survey))
    assert [int(row[0]) for row in rows[1:]] == ids


@pytest.mark.django_db
def test_only_this_surveys_responses_are_exported(partnership_a, survey, gmina) -> None:
    other = make_survey(partnership_a, slug="inna")
    add(other, {"gmina": gmina.teryt})
    mine = add(survey, {"gmina": gmina.teryt})
    _raw, rows = read_csv(exports.csv_chunks(survey))
    assert [row[0] for row in rows[1:]] == [str(mine.pk)]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+48 600", "-1+1", "@SUM(A1)",
                                  "\t=1"])
def test_csv_neutralises_formulas_in_texts(survey, gmina, text) -> None:
    add(survey, full_answers(gmina, idea=text, needs_other=text))
    _raw, rows = read_csv(exports.csv_chunks(survey))
    row = as_dict(rows)
    assert row["idea"] == row["needs_other"] == "'" + text


@pytest.mark.django_db
def test_csv_neutralises_formulas_in_labels(partnership_a, gmina) -> None:
    from dataclasses import replace

    from razem.surveys.tests.factories import small_definition

    definition = small_definition()
    questions = tuple(replace(q, label=replace(q.label, pl="=1+2")) if q.name == "idea" else q
                      for q in definition.questions)
    survey = make_survey(partnership_a, definition=replace(definition, questions=questions))
    _raw, rows = read_csv(exports.csv_chunks(survey, labels=True))
    assert "'=1+2" in rows[0] and "=1+2" not in rows[0]


@pytest.mark.django_db
def test_negative_numbers_are_numbers_not_neutralised_text(partnership_a, survey, gmina) -> None:
    add(survey, full_answers(gmina, household="-2.25"))
    _raw, rows = read_csv(exports.csv_chunks(survey))
    assert as_dict(rows)["household"] == "-2,25"


@pytest.mark.django_db
def test_anonymous_export_has_no_time_column(survey, gmina) -> None:
    # Even a stray time in the row (never stored in anonymous mode) is not read.
    add(survey, {"gmina": gmina.teryt}, submitted_at=datetime(2026, 3, 2, 9, 15, tzinfo=WARSAW))
    _raw, rows = read_csv(exports.csv_chunks(survey))
    assert "_submitted_at" not in rows[0]
    assert not any("09:15" in cell for cell in rows[1])
    header = next(read_xlsx(survey)["dane"].iter_rows(values_only=True))
    assert "_submitted_at" not in header


@pytest.mark.django_db
def test_confidential_export_has_the_time_but_never_the_respondent(
    partnership_a, gmina, coordinator
) -> None:
    survey = make_survey(partnership_a, anonymity="confidential")
    add(survey, {"gmina": gmina.teryt}, respondent=coordinator,
        submitted_at=datetime(2026, 3, 2, 8, 15, 30, tzinfo=ZoneInfo("UTC")))
    raw, rows = read_csv(exports.csv_chunks(survey))
    assert rows[0][:4] == ["_id", "_channel", "_submitted_on", "_submitted_at"]
    assert as_dict(rows)["_submitted_at"] == "2026-03-02 09:15:30"  # Warsaw time
    assert coordinator.email.encode() not in raw
    assert str(coordinator.pk) not in rows[1][1:]
    workbook = read_xlsx(survey)
    assert workbook["dane"]["D2"].value == datetime(2026, 3, 2, 9, 15, 30)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert coordinator.email not in [str(value) for value in row]


@pytest.mark.django_db
def test_xlsx_has_codes_labels_and_codebook_sheets(survey, gmina) -> None:
    add(survey, full_answers(gmina))
    workbook = read_xlsx(survey)
    assert workbook.sheetnames == ["dane", "dane_etykiety", "słownik"]
    codes = list(workbook["dane"].iter_rows(values_only=True))
    assert list(codes[0]) == CODE_COLUMNS
    row = dict(zip(CODE_COLUMNS, codes[1], strict=True))
    assert row["gmina"] == gmina.teryt  # text: the leading zeros of a TERYT code survive
    assert row["needs/roads"] == 1 and row["needs/jobs"] == 0
    assert row["household"] == 3.5 and row["years"] == 12  # numbers, not texts
    labels = list(workbook["dane_etykiety"].iter_rows(values_only=True))
    assert dict(zip(CODE_COLUMNS, labels[1], strict=True))["gmina"] == gmina.name
    book = list(workbook["słownik"].iter_rows(values_only=True))
    assert list(book[0]) == exports.codebook_header()
    assert ("gmina", "W której gminie mieszkasz?", gmina.teryt, gmina.name) in book
    assert ("svc_school", "Oceń usługi: Szkoły", "5", "zdecydowanie się zgadzam") in book
    assert ("needs/roads", "Co wymaga poprawy?: drogi", "1", _("chosen")) in book
    place = _("%(question)s: place %(place)d") % {"question": "Uszereguj według ważności",
                                                  "place": 2}
    assert ("priority/2", place, "jobs", "praca") in book
    assert ("idea", "Pomysł w kilku słowach", None, None) in book


@pytest.mark.django_db
def test_xlsx_stores_formula_like_answers_as_text(survey, gmina) -> None:
    add(survey, full_answers(gmina, idea="=HYPERLINK(\"http://x\")", comments="@A1"))
    with exports.xlsx_file(survey) as handle:
        data = handle.read()
    import zipfile

    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere
    row = dict(zip(CODE_COLUMNS, list(load_workbook(io.BytesIO(data))["dane"]
                                      .iter_rows(values_only=True))[1], strict=True))
    assert row["idea"] == "=HYPERLINK(\"http://x\")"
    assert row["comments"] == "@A1"


@pytest.mark.django_db
def test_xlsx_drops_characters_the_format_forbids(survey, gmina) -> None:
    add(survey, full_answers(gmina, comments="a\x07b"))
    rows = list(read_xlsx(survey)["dane"].iter_rows(values_only=True))
    assert dict(zip(CODE_COLUMNS, rows[1], strict=True))["comments"] == "ab"


@pytest.mark.django_db
def test_codes_no_longer_in_the_definition_are_still_shown(survey, gmina) -> None:
    add(survey, {"gmina": "9999999", "lives_here": "maybe"})
    _raw, rows = read_csv(exports.csv_chunks(survey, labels=True))
    row = dict(zip(CODE_COLUMNS, rows[1], strict=True))
    assert (row["gmina"], row["lives_here"]) == ("9999999", "maybe")


# ---------------------------------------------------------------------------- views


def csv_url(survey, **query) -> str:
    url = reverse("surveys:export_csv", args=[survey.partnership.slug, survey.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def xlsx_url(survey) -> str:
    return reverse("surveys:export_xlsx", args=[survey.partnership.slug, survey.pk])


@pytest.mark.django_db
def test_csv_download_is_streamed_with_an_ascii_file_name(survey, gmina, coordinator) -> None:
    add(survey, full_answers(gmina))
    response = client_for(coordinator).get(csv_url(survey))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ankieta-test-')
    assert disposition.endswith('.csv"') and disposition.isascii()
    assert response["Cache-Control"] == "private, no-store"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf_id;")


@pytest.mark.django_db
def test_label_variant_is_chosen_with_etykiety(survey, gmina, coordinator) -> None:
    add(survey, full_answers(gmina))
    response = client_for(coordinator).get(csv_url(survey, etykiety=1))
    assert "-etykiety.csv" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    assert gmina.name in raw and "W której gminie mieszkasz?" in raw


@pytest.mark.django_db
def test_xlsx_download(survey, gmina, coordinator) -> None:
    add(survey, full_answers(gmina))
    response = client_for(coordinator).get(xlsx_url(survey))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook["dane"].max_row == 2


@pytest.mark.django_db
def test_exports_are_written_to_the_audit_log(survey, coordinator) -> None:
    client = client_for(coordinator)
    b"".join(client.get(csv_url(survey)).streaming_content)
    b"".join(client.get(csv_url(survey, etykiety=1)).streaming_content)
    b"".join(client.get(xlsx_url(survey)).streaming_content)
    entries = AuditLogEntry.objects.filter(action="survey.exported", object_id=str(survey.pk))
    assert sorted(e.changes["format"][1] for e in entries) == ["csv", "csv (labels)", "xlsx"]
    assert {e.actor for e in entries} == {coordinator}


@pytest.mark.django_db
@pytest.mark.parametrize("url", [csv_url, xlsx_url])
@pytest.mark.parametrize(("who", "status"), [
    ("coordinator", 200), ("officer", 200), ("advisor", 200), ("observer", 403),
    ("outsider", 404),
])
def test_permission_matrix(request, survey, url, who, status) -> None:
    response = client_for(request.getfixturevalue(who)).get(url(survey))
    assert response.status_code == status
    if status != 200:
        assert not AuditLogEntry.objects.filter(action="survey.exported").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_anonymous_visitor_is_sent_to_log_in(survey, url) -> None:
    response = client_for(None).get(url(survey))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "logowanie" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["export_csv", "export_xlsx"])
def test_another_partnerships_survey_is_404_under_this_address(
    partnership_a, partnership_b, coordinator, name
) -> None:
    theirs = make_survey(partnership_b, slug="ich")
    url = reverse(f"surveys:{name}", args=[partnership_a.slug, theirs.pk])
    assert client_for(coordinator).get(url).status_code == 404


@pytest.mark.django_db
def test_post_is_not_allowed(survey, coordinator) -> None:
    assert client_for(coordinator).post(csv_url(survey)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("url", [csv_url, xlsx_url])
def test_query_count_does_not_grow_with_the_responses(survey, gmina, coordinator, url) -> None:
    client = client_for(coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(url(survey)).streaming_content)
        return len(captured)

    add(survey, full_answers(gmina))
    queries()  # fills the per-process caches (the parsed questionnaire)
    few = queries()
    Response.objects.bulk_create(
        Response(survey=survey, answers=full_answers(gmina)) for _ in range(60))
    assert queries() == few


@pytest.mark.django_db
def test_csv_pieces_hold_many_rows_each(survey, gmina, monkeypatch) -> None:
    monkeypatch.setattr(exports, "CSV_ROWS_PER_CHUNK", 10)
    Response.objects.bulk_create(
        Response(survey=survey, answers=full_answers(gmina)) for _ in range(25))
    pieces = list(exports.csv_chunks(survey))
    assert len(pieces) == 3  # header + 10, 10, 5: streamed, never one string of everything
    _raw, rows = read_csv(pieces)
    assert len(rows) == 26


@pytest.mark.django_db
def test_xlsx_of_a_survey_too_large_for_one_request_points_to_the_csv(
    survey, gmina, coordinator, monkeypatch
) -> None:
    from razem.surveys import views_export

    monkeypatch.setattr(views_export, "XLSX_MAX_RESPONSES", 2)
    Response.objects.bulk_create(
        Response(survey=survey, answers=full_answers(gmina)) for _ in range(3))
    response = client_for(coordinator).get(xlsx_url(survey))
    assert response.status_code == 413
    page = response.content.decode()
    assert "CSV" in page and csv_url(survey) in page
