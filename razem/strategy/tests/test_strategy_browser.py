"""The strategy's main page, its areas and monitoring in a real browser: the charts draw under
the strict CSP and axe-core finds no serious or critical violation, for the coordinator
(with the editing controls) and for anyone once the strategy is published."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from razem.core.tests.browser import (
    DESKTOP,
    PHONE,
    PageWatch,
    describe_violations,
    horizontal_overflow,
    load_demo_data,
    log_in,
    open_context,
    run_axe,
    wait_for_charts,
    wide_elements,
)
from razem.core.models import Partnership
from razem.portrait.models import DiagnosisConclusion
from razem.strategy.models import (
    ActionDirection,
    ExpectedResult,
    InterventionArea,
    ProjectCard,
    ProjectCost,
    ResultMeasurement,
    StrategicGoal,
    Strategy,
)
from razem.territory.models import Unit

pytestmark = pytest.mark.browser

SLUG = "razem-dla-rozwoju"
PAGES = ("", "obszary/", "monitoring/")


@pytest.fixture
def strategy(browser, transactional_db) -> Strategy:
    cache.clear()
    load_demo_data()
    partnership = Partnership.objects.get(slug=SLUG)
    Strategy.objects.filter(partnership=partnership).delete()
    strategy = Strategy.objects.create(partnership=partnership, title="Strategia Razem 2030",
                                       vision="Dobre miejsce do życia.",
                                       spatial_model="Dwa ośrodki lokalne.")
    conclusion = DiagnosisConclusion.objects.create(
        partnership=partnership, kind="weakness", dimension="social", text="Mało żłobków.")
    for number, dimension in enumerate(("social", "economic"), start=1):
        goal = StrategicGoal.objects.create(strategy=strategy, number=number,
                                            dimension=dimension, title=f"Cel {number}")
        goal.conclusions.set([conclusion])
        ActionDirection.objects.create(goal=goal, number=1, title="Kierunek")
        result = ExpectedResult.objects.create(
            goal=goal, title=f"Rezultat {number}", indicator_name="Miejsca w żłobkach",
            measure_unit="miejsca", baseline_value=Decimal("40"), baseline_year=2022,
            target_value=Decimal("120"), target_year=2030)
        ResultMeasurement.objects.create(result=result, year=2024, value=Decimal("60"))
    area = InterventionArea.objects.create(strategy=strategy, name="Dolina Bugu",
                                           origin="voivodeship")
    area.units.set(partnership.units.all()[:3])
    losice = Unit.objects.get(teryt="1410023")
    number = (ProjectCard.objects.filter(partnership=partnership).order_by("-number")
              .values_list("number", flat=True).first() or 0) + 1
    project = ProjectCard.objects.create(partnership=partnership, number=number,
                                         title="Żłobek w Łosicach", lead_unit=losice,
                                         funding_source="fem", status="in_progress")
    ProjectCost.objects.create(project=project, year=2024, planned=Decimal("1500000.00"),
                               spent=Decimal("1200000.50"))
    ProjectCost.objects.create(project=project, year=2025, planned=Decimal("700000.00"))
    return strategy


def _has_boundaries() -> bool:
    return Unit.objects.filter(teryt="1410023").exclude(boundary=None).exists()


def _check(page, base: str, failures: list[str], label: str) -> None:
    for path in PAGES:
        response = page.goto(f"{base}/p/{SLUG}/strategia/{path}")
        assert response.status == 200, path
        wait_for_charts(page)
        violations = run_axe(page)
        if violations:
            failures.append(describe_violations(f"{label} {page.url}", violations))
        overflow = horizontal_overflow(page)
        if overflow:
            failures.append(f"{label} {page.url} scrolls sideways {overflow}: "
                            f"{wide_elements(page)}")


def test_the_coordinators_strategy_pages_pass_axe(browser, live_server, strategy):
    failures: list[str] = []
    with open_context(browser, bypass_csp=True, viewport=DESKTOP) as context:
        page = context.new_page()
        log_in(page, live_server.url, "koordynator@razem.demo", "razem-demo-2026")
        _check(page, live_server.url, failures, "coordinator")
    assert not failures, "\n\n".join(failures)


def test_the_published_strategy_draws_under_the_csp_and_passes_axe(browser, live_server,
                                                                   strategy):
    strategy.published_at = timezone.now()
    strategy.save()
    for path in ("monitoring/", "obszary/"):
        with open_context(browser) as context:
            page = context.new_page()
            watch = PageWatch().attach(page)
            assert page.goto(f"{live_server.url}/p/{SLUG}/strategia/{path}").status == 200
            wait_for_charts(page)
            states = page.evaluate(
                """() => [...document.querySelectorAll("[data-spec-id]")]
                     .map((el) => el.getAttribute("data-chart-state"))""")
            # The areas map exists only when the data pack's boundaries were loaded.
            if path == "monitoring/" or _has_boundaries():
                assert states and all(state == "ready" for state in states), (path, states)
            assert not watch.csp_violations(page) and not watch.page_errors, path
    failures: list[str] = []
    for viewport in (DESKTOP, PHONE):
        with open_context(browser, bypass_csp=True, viewport=viewport) as context:
            _check(context.new_page(), live_server.url, failures, f"public {viewport}")
    assert not failures, "\n\n".join(failures)
