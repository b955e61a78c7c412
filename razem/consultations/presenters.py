"""The public draft page's view model: the consulted text with its comments in place.

The page of a large draft (300 paragraphs, 2,000 comments) is built with a fixed number
of queries (chapters, paragraphs, comments with their positions, meetings), whatever
the number of comments, and its rendered body is cached under the consultation's
`updated_at` (bumped by every change that shows on the page: a new comment, hiding one,
publishing positions), the day (the phase follows the calendar), the language and
whether the viewer is a member. An entry is superseded, never invalidated, so a cache
per process stays correct with any number of processes (core/pagecache.py).

Only what may be published leaves this module: the author of a comment is its
`public_author` (an organisation, or "natural person"), never the name typed in the
form; a hidden comment keeps only its number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from razem.consultations.models import (
    BlockKind,
    Chapter,
    Comment,
    CommenterCategory,
    Consultation,
    Meeting,
    Outcome,
    Paragraph,
    Phase,
    Scope,
)

CACHE_TIMEOUT = 3600
# Longer lists start folded (a <details> element, no script needed).
OPEN_UP_TO = 3

# The fields a public page may read; the personal data (name, e-mail) is never loaded.
_PUBLIC_FIELDS = (
    "id", "scope", "paragraph_id", "chapter_id", "current_wording", "proposed_wording",
    "justification", "organisation", "category", "channel", "received_on", "is_late",
    "hidden_at",
    "position__id", "position__outcome", "position__justification",
)


class _Labels:
    """Translated labels and formatted dates, each computed once per page."""

    def __init__(self) -> None:
        self.categories = {value: str(label) for value, label in CommenterCategory.choices}
        self.outcomes = {value: str(label) for value, label in Outcome.choices}
        self.hidden = _("hidden by moderation")
        self.late = _("Late: not considered")
        self.current = _("Current wording")
        self.proposed = _("Proposed wording")
        self.justification = _("Justification")
        self.position = _("Position of the partnership")
        self.workspace = _("Open in the staff workspace")
        self._dates: dict[date, str] = {}

    def day(self, value: date) -> str:
        if value not in self._dates:
            self._dates[value] = formats.date_format(value, "j E Y")
        return self._dates[value]


@dataclass
class CommentView:
    number: int
    pk: int
    hidden: bool
    # Prepared here rather than in the template: 2,000 comments render in a blink.
    title: str = ""
    author: str = ""
    category: str = ""
    received_on: date | None = None
    received_label: str = ""
    current_wording: str = ""
    proposed_wording: str = ""
    justification: str = ""
    is_late: bool = False
    outcome: str = ""
    outcome_code: str = ""
    position_justification: str = ""


@dataclass
class Block:
    """A paragraph, a list item or a table of the consulted text, with its comments."""

    number: int
    anchor: str
    kind: str
    text: str
    rows: list[list[str]] = field(default_factory=list)
    table_number: int = 0
    comments: list[CommentView] = field(default_factory=list)

    @property
    def folded(self) -> bool:
        return len(self.comments) > OPEN_UP_TO

    @property
    def head(self) -> list[str]:
        return self.rows[0] if len(self.rows) > 1 else []

    @property
    def body_rows(self) -> list[list[str]]:
        return self.rows[1:] if len(self.rows) > 1 else self.rows


@dataclass
class Group:
    """Consecutive list items form one list; any other block stands alone."""

    is_list: bool
    blocks: list[Block]


@dataclass
class ChapterView:
    anchor: str
    title: str
    level: int
    groups: list[Group] = field(default_factory=list)
    comments: list[CommentView] = field(default_factory=list)
    total: int = 0

    @property
    def heading_level(self) -> int:
        # h1 is the consultation; chapters start at h2, deeper levels stop at h4.
        return min(max(self.level, 1), 3) + 1

    @property
    def folded(self) -> bool:
        return len(self.comments) > OPEN_UP_TO


@dataclass
class DraftPage:
    consultation: Consultation
    phase: str
    accepting: bool
    positions_published: bool
    chapters: list[ChapterView]
    document_comments: list[CommentView]
    meetings: list[Meeting]
    total: int
    hidden: int
    labels: _Labels

    @property
    def document_folded(self) -> bool:
        return len(self.document_comments) > OPEN_UP_TO


def _comment_view(comment: Comment, number: int, *, positions: bool, paragraph_text: str,
                  labels: _Labels) -> CommentView:
    title = _("Comment no. %(number)s") % {"number": number}
    if comment.hidden_at is not None:
        return CommentView(number=number, pk=comment.pk, hidden=True, title=title)
    view = CommentView(
        number=number, pk=comment.pk, hidden=False, title=title,
        author=comment.public_author,
        category=labels.categories.get(comment.category, comment.category),
        received_on=comment.received_on, received_label=labels.day(comment.received_on),
        # For a paragraph, the current wording is the paragraph beside it; it is shown
        # only where the commenter quoted something else.
        current_wording="" if comment.current_wording == paragraph_text
        else comment.current_wording,
        proposed_wording=comment.proposed_wording, justification=comment.justification,
        is_late=comment.is_late,
    )
    position = getattr(comment, "position", None) if positions else None
    if position is not None:
        view.outcome = labels.outcomes.get(position.outcome, position.outcome)
        view.outcome_code = position.outcome
        view.position_justification = position.justification
    return view


def build_draft_page(consultation: Consultation, today: date | None = None) -> DraftPage:
    """The view model with four queries, whatever the size of the draft."""
    today = today or timezone.localdate()
    phase = consultation.phase_on(today)
    positions = consultation.positions_published_at is not None
    chapters = list(Chapter.objects.filter(version=consultation.version_id)
                    .only("id", "anchor", "title", "level", "position").order_by("position"))
    paragraphs = list(Paragraph.objects.filter(version=consultation.version_id)
                      .only("id", "chapter_id", "anchor", "kind", "text", "cells", "position")
                      .order_by("position"))
    comments = list(Comment.objects.filter(consultation=consultation)
                    .select_related("position").only(*_PUBLIC_FIELDS).order_by("id"))
    meetings = list(Meeting.objects.filter(consultation=consultation).order_by("starts_at", "id"))

    labels = _Labels()
    text_of = {p.id: p.text for p in paragraphs}
    by_paragraph: dict[int, list[CommentView]] = {}
    by_chapter: dict[int, list[CommentView]] = {}
    on_document: list[CommentView] = []
    hidden = 0
    for number, comment in enumerate(comments, start=1):
        view = _comment_view(comment, number, positions=positions,
                             paragraph_text=text_of.get(comment.paragraph_id, ""),
                             labels=labels)
        hidden += view.hidden
        if comment.scope == Scope.PARAGRAPH and comment.paragraph_id in text_of:
            by_paragraph.setdefault(comment.paragraph_id, []).append(view)
        elif comment.scope == Scope.CHAPTER and comment.chapter_id is not None:
            by_chapter.setdefault(comment.chapter_id, []).append(view)
        else:
            on_document.append(view)

    views = {c.id: ChapterView(anchor=c.anchor, title=c.title, level=c.level,
                               comments=by_chapter.get(c.id, [])) for c in chapters}
    tables = 0
    for number, paragraph in enumerate(paragraphs, start=1):
        chapter = views.get(paragraph.chapter_id)
        if chapter is None:
            continue
        block = Block(number=number, anchor=paragraph.anchor, kind=paragraph.kind,
                      text=paragraph.text, comments=by_paragraph.get(paragraph.id, []))
        if paragraph.kind == BlockKind.TABLE:
            tables += 1
            block.table_number = tables
            block.rows = [[str(cell) for cell in row] for row in (paragraph.cells or [])] or \
                [line.split("\t") for line in paragraph.text.splitlines()]
        is_list = paragraph.kind == BlockKind.LIST_ITEM
        if is_list and chapter.groups and chapter.groups[-1].is_list:
            chapter.groups[-1].blocks.append(block)
        else:
            chapter.groups.append(Group(is_list=is_list, blocks=[block]))
        chapter.total += len(block.comments)
    for chapter in views.values():
        chapter.total += len(chapter.comments)

    return DraftPage(
        consultation=consultation, phase=phase, accepting=phase == Phase.OPEN,
        positions_published=positions, chapters=[views[c.id] for c in chapters],
        document_comments=on_document, meetings=meetings, total=len(comments), hidden=hidden,
        labels=labels,
    )


def cache_key(consultation: Consultation, *, member: bool, today: date,
              language: str | None) -> str:
    return (f"consultation-draft:{consultation.pk}:{consultation.updated_at.timestamp()}:"
            f"{today.isoformat()}:{language}:{int(member)}")


def draft_body(consultation: Consultation, *, member: bool) -> SafeString:
    """The rendered text with its comments (no form, no token: the same for every viewer
    of one kind), from the cache when this version of the data was rendered before."""
    today = timezone.localdate()
    key = cache_key(consultation, member=member, today=today, language=get_language())
    body = cache.get(key)
    if body is None:
        page = build_draft_page(consultation, today)
        body = render_to_string("consultations/public_draft_body.html",
                                {"page": page, "labels": page.labels,
                                 "consultation": consultation, "member": member,
                                 "partnership": consultation.partnership})
        cache.set(key, body, CACHE_TIMEOUT)
    return mark_safe(body)  # rendered by the template engine, escaped there
