from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A job that has not moved for this long is taken as dead (its worker was
# killed): the page says so and a new request starts afresh.
RUNNING_TIMEOUT = timedelta(minutes=15)
# Queued this long means no worker is running (`manage.py db_worker`).
QUEUED_TIMEOUT = timedelta(hours=1)


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


PENDING = (JobStatus.QUEUED, JobStatus.RUNNING)


class ReportJobQuerySet(models.QuerySet["ReportJob"]):
    def pending(self) -> ReportJobQuerySet:
        return self.filter(status__in=PENDING)

    def without_content(self) -> ReportJobQuerySet:
        # The file can be megabytes; status pages never need it.
        return self.defer("content")


class ReportJob(models.Model):
    """One request to generate a report file, and the file once generated.

    The file lives in the database (a BinaryField): it works the same on
    SQLite and PostgreSQL and with any number of app processes and workers,
    with no shared disk to arrange.
    """

    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.CASCADE, related_name="report_jobs"
    )
    kind = models.CharField(_("kind"), max_length=60)
    # The object a report is about (a survey, ...) for kinds registered with a
    # subject loader (razem.reports.registry); NULL for reports of the whole partnership.
    subject_id = models.PositiveIntegerField(_("subject"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    # The current step while running, the reason when failed; in the job's language.
    message = models.CharField(_("message"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [models.Index(fields=["partnership", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def is_stale(self) -> bool:
        limit = RUNNING_TIMEOUT if self.status == JobStatus.RUNNING else QUEUED_TIMEOUT
        return self.is_pending and timezone.now() - self.updated_at > limit
