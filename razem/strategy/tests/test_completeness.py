"""The completeness check: each required element of a supra-local strategy is flagged when
missing, and a complete strategy passes. Pure facts first, then the adapter over the DB."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from django.urls import reverse

from razem.conftest import client_for
from razem.strategy import completeness
from razem.strategy.completeness import AreaFacts, GoalFacts, ResultFacts, StrategyFacts

MEASURABLE = ResultFacts(True, Decimal("10"), 2020, Decimal("20"), 2030)


def _goal(id: int, dimension: str, **changes) -> GoalFacts:
    return dataclasses.replace(GoalFacts(id, id, dimension, 1, (MEASURABLE,)), **changes)


COMPLETE = StrategyFacts(
    conclusion_dimensions=frozenset({"social", "economic", "environmental_spatial"}),
    goals=(_goal(1, "social"), _goal(2, "economic"), _goal(3, "spatial")),
    spatial_model="Łosice and Sarnaki are the local centres.",
    spatial_policy="Keep the river valley free of building.",
    implementation_system="The union's board, yearly reports.",
    financial_framework="FEM 2021-2027, own budgets.",
    areas=(AreaFacts(1, "Dolina Bugu", "voivodeship", 3), AreaFacts(2, "Centra", "own", 2)),
    funded_projects=1,
)


def _without_goal_field(**changes) -> StrategyFacts:
    goals = (COMPLETE.goals[0], COMPLETE.goals[1], dataclasses.replace(COMPLETE.goals[2],
                                                                        **changes))
    return dataclasses.replace(COMPLETE, goals=goals)


# (what is removed, the facts without it, the item that must fail)
MISSING = [
    ("social conclusions", dataclasses.replace(
        COMPLETE, conclusion_dimensions=frozenset({"economic", "environmental_spatial"})),
     "diagnosis"),
    ("spatial conclusions", dataclasses.replace(
        COMPLETE, conclusion_dimensions=frozenset({"social", "economic"})), "diagnosis"),
    ("economic goal", dataclasses.replace(
        COMPLETE, goals=(COMPLETE.goals[0], COMPLETE.goals[2])), "goals"),
    ("directions of one goal", _without_goal_field(directions=0), "directions"),
    ("results of one goal", _without_goal_field(results=()), "results"),
    ("indicator of a result", _without_goal_field(
        results=(dataclasses.replace(MEASURABLE, has_indicator=False),)), "results"),
    ("baseline of a result", _without_goal_field(
        results=(dataclasses.replace(MEASURABLE, baseline_value=None),)), "results"),
    ("baseline year of a result", _without_goal_field(
        results=(dataclasses.replace(MEASURABLE, baseline_year=None),)), "results"),
    ("target of a result", _without_goal_field(
        results=(dataclasses.replace(MEASURABLE, target_value=None),)), "results"),
    ("target year of a result", _without_goal_field(
        results=(dataclasses.replace(MEASURABLE, target_year=None),)), "results"),
    ("spatial model", dataclasses.replace(COMPLETE, spatial_model="  "), "spatial_model"),
    ("spatial policy", dataclasses.replace(COMPLETE, spatial_policy=""), "spatial_policy"),
    ("voivodeship area", dataclasses.replace(COMPLETE, areas=(COMPLETE.areas[1],)), "areas"),
    ("own area", dataclasses.replace(COMPLETE, areas=(COMPLETE.areas[0],)), "areas"),
    ("units of an area", dataclasses.replace(
        COMPLETE, areas=(COMPLETE.areas[0], dataclasses.replace(COMPLETE.areas[1], units=0))),
     "areas"),
    ("implementation system", dataclasses.replace(COMPLETE, implementation_system=""),
     "implementation"),
    ("financial framework", dataclasses.replace(COMPLETE, financial_framework=""),
     "financing"),
    ("funding source of a project", dataclasses.replace(COMPLETE, funded_projects=0),
     "financing"),
]


def test_a_complete_strategy_passes_every_item():
    items = completeness.check(COMPLETE)
    assert [item.code for item in items] == list(completeness.CODES)
    assert all(item.ok and not item.missing for item in items)
    assert completeness.is_complete(items)


@pytest.mark.parametrize("removed,facts,code", MISSING, ids=[m[0] for m in MISSING])
def test_each_missing_element_is_flagged_alone(removed, facts, code):
    items = {item.code: item for item in completeness.check(facts)}
    assert not items[code].ok, removed
    assert items[code].missing and all(str(message) for message in items[code].missing)
    assert items[code].fix_url_name
    assert [c for c, item in items.items() if not item.ok] == [code]


def test_no_area_with_units_means_no_map():
    facts = dataclasses.replace(COMPLETE, areas=(
        dataclasses.replace(COMPLETE.areas[0], units=0),
        dataclasses.replace(COMPLETE.areas[1], units=0)))
    items = {item.code: item for item in completeness.check(facts)}
    assert not items["maps"].ok and not items["areas"].ok


def test_an_empty_strategy_misses_everything_and_says_where_to_fix():
    items = completeness.check(StrategyFacts())
    assert not any(item.ok for item in items)
    where = {item.code: item.fix_url_name for item in items}
    assert where["diagnosis"] == "portrait:conclusions"
    assert where["goals"] == "strategy:goal_create"
    assert where["spatial_model"] == "strategy:edit"
    assert where["areas"] == "strategy:areas"


def test_the_missing_goal_points_at_its_own_page():
    facts = _without_goal_field(directions=0)
    item = next(i for i in completeness.check(facts) if i.code == "directions")
    assert item.fix_url_name == "strategy:direction_create" and item.fix_args == (3,)
    assert "3" in item.missing[0]


def test_the_messages_name_the_missing_dimensions():
    facts = dataclasses.replace(COMPLETE, goals=(COMPLETE.goals[0],))
    item = next(i for i in completeness.check(facts) if i.code == "goals")
    assert len(item.missing) == 1


# --- the adapter and the page -------------------------------------------------------------


@pytest.fixture
def strategy(partnership_a):
    from razem.strategy.models import ProjectCard, Strategy

    # The demo's strategy and cards (load_demo runs in the cast) are not this test's.
    ProjectCard.objects.filter(partnership=partnership_a).delete()
    Strategy.objects.filter(partnership=partnership_a).delete()
    return Strategy.objects.create(partnership=partnership_a, title="Strategia")


def test_facts_from_the_database(strategy, partnership_a, partnership_b):
    from razem.portrait.models import DiagnosisConclusion
    from razem.strategy.models import ExpectedResult, InterventionArea, StrategicGoal

    DiagnosisConclusion.objects.filter(partnership=partnership_a).delete()
    DiagnosisConclusion.objects.create(partnership=partnership_a, kind="weakness",
                                       dimension="social", text="Mało żłobków.")
    # B's conclusions do not count for A.
    DiagnosisConclusion.objects.create(partnership=partnership_b, kind="weakness",
                                       dimension="economic", text="Bezrobocie.")
    goal = StrategicGoal.objects.create(strategy=strategy, number=1, dimension="social",
                                        title="Usługi")
    ExpectedResult.objects.create(goal=goal, title="Więcej miejsc", indicator_name="miejsca",
                                  baseline_value=10, baseline_year=2020, target_value=20,
                                  target_year=2030)
    area = InterventionArea.objects.create(strategy=strategy, name="Dolina", origin="own")
    area.units.set(partnership_a.units.all()[:2])
    facts = completeness.facts_for(strategy)
    assert facts.conclusion_dimensions == frozenset({"social"})
    assert facts.goals[0].directions == 0 and facts.goals[0].results[0].measurable
    assert facts.areas == (AreaFacts(area.pk, "Dolina", "own", 2),)
    assert facts.funded_projects == 0


def test_the_overview_shows_the_checklist_with_links_for_the_coordinator(
        strategy, partnership_a, coordinator, observer):
    url = reverse("strategy:overview", args=[partnership_a.slug])
    page = client_for(coordinator).get(url)
    assert page.status_code == 200
    checklist = page.context["checklist"]
    assert [item["code"] for item in checklist] == list(completeness.CODES)
    assert all(not item["ok"] for item in checklist if item["code"] != "diagnosis")
    text = page.content.decode()
    for item in checklist:
        assert f'id="check-{item["code"]}"' in text
    assert reverse("strategy:goal_create", args=[partnership_a.slug]) in text
    # An observer reads the same list, without links to pages it may not open.
    seen = client_for(observer).get(url)
    assert all(item["fix_url"] == "" for item in seen.context["checklist"])
