"""Report generation as a background task (django-tasks).

Run by `manage.py db_worker` (the database backend in settings.TASKS); the
job row carries the progress the job page shows, so app processes and
workers share nothing but the database.
"""

from __future__ import annotations

import logging
import re

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from razem.reports import registry
from razem.reports.models import CONTENT_TYPES, JobStatus, ReportFormat, ReportJob
from razem.reports.registry import ReportError
from razem.reports.render import render_docx, render_pdf

logger = logging.getLogger(__name__)

# Builders report up to here; rendering the file is the last stretch.
RENDER_PROGRESS = 85


@task()
def generate_report(job_id: int) -> None:
    run_job(job_id)


def run_job(job_id: int) -> None:
    """Generate the file of one queued job; every outcome ends in done or failed."""
    # Claiming with a conditional update: a job runs once even if its task was
    # enqueued twice or a second worker picks it up.
    claimed = ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, progress=0, updated_at=timezone.now()
    )
    if not claimed:
        logger.info("Report job %s is gone or not queued; nothing to do", job_id)
        return
    job = ReportJob.objects.without_content().select_related("partnership").get(pk=job_id)
    with translation.override(job.language):
        try:
            data, file_name = _generate(job)
        except BaseException as exc:
            logger.exception("Report job %s (%s.%s) failed", job.pk, job.kind, job.format)
            if isinstance(exc, ReportError):
                message = str(exc)
            else:
                message = _("The report could not be generated because of an error on the "
                            "server. The error has been logged; please try again later.")
            _update(job, status=JobStatus.FAILED, message=message[:500],
                    finished_at=timezone.now())
            if not isinstance(exc, Exception):
                raise  # the worker is being stopped; let it stop
            return
        _update(job, status=JobStatus.DONE, progress=100, message=_("The report is ready."),
                content=data, file_name=file_name, content_type=CONTENT_TYPES[job.format],
                finished_at=timezone.now())


def _generate(job: ReportJob) -> tuple[bytes, str]:
    entry = registry.get(job.kind)
    if entry is None:
        raise ReportError(_("This kind of report no longer exists."))

    def progress(percent: int, message: str) -> None:
        _update(job, progress=max(0, min(int(percent), RENDER_PROGRESS)), message=message[:500])

    progress(1, _("Collecting the data…"))
    if entry.has_subject:
        subject = entry.load_subject(job.partnership, job.subject_id)
        if subject is None:
            raise ReportError(_("What this report was about no longer exists."))
        document = entry.builder(job.partnership, language=job.language, progress=progress,
                                 subject=subject)
        title = f"{entry.title} {getattr(subject, 'slug', job.subject_id)}"
    else:
        document = entry.builder(job.partnership, language=job.language, progress=progress)
        title = str(entry.title)
    if job.format == ReportFormat.PDF:
        progress(RENDER_PROGRESS, _("Laying out the PDF file…"))
        data = render_pdf(document)
    else:
        progress(RENDER_PROGRESS, _("Writing the DOCX file…"))
        data = render_docx(document)
    return data, report_file_name(title, job)


def report_file_name(title: str, job: ReportJob) -> str:
    date = timezone.localdate(timezone.now()).isoformat()
    return f"{_ascii_slug(title)}-{job.partnership.slug}-{date}.{job.format}"


def _ascii_slug(text: str) -> str:
    # Slugify's NFKD leaves "ł" undecomposed and drops it: "Łosice" would be "osice".
    text = text.replace("ł", "l").replace("Ł", "L")
    return re.sub(r"-+", "-", slugify(text)) or "raport"


def _update(job: ReportJob, **fields) -> None:
    # A targeted UPDATE, not save(): the row may hold a large file, and the job
    # page reads the row while the worker writes it.
    fields.setdefault("updated_at", timezone.now())
    ReportJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
