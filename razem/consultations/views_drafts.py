"""Staff pages for drafts and their versions: the list, importing a draft (DOCX,
Markdown, or the portrait), a draft's versions, one version's text, and what changed.

Coordinators and officers (consultations.manage_drafts); objects are loaded through the
partnership, so an outsider gets 404 and other members 403. Uploads are untrusted: an
unreadable or huge file gets a message and a 4xx, and nothing is saved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from razem.consultations import drafting_actions, forms_drafts, versioning
from razem.consultations.drafting import DraftFormatError
from razem.consultations.loading import load_draft
from razem.consultations.models import (
    BlockKind,
    Change,
    Chapter,
    Consultation,
    Draft,
    DraftKind,
    DraftVersion,
    Paragraph,
)
from razem.core.models import Partnership
from razem.core.views import load_partnership
from razem.reports import registry

MANAGE = "consultations.manage_drafts"


def _posted_files(request: HttpRequest) -> tuple[Any, Any]:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _status(form: forms_drafts.VersionForm) -> int:
    return 413 if form.too_large else 400


# --- the list and creating --------------------------------------------------------------------


@login_required
@require_GET
def draft_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, MANAGE)
    drafts = list(partnership.drafts.annotate(version_count=Count("versions"),
                                              latest_number=Max("versions__number")))
    using: dict[int, list[Consultation]] = defaultdict(list)
    for consultation in (Consultation.objects.filter(partnership=partnership)
                         .select_related("version").order_by("-created_at")):
        using[consultation.version.draft_id].append(consultation)
    return render(request, "consultations/drafts_list.html", {
        "partnership": partnership,
        "rows": [(draft, using.get(draft.pk, [])) for draft in drafts],
    })


@login_required
@require_http_methods(["GET", "POST"])
def draft_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, MANAGE)
    form = forms_drafts.DraftForm(*_posted_files(request))
    if request.method == "POST":
        if not form.is_valid():
            return _create_page(request, partnership, form, status=_status(form))
        source, name, content = form.source()
        try:
            draft = drafting_actions.create_draft(
                partnership=partnership, title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"], by=request.user, source=source, name=name,
                content=content,
            )
        except DraftFormatError as error:
            form.add_error("file" if name else "text", str(error))
            return _create_page(request, partnership, form, status=400)
        messages.success(request, _("The draft “%(title)s” has been imported.")
                         % {"title": draft.title})
        return redirect("consultations:draft_detail", slug, draft.pk)
    return _create_page(request, partnership, form)


def _create_page(request: HttpRequest, partnership: Partnership, form, *,
                 status: int = 200) -> HttpResponse:
    return render(request, "consultations/drafts_create.html", {
        "partnership": partnership, "form": form,
        "max_upload_bytes": forms_drafts.max_upload_bytes(),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def draft_from_portrait(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, MANAGE)
    with translation.override("pl"):
        default_title = _("Diagnosis of the partnership %(name)s") % {"name": partnership.name}
    form = forms_drafts.FromPortraitForm(request.POST if request.method == "POST" else None,
                                         initial={"title": default_title})
    if request.method != "POST":
        return _portrait_page(request, partnership, form)
    if not form.is_valid():
        return _portrait_page(request, partnership, form, status=400)
    kind = registry.get("portrait")
    if kind is None:
        return _portrait_page(request, partnership, form, status=409,
                              error=_("The portrait report is not available."))
    try:
        # The draft is the Polish text the partnership consults, whatever the page language.
        with translation.override("pl"):
            document = kind.builder(partnership, language="pl", progress=lambda *args: None)
    except registry.ReportError as error:
        return _portrait_page(request, partnership, form, status=409, error=str(error))
    draft = drafting_actions.create_draft_from_document(
        partnership=partnership, title=form.cleaned_data["title"], kind=DraftKind.DIAGNOSIS,
        by=request.user, document=document,
    )
    messages.success(request, _("The draft “%(title)s” has been made from the portrait.")
                     % {"title": draft.title})
    return redirect("consultations:draft_detail", slug, draft.pk)


def _portrait_page(request: HttpRequest, partnership: Partnership, form, *, status: int = 200,
                   error: str = "") -> HttpResponse:
    return render(request, "consultations/drafts_portrait.html", {
        "partnership": partnership, "form": form, "error": error,
    }, status=status)


# --- one draft -------------------------------------------------------------------------------


@dataclass
class VersionRow:
    version: DraftVersion
    total: int
    unchanged: int
    edited: int
    new: int
    removed: int | None  # None for the first version: nothing to compare with


def _version_rows(draft: Draft) -> list[VersionRow]:
    versions = draft.versions.annotate(
        total=Count("paragraphs"),
        unchanged=Count("paragraphs", filter=Q(paragraphs__change=Change.UNCHANGED)),
        edited=Count("paragraphs", filter=Q(paragraphs__change=Change.EDITED)),
        new=Count("paragraphs", filter=Q(paragraphs__change=Change.NEW)),
    ).order_by("number")
    rows: list[VersionRow] = []
    previous = None
    for version in versions:
        removed = (None if previous is None
                   else previous.total - version.unchanged - version.edited)
        rows.append(VersionRow(version, version.total, version.unchanged, version.edited,
                               version.new, removed))
        previous = version
    return rows


def _upload_page(request: HttpRequest, draft: Draft, form: forms_drafts.VersionForm,
                 template: str, *, status: int = 200) -> HttpResponse:
    rows = _version_rows(draft) if template.endswith("detail.html") else []
    return render(request, template, {
        "partnership": draft.partnership, "draft": draft, "rows": rows[::-1], "form": form,
        "consultations": (Consultation.objects.filter(version__draft=draft)
                          .select_related("version").order_by("-created_at")),
        "max_upload_bytes": forms_drafts.max_upload_bytes(),
    }, status=status)


@login_required
@require_GET
def draft_detail(request: HttpRequest, slug: str, draft_id: int) -> HttpResponse:
    draft = load_draft(request, slug, draft_id, MANAGE)
    return _upload_page(request, draft, forms_drafts.VersionForm(),
                        "consultations/drafts_detail.html")


@login_required
@require_http_methods(["GET", "POST"])
def version_create(request: HttpRequest, slug: str, draft_id: int) -> HttpResponse:
    draft = load_draft(request, slug, draft_id, MANAGE)
    template = "consultations/drafts_version_create.html"
    form = forms_drafts.VersionForm(*_posted_files(request))
    if request.method != "POST":
        return _upload_page(request, draft, form, template)
    if not form.is_valid():
        return _upload_page(request, draft, form, template, status=_status(form))
    source, name, content = form.source()
    try:
        version = drafting_actions.add_version(draft=draft, by=request.user, source=source,
                                               name=name, content=content,
                                               note=form.cleaned_data["note"])
    except DraftFormatError as error:
        form.add_error("file" if name else "text", str(error))
        return _upload_page(request, draft, form, template, status=400)
    except IntegrityError:  # another version took the same number a moment earlier
        form.add_error(None, _("Another version of this draft was added at the same moment. "
                               "Check the list of versions and upload again if needed."))
        return _upload_page(request, draft, form, template, status=409)
    messages.success(request, _("Version %(number)s has been added.")
                     % {"number": version.number})
    return redirect("consultations:version_diff", slug, draft.pk, version.number)


# --- one version -------------------------------------------------------------------------------


@dataclass
class Group:
    """Consecutive blocks shown together: one paragraph, one table, or a list."""

    kind: str
    paragraphs: list[Paragraph]


@dataclass
class ChapterView:
    chapter: Chapter
    groups: list[Group] = field(default_factory=list)


@dataclass
class TableView:
    caption_id: str
    header: list[tuple[str, int]]
    body: list[list[tuple[str, int]]]


def _table_view(cells: list[list[str]] | None, caption_id: str) -> TableView:
    """Rows as (text, colspan): a row shorter than the widest (merged cells in Word)
    lets its last cell span the rest, so the grid stays whole."""
    rows = [list(row) for row in (cells or [[""]])] or [[""]]
    width = max(len(row) for row in rows)
    spanned = [[(text, 1 + (width - len(row) if index == len(row) - 1 else 0))
                for index, text in enumerate(row or [""])] for row in rows]
    return TableView(caption_id, spanned[0], spanned[1:])


def _groups(paragraphs: list[Paragraph]) -> list[Group]:
    groups: list[Group] = []
    for paragraph in paragraphs:
        if (paragraph.kind == BlockKind.LIST_ITEM and groups
                and groups[-1].kind == BlockKind.LIST_ITEM):
            groups[-1].paragraphs.append(paragraph)
        else:
            groups.append(Group(paragraph.kind, [paragraph]))
    return groups


def _version(draft: Draft, number: int) -> DraftVersion:
    return get_object_or_404(draft.versions, number=number)


def _heading_level(chapter: Chapter) -> int:
    # h1 is the page's title.
    return min(chapter.level, 3) + 1


@login_required
@require_GET
def version_detail(request: HttpRequest, slug: str, draft_id: int, number: int) -> HttpResponse:
    draft = load_draft(request, slug, draft_id, MANAGE)
    version = _version(draft, number)
    by_chapter: dict[int, list[Paragraph]] = defaultdict(list)
    tables = 0
    for paragraph in version.paragraphs.order_by("position"):
        if paragraph.kind == BlockKind.TABLE:
            tables += 1
            paragraph.table_number = tables
            paragraph.table = _table_view(paragraph.cells, f"caption-{paragraph.anchor}")
        by_chapter[paragraph.chapter_id].append(paragraph)
    chapters = []
    for chapter in version.chapters.order_by("position"):
        chapter.heading_level = _heading_level(chapter)
        chapters.append(ChapterView(chapter, _groups(by_chapter.get(chapter.pk, []))))
    return render(request, "consultations/drafts_version.html", {
        "partnership": draft.partnership, "draft": draft, "version": version,
        "chapters": chapters, "compared": version.number > 1,
    })


@dataclass
class DiffRow:
    """One line of the comparison: a chapter heading, a run of unchanged paragraphs, an
    edited, new or removed paragraph."""

    kind: str  # "chapter", "unchanged", "edited", "new", "removed"
    paragraphs: list[Paragraph] = field(default_factory=list)
    chapter: Chapter | None = None
    segments: list[tuple[str, str]] = field(default_factory=list)
    before: Paragraph | None = None
    is_new_chapter: bool = False


def _diff_rows(old: list[Paragraph], new: list[Paragraph], chapters: list[Chapter],
               old_chapter_anchors: set[str]) -> list[DiffRow]:
    old_by_id = {p.pk: p for p in old}
    kept = {p.predecessor_id for p in new if p.predecessor_id}
    # A removed paragraph is shown after the successor of the nearest kept paragraph
    # before it in the previous version.
    removed_after: dict[int | None, list[Paragraph]] = defaultdict(list)
    last_kept: int | None = None
    for paragraph in old:
        if paragraph.pk in kept:
            last_kept = paragraph.pk
        else:
            removed_after[last_kept].append(paragraph)
    successor = {p.predecessor_id: p.pk for p in new if p.predecessor_id}
    after_new: dict[int | None, list[Paragraph]] = defaultdict(list)
    for old_id, removed in removed_after.items():
        after_new[successor.get(old_id) if old_id else None].extend(removed)

    by_chapter: dict[int, list[Paragraph]] = defaultdict(list)
    for paragraph in new:
        by_chapter[paragraph.chapter_id].append(paragraph)
    for paragraph in old:
        if paragraph.pk not in kept and paragraph.kind == BlockKind.TABLE:
            paragraph.table = _table_view(paragraph.cells, f"caption-removed-{paragraph.pk}")
    rows: list[DiffRow] = [DiffRow("removed", [p]) for p in after_new.get(None, [])]
    for chapter in chapters:
        rows.append(DiffRow("chapter", chapter=chapter,
                            is_new_chapter=chapter.anchor not in old_chapter_anchors))
        for paragraph in by_chapter.get(chapter.pk, []):
            _add_diff_row(rows, paragraph, old_by_id)
            rows.extend(DiffRow("removed", [p]) for p in after_new.get(paragraph.pk, []))
    return rows


def _add_diff_row(rows: list[DiffRow], paragraph: Paragraph,
                  old_by_id: dict[int, Paragraph]) -> None:
    if paragraph.change == Change.UNCHANGED:
        if rows and rows[-1].kind == "unchanged":
            rows[-1].paragraphs.append(paragraph)
        else:
            rows.append(DiffRow("unchanged", [paragraph]))
    elif paragraph.change == Change.EDITED and paragraph.predecessor_id in old_by_id:
        before = old_by_id[paragraph.predecessor_id]
        segments = []
        if paragraph.kind == BlockKind.TABLE:
            paragraph.table = _table_view(paragraph.cells, f"caption-{paragraph.anchor}")
            before.table = _table_view(before.cells, f"caption-before-{paragraph.anchor}")
        else:
            segments = versioning.word_diff(before.text, paragraph.text)
        rows.append(DiffRow("edited", [paragraph], segments=segments, before=before))
    else:
        rows.append(DiffRow("new", [paragraph]))
    for shown in rows[-1].paragraphs[-1:]:
        if shown.kind == BlockKind.TABLE and not hasattr(shown, "table"):
            shown.table = _table_view(shown.cells, f"caption-{shown.anchor}")


@login_required
@require_GET
def version_diff(request: HttpRequest, slug: str, draft_id: int, number: int) -> HttpResponse:
    draft = load_draft(request, slug, draft_id, MANAGE)
    version = _version(draft, number)
    previous = version.previous()
    if previous is None:
        raise Http404  # the first version has nothing to compare with
    chapters = list(version.chapters.order_by("position"))
    for chapter in chapters:
        chapter.heading_level = _heading_level(chapter)
    old_chapters = list(previous.chapters.order_by("position"))
    old_anchors = {c.anchor for c in old_chapters}
    new_anchors = {c.anchor for c in chapters}
    rows = _diff_rows(list(previous.paragraphs.order_by("position")),
                      list(version.paragraphs.order_by("position")), chapters, old_anchors)
    counts = {kind: sum(len(r.paragraphs) for r in rows if r.kind == kind)
              for kind in ("unchanged", "edited", "new", "removed")}
    return render(request, "consultations/drafts_diff.html", {
        "partnership": draft.partnership, "draft": draft, "version": version,
        "previous": previous, "rows": rows, "counts": counts,
        "removed_chapters": [c for c in old_chapters if c.anchor not in new_anchors],
    })
