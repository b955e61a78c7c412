"""Comments entered by officers, moderation, positions and their publication with the
e-mails to commenters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from razem.conftest import client_for
from razem.consultations.models import (
    Comment,
    CommentChannel,
    Consultation,
    Outcome,
    Position,
)
from razem.consultations.tests.factories import make_consultation, make_version
from razem.consultations.tests.test_manage import entries, url


def paper(consultation: Consultation, **overrides) -> dict:
    data = {
        "target": "", "channel": CommentChannel.PAPER,
        "received_on": timezone.localdate().isoformat(),
        "justification": "Brakuje danych o dojazdach do pracy.",
        "author_name": "Maria Nowak", "organisation": "", "category": "resident",
        "email": "", "consent": "on",
    }
    return data | overrides


def comment_on(consultation: Consultation, **fields) -> Comment:
    values = {"scope": "document", "justification": "Proszę dodać rozdział o wodzie.",
              "author_name": "Jan Kowalski", "category": "resident", "consent": True,
              "channel": CommentChannel.ONLINE,
              "received_on": consultation.notice_published_on} | fields
    return consultation.comments.create(**values)


# -- entering comments ------------------------------------------------------------------------


def test_an_officer_enters_a_paper_comment_on_a_paragraph(partnership_a, officer):
    consultation = make_consultation(partnership_a, phase="open")
    paragraph = consultation.version.paragraphs.order_by("position")[2]
    stamp = consultation.updated_at
    response = client_for(officer).post(url("enter_comment", consultation),
                                        paper(consultation, target=f"p:{paragraph.anchor}"))
    comment = consultation.comments.get()
    assert response.status_code == 302
    assert response["Location"] == url("comment_detail", consultation, comment.pk)
    assert comment.paragraph == paragraph and comment.chapter == paragraph.chapter
    assert comment.channel == CommentChannel.PAPER
    assert comment.entered_by == officer
    assert comment.current_wording == paragraph.text
    assert not comment.is_late
    consultation.refresh_from_db()
    assert consultation.updated_at > stamp
    entry, = entries("consultations.comment_entered", comment)
    assert "Maria" not in str(entry.changes)  # no personal data copied into the log


def test_a_chapter_and_the_whole_document_are_targets(partnership_a, officer):
    consultation = make_consultation(partnership_a, phase="open")
    chapter = consultation.version.chapters.order_by("position").last()
    client = client_for(officer)
    client.post(url("enter_comment", consultation),
                paper(consultation, target=f"c:{chapter.anchor}"))
    client.post(url("enter_comment", consultation), paper(consultation, target=""))
    first, second = consultation.comments.all()
    assert (first.scope, first.chapter, first.paragraph) == ("chapter", chapter, None)
    assert (second.scope, second.chapter) == ("document", None)


@pytest.mark.parametrize("overrides", [
    {"target": "p:deadbeef"},
    {"target": "c:deadbeef"},
    {"target": "x"},
    {"channel": "online"},
    {"channel": "pigeon"},
    {"consent": ""},
    {"justification": ""},
    {"category": "king"},
    {"received_on": "wczoraj"},
    {"justification": "x" * 5001},
])
def test_forged_or_incomplete_staff_comments_are_400(partnership_a, officer, overrides):
    consultation = make_consultation(partnership_a, phase="open")
    response = client_for(officer).post(url("enter_comment", consultation),
                                        paper(consultation, **overrides))
    assert response.status_code == 400
    assert not consultation.comments.exists()


def test_another_versions_anchor_is_refused(partnership_a, partnership_b, officer):
    consultation = make_consultation(partnership_a, phase="open")
    foreign = make_version(partnership_b).paragraphs.first()
    response = client_for(officer).post(url("enter_comment", consultation),
                                        paper(consultation, target=f"p:{foreign.anchor}"))
    assert response.status_code == 400
    assert not consultation.comments.exists()


def test_a_date_before_the_notice_or_in_the_future_is_400(partnership_a, officer):
    consultation = make_consultation(partnership_a, phase="open")
    client = client_for(officer)
    for day in (consultation.notice_published_on - timedelta(days=1),
                timezone.localdate() + timedelta(days=1)):
        response = client.post(url("enter_comment", consultation),
                               paper(consultation, received_on=day.isoformat()))
        assert response.status_code == 400
    assert not consultation.comments.exists()


def test_after_the_end_a_staff_comment_is_stored_late(partnership_a, officer):
    consultation = make_consultation(partnership_a, phase="review")
    client = client_for(officer)
    page = client.get(url("enter_comment", consultation))
    assert page.status_code == 200
    assert 'id="late-warning"' in page.content.decode()
    response = client.post(url("enter_comment", consultation), paper(consultation),
                           follow=True)
    comment = consultation.comments.get()
    assert comment.is_late
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    in_time = client.post(url("enter_comment", consultation),
                          paper(consultation, received_on=consultation.ends_on.isoformat()))
    assert in_time.status_code == 302
    assert consultation.comments.considered().count() == 1


@pytest.mark.parametrize("phase", ["preparation", "concluded"])
def test_no_staff_comments_before_the_notice_or_after_publication(partnership_a, officer,
                                                                   phase):
    consultation = make_consultation(partnership_a, phase=phase)
    client = client_for(officer)
    assert client.get(url("enter_comment", consultation)).status_code == 409
    assert client.post(url("enter_comment", consultation),
                       paper(consultation)).status_code == 409
    assert not consultation.comments.exists()


# -- one comment: personal data, positions ----------------------------------------------------


def test_personal_data_only_for_contributors(partnership_a, coordinator, observer):
    consultation = make_consultation(partnership_a, phase="open")
    comment = comment_on(consultation, author_name="Zofia Tajna", email="zofia@example.org")
    body = client_for(coordinator).get(url("comment_detail", consultation, comment.pk))
    assert "Zofia Tajna" in body.content.decode() and "zofia@example.org" in body.content.decode()
    body = client_for(observer).get(url("comment_detail", consultation, comment.pk))
    assert body.status_code == 200
    assert "Zofia Tajna" not in body.content.decode()
    assert "zofia@example.org" not in body.content.decode()


def test_another_consultations_comment_is_404(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="review")
    other = make_consultation(partnership_a, phase="review", slug="inna")
    foreign = comment_on(other)
    response = client_for(coordinator).get(url("comment_detail", consultation, foreign.pk))
    assert response.status_code == 404


def test_an_advisor_records_and_changes_a_position(partnership_a, advisor):
    consultation = make_consultation(partnership_a, phase="review")
    comment = comment_on(consultation)
    client = client_for(advisor)
    response = client.post(url("comment_detail", consultation, comment.pk),
                           {"outcome": Outcome.REJECTED, "justification": "Poza zakresem."})
    assert response.status_code == 302
    response = client.post(url("comment_detail", consultation, comment.pk),
                           {"outcome": Outcome.EXPLAINED, "justification": "Wyjaśniono."})
    assert response.status_code == 302
    position = Position.objects.get(comment=comment)
    assert (position.outcome, position.decided_by) == (Outcome.EXPLAINED, advisor)
    logged = entries("consultations.position_set", comment)
    assert len(logged) == 2
    page = client.get(url("comment_detail", consultation, comment.pk)).content.decode()
    assert "consultations.position_set" in page  # the comment's history


def test_a_position_may_link_a_paragraph_of_a_later_version(partnership_a, partnership_b,
                                                             coordinator):
    consultation = make_consultation(partnership_a, phase="review")
    later = make_version(partnership_a, draft=consultation.version.draft)
    carried = later.paragraphs.first()
    comment = comment_on(consultation)
    client = client_for(coordinator)
    form = client.get(url("comment_detail", consultation, comment.pk)).context["position_form"]
    choices = set(form.fields["next_paragraph"].queryset)
    assert carried in choices
    assert not choices & set(consultation.version.paragraphs.all())
    for forged in (consultation.version.paragraphs.first().pk,
                   make_version(partnership_b).paragraphs.first().pk, "abc"):
        response = client.post(url("comment_detail", consultation, comment.pk),
                               {"outcome": "accepted", "justification": "Tak",
                                "next_paragraph": forged})
        assert response.status_code == 400
    assert not Position.objects.filter(comment=comment).exists()
    response = client.post(url("comment_detail", consultation, comment.pk),
                           {"outcome": "accepted", "justification": "Tak",
                            "next_paragraph": carried.pk})
    assert response.status_code == 302
    assert Position.objects.get(comment=comment).next_paragraph == carried


@pytest.mark.parametrize("data", [
    {"outcome": "approved", "justification": "Tak"},
    {"outcome": "accepted", "justification": ""},
    {"outcome": "accepted", "justification": "   "},
    {},
])
def test_a_forged_outcome_or_missing_justification_is_400(partnership_a, coordinator, data):
    consultation = make_consultation(partnership_a, phase="review")
    comment = comment_on(consultation)
    response = client_for(coordinator).post(url("comment_detail", consultation, comment.pk),
                                            data)
    assert response.status_code == 400
    assert not Position.objects.filter(comment=comment).exists()


def test_no_position_while_open_or_on_a_late_or_hidden_comment(partnership_a, coordinator):
    data = {"outcome": "accepted", "justification": "Tak"}
    client = client_for(coordinator)
    open_one = make_consultation(partnership_a, phase="open")
    comment = comment_on(open_one)
    assert client.post(url("comment_detail", open_one, comment.pk), data).status_code == 409
    review = make_consultation(partnership_a, phase="review", slug="przeglad")
    late = comment_on(review, is_late=True, channel=CommentChannel.PAPER)
    hidden = comment_on(review, hidden_at=timezone.now(), hidden_reason="Obraźliwa")
    for refused in (late, hidden):
        page = client.get(url("comment_detail", review, refused.pk))
        assert 'id="position-refusal"' in page.content.decode()
        assert client.post(url("comment_detail", review, refused.pk), data).status_code == 409
    assert not Position.objects.exists() or not Position.objects.filter(
        comment__in=[comment, late, hidden]).exists()


def test_an_observer_cannot_record_a_position(partnership_a, observer):
    consultation = make_consultation(partnership_a, phase="review")
    comment = comment_on(consultation)
    response = client_for(observer).post(url("comment_detail", consultation, comment.pk),
                                         {"outcome": "accepted", "justification": "Tak"})
    assert response.status_code == 403
    assert not Position.objects.filter(comment=comment).exists()


# -- moderation -------------------------------------------------------------------------------


def test_hiding_needs_a_reason_which_the_log_keeps(partnership_a, officer):
    consultation = make_consultation(partnership_a, phase="open")
    comment = comment_on(consultation)
    client = client_for(officer)
    response = client.post(url("hide_comment", consultation, comment.pk), {"action": "hide"})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert not comment.is_hidden
    stamp = Consultation.objects.get(pk=consultation.pk).updated_at
    response = client.post(url("hide_comment", consultation, comment.pk),
                           {"action": "hide", "reason": "Wulgaryzmy"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == officer
    assert comment.hidden_reason == "Wulgaryzmy"
    assert Consultation.objects.get(pk=consultation.pk).updated_at > stamp
    entry, = entries("consultations.comment_hidden", comment)
    assert entry.changes["reason"] == [None, "Wulgaryzmy"]
    response = client.post(url("hide_comment", consultation, comment.pk), {"action": "unhide"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert not comment.is_hidden
    entry, = entries("consultations.comment_unhidden", comment)
    assert entry.changes["reason"] == ["Wulgaryzmy", None]


def test_hiding_works_after_the_end_too(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="concluded")
    comment = comment_on(consultation)
    response = client_for(coordinator).post(url("hide_comment", consultation, comment.pk),
                                            {"reason": "Dane osobowe osób trzecich"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden


def test_an_advisor_cannot_hide(partnership_a, advisor):
    consultation = make_consultation(partnership_a, phase="open")
    comment = comment_on(consultation)
    response = client_for(advisor).post(url("hide_comment", consultation, comment.pk),
                                        {"reason": "Nie"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert not comment.is_hidden


# -- publishing the positions -----------------------------------------------------------------


def test_publication_is_refused_with_the_number_missing(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="review")
    comment_on(consultation)
    comment_on(consultation)
    decided = comment_on(consultation)
    Position.objects.create(comment=decided, outcome="accepted", justification="Tak")
    comment_on(consultation, is_late=True)
    response = client_for(coordinator).post(url("publish_positions", consultation))
    assert response.status_code == 409
    assert "2" in response.context["message"]
    consultation.refresh_from_db()
    assert consultation.positions_published_at is None


def test_publication_emails_every_commenter_with_an_address(
        partnership_a, coordinator, django_capture_on_commit_callbacks):
    consultation = make_consultation(partnership_a, phase="review")
    first = comment_on(consultation, email="anna@example.org")
    second = comment_on(consultation, email="")
    third = comment_on(consultation, email="firma@example.org", organisation="Firma",
                       category="business")
    late = comment_on(consultation, email="spozniony@example.org", is_late=True)
    hidden = comment_on(consultation, email="troll@example.org", hidden_at=timezone.now())
    for comment, outcome in ((first, "accepted"), (second, "rejected"), (third, "explained")):
        Position.objects.create(comment=comment, outcome=outcome,
                                justification=f"Uzasadnienie {outcome}")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(url("publish_positions", consultation))
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.positions_published_at is not None
    assert consultation.phase == "concluded"
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["anna@example.org", "firma@example.org", "spozniony@example.org"]
    to_anna = next(m for m in mail.outbox if m.to == ["anna@example.org"])
    report = reverse("consultations:report", args=[partnership_a.slug, consultation.slug])
    assert report in to_anna.body
    assert "Uzasadnienie accepted" in to_anna.body
    assert "1" in to_anna.subject  # comment no. 1
    to_firm = next(m for m in mail.outbox if m.to == ["firma@example.org"])
    assert "Uzasadnienie explained" in to_firm.body and "3" in to_firm.subject
    for comment in (first, third, late):
        comment.refresh_from_db()
        assert comment.notified_at is not None
    hidden.refresh_from_db()
    assert hidden.notified_at is None
    entry, = entries("consultations.positions_published", consultation)
    assert entry.changes["commenters_to_notify"] == [None, 3]


def test_no_email_when_the_publication_is_refused(partnership_a, coordinator,
                                                  django_capture_on_commit_callbacks):
    consultation = make_consultation(partnership_a, phase="review")
    comment_on(consultation, email="anna@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(coordinator).post(url("publish_positions", consultation))
    assert mail.outbox == []


def test_positions_are_fixed_after_publication(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="concluded")
    comment = comment_on(consultation)
    position = Position.objects.create(comment=comment, outcome="accepted", justification="Tak")
    client = client_for(coordinator)
    response = client.post(url("comment_detail", consultation, comment.pk),
                           {"outcome": "rejected", "justification": "Jednak nie"})
    assert response.status_code == 409
    position.refresh_from_db()
    assert position.outcome == "accepted"
    assert client.post(url("publish_positions", consultation)).status_code == 409


def test_only_the_coordinator_publishes(partnership_a, officer, advisor):
    consultation = make_consultation(partnership_a, phase="review")
    for user in (officer, advisor):
        response = client_for(user).post(url("publish_positions", consultation))
        assert response.status_code == 403
    consultation.refresh_from_db()
    assert consultation.positions_published_at is None
