"""The public response form, its thank-you page and paper entry, through HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.utils import timezone

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.surveys.answers import post_data
from razem.surveys.models import Channel, CodeBatch, OneTimeCode, Response
from razem.surveys.tests.factories import make_survey, small_definition

DEFINITION = small_definition()
LOSICE = "1410023"
VALID = {"gmina": LOSICE, "lives_here": "yes", "years": "7", "needs": ["roads", "other"],
         "needs_other": "park", "priority": ["jobs", "roads"], "svc_school": "4",
         "idea": "ławki", "comments": "Dziękuję"}


_baseline = {"id": 0}


def stored():
    """Responses stored by the test (the demo may bring surveys with responses)."""
    return Response.objects.filter(id__gt=_baseline["id"])


@pytest.fixture(autouse=True)
def _only_new_responses(cast):
    _baseline["id"] = Response.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Survey ids repeat between tests; nothing cached for one test may leak into the next.
    # (The rate limiter's counters are reset for every test in razem/conftest.py.)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey(partnership_a):
    return make_survey(partnership_a)


def url(survey) -> str:
    return f"/p/{survey.partnership.slug}/s/{survey.slug}/"


def paper_url(survey) -> str:
    return f"/p/{survey.partnership.slug}/ankiety/{survey.pk}/papierowe/"


def form(answers=None, **extra) -> dict:
    data = post_data(DEFINITION, VALID if answers is None else answers)
    data.setdefault("submission_key", ["a1" * 16])
    data.update({key: [value] for key, value in extra.items()})
    return data


def with_codes(survey, *codes: str) -> None:
    survey.codes_required = True
    survey.save()
    batch = CodeBatch.objects.create(survey=survey, label="klasa 3a")
    OneTimeCode.objects.bulk_create(OneTimeCode(batch=batch, survey=survey, code=c) for c in codes)


# --- the form -------------------------------------------------------------------------------


def test_the_form_shows_every_question_without_login(survey):
    response = client_for(None).get(url(survey))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("gmina", "age", "sex", "lives_here", "years", "needs", "priority:roads",
                 "satisfaction", "svc_school", "svc_clinic", "household", "idea", "comments"):
        assert f'name="{name}"' in html
    assert 'name="submission_key"' in html and 'name="code"' not in html
    assert "Dziękujemy za udział." in html  # the note
    assert "Administratorem danych" in html  # the GDPR clause
    assert "Łosice" in html  # the partnership's gminas
    # Skip logic without JavaScript: the conditional question is there, with a note.
    assert 'id="q-years-applies"' in html and "data-relevant=" in html
    assert "<script>" not in html and "style=" not in html


def test_the_form_in_english(survey, settings):
    client = client_for(None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url(survey)).content.decode()
    assert "Which gmina do you live in?" in html
    assert "W której gminie mieszkasz?" not in html
    assert "Test survey" in html  # the definition's English title
    # A text without an English version falls back to Polish.
    assert "Administratorem danych" in html


def test_a_valid_response_is_saved_and_counted(survey):
    client = client_for(None)
    response = client.post(url(survey), form())
    assert response.status_code == 303
    assert response["Location"] == f"/p/{survey.partnership.slug}/s/{survey.slug}/dziekujemy/"
    saved = stored().get(survey=survey)
    assert saved.answers == VALID
    assert saved.channel == Channel.WEB
    assert saved.submitted_on == timezone.localdate()
    assert survey.responses.count() == 1
    assert client.get(response["Location"]).status_code == 200


def test_answers_to_a_question_that_does_not_apply_are_not_saved(survey):
    answers = {**VALID, "lives_here": "no"}
    assert client_for(None).post(url(survey), form(answers)).status_code == 303
    assert "years" not in stored().get().answers


def test_resending_the_same_form_stores_one_response(survey):
    client = client_for(None)
    first = client.post(url(survey), form())
    second = client.post(url(survey), form())
    assert first.status_code == second.status_code == 303
    assert stored().filter(survey=survey).count() == 1
    # A new form (a new key) is a new response.
    client.post(url(survey), form(submission_key="b2" * 16))
    assert stored().filter(survey=survey).count() == 2


def test_a_forged_submission_key_is_not_stored(survey):
    assert client_for(None).post(url(survey), form(submission_key="<x>")).status_code == 303
    assert stored().get().submission_key != "<x>"


# --- bad input --------------------------------------------------------------------------------


def test_an_invalid_post_keeps_the_answers_and_says_what_is_wrong(survey):
    data = form({**VALID, "years": "dużo", "idea": "x" * 60})
    response = client_for(None).post(url(survey), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'href="#q-years"' in html and 'href="#q-idea"' in html
    assert 'value="dużo"' in html  # kept
    assert 'value="park"' in html  # the other answers too
    assert 'aria-describedby="q-years-applies q-years-hint q-years-error"' in html
    assert stored().count() == 0


def test_a_forged_choice_is_refused(survey):
    response = client_for(None).post(url(survey), form({**VALID, "gmina": "1465011"}))
    assert response.status_code == 400
    assert 'href="#q-gmina"' in response.content.decode()
    assert stored().count() == 0


@pytest.mark.parametrize("data", [
    {"comments": ["x" * 100_000]},
    {"needs": ["roads"] * 500},
    {"priority:roads": ["9" * 5000]},
    {"years": ["1" * 10_000], "lives_here": ["yes"]},
    {"gmina": ["\x00"], "idea": ["\x00" * 10]},
    {"code": ["\x00" * 50]},
])
def test_oversized_or_strange_posts_are_refused_not_crashed(survey, data):
    response = client_for(None).post(url(survey), {**form(), **data})
    assert response.status_code in (303, 400)
    if "idea" not in data and "code" not in data:
        assert response.status_code == 400


def test_a_post_over_the_size_limit_is_refused(survey):
    data = form()
    data["padding"] = ["x" * 600_000]
    response = client_for(None).post(url(survey), data)
    assert response.status_code == 400
    assert stored().count() == 0


def test_another_partnerships_address_is_404(survey, partnership_b):
    other = make_survey(partnership_b, slug="wegrow")
    client = client_for(None)
    assert client.get(f"/p/{partnership_b.slug}/s/{survey.slug}/").status_code == 404
    assert client.post(f"/p/{partnership_b.slug}/s/{survey.slug}/", form()).status_code == 404
    assert client.get(f"/p/{survey.partnership.slug}/s/{other.slug}/").status_code == 404
    assert client.post(f"/p/{survey.partnership.slug}/s/{other.slug}/", form()).status_code == 404
    assert client.get(f"/p/{survey.partnership.slug}/s/{other.slug}/dziekujemy/").status_code == 404
    assert stored().count() == 0


# --- open and closed --------------------------------------------------------------------------


@pytest.mark.parametrize("days", [(-30, -1), (1, 30)])
def test_a_survey_that_is_not_open_refuses_with_403(partnership_a, days):
    today = timezone.localdate()
    survey = make_survey(partnership_a, opens_on=today + timedelta(days=days[0]),
                         closes_on=today + timedelta(days=days[1]))
    client = client_for(None)
    assert client.get(url(survey)).status_code == 403
    assert client.post(url(survey), form()).status_code == 403
    assert stored().count() == 0


def test_the_last_day_is_open(partnership_a):
    today = timezone.localdate()
    survey = make_survey(partnership_a, opens_on=today, closes_on=today)
    assert client_for(None).post(url(survey), form()).status_code == 303


# --- one-time codes ---------------------------------------------------------------------------


def test_a_code_is_accepted_once(survey):
    with_codes(survey, "ABCDEFGH", "JKMNPQRS")
    client = client_for(None)
    html = client.get(url(survey)).content.decode()
    assert 'name="code"' in html
    assert client.post(url(survey), form(code="abcd-efgh")).status_code == 303
    code = OneTimeCode.objects.get(code="ABCDEFGH")
    assert code.used_on == timezone.localdate()
    reused = client.post(url(survey), form(code="ABCDEFGH", submission_key="c3" * 16))
    assert reused.status_code == 400
    assert 'href="#q-code"' in reused.content.decode()
    assert 'value="park"' in reused.content.decode()  # answers kept
    assert stored().count() == 1


def test_an_unknown_or_missing_code_is_refused(survey):
    with_codes(survey, "ABCDEFGH")
    client = client_for(None)
    assert client.post(url(survey), form(code="ZZZZZZZZ")).status_code == 400
    assert client.post(url(survey), form()).status_code == 400
    assert client.post(url(survey), form(code="Z" * 200)).status_code == 400
    assert stored().count() == 0
    assert OneTimeCode.objects.get(survey=survey).used_on is None


def test_a_code_of_another_survey_is_unknown(survey, partnership_a):
    other = make_survey(partnership_a, slug="inna")
    with_codes(other, "ABCDEFGH")
    with_codes(survey, "JKMNPQRS")
    assert client_for(None).post(url(survey), form(code="ABCDEFGH")).status_code == 400
    assert OneTimeCode.objects.get(code="ABCDEFGH").used_on is None


def test_resending_with_a_code_stores_one_response_and_uses_one_code(survey):
    with_codes(survey, "ABCDEFGH")
    client = client_for(None)
    assert client.post(url(survey), form(code="ABCDEFGH")).status_code == 303
    assert client.post(url(survey), form(code="ABCDEFGH")).status_code == 303
    assert stored().count() == 1


def test_invalid_answers_do_not_use_the_code(survey):
    with_codes(survey, "ABCDEFGH")
    response = client_for(None).post(url(survey), form({**VALID, "gmina": "x"}, code="ABCDEFGH"))
    assert response.status_code == 400
    assert OneTimeCode.objects.get(survey=survey).used_on is None


# --- rate limit -------------------------------------------------------------------------------


def test_too_many_posts_from_one_client_get_429(survey, settings):
    settings.RAZEM_SURVEY_RATE_LIMIT = "2/600"
    client = client_for(None)
    assert client.post(url(survey), form(submission_key="d4" * 16)).status_code == 303
    assert client.post(url(survey), form({}, submission_key="e5" * 16)).status_code == 400
    blocked = client.post(url(survey), form(submission_key="f6" * 16))
    assert blocked.status_code == 429
    assert stored().count() == 1
    # Another client, and another survey, are counted separately.
    assert client.post(url(survey), form(submission_key="a7" * 16),
                       REMOTE_ADDR="10.1.2.3").status_code == 303
    other = make_survey(survey.partnership, slug="inna")
    assert client.post(url(other), form()).status_code == 303
    # Reading the form is not limited.
    assert client.get(url(survey)).status_code == 200


@pytest.mark.parametrize("setting", ["0", "", "nonsense"])
def test_the_rate_limit_can_be_switched_off(survey, settings, setting):
    settings.RAZEM_SURVEY_RATE_LIMIT = setting
    client = client_for(None)
    for index in range(5):
        key = f"{index:02d}" * 16
        assert client.post(url(survey), form(submission_key=key)).status_code == 303


# --- paper entry ------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [
    ("coordinator", 200), ("officer", 200), ("advisor", 403), ("observer", 403),
    ("outsider", 404), (None, 302),
])
def test_who_may_enter_paper_questionnaires(request, survey, who, status):
    user = request.getfixturevalue(who) if who else None
    client = client_for(user)
    assert client.get(paper_url(survey)).status_code == status
    if status != 200:
        assert client.post(paper_url(survey), form()).status_code == status
        assert stored().count() == 0


def test_another_partnerships_survey_id_is_404_for_paper(survey, partnership_b, coordinator):
    other = make_survey(partnership_b, slug="wegrow")
    client = client_for(coordinator)
    assert client.get(f"/p/{survey.partnership.slug}/ankiety/{other.pk}/papierowe/").status_code \
        == 404


def test_a_paper_questionnaire_is_saved_without_the_officer(survey, officer):
    client = client_for(officer)
    response = client.post(paper_url(survey), form())
    assert response.status_code == 303 and response["Location"] == paper_url(survey)
    saved = stored().get()
    assert saved.channel == Channel.PAPER and saved.respondent is None
    assert saved.submitted_at is None and saved.answers == VALID
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(messages) == 1 and "1" in messages[0]
    # The audit log names the survey, never the response.
    entry = AuditLogEntry.objects.get(action="survey.paper_response_entered")
    assert entry.object_type == "surveys.survey" and entry.object_id == str(survey.pk)
    assert entry.actor == officer
    page = client.get(paper_url(survey)).content.decode()
    assert 'class="paper-count"' in page
    # Skipped questions, even required ones, are fine on paper.
    assert client.post(paper_url(survey), form({"needs": ["jobs"]},
                                               submission_key="9" * 32)).status_code == 303
    assert stored().filter(channel=Channel.PAPER).count() == 2


def test_paper_entry_still_validates(survey, coordinator):
    response = client_for(coordinator).post(paper_url(survey), form({**VALID, "sex": "x"}))
    assert response.status_code == 400
    assert 'href="#q-sex-0"' in response.content.decode()
    assert stored().count() == 0


def test_paper_entry_works_after_the_survey_closed(partnership_a, officer):
    today = timezone.localdate()
    survey = make_survey(partnership_a, opens_on=today - timedelta(days=60),
                         closes_on=today - timedelta(days=10))
    client = client_for(officer)
    assert client.get(paper_url(survey)).status_code == 200
    assert client.post(paper_url(survey), form()).status_code == 303
    assert stored().get().channel == Channel.PAPER


def test_paper_entry_is_refused_when_codes_are_required(survey, coordinator):
    with_codes(survey, "ABCDEFGH")
    client = client_for(coordinator)
    assert client.get(paper_url(survey)).status_code == 403
    assert client.post(paper_url(survey), form()).status_code == 403
    assert stored().count() == 0


def test_paper_entry_in_confidential_mode_does_not_name_the_officer(partnership_a, officer):
    survey = make_survey(partnership_a, anonymity="confidential")
    assert client_for(officer).post(paper_url(survey), form()).status_code == 303
    assert stored().get().respondent is None
