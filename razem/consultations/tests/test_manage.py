"""The staff pages that run a consultation: setup, the notice, meetings, the workspace and
the dashboard deadline. Comments entered by staff, moderation and positions are in
test_manage_comments.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from razem.conftest import client_for
from razem.consultations.models import (
    CommentChannel,
    Consultation,
    ConsultedGroup,
    Meeting,
    Outcome,
    Position,
)
from razem.consultations.tests.factories import make_consultation, make_version
from razem.core.models import AuditLogEntry

SLUG = "razem-dla-rozwoju"


def url(name: str, consultation: Consultation | None = None, *extra) -> str:
    if consultation is None:
        return reverse(f"consultations:{name}", args=[SLUG, *extra])
    return reverse(f"consultations:{name}",
                   args=[consultation.partnership.slug, consultation.pk, *extra])


def entries(action: str, obj=None) -> list[AuditLogEntry]:
    found = AuditLogEntry.objects.filter(action=action)
    if obj is not None:
        found = found.filter(object_id=str(obj.pk))
    return list(found)


def setup_data(version, **overrides) -> dict:
    data = {
        "version": version.pk, "title": "Konsultacje strategii", "slug": "strategia",
        "notice": "Zapraszamy do konsultacji.", "how_to_comment": "Formularz lub e-mail.",
        "groups": list(ConsultedGroup.values), "channels": ["online", "paper"],
        "gdpr_clause": "Administratorem danych jest partnerstwo.",
        "ends_on": (timezone.localdate() + timedelta(days=40)).isoformat(),
    }
    return data | overrides


def add_comments(consultation: Consultation, count: int, **fields) -> list:
    paragraphs = list(consultation.version.paragraphs.select_related("chapter"))
    created = []
    for index in range(count):
        paragraph = paragraphs[index % len(paragraphs)]
        values = {"scope": "paragraph", "paragraph": paragraph, "chapter": paragraph.chapter,
                  "justification": f"Uwaga {index}", "author_name": f"Osoba {index}",
                  "category": "resident", "consent": True, "channel": CommentChannel.ONLINE,
                  "received_on": consultation.notice_published_on} | fields
        created.append(consultation.comments.create(**values))
    return created


# -- create -----------------------------------------------------------------------------------


def test_the_create_form_preselects_all_four_groups_and_offers_only_own_versions(
        partnership_a, partnership_b, coordinator):
    own = make_version(partnership_a, title="Projekt strategii A")
    foreign = make_version(partnership_b, title="Projekt strategii B")
    response = client_for(coordinator).get(url("create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.initial["groups"]) == set(ConsultedGroup.values)
    assert CommentChannel.ONLINE in form.initial["channels"]
    assert partnership_a.name in form.initial["gdpr_clause"]
    versions = set(form.fields["version"].queryset)
    assert own in versions and foreign not in versions


def test_creating_a_consultation_logs_it_and_leads_to_the_workspace(partnership_a,
                                                                    coordinator):
    version = make_version(partnership_a)
    response = client_for(coordinator).post(url("create"), setup_data(version))
    consultation = Consultation.objects.get(partnership=partnership_a, slug="strategia")
    assert response.status_code == 302
    assert response["Location"] == url("manage", consultation)
    assert consultation.version == version
    assert consultation.notice_published_on is None
    assert consultation.created_by == coordinator
    assert entries("consultations.created", consultation)


def test_another_partnerships_version_is_refused_with_400(partnership_a, partnership_b,
                                                          coordinator):
    foreign = make_version(partnership_b)
    response = client_for(coordinator).post(url("create"), setup_data(foreign))
    assert response.status_code == 400
    assert "version" in response.context["form"].errors
    assert not Consultation.objects.filter(slug="strategia").exists()


@pytest.mark.parametrize("slug", ["zarzadzanie", "projekty", "Zła Nazwa", "diagnoza"])
def test_a_reserved_taken_or_malformed_slug_is_a_form_error(partnership_a, coordinator, slug):
    make_consultation(partnership_a, slug="diagnoza")
    version = make_version(partnership_a)
    response = client_for(coordinator).post(url("create"), setup_data(version, slug=slug))
    assert response.status_code == 400
    assert "slug" in response.context["form"].errors
    assert Consultation.objects.filter(partnership=partnership_a, version=version).count() == 0


def test_the_same_slug_is_free_in_another_partnership(partnership_a, partnership_b,
                                                       coordinator):
    make_consultation(partnership_b, slug="strategia")
    version = make_version(partnership_a)
    response = client_for(coordinator).post(url("create"), setup_data(version))
    assert response.status_code == 302


def test_an_empty_post_is_a_400_not_a_500(partnership_a, coordinator):
    response = client_for(coordinator).post(url("create"), {})
    assert response.status_code == 400


# -- edit -------------------------------------------------------------------------------------


def test_editing_in_preparation_saves_and_logs(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="preparation")
    data = setup_data(consultation.version, slug=consultation.slug, title="Nowy tytuł")
    response = client_for(coordinator).post(url("edit", consultation), data)
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "Nowy tytuł"
    entry, = entries("consultations.changed", consultation)
    assert entry.changes["title"][1] == "Nowy tytuł"


def test_editing_to_another_partnerships_version_is_a_400(partnership_a, partnership_b,
                                                          coordinator):
    consultation = make_consultation(partnership_a, phase="preparation")
    foreign = make_version(partnership_b)
    data = setup_data(foreign, slug=consultation.slug)
    response = client_for(coordinator).post(url("edit", consultation), data)
    assert response.status_code == 400
    consultation.refresh_from_db()
    assert consultation.version.draft.partnership == partnership_a


def test_while_open_only_the_end_can_move_later(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="open")
    client = client_for(coordinator)
    response = client.get(url("edit", consultation))
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"ends_on"}
    earlier = consultation.ends_on - timedelta(days=1)
    assert client.post(url("edit", consultation),
                       {"ends_on": earlier.isoformat()}).status_code == 400
    later = consultation.ends_on + timedelta(days=7)
    assert client.post(url("edit", consultation),
                       {"ends_on": later.isoformat(), "title": "x"}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.ends_on == later
    assert consultation.title != "x"
    assert entries("consultations.extended", consultation)


@pytest.mark.parametrize("phase", ["review", "concluded"])
def test_after_the_end_the_setup_is_refused_with_409(partnership_a, coordinator, phase):
    consultation = make_consultation(partnership_a, phase=phase)
    client = client_for(coordinator)
    assert client.get(url("edit", consultation)).status_code == 409
    data = setup_data(consultation.version, slug=consultation.slug, title="Nowy")
    assert client.post(url("edit", consultation), data).status_code == 409
    consultation.refresh_from_db()
    assert consultation.title != "Nowy"


# -- the notice -------------------------------------------------------------------------------


def test_publishing_a_notice_too_short_is_409_and_names_the_earliest_end(partnership_a,
                                                                        coordinator):
    consultation = make_consultation(partnership_a, phase="preparation")
    consultation.ends_on = timezone.localdate() + timedelta(days=34)
    consultation.save()
    response = client_for(coordinator).post(url("publish_notice", consultation))
    assert response.status_code == 409
    earliest = timezone.localdate() + timedelta(days=35)
    assert earliest.strftime("%d.%m.%Y") in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.notice_published_on is None
    assert not entries("consultations.notice_published", consultation)


def test_publishing_the_notice_opens_the_consultation(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="preparation")
    stamp = consultation.updated_at
    response = client_for(coordinator).post(url("publish_notice", consultation))
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.notice_published_on == timezone.localdate()
    assert consultation.phase == "open"
    assert consultation.updated_at > stamp
    assert entries("consultations.notice_published", consultation)
    again = client_for(coordinator).post(url("publish_notice", consultation))
    assert again.status_code == 409


def test_publish_notice_is_post_only(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="preparation")
    assert client_for(coordinator).get(url("publish_notice", consultation)).status_code == 405


# -- meetings ---------------------------------------------------------------------------------


def test_an_officer_adds_a_meeting_and_the_public_cache_moves(partnership_a, officer):
    consultation = make_consultation(partnership_a, phase="open")
    stamp = consultation.updated_at
    starts = timezone.localtime() + timedelta(days=3)
    response = client_for(officer).post(url("meetings", consultation), {
        "action": "add", "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "place": "Starostwo Powiatowe w Łosicach, sala 12", "description": "Spotkanie otwarte",
    })
    assert response.status_code == 302
    meeting = consultation.meetings.get()
    assert meeting.place.startswith("Starostwo")
    consultation.refresh_from_db()
    assert consultation.updated_at > stamp
    assert entries("consultations.meeting_added", meeting)


def test_a_meeting_after_the_end_or_without_place_is_a_400(partnership_a, officer):
    consultation = make_consultation(partnership_a, phase="open")
    client = client_for(officer)
    late = timezone.localtime() + timedelta(days=60)
    response = client.post(url("meetings", consultation), {
        "action": "add", "starts_at": late.strftime("%Y-%m-%dT%H:%M"), "place": "Sala"})
    assert response.status_code == 400
    response = client.post(url("meetings", consultation), {
        "action": "add", "starts_at": "jutro", "place": ""})
    assert response.status_code == 400
    assert not consultation.meetings.exists()


def test_minutes_only_after_the_meeting(partnership_a, officer):
    consultation = make_consultation(partnership_a, phase="open")
    past = Meeting.objects.create(consultation=consultation, place="Sala",
                                  starts_at=timezone.now() - timedelta(days=1))
    future = Meeting.objects.create(consultation=consultation, place="Sala",
                                    starts_at=timezone.now() + timedelta(days=1))
    client = client_for(officer)
    response = client.post(url("meetings", consultation),
                           {"action": "minutes", "meeting": past.pk, "minutes": "Omówiono."})
    assert response.status_code == 302
    past.refresh_from_db()
    assert past.minutes == "Omówiono."
    assert entries("consultations.minutes_recorded", past)
    response = client.post(url("meetings", consultation),
                           {"action": "minutes", "meeting": future.pk, "minutes": "Za wcześnie"})
    assert response.status_code == 409
    future.refresh_from_db()
    assert future.minutes == ""


def test_another_consultations_meeting_is_404(partnership_a, partnership_b, officer):
    consultation = make_consultation(partnership_a, phase="open")
    other = make_consultation(partnership_b, phase="open")
    foreign = Meeting.objects.create(consultation=other, place="Węgrów",
                                     starts_at=timezone.now() - timedelta(days=1))
    for value in (foreign.pk, "abc", ""):
        response = client_for(officer).post(url("meetings", consultation),
                                            {"action": "minutes", "meeting": value,
                                             "minutes": "x"})
        assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.minutes == ""


# -- the workspace ----------------------------------------------------------------------------


def test_the_workspace_counts_comments(partnership_a, observer):
    consultation = make_consultation(partnership_a, phase="review")
    add_comments(consultation, 3)
    late, hidden = add_comments(consultation, 2, channel=CommentChannel.PAPER)
    late.is_late = True
    late.save()
    hidden.hidden_at = timezone.now()
    hidden.save()
    first = consultation.comments.first()
    Position.objects.create(comment=first, outcome=Outcome.ACCEPTED, justification="Tak")
    response = client_for(observer).get(url("manage", consultation))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts["total"] == 5
    assert counts["considered"] == 3
    assert counts["late"] == 1 and counts["hidden"] == 1
    assert counts["with_position"] == 1 and counts["without_position"] == 2
    assert dict(counts["by_channel"])[CommentChannel.PAPER.label] == 2
    assert response.context["missing_positions"] == 2
    body = response.content.decode()
    assert consultation.report_due_on.strftime("%d.%m.%Y") in body
    assert url("comment_detail", consultation, first.pk) in body


@pytest.mark.parametrize("query,expected", [
    ("outcome=none", 4), ("outcome=accepted", 1), ("late=1", 1), ("hidden=1", 1),
    ("channel=paper", 2), ("category=ngo", 0), ("outcome=nonsense&late=zzz", 5),
    ("chapter=999999", 5), ("chapter=abc", 5), ("strona=9999", 5), ("strona=-1", 5),
])
def test_the_workspace_filters_and_ignores_bad_values(partnership_a, coordinator, query,
                                                       expected):
    consultation = make_consultation(partnership_a, phase="review")
    add_comments(consultation, 3)
    late, hidden = add_comments(consultation, 2, channel=CommentChannel.PAPER)
    late.is_late = True
    late.save()
    hidden.hidden_at = timezone.now()
    hidden.save()
    Position.objects.create(comment=consultation.comments.first(), outcome=Outcome.ACCEPTED,
                            justification="Tak")
    response = client_for(coordinator).get(url("manage", consultation) + "?" + query)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == expected


def test_the_workspace_filters_by_chapter(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="open")
    add_comments(consultation, 5)
    chapter = consultation.version.chapters.order_by("position").first()
    response = client_for(coordinator).get(url("manage", consultation),
                                           {"chapter": chapter.pk})
    assert response.context["page"].paginator.count == \
        consultation.comments.filter(chapter=chapter).count()


def test_the_workspace_queries_do_not_grow_with_comments(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="review")
    client = client_for(coordinator)
    add_comments(consultation, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(url("manage", consultation))
    for comment in add_comments(consultation, 40):
        Position.objects.create(comment=comment, outcome=Outcome.REJECTED, justification="Nie")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("manage", consultation))
    assert response.status_code == 200
    assert len(many.captured_queries) <= len(few.captured_queries)


def actions_of(body: str) -> str:
    """The workspace's list of steps (the sub-navigation repeats some links)."""
    start = body.index('id="actions"')
    return body[start:body.index("</ul>", start)]


