"""A published strategy: goals with their directions and expected results (indicators with
baseline, target and measurements), the project cards and the current project ranking.

Only a strategy the coordinator has published exists here, for everyone alike (an
unpublished strategy, a partnership without one or an unknown partnership is a 404).
Money and indicator values are strings of exact decimals; the ranking's numbers
(weights, preferences, ranks) are floats, as computed. No personal data: no users.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from ninja import Router, Schema

from razem.indicators.catalogue import load_catalogue
from razem.strategy.models import (
    ExpectedResult,
    ProjectCard,
    StrategicGoal,
    Strategy,
)
from razem.strategy.ranking_actions import current_ranking, ranked_projects

router = Router(tags=["strategy"])


class UnitOut(Schema):
    teryt: str
    name: str


class DirectionOut(Schema):
    number: str  # "goal.direction", e.g. "1.2"
    title: str
    description: str


class IndicatorOut(Schema):
    code: str  # of the indicator catalogue; empty for an indicator named by hand
    name: str
    unit: str


class ValueYearOut(Schema):
    value: str | None
    year: int | None


class MeasurementOut(Schema):
    year: int
    value: str
    note: str


class ResultOut(Schema):
    title: str
    indicator: IndicatorOut
    baseline: ValueYearOut
    target: ValueYearOut
    measurements: list[MeasurementOut]


class GoalOut(Schema):
    number: int
    dimension: str
    dimension_label: str
    title: str
    description: str
    directions: list[DirectionOut]
    results: list[ResultOut]


class CostOut(Schema):
    year: int
    planned: str
    spent: str | None


class ProjectOut(Schema):
    number: int
    title: str
    lead_unit: UnitOut
    partner_units: list[UnitOut]
    location_units: list[str]  # TERYT codes
    location: str
    goals: list[int]
    directions: list[str]
    problem: str
    scope: str
    readiness: str
    status: str
    is_integrated: bool
    starts_on: date | None
    ends_on: date | None
    costs: list[CostOut]
    total_planned: str
    funding_source: str
    funding_details: str


class WeightOut(Schema):
    code: str
    name: str
    polarity: int
    weight: float


class MethodResultOut(Schema):
    preference: float
    rank: float


class StabilityOut(Schema):
    base_rank: float
    best: float
    worst: float
    median: float
    share_same: float
    share_within_one: float


class RankedProjectOut(Schema):
    number: str
    title: str
    mean_scores: dict[str, float]
    methods: dict[str, MethodResultOut]
    stability: StabilityOut | None


class AhpOut(Schema):
    lambda_max: float
    consistency_ratio: float


class RankingOut(Schema):
    weighting: str
    methods: list[str]
    weights: list[WeightOut]
    ahp: AhpOut | None
    sensitivity_runs: int
    sensitivity_spread: float
    seed: int
    projects: list[RankedProjectOut]
    export: str


class StrategyOut(Schema):
    partnership: str
    title: str
    horizon_year: int
    vision: str
    published_at: datetime
    goals: list[GoalOut]
    project_cards: list[ProjectOut]
    ranking: RankingOut | None
    ranking_unavailable_reason: str | None


def _text(value: Decimal | None) -> str | None:
    # Exact, without the storage's trailing zeros ("12.3000" -> "12.3").
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _indicator(result: ExpectedResult, names: dict[str, tuple[str, str]]) -> dict:
    name, unit = names.get(result.indicator_code, ("", ""))
    return {"code": result.indicator_code, "name": result.indicator_name or name,
            "unit": result.measure_unit or unit}


def _catalogue_names() -> dict[str, tuple[str, str]]:
    catalogue = load_catalogue()
    return {i.code: (i.name_pl, i.unit_pl) for i in catalogue.indicators}


def _goal(goal: StrategicGoal, names: dict[str, tuple[str, str]]) -> dict:
    return {
        "number": goal.number, "dimension": goal.dimension,
        "dimension_label": str(goal.get_dimension_display()),
        "title": goal.title, "description": goal.description,
        "directions": [{"number": f"{goal.number}.{d.number}", "title": d.title,
                        "description": d.description} for d in goal.directions.all()],
        "results": [{
            "title": r.title, "indicator": _indicator(r, names),
            "baseline": {"value": _text(r.baseline_value), "year": r.baseline_year},
            "target": {"value": _text(r.target_value), "year": r.target_year},
            "measurements": [{"year": m.year, "value": _text(m.value), "note": m.note}
                             for m in r.measurements.all()],
        } for r in goal.results.all()],
    }


def _unit(unit) -> dict:
    return {"teryt": unit.teryt, "name": unit.name}


def _project(project: ProjectCard) -> dict:
    costs = list(project.costs.all())
    return {
        "number": project.number, "title": project.title,
        "lead_unit": _unit(project.lead_unit),
        "partner_units": [_unit(u) for u in project.partner_units.all()],
        "location_units": [u.teryt for u in project.location_units.all()],
        "location": project.location,
        "goals": sorted(g.number for g in project.goals.all()),
        "directions": [f"{d.goal.number}.{d.number}" for d in project.directions.all()],
        "problem": project.problem, "scope": project.scope,
        "readiness": project.readiness, "status": project.status,
        "is_integrated": project.is_integrated,
        "starts_on": project.starts_on, "ends_on": project.ends_on,
        "costs": [{"year": c.year, "planned": _money(c.planned), "spent": _money(c.spent)}
                  for c in costs],
        "total_planned": str(sum((c.planned for c in costs), Decimal("0.00"))),
        "funding_source": project.funding_source, "funding_details": project.funding_details,
    }


def _ranking(strategy: Strategy, slug: str) -> tuple[dict | None, str | None]:
    state = current_ranking(strategy)
    if state.ranking is None:
        return None, state.error
    problem, ranking = state.problem, state.ranking
    titles = {str(n): t for n, t in ranked_projects(strategy).values_list("number", "title")}
    projects = []
    for i, code in enumerate(ranking.projects):
        s = ranking.stability[i] if ranking.stability else None
        projects.append({
            "number": code, "title": titles.get(code, ""),
            "mean_scores": {c.code: ranking.matrix[i][j]
                            for j, c in enumerate(problem.criteria)},
            "methods": {m: {"preference": ranking.preferences[m][i], "rank": ranking.ranks[m][i]}
                        for m in ranking.ranks},
            "stability": None if s is None else {
                "base_rank": s.base_rank, "best": s.best, "worst": s.worst, "median": s.median,
                "share_same": s.share_same, "share_within_one": s.share_within_one},
        })
    return {
        "weighting": problem.weighting, "methods": list(ranking.ranks),
        "weights": [{"code": c.code, "name": c.name, "polarity": c.polarity, "weight": w}
                    for c, w in zip(problem.criteria, ranking.weights, strict=True)],
        "ahp": None if ranking.ahp is None else {
            "lambda_max": ranking.ahp.lambda_max,
            "consistency_ratio": ranking.ahp.consistency_ratio},
        "sensitivity_runs": problem.sensitivity_runs,
        "sensitivity_spread": problem.sensitivity_spread, "seed": problem.seed,
        "projects": projects,
        "export": reverse("strategy:ranking_export", args=[slug]),
    }, None


@router.get("/{slug}/strategy/", response=StrategyOut, url_name="strategy",
            summary="The published strategy, its project cards and ranking")
def strategy_detail(request, slug: str):
    """Goals (social, economic, spatial) with directions of action and expected results,
    every project card with costs per year, and the current ranking of the projects
    (TOPSIS and VIKOR, with the stability of each rank), or null with the reason why it
    cannot be computed now."""
    strategy = get_object_or_404(
        Strategy.objects.select_related("partnership"),
        partnership__slug=slug, published_at__isnull=False)
    goals = (strategy.goals.order_by("number").prefetch_related(
        "directions", Prefetch("results", queryset=ExpectedResult.objects.order_by("id")
                               .prefetch_related("measurements"))))
    projects = (ProjectCard.objects.filter(partnership=strategy.partnership)
                .order_by("number").select_related("lead_unit")
                .prefetch_related("partner_units", "location_units", "goals",
                                  "directions__goal", "costs"))
    # Labels and reasons in Polish, like the rest of the API.
    with translation.override("pl"):
        names = _catalogue_names()
        ranking, reason = _ranking(strategy, slug)
        return {
            "partnership": strategy.partnership.slug, "title": strategy.title,
            "horizon_year": strategy.horizon_year, "vision": strategy.vision,
            "published_at": strategy.published_at,
            "goals": [_goal(g, names) for g in goals],
            "project_cards": [_project(p) for p in projects],
            "ranking": ranking, "ranking_unavailable_reason": reason,
        }
