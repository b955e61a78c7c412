"""The public page of the consultation report: the same Document as the PDF and DOCX
(razem.consultations.reports), as HTML.

Anyone reads it once the positions are published (consultations.view_report); members
read it before that as a draft of the report. Members may also have the files generated
through the report jobs (razem.reports), which only members can see.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from razem.consultations.loading import load_consultation
from razem.consultations.reports import KIND, PERMISSION, build_consultation_document
from razem.reports import document as doc
from razem.reports.models import ReportFormat


def _language() -> str:
    return (get_language() or "pl").split("-")[0]


def _table(table: doc.Table, language: str) -> dict[str, Any]:
    return {"caption": table.caption, "columns": table.columns,
            "rows": [list(zip(cells, table.columns))
                     for cells in table.formatted_rows(language)]}


def page_sections(document: doc.Document) -> list[dict[str, Any]]:
    """The document's sections shaped for the template (tables formatted, ids given)."""
    sections = []
    for number, section in enumerate(document.sections, start=1):
        blocks = []
        for index, block in enumerate(section.blocks, start=1):
            item: dict[str, Any] = {"kind": block.kind, "block": block,
                                    "id": f"s{number}-b{index}"}
            if isinstance(block, doc.Chart):
                item["table"] = _table(block.table, document.language)
                item["spec_id"] = f"s{number}-b{index}-spec"
            elif isinstance(block, doc.Table):
                item["table"] = _table(block, document.language)
            blocks.append(item)
        sections.append({"anchor": f"s{number}", "heading": section.heading,
                         "tag": f"h{section.level + 1}", "level": section.level,
                         "blocks": blocks})
    return sections


@require_GET
def public_report(request: HttpRequest, slug: str, consultation: str) -> HttpResponse:
    item = load_consultation(request, slug, consultation_slug=consultation,
                             perm="consultations.view_report")
    language = _language()
    document = build_consultation_document(item.partnership, language=language,
                                           progress=lambda percent, message: None,
                                           subject=item)
    return render(request, "consultations/report.html", {
        "partnership": item.partnership,
        "consultation": item,
        "document": document,
        "sections": page_sections(document),
        "is_draft": item.positions_published_at is None,
        "can_generate": request.user.has_perm(PERMISSION, item)
        and request.user.has_perm("reports.view_job", item.partnership),
        "report_kind": KIND,
        "report_formats": ReportFormat.choices,
    })
