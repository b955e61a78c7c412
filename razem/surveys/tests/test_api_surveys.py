"""The survey API: published surveys only, the public page's suppression rules."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from razem.conftest import client_for
from razem.surveys.models import Response, Survey
from razem.surveys.tests.factories import make_survey

BASE = "/api/v1/partnerships/razem-dla-rozwoju/surveys/"


@pytest.fixture(autouse=True)
def _setup(cast, partnership_a, monkeypatch):
    monkeypatch.setattr("razem.surveys.population.targets_for", lambda survey: None)
    cache.clear()
    Survey.objects.filter(partnership=partnership_a).delete()
    yield
    cache.clear()


def _publish(survey: Survey) -> Survey:
    survey.results_published = True
    survey.results_published_at = timezone.now()
    survey.save()
    return survey


@pytest.fixture
def published(partnership_a) -> Survey:
    survey = make_survey(partnership_a, slug="opublikowana")
    answers = ([{"lives_here": "yes", "needs": ["roads"]}] * 20
               + [{"lives_here": "no", "needs": ["jobs"]}] * 3)
    Response.objects.bulk_create([Response(survey=survey, answers=a) for a in answers])
    return _publish(survey)


def test_list_has_only_published_surveys(published, partnership_a, partnership_b, outsider):
    make_survey(partnership_a, slug="robocza")  # not published
    _publish(make_survey(partnership_b, slug="obca"))

    for user in (None, outsider):
        data = client_for(user).get(BASE).json()
        assert [s["slug"] for s in data] == ["opublikowana"]
    entry = data[0]
    assert entry["id"] == published.pk and entry["responses"] == 23
    assert entry["audience"] == "resident"
    assert entry["results_page"] == "/p/razem-dla-rozwoju/s/opublikowana/wyniki/"
    assert entry["results_api"] == f"{BASE}{published.pk}/results/"


def test_results_are_suppressed_like_the_public_page(published):
    data = client_for(None).get(f"{BASE}{published.pk}/results/").json()

    question = next(q for q in data["questions"] if q["name"] == "lives_here")
    choices = {c["code"]: c for c in question["choices"]}
    assert choices["no"]["n"] is None and choices["no"]["pct"] is None
    assert choices["no"]["suppressed"] is True
    assert data["min_cell"] == 5
    for item in data["questions"]:
        for choice in item["choices"]:
            assert choice["n"] is None or choice["n"] >= 5, (item["name"], choice)
    assert question["label"] == "Czy mieszkasz tu na stałe?"
    assert question["label_en"] == "Do you live here permanently?"
    assert data["weighting"]["weighted"] is False


def test_a_visible_choice_has_its_numbers(published):
    data = client_for(None).get(f"{BASE}{published.pk}/results/").json()
    needs = next(q for q in data["questions"] if q["name"] == "needs")
    assert needs["multiple"] is True and needs["base"] == 23
    roads = next(c for c in needs["choices"] if c["code"] == "roads")
    assert roads["n"] == 20 and roads["pct"] == pytest.approx(20 / 23 * 100)
    assert roads["ci_low"] < roads["pct"] < roads["ci_high"]


def test_unpublished_survey_is_404_even_for_members(partnership_a, coordinator):
    draft = make_survey(partnership_a, slug="robocza")
    assert client_for(None).get(f"{BASE}{draft.pk}/results/").status_code == 404
    assert client_for(coordinator).get(f"{BASE}{draft.pk}/results/").status_code == 404


def test_another_partnerships_survey_is_404(partnership_b):
    foreign = _publish(make_survey(partnership_b, slug="obca"))
    assert client_for(None).get(f"{BASE}{foreign.pk}/results/").status_code == 404
    assert client_for(None).get(
        f"/api/v1/partnerships/ziemia-wegrowska/surveys/{foreign.pk}/results/").status_code == 200


def test_unknown_partnership_is_404(db):
    assert client_for(None).get("/api/v1/partnerships/nie-ma/surveys/").status_code == 404


def test_few_responses_are_not_counted_publicly(partnership_a):
    small = make_survey(partnership_a, slug="mala")
    Response.objects.bulk_create([Response(survey=small, answers={"lives_here": "yes"})] * 3)
    _publish(small)
    assert client_for(None).get(BASE).json()[0]["responses"] is None
    data = client_for(None).get(f"{BASE}{small.pk}/results/").json()
    assert data["survey"]["responses"] is None
    assert all(c["n"] is None for q in data["questions"] for c in q["choices"])


def test_openapi_schema_describes_the_survey_endpoints(db):
    schema = client_for(None).get("/api/v1/openapi.json").json()
    assert "/api/v1/partnerships/{slug}/surveys/" in schema["paths"]
    results = schema["paths"]["/api/v1/partnerships/{slug}/surveys/{survey_id}/results/"]
    assert results["get"]["tags"] == ["surveys"]
    assert "SurveyResultsOut" in schema["components"]["schemas"]


def test_list_uses_a_fixed_number_of_queries(published, partnership_a,
                                             django_assert_max_num_queries):
    _publish(make_survey(partnership_a, slug="druga"))
    with django_assert_max_num_queries(3):
        client_for(None).get(BASE)
