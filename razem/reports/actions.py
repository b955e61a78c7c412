"""Requesting a report: the one verb that crosses jobs and the task queue."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from razem.core.models import Partnership, User
from razem.reports.models import JobStatus, ReportJob


def request_report(
    *, partnership: Partnership, kind: str, format: str, language: str, by: User | None,
    subject_id: int | None = None,
) -> tuple[ReportJob, bool]:
    """The pending job for this report, or a new queued one; True if new.

    Pressing the button twice (or two people pressing it) must not generate
    the same file twice, so an identical pending job is reused.
    """
    from razem.reports.tasks import generate_report  # the task module imports renderers

    with transaction.atomic():
        # Serialises requests of one partnership (PostgreSQL; SQLite's
        # IMMEDIATE transactions already do), so two clicks make one job.
        Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
        pending = (partnership.report_jobs.pending().without_content()
                   .filter(kind=kind, format=format, language=language,
                           subject_id=subject_id).first())
        if pending is not None and not pending.is_stale:
            return pending, False
        if pending is not None:
            expire(pending)
        job = ReportJob.objects.create(
            partnership=partnership, kind=kind, format=format, language=language,
            subject_id=subject_id, requested_by=by, message=_("Waiting for a free worker…"),
        )
        # In the same transaction: the database backend stores the task in a
        # table, so the job and its task are committed together or not at all.
        result = generate_report.enqueue(job.pk)
        ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db(fields=["status", "progress", "message", "finished_at", "task_id",
                                "file_name", "content_type", "updated_at"])
    return job, True


def expire(job: ReportJob) -> None:
    """Mark a job whose worker died (or never came) as failed."""
    if job.status == JobStatus.RUNNING:
        message = _("The report generation stopped responding and was abandoned. "
                    "Please request the report again.")
    else:
        message = _("No background worker took up the report. Please ask the administrator "
                    "to start the report worker, then request the report again.")
    ReportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=JobStatus.FAILED, message=message, finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
