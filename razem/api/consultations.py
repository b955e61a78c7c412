"""Consultations: the announced ones of a partnership, and one with its draft and comments.

Only consultations whose notice is published exist here (one in preparation, or another
partnership's id, is a 404). Comments are anonymised as in the published report: the
author is the organisation or "natural person" (Comment.public_author), never a name or
an e-mail address; a hidden comment keeps its number and the reason, not its text.
Positions appear only once the partnership has published them.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from ninja import Router, Schema

from razem.consultations.models import Comment, Consultation, Paragraph
from razem.core.models import Partnership

router = Router(tags=["consultations"])


class ConsultationSummaryOut(Schema):
    id: int
    slug: str
    title: str
    phase: str
    starts_on: date
    ends_on: date
    report_due_on: date
    positions_published_at: datetime | None
    comment_count: int
    page: str
    report_page: str | None  # null until the positions (and so the report) are published
    api: str


class ParagraphOut(Schema):
    anchor: str
    number: int  # 1-based, in the whole version
    kind: str
    text: str
    cells: list[list[str]] | None


class ChapterOut(Schema):
    anchor: str
    title: str
    level: int
    paragraphs: list[ParagraphOut]


class DraftOut(Schema):
    title: str
    kind: str
    version: int
    chapters: list[ChapterOut]


class NextParagraphOut(Schema):
    version: int
    anchor: str


class PositionOut(Schema):
    outcome: str
    justification: str
    next_paragraph: NextParagraphOut | None


class CommentOut(Schema):
    number: int
    scope: str
    paragraph: str | None  # anchor
    chapter: str | None  # anchor
    author: str  # the organisation, or "natural person"
    category: str
    channel: str
    received_on: date
    current_wording: str | None  # null when hidden
    proposed_wording: str | None
    justification: str | None
    is_late: bool
    hidden: bool
    hidden_reason: str | None
    position: PositionOut | None  # null until positions are published


class ConsultationOut(ConsultationSummaryOut):
    notice: str
    how_to_comment: str
    groups: list[str]
    channels: list[str]
    draft: DraftOut
    comments: list[CommentOut]


def _announced(slug: str):
    partnership = get_object_or_404(Partnership, slug=slug)
    return partnership, (Consultation.objects.announced().filter(partnership=partnership)
                         .select_related("partnership", "version__draft"))


def _summary(consultation: Consultation, comments: int) -> dict:
    slug = consultation.partnership.slug
    published = consultation.positions_published_at is not None
    return {
        "id": consultation.pk, "slug": consultation.slug, "title": consultation.title,
        "phase": consultation.phase, "starts_on": consultation.notice_published_on,
        "ends_on": consultation.ends_on, "report_due_on": consultation.report_due_on,
        "positions_published_at": consultation.positions_published_at,
        "comment_count": comments,
        "page": reverse("consultations:draft", args=[slug, consultation.slug]),
        "report_page": (reverse("consultations:report", args=[slug, consultation.slug])
                        if published else None),
        "api": reverse("api-v1:consultation_detail", args=[slug, consultation.pk]),
    }


@router.get("/{slug}/consultations/", response=list[ConsultationSummaryOut],
            summary="Announced consultations")
def list_consultations(request, slug: str):
    """The partnership's consultations whose notice is published, newest first."""
    _partnership, consultations = _announced(slug)
    consultations = consultations.annotate(comment_count=Count("comments"))
    return [_summary(c, c.comment_count) for c in consultations]


def _draft(consultation: Consultation) -> dict:
    version = consultation.version
    chapters = {c.pk: {"anchor": c.anchor, "title": c.title, "level": c.level, "paragraphs": []}
                for c in version.chapters.order_by("position")}
    paragraphs = version.paragraphs.order_by("position", "id").values_list(
        "chapter_id", "anchor", "kind", "text", "cells")
    for number, (chapter_id, anchor, kind, text, cells) in enumerate(paragraphs, start=1):
        chapters[chapter_id]["paragraphs"].append(
            {"anchor": anchor, "number": number, "kind": kind, "text": text, "cells": cells})
    return {"title": version.draft.title, "kind": version.draft.kind,
            "version": version.number, "chapters": list(chapters.values())}


def _comment(number: int, comment: Comment, published: bool) -> dict:
    hidden = comment.is_hidden
    position = getattr(comment, "position", None) if published and not hidden else None
    next_paragraph: Paragraph | None = position.next_paragraph if position else None
    return {
        "number": number, "scope": comment.scope,
        "paragraph": comment.paragraph.anchor if comment.paragraph else None,
        "chapter": comment.chapter.anchor if comment.chapter else None,
        "author": comment.public_author, "category": comment.category,
        "channel": comment.channel, "received_on": comment.received_on,
        "current_wording": None if hidden else comment.current_wording,
        "proposed_wording": None if hidden else comment.proposed_wording,
        "justification": None if hidden else comment.justification,
        "is_late": comment.is_late, "hidden": hidden,
        "hidden_reason": comment.hidden_reason if hidden else None,
        "position": None if position is None else {
            "outcome": position.outcome, "justification": position.justification,
            "next_paragraph": None if next_paragraph is None else {
                "version": next_paragraph.version.number, "anchor": next_paragraph.anchor},
        },
    }


@router.get("/{slug}/consultations/{consultation_id}/", response=ConsultationOut,
            url_name="consultation_detail",
            summary="One consultation with its draft and comments")
def consultation_detail(request, slug: str, consultation_id: int):
    """The consulted version's chapters and paragraphs (with their anchors) and every
    comment in number order, anonymised; positions once published."""
    _partnership, consultations = _announced(slug)
    consultation = get_object_or_404(consultations, pk=consultation_id)
    published = consultation.positions_published_at is not None
    comments = list(consultation.comments.select_related(
        "paragraph", "chapter", "position", "position__next_paragraph__version")
        .defer("email", "author_name").order_by("id"))
    # "natural person" in Polish, like the rest of the API's texts.
    with translation.override("pl"):
        comment_list = [_comment(number, comment, published)
                        for number, comment in enumerate(comments, start=1)]
    return {
        **_summary(consultation, len(comments)),
        "notice": consultation.notice, "how_to_comment": consultation.how_to_comment,
        "groups": consultation.groups, "channels": consultation.channels,
        "draft": _draft(consultation), "comments": comment_list,
    }
