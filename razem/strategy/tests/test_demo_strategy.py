"""The demo strategy: idempotent, twelve scored project cards, a rankable problem, a
published advisor's opinion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from razem.portrait.actions import create_conclusion
from razem.strategy import prioritisation
from razem.strategy.demo import ensure_strategy
from razem.strategy.models import (
    AdvisorOpinion,
    Criterion,
    Dimension,
    ExpectedResult,
    ProjectCard,
    ProjectCost,
    ProjectScore,
    Strategy,
)

pytestmark = pytest.mark.django_db

MODELS = [Strategy, ProjectCard, ProjectCost, ProjectScore, Criterion, ExpectedResult,
          AdvisorOpinion]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def strategy(partnership_a, coordinator, officer, advisor) -> Strategy:
    return ensure_strategy(partnership_a, coordinator, officer, advisor)


def test_ensure_strategy_is_idempotent(strategy, partnership_a, coordinator, officer,
                                       advisor):
    before = _counts()
    again = ensure_strategy(partnership_a, coordinator, officer, advisor)
    assert again.pk == strategy.pk
    assert _counts() == before
    assert Strategy.objects.filter(partnership=partnership_a).count() == 1


def test_the_demo_strategy_is_a_published_draft_with_goals_in_every_dimension(strategy):
    assert strategy.title.startswith("Strategia rozwoju ponadlokalnego")
    assert strategy.published_at is not None
    assert sorted(strategy.goals.values_list("dimension", flat=True)) == sorted(
        Dimension.values)
    for goal in strategy.goals.all():
        assert 2 <= goal.directions.count() <= 3
        assert goal.results.exists()
    for result in ExpectedResult.objects.filter(goal__strategy=strategy):
        assert result.indicator_code or result.indicator_name
        assert result.target_year > result.baseline_year
    assert sorted(strategy.intervention_areas.values_list("origin", flat=True)) == [
        "own", "voivodeship"]
    assert all(area.units.exists() for area in strategy.intervention_areas.all())


def test_twelve_project_cards_scored_on_every_criterion(strategy, partnership_a):
    projects = list(partnership_a.project_cards.all())
    assert len(projects) == 12
    criteria = list(strategy.criteria.all())
    assert len(criteria) == 5
    assert sum(c.weight for c in criteria) == Decimal("1")
    assert any(c.polarity == -1 for c in criteria)
    member_teryts = set(partnership_a.units.values_list("teryt", flat=True))
    for project in projects:
        assert project.costs.exists() and project.milestones.exists()
        assert project.funding_source
        for criterion in criteria:
            scores = ProjectScore.objects.filter(project=project, criterion=criterion)
            assert scores.count() >= 3
            assert set(scores.values_list("unit__teryt", flat=True)) <= member_teryts


def _score_values() -> list[tuple[int, str, str, Decimal]]:
    return list(ProjectScore.objects.order_by(
        "project__number", "criterion__position", "unit__teryt").values_list(
        "project__number", "criterion__code", "unit__teryt", "value"))


def test_the_scores_are_the_same_on_every_load(strategy, partnership_a, coordinator, officer,
                                               advisor):
    values = _score_values()
    assert len(values) == 12 * 5 * 5
    partnership_a.project_cards.all().delete()
    strategy.delete()
    ensure_strategy(partnership_a, coordinator, officer, advisor)
    assert _score_values() == values


def test_the_demo_projects_can_be_ranked(strategy, partnership_a):
    problem = prioritisation.Problem(
        criteria=[prioritisation.Criterion(code=c.code, name=c.name, polarity=c.polarity,
                                           weight=float(c.weight))
                  for c in strategy.criteria.all()],
        projects=[str(p.number) for p in partnership_a.project_cards.all()],
        scores=[prioritisation.Score(unit=s.unit.teryt, project=str(s.project.number),
                                     criterion=s.criterion.code, value=float(s.value))
                for s in ProjectScore.objects.select_related("unit", "project", "criterion")],
        sensitivity_runs=50)
    ranking = prioritisation.compute(problem)
    assert sorted(ranking.ranks["topsis"]) == [float(r) for r in range(1, 13)]


def test_the_advisor_opinion_has_a_published_second_version(strategy, advisor):
    opinions = list(AdvisorOpinion.objects.filter(
        request__project__partnership=strategy.partnership).order_by("version"))
    assert [o.version for o in opinions] == [1, 2]
    first, second = opinions
    assert first.published_at is None and second.published_at is not None
    assert first.created_at < second.created_at
    assert first.request.advisor == advisor == second.author


def test_goals_are_tied_to_the_conclusions_of_their_dimension(partnership_a, coordinator,
                                                              officer, advisor):
    social = create_conclusion(partnership=partnership_a, by=coordinator, kind="weakness",
                               dimension="social", text="Ludność maleje.",
                               indicator_codes=["population_change"])
    strategy = ensure_strategy(partnership_a, coordinator, officer, advisor)
    goal = strategy.goals.get(dimension=Dimension.SOCIAL)
    assert list(goal.conclusions.all()) == [social]
    assert not strategy.goals.get(dimension=Dimension.ECONOMIC).conclusions.exists()
