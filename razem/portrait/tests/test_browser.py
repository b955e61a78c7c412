"""The portrait in a real browser: charts and maps draw under the strict CSP, pages pass axe.

Uses the browser helpers of razem.core.tests.browser (Debian's Chromium through
Playwright, axe-core from npm). Skips without Chromium, except in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from razem.core.models import Partnership, User
from razem.core.tests.browser import (
    PageWatch,
    describe_violations,
    load_demo_data,
    log_in,
    open_context,
    run_axe,
    wait_for_charts,
)
from razem.indicators.importing import import_paths
from razem.portrait import actions, data

pytestmark = pytest.mark.browser

SLUG = "razem-dla-rozwoju"
EXPORTS = Path(settings.RAZEM_DATA_DIR) / "bdl" / "exports"
# Enough for every kind of chart, and quick to import.
FILES = ["ludnosc_ogol_przed_poprod.csv", "bezrobocie.csv", "dochody_na_mieszk_2016-2019.csv",
         "wodkangaz.csv"]
PAGES = [
    f"/p/{SLUG}/portret/",
    f"/p/{SLUG}/portret/wymiar/economic/",
    f"/p/{SLUG}/portret/wskaznik/unemployment_rate/",
    f"/p/{SLUG}/portret/jednostka/1410023/",
    f"/p/{SLUG}/portret/kandydaci/",
    f"/p/{SLUG}/portret/metodologia/",
]


@pytest.fixture
def published_portrait(browser, transactional_db) -> None:
    if not all((EXPORTS / name).is_file() for name in FILES):
        pytest.skip(f"BDL exports not found under {EXPORTS} (set RAZEM_DATA_DIR)")
    cache.clear()
    data.clear_cache()
    demo = load_demo_data()
    if not demo.with_boundaries:
        pytest.skip("boundaries of the data pack not found: the maps would be empty")
    import_paths([EXPORTS / name for name in FILES])
    actions.set_published(partnership=Partnership.objects.get(slug=SLUG),
                          by=User.objects.get(email="koordynator@razem.demo"), published=True)


def _chart_states(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll("[data-spec-id]")]
             .map((el) => el.getAttribute("data-chart-state"))""")


def test_charts_and_maps_draw_under_the_csp_on_every_portrait_page(browser, live_server,
                                                                   published_portrait):
    failures = []
    with open_context(browser) as context:
        for path in PAGES:
            page = context.new_page()
            watch = PageWatch().attach(page)
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{path}: HTTP {response.status}"
            wait_for_charts(page)
            states = _chart_states(page)
            if any(state != "ready" for state in states):
                failures.append(f"{path}: chart states {states}")
            if watch.csp_violations(page) or watch.page_errors:
                failures.append(f"{path}: CSP {watch.csp_violations(page)}, "
                                f"errors {watch.page_errors}")
            if path == PAGES[0]:
                # The overview's map draws every member gmina (the powiat is in the table).
                shapes = page.locator("#content .vega-map .mark-shape path").count()
                if shapes != 15:
                    failures.append(f"{path}: {shapes} shapes on the map, expected 15")
            page.close()
    assert not failures, "\n".join(failures)


def test_portrait_pages_pass_axe_for_the_public_and_the_coordinator(browser, live_server,
                                                                    published_portrait):
    failures: list[str] = []
    with open_context(browser, bypass_csp=True) as context:
        page = context.new_page()
        for path in PAGES:
            page.goto(live_server.url + path)
            wait_for_charts(page)
            violations = run_axe(page)
            if violations:
                failures.append(describe_violations(page.url, violations))
        log_in(page, live_server.url, "koordynator@razem.demo", "razem-demo-2026")
        for path in (PAGES[0], f"/p/{SLUG}/portret/wnioski/"):
            page.goto(live_server.url + path)
            wait_for_charts(page)
            violations = run_axe(page)
            if violations:
                failures.append(describe_violations(page.url + " (coordinator)", violations))
    assert not failures, "\n\n".join(failures)
