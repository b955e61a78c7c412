"""Monitoring: results against their targets, projects' money planned against spent (exact
Decimal sums), the page for observers without editing controls, and its query count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from razem.conftest import client_for
from razem.strategy import monitoring
from razem.strategy.models import (
    ExpectedResult,
    ProjectCard,
    ProjectCost,
    ResultMeasurement,
    StrategicGoal,
    Strategy,
)
from razem.strategy.monitoring import ProjectMoney, YearMoney

D = Decimal


def _progress(measurements, baseline=(D("40"), 2022), target=(D("120"), 2030)):
    return monitoring.progress(
        id=1, goal_number=1, title="Miejsca", indicator="Miejsca w żłobkach",
        measure_unit="miejsca", baseline_value=baseline[0], baseline_year=baseline[1],
        target_value=target[0], target_year=target[1], measurements=measurements)


def test_progress_runs_from_the_baseline_through_the_measurements():
    item = _progress([(2025, D("80")), (2024, D("60"))])
    assert [(p.year, p.value, p.baseline) for p in item.points] == [
        (2022, D("40"), True), (2024, D("60"), False), (2025, D("80"), False)]
    assert item.latest.year == 2025
    assert item.share == D("0.5") and item.percent == D("50") and item.reached is False


def test_a_target_below_the_baseline_counts_the_fall_as_progress():
    item = _progress([(2024, D("8"))], baseline=(D("12"), 2020), target=(D("6"), 2030))
    assert item.share == D("4") / D("6")
    assert _progress([(2030, D("5"))], baseline=(D("12"), 2020),
                     target=(D("6"), 2030)).reached is True


def test_a_value_measured_in_the_baseline_year_replaces_the_baseline_point():
    item = _progress([(2022, D("41"))])
    assert [(p.year, p.value, p.baseline) for p in item.points] == [(2022, D("41"), False)]


def test_portrait_values_fill_the_years_after_the_baseline_nobody_entered():
    item = monitoring.progress(
        id=1, goal_number=1, title="Bezrobocie", indicator="Stopa", measure_unit="%",
        baseline_value=D("8"), baseline_year=2022, target_value=D("6"), target_year=2030,
        measurements=[(2024, D("7"))],
        portrait=[(2021, D("9")), (2022, D("8.1")), (2023, D("7.5")), (2024, D("7.2"))])
    assert [(p.year, p.value, p.baseline, p.from_portrait) for p in item.points] == [
        (2022, D("8"), True, False), (2023, D("7.5"), False, True),
        (2024, D("7"), False, False)]


def test_without_measurements_or_target_there_is_no_share():
    assert _progress([]).share is None
    assert _progress([(2024, D("50"))], target=(None, None)).share is None
    assert _progress([(2024, D("50"))], target=(D("40"), 2030)).share is None  # no distance


def test_the_result_chart_draws_the_values_and_a_rule_at_the_target():
    spec = monitoring.result_chart(
        _progress([(2024, D("60"))]), description="d", year_title="Rok", value_title="miejsca",
        measured_label="pomiar", baseline_label="bazowa", target_label="cel 2030")
    line, rule, label = spec["layer"]
    assert [row["value"] for row in line["data"]["values"]] == [40.0, 60.0]
    assert rule["mark"]["type"] == "rule" and rule["data"]["values"][0]["value"] == 120.0
    assert line["encoding"]["x"]["scale"]["domain"] == [2022, 2030]
    assert label["mark"]["type"] == "text"


def test_money_is_summed_exactly_per_project_and_per_year():
    projects = [
        ProjectMoney(1, 1, "Droga", "in_progress", "w realizacji", (
            YearMoney(2024, D("0.10"), D("0.05")), YearMoney(2025, D("0.20"), None))),
        ProjectMoney(2, 2, "Żłobek", "proposed", "zgłoszony", (
            YearMoney(2025, D("1000000.01"), D("999999.99")),)),
    ]
    money = monitoring.spending(projects)
    assert projects[0].planned == D("0.30") and projects[0].spent == D("0.05")
    assert money.planned == D("1000000.31") and money.spent == D("1000000.04")
    assert money.by_year == [YearMoney(2024, D("0.10"), D("0.05")),
                             YearMoney(2025, D("1000000.21"), D("999999.99"))]
    spec = monitoring.spending_chart(money.by_year, description="d", year_title="Rok",
                                     money_title="zł", planned_label="plan",
                                     spent_label="wydano")
    assert {(r["year"], r["series"]) for r in spec["data"]["values"]} == {
        ("2024", "plan"), ("2024", "wydano"), ("2025", "plan"), ("2025", "wydano")}


def test_a_year_nobody_reported_spending_for_is_not_zero_but_unknown():
    money = monitoring.spending([ProjectMoney(1, 1, "P", "proposed", "p",
                                              (YearMoney(2026, D("5"), None),))])
    assert money.by_year == [YearMoney(2026, D("5"), None)]
    spec = monitoring.spending_chart(money.by_year, description="d", year_title="Rok",
                                     money_title="zł", planned_label="plan", spent_label="w")
    assert [r["series"] for r in spec["data"]["values"]] == ["plan"]


# --- the page -----------------------------------------------------------------------------


@pytest.fixture
def strategy(partnership_a, partnership_b) -> Strategy:
    Strategy.objects.filter(partnership__in=[partnership_a, partnership_b]).delete()
    ProjectCard.objects.filter(partnership=partnership_a).delete()
    return Strategy.objects.create(partnership=partnership_a, title="Strategia")


def _fill(strategy: Strategy, count: int) -> None:
    unit = strategy.partnership.units.order_by("teryt").first()
    for number in range(1, count + 1):
        goal = StrategicGoal.objects.create(strategy=strategy, number=number,
                                            dimension="economic", title=f"Cel {number}")
        result = ExpectedResult.objects.create(
            goal=goal, title=f"Rezultat {number}", indicator_code="unemployment_rate",
            measure_unit="%", baseline_value=D("8"), baseline_year=2022,
            target_value=D("6"), target_year=2030)
        ResultMeasurement.objects.create(result=result, year=2024, value=D("7"))
        project = ProjectCard.objects.create(partnership=strategy.partnership, number=number,
                                             title=f"Projekt {number}", lead_unit=unit,
                                             status="in_progress", funding_source="fem")
        ProjectCost.objects.create(project=project, year=2024, planned=D("100000.10"),
                                   spent=D("90000.05"))
        ProjectCost.objects.create(project=project, year=2025, planned=D("50000.20"))


def test_the_monitoring_page_shows_the_numbers(strategy, partnership_a, observer):
    _fill(strategy, 2)
    page = client_for(observer).get(reverse("strategy:monitoring", args=[partnership_a.slug]))
    assert page.status_code == 200
    results = page.context["results"]
    assert len(results) == 2 and results[0]["item"].share == D("0.5")
    assert results[0]["spec"]["layer"][1]["data"]["values"][0]["value"] == 6.0
    money = page.context["money"]
    assert money.planned == D("300000.60") and money.spent == D("180000.10")
    assert money.by_year == [YearMoney(2024, D("200000.20"), D("180000.10")),
                             YearMoney(2025, D("100000.40"), None)]
    text = page.content.decode()
    assert 'data-spec-id="money-spec"' in text and 'id="money-spec"' in text
    # The summary for observers has no editing controls.
    assert "<form method=\"post\"" not in text.split('id="content"')[1].split("</main>")[0]


def test_the_published_monitoring_page_is_public(strategy, partnership_a, outsider):
    from django.utils import timezone

    _fill(strategy, 1)
    url = reverse("strategy:monitoring", args=[partnership_a.slug])
    assert client_for(None).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    strategy.published_at = timezone.now()
    strategy.save()
    assert client_for(None).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 200


def test_catalogue_results_read_the_portraits_series(strategy):
    _fill(strategy, 1)
    asked = []

    def series(code):
        asked.append(code)
        return [(2023, D("7.5")), (2025, D("6.9"))]

    [item] = monitoring.load_progress(strategy, "pl", series)
    assert asked == ["unemployment_rate"]
    assert [(p.year, p.value) for p in item.points] == [
        (2022, D("8")), (2023, D("7.5")), (2024, D("7")), (2025, D("6.9"))]
    assert item.latest.value == D("6.9") and item.share == D("0.55")


def test_without_portrait_data_the_series_is_empty(partnership_a):
    assert monitoring.portrait_series(partnership_a)("unemployment_rate") == []


@pytest.mark.parametrize("count", [1, 10])
def test_the_monitoring_page_needs_a_fixed_number_of_queries(
        strategy, partnership_a, coordinator, django_assert_max_num_queries, count):
    _fill(strategy, count)
    client = client_for(coordinator)
    url = reverse("strategy:monitoring", args=[partnership_a.slug])
    client.get(url)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
