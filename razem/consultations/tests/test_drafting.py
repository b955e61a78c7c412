"""Reading drafts: a real-looking strategy draft written in Word, Polish style names,
Markdown, and files that are not drafts (each a DraftFormatError, never a library error)."""

from __future__ import annotations

import io
import os
import re
import zipfile

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from razem.consultations.drafting import (
    DraftFormatError,
    ParsedBlock,
    ParsedChapter,
    parse_docx,
    parse_markdown,
)
from razem.consultations.tests.samples import docx_drafts as samples


def _shape(chapters: list[ParsedChapter]) -> list[tuple[str, int, list[tuple[str, str]]]]:
    return [(c.title, c.level, [(b.kind, b.text) for b in c.blocks]) for c in chapters]


def test_a_strategy_draft_from_word_becomes_chapters_and_blocks():
    chapters = parse_docx(samples.strategy_docx())

    table_text = "\n".join("\t".join(row) for row in samples.TABLE)
    table_text += "\nŹródło: GUS, Bank Danych Lokalnych"
    assert _shape(chapters) == [
        (samples.STRATEGY_TITLE, 1, [("paragraph", samples.INTRO)]),
        ("1. Diagnoza sytuacji społeczno-gospodarczej", 1,
         [("paragraph", samples.DIAGNOSIS_1), ("paragraph", samples.DIAGNOSIS_2)]),
        ("1.1. Mocne strony obszaru", 2, [("list_item", item) for item in samples.STRENGTHS]),
        ("2. Cele strategiczne", 1, [
            ("paragraph", samples.GOAL_TEXT),
            *[("list_item", item) for item in samples.DIRECTIONS],
            ("table", table_text),
        ]),
        ("3. Monitorowanie", 1, [("paragraph", samples.MONITORING)]),
    ]


def test_table_cells_keep_the_header_row_and_a_merged_cell_once():
    table = parse_docx(samples.strategy_docx())[3].blocks[-1]

    assert table.cells == [*samples.TABLE, ["Źródło: GUS, Bank Danych Lokalnych"]]


def test_polish_style_names_outline_levels_and_deep_headings():
    chapters = parse_docx(samples.polish_styles_docx())

    assert _shape(chapters) == [
        ("Wprowadzenie", 1, [("paragraph", "Tekst wprowadzenia.")]),
        ("Szczegóły", 2, [("list_item", "pierwszy punkt")]),
        ("Bardzo głęboko", 3, [("paragraph", "Tekst na czwartym poziomie.")]),
        ("Rozdział własny", 1, [("paragraph", "Ostatni akapit.")]),
    ]


def test_text_before_the_first_heading_goes_into_an_untitled_chapter():
    document = docx.Document()
    document.add_paragraph("Słowo wstępne wójta.")
    document.add_heading("Rozdział 1", level=1)
    document.add_paragraph("Treść.")
    out = io.BytesIO()
    document.save(out)

    chapters = parse_docx(out.getvalue())

    assert _shape(chapters) == [("", 1, [("paragraph", "Słowo wstępne wójta.")]),
                                ("Rozdział 1", 1, [("paragraph", "Treść.")])]


@pytest.mark.parametrize("data", [
    os.urandom(4096),
    "To jest zwykły plik tekstowy, tylko z końcówką .docx.".encode(),
    b"PK\x03\x04" + os.urandom(2000),
    samples.zip_without_document(),
    samples.zip_bomb(),
    samples.empty_docx(),
    b"\xd0\xcf\x11\xe0" + bytes(1000),
    b"",
], ids=["random", "text", "broken-zip", "no-document-xml", "zip-bomb", "empty", "old-doc",
        "nothing"])
def test_what_is_not_a_readable_docx_is_a_draft_format_error(data):
    with pytest.raises(DraftFormatError) as raised:
        parse_docx(data)

    assert str(raised.value)


def test_a_docx_with_a_damaged_document_xml_is_a_draft_format_error():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(samples.strategy_docx())) as source, \
            zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)

    with pytest.raises(DraftFormatError):
        parse_docx(out.getvalue())


MARKDOWN = """\
Wstęp przed pierwszym nagłówkiem,
w dwóch liniach.

# 1. Diagnoza

Liczba mieszkańców spada.
Młodzi wyjeżdżają.

## Mocne strony

- czyste środowisko
* rolnictwo
  i przetwórstwo
1. pierwszy cel
2) drugi cel

| Wskaźnik | 2024 | 2035 |
|---|:---:|---:|
| Saldo migracji | -4,1 | -1,5 |

#### Bardzo głęboko ####
Tekst.

Monitorowanie
-------------
Co dwa lata.
"""


def test_markdown_headings_paragraphs_lists_and_tables():
    chapters = parse_markdown(MARKDOWN)

    assert _shape(chapters) == [
        ("", 1, [("paragraph", "Wstęp przed pierwszym nagłówkiem, w dwóch liniach.")]),
        ("1. Diagnoza", 1, [("paragraph", "Liczba mieszkańców spada. Młodzi wyjeżdżają.")]),
        ("Mocne strony", 2, [
            ("list_item", "czyste środowisko"), ("list_item", "rolnictwo i przetwórstwo"),
            ("list_item", "pierwszy cel"), ("list_item", "drugi cel"),
            ("table", "Wskaźnik\t2024\t2035\nSaldo migracji\t-4,1\t-1,5"),
        ]),
        ("Bardzo głęboko", 3, [("paragraph", "Tekst.")]),
        ("Monitorowanie", 2, [("paragraph", "Co dwa lata.")]),
    ]
    assert chapters[2].blocks[-1].cells == [["Wskaźnik", "2024", "2035"],
                                            ["Saldo migracji", "-4,1", "-1,5"]]


def test_a_year_inside_a_paragraph_does_not_start_a_list():
    chapters = parse_markdown("W roku\n2024. liczba mieszkańców spadła.")

    assert chapters[0].blocks == [
        ParsedBlock("paragraph", "W roku 2024. liczba mieszkańców spadła.")]


@pytest.mark.parametrize("text", ["", "   \n\n", "---\n***\n", "#\n##\n"])
def test_markdown_without_text_is_a_draft_format_error(text):
    with pytest.raises(DraftFormatError):
        parse_markdown(text)


LINE = st.text(alphabet="aąbzŻ19 #-*+|.:>)=\t_`", max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=25))
def test_parse_markdown_never_raises_and_keeps_the_text_of_every_line(lines):
    text = "\n".join(lines)
    words = [w for line in lines for w in re.findall(r"[^\W\d_]+", line)]
    try:
        chapters = parse_markdown(text)
    except DraftFormatError:
        assert not words  # only a text without letters is "empty"
        return
    output = " ".join([c.title for c in chapters]
                      + [b.text for c in chapters for b in c.blocks])
    for word in words:
        assert word in output


def test_tracked_changes_read_as_accepted():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    paragraph = document.add_paragraph("Gminy ")
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="A"><w:r><w:t>wspólnie</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="A"><w:r><w:delText>osobno</w:delText>'
        f'</w:r></w:del>'))
    paragraph.add_run(" planują rozwój.")
    out = io.BytesIO()
    document.save(out)

    assert parse_docx(out.getvalue())[0].blocks == [
        ParsedBlock("paragraph", "Gminy wspólnie planują rozwój.")]
