"""The "Portret partnerstwa" report: what the document holds, and that it renders."""

from __future__ import annotations

import pytest
from django.utils import translation

from razem.portrait.models import DiagnosisConclusion
from razem.portrait.reports import KIND, build_portrait_document
from razem.reports import document as doc
from razem.reports import registry, render


def _build(partnership, language="pl") -> doc.Document:
    with translation.override(language):
        return build_portrait_document(partnership, language=language,
                                       progress=lambda percent, message: None)


def _headings(document: doc.Document) -> list[str]:
    return [section.heading for section in document.sections]


def test_the_portrait_report_is_registered_for_members():
    entry = registry.get(KIND)

    assert entry is not None and entry.permission == "portrait.view"
    with translation.override("pl"):
        assert str(entry.title) == "Portret partnerstwa"


def test_the_document_has_a_section_per_dimension_and_one_per_indicator(small_data,
                                                                        partnership_a):
    document = _build(partnership_a)

    headings = _headings(document)
    for heading in ("Wymiar: społeczny", "Wymiar: gospodarczy", "Wymiar: środowiskowo-przestrzenny",
                    "Udział bezrobotnych zarejestrowanych w ludności w wieku produkcyjnym",
                    "Wnioski z diagnozy", "Metodologia", "Źródła"):
        assert heading in headings
    assert document.title == "Portret partnerstwa"
    assert document.subtitle.startswith(partnership_a.name)


def test_every_chart_carries_its_data_and_a_table(small_data, partnership_a):
    charts = _build(partnership_a).charts()

    assert charts
    for chart in charts:
        assert "values" in chart.vega_lite_spec["data"] and chart.table.rows, chart.title


def test_the_conclusions_are_in_the_report_by_kind(small_data, partnership_a):
    DiagnosisConclusion.objects.create(partnership=partnership_a, kind="weakness",
                                       text="Wysokie bezrobocie w Sarnakach.")

    section = next(s for s in _build(partnership_a).sections
                   if s.heading == "Wnioski z diagnozy")

    lists = [block.items for block in section.blocks if isinstance(block, doc.BulletList)]
    assert lists == [["Wysokie bezrobocie w Sarnakach."]]
    notes = [block.text for block in section.blocks if isinstance(block, doc.Note)]
    assert notes == ["Jeszcze żadnych nie zapisano."] * 2  # no strengths, no challenges


def test_sources_name_the_local_data_bank(small_data, partnership_a):
    document = _build(partnership_a)

    sources = [block.text for section in document.sections for block in section.blocks
               if isinstance(block, doc.Source)]
    assert "Źródło: GUS, Bank Danych Lokalnych" in sources


def test_the_english_report_is_in_english(small_data, partnership_a):
    headings = _headings(_build(partnership_a, "en"))

    assert "Conclusions of the diagnosis" in headings and "Dimension: economic" in headings


def test_without_data_the_report_explains_why_it_cannot_be_made(partnership_a):
    with pytest.raises(registry.ReportError, match="Nie zaimportowano jeszcze danych"):
        _build(partnership_a)


def test_the_first_sections_render_to_docx_and_pdf(small_data, partnership_a):
    document = _build(partnership_a)
    # The overview and the first dimension with its indicators: every kind of chart and
    # table, in a fraction of the time of the whole document.
    document.sections = document.sections[:3]

    assert render.render_docx(document)[:2] == b"PK"
    assert render.render_pdf(document)[:5] == b"%PDF-"


def _text_of_pdf(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _text_of_docx(data: bytes) -> str:
    import io

    from docx import Document as Docx

    parsed = Docx(io.BytesIO(data))
    cells = [cell.text for table in parsed.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in parsed.paragraphs] + cells)


def test_both_formats_open_and_hold_the_conclusions_and_the_sources(small_data, partnership_a):
    DiagnosisConclusion.objects.create(partnership=partnership_a, kind="challenge",
                                       text="Zatrzymać odpływ młodych mieszkańców.")
    document = _build(partnership_a)
    # The conclusions, the methodology and the sources, without the long indicator sections.
    document.sections = [s for s in document.sections
                         if s.heading in ("Wnioski z diagnozy", "Metodologia", "Źródła")]

    for text in (_text_of_pdf(render.render_pdf(document)),
                 _text_of_docx(render.render_docx(document))):
        flat = " ".join(text.split())
        assert "Zatrzymać odpływ młodych mieszkańców." in flat
        assert "GUS, Bank Danych Lokalnych" in flat
        assert "Metodologia" in flat