def test_the_workspace_offers_the_steps_of_the_phase(partnership_a, coordinator, observer):
    preparation = make_consultation(partnership_a, phase="preparation", slug="przygotowanie")
    body = client_for(coordinator).get(url("manage", preparation)).content.decode()
    assert 'id="publish-notice"' in body
    assert url("edit", preparation) in actions_of(body)
    assert url("enter_comment", preparation) not in actions_of(body)
    review = make_consultation(partnership_a, phase="review", slug="przeglad")
    body = client_for(coordinator).get(url("manage", review)).content.decode()
    assert 'id="publish-positions"' in body
    assert url("enter_comment", review) in actions_of(body)
    assert url("edit", review) not in actions_of(body)
    assert reverse("reports:list", args=[SLUG]) in body
    body = client_for(observer).get(url("manage", review)).content.decode()
    assert 'id="publish-positions"' not in body
    assert url("enter_comment", review) not in body


# -- the dashboard ----------------------------------------------------------------------------


def test_the_dashboard_shows_the_report_deadline(partnership_a, observer):
    review = make_consultation(partnership_a, phase="review", slug="przeglad",
                               title="Konsultacje w przeglądzie")
    overdue = make_consultation(partnership_a, phase="review", slug="zalegle",
                                title="Konsultacje zaległe")
    overdue.notice_published_on = timezone.localdate() - timedelta(days=100)
    overdue.ends_on = timezone.localdate() - timedelta(days=40)
    overdue.save()
    concluded = make_consultation(partnership_a, phase="concluded", slug="koniec",
                                  title="Konsultacje zakończone")
    response = client_for(observer).get(reverse("partnership_dashboard", args=[SLUG]))
    assert response.status_code == 200
    deadlines = {d.consultation.pk: d for d in response.context["consultation_deadlines"]}
    assert deadlines[review.pk].due_on == review.report_due_on
    assert deadlines[review.pk].days_left == 20
    assert deadlines[overdue.pk].is_overdue and deadlines[overdue.pk].days_overdue == 10
    assert concluded.pk not in deadlines
    body = response.content.decode()
    assert review.report_due_on.strftime("%d.%m.%Y") in body
    assert url("manage", review) in body
    assert reverse("consultations:list", args=[SLUG]) in body
    assert reverse("consultations:drafts", args=[SLUG]) not in body  # drafts: staff only


def test_the_dashboard_shows_the_end_of_an_open_consultation(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="open", slug="otwarta")
    response = client_for(coordinator).get(reverse("partnership_dashboard", args=[SLUG]))
    deadline = next(d for d in response.context["consultation_deadlines"]
                    if d.consultation.pk == consultation.pk)
    assert deadline.due_on == consultation.ends_on and deadline.days_left == 30
    assert not deadline.is_report
    assert reverse("consultations:drafts", args=[SLUG]) in response.content.decode()


def test_the_dashboard_reads_deadlines_in_one_query(partnership_a, coordinator):
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("partnership_dashboard", args=[SLUG]))
    for index in range(4):
        make_consultation(partnership_a, phase="review", slug=f"k{index}")
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("partnership_dashboard", args=[SLUG]))
    assert len(after.captured_queries) == len(before.captured_queries)
