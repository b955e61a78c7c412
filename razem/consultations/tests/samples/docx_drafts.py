"""Word documents written with python-docx for the draft import tests: a real-looking
strategy draft, its second version, and files that only pretend to be DOCX."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE

STRATEGY_TITLE = "Strategia rozwoju ponadlokalnego Partnerstwa „Razem dla Rozwoju” 2026–2035"
INTRO = ("Niniejszy dokument jest projektem strategii przyjętym do konsultacji przez "
         "Komitet Sterujący partnerstwa w dniu 12 marca 2026 r.")
DIAGNOSIS_1 = ("Liczba mieszkańców obszaru partnerstwa zmniejszyła się w latach 2010–2024 "
               "o 7,8 proc., szybciej niż w województwie mazowieckim.")
DIAGNOSIS_2 = ("Najważniejszym wyzwaniem jest odpływ młodych osób do Siedlec i Warszawy "
               "oraz starzenie się społeczności wiejskich.")
STRENGTHS = ["czyste środowisko i walory przyrodnicze doliny Bugu",
             "rozwinięte rolnictwo i przetwórstwo spożywcze",
             "aktywne koła gospodyń wiejskich i ochotnicze straże pożarne"]
GOAL_TEXT = ("Cel 1. Przyjazne miejsce do życia dla wszystkich pokoleń: dostępne usługi "
             "publiczne, transport zbiorowy i czyste powietrze.")
DIRECTIONS = ["Rozwój transportu zbiorowego między gminami partnerstwa.",
              "Modernizacja szkół i przedszkoli.",
              "Termomodernizacja budynków użyteczności publicznej."]
TABLE = [["Wskaźnik", "Wartość bazowa (2024)", "Wartość docelowa (2035)"],
         ["Saldo migracji na 1000 mieszkańców", "-4,1", "-1,5"],
         ["Udział gospodarstw z dostępem do internetu", "78 %", "95 %"]]
MONITORING = "Realizacja strategii będzie oceniana co dwa lata w raporcie monitoringowym."


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def strategy_docx() -> bytes:
    """Title, Heading 1/2, Polish body text, a bulleted and a numbered list, a table with a
    header row, a merged cell, and empty paragraphs Word leaves behind."""
    document = docx.Document()
    document.add_paragraph(STRATEGY_TITLE, style="Title")
    document.add_paragraph(INTRO)
    document.add_paragraph("")
    document.add_heading("1. Diagnoza sytuacji społeczno-gospodarczej", level=1)
    document.add_paragraph(DIAGNOSIS_1)
    document.add_paragraph("   ")
    document.add_paragraph(DIAGNOSIS_2)
    document.add_heading("1.1. Mocne strony obszaru", level=2)
    for item in STRENGTHS:
        document.add_paragraph(item, style="List Bullet")
    document.add_heading("2. Cele strategiczne", level=1)
    document.add_paragraph(GOAL_TEXT)
    for item in DIRECTIONS:
        document.add_paragraph(item, style="List Number")
    table = document.add_table(rows=len(TABLE) + 1, cols=3)
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    # A last row whose three cells are merged into one note.
    merged = table.cell(len(TABLE), 0).merge(table.cell(len(TABLE), 2))
    merged.text = "Źródło: GUS, Bank Danych Lokalnych"
    document.add_heading("3. Monitorowanie", level=1)
    document.add_paragraph(MONITORING)
    return _save(document)


def polish_styles_docx() -> bytes:
    """Headings by Polish style names and by outline level only, a "Akapit z listą" list,
    and a level-4 heading (read as level 3)."""
    document = docx.Document()
    styles = document.styles
    for name, outline in (("Nagłówek 1", None), ("Nagłówek 2", None), ("Mój rozdział", 0)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if outline is not None:
            p_pr = style.element.get_or_add_pPr()
            level = p_pr.makeelement(docx.oxml.ns.qn("w:outlineLvl"),
                                     {docx.oxml.ns.qn("w:val"): str(outline)})
            p_pr.append(level)
    styles.add_style("Akapit z listą", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Wprowadzenie", style="Nagłówek 1")
    document.add_paragraph("Tekst wprowadzenia.")
    document.add_paragraph("Szczegóły", style="Nagłówek 2")
    document.add_paragraph("pierwszy punkt", style="Akapit z listą")
    document.add_paragraph("Bardzo głęboko", style="Heading 4")
    document.add_paragraph("Tekst na czwartym poziomie.")
    document.add_paragraph("Rozdział własny", style="Mój rozdział")
    document.add_paragraph("Ostatni akapit.")
    return _save(document)


def empty_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("  ")
    return _save(document)


def zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("notes.txt", "To nie jest dokument Worda.")
    return out.getvalue()


def zip_bomb(size: int = 60 * 1024 * 1024) -> bytes:
    """A small zip whose member unpacks to `size` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out.getvalue()
