"""Shared setup of the project and opinion tests (no tests here): a strategy with goals for
partnership A (and B), card form posts, and cards made through the action."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from razem.core.models import Partnership, User
from razem.strategy import project_actions as actions
from razem.strategy.models import ActionDirection, ProjectCard, StrategicGoal, Strategy

LOSICE = "1410023"


@pytest.fixture
def strategy_a(partnership_a: Partnership) -> Strategy:
    clear_demo_strategy(partnership_a)
    strategy = Strategy.objects.create(partnership=partnership_a, title="Strategia A")
    goal = StrategicGoal.objects.create(strategy=strategy, number=1, dimension="economic",
                                        title="Dostępność komunikacyjna")
    StrategicGoal.objects.create(strategy=strategy, number=2, dimension="social",
                                 title="Usługi społeczne")
    ActionDirection.objects.create(goal=goal, number=1, title="Drogi gminne")
    return strategy


@pytest.fixture
def strategy_b(partnership_b: Partnership) -> Strategy:
    strategy = Strategy.objects.create(partnership=partnership_b, title="Strategia B")
    goal = StrategicGoal.objects.create(strategy=strategy, number=1, dimension="social",
                                        title="Cel B")
    ActionDirection.objects.create(goal=goal, number=1, title="Kierunek B")
    return strategy


def clear_demo_strategy(partnership: Partnership) -> None:
    """The demo (load_demo, run by the cast) gives partnership A a strategy and a dozen
    cards; these tests build their own."""
    ProjectCard.objects.filter(partnership=partnership).delete()
    Strategy.objects.filter(partnership=partnership).delete()


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "60"}


def rows(prefix: str, items: list[dict[str, Any]], initial: int = 0) -> dict[str, str]:
    data = management(prefix, len(items), initial)
    for index, item in enumerate(items):
        for key, value in item.items():
            data[f"{prefix}-{index}-{key}"] = "" if value is None else str(value)
    return data


def card_post(partnership: Partnership, **overrides: Any) -> dict[str, Any]:
    """A valid post of the card form; keyword arguments replace fields or formsets."""
    units = list(partnership.units.order_by("teryt"))
    lead = partnership.units.get(teryt=LOSICE)
    strategy = Strategy.objects.filter(partnership=partnership).first()
    goals = list(strategy.goals.values_list("pk", flat=True)) if strategy else []
    data: dict[str, Any] = {
        "title": "Przebudowa drogi Łosice–Sarnaki",
        "lead_unit": str(lead.pk),
        "partner_units": [str(units[1].pk), str(units[2].pk)],
        "location_units": [str(lead.pk)],
        "location": "ul. Kościuszki",
        "goals": [str(goals[0])] if goals else [],
        "directions": [],
        "problem": "Zły stan drogi.",
        "scope": "Przebudowa 4 km.",
        "funding_source": "rfrd",
        "funding_details": "nabór 2026",
        "readiness": "documentation",
        "is_integrated": "on",
        "status": "proposed",
        "starts_on": "2026-03-01",
        "ends_on": "2027-10-31",
    }
    formsets = {
        "outputs": [{"name": "Długość drogi", "unit": "km", "target": "4.25"}],
        "results": [],
        "costs": [{"year": 2026, "planned": "1234567.89", "spent": ""},
                  {"year": 2027, "planned": "0.01", "spent": ""}],
        "milestones": [{"name": "Dokumentacja", "due_on": "2026-06-30", "done_on": ""}],
    }
    for key, value in overrides.items():
        if key in formsets:
            formsets[key] = value
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    for prefix, items in formsets.items():
        data.update(rows(prefix, items))
    if not data.get("is_integrated"):
        data.pop("is_integrated", None)
    return data


def make_card(partnership: Partnership, by: User, *, title: str = "Projekt",
              starts_on: date | None = date(2026, 1, 1), ends_on: date | None = date(2027, 12, 31),
              costs: list[tuple[int, str]] | None = None, milestones: int = 1,
              status: str = "proposed") -> ProjectCard:
    lead = partnership.units.order_by("teryt").first()
    return actions.create_project(partnership=partnership, by=by, data=actions.CardInput(
        title=title, lead_unit=lead, starts_on=starts_on, ends_on=ends_on, status=status,
        costs=[actions.CostRow(year, Decimal(amount)) for year, amount in
               (costs if costs is not None else [(2026, "1000.00")])],
        milestones=[actions.MilestoneRow(f"Etap {i + 1}", date(2026, 6, 1 + i))
                    for i in range(milestones)],
    ))
