"""Survey results in a real browser: the charts draw under the strict CSP and axe-core
finds no serious or critical violation on the public page (desktop and phone) or on the
members' page. Uses the demo's published resident survey (generated responses)."""

from __future__ import annotations


import pytest
from django.core.cache import cache

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
from razem.surveys.models import Survey

pytestmark = pytest.mark.browser

SLUG = "razem-dla-rozwoju"
SURVEY = "ankieta-mieszkancow"


@pytest.fixture
def demo(browser, transactional_db) -> Survey:
    cache.clear()
    load_demo_data()
    survey = Survey.objects.get(partnership__slug=SLUG, slug=SURVEY)
    assert survey.results_published and survey.responses.count() >= 100
    return survey


def _states(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll("[data-spec-id]")]
             .map((el) => el.getAttribute("data-chart-state"))""")


def test_public_results_draw_under_the_csp_and_pass_axe_on_desktop_and_phone(
        browser, live_server, demo):
    url = f"{live_server.url}/p/{SLUG}/s/{SURVEY}/wyniki/?podzial=sex"
    with open_context(browser) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        assert page.goto(url).status == 200
        wait_for_charts(page)
        states = _states(page)
        assert states and all(state == "ready" for state in states), states
        assert not watch.csp_violations(page) and not watch.page_errors
    failures = []
    for viewport in (DESKTOP, PHONE):
        with open_context(browser, bypass_csp=True, viewport=viewport) as context:
            page = context.new_page()
            page.goto(url)
            wait_for_charts(page)
            violations = run_axe(page)
            if violations:
                failures.append(describe_violations(f"{page.url} at {viewport}", violations))
            overflow = horizontal_overflow(page)
            if overflow:
                failures.append(f"{viewport}: the page scrolls sideways {overflow}: "
                                f"{wide_elements(page)}")
    assert not failures, "\n\n".join(failures)


def test_members_pages_pass_axe(browser, live_server, demo):
    with open_context(browser, bypass_csp=True) as context:
        page = context.new_page()
        log_in(page, live_server.url, "koordynator@razem.demo", "razem-demo-2026")
        failures = []
        for path in (f"/p/{SLUG}/ankiety/{demo.pk}/wyniki/?podzial=gmina",
                     f"/p/{SLUG}/ankiety/{demo.pk}/wyniki/populacja/",
                     f"/p/{SLUG}/ankiety/{demo.pk}/wyniki/otwarte/idea/"):
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            wait_for_charts(page)
            violations = run_axe(page)
            if violations:
                failures.append(describe_violations(page.url, violations))
        assert not failures, "\n\n".join(failures)
