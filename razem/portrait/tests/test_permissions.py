"""Permission matrix of every portrait view: every role, anonymous and the outsider,
before and after publication."""

from __future__ import annotations

import pytest
from django.urls import reverse

from razem.conftest import client_for
from razem.portrait import actions
from razem.portrait.models import DiagnosisConclusion

ROLES = ["anonymous", "coordinator", "officer", "advisor", "observer", "outsider"]
LOGIN = 302

MEMBERS_READ = {"anonymous": LOGIN, "coordinator": 200, "officer": 200, "advisor": 200,
                "observer": 200, "outsider": 404}
ANYONE_READ = {role: 200 for role in ROLES}
COORDINATOR_PAGE = {"anonymous": LOGIN, "coordinator": 200, "officer": 403, "advisor": 403,
                    "observer": 403, "outsider": 404}
COORDINATOR_POST = {**COORDINATOR_PAGE, "coordinator": 302}


def _conclusion(partnership) -> int:
    return DiagnosisConclusion.objects.create(
        partnership=partnership, kind="strength", text="Dobra sieć wodociągowa.").pk


READ_VIEWS = [
    ("overview", lambda p: reverse("portrait:overview", args=[p.slug])),
    ("dimension", lambda p: reverse("portrait:dimension", args=[p.slug, "economic"])),
    ("indicator", lambda p: reverse("portrait:indicator", args=[p.slug, "unemployment_rate"])),
    ("unit", lambda p: reverse("portrait:unit", args=[p.slug, "1410023"])),
    ("powiat", lambda p: reverse("portrait:unit", args=[p.slug, "1410"])),
    ("methodology", lambda p: reverse("portrait:methodology", args=[p.slug])),
    ("candidates", lambda p: reverse("portrait:candidates", args=[p.slug])),
]

# (name, method, url builder, form data)
WRITE_VIEWS = [
    ("conclusions", "get", lambda p: reverse("portrait:conclusions", args=[p.slug]), None),
    ("conclusion_add", "post", lambda p: reverse("portrait:conclusions", args=[p.slug]),
     {"kind": "weakness", "text": "Niski udział kanalizacji."}),
    ("conclusion_edit", "get",
     lambda p: reverse("portrait:conclusion_edit", args=[p.slug, _conclusion(p)]), None),
    ("conclusion_edit_post", "post",
     lambda p: reverse("portrait:conclusion_edit", args=[p.slug, _conclusion(p)]),
     {"kind": "challenge", "text": "Starzenie się mieszkańców."}),
    ("conclusion_delete", "post",
     lambda p: reverse("portrait:conclusion_delete", args=[p.slug, _conclusion(p)]), {}),
    ("candidate_accept", "post", lambda p: reverse("portrait:candidate_accept", args=[p.slug]),
     {"key": "unemployment_rate:1410052"}),
    ("publish", "post", lambda p: reverse("portrait:publication", args=[p.slug]),
     {"published": "1"}),
    ("reference_year", "post", lambda p: reverse("portrait:reference_year", args=[p.slug]),
     {"year": "2018"}),
]


def _client(role, request):
    return client_for(None if role == "anonymous" else request.getfixturevalue(role))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,url", READ_VIEWS, ids=[v[0] for v in READ_VIEWS])
def test_unpublished_portrait_is_for_members_only(small_data, partnership_a, request, role,
                                                  name, url):
    response = _client(role, request).get(url(partnership_a))

    assert response.status_code == MEMBERS_READ[role]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,url", READ_VIEWS, ids=[v[0] for v in READ_VIEWS])
def test_published_portrait_is_readable_by_anyone(small_data, partnership_a, coordinator,
                                                  request, role, name, url):
    actions.set_published(partnership=partnership_a, by=coordinator, published=True)

    response = _client(role, request).get(url(partnership_a))

    assert response.status_code == ANYONE_READ[role]


@pytest.mark.parametrize("published", [False, True], ids=["unpublished", "published"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,form", WRITE_VIEWS, ids=[v[0] for v in WRITE_VIEWS])
def test_only_coordinators_change_the_portrait_published_or_not(
    small_data, partnership_a, coordinator, request, role, name, method, url, form, published,
):
    if published:
        actions.set_published(partnership=partnership_a, by=coordinator, published=True)
    client = _client(role, request)

    response = getattr(client, method)(url(partnership_a), form or {})

    assert response.status_code == COORDINATOR_POST[role] if method == "post" \
        else response.status_code == COORDINATOR_PAGE[role]


@pytest.mark.parametrize("name,url", READ_VIEWS, ids=[v[0] for v in READ_VIEWS])
def test_read_pages_render_without_any_data(partnership_a, coordinator, name, url):
    response = client_for(coordinator).get(url(partnership_a))

    assert response.status_code == 200


def test_report_buttons_are_shown_to_members_not_to_the_public(small_data, partnership_a,
                                                                coordinator, observer):
    actions.set_published(partnership=partnership_a, by=coordinator, published=True)
    action = reverse("reports:request", args=[partnership_a.slug, "portrait", "pdf"])

    member_page = client_for(observer).get(reverse("portrait:overview", args=[partnership_a.slug]))
    public_page = client_for(None).get(reverse("portrait:overview", args=[partnership_a.slug]))

    assert action in member_page.content.decode()
    assert action not in public_page.content.decode()


def test_editing_controls_are_hidden_from_members_who_cannot_edit(small_data, partnership_a,
                                                                   officer):
    page = client_for(officer).get(reverse("portrait:overview", args=[partnership_a.slug]))

    text = page.content.decode()
    assert reverse("portrait:publication", args=[partnership_a.slug]) not in text
    assert reverse("portrait:candidate_accept", args=[partnership_a.slug]) not in text
