from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from razem.reports import actions, registry
from razem.reports.models import JobStatus, ReportJob
from razem.reports.tasks import run_job
from razem.reports.tests.conftest import EXPLAINED
from razem.reports.tests.samples import short_document

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _request(partnership, kind, format="pdf", by=None):
    return actions.request_report(partnership=partnership, kind=kind, format=format,
                                  language="pl", by=by)


def test_requested_pdf_is_generated_and_the_job_is_done(partnership_a, coordinator, sample_kind):
    job, created = _request(partnership_a, sample_kind, by=coordinator)
    job.refresh_from_db()
    assert created
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    assert bytes(job.content).startswith(b"%PDF")
    assert job.content_type == "application/pdf"
    assert job.file_name.startswith("portret-partnerstwa-test-razem-dla-rozwoju-")
    assert job.file_name.endswith(".pdf")
    assert job.finished_at is not None


def test_requested_docx_is_stored_as_a_word_document(partnership_a, sample_kind):
    job, _ = _request(partnership_a, sample_kind, format="docx")
    job.refresh_from_db()
    assert bytes(job.content).startswith(b"PK")
    assert job.content_type.endswith("wordprocessingml.document")


def test_builder_progress_is_saved_where_the_job_page_reads_it(partnership_a):
    seen = []

    def builder(partnership, *, language, progress):
        progress(40, "Liczenie wskaźników")
        seen.append(ReportJob.objects.values_list("status", "progress", "message").get())
        return short_document()

    registry.register("test-progress", title="Postęp", builder=builder,
                      permission="core.view_partnership_internal")
    try:
        _request(partnership_a, "test-progress")
    finally:
        registry.unregister("test-progress")
    assert seen == [(JobStatus.RUNNING, 40, "Liczenie wskaźników")]


def test_failing_builder_leaves_the_job_failed_with_a_polish_message(partnership_a, failing_kind):
    job, _ = _request(partnership_a, failing_kind)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("Nie udało się wygenerować raportu")
    assert "exploded" not in job.message  # internals stay in the log
    assert job.finished_at is not None


def test_builder_can_explain_to_the_user_why_it_failed(partnership_a, failing_kind):
    job, _ = _request(partnership_a, EXPLAINED)
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.FAILED,
                                         "Nie zaimportowano jeszcze żadnych danych.")


def test_job_of_a_kind_no_longer_registered_fails(partnership_a):
    job = ReportJob.objects.create(partnership=partnership_a, kind="gone", format="pdf",
                                   language="pl")
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "Ten rodzaj raportu już nie istnieje."


def test_stopping_the_worker_mid_job_marks_it_failed(partnership_a):
    def builder(partnership, *, language, progress):
        raise KeyboardInterrupt

    registry.register("test-stop", title="Stop", builder=builder,
                      permission="core.view_partnership_internal")
    job = ReportJob.objects.create(partnership=partnership_a, kind="test-stop", format="pdf",
                                   language="pl")
    try:
        with pytest.raises(KeyboardInterrupt):
            run_job(job.pk)
    finally:
        registry.unregister("test-stop")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_a_finished_job_is_not_run_again(partnership_a, sample_kind):
    job, _ = _request(partnership_a, sample_kind)
    job.refresh_from_db()
    finished_at = job.finished_at
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.finished_at) == (JobStatus.DONE, finished_at)


def test_identical_pending_job_is_reused_instead_of_queued_twice(
        settings, partnership_a, sample_kind):
    settings.TASKS = DUMMY  # nothing runs: the first job stays queued
    first, created_first = _request(partnership_a, sample_kind)
    second, created_second = _request(partnership_a, sample_kind)
    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert ReportJob.objects.count() == 1


def test_another_format_of_the_same_report_is_a_new_job(settings, partnership_a, sample_kind):
    settings.TASKS = DUMMY
    pdf_job, _ = _request(partnership_a, sample_kind, format="pdf")
    docx_job, created = _request(partnership_a, sample_kind, format="docx")
    assert created and docx_job.pk != pdf_job.pk


def test_a_stale_running_job_is_failed_and_replaced(settings, partnership_a, sample_kind):
    settings.TASKS = DUMMY
    old = ReportJob.objects.create(partnership=partnership_a, kind=sample_kind, format="pdf",
                                   language="pl", status=JobStatus.RUNNING)
    ReportJob.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    new, created = _request(partnership_a, sample_kind)
    old.refresh_from_db()
    assert created and new.pk != old.pk
    assert old.status == JobStatus.FAILED
    assert "przestało odpowiadać" in old.message


def test_pruning_deletes_old_finished_jobs_but_keeps_pending_and_recent_ones(partnership_a):
    old = timezone.now() - timedelta(days=40)
    ReportJob.objects.create(partnership=partnership_a, kind="k", format="pdf", language="pl",
                             status=JobStatus.DONE, created_at=old)
    pending = ReportJob.objects.create(partnership=partnership_a, kind="k", format="pdf",
                                       language="pl", created_at=old)
    recent = ReportJob.objects.create(partnership=partnership_a, kind="k", format="pdf",
                                      language="pl", status=JobStatus.FAILED)
    call_command("prune_report_jobs", days=30, stdout=io.StringIO())
    assert set(ReportJob.objects.values_list("pk", flat=True)) == {pending.pk, recent.pk}
