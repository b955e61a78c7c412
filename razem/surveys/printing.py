"""PDFs printed from the survey pages: the poster and the one-time code cards.

Rendered synchronously with WeasyPrint (a poster takes well under a second, 500 cards
about two): both are one click away on the survey page and must not wait for the
report queue. Everything the layout needs is inline (data: URIs) or the stylesheet
beside this module, and nothing else is fetched.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from razem.surveys import qr
from razem.surveys.models import Survey

PRINT_CSS = Path(__file__).with_name("print.css")


def write_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # heavy import, only where PDFs are made
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data", "file"})
    document = HTML(string=html, base_url=str(PRINT_CSS.parent), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS), url_fetcher=fetcher)])


def poster_pdf(survey: Survey, url: str) -> bytes:
    """One A4 page: the title, an invitation, the QR code, the address and the dates."""
    context = {
        "survey": survey,
        "partnership": survey.partnership,
        "url": url,
        "qr": qr.data_uri(qr.svg(url), "image/svg+xml"),
        "language": translation.get_language() or "pl",
    }
    return write_pdf(render_to_string("surveys/poster.html", context))


CARDS_PER_PAGE = 8


def cards_pdf(survey: Survey, codes: list[str], url: str) -> bytes:
    """Cards of one batch, eight to an A4 page, cut along the lines.

    About 10 ms a card (WeasyPrint lays out every text run anew): a class of 30 takes
    a fraction of a second, the largest batch (500) several seconds."""
    context = {
        "survey": survey,
        "partnership": survey.partnership,
        "url": url,
        # A PNG: WeasyPrint draws one decoded bitmap hundreds of times much faster
        # than it parses the same SVG again for every card.
        "qr": qr.data_uri(qr.png(url, scale=8), "image/png"),
        # One list per sheet: WeasyPrint then places at most eight floats at a time.
        "pages": [codes[start:start + CARDS_PER_PAGE]
                  for start in range(0, len(codes), CARDS_PER_PAGE)],
        "language": translation.get_language() or "pl",
    }
    return write_pdf(render_to_string("surveys/cards_print.html", context))
