from __future__ import annotations

import pytest
from django.urls import reverse

from razem.conftest import client_for
from razem.reports.models import CONTENT_TYPES, JobStatus, ReportJob

DOCX_TYPE = CONTENT_TYPES["docx"]
MEMBERS = ["coordinator", "officer", "advisor", "observer"]


def _done_job(partnership, format="pdf") -> ReportJob:
    return ReportJob.objects.create(
        partnership=partnership, kind="test-sample", format=format, language="pl",
        status=JobStatus.DONE, progress=100, content=b"%PDF-1.7 test",
        file_name=f"portret-partnerstwa.{format}", content_type=CONTENT_TYPES[format],
    )


def _urls(partnership, job) -> dict[str, tuple[str, str]]:
    slug = partnership.slug
    return {
        "request": ("post", reverse("reports:request", args=[slug, "test-sample", "pdf"])),
        "job": ("get", reverse("reports:job", args=[slug, job.pk])),
        "download": ("get", reverse("reports:download", args=[slug, job.pk])),
        "list": ("get", reverse("reports:list", args=[slug])),
    }


@pytest.mark.parametrize("view", ["request", "job", "download", "list"])
def test_anonymous_is_sent_to_log_in(partnership_a, sample_kind, view):
    method, url = _urls(partnership_a, _done_job(partnership_a))[view]
    response = getattr(client_for(None), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize("view", ["request", "job", "download", "list"])
def test_every_member_may_use_reports(request, partnership_a, sample_kind, member, view):
    method, url = _urls(partnership_a, _done_job(partnership_a))[view]
    response = getattr(client_for(request.getfixturevalue(member)), method)(url)
    assert response.status_code == (302 if view == "request" else 200)


@pytest.mark.parametrize("view", ["request", "job", "download", "list"])
def test_outsider_gets_404(partnership_a, outsider, sample_kind, view):
    method, url = _urls(partnership_a, _done_job(partnership_a))[view]
    assert getattr(client_for(outsider), method)(url).status_code == 404


@pytest.mark.parametrize("view", ["job", "download"])
def test_job_of_another_partnership_is_404_even_for_a_member(
        partnership_a, partnership_b, coordinator, view):
    foreign = _done_job(partnership_b)
    url = reverse(f"reports:{view}", args=[partnership_a.slug, foreign.pk])
    assert client_for(coordinator).get(url).status_code == 404


def test_member_without_the_kinds_permission_is_refused(
        partnership_a, officer, coordinators_only_kind):
    url = reverse("reports:request", args=[partnership_a.slug, coordinators_only_kind, "pdf"])
    assert client_for(officer).post(url).status_code == 403
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("kind, format", [("no-such-report", "pdf"), ("test-sample", "odt")])
def test_unknown_kind_or_format_is_404(partnership_a, coordinator, sample_kind, kind, format):
    url = reverse("reports:request", args=[partnership_a.slug, kind, format])
    assert client_for(coordinator).post(url).status_code == 404


def test_requesting_a_report_redirects_to_its_job_page(partnership_a, coordinator, sample_kind):
    url = reverse("reports:request", args=[partnership_a.slug, sample_kind, "docx"])
    response = client_for(coordinator).post(url)
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reports:job", args=[partnership_a.slug, job.pk])
    assert (job.format, job.language, job.requested_by) == ("docx", "pl", coordinator)


def test_request_url_does_not_answer_get(partnership_a, coordinator, sample_kind):
    url = reverse("reports:request", args=[partnership_a.slug, sample_kind, "pdf"])
    assert client_for(coordinator).get(url).status_code == 405


def test_download_is_an_attachment_of_the_right_type(partnership_a, coordinator):
    job = _done_job(partnership_a, format="docx")
    response = client_for(coordinator).get(
        reverse("reports:download", args=[partnership_a.slug, job.pk]))
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="portret-partnerstwa.docx"'
    assert response.content == b"%PDF-1.7 test"


def test_unfinished_job_has_nothing_to_download(partnership_a, coordinator):
    job = ReportJob.objects.create(partnership=partnership_a, kind="test-sample", format="pdf",
                                   language="pl")
    url = reverse("reports:download", args=[partnership_a.slug, job.pk])
    assert client_for(coordinator).get(url).status_code == 404


def test_pending_job_page_refreshes_itself_and_shows_progress(partnership_a, coordinator):
    job = ReportJob.objects.create(partnership=partnership_a, kind="test-sample", format="pdf",
                                   language="pl", status=JobStatus.RUNNING, progress=40,
                                   message="Liczenie wskaźników")
    html = client_for(coordinator).get(
        reverse("reports:job", args=[partnership_a.slug, job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress id="job-progress" max="100" value="40">' in html
    assert 'aria-live="polite"' in html
    assert "Liczenie wskaźników" in html


def test_finished_job_page_stops_refreshing_and_links_the_file(partnership_a, coordinator):
    job = _done_job(partnership_a)
    html = client_for(coordinator).get(
        reverse("reports:job", args=[partnership_a.slug, job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert reverse("reports:download", args=[partnership_a.slug, job.pk]) in html


def test_whole_flow_from_button_to_file(partnership_a, observer, sample_kind):
    client = client_for(observer)
    response = client.post(
        reverse("reports:request", args=[partnership_a.slug, sample_kind, "pdf"]), follow=True)
    job = ReportJob.objects.get()
    assert job.status == JobStatus.DONE
    download = reverse("reports:download", args=[partnership_a.slug, job.pk])
    assert download in response.content.decode()
    file = client.get(download)
    assert file["Content-Type"] == "application/pdf"
    assert file.content.startswith(b"%PDF")


def test_report_list_offers_only_the_reports_the_member_may_request(
        partnership_a, officer, sample_kind, coordinators_only_kind):
    html = client_for(officer).get(reverse("reports:list", args=[partnership_a.slug])) \
        .content.decode()
    assert reverse("reports:request", args=[partnership_a.slug, sample_kind, "pdf"]) in html
    assert reverse("reports:request", args=[partnership_a.slug, sample_kind, "docx"]) in html
    assert f"/{coordinators_only_kind}/" not in html
