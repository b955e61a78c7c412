"""The phase rules: the 35-day rule at publication, late comments, and what each phase
allows. Phases follow from the dates, so time "moves" by creating consultations with dates
relative to today, and by asking Consultation.phase_on / allowed_steps about another day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from razem.consultations import manage_actions as steps
from razem.consultations.actions import CommentInput, ConsultationError, submit_comment
from razem.consultations.models import (
    MIN_CONSULTATION_DAYS,
    CommentChannel,
    Consultation,
    Outcome,
    Phase,
)
from razem.consultations.tests.factories import make_consultation


def comment_data(**overrides) -> CommentInput:
    values = {"justification": "Proszę uwzględnić dojazdy do Siedlec.",
              "author_name": "Jan Kowalski", "category": "resident", "consent": True}
    return CommentInput(**(values | overrides))


def in_preparation(partnership, *, days: int, slug: str = "diagnoza") -> Consultation:
    consultation = make_consultation(partnership, phase="preparation", slug=slug)
    consultation.ends_on = timezone.localdate() + timedelta(days=days)
    consultation.save()
    return consultation


# -- the 35-day rule --------------------------------------------------------------------------


def test_the_earliest_end_is_35_days_after_the_notice():
    day = timezone.localdate()
    assert MIN_CONSULTATION_DAYS == 35
    assert Consultation.earliest_end(day) == day + timedelta(days=35)


def test_publishing_with_34_days_is_refused_and_names_the_earliest_end(partnership_a,
                                                                       coordinator):
    consultation = in_preparation(partnership_a, days=34)
    earliest = (timezone.localdate() + timedelta(days=35)).strftime("%d.%m.%Y")
    with pytest.raises(ConsultationError) as refused:
        steps.publish_notice(consultation=consultation, by=coordinator)
    assert earliest in str(refused.value)
    consultation.refresh_from_db()
    assert consultation.notice_published_on is None
    assert consultation.phase == Phase.PREPARATION


def test_publishing_with_35_days_is_accepted_and_opens(partnership_a, coordinator):
    consultation = in_preparation(partnership_a, days=35)
    steps.publish_notice(consultation=consultation, by=coordinator)
    consultation.refresh_from_db()
    assert consultation.notice_published_on == timezone.localdate()
    assert consultation.phase == Phase.OPEN


def test_the_notice_is_published_once(partnership_a, coordinator):
    consultation = make_consultation(partnership_a, phase="open")
    started = consultation.notice_published_on
    with pytest.raises(ConsultationError):
        steps.publish_notice(consultation=consultation, by=coordinator)
    consultation.refresh_from_db()
    assert consultation.notice_published_on == started


@pytest.mark.parametrize("field,value", [
    ("notice", ""), ("how_to_comment", "  "), ("groups", ["residents"]), ("channels", []),
])
def test_an_incomplete_notice_is_not_published(partnership_a, coordinator, field, value):
    consultation = in_preparation(partnership_a, days=40)
    setattr(consultation, field, value)
    consultation.save()
    with pytest.raises(ConsultationError):
        steps.publish_notice(consultation=consultation, by=coordinator)
    consultation.refresh_from_db()
    assert consultation.notice_published_on is None


# -- phases derived from dates ------------------------------------------------------------------


def test_phase_moves_with_the_days(partnership_a):
    today = timezone.localdate()
    consultation = make_consultation(partnership_a, phase="open")
    assert consultation.phase_on(consultation.notice_published_on - timedelta(days=1)) == \
        Phase.PREPARATION
    assert consultation.phase_on(consultation.notice_published_on) == Phase.OPEN
    assert consultation.phase_on(consultation.ends_on) == Phase.OPEN
    assert consultation.phase_on(consultation.ends_on + timedelta(days=1)) == Phase.REVIEW
    assert steps.allowed_steps(consultation, today) == steps.allowed_steps(consultation)
    assert steps.PUBLISH_POSITIONS in steps.allowed_steps(
        consultation, consultation.ends_on + timedelta(days=1))
    assert steps.ENTER_COMMENTS in steps.allowed_steps(consultation, consultation.ends_on)


def test_the_report_is_due_30_days_after_the_end(partnership_a):
    consultation = make_consultation(partnership_a, phase="review")
    assert consultation.report_due_on == consultation.ends_on + timedelta(days=30)


ALLOWED = {
    "preparation": {steps.EDIT, steps.PUBLISH_NOTICE, steps.ADD_MEETING},
    "open": {steps.EXTEND, steps.ADD_MEETING, steps.ENTER_COMMENTS, steps.MODERATE},
    "review": {steps.ENTER_COMMENTS, steps.MODERATE, steps.DECIDE_POSITIONS,
               steps.PUBLISH_POSITIONS},
    "concluded": {steps.MODERATE},
}


@pytest.mark.parametrize("phase", list(ALLOWED))
def test_what_each_phase_allows(partnership_a, phase):
    consultation = make_consultation(partnership_a, phase=phase)
    assert consultation.phase == phase
    assert steps.allowed_steps(consultation) == ALLOWED[phase]


@pytest.mark.parametrize("phase,allowed", [("preparation", True), ("open", False),
                                           ("review", False), ("concluded", False)])
def test_editing_the_setup_only_in_preparation(partnership_a, coordinator, phase, allowed):
    consultation = make_consultation(partnership_a, phase=phase)
    if allowed:
        steps.update_consultation(consultation=consultation, by=coordinator, title="Nowy")
        consultation.refresh_from_db()
        assert consultation.title == "Nowy"
    else:
        with pytest.raises(ConsultationError):
            steps.update_consultation(consultation=consultation, by=coordinator, title="Nowy")
        consultation.refresh_from_db()
        assert consultation.title != "Nowy"


@pytest.mark.parametrize("phase,allowed", [("preparation", False), ("open", True),
                                           ("review", False), ("concluded", False)])
def test_the_end_moves_later_only_while_open(partnership_a, coordinator, phase, allowed):
    consultation = make_consultation(partnership_a, phase=phase)
    later = consultation.ends_on + timedelta(days=7)
    if allowed:
        steps.extend_end(consultation=consultation, by=coordinator, ends_on=later)
        consultation.refresh_from_db()
        assert consultation.ends_on == later
        with pytest.raises(ConsultationError):  # never earlier
            steps.extend_end(consultation=consultation, by=coordinator,
                             ends_on=later - timedelta(days=1))
    else:
        with pytest.raises(ConsultationError):
            steps.extend_end(consultation=consultation, by=coordinator, ends_on=later)


@pytest.mark.parametrize("phase,allowed", [("preparation", False), ("open", True),
                                           ("review", True), ("concluded", False)])
def test_staff_enter_comments_from_the_notice_until_publication(partnership_a, officer, phase,
                                                                allowed):
    consultation = make_consultation(partnership_a, phase=phase)
    received = timezone.localdate()
    if allowed:
        comment = submit_comment(consultation=consultation, data=comment_data(),
                                 channel=CommentChannel.PAPER, received_on=received,
                                 entered_by=officer)
        assert comment.pk
    else:
        with pytest.raises(ConsultationError):
            submit_comment(consultation=consultation, data=comment_data(),
                           channel=CommentChannel.PAPER, received_on=received,
                           entered_by=officer)


@pytest.mark.parametrize("phase,allowed", [("open", False), ("review", True),
                                           ("concluded", False)])
def test_positions_only_in_review(partnership_a, advisor, officer, phase, allowed):
    consultation = make_consultation(partnership_a, phase=phase)
    received = max(consultation.notice_published_on, consultation.ends_on - timedelta(days=1))
    received = min(received, timezone.localdate())
    comment = consultation.comments.create(
        scope="document", justification="Uwaga", author_name="Jan", category="resident",
        consent=True, channel=CommentChannel.PAPER, received_on=received)
    if allowed:
        steps.set_position(comment=comment, by=advisor, outcome=Outcome.ACCEPTED,
                           justification="Uwzględniono.")
        assert comment.position.outcome == Outcome.ACCEPTED
    else:
        with pytest.raises(ConsultationError):
            steps.set_position(comment=comment, by=advisor, outcome=Outcome.ACCEPTED,
                               justification="Uwzględniono.")
        assert not hasattr(comment, "position") or comment.position is None


@pytest.mark.parametrize("phase,allowed", [("preparation", False), ("open", False),
                                           ("review", True), ("concluded", False)])
def test_positions_are_published_only_in_review(partnership_a, coordinator, phase, allowed):
    consultation = make_consultation(partnership_a, phase=phase)
    before = consultation.positions_published_at
    if allowed:
        steps.publish_positions(consultation=consultation, by=coordinator)
        consultation.refresh_from_db()
        assert consultation.positions_published_at is not None
        assert consultation.phase == Phase.CONCLUDED
    else:
        with pytest.raises(ConsultationError):
            steps.publish_positions(consultation=consultation, by=coordinator)
        consultation.refresh_from_db()
        assert consultation.positions_published_at == before


# -- late comments ----------------------------------------------------------------------------


def test_a_paper_comment_received_after_the_end_is_kept_flagged_late(partnership_a, officer):
    consultation = make_consultation(partnership_a, phase="review")
    in_time = submit_comment(consultation=consultation, data=comment_data(),
                             channel=CommentChannel.PAPER, received_on=consultation.ends_on,
                             entered_by=officer)
    late = submit_comment(consultation=consultation, data=comment_data(),
                          channel=CommentChannel.EMAIL,
                          received_on=consultation.ends_on + timedelta(days=1),
                          entered_by=officer)
    assert not in_time.is_late
    assert late.is_late
    assert list(consultation.comments.considered()) == [in_time]
    assert set(consultation.comments.all()) == {in_time, late}


def test_a_late_comment_gets_no_position_and_is_not_missing_one(partnership_a, officer,
                                                                 coordinator):
    consultation = make_consultation(partnership_a, phase="review")
    late = submit_comment(consultation=consultation, data=comment_data(),
                          channel=CommentChannel.PAPER, received_on=timezone.localdate(),
                          entered_by=officer)
    assert late.is_late
    with pytest.raises(ConsultationError):
        steps.set_position(comment=late, by=coordinator, outcome=Outcome.REJECTED,
                           justification="Po terminie.")
    assert steps.missing_positions(consultation) == 0
    steps.publish_positions(consultation=consultation, by=coordinator)


def test_an_online_comment_after_the_end_is_refused(partnership_a):
    consultation = make_consultation(partnership_a, phase="review")
    with pytest.raises(ConsultationError) as refused:
        submit_comment(consultation=consultation, data=comment_data())
    assert consultation.ends_on.strftime("%d.%m.%Y") in str(refused.value)
    assert not consultation.comments.exists()


def test_the_last_day_is_still_open_online(partnership_a):
    consultation = make_consultation(partnership_a, phase="open")
    consultation.ends_on = timezone.localdate()
    consultation.save()
    comment = submit_comment(consultation=consultation, data=comment_data())
    assert not comment.is_late
