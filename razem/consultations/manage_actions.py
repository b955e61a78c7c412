"""Workflows of running a consultation: setting it up, publishing the notice (the 35-day
rule), meetings, moderation, positions and their publication.

Each step is checked against the phase (Consultation.phase, derived from the dates, never
set by hand), refused with actions.ConsultationError (nothing saved), and logged in the
same transaction (core.actions.log_action). A change that shows on the public pages bumps
Consultation.updated_at, which versions their cache.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from razem.consultations.actions import (
    CommentInput,
    ConsultationError,
    clean_text,
    submit_comment,
)
from razem.consultations.models import (
    MAX_JUSTIFICATION,
    Comment,
    CommentChannel,
    Consultation,
    ConsultedGroup,
    DraftVersion,
    Meeting,
    Outcome,
    Paragraph,
    Phase,
    Position,
)
from razem.core.actions import diff, log_action
from razem.core.models import Partnership, User

logger = logging.getLogger(__name__)

# What the coordinator sets up; all of it is fixed once the notice is published.
SETUP_FIELDS = ("version", "title", "slug", "notice", "how_to_comment", "groups", "channels",
                "gdpr_clause", "ends_on")


def _bump(consultation: Consultation) -> None:
    # The public pages are cached by this stamp.
    Consultation.objects.filter(pk=consultation.pk).update(updated_at=timezone.now())


def _date(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def _state(consultation: Consultation) -> dict[str, Any]:
    """The setup as the audit log records it (JSON-friendly)."""
    return {
        "version": consultation.version_id,
        "title": consultation.title,
        "slug": consultation.slug,
        "notice": consultation.notice,
        "how_to_comment": consultation.how_to_comment,
        "groups": list(consultation.groups),
        "channels": list(consultation.channels),
        "gdpr_clause": consultation.gdpr_clause,
        "ends_on": consultation.ends_on.isoformat() if consultation.ends_on else None,
    }


# -- which steps each phase allows -----------------------------------------------------------

EDIT = "edit"
PUBLISH_NOTICE = "publish_notice"
EXTEND = "extend"
ADD_MEETING = "add_meeting"
ENTER_COMMENTS = "enter_comments"
MODERATE = "moderate"
DECIDE_POSITIONS = "decide_positions"
PUBLISH_POSITIONS = "publish_positions"

_ALLOWED = {
    Phase.PREPARATION: frozenset({EDIT, PUBLISH_NOTICE, ADD_MEETING}),
    # Late paper and e-mail comments are still entered after the end (flagged late).
    Phase.OPEN: frozenset({EXTEND, ADD_MEETING, ENTER_COMMENTS, MODERATE}),
    Phase.REVIEW: frozenset({ENTER_COMMENTS, MODERATE, DECIDE_POSITIONS, PUBLISH_POSITIONS}),
    Phase.CONCLUDED: frozenset({MODERATE}),
}


def allowed_steps(consultation: Consultation, day: date | None = None) -> frozenset[str]:
    """The steps the consultation's phase allows on `day` (today by default); who may take
    them is rules.py's business."""
    return _ALLOWED[consultation.phase_on(day or timezone.localdate())]


def _phase_refusal(consultation: Consultation) -> str:
    return {
        Phase.PREPARATION: _("The notice of this consultation is not published yet."),
        Phase.OPEN: _("The consultation is open for comments until %(date)s.")
        % {"date": _date(consultation.ends_on)},
        Phase.REVIEW: _("The consultation ended on %(date)s; its notice and dates can no "
                        "longer change.") % {"date": _date(consultation.ends_on)},
        Phase.CONCLUDED: _("The positions of this consultation are published; it can no "
                           "longer change."),
    }[consultation.phase]


def _require(consultation: Consultation, step: str, message: str | None = None) -> None:
    if step not in allowed_steps(consultation):
        raise ConsultationError(message or _phase_refusal(consultation))


# -- setup and notice ------------------------------------------------------------------------


