"""The strategy pages: creating and publishing, goals tied to this partnership's evidence,
directions, expected results with baseline and target, measurements and intervention areas.
Bad input gets a 4xx and saves nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.portrait.models import DiagnosisConclusion
from razem.strategy import views_strategy
from razem.strategy.models import (
    ActionDirection,
    ExpectedResult,
    InterventionArea,
    ResultMeasurement,
    StrategicGoal,
    Strategy,
)


@pytest.fixture
def no_strategy(partnership_a, partnership_b):
    # The demo may give partnership A a strategy; these tests start from none.
    Strategy.objects.filter(partnership__in=[partnership_a, partnership_b]).delete()


@pytest.fixture
def strategy(no_strategy, partnership_a) -> Strategy:
    return Strategy.objects.create(partnership=partnership_a, title="Strategia Razem")


@pytest.fixture
def goal(strategy) -> StrategicGoal:
    return StrategicGoal.objects.create(strategy=strategy, number=1, dimension="social",
                                        title="Dostępne usługi")


@pytest.fixture
def conclusions(partnership_a, partnership_b):
    own = DiagnosisConclusion.objects.create(partnership=partnership_a, kind="weakness",
                                             dimension="social", text="Mało żłobków.")
    foreign = DiagnosisConclusion.objects.create(partnership=partnership_b, kind="weakness",
                                                 dimension="social", text="Obcy wniosek.")
    return own, foreign


def _url(name, partnership, *args):
    return reverse(f"strategy:{name}", args=[partnership.slug, *args])


def _logged(action: str) -> int:
    return AuditLogEntry.objects.filter(action=action).count()


# --- the strategy itself ------------------------------------------------------------------


def test_without_a_strategy_members_see_the_start_and_the_coordinator_the_call_to_action(
        no_strategy, partnership_a, coordinator, observer, outsider):
    url = _url("overview", partnership_a)
    page = client_for(coordinator).get(url)
    assert page.status_code == 200
    assert _url("create", partnership_a) in page.content.decode()
    seen = client_for(observer).get(url)
    assert seen.status_code == 200 and _url("create", partnership_a) not in seen.content.decode()
    assert client_for(None).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


def test_the_coordinator_creates_the_strategy_once(no_strategy, partnership_a, coordinator):
    client = client_for(coordinator)
    response = client.post(_url("create", partnership_a),
                           {"title": "Strategia 2030", "horizon_year": "2030"})
    assert response.status_code == 302
    strategy = Strategy.objects.get(partnership=partnership_a)
    assert strategy.title == "Strategia 2030" and strategy.published_at is None
    assert _logged("strategy.created") == 1
    again = client.post(_url("create", partnership_a), {"title": "Druga", "horizon_year": "2030"})
    assert again.status_code == 302
    assert Strategy.objects.filter(partnership=partnership_a).count() == 1


def test_a_bad_horizon_is_refused(no_strategy, partnership_a, coordinator):
    response = client_for(coordinator).post(_url("create", partnership_a),
                                            {"title": "S", "horizon_year": "dwa"})
    assert response.status_code == 400
    assert not Strategy.objects.filter(partnership=partnership_a).exists()


def test_the_text_parts_are_saved_and_logged(strategy, partnership_a, coordinator):
    response = client_for(coordinator).post(_url("edit", partnership_a), {
        "title": "Strategia Razem", "horizon_year": "2030", "vision": "Wizja",
        "spatial_model": "Model", "spatial_policy": "", "implementation_system": "System",
        "financial_framework": "Ramy", "partners_involvement": ""})
    assert response.status_code == 302
    strategy.refresh_from_db()
    assert (strategy.vision, strategy.spatial_model, strategy.financial_framework) == (
        "Wizja", "Model", "Ramy")
    entry = AuditLogEntry.objects.get(action="strategy.updated")
    assert set(entry.changes) == {"vision", "spatial_model", "implementation_system",
                                  "financial_framework"}


def test_publishing_makes_the_strategy_public_and_can_be_withdrawn(
        strategy, partnership_a, coordinator, outsider):
    overview = _url("overview", partnership_a)
    assert client_for(None).get(overview).status_code == 404
    client = client_for(coordinator)
    assert client.post(_url("publish", partnership_a), {"published": "1"}).status_code == 302
    strategy.refresh_from_db()
    assert strategy.published_at is not None
    assert client_for(None).get(overview).status_code == 200
    assert client_for(outsider).get(overview).status_code == 200
    client.post(_url("publish", partnership_a), {"published": "0"})
    strategy.refresh_from_db()
    assert strategy.published_at is None
    assert _logged("strategy.published") == 1 and _logged("strategy.unpublished") == 1
    assert client.get(_url("publish", partnership_a)).status_code == 405
    assert client.post(_url("publish", partnership_a), {"published": "x"}).status_code == 400


# --- goals and directions -----------------------------------------------------------------


def test_a_goal_cites_its_partnerships_conclusions(strategy, partnership_a, coordinator,
                                                   conclusions):
    own, _foreign = conclusions
    response = client_for(coordinator).post(_url("goal_create", partnership_a), {
        "number": "1", "dimension": "economic", "title": "Praca na miejscu",
        "conclusions": [own.pk]})
    assert response.status_code == 302
    goal = StrategicGoal.objects.get(strategy=strategy)
    assert list(goal.conclusions.all()) == [own] and goal.dimension == "economic"
    assert _logged("strategy.goal_created") == 1


def test_another_partnerships_conclusion_is_refused(strategy, partnership_a, coordinator,
                                                    conclusions):
    _own, foreign = conclusions
    response = client_for(coordinator).post(_url("goal_create", partnership_a), {
        "number": "1", "dimension": "social", "title": "Cel", "conclusions": [foreign.pk]})
    assert response.status_code == 400
    assert not StrategicGoal.objects.exists()
    response = client_for(coordinator).post(_url("goal_create", partnership_a), {
        "number": "1", "dimension": "social", "title": "Cel", "conclusions": ["abc"]})
    assert response.status_code == 400 and not StrategicGoal.objects.exists()


def test_editing_a_goal_cannot_smuggle_in_a_foreign_conclusion(goal, partnership_a,
                                                                coordinator, conclusions):
    own, foreign = conclusions
    goal.conclusions.set([own])
    response = client_for(coordinator).post(_url("goal_edit", partnership_a, goal.pk), {
        "number": "1", "dimension": "social", "title": "Zmieniony",
        "conclusions": [own.pk, foreign.pk]})
    assert response.status_code == 400
    goal.refresh_from_db()
    assert goal.title == "Dostępne usługi" and list(goal.conclusions.all()) == [own]


@pytest.mark.parametrize("data", [
    {"number": "1", "dimension": "social", "title": "Dubel"},  # number taken
    {"number": "0", "dimension": "social", "title": "Zero"},
    {"number": "-3", "dimension": "social", "title": "Ujemny"},
    {"number": "2", "dimension": "cultural", "title": "Zły wymiar"},
    {"number": "2", "dimension": "social", "title": ""},
])
def test_bad_goals_are_refused(goal, partnership_a, coordinator, data):
    response = client_for(coordinator).post(_url("goal_create", partnership_a), data)
    assert response.status_code == 400
    assert StrategicGoal.objects.count() == 1


def test_a_goal_is_edited_and_deleted_with_its_directions(goal, partnership_a, coordinator):
    client = client_for(coordinator)
    assert client.get(_url("goal_edit", partnership_a, goal.pk)).status_code == 200
    response = client.post(_url("goal_edit", partnership_a, goal.pk), {
        "number": "4", "dimension": "spatial", "title": "Ład przestrzenny"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.number, goal.dimension) == (4, "spatial")
    ActionDirection.objects.create(goal=goal, number=1, title="Plany miejscowe")
    assert client.get(_url("goal_delete", partnership_a, goal.pk)).status_code == 200
    assert client.post(_url("goal_delete", partnership_a, goal.pk)).status_code == 302
    assert not StrategicGoal.objects.exists() and not ActionDirection.objects.exists()
    assert _logged("strategy.goal_deleted") == 1


def test_directions_are_added_edited_and_deleted(goal, partnership_a, coordinator):
    client = client_for(coordinator)
    response = client.post(_url("direction_create", partnership_a, goal.pk),
                           {"number": "1", "title": "Żłobki"})
    assert response.status_code == 302
    direction = ActionDirection.objects.get(goal=goal)
    duplicate = client.post(_url("direction_create", partnership_a, goal.pk),
                            {"number": "1", "title": "Drugi"})
    assert duplicate.status_code == 400 and ActionDirection.objects.count() == 1
    client.post(_url("direction_edit", partnership_a, direction.pk),
                {"number": "2", "title": "Żłobki i przedszkola"})
    direction.refresh_from_db()
    assert direction.number == 2 and direction.title == "Żłobki i przedszkola"
    client.post(_url("direction_edit", partnership_a, direction.pk), {"action": "delete"})
    assert not ActionDirection.objects.exists()
    assert _logged("strategy.direction_deleted") == 1


# --- expected results ---------------------------------------------------------------------

RESULT = {"title": "Więcej miejsc w żłobkach", "indicator_code": "",
          "indicator_name": "Miejsca w żłobkach", "measure_unit": "miejsca",
          "baseline_value": "40", "baseline_year": "2022", "target_value": "120",
          "target_year": "2030"}


def test_a_result_with_a_hand_named_indicator(goal, partnership_a, coordinator):
    response = client_for(coordinator).post(_url("result_create", partnership_a, goal.pk),
                                            RESULT)
    assert response.status_code == 302
    result = ExpectedResult.objects.get(goal=goal)
    assert (result.baseline_value, result.baseline_year) == (Decimal("40"), 2022)
    assert (result.target_value, result.target_year) == (Decimal("120"), 2030)
    assert _logged("strategy.result_created") == 1


@pytest.mark.parametrize("change", [
    {"target_year": "2021"},  # before the baseline
    {"target_year": "2022"},  # the same year
    {"baseline_value": "czterdzieści"},
    {"target_value": "1e400"},
    {"baseline_year": "-2022"},
    {"target_year": "20300"},
    {"baseline_value": "40", "baseline_year": ""},  # a value without its year
    {"indicator_name": "", "indicator_code": ""},  # no indicator at all
    {"indicator_code": "no_such_indicator"},
    {"title": ""},
], ids=lambda change: ",".join(f"{k}={v}" for k, v in change.items()))
def test_bad_results_are_refused_and_nothing_is_saved(goal, partnership_a, coordinator,
                                                      change):
    response = client_for(coordinator).post(_url("result_create", partnership_a, goal.pk),
                                            {**RESULT, **change})
    assert response.status_code == 400
    assert not ExpectedResult.objects.exists()


def test_the_target_year_message_is_shown(goal, partnership_a, coordinator):
    response = client_for(coordinator).post(_url("result_create", partnership_a, goal.pk),
                                            {**RESULT, "target_year": "2020"})
    assert response.status_code == 400
    assert response.context["form"].errors["target_year"]


def test_a_catalogue_indicator_takes_its_baseline_from_the_portrait(
        goal, partnership_a, coordinator, monkeypatch):
    asked = []

    def indicator_for(partnership, code, year=None):
        asked.append((partnership.pk, code))
        return {"year": 2023, "partnership": {"value": 7.123456}}

    monkeypatch.setattr(views_strategy.portrait_data, "indicator_for", indicator_for)
    response = client_for(coordinator).post(_url("result_create", partnership_a, goal.pk), {
        **RESULT, "indicator_code": "unemployment_rate", "indicator_name": "",
        "measure_unit": "", "baseline_value": "", "baseline_year": "", "target_value": "5",
        "target_year": "2030"})
    assert response.status_code == 302
    result = ExpectedResult.objects.get(goal=goal)
    assert asked == [(partnership_a.pk, "unemployment_rate")]
    assert (result.baseline_value, result.baseline_year) == (Decimal("7.1235"), 2023)
    assert result.measure_unit  # from the catalogue


def test_without_portrait_data_the_baseline_must_be_entered(goal, partnership_a, coordinator):
    data = {**RESULT, "indicator_code": "unemployment_rate", "indicator_name": "",
            "baseline_value": "", "baseline_year": ""}
    response = client_for(coordinator).post(_url("result_create", partnership_a, goal.pk), data)
    assert response.status_code == 400
    assert response.context["form"].errors["baseline_value"]
    assert not ExpectedResult.objects.exists()
    entered = {**data, "baseline_value": "6.5", "baseline_year": "2022"}
    assert client_for(coordinator).post(_url("result_create", partnership_a, goal.pk),
                                        entered).status_code == 302


@pytest.fixture
def result(goal) -> ExpectedResult:
    return ExpectedResult.objects.create(
        goal=goal, title="Miejsca", indicator_name="Miejsca w żłobkach", baseline_value=40,
        baseline_year=2022, target_value=120, target_year=2030)


def test_editing_a_result_keeps_the_years_in_order(result, partnership_a, coordinator):
    client = client_for(coordinator)
    url = _url("result_edit", partnership_a, result.pk)
    assert client.get(url).status_code == 200
    bad = client.post(url, {**RESULT, "action": "save", "target_year": "2019"})
    assert bad.status_code == 400
    result.refresh_from_db()
    assert result.target_year == 2030
    good = client.post(url, {**RESULT, "action": "save", "target_value": "150"})
    assert good.status_code == 302
    result.refresh_from_db()
    assert result.target_value == Decimal("150")


def test_measurements_are_recorded_replaced_and_deleted(result, partnership_a, coordinator):
    client = client_for(coordinator)
    url = _url("result_edit", partnership_a, result.pk)
    assert client.post(url, {"action": "measurement", "year": "2024", "value": "55.5"}
                       ).status_code == 302
    assert client.post(url, {"action": "measurement", "year": "2024", "value": "60"}
                       ).status_code == 302
    measurement = ResultMeasurement.objects.get(result=result)
    assert (measurement.year, measurement.value) == (2024, Decimal("60"))
    for bad in ({"year": "2024", "value": "dużo"}, {"year": "-5", "value": "1"},
                {"year": "", "value": "1"}):
        assert client.post(url, {"action": "measurement", **bad}).status_code == 400
    assert ResultMeasurement.objects.count() == 1
    assert client.post(url, {"action": "measurement_delete", "measurement": "x"}
                       ).status_code == 400
    assert client.post(url, {"action": "measurement_delete",
                             "measurement": str(measurement.pk)}).status_code == 302
    assert not ResultMeasurement.objects.exists()
    assert client.post(url, {"action": "nonsense"}).status_code == 400


def test_a_result_is_deleted(result, partnership_a, coordinator):
    response = client_for(coordinator).post(_url("result_edit", partnership_a, result.pk),
                                            {"action": "delete"})
    assert response.status_code == 302 and not ExpectedResult.objects.exists()


def test_partnership_bs_strategy_does_not_reach_as_goals(result, partnership_a, partnership_b,
                                                          outsider):
    b_strategy = Strategy.objects.create(partnership=partnership_b, title="B")
    client = client_for(outsider)
    for name, object_id in (("goal_edit", result.goal_id), ("result_edit", result.pk),
                            ("direction_create", result.goal_id)):
        assert client.get(_url(name, partnership_b, object_id)).status_code == 404
        assert client.post(_url(name, partnership_b, object_id),
                           {**RESULT, "action": "delete"}).status_code == 404
    assert ExpectedResult.objects.filter(pk=result.pk).exists()
    assert b_strategy.goals.count() == 0


# --- intervention areas -------------------------------------------------------------------


def test_an_area_takes_only_the_partnerships_units(strategy, partnership_a, partnership_b,
                                                   coordinator):
    own = list(partnership_a.units.order_by("teryt")[:2])
    foreign = partnership_b.units.exclude(pk__in=partnership_a.units.all()).first()
    client = client_for(coordinator)
    data = {"name": "Dolina Bugu", "origin": "voivodeship", "description": "",
            "units": [u.pk for u in own]}
    refused = client.post(_url("area_create", partnership_a), {**data,
                                                               "units": [own[0].pk, foreign.pk]})
    assert refused.status_code == 400 and not InterventionArea.objects.exists()
    for bad in ({"units": []}, {"units": ["x"]}, {"origin": "county"}, {"name": ""}):
        assert client.post(_url("area_create", partnership_a), {**data, **bad}
                           ).status_code == 400
    assert not InterventionArea.objects.exists()
    assert client.post(_url("area_create", partnership_a), data).status_code == 302
    area = InterventionArea.objects.get(strategy=strategy)
    assert set(area.units.all()) == set(own)
    edit = _url("area_edit", partnership_a, area.pk)
    assert client.post(edit, {**data, "units": [foreign.pk]}).status_code == 400
    assert set(area.units.all()) == set(own)
    assert client.post(edit, {**data, "units": [own[0].pk], "origin": "own"}).status_code == 302
    area.refresh_from_db()
    assert area.origin == "own" and list(area.units.all()) == [own[0]]
    assert client.post(edit, {"action": "delete"}).status_code == 302
    assert not InterventionArea.objects.exists()
    assert _logged("strategy.area_created") == 1 and _logged("strategy.area_deleted") == 1


def test_the_areas_page_and_its_map_data(strategy, partnership_a, coordinator):
    unit = partnership_a.units.filter(kind="gmina").order_by("teryt").first()
    unit.boundary = {"type": "Polygon",
                     "coordinates": [[[22, 52], [22.1, 52], [22.1, 52.1], [22, 52]]]}
    unit.save()
    area = InterventionArea.objects.create(strategy=strategy, name="Centra", origin="own")
    area.units.set([unit])
    client = client_for(coordinator)
    page = client.get(_url("areas", partnership_a))
    assert page.status_code == 200
    assert page.context["map_spec"]["data"]["url"] == _url("areas_map", partnership_a)
    assert "Centra" in page.context["map_spec"]["encoding"]["color"]["scale"]["domain"]
    data = client.get(_url("areas_map", partnership_a)).json()
    assert data["type"] == "FeatureCollection"
    mine = [f for f in data["features"] if f["properties"]["teryt"] == unit.teryt]
    assert mine and mine[0]["properties"]["area"] == "Centra"


# --- query counts -------------------------------------------------------------------------


def _grow(strategy, goals: int) -> None:
    units = list(strategy.partnership.units.all()[:3])
    for number in range(1, goals + 1):
        goal = StrategicGoal.objects.create(strategy=strategy, number=number,
                                            dimension="social", title=f"Cel {number}")
        ActionDirection.objects.create(goal=goal, number=1, title="Kierunek")
        result = ExpectedResult.objects.create(
            goal=goal, title="Rezultat", indicator_name="x", baseline_value=1,
            baseline_year=2020, target_value=2, target_year=2030)
        ResultMeasurement.objects.create(result=result, year=2024, value=1)
        area = InterventionArea.objects.create(strategy=strategy, name=f"Obszar {number}",
                                               origin="own")
        area.units.set(units)


@pytest.mark.parametrize("goals", [1, 12])
def test_the_overview_needs_a_fixed_number_of_queries(strategy, partnership_a, coordinator,
                                                      django_assert_max_num_queries, goals):
    _grow(strategy, goals)
    client = client_for(coordinator)
    url = _url("overview", partnership_a)
    client.get(url)  # sessions and caches warm
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
