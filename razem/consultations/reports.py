"""The "Sprawozdanie z przebiegu i wyników konsultacji" as a Document (PDF, DOCX, HTML).

Art. 6 of the development policy act (DOMAIN.md): the report describes the process,
summarises the comments statistically and lists every comment with the position taken
and its justification; natural persons are anonymised. So the author column is
Comment.public_author (an organisation, or "natural person"), never author_name, and a
hidden comment shows only that it was hidden and why.

Registered with razem.reports as a report about one consultation (`subject`); the public
page (views_report.py) renders the very same Document. Until the positions are published
the document is a draft of the report, for members only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from razem.consultations import report_data as data
from razem.consultations.models import (
    CommentChannel,
    CommenterCategory,
    Consultation,
    ConsultedGroup,
    DraftKind,
    Outcome,
    Paragraph,
    Scope,
)
from razem.core.models import Partnership
from razem.portrait.charts import bars
from razem.reports import document as doc
from razem.reports.registry import Progress, register

KIND = "consultation"
TITLE = gettext_lazy("Report on the course and results of the consultation")
PERMISSION = "consultations.view_workspace"


def load_subject(partnership: Partnership, subject_id: int) -> Consultation | None:
    return (Consultation.objects.select_related("partnership", "version__draft")
            .filter(partnership=partnership, pk=subject_id).first())


def register_report() -> None:
    register(KIND, title=TITLE, builder=build_consultation_document, permission=PERMISSION,
             subject=load_subject)


def build_consultation_document(partnership: Partnership, *, language: str,
                                progress: Progress, subject: Consultation) -> doc.Document:
    consultation = subject
    lang = "en" if language.startswith("en") else "pl"
    progress(10, _("Reading the comments"))
    facts = comment_facts(consultation)
    draft = consultation.positions_published_at is None
    subtitle = _("%(title)s, %(name)s") % {"title": consultation.title, "name": partnership.name}
    if draft:
        subtitle = _("DRAFT of the report (the positions are not published yet): %(subtitle)s") \
            % {"subtitle": subtitle}
    document = doc.Document(
        title=str(TITLE), subtitle=subtitle,
        meta=doc.Meta(publisher=partnership.name, date=timezone.localdate()), language=lang,
    )
    document.sections.append(_process(consultation, lang, draft))
    progress(40, _("Counting the comments"))
    document.sections.append(_statistics(consultation, facts))
    progress(60, _("Listing the comments and positions"))
    document.sections.append(_comments(facts))
    return document


# --- reading -----------------------------------------------------------------


def _date(day) -> str:
    return date_format(day, "j E Y") if day else doc.MISSING


def _paragraph_numbers(version_ids: set[int]) -> dict[int, tuple[int, int]]:
    """paragraph id -> (version number, its 1-based number in that version)."""
    numbers: dict[int, tuple[int, int]] = {}
    rows = (Paragraph.objects.filter(version__in=version_ids)
            .order_by("version", "position", "id").values_list("id", "version", "version__number"))
    counters: dict[int, int] = {}
    for pk, version_id, version_number in rows:
        counters[version_id] = counters.get(version_id, 0) + 1
        numbers[pk] = (version_number, counters[version_id])
    return numbers


def comment_facts(consultation: Consultation) -> list[data.CommentFact]:
    """Every comment of the consultation as the report shows it, numbered by id."""
    comments = list(
        consultation.comments.select_related("chapter", "position", "position__next_paragraph")
        .defer("email", "current_wording").order_by("id"))
    versions = {consultation.version_id}
    for comment in comments:
        position = getattr(comment, "position", None)
        if position is not None and position.next_paragraph is not None:
            versions.add(position.next_paragraph.version_id)
    numbers = _paragraph_numbers(versions)
    whole = _("whole document")
    facts = []
    for number, comment in enumerate(comments, start=1):
        position = getattr(comment, "position", None)
        if comment.scope == Scope.PARAGRAPH and comment.paragraph_id:
            paragraph_number = numbers.get(comment.paragraph_id, (0, 0))[1]
            part = _("%(chapter)s, paragraph %(number)s") % {
                "chapter": comment.chapter.title if comment.chapter else whole,
                "number": paragraph_number}
        elif comment.chapter is not None:
            part = comment.chapter.title
        else:
            part = whole
        next_paragraph = ""
        if position is not None and position.next_paragraph_id in numbers:
            version_number, paragraph_number = numbers[position.next_paragraph_id]
            next_paragraph = _("version %(version)s, paragraph %(number)s") % {
                "version": version_number, "number": paragraph_number}
        facts.append(data.CommentFact(
            number=number, scope=comment.scope,
            chapter_key=comment.chapter.anchor if comment.chapter else data.WHOLE_DOCUMENT,
            part=part, author=comment.public_author, category=comment.category,
            channel=comment.channel, proposed_wording=comment.proposed_wording,
            justification=comment.justification, is_late=comment.is_late,
            is_hidden=comment.is_hidden, hidden_reason=comment.hidden_reason,
            outcome=position.outcome if position else data.NO_POSITION,
            position_justification=position.justification if position else "",
            next_paragraph=next_paragraph,
        ))
    return facts


# --- the process ---------------------------------------------------------------


def draft_address(consultation: Consultation) -> str:
    return settings.SITE_URL + consultation.get_absolute_url()


def _process(consultation: Consultation, language: str, draft: bool) -> doc.Section:
    version = consultation.version
    blocks: list[Any] = []
    if draft:
        blocks.append(doc.Note(_(
            "This is a draft of the report: the partnership has not published its positions "
            "on the comments yet, so they may still change.")))
    blocks.append(doc.Paragraph(_(
        "The consultation concerned the draft „%(title)s” (%(kind)s), version %(version)s.") % {
        "title": version.draft.title, "kind": DraftKind(version.draft.kind).label,
        "version": version.number}))
    if consultation.notice_published_on:
        days = (consultation.ends_on - consultation.notice_published_on).days
        blocks.append(doc.Paragraph(_(
            "The notice of the consultation was published on %(start)s, the day the "
            "consultation began. Comments were accepted until %(end)s inclusive "
            "(%(days)s days from the publication of the notice).") % {
            "start": _date(consultation.notice_published_on), "end": _date(consultation.ends_on),
            "days": days}))
    else:
        blocks.append(doc.Paragraph(_("The notice of the consultation has not been published "
                                      "yet.")))
    blocks.append(doc.Paragraph(_("The draft was published for comment at %(address)s.") % {
        "address": draft_address(consultation)}))
    if consultation.notice.strip():
        blocks.append(doc.Paragraph(_("The notice read:")))
        blocks.extend(doc.Paragraph(text) for text in _paragraphs(consultation.notice))
    if consultation.how_to_comment.strip():
        blocks.append(doc.Paragraph(_("How to comment, as announced:")))
        blocks.extend(doc.Paragraph(text) for text in _paragraphs(consultation.how_to_comment))
    groups = [str(ConsultedGroup(g).label) for g in consultation.groups
              if g in ConsultedGroup.values]
    if groups:
        blocks.append(doc.Paragraph(_("Groups consulted:")))
        blocks.append(doc.BulletList(groups))
    channels = [str(CommentChannel(c).label) for c in consultation.channels
                if c in CommentChannel.values]
    if channels:
        blocks.append(doc.Paragraph(_("Comments could be submitted by:")))
        blocks.append(doc.BulletList(channels))
    meetings = list(consultation.meetings.all())
    if meetings:
        blocks.append(doc.Table(
            caption=_("Consultation meetings"),
            columns=[doc.Column(_("Date and time")), doc.Column(_("Place")),
                     doc.Column(_("Description"))],
            rows=[[_meeting_time(m), m.place, m.description or doc.MISSING] for m in meetings]))
        for meeting in meetings:
            if meeting.minutes.strip():
                blocks.append(doc.Paragraph(_("Minutes of the meeting of %(when)s, %(place)s:")
                                            % {"when": _meeting_time(meeting),
                                               "place": meeting.place}))
                blocks.extend(doc.Paragraph(text) for text in _paragraphs(meeting.minutes))
    else:
        blocks.append(doc.Paragraph(_("No consultation meetings were held.")))
    return doc.Section(heading=_("The course of the consultation"), level=1, blocks=blocks)


def _meeting_time(meeting) -> str:
    return date_format(timezone.localtime(meeting.starts_at), "j E Y, H:i")


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


# --- statistics ----------------------------------------------------------------


def _tally_columns(first: str) -> list[doc.Column]:
    return [doc.Column(first), doc.Column(_("comments"), 0), doc.Column(_("considered"), 0),
            doc.Column(_("late (not considered)"), 0), doc.Column(_("hidden by moderation"), 0)]


def _tally_chart(title: str, first: str, rows: list[data.Tally]) -> doc.Chart:
    spec = bars([{"label": r.label, "value": r.total} for r in rows],
                description=title, category_title=first, value_title=_("comments"), decimals=0)
    # The order of the categories (chapters in the draft's order) reads better than by size.
    spec["encoding"]["y"]["sort"] = [r.label for r in rows]
    spec["encoding"]["y"]["axis"] = {"labelLimit": 220}
    table = doc.Table(caption=title, columns=_tally_columns(first),
                      rows=[[r.label, r.total, r.considered, r.late, r.hidden] for r in rows])
    return doc.Chart(title=title, vega_lite_spec=spec, table=table, description=_(
        "Bar chart of the number of comments: %(rows)s.") % {
        "rows": "; ".join(f"{r.label}: {r.total}" for r in rows)})


def chapter_labels(consultation: Consultation) -> list[tuple[str, str]]:
    chapters = consultation.version.chapters.order_by("position").values_list("anchor", "title")
    return [(data.WHOLE_DOCUMENT, _("whole document")), *chapters]


def outcome_labels() -> list[tuple[str, str]]:
    return [*((code, str(label)) for code, label in Outcome.choices),
            (data.NO_POSITION, _("no position yet"))]


def _statistics(consultation: Consultation, facts: list[data.CommentFact]) -> doc.Section:
    totals = data.totals(facts)
    blocks: list[Any] = [doc.Paragraph(_(
        "Comments received: %(total)s. Considered: %(considered)s. Received after the end "
        "(not considered): %(late)s. Hidden by moderation: %(hidden)s.") % {
        "total": totals.total, "considered": totals.considered, "late": totals.late,
        "hidden": totals.hidden})]
    if not facts:
        return doc.Section(heading=_("The comments in figures"), level=1, blocks=blocks)
    categories = [(code, str(label)) for code, label in CommenterCategory.choices]
    channels = [(code, str(label)) for code, label in CommentChannel.choices]
    blocks.append(_tally_chart(_("Comments by who commented"), _("Who commented"),
                               data.by_category(facts, categories)))
    blocks.append(_tally_chart(_("Comments by part of the document"), _("Part of the document"),
                               data.by_chapter(facts, chapter_labels(consultation))))
    blocks.append(_tally_chart(_("Comments by channel"), _("Channel"),
                               data.by_channel(facts, channels)))
    outcomes = data.by_outcome(facts, outcome_labels())
    title = _("Positions on the considered comments")
    spec = bars([{"label": label, "value": n} for _code, label, n in outcomes],
                description=title, category_title=_("Position"), value_title=_("comments"),
                decimals=0)
    spec["encoding"]["y"]["sort"] = [label for _code, label, _n in outcomes]
    blocks.append(doc.Chart(
        title=title, vega_lite_spec=spec,
        table=doc.Table(caption=title,
                        columns=[doc.Column(_("Position")), doc.Column(_("comments"), 0)],
                        rows=[[label, n] for _code, label, n in outcomes]),
        description=_("Bar chart of the number of comments: %(rows)s.") % {
            "rows": "; ".join(f"{label}: {n}" for _code, label, n in outcomes)}))
    return doc.Section(heading=_("The comments in figures"), level=1, blocks=blocks)


# --- the comments ----------------------------------------------------------------

COMMENT_COLUMNS = 8
# Above this many comments the list is written as paragraphs (comment_entries).
TABLE_LIMIT = 150


def comment_table(facts: list[data.CommentFact]) -> doc.Table:
    texts = data.TableTexts(
        late=_("not considered: received after the end of the consultation"),
        hidden=_("hidden by moderation: %(reason)s"),
        no_position=_("no position yet"),
        proposed=_("Proposed wording: %(text)s"),
        next_paragraph=_("The change is in %(where)s."),
        outcome_labels={code: str(label) for code, label in Outcome.choices},
        category_labels={code: str(label) for code, label in CommenterCategory.choices},
        channel_labels={code: str(label) for code, label in CommentChannel.choices},
        dash=doc.MISSING,
    )
    return doc.Table(
        caption=_("Comments and the positions taken on them"),
        columns=[doc.Column(_("No.")), doc.Column(_("Part of the document")),
                 doc.Column(_("Author")), doc.Column(_("Who commented")),
                 doc.Column(_("Channel")), doc.Column(_("Comment and proposed wording")),
                 doc.Column(_("Position")), doc.Column(_("Justification of the position"))],
        rows=data.table_rows(facts, texts))


def comment_entries(facts: list[data.CommentFact]) -> list[doc.Paragraph]:
    """The comment table as text, two paragraphs a comment: what it is about and says,
    then the position. WeasyPrint lays out a long table row by row at a few tenths of a
    second each, so a consultation of thousands of comments would take many minutes."""
    blocks = []
    for number, part, author, category, channel, comment, position, reason in \
            comment_table(facts).rows:
        blocks.append(doc.Paragraph(_(
            "No. %(number)s. %(part)s. %(author)s (%(category)s), %(channel)s: %(comment)s") % {
            "number": number, "part": part, "author": author, "category": category,
            "channel": channel, "comment": str(comment).replace("\n", " ")}))
        blocks.append(doc.Paragraph(_("Position on comment no. %(number)s: %(position)s. "
                                      "Justification: %(reason)s") % {
            "number": number, "position": position, "reason": reason}))
    return blocks


def _comments(facts: list[data.CommentFact]) -> doc.Section:
    blocks: list[Any] = [doc.Paragraph(_(
        "Every comment received, in the order of receipt, with the position taken on it and "
        "its justification. Comments of natural persons are published without their names "
        "(“natural person”); comments received after the end are listed but were not "
        "considered; comments hidden by moderation are listed with the reason, without their "
        "text."))]
    if not facts:
        blocks.append(doc.Paragraph(_("No comments were received.")))
    elif len(facts) <= TABLE_LIMIT:
        blocks.append(comment_table(facts))
    else:
        blocks.append(doc.Note(_(
            "With this many comments the list is given as text rather than as a table, one "
            "comment after another, so that the document can be produced in reasonable time; "
            "it holds the same information as the table.")))
        blocks.extend(comment_entries(facts))
    return doc.Section(heading=_("Comments and positions"), level=1, blocks=blocks)
