"""Workflows of project cards and advisors' opinions; each logs itself in its transaction.

The forms already limit every choice to the partnership's own rows; the actions check
again, because they are also called from the demo, the API and tests, and a card that
links another tenant's unit or goal must never be saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from razem.core.actions import diff, log_action
from razem.core.models import Partnership, Role, User
from razem.strategy.models import (
    ActionDirection,
    AdvisorOpinion,
    Milestone,
    OpinionRequest,
    ProjectCard,
    ProjectCost,
    StrategicGoal,
)
from razem.territory.models import Unit


class ProjectError(Exception):
    """Input the card or opinion cannot take; the message is translated for the user."""


@dataclass(frozen=True)
class CostRow:
    year: int
    planned: Decimal
    spent: Decimal | None = None


@dataclass(frozen=True)
class MilestoneRow:
    name: str
    due_on: date
    done_on: date | None = None


@dataclass
class CardInput:
    """Everything a card holds; the number is assigned, never given."""

    title: str
    lead_unit: Unit
    partner_units: list[Unit] = field(default_factory=list)
    location_units: list[Unit] = field(default_factory=list)
    location: str = ""
    goals: list[StrategicGoal] = field(default_factory=list)
    directions: list[ActionDirection] = field(default_factory=list)
    problem: str = ""
    scope: str = ""
    output_indicators: list[dict[str, str]] = field(default_factory=list)
    result_indicators: list[dict[str, str]] = field(default_factory=list)
    funding_source: str = ""
    funding_details: str = ""
    readiness: str = "concept"
    is_integrated: bool = False
    status: str = "proposed"
    starts_on: date | None = None
    ends_on: date | None = None
    costs: list[CostRow] = field(default_factory=list)
    milestones: list[MilestoneRow] = field(default_factory=list)


SCALAR_FIELDS = ("title", "location", "problem", "scope", "output_indicators",
                 "result_indicators", "funding_source", "funding_details", "readiness",
                 "is_integrated", "status", "starts_on", "ends_on")


def _check(partnership: Partnership, data: CardInput) -> None:
    unit_ids = set(partnership.units.values_list("pk", flat=True))
    chosen = [data.lead_unit, *data.partner_units, *data.location_units]
    if any(unit.pk not in unit_ids for unit in chosen):
        raise ProjectError(_("Only the partnership's member units can be chosen."))
    strategy_id = (partnership.strategy.pk
                   if hasattr(partnership, "strategy") else None)
    if any(goal.strategy_id != strategy_id for goal in data.goals):
        raise ProjectError(_("Only goals of the partnership's strategy can be chosen."))
    goal_strategies = dict(StrategicGoal.objects.filter(
        pk__in={direction.goal_id for direction in data.directions}
    ).values_list("pk", "strategy_id"))
    if any(goal_strategies.get(direction.goal_id) != strategy_id
           for direction in data.directions):
        raise ProjectError(_("Only directions of the partnership's strategy can be chosen."))
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise ProjectError(_("The end cannot come before the start."))
    years = [row.year for row in data.costs]
    if len(years) != len(set(years)):
        raise ProjectError(_("This year already has a row: one row per year."))
    for row in data.costs:
        if row.planned < 0 or (row.spent is not None and row.spent < 0):
            raise ProjectError(_("An amount cannot be negative."))


def _plain(value: Any) -> Any:
    # The audit log stores JSON: dates and amounts as text, exactly.
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


def snapshot(project: ProjectCard) -> dict[str, Any]:
    """The card as plain values, to log what an edit changed."""
    state = {name: _plain(getattr(project, name)) for name in SCALAR_FIELDS}
    state["lead_unit"] = project.lead_unit.teryt
    state["partner_units"] = sorted(project.partner_units.values_list("teryt", flat=True))
    state["location_units"] = sorted(project.location_units.values_list("teryt", flat=True))
    state["goals"] = sorted(project.goals.values_list("number", flat=True))
    state["directions"] = sorted(
        f"{goal}.{number}" for goal, number
        in project.directions.values_list("goal__number", "number"))
    state["costs"] = [[cost.year, str(cost.planned), _plain(cost.spent)]
                      for cost in project.costs.order_by("year")]
    state["milestones"] = [[m.name, str(m.due_on), _plain(m.done_on)]
                           for m in project.milestones.order_by("due_on", "id")]
    return state


def _write(project: ProjectCard, data: CardInput) -> None:
    for name in SCALAR_FIELDS:
        setattr(project, name, getattr(data, name))
    project.lead_unit = data.lead_unit
    project.save()
    project.partner_units.set(data.partner_units)
    project.location_units.set(data.location_units)
    project.goals.set(data.goals)
    project.directions.set(data.directions)
    # Rows keep their ids where the year (cost) or name and date (milestone) stay, so
    # other records pointing at them would survive an edit; the rest are replaced.
    existing = {cost.year: cost for cost in project.costs.all()}
    for row in data.costs:
        cost = existing.pop(row.year, None) or ProjectCost(project=project, year=row.year)
        if cost.pk is None or (cost.planned, cost.spent) != (row.planned, row.spent):
            cost.planned, cost.spent = row.planned, row.spent
            cost.save()
    ProjectCost.objects.filter(pk__in=[cost.pk for cost in existing.values()]).delete()
    project.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(project=project, name=row.name, due_on=row.due_on, done_on=row.done_on)
        for row in data.milestones)


@transaction.atomic
def create_project(*, partnership: Partnership, by: User, data: CardInput) -> ProjectCard:
    _check(partnership, data)
    # The lock makes concurrent creators take numbers one after another (PostgreSQL);
    # SQLite serialises writers anyway.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    last = partnership.project_cards.aggregate(last=Max("number"))["last"] or 0
    project = ProjectCard(partnership=partnership, number=last + 1, lead_unit=data.lead_unit)
    _write(project, data)
    after = snapshot(project)
    log_action(actor=by, partnership=partnership, action="strategy.project_created",
               obj=project, changes={key: [None, value] for key, value in after.items()
                                     if value not in (None, "", [], False)})
    partnership.touch()
    return project


@transaction.atomic
def update_project(*, project: ProjectCard, by: User, data: CardInput) -> dict[str, list[Any]]:
    """Saves the card; returns the changed fields as {field: [before, after]}."""
    _check(project.partnership, data)
    project = ProjectCard.objects.select_for_update().get(pk=project.pk)
    before = snapshot(project)
    _write(project, data)
    changes = diff(before, snapshot(project))
    if changes:
        log_action(actor=by, partnership=project.partnership,
                   action="strategy.project_changed", obj=project, changes=changes)
        project.partnership.touch()
    return changes


# --- opinions ----------------------------------------------------------------------------


def is_partnership_advisor(partnership: Partnership, user: User) -> bool:
    return partnership.memberships.filter(user=user, role=Role.ADVISOR).exists()


@transaction.atomic
def request_opinion(*, project: ProjectCard, by: User, advisor: User, kind: str,
                    question: str = "", due_on: date | None = None) -> OpinionRequest:
    if not is_partnership_advisor(project.partnership, advisor):
        raise ProjectError(_("Only an advisor of the partnership can be asked."))
    opinion_request = OpinionRequest.objects.create(
        project=project, advisor=advisor, kind=kind, question=question, due_on=due_on,
        requested_by=by)
    log_action(actor=by, partnership=project.partnership,
               action="strategy.opinion_requested", obj=opinion_request,
               changes={"project": [None, project.number], "advisor": [None, advisor.email],
                        "kind": [None, kind], "due_on": [None, _plain(due_on)]})
    transaction.on_commit(lambda: send_opinion_request(opinion_request))
    return opinion_request


def send_opinion_request(opinion_request: OpinionRequest) -> None:
    project = opinion_request.project
    url = settings.SITE_URL + reverse(
        "strategy:opinion_answer", args=[project.partnership.slug, opinion_request.pk])
    send_mail(
        subject=_("A request for your opinion on the project %(title)s")
        % {"title": project.title},
        message=render_to_string("strategy/opinion_request_email.txt", {
            "opinion_request": opinion_request, "project": project, "url": url}),
        from_email=None,
        recipient_list=[opinion_request.advisor.email],
    )


OPINION_FIELDS = ("recommendation", "strengths", "risks", "readiness", "funding_fit", "text")


@transaction.atomic
def answer_opinion(*, opinion_request: OpinionRequest, by: User, recommendation: str,
                   strengths: str = "", risks: str = "", readiness: str = "",
                   funding_fit: str = "", text: str = "") -> AdvisorOpinion:
    """A new version of the answer; earlier versions stay as they were."""
    if by.pk != opinion_request.advisor_id:
        raise ProjectError(_("Only the advisor who was asked can answer."))
    # Lock the request so two answers sent at once get consecutive versions.
    OpinionRequest.objects.select_for_update().filter(pk=opinion_request.pk).first()
    last = opinion_request.opinions.aggregate(last=Max("version"))["last"] or 0
    opinion = AdvisorOpinion.objects.create(
        request=opinion_request, version=last + 1, recommendation=recommendation,
        strengths=strengths, risks=risks, readiness=readiness, funding_fit=funding_fit,
        text=text, author=by)
    log_action(actor=by, partnership=opinion_request.project.partnership,
               action="strategy.opinion_answered", obj=opinion,
               changes={"request": [None, opinion_request.pk],
                        "version": [None, opinion.version],
                        "recommendation": [None, recommendation]})
    return opinion


@transaction.atomic
def publish_opinion(*, opinion: AdvisorOpinion, by: User, publish: bool) -> bool:
    """Publishes (or withdraws) one version; False when nothing changed."""
    opinion = AdvisorOpinion.objects.select_for_update().get(pk=opinion.pk)
    if publish == (opinion.published_at is not None):
        return False
    before = _plain(opinion.published_at and opinion.published_at.isoformat())
    if publish:
        opinion.published_at, opinion.published_by = timezone.now(), by
    else:
        opinion.published_at, opinion.published_by = None, None
    opinion.save(update_fields=["published_at", "published_by"])
    partnership = opinion.request.project.partnership
    log_action(actor=by, partnership=partnership,
               action="strategy.opinion_published" if publish
               else "strategy.opinion_unpublished",
               obj=opinion, changes={"published_at": [
                   before, opinion.published_at and opinion.published_at.isoformat()]})
    # Published opinions show on public pages, whose cached fragments this supersedes.
    partnership.touch()
    return True