def _check_setup(partnership: Partnership, *, version: DraftVersion, slug: str,
                 exclude_pk: int | None = None) -> None:
    # The form checks these too; a forged or concurrent post must not get past here.
    if version.draft.partnership_id != partnership.pk:
        raise ConsultationError(_("Choose a draft of this partnership."))
    taken = Consultation.objects.filter(partnership=partnership, slug=slug)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ConsultationError(_("The partnership already has a consultation with this "
                                  "address; choose another."))


@transaction.atomic
def create_consultation(
    *, partnership: Partnership, by: User, version: DraftVersion, title: str, slug: str,
    notice: str, how_to_comment: str, groups: list[str], channels: list[str],
    gdpr_clause: str, ends_on: date,
) -> Consultation:
    _check_setup(partnership, version=version, slug=slug)
    consultation = Consultation.objects.create(
        partnership=partnership, version=version, title=clean_text(title), slug=slug,
        notice=clean_text(notice), how_to_comment=clean_text(how_to_comment),
        groups=list(groups), channels=list(channels), gdpr_clause=clean_text(gdpr_clause),
        ends_on=ends_on, created_by=by,
    )
    log_action(actor=by, partnership=partnership, action="consultations.created",
               obj=consultation, changes=diff({}, _state(consultation)))
    return consultation


@transaction.atomic
def update_consultation(*, consultation: Consultation, by: User,
                        **values: Any) -> dict[str, list[Any]]:
    """Change the setup; only in preparation (the published notice fixes it)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require(consultation, EDIT)
    unknown = set(values) - set(SETUP_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "version" in values or "slug" in values:
        _check_setup(consultation.partnership, version=values.get("version", consultation.version),
                     slug=values.get("slug", consultation.slug), exclude_pk=consultation.pk)
    old = _state(consultation)
    for name, value in values.items():
        if name in {"title", "notice", "how_to_comment", "gdpr_clause"}:
            value = clean_text(value)
        setattr(consultation, name, list(value) if name in {"groups", "channels"} else value)
    changes = diff(old, _state(consultation))
    if changes:
        consultation.save()
        log_action(actor=by, partnership=consultation.partnership,
                   action="consultations.changed", obj=consultation, changes=changes)
    return changes


@transaction.atomic
def extend_end(*, consultation: Consultation, by: User, ends_on: date) -> None:
    """While open the end may only move later: commenters relied on the published date."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require(consultation, EXTEND)
    if ends_on <= consultation.ends_on:
        raise ConsultationError(_("The end can only be moved later than %(date)s: people "
                                  "rely on the published date.")
                                % {"date": _date(consultation.ends_on)})
    old = consultation.ends_on
    consultation.ends_on = ends_on
    consultation.save(update_fields=["ends_on", "updated_at"])
    log_action(actor=by, partnership=consultation.partnership, action="consultations.extended",
               obj=consultation, changes={"ends_on": [old.isoformat(), ends_on.isoformat()]})


def notice_problems(consultation: Consultation, today: date) -> list[str]:
    """Why the notice cannot be published today (empty when it can)."""
    problems = []
    if consultation.notice_published_on is not None:
        return [_("The notice was already published on %(date)s.")
                % {"date": _date(consultation.notice_published_on)}]
    earliest = Consultation.earliest_end(today)
    if consultation.ends_on < earliest:
        problems.append(_(
            "Comments must be accepted for at least 35 days from the day the notice is "
            "published: published today, the consultation can end on %(earliest)s at the "
            "earliest (it is set to end on %(ends)s). Move the end date first."
        ) % {"earliest": _date(earliest), "ends": _date(consultation.ends_on)})
    if not consultation.notice.strip():
        problems.append(_("Write the notice text."))
    if not consultation.how_to_comment.strip():
        problems.append(_("Say how and where to comment."))
    if set(consultation.groups) != set(ConsultedGroup.values):
        problems.append(_("Art. 6 of the development policy act names four groups to consult: "
                          "tick all of them."))
    if not set(consultation.channels) & set(CommentChannel.values):
        problems.append(_("Choose at least one way of commenting."))
    if not consultation.gdpr_clause.strip():
        problems.append(_("Write the GDPR information clause."))
    return problems


