"""The small seeded ranking the prioritisation tests share: three projects, two criteria
(a benefit and a cost), two scoring units of partnership A. Rows are created with the
ORM directly (the strategy and project pages are written elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from razem.core.models import Partnership, User
from razem.strategy.models import Criterion, ProjectCard, ProjectScore, Strategy
from razem.territory.models import Unit

LOSICE = "1410023"  # the officer's unit
HUSZLEW = "1410012"
# unit -> project number -> (K1 benefit, K2 cost)
SCORES = {
    LOSICE: {1: (8, 3), 2: (5, 2), 3: (9, 8)},
    HUSZLEW: {1: (6, 5), 2: (5, 2), 3: (9, 8)},
}


@dataclass
class Seeded:
    strategy: Strategy
    projects: dict[int, ProjectCard]
    criteria: dict[str, Criterion]


def make_strategy(partnership: Partnership, *, published: bool = False) -> Strategy:
    # The demo may one day bring its own strategy and cards: start from a clean slate.
    Strategy.objects.filter(partnership=partnership).delete()
    ProjectCard.objects.filter(partnership=partnership).delete()
    from django.utils import timezone

    return Strategy.objects.create(
        partnership=partnership, title=f"Strategia {partnership.name}", horizon_year=2030,
        vision="Wizja", sensitivity_runs=200,
        published_at=timezone.now() if published else None)


def seed_ranking(partnership: Partnership, by: User | None = None, *,
                 published: bool = False, scores: dict | None = None) -> Seeded:
    strategy = make_strategy(partnership, published=published)
    lead = partnership.units.get(teryt=LOSICE) if partnership.units.filter(
        teryt=LOSICE).exists() else partnership.units.order_by("teryt").first()
    projects = {
        n: ProjectCard.objects.create(partnership=partnership, number=n,
                                      title=f"Projekt {n}", lead_unit=lead)
        for n in (1, 2, 3)
    }
    criteria = {
        "K1": Criterion.objects.create(strategy=strategy, position=0, code="K1",
                                       name="Korzyść dla mieszkańców", polarity=1,
                                       weight=Decimal("0.6")),
        "K2": Criterion.objects.create(strategy=strategy, position=1, code="K2",
                                       name="Koszt dla budżetów", polarity=-1,
                                       weight=Decimal("0.4")),
    }
    for teryt, rows in (SCORES if scores is None else scores).items():
        unit = Unit.objects.get(teryt=teryt)
        for number, values in rows.items():
            for code, value in zip(("K1", "K2"), values, strict=True):
                ProjectScore.objects.create(project=projects[number], criterion=criteria[code],
                                            unit=unit, value=Decimal(value), scored_by=by)
    return Seeded(strategy=strategy, projects=projects, criteria=criteria)


@pytest.fixture
def seeded(partnership_a, coordinator) -> Seeded:
    return seed_ranking(partnership_a, coordinator)


@pytest.fixture
def seeded_b(partnership_b, outsider) -> Seeded:
    units = list(partnership_b.units.filter(kind="gmina").values_list("teryt", flat=True)[:1])
    return seed_ranking(partnership_b, outsider,
                        scores={units[0]: {1: (1, 1), 2: (2, 2), 3: (3, 3)}})


def test_the_seed_gives_two_units_scores_of_three_projects_on_two_criteria(seeded):
    assert ProjectScore.objects.filter(criterion__strategy=seeded.strategy).count() == 12
