"""The public strategy API: only a published strategy, its goals, results, project cards
with exact costs, and the current ranking (or why there is none); no personal data."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from django.utils import timezone

from razem.conftest import client_for
from razem.strategy.models import (
    ActionDirection,
    ExpectedResult,
    ProjectCost,
    ProjectScore,
    ResultMeasurement,
    StrategicGoal,
)
from razem.strategy.tests.test_ranking_fixtures import (  # noqa: F401 (fixtures)
    seeded,
    seeded_b,
)

URL = "/api/v1/partnerships/{}/strategy/"
SLUG = "razem-dla-rozwoju"


def _publish(strategy) -> None:
    strategy.published_at = timezone.now()
    strategy.save()


def _flesh_out(seeded) -> None:
    strategy = seeded.strategy
    goal = StrategicGoal.objects.create(strategy=strategy, number=1, dimension="social",
                                        title="Usługi bliżej mieszkańców")
    direction = ActionDirection.objects.create(goal=goal, number=2, title="Transport")
    result = ExpectedResult.objects.create(
        goal=goal, title="Mniej wyjeżdżających", indicator_name="Saldo migracji",
        measure_unit="‰", baseline_value=Decimal("-4.2500"), baseline_year=2022,
        target_value=Decimal("-2.0000"), target_year=2030)
    ResultMeasurement.objects.create(result=result, year=2024, value=Decimal("-3.1000"))
    project = seeded.projects[1]
    project.goals.add(goal)
    project.directions.add(direction)
    partners = list(strategy.partnership.units.filter(teryt__in=["1410012", "1410032"]))
    project.partner_units.add(*partners)
    project.location_units.add(project.lead_unit)
    project.funding_source = "fem"
    project.readiness = "documentation"
    project.is_integrated = True
    project.starts_on = date(2026, 3, 1)
    project.save()
    ProjectCost.objects.create(project=project, year=2026, planned=Decimal("1200000.10"))
    ProjectCost.objects.create(project=project, year=2027, planned=Decimal("800000.05"),
                               spent=Decimal("0.00"))


def test_an_unpublished_strategy_is_404(seeded):
    assert client_for(None).get(URL.format(SLUG)).status_code == 404


def test_an_unknown_partnership_or_one_without_a_strategy_is_404(seeded, partnership_b):
    assert client_for(None).get(URL.format("nie-ma-takiego")).status_code == 404
    assert client_for(None).get(URL.format(partnership_b.slug)).status_code == 404


def test_each_partnership_gets_only_its_own_strategy(seeded, seeded_b):
    _publish(seeded_b.strategy)
    assert client_for(None).get(URL.format(SLUG)).status_code == 404
    data = client_for(None).get(URL.format(seeded_b.strategy.partnership.slug)).json()
    assert data["partnership"] == seeded_b.strategy.partnership.slug
    assert [p["title"] for p in data["project_cards"]] == ["Projekt 1", "Projekt 2",
                                                            "Projekt 3"]


def test_a_published_strategy_has_goals_results_and_project_cards(seeded):
    _flesh_out(seeded)
    _publish(seeded.strategy)
    response = client_for(None).get(URL.format(SLUG))
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == seeded.strategy.title and data["horizon_year"] == 2030
    goal = data["goals"][0]
    assert (goal["number"], goal["dimension"]) == (1, "social")
    assert goal["directions"] == [{"number": "1.2", "title": "Transport", "description": ""}]
    result = goal["results"][0]
    assert result["indicator"] == {"code": "", "name": "Saldo migracji", "unit": "‰"}
    assert result["baseline"] == {"value": "-4.25", "year": 2022}
    assert result["target"] == {"value": "-2", "year": 2030}
    assert result["measurements"] == [{"year": 2024, "value": "-3.1", "note": ""}]
    card = data["project_cards"][0]
    assert card["lead_unit"] == {"teryt": "1410023", "name": "Łosice"}
    assert {u["teryt"] for u in card["partner_units"]} == {"1410012", "1410032"}
    assert card["location_units"] == ["1410023"]
    assert card["goals"] == [1] and card["directions"] == ["1.2"]
    assert (card["readiness"], card["is_integrated"], card["funding_source"]) == (
        "documentation", True, "fem")
    assert card["starts_on"] == "2026-03-01"


def test_money_is_exact_decimal_strings(seeded):
    _flesh_out(seeded)
    _publish(seeded.strategy)
    card = client_for(None).get(URL.format(SLUG)).json()["project_cards"][0]
    assert card["costs"] == [{"year": 2026, "planned": "1200000.10", "spent": None},
                             {"year": 2027, "planned": "800000.05", "spent": "0.00"}]
    assert card["total_planned"] == "2000000.15"


def test_the_current_ranking_is_included(seeded):
    _publish(seeded.strategy)
    ranking = client_for(None).get(URL.format(SLUG)).json()["ranking"]
    assert ranking["methods"] == ["topsis", "vikor"]
    assert [w["weight"] for w in ranking["weights"]] == [0.6, 0.4]
    ranks = {p["number"]: (p["methods"]["topsis"]["rank"], p["methods"]["vikor"]["rank"])
             for p in ranking["projects"]}
    assert ranks == {"1": (1.0, 1.0), "2": (2.0, 3.0), "3": (3.0, 2.0)}
    first = ranking["projects"][0]
    assert first["mean_scores"] == {"K1": 7.0, "K2": 4.0}
    assert first["stability"]["best"] <= first["stability"]["base_rank"]
    assert ranking["export"] == f"/p/{SLUG}/strategia/ranking/eksport.json"


def test_a_ranking_that_cannot_be_computed_is_null_with_the_reason(seeded):
    ProjectScore.objects.filter(project=seeded.projects[1]).delete()
    _publish(seeded.strategy)
    data = client_for(None).get(URL.format(SLUG)).json()
    assert data["ranking"] is None
    assert "1" in data["ranking_unavailable_reason"]


def test_no_personal_data_is_exposed(seeded, coordinator):
    _flesh_out(seeded)
    _publish(seeded.strategy)
    text = client_for(None).get(URL.format(SLUG)).content.decode()
    assert "@" not in text
    assert coordinator.email not in text and "scored_by" not in text


def test_the_schema_lists_the_endpoint(db):
    schema = client_for(None).get("/api/v1/openapi.json").json()
    assert "/api/v1/partnerships/{slug}/strategy/" in schema["paths"]


def test_the_endpoint_uses_a_bounded_number_of_queries(seeded, django_assert_max_num_queries):
    _flesh_out(seeded)
    _publish(seeded.strategy)
    with django_assert_max_num_queries(25):
        response = client_for(None).get(URL.format(SLUG))
    assert json.loads(response.content)["ranking"] is not None
