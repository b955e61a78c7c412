"""Permission matrix of every consultation address (razem/consultations/urls.py): each role,
anonymous and the outsider, for an announced (open) consultation and for one still in
preparation; and the same ids under partnership B's address, 404 for everyone.

Expected statuses follow rules.py: public pages are everyone's once the notice is
published; before that anonymous visitors and outsiders get 404 (they may not learn the
consultation exists). Staff pages: anonymous 302 to the login, outsider 404, member without
the right 403. Steps the phase refuses answer 409 to those who may take them.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from razem.conftest import client_for
from razem.consultations.models import CommentChannel, Consultation
from razem.consultations.tests.factories import make_consultation, make_version

ROLES = ["anonymous", "coordinator", "officer", "advisor", "observer", "outsider"]
LOGIN = 302

PUBLIC = {role: 200 for role in ROLES}
# Unannounced: members see it, others may not learn it exists.
MEMBERS_OR_404 = {**PUBLIC, "anonymous": 404, "outsider": 404}
MEMBERS = {"anonymous": LOGIN, "coordinator": 200, "officer": 200, "advisor": 200,
           "observer": 200, "outsider": 404}
COORDINATOR = {**MEMBERS, "officer": 403, "advisor": 403, "observer": 403}
OFFICERS = {**MEMBERS, "advisor": 403, "observer": 403}  # coordinator | officer


def _with(expected: dict, **changes) -> dict:
    return {**expected, **changes}


def _public(name: str, *extra):
    return lambda c: reverse(f"consultations:{name}", args=[c.partnership.slug, c.slug, *extra])


def _staff(name: str, *extra):
    return lambda c: reverse(f"consultations:{name}", args=[c.partnership.slug, c.pk,
                                                             *[e(c) for e in extra]])


def _partnership(name: str):
    return lambda c: reverse(f"consultations:{name}", args=[c.partnership.slug])


def _draft(name: str, *extra):
    return lambda c: reverse(f"consultations:{name}",
                             args=[c.partnership.slug, c.version.draft_id, *extra])


def _comment(c: Consultation) -> int:
    comment = c.comments.first() or c.comments.create(
        scope="document", justification="Uwaga do całości", author_name="Jan Kowalski",
        category="resident", consent=True, channel=CommentChannel.ONLINE,
        received_on=c.notice_published_on or c.ends_on)
    return comment.pk


# (name, method, url, expected for the open consultation, expected in preparation)
VIEWS = [
    # public
    ("list", "get", _partnership("list"), PUBLIC, PUBLIC),
    ("draft", "get", _public("draft"), PUBLIC, MEMBERS_OR_404),
    ("notice", "get", _public("notice"), PUBLIC, MEMBERS_OR_404),
    ("comment", "get", _public("comment"), PUBLIC, MEMBERS_OR_404),
    ("thanks", "get", _public("thanks"), PUBLIC, MEMBERS_OR_404),
    # the report is the members' until the positions are published
    ("report", "get", _public("report"), MEMBERS_OR_404, MEMBERS_OR_404),
    # drafts: coordinator or officer
    ("drafts", "get", _partnership("drafts"), OFFICERS, OFFICERS),
    ("draft_create", "get", _partnership("draft_create"), OFFICERS, OFFICERS),
    ("draft_from_portrait", "get", _partnership("draft_from_portrait"), OFFICERS, OFFICERS),
    ("draft_detail", "get", _draft("draft_detail"), OFFICERS, OFFICERS),
    ("version_create", "get", _draft("version_create"), OFFICERS, OFFICERS),
    ("version_detail", "get", _draft("version_detail", 1), OFFICERS, OFFICERS),
    ("version_diff", "get", _draft("version_diff", 2), OFFICERS, OFFICERS),
    # running the consultation
    ("create", "get", _partnership("create"), COORDINATOR, COORDINATOR),
    ("manage", "get", _staff("manage"), MEMBERS, MEMBERS),
    # open: only the end can move (a small form); in preparation the whole setup
    ("edit", "get", _staff("edit"), COORDINATOR, COORDINATOR),
    # open: already published (409); in preparation the factory's end is 40 days away
    ("publish_notice", "post", _staff("publish_notice"), _with(COORDINATOR, coordinator=409),
     _with(COORDINATOR, coordinator=302)),
    ("meetings", "get", _staff("meetings"), OFFICERS, OFFICERS),
    # in preparation nothing can be entered yet
    ("enter_comment", "get", _staff("enter_comment"), OFFICERS,
     _with(OFFICERS, coordinator=409, officer=409)),
    ("comment_detail", "get", _staff("comment_detail", _comment), MEMBERS, MEMBERS),
    ("comment_detail_position", "post", _staff("comment_detail", _comment),
     # a position only after the end: 409 for those who may decide
     {**MEMBERS, "coordinator": 409, "officer": 409, "advisor": 409, "observer": 403},
     {**MEMBERS, "coordinator": 409, "officer": 409, "advisor": 409, "observer": 403}),
    ("hide_comment", "post", _staff("hide_comment", _comment),
     _with(OFFICERS, coordinator=302, officer=302),
     _with(OFFICERS, coordinator=409, officer=409)),
    ("publish_positions", "post", _staff("publish_positions"),
     _with(COORDINATOR, coordinator=409), _with(COORDINATOR, coordinator=409)),
]

POST_DATA = {
    "hide_comment": {"reason": "Obraźliwe słowa"},
    "comment_detail_position": {"outcome": "accepted", "justification": "Uwzględniono."},
}

# Rows whose view is written by another helper and may still be a placeholder (404).
NOT_MINE = {"list", "draft", "notice", "comment", "thanks", "report", "drafts", "draft_create",
            "draft_from_portrait", "draft_detail", "version_create", "version_detail",
            "version_diff"}


def _consultation(partnership, phase: str) -> Consultation:
    version = make_version(partnership, title="Projekt strategii (macierz)")
    make_version(partnership, draft=version.draft)  # so that version 2 has a diff
    return make_consultation(partnership, phase=phase, version=version, slug="macierz")


def _request(request, role: str, method: str, address: str, name: str):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    return getattr(client_for(user), method)(address, POST_DATA.get(name, {}))


def test_every_consultation_address_is_in_the_matrix():
    names = {pattern.name for pattern in get_resolver("razem.consultations.urls").url_patterns}
    covered = {row[0] for row in VIEWS} | {"comment_detail"}
    assert names <= covered, names - covered


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,expected,_preparation", VIEWS,
                         ids=[v[0] for v in VIEWS])
def test_permission_matrix_open(request, partnership_a, role, name, method, url, expected,
                                _preparation):
    consultation = _consultation(partnership_a, "open")
    response = _request(request, role, method, url(consultation), name)
    assert response.status_code == expected[role], (name, role, response.status_code)
    if role == "anonymous" and expected[role] == LOGIN:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,_open,expected", VIEWS, ids=[v[0] for v in VIEWS])
def test_permission_matrix_in_preparation(request, partnership_a, role, name, method, url,
                                          _open, expected):
    consultation = _consultation(partnership_a, "preparation")
    response = _request(request, role, method, url(consultation), name)
    assert response.status_code == expected[role], (name, role, response.status_code)
    if role == "anonymous" and expected[role] == LOGIN:
        assert response["Location"].startswith(reverse("login"))


# Partnership-level pages under B's address are B's own pages.
PARTNERSHIP_LEVEL = {"list", "drafts", "draft_create", "draft_from_portrait", "create"}


@pytest.mark.parametrize("name,method,url,_open,_preparation",
                         [v for v in VIEWS if v[0] not in PARTNERSHIP_LEVEL],
                         ids=[v[0] for v in VIEWS if v[0] not in PARTNERSHIP_LEVEL])
def test_partnership_a_ids_are_not_found_under_partnership_b(
        partnership_a, partnership_b, coordinator, outsider, name, method, url, _open,
        _preparation):
    """A's consultation, draft and comment ids under B's address: 404 for B's coordinator
    and for A's, whatever the method."""
    consultation = _consultation(partnership_a, "open")
    foreign = url(consultation).replace(f"/{partnership_a.slug}/", f"/{partnership_b.slug}/")
    for user in (outsider, coordinator):
        response = getattr(client_for(user), method)(foreign, POST_DATA.get(name, {}))
        assert response.status_code == 404, (name, user.email, response.status_code)
    for_anonymous = getattr(client_for(None), method)(foreign, POST_DATA.get(name, {}))
    assert for_anonymous.status_code in {404, LOGIN}


def test_nothing_changed_through_b_s_address(partnership_a, partnership_b, outsider):
    consultation = _consultation(partnership_a, "open")
    comment_id = _comment(consultation)
    base = f"/p/{partnership_b.slug}/konsultacje/zarzadzanie/{consultation.pk}/"
    client = client_for(outsider)
    client.post(base + f"uwagi/{comment_id}/ukrycie/", {"reason": "x"})
    client.post(base + "publikacja-ogloszenia/")
    consultation.refresh_from_db()
    assert not consultation.comments.get(pk=comment_id).is_hidden


def test_a_published_report_is_public(partnership_a, outsider):
    consultation = _consultation(partnership_a, "concluded")
    for user in (None, outsider):
        response = client_for(user).get(_public("report")(consultation))
        assert response.status_code == 200
