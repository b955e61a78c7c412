"""Turn a `Document` into PDF (WeasyPrint) or DOCX (python-docx).

Charts are drawn from their Vega-Lite specs by vl-convert, offline: external
data URLs are refused (`allowed_base_urls=[]`), so a report never waits on
the network; specs must carry their data (see `document.inline_data`).
"""

from __future__ import annotations

import base64
import copy
import io
import logging
from pathlib import Path
from typing import Any

import docx
import vl_convert
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from razem.reports.document import Chart, Document, Table

logger = logging.getLogger(__name__)

PRINT_CSS = Path(__file__).with_name("print.css")
# The plot width of a chart in CSS pixels. The A4 text column (170 mm) is
# about 640 px; axes and a legend on the side add up to ~150 px, and a drawing
# wider than the column is scaled down (its text with it).
PRINT_WIDTH = 480
FONT = "DejaVu Sans"
# The same legible defaults as razem/static/razem/charts.js, with a font that
# exists on the server (vl-convert and WeasyPrint both find it via fontconfig).
CHART_CONFIG: dict[str, Any] = {
    "font": FONT,
    "legend": {"labelFontSize": 12, "labelColor": "#1b1b1b", "labelLimit": 0,
               "titleFontSize": 12},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1b1b1b",
             "titleColor": "#1b1b1b"},
    "title": {"fontSize": 14, "color": "#1b1b1b"},
}
# d3's own pl-PL locale groups thousands with a dot; Polish (and GUS) use a space.
_FORMAT_LOCALES: dict[str, Any] = {
    "pl": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0zł"]},
    "en": "en-US",
}
_TIME_LOCALES = {"pl": "pl-PL", "en": "en-US"}


def print_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of a page's spec sized for paper: no "container" width on paper."""
    spec = copy.deepcopy(spec)
    if spec.get("width") in (None, "container"):
        spec["width"] = PRINT_WIDTH
    if spec.get("height") == "container":
        spec["height"] = 300
    return spec


def _convert_options(language: str) -> dict[str, Any]:
    return {
        "config": CHART_CONFIG,
        "allowed_base_urls": [],  # never fetch anything while rendering
        "format_locale": _FORMAT_LOCALES.get(language, "en-US"),
        "time_format_locale": _TIME_LOCALES.get(language, "en-US"),
    }


def chart_svg(chart: Chart, language: str = "pl") -> str:
    return vl_convert.vegalite_to_svg(print_spec(chart.vega_lite_spec), **_convert_options(language))


def chart_png(chart: Chart, language: str = "pl", scale: float = 2) -> bytes:
    return vl_convert.vegalite_to_png(
        print_spec(chart.vega_lite_spec), scale=scale, **_convert_options(language)
    )


# --- PDF -------------------------------------------------------------------


def _table_context(table: Table, language: str) -> dict[str, Any]:
    return {
        "caption": table.caption,
        "columns": table.columns,
        "rows": [
            list(zip(cells, table.columns))
            for cells in table.formatted_rows(language)
        ],
    }


def document_html(doc: Document) -> str:
    """The HTML WeasyPrint lays out; never served to a browser (so no CSP)."""
    sections = []
    for number, section in enumerate(doc.sections, start=1):
        blocks = []
        for block in section.blocks:
            item: dict[str, Any] = {"kind": block.kind, "block": block}
            if isinstance(block, Chart):
                svg = chart_svg(block, doc.language).encode("utf-8")
                item["image"] = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
                item["table"] = _table_context(block.table, doc.language)
            elif isinstance(block, Table):
                item["table"] = _table_context(block, doc.language)
            blocks.append(item)
        sections.append({
            "anchor": f"s{number}",
            "heading": section.heading,
            "tag": f"h{section.level + 1}",
            "level": section.level,
            "blocks": blocks,
        })
    with translation.override(doc.language):
        return render_to_string("reports/document.html", {"document": doc, "sections": sections})


