"""The site in a real browser: the map under the strict CSP, WCAG 2.1 AA with axe-core, phones.

Headless Debian Chromium through Playwright's sync API against pytest-django's
live_server. axe-core (npm, package-lock.json) is injected only in contexts
created with bypass_csp=True; the CSP itself is checked in normal contexts.
Without /usr/bin/chromium these tests skip, except in CI (CI=true), where
they fail.
"""

from __future__ import annotations


import pytest
from django.core.cache import cache

from razem.core.tests.browser import (
    MEMBER_FILL,
    PHONE,
    DemoData,
    PageWatch,
    describe_violations,
    horizontal_overflow,
    load_demo_data,
    log_in,
    map_summary,
    open_context,
    run_axe,
    switch_language,
    wait_for_charts,
    wide_elements,
)

pytestmark = pytest.mark.browser

PASSWORD = "razem-demo-2026"
COORDINATOR = "koordynator@razem.demo"
SLUG = "razem-dla-rozwoju"
PARTNERSHIP = f"/p/{SLUG}/"
PUBLIC_PAGES = [
    "/",
    PARTNERSHIP,
    "/konto/logowanie/",
    "/deklaracja-dostepnosci/",
    "/prywatnosc/",
]
INTERNAL_PAGES = [
    "/panel/",
    f"/p/{SLUG}/panel/",
    f"/p/{SLUG}/czlonkowie/",
    f"/p/{SLUG}/ustawienia/",
    f"/p/{SLUG}/dziennik-zmian/",
]
# The 15 member gminas are drawn (the member powiat is listed in the table only).
MEMBER_GMINAS = 15


@pytest.fixture
def demo(browser, transactional_db) -> DemoData:
    cache.clear()  # cached map and page fragments of an earlier test's database
    return load_demo_data()


@pytest.fixture
def site(live_server, demo) -> str:
    return live_server.url


def axe_failures(page, label: str = "") -> list[str]:
    violations = run_axe(page)
    if not violations:
        return []
    return [describe_violations(f"{page.url} {label}".strip(), violations)]


def test_partnership_map_renders_under_the_csp_and_page_is_accessible(browser, site, demo):
    url = site + PARTNERSHIP

    # A normal context: the page's Content-Security-Policy is enforced.
    with open_context(browser) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        page.goto(url)
        wait_for_charts(page)
        summary = map_summary(page)
        problems = "\n".join(watch.console_errors + watch.page_errors)
        assert summary is not None, "no .vega-map container on the page"
        assert summary["state"] == "ready", f"the map was not drawn:\n{problems}"
        assert summary["svg"], "the map has no <svg> (charts.js must use the SVG renderer)"
        assert summary["svgHidden"] == "true", "the drawing must be hidden from screen readers"
        assert summary["styleElements"] == 0, "a <style> element was injected"
        if demo.with_boundaries:
            assert summary["members"] >= MEMBER_GMINAS, summary
            if demo.with_register:
                assert summary["shapes"] > summary["members"], "no neighbouring gminas drawn"
            # The tooltip works too, styled by razem.css (vega-tooltip injects no <style>).
            page.locator(f'.vega-map .mark-shape path[fill="{MEMBER_FILL}"]').first.hover(
                force=True
            )
            tooltip = page.locator("#vg-tooltip-element.visible")
            tooltip.wait_for()
            assert "14" in tooltip.inner_text()  # a TERYT code of Mazowieckie
            assert page.locator("style").count() == 0
        assert watch.csp_violations(page) == []
        assert watch.page_errors == []
        assert watch.console_errors == []

        members_table = page.locator("table.units-table").first
        assert members_table.locator("tbody th", has_text="Łosice").count() == 1
        assert members_table.locator("tbody tr").count() == 16
        container = page.locator(".vega-map")
        assert container.get_attribute("role") == "img"
        assert container.get_attribute("aria-label")

    # axe-core needs a context that lets it in past the policy.
    with open_context(browser, bypass_csp=True) as context:
        page = context.new_page()
        page.goto(url)
        wait_for_charts(page)
        failures = axe_failures(page)
    assert not failures, "\n\n".join(failures)


