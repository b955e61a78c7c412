"""Permission matrix: every view, every role, anonymous and the outsider."""

from __future__ import annotations

import pytest
from django.urls import reverse

from razem.conftest import client_for
from razem.core.models import Membership

ROLES = ["anonymous", "coordinator", "officer", "advisor", "observer", "outsider"]

PUBLIC = {role: 200 for role in ROLES}
LOGIN = 302  # anonymous users are sent to the login page
MEMBERS_ONLY = {"anonymous": LOGIN, "coordinator": 200, "officer": 200, "advisor": 200,
                "observer": 200, "outsider": 404}
COORDINATOR_ONLY = {"anonymous": LOGIN, "coordinator": 200, "officer": 403, "advisor": 403,
                    "observer": 403, "outsider": 404}
COORDINATOR_POST = {**COORDINATOR_ONLY, "coordinator": 302}
ANY_USER = {"anonymous": LOGIN, "coordinator": 200, "officer": 200, "advisor": 200,
            "observer": 200, "outsider": 200}


def _membership_id(partnership, email: str) -> int:
    return Membership.objects.get(partnership=partnership, user__email=email).pk


def _invitation_id(partnership, coordinator) -> int:
    from razem.core.actions import invite_member

    return invite_member(partnership=partnership, by=coordinator, email="nowy@example.pl",
                         role="advisor", unit=None).pk


# (name, method, url builder, expected status per role)
VIEWS = [
    ("home", "get", lambda p, c: reverse("home"), PUBLIC),
    ("accessibility", "get", lambda p, c: reverse("accessibility"), PUBLIC),
    ("privacy", "get", lambda p, c: reverse("privacy"), PUBLIC),
    ("partnership", "get", lambda p, c: reverse("partnership", args=[p.slug]), PUBLIC),
    ("partnership_map", "get", lambda p, c: reverse("partnership_map", args=[p.slug]), PUBLIC),
    ("api_list", "get", lambda p, c: "/api/v1/partnerships/", PUBLIC),
    ("api_detail", "get", lambda p, c: f"/api/v1/partnerships/{p.slug}/", PUBLIC),
    ("dashboard", "get", lambda p, c: reverse("dashboard"), ANY_USER),
    ("partnership_dashboard", "get",
     lambda p, c: reverse("partnership_dashboard", args=[p.slug]), MEMBERS_ONLY),
    ("members", "get", lambda p, c: reverse("members", args=[p.slug]), COORDINATOR_ONLY),
    ("partnership_settings", "get",
     lambda p, c: reverse("partnership_settings", args=[p.slug]), COORDINATOR_ONLY),
    ("partnership_settings_post", "post",
     lambda p, c: reverse("partnership_settings", args=[p.slug]), COORDINATOR_POST),
    ("audit_log", "get", lambda p, c: reverse("audit_log", args=[p.slug]), COORDINATOR_ONLY),
    ("invite", "post", lambda p, c: reverse("members", args=[p.slug]), COORDINATOR_POST),
    ("membership_change", "post", lambda p, c: reverse(
        "membership_change", args=[p.slug, _membership_id(p, "doradca@razem.demo")]),
     COORDINATOR_POST),
    ("membership_remove", "post", lambda p, c: reverse(
        "membership_remove", args=[p.slug, _membership_id(p, "obserwator@razem.demo")]),
     COORDINATOR_POST),
    ("invitation_revoke", "post", lambda p, c: reverse(
        "invitation_revoke", args=[p.slug, _invitation_id(p, c)]), COORDINATOR_POST),
]

POST_DATA = {
    "invite": {"email": "nowa.osoba@example.pl", "role": "observer"},
    "partnership_settings_post": {"name": "Razem dla Rozwoju", "legal_form": "agreement",
                                  "unit_codes": "1410\n1410023"},
    "membership_change": {"role": "observer"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,expected", VIEWS, ids=[v[0] for v in VIEWS])
def test_permission_matrix(request, partnership_a, coordinator, role, name, method, url, expected):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_for(user)
    target = url(partnership_a, coordinator)
    data = {f"m{target.split('/')[-3]}-{k}" if name == "membership_change" else k: v
            for k, v in POST_DATA.get(name, {}).items()}
    response = getattr(client, method)(target, data)
    assert response.status_code == expected[role], (name, role, response.status_code)
    if role == "anonymous" and expected[role] == LOGIN:
        assert response["Location"].startswith(reverse("login"))


def test_outsider_cannot_reach_partnership_a_members_through_own_partnership(
    partnership_a, partnership_b, outsider
):
    """Another partnership's ids under the outsider's own slug are not found either."""
    client = client_for(outsider)
    advisor_id = _membership_id(partnership_a, "doradca@razem.demo")
    url = reverse("membership_change", args=[partnership_b.slug, advisor_id])
    response = client.post(url, {f"m{advisor_id}-role": "observer"})
    assert response.status_code == 404
    assert Membership.objects.get(pk=advisor_id).role == "advisor"


def test_outsider_removing_a_member_of_partnership_a_changes_nothing(partnership_a, outsider):
    count = partnership_a.memberships.count()
    advisor_id = _membership_id(partnership_a, "doradca@razem.demo")
    response = client_for(outsider).post(
        reverse("membership_remove", args=[partnership_a.slug, advisor_id]))
    assert response.status_code == 404
    assert partnership_a.memberships.count() == count


def test_unknown_partnership_is_404_for_everyone(coordinator):
    assert client_for(coordinator).get("/p/nie-ma-takiego/").status_code == 404
    assert client_for(None).get("/api/v1/partnerships/nie-ma-takiego/").status_code == 404
