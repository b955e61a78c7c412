from __future__ import annotations

import io

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from razem.reports.document import Chart, Document, Section, Table
from razem.reports.render import chart_svg, render_docx, render_pdf
from razem.reports.tests.samples import SOURCE, short_document


@pytest.fixture(scope="module")
def pdf() -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(render_pdf(short_document())))


@pytest.fixture(scope="module")
def word() -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(short_document())))


def _pdf_text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_holds_the_headings_conclusions_and_source_in_polish(pdf):
    text = _pdf_text(pdf)
    assert "Demografia" in text
    assert "Wnioski" in text
    assert SOURCE in text


def test_pdf_holds_the_numbers_of_the_chart_in_a_table(pdf):
    assert "Ludność gmin w latach 2015–2023" in _pdf_text(pdf)


def test_pdf_has_a_title_page_without_a_page_number_then_numbered_pages(pdf):
    assert "Portret partnerstwa" in pdf.pages[0].extract_text()
    assert "1 /" not in pdf.pages[0].extract_text()
    last = len(pdf.pages)
    assert f"{last} / {last}" in pdf.pages[-1].extract_text()


def test_pdf_carries_its_title_and_language_for_assistive_technology(pdf):
    assert pdf.metadata.title == "Portret partnerstwa „Razem dla Rozwoju”"
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "pl"
    assert "/StructTreeRoot" in root  # tagged


def test_docx_holds_the_headings_conclusions_and_source(word):
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Demografia" in text
    assert "Wnioski" in text
    assert SOURCE in text


def test_docx_sections_use_real_heading_styles(word):
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Head")]
    assert headings == [("Heading 1", "Demografia"), ("Heading 2", "Rynek pracy")]


def test_docx_chart_is_an_inline_picture_with_alternative_text(word):
    assert len(word.inline_shapes) == 1
    doc_pr = word.inline_shapes[0]._inline.docPr
    assert doc_pr.get("descr") == "Liczba ludności maleje powoli we wszystkich gminach."


def test_docx_chart_is_followed_by_its_data_table(word):
    chart_table = word.tables[1]
    assert [c.text for c in chart_table.rows[0].cells] == ["Gmina", "Rok", "Ludność"]
    assert chart_table.rows[1].cells[0].text == "Łosice"


def test_docx_table_header_row_repeats_on_each_page(word):
    tr_pr = word.tables[0].rows[0]._tr.trPr
    assert tr_pr.find(qn("w:tblHeader")) is not None


def test_docx_numbers_are_formatted_for_polish_readers(word):
    assert word.tables[0].rows[1].cells[2].text == "1\u00a0222,5"
    assert word.tables[0].rows[2].cells[2].text == "–"


def test_docx_declares_polish_as_its_language(word):
    assert word.core_properties.language == "pl-PL"
    assert word.core_properties.title == "Portret partnerstwa „Razem dla Rozwoju”"


def test_chart_with_a_data_url_is_refused_rather_than_fetched():
    chart = Chart("Mapa", {"data": {"url": "https://example.com/mapa.json"}, "mark": "point",
                           "encoding": {"x": {"field": "a", "type": "quantitative"}}},
                  Table("t", ["a"], []))
    with pytest.raises(ValueError, match="not allowed"):
        chart_svg(chart)


def test_english_document_is_declared_english():
    document = Document("Portrait", language="en", sections=[
        Section("Population", blocks=[Table("t", ["Gmina", "Pop."], [["Łosice", "6843"]])]),
    ])
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(document)))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "Population" in _pdf_text(reader)


def _figures(node) -> list:
    node = node.get_object()
    found = [node] if node.get("/S") == "/Figure" else []
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
        if hasattr(kid.get_object(), "get"):
            found += _figures(kid)
    return found


def test_pdf_chart_is_a_tagged_figure_with_alternative_text(pdf):
    figures = _figures(pdf.trailer["/Root"]["/StructTreeRoot"])
    assert [f["/Alt"] for f in figures] == ["Liczba ludności maleje powoli we wszystkich gminach."]