def test_coordinator_logs_in_and_internal_pages_are_accessible(browser, site, demo):
    failures: list[str] = []
    with open_context(browser, bypass_csp=True) as context:
        page = context.new_page()

        # A failed attempt first: the error summary and field errors must be accessible too.
        log_in(page, site, COORDINATOR, "not-the-password")
        assert page.url.startswith(site + "/konto/logowanie/")
        assert page.locator(".form-errors").count() == 1
        failures += axe_failures(page, "(failed login)")

        log_in(page, site, COORDINATOR, PASSWORD)
        assert page.url == site + "/panel/", "the coordinator did not land on the dashboard"
        assert page.locator(f'main a[href="/p/{SLUG}/panel/"]').count() == 1

        for language in ("pl", "en"):
            if language != page.evaluate("document.documentElement.lang"):
                switch_language(page, language)
            for path in INTERNAL_PAGES:
                response = page.goto(site + path)
                assert response.status == 200, f"{path}: HTTP {response.status}"
                failures += axe_failures(page, f"[{language}]")

        # The invitation form sent empty: its field errors must be accessible as well.
        page.goto(site + f"/p/{SLUG}/czlonkowie/")
        with page.expect_navigation():
            page.locator("main form.stacked-form button[type=submit]").click()
        assert page.locator(".field-error").count() >= 1
        failures += axe_failures(page, "(invitation form with errors)")
    assert not failures, "\n\n".join(failures)


def test_public_pages_are_accessible_in_both_languages(browser, site, demo):
    failures: list[str] = []
    with open_context(browser, bypass_csp=True) as context:
        page = context.new_page()
        page.goto(site + "/")
        assert page.evaluate("document.documentElement.lang") == "pl"

        # The first Tab shows the skip link; following it moves focus to the main content.
        page.keyboard.press("Tab")
        skip = page.evaluate(
            """() => {
                 const el = document.activeElement;
                 const box = el.getBoundingClientRect();
                 return {cls: el.className, width: box.width, height: box.height};
               }"""
        )
        assert skip["cls"] == "skip-link" and skip["width"] > 50 and skip["height"] > 20, skip
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "content"
        for language in ("pl", "en"):
            if language != page.evaluate("document.documentElement.lang"):
                switch_language(page, language)
            for path in PUBLIC_PAGES:
                response = page.goto(site + path)
                assert response.status == 200, f"{path}: HTTP {response.status}"
                wait_for_charts(page)
                failures += axe_failures(page, f"[{language}]")
    assert not failures, "\n\n".join(failures)


def test_pages_fit_a_phone_screen(browser, site, demo):
    problems: list[str] = []

    def check(page, watch: PageWatch, path: str) -> None:
        response = page.goto(site + path)
        assert response.status == 200, f"{path}: HTTP {response.status}"
        wait_for_charts(page)
        violations = watch.csp_violations(page)
        if violations:
            problems.append(f"{path}: CSP violations {violations}")
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(f"{path} scrolls sideways at {PHONE['width']}px: {overflow}; "
                            f"wide elements: {wide_elements(page)}")

    with open_context(browser, viewport=PHONE) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        for path in PUBLIC_PAGES:
            check(page, watch, path)
            if path == PARTNERSHIP:
                summary = map_summary(page)
                assert summary["state"] == "ready" and summary["svg"], summary
        log_in(page, site, COORDINATOR, PASSWORD)
        for path in INTERNAL_PAGES:
            check(page, watch, path)
        assert watch.page_errors == []
        assert watch.console_errors == []

    # On a phone wide tables scroll inside their box: axe checks, among the rest,
    # that such a box can be scrolled with the keyboard.
    with open_context(browser, viewport=PHONE, bypass_csp=True) as context:
        page = context.new_page()
        for path in PUBLIC_PAGES:
            page.goto(site + path)
            wait_for_charts(page)
            problems += axe_failures(page, "(phone)")
        log_in(page, site, COORDINATOR, PASSWORD)
        for path in INTERNAL_PAGES:
            page.goto(site + path)
            problems += axe_failures(page, "(phone)")
    assert not problems, "\n\n".join(problems)
