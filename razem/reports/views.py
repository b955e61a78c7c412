from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from razem.core.views import load_partnership
from razem.reports import actions, registry
from razem.reports.models import JobStatus, ReportFormat

RECENT_JOBS = 20


def _language() -> str:
    # Reports come in the interface language the person is using.
    return (get_language() or "pl").split("-")[0]


@login_required
@require_GET
def job_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "reports.view_job")
    # Reports about one object are requested from that object's page.
    kinds = [entry for entry in registry.kinds()
             if not entry.has_subject and request.user.has_perm(entry.permission, partnership)]
    jobs = partnership.report_jobs.without_content().select_related("requested_by")
    return render(request, "reports/job_list.html", {
        "partnership": partnership,
        "kinds": kinds,
        "formats": ReportFormat.choices,
        "jobs": [(job, registry.get(job.kind)) for job in jobs[:RECENT_JOBS]],
    })


@login_required
@require_POST
def request_report(request: HttpRequest, slug: str, kind: str, format: str) -> HttpResponse:
    entry = registry.get(kind)
    if entry is None or format not in ReportFormat.values:
        raise Http404
    subject_id = None
    if entry.has_subject:
        partnership = load_partnership(request, slug, "reports.view_job")
        subject_id = _subject_id(request)
        subject = entry.load_subject(partnership, subject_id)
        if subject is None:
            raise Http404
        if not request.user.has_perm(entry.permission, subject):
            raise PermissionDenied
    else:
        partnership = load_partnership(request, slug, entry.permission)
    job, _created = actions.request_report(
        partnership=partnership, kind=kind, format=format, language=_language(),
        by=request.user, subject_id=subject_id,
    )
    return redirect("reports:job", slug, job.pk)


def _subject_id(request: HttpRequest) -> int | None:
    """The object a report is about: `przedmiot` in the form, or in the address."""
    raw = request.POST.get("przedmiot") or request.GET.get("przedmiot") or ""
    # isascii: str.isdigit() also accepts "²", which int() refuses.
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 else None


@login_required
@require_GET
def job(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    partnership = load_partnership(request, slug, "reports.view_job")
    job = get_object_or_404(partnership.report_jobs.without_content(), pk=job_id)
    entry = registry.get(job.kind)
    subject = entry.load_subject(partnership, job.subject_id) if entry else None
    return render(request, "reports/job.html", {
        "partnership": partnership,
        "job": job,
        "title": entry.title if entry else job.kind,
        "subject": subject,
        "can_request": entry is not None and request.user.has_perm(
            entry.permission, subject if entry.has_subject else partnership),
        # A stale job is shown as failed; the next request replaces it.
        "stale": job.is_stale,
    })


@login_required
@require_GET
def download(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    partnership = load_partnership(request, slug, "reports.view_job")
    job = get_object_or_404(partnership.report_jobs, pk=job_id, status=JobStatus.DONE)
    response = HttpResponse(bytes(job.content), content_type=job.content_type)
    response["Content-Disposition"] = content_disposition_header(True, job.file_name)
    # Internal documents: no shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
