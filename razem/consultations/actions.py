"""Workflows of a consultation; each administrative change is logged in the same
transaction (core.actions.log_action). Comments from the public are not "administrative
changes" and are not logged (they would copy personal data into the log); hiding one is.

The phase decides what is allowed (Consultation.phase); a refused step raises
ConsultationError with a Polish message for the user, and saves nothing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from razem.consultations.models import (
    MAX_JUSTIFICATION,
    MAX_NAME,
    MAX_WORDING,
    Chapter,
    Comment,
    CommentChannel,
    CommenterCategory,
    Consultation,
    Paragraph,
    Phase,
    Scope,
)
from razem.core.models import User


class ConsultationError(Exception):
    """A step the phase or the input does not allow; the message is for the user."""


def clean_text(value: str | None) -> str:
    """Plain text as the commenter meant it: NFC, newlines normalised, control characters
    (other than newline and tab) removed, outer whitespace stripped. Markup is kept as
    typed and always shown escaped, so it stays inert ("<5 km" is a fair thing to write)."""
    text = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()


@dataclass(frozen=True)
class CommentInput:
    """What a comment form (public or staff) collected, before checks."""

    justification: str
    author_name: str
    category: str
    consent: bool
    current_wording: str = ""
    proposed_wording: str = ""
    organisation: str = ""
    email: str = ""


def _target(consultation: Consultation, *, paragraph_anchor: str | None,
            chapter_anchor: str | None) -> tuple[str, Paragraph | None, Chapter | None]:
    if paragraph_anchor:
        paragraph = (Paragraph.objects.select_related("chapter")
                     .filter(version=consultation.version_id, anchor=paragraph_anchor).first())
        if paragraph is None:
            raise ConsultationError(_("The consulted draft has no such paragraph."))
        return Scope.PARAGRAPH, paragraph, paragraph.chapter
    if chapter_anchor:
        chapter = Chapter.objects.filter(version=consultation.version_id,
                                         anchor=chapter_anchor).first()
        if chapter is None:
            raise ConsultationError(_("The consulted draft has no such chapter."))
        return Scope.CHAPTER, None, chapter
    return Scope.DOCUMENT, None, None


def _check_input(data: CommentInput) -> CommentInput:
    cleaned = CommentInput(
        justification=clean_text(data.justification),
        author_name=clean_text(data.author_name),
        category=data.category,
        consent=bool(data.consent),
        current_wording=clean_text(data.current_wording),
        proposed_wording=clean_text(data.proposed_wording),
        organisation=clean_text(data.organisation),
        email=clean_text(data.email).lower(),
    )
    if not cleaned.justification:
        raise ConsultationError(_("Write the comment or its justification."))
    if not cleaned.author_name:
        raise ConsultationError(_("Give your name and surname (or the organisation's "
                                  "representative)."))
    if cleaned.category not in CommenterCategory.values:
        raise ConsultationError(_("Choose who is commenting from the list."))
    if not cleaned.consent:
        raise ConsultationError(_("A comment can be accepted only with consent to the "
                                  "information clause."))
    for value, limit in ((cleaned.current_wording, MAX_WORDING),
                         (cleaned.proposed_wording, MAX_WORDING),
                         (cleaned.justification, MAX_JUSTIFICATION),
                         (cleaned.author_name, MAX_NAME), (cleaned.organisation, MAX_NAME)):
        if len(value) > limit:
            raise ConsultationError(
                _("A field is too long: at most %(limit)s characters.") % {"limit": limit})
    return cleaned


def submit_comment(
    *,
    consultation: Consultation,
    data: CommentInput,
    channel: str = CommentChannel.ONLINE,
    paragraph_anchor: str | None = None,
    chapter_anchor: str | None = None,
    received_on: date | None = None,
    entered_by: User | None = None,
) -> Comment:
    """Store one comment on a paragraph, a chapter or the whole consulted version.

    Online comments are accepted only while the consultation is open. Staff enter paper,
    e-mail and meeting comments with the day they were received: after the end they are
    kept and flagged late (not considered), before the notice they are refused.
    """
    today = timezone.localdate()
    if channel == CommentChannel.ONLINE:
        if consultation.phase_on(today) != Phase.OPEN:
            if consultation.phase_on(today) == Phase.PREPARATION:
                raise ConsultationError(_("This consultation has not started yet."))
            raise ConsultationError(
                _("The consultation ended on %(date)s; comments sent after the end cannot be "
                  "considered.") % {"date": consultation.ends_on.strftime("%d.%m.%Y")})
        received_on = today
        entered_by = None
    else:
        if channel not in CommentChannel.values:
            raise ConsultationError(_("Choose how the comment was received."))
        received_on = received_on or today
        if received_on > today:
            raise ConsultationError(_("The day the comment was received cannot be in the "
                                      "future."))
        if consultation.notice_published_on is None or \
                received_on < consultation.notice_published_on:
            raise ConsultationError(_("The comment was received before the consultation "
                                      "started."))
        if consultation.positions_published_at is not None:
            raise ConsultationError(_("The positions are already published; no comments can "
                                      "be added."))
    cleaned = _check_input(data)
    scope, paragraph, chapter = _target(consultation, paragraph_anchor=paragraph_anchor,
                                        chapter_anchor=chapter_anchor)
    if scope == Scope.PARAGRAPH and not cleaned.current_wording:
        # The standard form quotes the current wording; the paragraph gives it.
        cleaned = CommentInput(**{**cleaned.__dict__, "current_wording": paragraph.text})
    with transaction.atomic():
        comment = Comment.objects.create(
            consultation=consultation, scope=scope, paragraph=paragraph, chapter=chapter,
            current_wording=cleaned.current_wording, proposed_wording=cleaned.proposed_wording,
            justification=cleaned.justification, author_name=cleaned.author_name,
            organisation=cleaned.organisation, category=cleaned.category,
            email=cleaned.email, consent=cleaned.consent, channel=channel,
            received_on=received_on, is_late=consultation.is_late(received_on),
            entered_by=entered_by if entered_by and entered_by.is_authenticated else None,
        )
        # The public page is cached by this stamp.
        Consultation.objects.filter(pk=consultation.pk).update(updated_at=timezone.now())
    return comment
