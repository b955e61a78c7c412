"""The upload flow in headless Chromium: accessible (axe-core), fits a phone, CSP-clean."""

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
    wide_elements,
)
from razem.indicators.models import ImportRun
from razem.indicators.tests.bdl_samples import ROWS, export

pytestmark = pytest.mark.browser

PASSWORD = "razem-demo-2026"
COORDINATOR = "koordynator@razem.demo"
DATA = "/p/razem-dla-rozwoju/dane/"


@pytest.fixture
def site(browser, live_server, transactional_db) -> str:
    cache.clear()
    load_demo_data()
    return live_server.url


def _upload(page, site: str, data: bytes, name: str = "ludnosc_ogol_przed_poprod.csv") -> None:
    page.goto(site + DATA + "import/")
    page.set_input_files('input[type="file"]', files=[
        {"name": name, "mimeType": "text/csv", "buffer": data}])
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _check(page, problems: list[str], label: str, *, phone: bool) -> None:
    violations = run_axe(page)
    if violations:
        problems.append(describe_violations(f"{page.url} {label}", violations))
    if phone and (overflow := horizontal_overflow(page)):
        problems.append(f"{page.url} {label} scrolls sideways: {overflow} {wide_elements(page)}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_upload_preview_and_import_pages_are_accessible(browser, site, viewport):
    phone = viewport == PHONE
    problems: list[str] = []
    with open_context(browser, bypass_csp=True, viewport=viewport) as context:
        page = context.new_page()
        log_in(page, site, COORDINATOR, PASSWORD)

        page.goto(site + DATA + "import/")
        _check(page, problems, "(upload form)", phone=phone)

        _upload(page, site, export(ROWS[0], '1410012;"Huszlew (2)";2870;12,3,4;'))
        assert page.locator(".form-errors li").count() == 1
        _check(page, problems, "(file with errors)", phone=phone)

        _upload(page, site, export(*ROWS, '0201011;"Bolesławiec (1)";1;2;'))
        assert "/dane/import/" in page.url and page.locator("main table").count() == 2
        _check(page, problems, "(preview)", phone=phone)

        runs = ImportRun.objects.count()  # the demo may have imported the data pack
        with page.expect_navigation():
            page.locator('button[name="action"][value="import"]').click()
        assert ImportRun.objects.count() == runs + 1
        _check(page, problems, "(import run)", phone=phone)

        page.goto(site + DATA)
        _check(page, problems, "(imports)", phone=phone)
    assert not problems, "\n\n".join(problems)


def test_upload_flow_runs_under_the_csp_without_errors(browser, site):
    with open_context(browser) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        log_in(page, site, COORDINATOR, PASSWORD)
        _upload(page, site, export())
        with page.expect_navigation():
            page.locator('button[name="action"][value="import"]').click()

        assert page.locator(".message-success").count() == 1
        assert watch.csp_violations(page) == []
        assert watch.page_errors == [] and watch.console_errors == []
