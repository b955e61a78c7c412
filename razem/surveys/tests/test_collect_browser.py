"""Answering a survey on a phone in a real browser: skip logic, sending, accessibility.

Uses the browser helpers of razem.core.tests.browser (Debian's Chromium through
Playwright, axe-core from npm). Skips without Chromium, except in CI.
"""

from __future__ import annotations


import pytest
from django.core.cache import cache

from razem.core.models import Partnership
from razem.core.tests.browser import (
    PageWatch,
    describe_violations,
    horizontal_overflow,
    load_demo_data,
    open_context,
    run_axe,
    wide_elements,
)
from razem.surveys.models import Channel, Response
from razem.surveys.tests.factories import make_survey

pytestmark = pytest.mark.browser

SLUG = "razem-dla-rozwoju"
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def survey(browser, transactional_db):
    cache.clear()
    load_demo_data()
    return make_survey(Partnership.objects.get(slug=SLUG), slug="test-przegladarka")


def form_url(live_server, survey) -> str:
    return f"{live_server.url}/p/{SLUG}/s/{survey.slug}/"


def test_a_respondent_fills_in_the_survey_on_a_phone(browser, live_server, survey):
    with open_context(browser, viewport=PHONE) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        page.goto(form_url(live_server, survey))
        assert horizontal_overflow(page) is None, wide_elements(page)

        # The script hides the question that applies only to permanent residents...
        years = page.locator("#question-years")
        assert years.is_hidden()
        page.select_option("#q-gmina", label="Łosice")
        page.check("#q-lives_here-1")  # no
        assert years.is_hidden()
        # ...and shows it when the earlier answer makes it apply.
        page.check("#q-lives_here-0")  # yes
        assert years.is_visible()
        page.fill("#q-years", "12")
        page.get_by_label("drogi", exact=True).and_(page.locator("#q-needs-0")).check()
        page.check("#q-needs-2")  # kultura
        page.fill("#q-idea", "Więcej ławek w parku")

        with page.expect_navigation():
            page.locator("form[data-survey-form] button[type=submit]").click()
        assert "/dziekujemy/" in page.url
        assert page.locator("h1").count() == 1
        assert not watch.page_errors and not watch.csp_violations(page)

    response = Response.objects.get(survey=survey)
    assert response.channel == Channel.WEB
    assert response.answers == {"gmina": "1410023", "lives_here": "yes", "years": "12",
                                "needs": ["roads", "culture"], "idea": "Więcej ławek w parku"}


def test_the_form_passes_axe_also_with_errors(browser, live_server, survey):
    failures: list[str] = []
    with open_context(browser, bypass_csp=True, viewport=PHONE) as context:
        page = context.new_page()
        page.goto(form_url(live_server, survey))
        violations = run_axe(page)
        if violations:
            failures.append(describe_violations(page.url, violations))
        # Send it empty: the error summary and the messages by the fields.
        with page.expect_navigation():
            page.locator("form[data-survey-form] button[type=submit]").click()
        assert page.locator("#error-summary").is_visible()
        assert page.locator("#error-summary a[href='#q-gmina']").count() == 1
        assert horizontal_overflow(page) is None, wide_elements(page)
        violations = run_axe(page)
        if violations:
            failures.append(describe_violations(page.url + " (with errors)", violations))
    assert not failures, "\n\n".join(failures)