def render_pdf(doc: Document) -> bytes:
    """A tagged PDF (PDF/UA-1 where WeasyPrint manages it) with a title page,
    a table of contents, page numbers and table headers repeated on each page."""
    from weasyprint import CSS, HTML  # heavy import, only where PDFs are made
    from weasyprint.urls import URLFetcher

    # Everything the layout needs is inline (data: URIs) or our own stylesheet;
    # refusing other schemes keeps a stray URL in a text from reaching the network.
    fetcher = URLFetcher(allowed_protocols={"data", "file"})
    html = HTML(string=document_html(doc), base_url=str(PRINT_CSS.parent), url_fetcher=fetcher)
    stylesheets = [CSS(filename=str(PRINT_CSS), url_fetcher=fetcher)]
    try:
        return html.write_pdf(stylesheets=stylesheets, pdf_variant="pdf/ua-1", pdf_tags=True)
    except Exception:
        # PDF/UA is best effort: an untagged PDF is better than no report.
        logger.warning("PDF/UA-1 rendering failed, writing a plain PDF", exc_info=True)
        return html.write_pdf(stylesheets=stylesheets)


# --- DOCX ------------------------------------------------------------------

DOCX_IMAGE_WIDTH_CM = 16.0


def render_docx(doc: Document) -> bytes:
    """A DOCX with real heading styles, header rows marked to repeat, and
    charts as PNG pictures with alternative text followed by their data."""
    word = docx.Document()
    language_tag = {"pl": "pl-PL", "en": "en-GB"}.get(doc.language, doc.language)
    _set_default_language(word, language_tag)
    props = word.core_properties
    props.title = doc.title
    props.subject = doc.subtitle
    props.author = doc.meta.author or doc.meta.publisher
    props.language = language_tag

    with translation.override(doc.language):
        # Title page.
        word.add_paragraph(doc.title, style="Title")
        if doc.subtitle:
            word.add_paragraph(doc.subtitle, style="Subtitle")
        for line in _meta_lines(doc):
            word.add_paragraph(line)
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _add_page_number_footer(word)

        for section in doc.sections:
            word.add_heading(section.heading, level=section.level)
            for block in section.blocks:
                if block.kind == "paragraph":
                    word.add_paragraph(block.text)
                elif block.kind == "bullets":
                    for entry in block.items:
                        word.add_paragraph(entry, style="List Bullet")
                elif block.kind == "table":
                    _add_docx_table(word, block, doc.language)
                elif block.kind == "chart":
                    png = chart_png(block, doc.language, scale=2)
                    holder = word.add_paragraph()
                    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    picture = holder.add_run().add_picture(
                        io.BytesIO(png), width=Cm(DOCX_IMAGE_WIDTH_CM))
                    # Word's "alt text" fields, read by screen readers.
                    picture._inline.docPr.set("descr", block.alt_text)
                    picture._inline.docPr.set("title", block.title)
                    word.add_paragraph(block.title, style="Caption")
                    _add_docx_table(word, block.table, doc.language)
                elif block.kind in ("note", "source"):
                    paragraph = word.add_paragraph()
                    run = paragraph.add_run(block.text)
                    run.italic = True
                    run.font.size = Pt(9)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _meta_lines(doc: Document) -> list[str]:
    lines = [doc.meta.publisher, doc.meta.author]
    if doc.meta.date:
        lines.append(_date_text(doc))
    return [line for line in lines if line]


def _date_text(doc: Document) -> str:
    assert doc.meta.date is not None
    with translation.override(doc.language):
        return date_format(doc.meta.date, "j E Y" if doc.language == "pl" else "j F Y")


def _add_docx_table(word, table: Table, language: str) -> None:
    word.add_paragraph(table.caption, style="Caption")
    grid = word.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    # Marks the row as a header: Word repeats it on each page and screen
    # readers announce the column names.
    tr_pr = header._tr.get_or_add_trPr()
    tbl_header = OxmlElement("w:tblHeader")
    tbl_header.set(qn("w:val"), "true")
    tr_pr.append(tbl_header)
    for cell, column in zip(header.cells, table.columns):
        cell.text = ""
        run = cell.paragraphs[0].add_run(column.label)
        run.bold = True
        if column.numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), "DCE6EE")
        cell._tc.get_or_add_tcPr().append(shading)
    for values in table.formatted_rows(language):
        cells = grid.add_row().cells
        for cell, text, column in zip(cells, values, table.columns):
            cell.text = text
            if column.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph()


def _set_default_language(word, language_tag: str) -> None:
    # Screen readers and spell checkers take the language from the run
    # properties; setting it in the document defaults covers every run.
    r_pr = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), language_tag)
    lang.set(qn("w:eastAsia"), language_tag)
    lang.set(qn("w:bidi"), language_tag)


def _add_page_number_footer(word) -> None:
    section = word.sections[0]
    # No number on the title page.
    section.different_first_page_header_footer = True
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


__all__ = ["chart_png", "chart_svg", "document_html", "print_spec", "render_docx", "render_pdf"]
