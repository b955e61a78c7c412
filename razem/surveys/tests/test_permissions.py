"""Permission matrix of every survey view: each role, anonymous and the outsider.

The survey is partnership A's; the outsider (B's coordinator) must get 404 everywhere
a member-only page is, and the same ids under B's address are 404 for everyone.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from razem.conftest import client_for
from razem.surveys.models import CodeBatch, OneTimeCode
from razem.surveys.tests.factories import make_survey

ROLES = ["anonymous", "coordinator", "officer", "advisor", "observer", "outsider"]
LOGIN = 302

PUBLIC = {role: 200 for role in ROLES}
MEMBERS = {"anonymous": LOGIN, "coordinator": 200, "officer": 200, "advisor": 200,
           "observer": 200, "outsider": 404}
COORDINATOR = {"anonymous": LOGIN, "coordinator": 200, "officer": 403, "advisor": 403,
               "observer": 403, "outsider": 404}
COORDINATOR_POST = {**COORDINATOR, "coordinator": 302}
CONTRIBUTORS = {**MEMBERS, "observer": 403}
PAPER = {**MEMBERS, "advisor": 403, "observer": 403}
# Unpublished results are the members'; others may not learn the page exists.
MEMBERS_OR_404 = {**MEMBERS, "anonymous": 404}
NOBODY = {role: 404 for role in ROLES}


def _batch(survey) -> int:
    batch = CodeBatch.objects.create(survey=survey, label="Klasa 4a")
    OneTimeCode.objects.create(batch=batch, survey=survey, code="ABCD2345")
    return batch.pk


def _by_id(name, *extra):
    return lambda s: reverse(f"surveys:{name}", args=[s.partnership.slug, s.pk, *extra])


VIEWS = [
    ("respond", "get", lambda s: reverse("surveys:respond", args=[s.partnership.slug, s.slug]),
     PUBLIC),
    ("thanks", "get", lambda s: reverse("surveys:thanks", args=[s.partnership.slug, s.slug]),
     PUBLIC),
    ("public_results_unpublished", "get",
     lambda s: reverse("surveys:public_results", args=[s.partnership.slug, s.slug]),
     MEMBERS_OR_404),
    ("list", "get", lambda s: reverse("surveys:list", args=[s.partnership.slug]), MEMBERS),
    ("create", "get", lambda s: reverse("surveys:create", args=[s.partnership.slug]),
     COORDINATOR),
    ("import", "get", lambda s: reverse("surveys:import", args=[s.partnership.slug]),
     COORDINATOR),
    ("detail", "get", _by_id("detail"), MEMBERS),
    ("edit", "get", _by_id("edit"), COORDINATOR),
    ("delete", "get", _by_id("delete"), COORDINATOR),
    ("xlsform", "get", _by_id("xlsform"), MEMBERS),
    ("publication", "post", _by_id("publication"), COORDINATOR_POST),
    ("qr_svg", "get", _by_id("qr_svg"), MEMBERS),
    ("qr_png", "get", _by_id("qr_png"), MEMBERS),
    ("poster", "get", _by_id("poster"), MEMBERS),
    ("codes", "get", _by_id("codes"), COORDINATOR),
    ("code_cards", "get", lambda s: _by_id("code_cards", _batch(s))(s), COORDINATOR),
    ("paper", "get", _by_id("paper"), PAPER),
    ("results", "get", _by_id("results"), MEMBERS),
    ("population", "get", _by_id("population"), MEMBERS),
    ("open_answers", "get", _by_id("open_answers", "comments"), CONTRIBUTORS),
    ("export_csv", "get", _by_id("export_csv"), CONTRIBUTORS),
    ("export_xlsx", "get", _by_id("export_xlsx"), CONTRIBUTORS),
    ("api_list", "get", lambda s: f"/api/v1/partnerships/{s.partnership.slug}/surveys/", PUBLIC),
    ("api_results_unpublished", "get",
     lambda s: f"/api/v1/partnerships/{s.partnership.slug}/surveys/{s.pk}/results/", NOBODY),
]

POST_DATA = {"publication": {"published": "1"}}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,expected", VIEWS, ids=[v[0] for v in VIEWS])
def test_permission_matrix(request, partnership_a, role, name, method, url, expected):
    survey = make_survey(partnership_a, slug="macierz")
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = getattr(client_for(user), method)(url(survey), POST_DATA.get(name, {}))
    assert response.status_code == expected[role], (name, role, response.status_code)
    if role == "anonymous" and expected[role] == LOGIN:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name,method,url,expected", VIEWS, ids=[v[0] for v in VIEWS])
def test_partnership_a_survey_is_not_found_under_partnership_b(
    request, partnership_a, partnership_b, coordinator, outsider, name, method, url, expected
):
    """A's survey id or slug under B's address: 404 for B's coordinator and for A's."""
    survey = make_survey(partnership_a, slug="macierz")
    foreign = url(survey).replace(f"/{partnership_a.slug}/", f"/{partnership_b.slug}/")
    for user in (outsider, coordinator):
        response = getattr(client_for(user), method)(foreign, POST_DATA.get(name, {}))
        if name == "list" or name in {"create", "import", "api_list"}:
            continue  # partnership-level pages: B's own list is B's business
        assert response.status_code == 404, (name, user.email, response.status_code)


def test_published_results_are_public(partnership_a, outsider):
    survey = make_survey(partnership_a, slug="macierz")
    survey.results_published = True
    survey.save()
    for user in (None, outsider):
        client = client_for(user)
        url = reverse("surveys:public_results", args=[partnership_a.slug, survey.slug])
        assert client.get(url).status_code == 200
        api = f"/api/v1/partnerships/{partnership_a.slug}/surveys/{survey.pk}/results/"
        assert client.get(api).status_code == 200
