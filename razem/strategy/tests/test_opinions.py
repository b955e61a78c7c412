"""Advisors' opinions: requested by the coordinator, answered in versions by the advisor
asked, internal until the coordinator publishes a version."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from razem.conftest import client_for
from razem.core.models import AuditLogEntry, Membership, Role, User
from razem.strategy import project_actions as actions
from razem.strategy.models import AdvisorOpinion, OpinionRequest, ProjectCard
from razem.strategy.tests.test_project_support import make_card, strategy_a  # noqa: F401

pytestmark = pytest.mark.django_db
SLUG = "razem-dla-rozwoju"

ANSWER = {"recommendation": "with_changes", "strengths": "Łączy trzy gminy.",
          "risks": "Brak pozwolenia.", "readiness": "Dokumentacja w toku.",
          "funding_fit": "Pasuje do RFRD.", "text": "Projekt warto realizować po zmianach."}


@pytest.fixture
def project(partnership_a, coordinator, strategy_a) -> ProjectCard:
    return make_card(partnership_a, coordinator, title="Droga")


@pytest.fixture
def asked(project, coordinator, advisor) -> OpinionRequest:
    return actions.request_opinion(project=project, by=coordinator, advisor=advisor,
                                   kind="opinion", question="Czy projekt jest gotowy?")


def request_url(project: ProjectCard) -> str:
    return reverse("strategy:opinion_request", args=[SLUG, project.pk])


def answer_url(opinion_request: OpinionRequest) -> str:
    return reverse("strategy:opinion_answer", args=[SLUG, opinion_request.pk])


def publish_url(opinion_request: OpinionRequest, version: int) -> str:
    return reverse("strategy:opinion_publish", args=[SLUG, opinion_request.pk, version])


def detail_url(project: ProjectCard) -> str:
    return reverse("strategy:project_detail", args=[SLUG, project.pk])


def shown_versions(client, project: ProjectCard) -> list[int]:
    response = client.get(detail_url(project))
    assert response.status_code == 200
    return [opinion.version for item in response.context["opinion_requests"]
            for opinion in item["versions"]]


# --- asking ---------------------------------------------------------------------------------


def test_the_coordinator_asks_an_advisor(coordinator, advisor, project,
                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(request_url(project), {
            "advisor": str(advisor.pk), "kind": "analysis", "question": "Koszty?",
            "due_on": "2026-05-01"})
    assert response.status_code == 302
    opinion_request = OpinionRequest.objects.get()
    assert (opinion_request.advisor, opinion_request.kind) == (advisor, "analysis")
    assert opinion_request.requested_by == coordinator
    assert AuditLogEntry.objects.filter(action="strategy.opinion_requested",
                                        object_id=str(opinion_request.pk)).exists()
    assert [message.to for message in mail.outbox] == [[advisor.email]]
    assert answer_url(opinion_request) in mail.outbox[0].body


@pytest.mark.parametrize("who", ["observer", "officer", "outsider"])
def test_only_an_advisor_of_the_partnership_can_be_asked(request, who, coordinator, project):
    forged = request.getfixturevalue(who)
    response = client_for(coordinator).post(request_url(project), {
        "advisor": str(forged.pk), "kind": "opinion"})
    assert response.status_code == 400
    assert not OpinionRequest.objects.exists()
    with pytest.raises(actions.ProjectError):
        actions.request_opinion(project=project, by=coordinator, advisor=forged, kind="opinion")


@pytest.mark.parametrize("who, status", [
    ("officer", 403), ("advisor", 403), ("observer", 403), ("outsider", 404), (None, 302)])
def test_only_the_coordinator_asks(request, who, status, project, advisor):
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.get(request_url(project)).status_code == status
    response = client.post(request_url(project), {"advisor": str(advisor.pk), "kind": "opinion"})
    assert response.status_code == status
    assert not OpinionRequest.objects.exists()


# --- answering --------------------------------------------------------------------------------


def test_each_answer_is_a_new_version(advisor, asked):
    client = client_for(advisor)
    assert client.get(answer_url(asked)).status_code == 200
    assert client.post(answer_url(asked), ANSWER).status_code == 302
    second = {**ANSWER, "recommendation": "recommended", "risks": "Brak ryzyk."}
    assert client.post(answer_url(asked), second).status_code == 302
    first, latest = asked.opinions.order_by("version")
    assert (first.version, latest.version) == (1, 2)
    # The first answer stays as it was written.
    assert (first.recommendation, first.risks) == ("with_changes", "Brak pozwolenia.")
    assert (latest.recommendation, latest.risks) == ("recommended", "Brak ryzyk.")
    assert first.published_at is None and latest.published_at is None
    assert AuditLogEntry.objects.filter(action="strategy.opinion_answered").count() == 2

    page = client.get(answer_url(asked))
    assert [opinion.version for opinion in page.context["versions"]] == [2, 1]
    changed = {str(change["label"]) for change in page.context["changes"]}
    assert len(changed) == 2  # the recommendation and the risks
    assert "<del>" in page.content.decode() and "<ins>" in page.content.decode()


def test_a_bad_answer_is_refused_and_saves_nothing(advisor, asked):
    response = client_for(advisor).post(answer_url(asked), {**ANSWER, "recommendation": "maybe"})
    assert response.status_code == 400
    assert not AdvisorOpinion.objects.exists()


@pytest.mark.parametrize("who, status", [
    ("coordinator", 403), ("officer", 403), ("observer", 403), ("outsider", 404),
    (None, 302)])
def test_only_the_advisor_asked_answers(request, who, status, asked):
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.post(answer_url(asked), ANSWER).status_code == status
    assert not AdvisorOpinion.objects.exists()


def test_another_advisor_of_the_partnership_cannot_answer(partnership_a, asked):
    other = User.objects.create_user("drugi.doradca@razem.demo", "x")
    Membership.objects.create(user=other, partnership=partnership_a, role=Role.ADVISOR)
    client = client_for(other)
    # Advisors read internal opinions, but only the one asked answers.
    assert client.get(answer_url(asked)).status_code == 200
    assert client.post(answer_url(asked), ANSWER).status_code == 403
    assert not AdvisorOpinion.objects.exists()
    with pytest.raises(actions.ProjectError):
        actions.answer_opinion(opinion_request=asked, by=other, recommendation="recommended")


@pytest.mark.parametrize("who, status", [
    ("coordinator", 200), ("officer", 200), ("advisor", 200), ("observer", 403),
    ("outsider", 404), (None, 302)])
def test_who_reads_the_internal_answer_page(request, who, status, asked):
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.get(answer_url(asked)).status_code == status


def test_a_request_of_another_partnership_is_not_found(outsider, partnership_b, advisor,
                                                       coordinator, asked):
    # B's coordinator, through B's address, does not reach A's request.
    url = reverse("strategy:opinion_answer", args=["ziemia-wegrowska", asked.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 404


# --- publication --------------------------------------------------------------------------------


def _answer_twice(advisor: User, asked: OpinionRequest) -> None:
    for recommendation in ("with_changes", "recommended"):
        actions.answer_opinion(opinion_request=asked, by=advisor,
                               **{**ANSWER, "recommendation": recommendation})


def test_opinions_are_internal_until_the_coordinator_publishes_one(
        coordinator, officer, advisor, observer, asked, project, strategy_a):
    _answer_twice(advisor, asked)
    # Even with the strategy published, unpublished opinions stay internal.
    strategy_a.published_at = timezone.now()
    strategy_a.save()
    assert shown_versions(client_for(observer), project) == []
    assert shown_versions(client_for(None), project) == []
    assert "Projekt warto" not in client_for(None).get(detail_url(project)).content.decode()
    assert shown_versions(client_for(coordinator), project) == [2, 1]
    assert shown_versions(client_for(officer), project) == [2, 1]

    response = client_for(coordinator).post(publish_url(asked, 2), {"published": "1"})
    assert response.status_code == 302
    latest = asked.opinions.get(version=2)
    assert latest.published_at is not None and latest.published_by == coordinator
    assert shown_versions(client_for(observer), project) == [2]
    assert shown_versions(client_for(None), project) == [2]
    assert "Projekt warto" in client_for(None).get(detail_url(project)).content.decode()
    assert AuditLogEntry.objects.filter(action="strategy.opinion_published").count() == 1

    # Withdrawn: internal again.
    assert client_for(coordinator).post(publish_url(asked, 2),
                                        {"published": "0"}).status_code == 302
    assert shown_versions(client_for(observer), project) == []
    assert AuditLogEntry.objects.filter(action="strategy.opinion_unpublished").count() == 1


def test_publishing_twice_changes_nothing(coordinator, advisor, asked):
    _answer_twice(advisor, asked)
    client = client_for(coordinator)
    client.post(publish_url(asked, 1), {"published": "1"})
    client.post(publish_url(asked, 1), {"published": "1"})
    assert AuditLogEntry.objects.filter(action="strategy.opinion_published").count() == 1


@pytest.mark.parametrize("who, status", [
    ("officer", 403), ("advisor", 403), ("observer", 403), ("outsider", 404), (None, 302)])
def test_only_the_coordinator_publishes(request, who, status, advisor, asked):
    _answer_twice(advisor, asked)
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.post(publish_url(asked, 2), {"published": "1"}).status_code == status
    assert not asked.opinions.filter(published_at__isnull=False).exists()


def test_bad_publication_requests(coordinator, advisor, asked):
    _answer_twice(advisor, asked)
    client = client_for(coordinator)
    assert client.post(publish_url(asked, 2), {"published": "yes"}).status_code == 400
    assert client.post(publish_url(asked, 9), {"published": "1"}).status_code == 404
    assert client.get(publish_url(asked, 2)).status_code == 405
    assert not asked.opinions.filter(published_at__isnull=False).exists()


def test_the_coordinator_sees_the_request_link_and_observers_do_not(coordinator, observer,
                                                                    project):
    def page(user: User) -> str:
        return client_for(user).get(detail_url(project)).content.decode()

    assert request_url(project) in page(coordinator)
    assert request_url(project) not in page(observer)


