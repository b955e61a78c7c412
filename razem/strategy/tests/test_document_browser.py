"""The strategy document page in a real browser on a phone: no sideways scrolling, no
serious or critical axe-core violations; sending the document to
consultation from the page lands on the new draft."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from razem.conftest import PASSWORD
from razem.core.models import Partnership, User
from razem.core.tests.browser import (
    PageWatch,
    describe_violations,
    horizontal_overflow,
    log_in,
    open_context,
    run_axe,
    wide_elements,
)
from razem.strategy.demo import ensure_strategy
from razem.strategy.document import register_report

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
SLUG = "razem-dla-rozwoju"


@pytest.fixture
def strategy(browser, transactional_db):
    # The demo without the data pack is enough here: the page shows no map.
    call_command("load_demo", data_dir=Path("/nonexistent"), stdout=io.StringIO())
    register_report()
    partnership = Partnership.objects.get(slug=SLUG)
    users = [User.objects.get(email=email) for email in (
        "koordynator@razem.demo", "urzednik.losice@razem.demo", "doradca@razem.demo")]
    return ensure_strategy(partnership, *users)


def test_the_document_page_passes_axe_and_sends_to_consultation(browser, live_server,
                                                                 strategy):
    url = live_server.url + reverse("strategy:document", args=[SLUG])
    with open_context(browser, bypass_csp=True, viewport=PHONE) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        log_in(page, live_server.url, "koordynator@razem.demo", PASSWORD)
        page.goto(url)
        assert horizontal_overflow(page) is None, wide_elements(page)
        violations = run_axe(page)
        assert not violations, describe_violations(page.url, violations)
        with page.expect_navigation():
            page.locator("main form[action$='/do-konsultacji/'] button[type=submit]").click()
        strategy.refresh_from_db()
        assert strategy.draft is not None
        assert page.url.endswith(reverse("consultations:draft_detail",
                                         args=[SLUG, strategy.draft.pk]))
        # Back on the page: the draft is named and the form offers a new version.
        page.goto(url)
        assert page.locator("#id_note").count() == 1
        violations = run_axe(page)
        assert not violations, describe_violations(page.url, violations)
        assert not watch.page_errors