@transaction.atomic
def publish_notice(*, consultation: Consultation, by: User) -> Consultation:
    """Publish the notice today: the consultation starts and opens for comments."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    today = timezone.localdate()
    problems = notice_problems(consultation, today)
    if problems:
        raise ConsultationError(" ".join(problems))
    consultation.notice_published_on = today
    consultation.save(update_fields=["notice_published_on", "updated_at"])
    log_action(actor=by, partnership=consultation.partnership,
               action="consultations.notice_published", obj=consultation,
               changes={"notice_published_on": [None, today.isoformat()],
                        "ends_on": [None, consultation.ends_on.isoformat()]})
    return consultation


# -- meetings ---------------------------------------------------------------------------------


@transaction.atomic
def add_meeting(*, consultation: Consultation, by: User, starts_at: datetime, place: str,
                description: str = "") -> Meeting:
    _require(consultation, ADD_MEETING, _("Meetings can be added only before the "
                                          "consultation ends."))
    place = clean_text(place)
    if not place:
        raise ConsultationError(_("Say where the meeting takes place."))
    if timezone.localdate(starts_at) > consultation.ends_on:
        raise ConsultationError(_("The meeting must take place by the end of the "
                                  "consultation (%(date)s).")
                                % {"date": _date(consultation.ends_on)})
    meeting = Meeting.objects.create(consultation=consultation, starts_at=starts_at,
                                     place=place, description=clean_text(description))
    log_action(actor=by, partnership=consultation.partnership,
               action="consultations.meeting_added", obj=meeting,
               changes={"starts_at": [None, starts_at.isoformat()], "place": [None, place]})
    _bump(consultation)
    return meeting


@transaction.atomic
def record_minutes(*, meeting: Meeting, by: User, minutes: str) -> None:
    consultation = meeting.consultation
    if consultation.phase == Phase.CONCLUDED:
        raise ConsultationError(_phase_refusal(consultation))
    if meeting.starts_at > timezone.now():
        raise ConsultationError(_("Minutes can be added once the meeting has taken place."))
    minutes = clean_text(minutes)
    if not minutes:
        raise ConsultationError(_("Write the minutes."))
    old = meeting.minutes
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    log_action(actor=by, partnership=consultation.partnership,
               action="consultations.minutes_recorded", obj=meeting,
               changes={"minutes": [old, minutes]})
    _bump(consultation)


# -- comments entered by staff, moderation ----------------------------------------------------


@transaction.atomic
def enter_comment(
    *, consultation: Consultation, by: User, data: CommentInput, channel: str,
    received_on: date, paragraph_anchor: str | None = None, chapter_anchor: str | None = None,
) -> Comment:
    """A paper, e-mail or meeting comment typed in by staff (flagged late after the end).
    The entry is an administrative act, so it is logged: how and when, not the commenter's
    personal data."""
    if channel == CommentChannel.ONLINE:
        raise ConsultationError(_("Choose how the comment was received."))
    comment = submit_comment(consultation=consultation, data=data, channel=channel,
                             received_on=received_on, entered_by=by,
                             paragraph_anchor=paragraph_anchor, chapter_anchor=chapter_anchor)
    log_action(actor=by, partnership=comment.consultation.partnership,
               action="consultations.comment_entered", obj=comment,
               changes={"channel": [None, comment.channel],
                        "received_on": [None, comment.received_on.isoformat()],
                        "is_late": [None, comment.is_late]})
    return comment


@transaction.atomic
def hide_comment(*, comment: Comment, by: User, reason: str) -> None:
    consultation = comment.consultation
    _require(consultation, MODERATE)
    reason = clean_text(reason)
    if not reason:
        raise ConsultationError(_("Give the reason for hiding the comment."))
    if comment.is_hidden:
        raise ConsultationError(_("The comment is already hidden."))
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = timezone.now(), by, reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    log_action(actor=by, partnership=consultation.partnership,
               action="consultations.comment_hidden", obj=comment,
               changes={"hidden": [False, True], "reason": [None, reason]})
    _bump(consultation)


@transaction.atomic
def unhide_comment(*, comment: Comment, by: User) -> None:
    consultation = comment.consultation
    _require(consultation, MODERATE)
    if not comment.is_hidden:
        raise ConsultationError(_("The comment is not hidden."))
    old_reason = comment.hidden_reason
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = None, None, ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    log_action(actor=by, partnership=consultation.partnership,
               action="consultations.comment_unhidden", obj=comment,
               changes={"hidden": [True, False], "reason": [old_reason, None]})
    _bump(consultation)


# -- positions --------------------------------------------------------------------------------


def later_paragraphs(consultation: Consultation):
    """Paragraphs of the later versions of the consulted draft: where a change may land."""
    return (Paragraph.objects.filter(version__draft_id=consultation.version.draft_id,
                                     version__number__gt=consultation.version.number)
            .select_related("version", "chapter").order_by("version__number", "position"))


def _positions_too_early(consultation: Consultation) -> str | None:
    if consultation.phase in {Phase.PREPARATION, Phase.OPEN}:
        return _("Positions are decided and published after the consultation ends "
                 "(%(date)s).") % {"date": _date(consultation.ends_on)}
    return None


def position_refusal(comment: Comment) -> str | None:
    """Why no position can be recorded on this comment now (None when it can)."""
    consultation = comment.consultation
    if consultation.positions_published_at is not None:
        return _("The positions are published; they can no longer change.")
    if DECIDE_POSITIONS not in allowed_steps(consultation):
        return _positions_too_early(consultation) or _phase_refusal(consultation)
    if comment.is_hidden:
        return _("The comment is hidden; hidden comments get no position.")
    if comment.is_late:
        return _("The comment arrived after the end, so it is not considered and gets no "
                 "position.")
    return None


@transaction.atomic
def set_position(*, comment: Comment, by: User, outcome: str, justification: str,
                 next_paragraph: Paragraph | None = None) -> Position:
    # Locking the consultation orders this against publishing the positions.
    consultation = Consultation.objects.select_for_update().get(pk=comment.consultation_id)
    # Hidden or not, as it is now (another moderator may just have hidden it).
    comment = Comment.objects.get(pk=comment.pk)
    comment.consultation = consultation
    refusal = position_refusal(comment)
    if refusal:
        raise ConsultationError(refusal)
    if outcome not in Outcome.values:
        raise ConsultationError(_("Choose the position from the list."))
    justification = clean_text(justification)
    if not justification:
        raise ConsultationError(_("Justify the position: the report publishes the "
                                  "justification of every position."))
    if len(justification) > MAX_JUSTIFICATION:
        raise ConsultationError(_("A field is too long: at most %(limit)s characters.")
                                % {"limit": MAX_JUSTIFICATION})
    if next_paragraph is not None and not later_paragraphs(consultation).filter(
            pk=next_paragraph.pk).exists():
        raise ConsultationError(_("Choose a paragraph of a later version of the consulted "
                                  "draft."))
    position = Position.objects.filter(comment=comment).first()
    old = ({"outcome": position.outcome, "justification": position.justification,
            "next_paragraph": position.next_paragraph_id} if position else {})
    if position is None:
        position = Position(comment=comment)
    position.outcome, position.justification = outcome, justification
    position.next_paragraph, position.decided_by = next_paragraph, by
    changes = diff(old, {"outcome": outcome, "justification": justification,
                         "next_paragraph": next_paragraph.pk if next_paragraph else None})
    if changes:
        position.save()
        # Logged on the comment, so the comment's history shows its positions.
        log_action(actor=by, partnership=consultation.partnership,
                   action="consultations.position_set", obj=comment, changes=changes)
        _bump(consultation)
    return position


def missing_positions(consultation: Consultation) -> int:
    return consultation.comments.considered().filter(position__isnull=True).count()


@transaction.atomic
def publish_positions(*, consultation: Consultation, by: User) -> int:
    """Publish every position; returns how many commenters will be e-mailed (after the
    commit, so no mail goes out for a publication that was rolled back)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if PUBLISH_POSITIONS not in allowed_steps(consultation):
        raise ConsultationError(_positions_too_early(consultation)
                                or _phase_refusal(consultation))
    missing = missing_positions(consultation)
    if missing:
        raise ConsultationError(_(
            "Every considered comment needs a position before publication; %(count)s "
            "still have none.") % {"count": missing})
    consultation.positions_published_at = timezone.now()
    consultation.save(update_fields=["positions_published_at", "updated_at"])
    recipients = _to_notify(consultation).count()
    log_action(actor=by, partnership=consultation.partnership,
               action="consultations.positions_published", obj=consultation,
               changes={"positions_published_at": [None,
                                                   consultation.positions_published_at.isoformat()],
                        "commenters_to_notify": [None, recipients]})
    consultation_id = consultation.pk
    transaction.on_commit(lambda: notify_commenters(consultation_id))
    return recipients


