"""The draft pages in a real browser on a phone: no sideways scrolling, no serious or
critical axe-core violations (the comparison's marks, the tables, the upload form with
its errors)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from razem.conftest import PASSWORD
from razem.consultations import drafting_actions
from razem.consultations.tests.test_draft_actions import V1, V2
from razem.core.models import Partnership, User
from razem.core.tests.browser import (
    PageWatch,
    describe_violations,
    horizontal_overflow,
    load_demo_data,
    log_in,
    open_context,
    run_axe,
    wide_elements,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
TABLE = ("\n| Wskaźnik | Wartość bazowa (2024) | Wartość docelowa (2035) |\n|---|---|---|\n"
         "| Saldo migracji na 1000 mieszkańców | -4,1 | -1,5 |\n")


@pytest.fixture
def draft(browser, transactional_db):
    load_demo_data()
    coordinator = User.objects.get(email="koordynator@razem.demo")
    draft = drafting_actions.create_draft(
        partnership=Partnership.objects.get(slug="razem-dla-rozwoju"), title="Projekt diagnozy",
        kind="diagnosis", by=coordinator, source="markdown", name="", content=V1 + TABLE)
    drafting_actions.add_version(draft=draft, by=coordinator, source="markdown", name="",
                                 content=V2 + TABLE.replace("-1,5", "-2,0"))
    return draft


def test_the_draft_pages_pass_axe_on_a_phone(browser, live_server, draft):
    slug = draft.partnership.slug
    pages = [
        reverse("consultations:drafts", args=[slug]),
        reverse("consultations:draft_detail", args=[slug, draft.pk]),
        reverse("consultations:version_detail", args=[slug, draft.pk, 2]),
        reverse("consultations:version_diff", args=[slug, draft.pk, 2]),
    ]
    failures: list[str] = []
    with open_context(browser, bypass_csp=True, viewport=PHONE) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        log_in(page, live_server.url, "koordynator@razem.demo", PASSWORD)
        for path in pages:
            page.goto(live_server.url + path)
            assert horizontal_overflow(page) is None, (path, wide_elements(page))
            if violations := run_axe(page):
                failures.append(describe_violations(page.url, violations))
        # The upload form re-shown with its error.
        page.goto(live_server.url + reverse("consultations:draft_create", args=[slug]))
        page.fill("#id_title", "Pusty")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert page.locator(".form-errors").count() == 1
        if violations := run_axe(page):
            failures.append(describe_violations(page.url + " (errors)", violations))
        assert not watch.page_errors
    assert not failures, "\n\n".join(failures)
