"""Downloads of a survey's responses (CSV, XLSX) for the partnership's contributors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from razem.core.actions import log_action
from razem.surveys import exports
from razem.surveys.loading import load_survey
from razem.surveys.models import Survey


# openpyxl writes about a thousand responses a second, and the file must be whole before
# the first byte goes out: past this the request would outlive the server's worker
# timeout (30 s) and end as a bare 502. The CSV streams, so it has no such limit.
XLSX_MAX_RESPONSES = 20_000


def _log(request: HttpRequest, survey: Survey, kind: str) -> None:
    # Raw answers leave the system here: who took them and when stays on record.
    log_action(actor=request.user, partnership=survey.partnership, action="survey.exported",
               obj=survey, changes={"format": [None, kind]})


@login_required
@require_GET
def export_csv(request: HttpRequest, slug: str, survey_id: int) -> StreamingHttpResponse:
    survey = load_survey(request, slug, survey_id=survey_id, perm="surveys.export")
    labels = request.GET.get("etykiety") == "1"
    chunks = exports.csv_chunks(survey, labels=labels)
    _log(request, survey, "csv (labels)" if labels else "csv")
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, exports.file_name(survey, "csv", labels=labels))
    # Respondents' answers: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = load_survey(request, slug, survey_id=survey_id, perm="surveys.export")
    count = survey.responses.count()
    if count > XLSX_MAX_RESPONSES:
        return render(request, "surveys/export_too_large.html", {
            "partnership": survey.partnership, "survey": survey, "count": count,
            "limit": XLSX_MAX_RESPONSES, "section": "exports",
        }, status=413)
    workbook = exports.xlsx_file(survey)
    _log(request, survey, "xlsx")
    response = FileResponse(
        workbook, as_attachment=True, filename=exports.file_name(survey, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response
