"""The project pages in a real browser: the timeline draws under the strict CSP, and the
list, the card, its form and the opinion page pass axe-core (no serious or critical
violations), on a desktop and on a phone."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from razem.conftest import PASSWORD
from razem.core.models import Partnership, User
from razem.core.tests.browser import (
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
from razem.strategy import project_actions as actions
from razem.strategy.models import StrategicGoal, Strategy
from razem.strategy.tests.test_project_support import clear_demo_strategy, make_card

pytestmark = pytest.mark.browser

SLUG = "razem-dla-rozwoju"
COORDINATOR = "koordynator@razem.demo"


@pytest.fixture
def cards(browser, transactional_db):
    load_demo_data()
    partnership = Partnership.objects.get(slug=SLUG)
    coordinator = User.objects.get(email=COORDINATOR)
    advisor = User.objects.get(email="doradca@razem.demo")
    clear_demo_strategy(partnership)
    strategy = Strategy.objects.create(partnership=partnership, title="Strategia")
    goal = StrategicGoal.objects.create(strategy=strategy, number=1, dimension="economic",
                                        title="Dostępność komunikacyjna")
    first = make_card(partnership, coordinator, title="Przebudowa drogi Łosice–Sarnaki",
                      costs=[(2026, "1234567.89"), (2027, "250000.00")], milestones=2)
    first.goals.add(goal)
    make_card(partnership, coordinator, title="Żłobek w Platerowie",
              starts_on=date(2027, 1, 1), ends_on=date(2028, 6, 30), status="accepted")
    make_card(partnership, coordinator, title="Koncepcja bez dat", starts_on=None,
              ends_on=None, milestones=0)
    opinion_request = actions.request_opinion(project=first, by=coordinator, advisor=advisor,
                                              kind="opinion", question="Czy jest gotowy?")
    for recommendation in ("with_changes", "recommended"):
        opinion = actions.answer_opinion(opinion_request=opinion_request, by=advisor,
                                         recommendation=recommendation,
                                         strengths="Łączy gminy.", risks=recommendation)
    actions.publish_opinion(opinion=opinion, by=coordinator, publish=True)
    return first, opinion_request


def test_the_timeline_draws_under_the_csp(browser, live_server, cards):
    with open_context(browser) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        log_in(page, live_server.url, COORDINATOR, PASSWORD)
        page.goto(live_server.url + reverse("strategy:projects", args=[SLUG]))
        wait_for_charts(page)
        chart = page.locator("[data-spec-id='project-timeline-spec']")
        assert chart.get_attribute("data-chart-state") == "ready"
        assert page.locator("[data-spec-id='project-timeline-spec'] svg").count() == 1
        assert not watch.page_errors
        assert not watch.csp_violations(page)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_project_pages_pass_axe(browser, live_server, cards, viewport):
    project, opinion_request = cards
    pages = [
        reverse("strategy:projects", args=[SLUG]),
        reverse("strategy:project_detail", args=[SLUG, project.pk]),
        reverse("strategy:project_edit", args=[SLUG, project.pk]),
        reverse("strategy:opinion_request", args=[SLUG, project.pk]),
        reverse("strategy:opinion_answer", args=[SLUG, opinion_request.pk]),
    ]
    failures: list[str] = []
    with open_context(browser, bypass_csp=True, viewport=viewport) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        log_in(page, live_server.url, COORDINATOR, PASSWORD)
        for path in pages:
            page.goto(live_server.url + path)
            wait_for_charts(page)
            if viewport is PHONE:
                assert horizontal_overflow(page) is None, (path, wide_elements(page))
            if violations := run_axe(page):
                failures.append(describe_violations(page.url, violations))
        # The card form with its errors.
        page.goto(live_server.url + reverse("strategy:project_create", args=[SLUG]))
        with page.expect_navigation():
            page.locator("main form.stacked-form > button[type=submit]").click()
        assert page.locator(".form-errors").count() >= 1
        if violations := run_axe(page):
            failures.append(describe_violations(page.url + " (errors)", violations))
        assert not watch.page_errors
    assert not failures, "\n\n".join(failures)
