"""Commenting on a consulted draft on a phone in a real browser, and axe-core's verdict
on the draft page and the comment form.

Uses the browser helpers of razem.core.tests.browser (Debian's Chromium through
Playwright, axe-core from npm). Skips without Chromium, except in CI.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from razem.consultations.actions import CommentInput, submit_comment
from razem.consultations.models import Comment, Scope
from razem.consultations.tests.factories import make_consultation, make_version
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

pytestmark = pytest.mark.browser

SLUG = "razem-dla-rozwoju"
PHONE = {"width": 390, "height": 844}
CHAPTERS = [
    ("Wprowadzenie", ["Diagnoza obejmuje 16 jednostek partnerstwa.",
                      "Dane pochodzą z Banku Danych Lokalnych GUS."]),
    ("Demografia", ["Liczba mieszkańców spada od 2010 roku.", "Wyjazdy młodych",
                    "Starzenie się", "tabela"]),
]


@pytest.fixture
def consultation(browser, transactional_db):
    cache.clear()
    load_demo_data()
    partnership = Partnership.objects.get(slug=SLUG)
    version = make_version(partnership, CHAPTERS)
    paragraphs = list(version.paragraphs.order_by("position"))
    for item in paragraphs[3:5]:
        item.kind = "list_item"
        item.save()
    paragraphs[5].kind = "table"
    paragraphs[5].cells = [["Gmina", "Ludność 2010", "Ludność 2023"],
                           ["Łosice", "7 201", "6 615"], ["Sarnaki", "5 012", "4 400"]]
    paragraphs[5].save()
    consultation = make_consultation(partnership, version=version, slug="test-przegladarka")
    for index in range(5):
        submit_comment(consultation=consultation, data=CommentInput(
            justification=f"Uwaga {index}: dane za 2008 rok pokazują inny trend.",
            proposed_wording="Liczba mieszkańców spada od 2008 roku.",
            author_name="Anna Nowak", category="resident", consent=True,
            organisation="Fundacja Nadbużańska" if index % 2 else ""),
            paragraph_anchor=paragraphs[2].anchor)
    return consultation


def draft_url(live_server, consultation) -> str:
    return f"{live_server.url}/p/{SLUG}/konsultacje/{consultation.slug}/"


def test_a_resident_comments_on_a_paragraph_from_a_phone(browser, live_server, consultation):
    paragraph = consultation.version.paragraphs.order_by("position").first()
    with open_context(browser, viewport=PHONE) as context:
        page = context.new_page()
        watch = PageWatch().attach(page)
        page.goto(draft_url(live_server, consultation))
        assert horizontal_overflow(page) is None, wide_elements(page)
        # On a phone the comments follow their paragraph (one column).
        block = page.locator(f"#p-{paragraph.anchor}")
        text_box = block.locator(".consult-text").bounding_box()
        side_box = block.locator(".consult-side").bounding_box()
        assert side_box["y"] >= text_box["y"] + text_box["height"] - 1

        with page.expect_navigation():
            block.locator("a.consult-action").click()
        assert f"akapit={paragraph.anchor}" in page.url
        assert horizontal_overflow(page) is None, wide_elements(page)
        page.fill("#id_proposed_wording", "Diagnoza obejmuje 16 jednostek i ich sąsiadów.")
        page.fill("#id_justification", "Sąsiednie gminy też korzystają z usług.")
        page.fill("#id_author_name", "Jan Kowalski")
        page.select_option("#id_category", "resident")
        page.fill("#id_email", "jan@example.org")
        page.check("#id_consent")
        with page.expect_navigation():
            page.locator("form.consult-form button[type=submit]").click()
        assert "/uwagi/dziekujemy/" in page.url
        assert page.locator("h1").count() == 1
        assert page.locator("main strong").first.inner_text().endswith("6")

        # Back on the draft, the new comment is beside its paragraph, without the name.
        page.goto(draft_url(live_server, consultation) + f"#p-{paragraph.anchor}")
        assert "Sąsiednie gminy" in block.inner_text()
        assert "Jan Kowalski" not in page.content()
        assert not watch.page_errors and not watch.csp_violations(page), (
            watch.page_errors, watch.console_errors)

    saved = Comment.objects.get(consultation=consultation, paragraph=paragraph)
    assert saved.scope == Scope.PARAGRAPH and saved.email == "jan@example.org"


def test_comments_sit_beside_the_text_on_a_wide_screen(browser, live_server, consultation):
    paragraph = consultation.version.paragraphs.order_by("position")[2]
    with open_context(browser) as context:
        page = context.new_page()
        page.goto(draft_url(live_server, consultation))
        block = page.locator(f"#p-{paragraph.anchor}")
        text_box = block.locator(".consult-text").bounding_box()
        side_box = block.locator(".consult-side").bounding_box()
        assert side_box["x"] > text_box["x"] + text_box["width"] - 1
        # Five comments: the list starts folded and opens without a script.
        details = block.locator("details")
        assert details.get_attribute("open") is None
        details.locator("summary").click()
        assert details.get_attribute("open") is not None


def test_the_draft_and_the_form_pass_axe(browser, live_server, consultation):
    paragraph = consultation.version.paragraphs.order_by("position").first()
    failures: list[str] = []

    def check(page, label: str) -> None:
        violations = run_axe(page)
        if violations:
            failures.append(describe_violations(f"{page.url} ({label})", violations))

    with open_context(browser, bypass_csp=True, viewport=PHONE) as context:
        page = context.new_page()
        page.goto(draft_url(live_server, consultation))
        page.locator("details").first.evaluate("(el) => el.open = true")
        check(page, "draft")
        page.goto(draft_url(live_server, consultation) + f"uwagi/nowa/?akapit={paragraph.anchor}")
        check(page, "form")
        # Sent empty: the error summary and the messages by the fields.
        with page.expect_navigation():
            page.locator("form.consult-form button[type=submit]").click()
        assert page.locator("#error-summary").is_visible()
        assert page.locator("#error-summary a[href='#id_justification']").count() == 1
        assert horizontal_overflow(page) is None, wide_elements(page)
        check(page, "form with errors")
        page.goto(draft_url(live_server, consultation) + "ogloszenie/")
        check(page, "notice")
        page.goto(f"{live_server.url}/p/{SLUG}/konsultacje/")
        check(page, "list")
    assert not failures, "\n\n".join(failures)
