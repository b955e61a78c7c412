"""The survey management pages in headless Chromium: WCAG 2.1 AA (axe-core), the strict
CSP, and a phone-sized screen, including the pages showing form errors."""

from __future__ import annotations


import pytest
from django.core.cache import cache

from razem.core.models import User
from razem.core.tests.browser import (
    PHONE,
    PageWatch,
    describe_violations,
    horizontal_overflow,
    load_demo_data,
    log_in,
    open_context,
    run_axe,
    wide_elements,
)
from razem.surveys import actions
from razem.surveys.tests.factories import make_survey
from razem.surveys.tests.xlsform_samples import form

pytestmark = pytest.mark.browser

PASSWORD = "razem-demo-2026"
COORDINATOR = "koordynator@razem.demo"
SLUG = "razem-dla-rozwoju"


@pytest.fixture
def pages(browser, live_server, transactional_db) -> dict[str, str]:
    cache.clear()
    load_demo_data()
    from razem.core.models import Partnership

    partnership = Partnership.objects.get(slug=SLUG)
    coordinator = User.objects.get(email=COORDINATOR)
    survey = make_survey(partnership, slug="przegladarka")
    batch = actions.create_code_batch(survey=survey, by=coordinator, label="Klasa 4b", count=9)
    base = f"/p/{SLUG}/ankiety/"
    return {
        "list": base,
        "create": base + "nowa/?szablon=resident",
        "import": base + "import/",
        "detail": f"{base}{survey.pk}/",
        "edit": f"{base}{survey.pk}/edycja/",
        "delete": f"{base}{survey.pk}/usun/",
        "replace": f"{base}{survey.pk}/xlsform/wgraj/",
        "codes": f"{base}{survey.pk}/kody/",
        "cards": f"{base}{survey.pk}/kody/{batch.pk}/karty/",
    }


def _problems(page, watch: PageWatch, label: str) -> list[str]:
    problems = []
    violations = watch.csp_violations(page)
    if violations:
        problems.append(f"{label}: CSP violations {violations}")
    overflow = horizontal_overflow(page)
    if overflow:
        problems.append(f"{label} scrolls sideways at {PHONE['width']}px: {overflow}; "
                        f"wide elements: {wide_elements(page)}")
    return problems


def _axe(page, label: str) -> list[str]:
    violations = run_axe(page)
    return [describe_violations(f"{page.url} {label}", violations)] if violations else []


def test_survey_pages_are_accessible_on_a_phone_under_the_csp(browser, live_server, pages,
                                                              tmp_path):
    site = live_server.url
    problems: list[str] = []
    with open_context(browser, viewport=PHONE) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        log_in(page, site, COORDINATOR, PASSWORD)
        for name, path in pages.items():
            response = page.goto(site + path)
            assert response.status == 200, f"{path}: HTTP {response.status}"
            problems += _problems(page, watch, name)
        assert watch.page_errors == [] and watch.console_errors == []

    broken = tmp_path / "zla.xlsx"
    broken.write_bytes(form([["select_one nie_ma_listy", "q1", "Pytanie", "Question", ""]]))
    with open_context(browser, viewport=PHONE, bypass_csp=True) as context:
        page = context.new_page()
        log_in(page, site, COORDINATOR, PASSWORD)
        for name, path in pages.items():
            page.goto(site + path)
            problems += _axe(page, name)

        # Forms sent with errors: the error summary and the fields must be accessible too.
        page.goto(site + pages["create"])
        page.fill("#id_slug", "Zła nazwa!")
        with page.expect_navigation():
            page.locator("main form.stacked-form button[type=submit]").click()
        assert page.locator(".form-errors a[href='#id_slug']").count() == 1
        problems += _axe(page, "(create with errors)")

        page.goto(site + pages["import"])
        page.fill("#id_slug", "zla")
        page.set_input_files("#id_file", str(broken))
        with page.expect_navigation():
            page.locator("main form.stacked-form button[type=submit]").click()
        assert page.locator("table.problems tbody tr").count() >= 1
        problems += _axe(page, "(import with problems)")
        problems += [p for p in [horizontal_overflow(page)] if p]

        page.goto(site + pages["codes"])
        page.fill("#id_label", "Klasa")
        page.fill("#id_count", "501")
        with page.expect_navigation():
            page.locator("main form.stacked-form button[type=submit]").click()
        assert page.locator(".field-error").count() == 1
        problems += _axe(page, "(codes with errors)")
    assert not problems, "\n\n".join(str(p) for p in problems)
