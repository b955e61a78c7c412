"""The ranking page in a real browser: the rank-range chart draws under the strict CSP,
and axe-core finds no serious or critical problem (public page of a published strategy,
and the coordinator's weights and scores pages)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from razem.conftest import PASSWORD
from razem.core.models import Partnership
from razem.core.tests.browser import (
    PageWatch,
    assert_axe_clean,
    load_demo_data,
    log_in,
    open_context,
    wait_for_charts,
)
from razem.strategy.tests.test_ranking_fixtures import seed_ranking

pytestmark = pytest.mark.browser

SLUG = "razem-dla-rozwoju"


@pytest.fixture
def published(browser, transactional_db):
    cache.clear()
    load_demo_data()
    return seed_ranking(Partnership.objects.get(slug=SLUG), published=True)


def test_the_ranking_page_draws_its_chart_and_passes_axe(browser, live_server, published):
    url = f"{live_server.url}/p/{SLUG}/strategia/ranking/"
    with open_context(browser) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        page.goto(url)
        wait_for_charts(page)
        assert page.locator(".rank-ranges").get_attribute("data-chart-state") == "ready"
        assert page.locator("#results tbody tr").count() == 3
        assert not watch.page_errors and not watch.csp_violations(page)
    with open_context(browser, bypass_csp=True) as context:
        page = context.new_page()
        page.goto(url)
        wait_for_charts(page)
        assert_axe_clean(page)


def test_the_coordinator_s_weights_and_scores_pages_pass_axe(browser, live_server, published):
    with open_context(browser, bypass_csp=True) as context:
        page = context.new_page()
        log_in(page, live_server.url, "koordynator@razem.demo", PASSWORD)
        for path in ("wagi/", "oceny/", "kryteria/", "sprawdzenie/"):
            page.goto(f"{live_server.url}/p/{SLUG}/strategia/ranking/{path}")
            assert_axe_clean(page)


def test_checking_an_exported_file_says_identical_and_passes_axe(browser, live_server,
                                                                 published, tmp_path):
    from razem.strategy.ranking_actions import problem_for

    exported = tmp_path / "razem-ranking.json"
    exported.write_text(problem_for(published.strategy).to_json(), encoding="utf-8")
    with open_context(browser, bypass_csp=True) as context:
        page = context.new_page()
        log_in(page, live_server.url, "obserwator@razem.demo", PASSWORD)
        page.goto(f"{live_server.url}/p/{SLUG}/strategia/ranking/sprawdzenie/")
        page.set_input_files("input[type=file]", str(exported))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert page.locator("#verdict").get_attribute("data-same-ranking") == "true"
        wait_for_charts(page)
        assert_axe_clean(page)