def _to_notify(consultation: Consultation):
    # Hidden comments were abusive: their authors get no message.
    return consultation.comments.visible().exclude(email="").filter(notified_at__isnull=True)


def comment_numbers(consultation: Consultation) -> dict[int, int]:
    """Comment id -> its number ("uwaga nr N"): the 1-based place by id."""
    ids = consultation.comments.order_by("id").values_list("id", flat=True)
    return {comment_id: number for number, comment_id in enumerate(ids, start=1)}


def comment_number(comment: Comment) -> int:
    return Comment.objects.filter(consultation=comment.consultation_id, id__lte=comment.pk).count()


def notify_commenters(consultation_id: int) -> int:
    """One Polish e-mail per comment with an address: its number, the position and the
    justification, and where the report is. Each is stamped once sent, so a retry after a
    failure sends only the missing ones."""
    consultation = Consultation.objects.select_related("partnership").get(pk=consultation_id)
    numbers = comment_numbers(consultation)
    report_url = settings.SITE_URL + reverse(
        "consultations:report", args=[consultation.partnership.slug, consultation.slug])
    sent = 0
    with translation.override("pl"):
        for comment in _to_notify(consultation).select_related("position"):
            position = getattr(comment, "position", None)
            context = {"consultation": consultation, "comment": comment,
                       "number": numbers.get(comment.pk), "position": position,
                       "report_url": report_url}
            try:
                send_mail(
                    subject=_("Position on your comment no. %(number)s: %(title)s")
                    % {"number": numbers.get(comment.pk), "title": consultation.title},
                    message=render_to_string("consultations/manage_position_email.txt",
                                             context),
                    from_email=None, recipient_list=[comment.email],
                )
            except Exception:  # one bad address must not stop the others
                logger.exception("position e-mail for comment %s not sent", comment.pk)
                continue
            Comment.objects.filter(pk=comment.pk).update(notified_at=timezone.now())
            sent += 1
    return sent


# -- the dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    consultation: Consultation
    phase: str
    # The end of commenting while open, the report's deadline in review.
    due_on: date
    days_left: int

    @property
    def is_report(self) -> bool:
        return self.phase == Phase.REVIEW

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def running_deadlines(partnership: Partnership, today: date | None = None) -> list[Deadline]:
    """Consultations open or under review, with the date that matters next (one query)."""
    today = today or timezone.localdate()
    consultations = (partnership.consultations
                     .filter(notice_published_on__lte=today, positions_published_at__isnull=True)
                     .only("id", "slug", "title", "partnership_id", "notice_published_on",
                           "ends_on", "positions_published_at")
                     .order_by("ends_on", "id"))
    deadlines = []
    for consultation in consultations:
        phase = consultation.phase_on(today)
        due_on = consultation.ends_on if phase == Phase.OPEN else consultation.report_due_on
        deadlines.append(Deadline(consultation, phase, due_on, (due_on - today).days))
    return deadlines
