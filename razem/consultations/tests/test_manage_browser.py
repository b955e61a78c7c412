"""The staff pages that run a consultation in headless Chromium: WCAG 2.1 AA (axe-core),
the strict CSP, and a phone-sized screen, including pages showing form errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from razem.consultations.models import CommentChannel, Meeting, Position
from razem.consultations.tests.factories import make_consultation, make_version
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
    version = make_version(partnership, title="Projekt strategii (przeglądarka)")
    make_version(partnership, draft=version.draft)
    review = make_consultation(partnership, phase="review", version=version, slug="przeglad")
    for index in range(3):
        paragraph = version.paragraphs.order_by("position")[index]
        review.comments.create(
            scope="paragraph", paragraph=paragraph, chapter=paragraph.chapter,
            justification=f"Uwaga nr {index} <b>bez HTML</b>", author_name="Jan Kowalski",
            category="resident", consent=True, channel=CommentChannel.PAPER,
            received_on=review.notice_published_on, email="jan@example.org")
    first = review.comments.first()
    Position.objects.create(comment=first, outcome="partly_accepted", justification="Częściowo")
    preparation = make_consultation(partnership, phase="preparation", slug="przygotowanie")
    opened = make_consultation(partnership, phase="open", slug="otwarte")
    Meeting.objects.create(consultation=opened, place="Łosice, Starostwo",
                           starts_at=timezone.now() - timedelta(days=1))
    Meeting.objects.create(consultation=opened, place="Sarnaki, GOK",
                           starts_at=timezone.now() + timedelta(days=2))
    base = f"/p/{SLUG}/konsultacje/zarzadzanie/"
    return {
        "create": base + "nowe/",
        "workspace_review": f"{base}{review.pk}/",
        "workspace_preparation": f"{base}{preparation.pk}/",
        "workspace_open": f"{base}{opened.pk}/",
        "edit": f"{base}{preparation.pk}/edycja/",
        "extend": f"{base}{opened.pk}/edycja/",
        "meetings": f"{base}{opened.pk}/spotkania/",
        "enter_comment": f"{base}{review.pk}/uwagi/nowa/",
        "comment": f"{base}{review.pk}/uwagi/{first.pk}/",
        "enter_comment_open": f"{base}{opened.pk}/uwagi/nowa/",
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


def test_consultation_staff_pages_are_accessible_on_a_phone(browser, live_server, pages):
    site = live_server.url
    paths = pages
    problems: list[str] = []
    with open_context(browser, viewport=PHONE) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        log_in(page, site, COORDINATOR, PASSWORD)
        for name, path in paths.items():
            response = page.goto(site + path)
            assert response.status == 200, f"{path}: HTTP {response.status}"
            problems += _problems(page, watch, name)
        assert watch.page_errors == [] and watch.console_errors == []

    with open_context(browser, viewport=PHONE, bypass_csp=True) as context:
        page = context.new_page()
        log_in(page, site, COORDINATOR, PASSWORD)
        for name, path in paths.items():
            page.goto(site + path)
            problems += _axe(page, name)

        page.goto(site + pages["create"])
        page.fill("#id_slug", "Zła nazwa!")
        with page.expect_navigation():
            page.locator("main form.stacked-form button[type=submit]").click()
        assert page.locator(".form-errors a[href='#id_slug']").count() == 1
        problems += _axe(page, "(create with errors)")

        page.goto(site + pages["enter_comment"])
        with page.expect_navigation():
            page.locator("main form.stacked-form button[type=submit]").first.click()
        assert page.locator(".field-error").count() >= 1
        problems += _axe(page, "(staff comment with errors)")
        problems += [p for p in [horizontal_overflow(page)] if p]

        page.goto(site + pages["comment"])
        with page.expect_navigation():
            page.locator("#hide-form button[type=submit]").click()
        assert page.locator("#hide-form .field-error").count() == 1
        problems += _axe(page, "(hide without a reason)")
    assert not problems, "\n\n".join(str(p) for p in problems)
