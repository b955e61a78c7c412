"""The staff pages that manage surveys: permissions, creating, importing, editing,
publication, QR code, poster and one-time codes."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from pypdf import PdfReader

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.surveys import models, questionnaires
from razem.surveys.models import Channel, CodeBatch, OneTimeCode, Response, Survey
from razem.surveys.questionnaires import QuestionnaireTemplate
from razem.surveys.tests.factories import make_survey, small_definition
from razem.surveys.tests.xlsform_samples import docx_bytes, form
from razem.surveys.xlsform import read_xlsform, write_xlsform

SLUG = "razem-dla-rozwoju"


def polish(msgid: str) -> str:
    """The message as a Polish user sees it, escaped as the page shows it."""
    with translation.override("pl"):
        return escape(gettext(msgid))


def url(name: str, survey: Survey | None = None, *extra) -> str:
    if survey is None:
        return reverse(f"surveys:{name}", args=[SLUG, *extra])
    return reverse(f"surveys:{name}", args=[survey.partnership.slug, survey.pk, *extra])


def xlsx(data: bytes, name: str = "ankieta.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def respond(survey: Survey, count: int = 1, channel: str = Channel.WEB) -> None:
    Response.objects.bulk_create(
        Response(survey=survey, answers={"lives_here": "yes"}, channel=channel)
        for _ in range(count)
    )


@pytest.fixture
def logged(cast):
    """The audit log entries of an action written during the test (the demo cast writes
    its own before it starts)."""
    mark = AuditLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def entries(action: str) -> list[AuditLogEntry]:
        return list(AuditLogEntry.objects.filter(id__gt=mark, action=action).order_by("id"))

    return entries


@pytest.fixture
def survey(partnership_a) -> Survey:
    return make_survey(partnership_a, slug="mieszkancy-2026")


@pytest.fixture
def batch(survey, coordinator) -> CodeBatch:
    from razem.surveys import actions

    return actions.create_code_batch(survey=survey, by=coordinator, label="Klasa 4b", count=3)


@pytest.fixture
def template(monkeypatch) -> str:
    """A template key to create from; a small one when the real ones are not there yet."""
    if questionnaires.TEMPLATES:
        return next(iter(questionnaires.TEMPLATES))
    monkeypatch.setitem(questionnaires.TEMPLATES, "resident", QuestionnaireTemplate(
        key="resident", audience="resident",
        title=questionnaires.Text("Ankieta dla mieszkańców", "Survey for residents"),
        introduction=questionnaires.Text("Wstęp.", "Introduction."), build=small_definition,
    ))
    return "resident"


# --- permissions -----------------------------------------------------------------------------

ROLES = ["anonymous", "outsider", "observer", "advisor", "officer", "coordinator"]
MEMBER_PAGES = ["list", "detail", "xlsform", "qr_svg", "qr_png", "poster"]
COORDINATOR_PAGES = ["create", "import", "edit", "delete", "xlsform_replace", "codes",
                     "code_cards", "code_cards_pdf"]


def _page_url(name: str, survey: Survey, batch: CodeBatch) -> str:
    if name in ("list", "create", "import"):
        return url(name)
    if name in ("code_cards", "code_cards_pdf"):
        return url(name, survey, batch.pk)
    return url(name, survey)


def _client(role: str, request):
    return client_for(None if role == "anonymous" else request.getfixturevalue(role))


def _expected(role: str, allowed: bool) -> int:
    if role == "anonymous":
        return 302
    if role == "outsider":
        return 404
    return 200 if allowed else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", MEMBER_PAGES + COORDINATOR_PAGES)
def test_permission_matrix_of_every_page(request, role, name, survey, batch):
    response = _client(role, request).get(_page_url(name, survey, batch))

    assert response.status_code == _expected(
        role, allowed=role == "coordinator" or name in MEMBER_PAGES)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_publication(request, role, survey):
    response = _client(role, request).post(url("publication", survey), {"published": "1"})

    expected = {"anonymous": 302, "outsider": 404, "coordinator": 302}.get(role, 403)
    assert response.status_code == expected
    survey.refresh_from_db()
    assert survey.results_published is (role == "coordinator")


@pytest.mark.parametrize("role", ["observer", "advisor", "officer", "outsider"])
@pytest.mark.parametrize("name,data", [
    ("create", {"template": "resident", "slug": "x", "opens_on": "2026-01-01",
                "closes_on": "2026-02-01"}),
    ("edit", {"title": "Zmienione"}),
    ("delete", {"confirm": "on"}),
    ("codes", {"label": "Klasa", "count": "5"}),
])
def test_forged_posts_without_the_role_change_nothing(request, role, name, data, survey):
    target = url(name) if name == "create" else url(name, survey)

    response = _client(role, request).post(target, data)

    assert response.status_code == (404 if role == "outsider" else 403)
    survey.refresh_from_db()
    assert survey.title == "Ankieta testowa"
    assert not Survey.objects.filter(slug="x").exists()
    assert not CodeBatch.objects.filter(survey=survey).exists()


@pytest.mark.parametrize("name", ["detail", "edit", "delete", "xlsform", "xlsform_replace",
                                  "publication", "qr_svg", "qr_png", "poster", "codes"])
def test_another_partnerships_survey_under_this_address_is_404(coordinator, partnership_b,
                                                                name):
    theirs = make_survey(partnership_b, slug="ich-ankieta")
    target = reverse(f"surveys:{name}", args=[SLUG, theirs.pk])
    client = client_for(coordinator)

    response = client.post(target, {"published": "1"}) if name == "publication" \
        else client.get(target)

    assert response.status_code == 404


def test_another_partnerships_code_batch_is_404(coordinator, survey, partnership_b):
    from razem.surveys import actions

    theirs = make_survey(partnership_b, slug="ich-ankieta")
    their_batch = actions.create_code_batch(survey=theirs, by=None, label="Ich", count=2)
    client = client_for(coordinator)

    assert client.get(url("code_cards", survey, their_batch.pk)).status_code == 404
    assert client.get(url("code_cards_pdf", survey, their_batch.pk)).status_code == 404


# --- the list ------------------------------------------------------------------------------


def test_list_shows_each_survey_with_its_status_and_response_count(observer, partnership_a):
    today = timezone.localdate()
    current = make_survey(partnership_a, slug="teraz")
    make_survey(partnership_a, slug="pozniej", opens_on=today + timedelta(days=3),
                closes_on=today + timedelta(days=9))
    make_survey(partnership_a, slug="dawniej", opens_on=today - timedelta(days=60),
                closes_on=today - timedelta(days=1))
    respond(current, 7)

    response = client_for(observer).get(url("list"))

    content = response.content.decode()
    mine = [row for row in response.context["rows"]
            if row[0].slug in ("teraz", "pozniej", "dawniej")]
    assert [row[0].slug for row in mine] == ["pozniej", "teraz", "dawniej"]
    assert [row[1] for row in mine] == ["upcoming", "open", "closed"]
    assert [row[0].response_count for row in mine] == [0, 7, 0]
    assert url("detail", current) in content
    # Observers do not create surveys.
    assert url("create") not in content and url("import") not in content


def test_coordinator_sees_the_ways_to_create_a_survey(coordinator):
    content = client_for(coordinator).get(url("list")).content.decode()

    assert url("create") in content and url("import") in content


def test_list_runs_the_same_queries_for_one_survey_or_many(coordinator, partnership_a):
    def queries() -> int:
        client = client_for(coordinator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("list")).status_code == 200
        return len(captured)

    respond(make_survey(partnership_a, slug="pierwsza"), 3)
    one = queries()
    for number in range(5):
        respond(make_survey(partnership_a, slug=f"kolejna-{number}"), number)

    assert queries() == one


# --- creating from a template -------------------------------------------------------------


def test_create_page_prefills_the_chosen_templates_title(coordinator, template):
    response = client_for(coordinator).get(url("create") + f"?szablon={template}")

    form = response.context["form"]
    assert form.initial["template"] == template
    assert form.initial["title"] == questionnaires.TEMPLATES[template].title.pl
    assert form.initial["slug"]
    assert escape(form.initial["title"]) in response.content.decode()


def test_coordinator_creates_a_survey_from_a_template(logged, coordinator, partnership_a, template):
    response = client_for(coordinator).post(url("create"), {
        "template": template, "title": "Nasza ankieta", "slug": "nasza-ankieta",
        "opens_on": "2026-03-01", "closes_on": "2026-03-31",
    })

    survey = Survey.objects.get(partnership=partnership_a, slug="nasza-ankieta")
    assert response.status_code == 302
    assert response["Location"] == url("detail", survey)
    assert survey.title == "Nasza ankieta" and survey.template == template
    assert str(survey.closes_on) == "2026-03-31"
    assert survey.questionnaire.questions
    [entry] = logged("survey.created")
    assert entry.actor == coordinator and entry.object_id == str(survey.pk)


def test_an_empty_title_keeps_the_templates_title(coordinator, partnership_a, template):
    client_for(coordinator).post(url("create"), {
        "template": template, "title": "", "slug": "z-szablonu",
        "opens_on": "2026-03-01", "closes_on": "2026-03-31",
    })

    survey = Survey.objects.get(slug="z-szablonu")
    assert survey.title == questionnaires.TEMPLATES[template].title.pl


@pytest.mark.parametrize("data,field,message", [
    ({"slug": "mieszkancy-2026"}, "slug",
     "The partnership already has a survey with this address; choose another."),
    ({"slug": "Ankieta mieszkańców!"}, "slug",
     "Use only lower-case letters without Polish characters, digits and hyphens."),
    ({"closes_on": "2026-02-01"}, "closes_on",
     "The closing date cannot be earlier than the opening date."),
    ({"opens_on": "1 marca"}, "opens_on", "Enter a date as YYYY-MM-DD."),
    ({"template": "nie-ma-takiego"}, "template", "Choose one of the templates listed."),
])
def test_create_refuses_bad_input_with_a_message(coordinator, survey, template, data, field,
                                                 message):
    post = {"template": template, "title": "T", "slug": "nowa", "opens_on": "2026-03-01",
            "closes_on": "2026-03-31"} | data

    response = client_for(coordinator).post(url("create"), post)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert polish(message) in response.content.decode()
    assert not Survey.objects.filter(slug="nowa").exists()


def test_create_with_nothing_posted_is_400(coordinator, template):
    response = client_for(coordinator).post(url("create"), {})

    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"template", "slug", "opens_on", "closes_on"}


# --- importing an XLSForm ------------------------------------------------------------------


def _import_post(**overrides):
    return {"audience": "youth", "title": "", "slug": "mlodziez", "opens_on": "2026-04-01",
            "closes_on": "2026-04-30", "gdpr_clause": "Administratorem danych jest …"} | overrides


def test_import_page_prefills_the_gdpr_clause(coordinator, partnership_a):
    response = client_for(coordinator).get(url("import"))

    assert response.context["form"].initial["gdpr_clause"] == \
        questionnaires.default_gdpr_clause(partnership_a)


def test_coordinator_imports_an_xlsform(logged, coordinator, partnership_a):
    definition = small_definition()

    response = client_for(coordinator).post(
        url("import"), _import_post(file=xlsx(write_xlsform(definition))))

    survey = Survey.objects.get(partnership=partnership_a, slug="mlodziez")
    assert response.status_code == 302 and response["Location"] == url("detail", survey)
    assert survey.questionnaire == definition
    assert survey.audience == "youth" and survey.title == definition.title.pl
    assert survey.gdpr_clause == "Administratorem danych jest …"
    assert logged("survey.imported")[0].actor == coordinator


def test_import_shows_every_problem_with_sheet_row_and_column(coordinator):
    broken = form([
        ["select_one nie_ma_listy", "q1", "Pytanie", "Question", ""],
        ["integer", "q2", "Liczba", "Number", "${nie_ma} > 2"],
    ])

    response = client_for(coordinator).post(url("import"), _import_post(file=xlsx(broken)))

    assert response.status_code == 400
    problems = response.context["problems"]
    assert len(problems) >= 2
    assert {problem.sheet for problem in problems} == {"survey"}
    assert {problem.row for problem in problems} >= {2, 3}
    content = response.content.decode()
    assert "<table" in content and "ankieta.xlsx" in content
    for problem in problems:
        assert escape(problem.message) in content
    assert not Survey.objects.filter(slug="mlodziez").exists()


@pytest.mark.parametrize("upload,message", [
    (b"to nie jest arkusz", "Plik nie jest skoroszytem Excela (.xlsx) w formacie XLSForm."),
    (docx_bytes(), "Plik jest dokumentem Worda, a nie skoroszytem Excela (.xlsx)."),
])
def test_import_of_a_file_that_is_not_xlsx_is_400_in_polish(coordinator, upload, message):
    response = client_for(coordinator).post(url("import"), _import_post(file=xlsx(upload)))

    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert not Survey.objects.filter(slug="mlodziez").exists()


def test_import_of_an_oversized_file_is_400(coordinator, settings):
    settings.RAZEM_MAX_UPLOAD_BYTES = 1000
    data = write_xlsform(small_definition())
    assert len(data) > 1000

    response = client_for(coordinator).post(url("import"), _import_post(file=xlsx(data)))

    assert response.status_code == 400
    assert response.context["form"].has_error("file", "too_large")
    assert not Survey.objects.filter(slug="mlodziez").exists()


@pytest.mark.parametrize("overrides,field", [
    ({}, "file"),  # no file
    ({"closes_on": "2026-03-01"}, "closes_on"),
    ({"audience": "aliens"}, "audience"),
    ({"slug": ""}, "slug"),
    ({"gdpr_clause": ""}, "gdpr_clause"),
])
def test_import_refuses_missing_or_bad_fields(coordinator, overrides, field):
    data = _import_post(**overrides)
    if field != "file":
        data["file"] = xlsx(write_xlsform(small_definition()))

    response = client_for(coordinator).post(url("import"), data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Survey.objects.filter(slug="mlodziez").exists()


# --- the survey's page ---------------------------------------------------------------------


def test_detail_shows_the_link_qr_counts_and_links(observer, survey):
    respond(survey, 4)
    respond(survey, 2, Channel.PAPER)

    response = client_for(observer).get(url("detail", survey))

    content = response.content.decode()
    public = f"http://testserver/p/{SLUG}/s/mieszkancy-2026/"
    assert public in content
    assert f'src="{url("qr_svg", survey)}"' in content
    assert escape(f"{public}") in response.context["public_url"]
    assert response.context["response_total"] == 6
    assert dict(response.context["channels"]) == {
        Channel.WEB.label: 4, Channel.PAPER.label: 2}
    for name in ("poster", "xlsform", "results"):
        assert url(name, survey) in content
    assert reverse("reports:list", args=[SLUG]) in content
    # Observers neither change the survey nor see its codes.
    assert url("publication", survey) not in content
    assert url("codes", survey) not in content
    assert url("delete", survey) not in content


def test_detail_offers_coordinators_publication_codes_and_deletion(coordinator, survey):
    content = client_for(coordinator).get(url("detail", survey)).content.decode()

    for name in ("publication", "codes", "edit", "delete", "paper"):
        assert url(name, survey) in content


# --- editing -------------------------------------------------------------------------------


def _edit_post(survey: Survey, **overrides) -> dict[str, str]:
    return {"title": survey.title, "slug": survey.slug, "introduction": survey.introduction,
            "gdpr_clause": survey.gdpr_clause, "opens_on": survey.opens_on.isoformat(),
            "closes_on": survey.closes_on.isoformat(), "anonymity": survey.anonymity,
            } | ({"codes_required": "on"} if survey.codes_required else {}) | overrides


def test_coordinator_edits_a_survey_and_the_change_is_logged(logged, coordinator, survey):
    response = client_for(coordinator).post(url("edit", survey), _edit_post(
        survey, title="Nowy tytuł", codes_required="on"))

    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title == "Nowy tytuł" and survey.codes_required
    [entry] = logged("survey.changed")
    assert entry.changes["title"] == ["Ankieta testowa", "Nowy tytuł"]
    assert entry.changes["codes_required"] == [False, True]


def test_an_anonymous_survey_with_responses_cannot_become_confidential(coordinator, survey):
    respond(survey)

    response = client_for(coordinator).post(
        url("edit", survey), _edit_post(survey, anonymity="confidential"))

    assert response.status_code == 400
    assert "anonymity" in response.context["form"].errors
    assert polish("Respondents have already answered on the promise of anonymity; that "
                  "promise cannot be changed. Create a new survey instead.") \
        in response.content.decode()
    survey.refresh_from_db()
    assert survey.anonymity == "anonymous"


def test_an_anonymous_survey_without_responses_may_become_confidential(coordinator, survey):
    client_for(coordinator).post(url("edit", survey), _edit_post(survey, anonymity="confidential"))

    survey.refresh_from_db()
    assert survey.anonymity == "confidential"


def test_becoming_anonymous_removes_time_and_account_from_earlier_responses(
        coordinator, officer, partnership_a):
    survey = make_survey(partnership_a, anonymity="confidential")
    Response.objects.create(survey=survey, answers={}, submitted_at=timezone.now(),
                            respondent=officer)

    client_for(coordinator).post(url("edit", survey), _edit_post(survey, anonymity="anonymous"))

    row = Response.objects.get(survey=survey)
    assert row.submitted_at is None and row.respondent is None


@pytest.mark.parametrize("overrides,field", [
    ({"closes_on": "2000-01-01"}, "closes_on"),
    ({"slug": "zajeta"}, "slug"),
    ({"title": ""}, "title"),
    ({"anonymity": "public"}, "anonymity"),
    ({"opens_on": "jutro"}, "opens_on"),
])
def test_edit_refuses_bad_input(coordinator, survey, partnership_a, overrides, field):
    make_survey(partnership_a, slug="zajeta")

    response = client_for(coordinator).post(url("edit", survey), _edit_post(survey, **overrides))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    # The page still names the saved survey, not the rejected values.
    assert response.context["survey"].title == "Ankieta testowa"
    survey.refresh_from_db()
    assert survey.slug == "mieszkancy-2026" and survey.title == "Ankieta testowa"


# --- XLSForm out and replacing the questions -------------------------------------------------


def test_xlsform_download_gives_the_surveys_questions(observer, survey):
    response = client_for(observer).get(url("xlsform", survey))

    assert response["Content-Type"] == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == \
        'attachment; filename="ankieta-mieszkancy-2026.xlsx"'
    assert read_xlsform(response.content) == survey.questionnaire


def _one_question_form() -> bytes:
    return form([["text", "idea", "Pomysł", "Idea", ""]])


def test_xlsform_replace_changes_the_questions_of_a_survey_without_responses(logged, coordinator,
                                                                             survey):
    response = client_for(coordinator).post(url("xlsform_replace", survey),
                                            {"file": xlsx(_one_question_form())})

    assert response.status_code == 302
    survey.refresh_from_db()
    assert [q.name for q in survey.questionnaire.questions] == ["idea"]
    [entry] = logged("survey.questions_replaced")
    assert entry.changes["questions"] == [len(small_definition().questions), 1]


def test_xlsform_replace_is_refused_once_there_are_responses(coordinator, survey):
    respond(survey)

    response = client_for(coordinator).post(url("xlsform_replace", survey),
                                            {"file": xlsx(_one_question_form())})

    assert response.status_code == 409
    assert polish("The survey already has responses, so its questions cannot be replaced: "
                  "the answers must keep the questions they answered. Create a new survey "
                  "instead.") in response.content.decode()
    survey.refresh_from_db()
    assert survey.questionnaire == small_definition()


def test_xlsform_replace_with_a_broken_file_keeps_the_questions(coordinator, survey):
    broken = form([["select_one nie_ma_listy", "q1", "Pytanie", "Question", ""]])

    response = client_for(coordinator).post(url("xlsform_replace", survey),
                                            {"file": xlsx(broken)})

    assert response.status_code == 400
    assert response.context["problems"][0].sheet == "survey"
    survey.refresh_from_db()
    assert survey.questionnaire == small_definition()


def test_xlsform_replace_without_a_file_is_400(coordinator, survey):
    response = client_for(coordinator).post(url("xlsform_replace", survey), {})

    assert response.status_code == 400
    assert polish("Choose the XLSForm file to upload.") in response.content.decode()


# --- publication ------------------------------------------------------------------------------


def test_publishing_and_withdrawing_results_is_logged(logged, coordinator, survey):
    client = client_for(coordinator)

    client.post(url("publication", survey), {"published": "1"})
    survey.refresh_from_db()
    assert survey.results_published and survey.results_published_at is not None

    client.post(url("publication", survey), {"published": "0"})
    survey.refresh_from_db()
    assert not survey.results_published and survey.results_published_at is None
    assert len(logged("survey.results_published")) == 1
    assert len(logged("survey.results_withdrawn")) == 1


@pytest.mark.parametrize("data", [{}, {"published": "tak"}])
def test_publication_with_a_forged_value_is_400(coordinator, survey, data):
    response = client_for(coordinator).post(url("publication", survey), data)

    assert response.status_code == 400
    assert polish("Say whether to publish or withdraw the results.") in response.content.decode()
    survey.refresh_from_db()
    assert not survey.results_published


def test_publication_is_post_only(coordinator, survey):
    assert client_for(coordinator).get(url("publication", survey)).status_code == 405


# --- QR code and poster ------------------------------------------------------------------------


def test_qr_code_as_svg_and_png(observer, survey):
    client = client_for(observer)

    svg = client.get(url("qr_svg", survey))
    png = client.get(url("qr_png", survey))

    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg") and b"<title>" in svg.content
    assert 'filename="ankieta-mieszkancy-2026-qr.svg"' in svg["Content-Disposition"]
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    assert 'filename="ankieta-mieszkancy-2026-qr.png"' in png["Content-Disposition"]


def test_poster_is_a_one_page_pdf_with_the_address_title_and_dates(observer, survey):
    response = client_for(observer).get(url("poster", survey))

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace("\n", "")
    assert f"http://testserver/p/{SLUG}/s/mieszkancy-2026/" in text
    assert survey.title in text and survey.partnership.name in text
    assert str(survey.closes_on.year) in text


# --- one-time codes ---------------------------------------------------------------------------


def test_coordinator_creates_a_batch_of_unique_codes(logged, coordinator, survey):
    response = client_for(coordinator).post(url("codes", survey),
                                            {"label": "Liceum, klasa 4b", "count": "25"})

    assert response.status_code == 302
    batch = CodeBatch.objects.get(survey=survey)
    codes = list(batch.codes.values_list("code", flat=True))
    assert batch.label == "Liceum, klasa 4b" and len(set(codes)) == 25
    assert all(len(code) == models.CODE_LENGTH for code in codes)
    [entry] = logged("survey.codes_created")
    assert entry.changes["count"] == [None, 25]
    # The log says how many, never the codes themselves.
    assert not any(code in str(entry.changes) for code in codes)


def test_codes_page_lists_batches_with_used_and_unused_counts(coordinator, survey, batch):
    batch.codes.filter(pk=batch.codes.first().pk).update(used_on=timezone.localdate())

    response = client_for(coordinator).get(url("codes", survey))

    [row] = response.context["batches"]
    assert (row.total, row.used, row.unused) == (3, 1, 2)
    assert response["Cache-Control"].count("no-store") == 1
    assert url("code_cards", survey, batch.pk) in response.content.decode()


def test_codes_already_in_the_survey_are_drawn_again(coordinator, survey, batch, monkeypatch):
    existing = batch.codes.first().code
    drawn = iter([existing, existing, "NEWCODE2", "NEWCODE2", "NEWCODE3"])
    monkeypatch.setattr(models, "new_code", lambda: next(drawn))

    client_for(coordinator).post(url("codes", survey), {"label": "Druga", "count": "2"})

    new = CodeBatch.objects.get(label="Druga")
    assert sorted(new.codes.values_list("code", flat=True)) == ["NEWCODE2", "NEWCODE3"]


@pytest.mark.parametrize("data,field", [
    ({"label": "Klasa", "count": "0"}, "count"),
    ({"label": "Klasa", "count": "501"}, "count"),
    ({"label": "Klasa", "count": "dużo"}, "count"),
    ({"label": "Klasa"}, "count"),
    ({"count": "10"}, "label"),
])
def test_bad_batch_is_400_and_creates_nothing(coordinator, survey, data, field):
    response = client_for(coordinator).post(url("codes", survey), data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not CodeBatch.objects.filter(survey=survey).exists()


def test_too_many_codes_message_names_the_limit(coordinator, survey):
    response = client_for(coordinator).post(url("codes", survey),
                                            {"label": "Klasa", "count": "501"})

    assert polish("At most %(limit_value)s codes can be created in one batch.") \
        .replace("%(limit_value)s", "500") in response.content.decode()


def test_cards_show_each_unused_code_with_the_address(coordinator, survey, batch):
    used, *unused = batch.codes.all()
    OneTimeCode.objects.filter(pk=used.pk).update(used_on=timezone.localdate())

    response = client_for(coordinator).get(url("code_cards", survey, batch.pk))

    content = response.content.decode()
    for code in unused:
        assert code.code in content
    assert used.code not in content
    assert f"http://testserver/p/{SLUG}/s/mieszkancy-2026/" in content
    assert polish("The code can be used only once.") in content
    assert "no-store" in response["Cache-Control"]


def test_cards_as_pdf_contain_every_unused_code(coordinator, survey, batch):
    response = client_for(coordinator).get(url("code_cards_pdf", survey, batch.pk))

    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for code in batch.codes.values_list("code", flat=True):
        assert code in text


def test_cards_pdf_of_a_used_up_batch_says_so(coordinator, survey, batch):
    batch.codes.update(used_on=timezone.localdate())

    response = client_for(coordinator).get(url("code_cards_pdf", survey, batch.pk))

    assert response.status_code == 302 and response["Location"] == url("codes", survey)


# --- deleting ------------------------------------------------------------------------------


def test_delete_asks_first_then_deletes_a_survey_without_responses(logged, coordinator, survey):
    client = client_for(coordinator)

    assert client.get(url("delete", survey)).status_code == 200
    assert Survey.objects.filter(pk=survey.pk).exists()

    response = client.post(url("delete", survey))

    assert response.status_code == 302 and response["Location"] == url("list")
    assert not Survey.objects.filter(pk=survey.pk).exists()
    assert logged("survey.deleted")[0].object_id == str(survey.pk)


def test_delete_with_responses_needs_the_confirmation_box(coordinator, survey):
    respond(survey, 3)
    client = client_for(coordinator)

    refused = client.post(url("delete", survey))

    assert refused.status_code == 400
    assert polish("The survey has responses; tick the box to confirm that they are to be "
                  "deleted with it.") in refused.content.decode()
    assert Response.objects.filter(survey=survey).count() == 3

    client.post(url("delete", survey), {"confirm": "on"})

    assert not Survey.objects.filter(pk=survey.pk).exists()
    assert not Response.objects.filter(survey_id=survey.pk).exists()


# --- the dashboard ---------------------------------------------------------------------------


def test_partnership_dashboard_links_to_the_surveys(observer):
    response = client_for(observer).get(reverse("partnership_dashboard", args=[SLUG]))

    assert url("list") in response.content.decode()


def test_suggested_addresses_are_short_ascii_and_free(coordinator, partnership_a, template):
    from razem.surveys.forms import suggest_slug

    assert suggest_slug("Ankieta dla mieszkańców: Łódź, żółć") == \
        "ankieta-dla-mieszkancow-lodz-zolc"
    client = client_for(coordinator)
    first = client.get(url("create") + f"?szablon={template}").context["form"].initial["slug"]
    make_survey(partnership_a, slug=first)
    second = client.get(url("create") + f"?szablon={template}").context["form"].initial["slug"]

    assert len(first) <= 30 and second == f"{first}-2"


def test_a_clash_with_a_batch_made_at_the_same_moment_draws_the_batch_again(
        coordinator, survey, batch, monkeypatch):
    from razem.surveys import actions

    taken = batch.codes.first().code
    real = actions._fresh_codes
    attempts = []

    def clashing_once(survey, count):
        # As if another batch had taken the code after this one looked.
        attempts.append(count)
        return [taken] * count if len(attempts) == 1 else real(survey, count)

    monkeypatch.setattr(actions, "_fresh_codes", clashing_once)

    new = actions.create_code_batch(survey=survey, by=coordinator, label="Druga", count=1)

    assert len(attempts) == 2
    assert new.codes.get().code != taken
    assert CodeBatch.objects.filter(survey=survey, label="Druga").count() == 1
