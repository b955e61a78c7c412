"""Reading a draft into chapters and blocks: Word documents (DOCX) and Markdown.

Pure: no database. Officials write drafts in Word, so headings (by style or outline
level) become chapters, and body paragraphs, list items and tables become the blocks
people comment on. Anything wrong with an upload becomes a DraftFormatError with a
message for the user; no library exception escapes (an upload is untrusted input).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _

BlockKindName = Literal["paragraph", "list_item", "table"]

# A DOCX is a zip: its members' declared sizes are summed before anything is unpacked,
# so a small upload cannot expand into gigabytes (a zip bomb).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# Far beyond any real draft (a strategy has a few hundred); bounds the work per upload.
MAX_BLOCKS = 10_000
# Chapter.title's length in the database.
MAX_TITLE = 500
MAX_LEVEL = 3

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class DraftFormatError(Exception):
    """The upload cannot be read as a draft; `message` is shown to the user."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass
class ParsedBlock:
    kind: BlockKindName
    text: str
    # Table rows (first row usually the header); None for other kinds.
    cells: list[list[str]] | None = None


@dataclass
class ParsedChapter:
    title: str
    level: int
    blocks: list[ParsedBlock] = field(default_factory=list)


# Not \s: that would also fold the non-breaking spaces Polish typesetting puts after
# one-letter words.
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def table_block(rows: list[list[str]]) -> ParsedBlock | None:
    """A table block, its text being what a diff compares (cells by tabs, rows by lines)."""
    rows = [[clean(cell) for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return None
    return ParsedBlock("table", "\n".join("\t".join(row) for row in rows), rows)


class _Builder:
    """Collects chapters; text before the first heading goes into an untitled chapter."""

    def __init__(self) -> None:
        self.chapters: list[ParsedChapter] = []
        self.count = 0

    def heading(self, title: str, level: int) -> None:
        title = clean(title)
        if title:
            self.chapters.append(ParsedChapter(title[:MAX_TITLE], min(max(level, 1), MAX_LEVEL)))

    def block(self, block: ParsedBlock | None) -> None:
        if block is None or not block.text.strip():
            return
        self.count += 1
        if self.count > MAX_BLOCKS:
            raise DraftFormatError(
                _("The document has more than %(count)s paragraphs; split it into smaller "
                  "drafts.") % {"count": MAX_BLOCKS})
        if not self.chapters:
            self.chapters.append(ParsedChapter("", 1))
        self.chapters[-1].blocks.append(block)

    def result(self) -> list[ParsedChapter]:
        if not self.chapters:
            raise DraftFormatError(_("The document contains no text."))
        return self.chapters


# --- DOCX ---------------------------------------------------------------------------------

NOT_DOCX = _("The file is not a Word document (.docx). Save it in Word or LibreOffice as "
             "“Word document (.docx)” and try again.")


def parse_docx(data: bytes) -> list[ParsedChapter]:
    _check_package(data)
    try:
        import docx

        document = docx.Document(BytesIO(data))
        return _read_body(document)
    except DraftFormatError:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds on damaged files
        raise DraftFormatError(NOT_DOCX) from error


def _check_package(data: bytes) -> None:
    if data.startswith(OLE_MAGIC):
        raise DraftFormatError(_("The old .doc format is not supported. Save the document as "
                                 "“Word document (.docx)” and try again."))
    if not data.startswith(b"PK"):
        raise DraftFormatError(NOT_DOCX)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:  # BadZipFile, and odd headers raise others
        raise DraftFormatError(NOT_DOCX) from error
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise DraftFormatError(
            _("The document unpacks to more than %(mb)s MB, which no draft needs; save it "
              "again without embedded files or large pictures.")
            % {"mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)})
    if not any(member.filename == "word/document.xml" for member in members):
        raise DraftFormatError(NOT_DOCX)


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None  # 0-based outline level; 9 = body text
    numbered: bool


def _val(element: Any, path: str) -> str | None:
    found = element.find(path, NS)
    return None if found is None else found.get(f"{{{W}}}val")


def _styles(document: Any) -> dict[str, _Style]:
    try:
        root = document.styles.element
    except Exception:  # a document without a styles part
        return {}
    styles = {}
    for style in root.findall("w:style", NS):
        style_id = style.get(f"{{{W}}}styleId")
        if not style_id or style.get(f"{{{W}}}type") != "paragraph":
            continue
        outline = _val(style, "w:pPr/w:outlineLvl")
        num_id = _val(style, "w:pPr/w:numPr/w:numId")
        styles[style_id] = _Style(
            name=(_val(style, "w:name") or "").strip().lower(),
            based_on=_val(style, "w:basedOn"),
            outline=int(outline) if outline and outline.isdigit() else None,
            numbered=num_id not in (None, "0"),
        )
    return styles


_HEADING_NAME = re.compile(r"^(?:heading|nagłówek|naglowek)\s*(\d)$")
_TITLE_NAMES = {"title", "tytuł", "tytul"}
_LIST_NAMES = ("list", "akapit z listą", "lista", "wypunktowanie", "numerowanie")


class _StyleInfo:
    def __init__(self, styles: dict[str, _Style]) -> None:
        self.styles = styles
        self.cache: dict[str | None, tuple[int | None, bool, bool]] = {}

    def of(self, style_id: str | None) -> tuple[int | None, bool, bool]:
        """(heading level or None, is a list, is skipped) of a paragraph style."""
        if style_id not in self.cache:
            self.cache[style_id] = self._resolve(style_id)
        return self.cache[style_id]

    def _resolve(self, style_id: str | None) -> tuple[int | None, bool, bool]:
        level: int | None = None
        level_known = listed = False
        seen: set[str] = set()
        first = self.styles.get(style_id or "")
        # Tables of contents repeat the headings: their entries are not draft text.
        skipped = bool(first and first.name.startswith("toc"))
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            if not level_known:
                if style.outline is not None:
                    level, level_known = (style.outline + 1 if style.outline < 9 else None), True
                elif match := _HEADING_NAME.match(style.name):
                    level, level_known = int(match.group(1)), True
                elif style.name in _TITLE_NAMES:
                    level, level_known = 1, True
            listed = listed or style.numbered or style.name.startswith(_LIST_NAMES)
            style_id = style.based_on
        return level, listed, skipped


# Deleted (or moved-away) tracked changes are not the text; text boxes are drawn beside
# it, and mc:Fallback repeats what mc:Choice holds.
_EXCLUDED = {f"{{{W}}}del", f"{{{W}}}moveFrom", f"{{{W}}}txbxContent",
             f"{{{NS['mc']}}}Fallback"}


def _paragraph_text(p: Any) -> str:
    parts = []
    for node in p.iterfind(".//w:r/*", NS):
        tag = node.tag
        if tag == f"{{{W}}}t":
            piece = node.text or ""
        elif tag in (f"{{{W}}}tab", f"{{{W}}}br", f"{{{W}}}cr"):
            piece = " "
        elif tag == f"{{{W}}}noBreakHyphen":
            piece = "-"
        else:
            continue
        if _inside_excluded(node, p):
            continue
        parts.append(piece)
    return "".join(parts)


def _inside_excluded(node: Any, stop: Any) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _EXCLUDED:
            return True
        parent = parent.getparent()
    return False


def _read_body(document: Any) -> list[ParsedChapter]:
    info = _StyleInfo(_styles(document))
    builder = _Builder()
    _read_children(document.element.body, info, builder)
    return builder.result()


def _read_children(parent: Any, info: _StyleInfo, builder: _Builder) -> None:
    # Document order: paragraphs and tables interleaved; content controls (w:sdt) wrap
    # parts of the body, e.g. a cover page, and are read through.
    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{{{W}}}p":
            _read_paragraph(child, info, builder)
        elif tag == f"{{{W}}}tbl":
            builder.block(table_block(_table_rows(child)))
        elif tag == f"{{{W}}}sdt":
            content = child.find("w:sdtContent", NS)
            if content is not None:
                _read_children(content, info, builder)
        elif tag in (f"{{{W}}}customXml", f"{{{W}}}ins", f"{{{W}}}moveTo"):
            _read_children(child, info, builder)


def _read_paragraph(p: Any, info: _StyleInfo, builder: _Builder) -> None:
    text = clean(_paragraph_text(p))
    if not text:
        return
    level, listed, skipped = info.of(_val(p, "w:pPr/w:pStyle"))
    if skipped:
        return
    outline = _val(p, "w:pPr/w:outlineLvl")
    if outline is not None and outline.isdigit():
        level = int(outline) + 1 if int(outline) < 9 else None
    if level is not None:
        builder.heading(text, level)
        return
    num_id = _val(p, "w:pPr/w:numPr/w:numId")
    if num_id is not None:
        listed = num_id != "0"
    builder.block(ParsedBlock("list_item" if listed else "paragraph", text))


def _table_rows(tbl: Any) -> list[list[str]]:
    rows = []
    for tr in tbl.iterfind("w:tr", NS):
        row = []
        # One entry per cell element: a horizontally merged cell (gridSpan) is one w:tc;
        # the lower parts of a vertical merge repeat nothing.
        for tc in tr.iterfind("w:tc", NS):
            if tc.find("w:tcPr/w:vMerge", NS) is not None and _val(
                    tc, "w:tcPr/w:vMerge") in (None, "continue"):
                row.append("")
                continue
            texts = [clean(_paragraph_text(p)) for p in tc.iterfind(".//w:p", NS)]
            row.append(" ".join(t for t in texts if t))
        rows.append(row)
    return rows


# --- Markdown -------------------------------------------------------------------------------

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_ITEM = re.compile(r"^[ \t]*(?:[-*+]|(\d{1,9})[.)])[ \t]+(.*)$")
_RULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [clean(cell) for cell in line.split("|")]


def parse_markdown(text: str) -> list[ParsedChapter]:
    """Headings (# to ###, deeper ones count as ###, also underlined with = or -),
    paragraphs separated by blank lines, list items (-, *, +, 1.) and pipe tables.
    Inline markup is kept as written."""
    builder = _Builder()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraph: list[str] = []
    item: list[str] | None = None
    table: list[list[str]] | None = None

    def flush() -> None:
        nonlocal paragraph, item, table
        if paragraph:
            builder.block(ParsedBlock("paragraph", clean(" ".join(paragraph))))
        if item is not None:
            builder.block(ParsedBlock("list_item", clean(" ".join(item))))
        if table is not None:
            builder.block(table_block(table))
        paragraph, item, table = [], None, None

    for index, raw in enumerate(lines):
        line = _QUOTE.sub("", raw)
        if not line.strip():
            flush()
            continue
        if table is not None:
            if "|" in line:
                if not _TABLE_SEPARATOR.match(line):
                    table.append(_cells(line))
                continue
            flush()
        if (heading := _ATX.match(line)) is not None:
            flush()
            builder.heading(heading.group(2) or "", len(heading.group(1)))
            continue
        if paragraph and item is None and (setext := _SETEXT.match(line)) is not None:
            title = " ".join(paragraph)
            paragraph = []
            builder.heading(title, 1 if setext.group(1).startswith("=") else 2)
            continue
        if _RULE.match(line):
            flush()
            continue
        if "|" in line and _starts_table(line, lines, index):
            flush()
            table = [_cells(line)]
            continue
        list_item = _ITEM.match(line)
        # As in CommonMark, only "1." starts a list inside a paragraph: "2024. rok" wraps.
        if list_item is not None and not (paragraph and list_item.group(1) not in (None, "1")):
            flush()
            item = [list_item.group(2)]
            continue
        if item is not None:
            item.append(line)  # a continuation line of the list item
        else:
            paragraph.append(line)
    flush()
    return builder.result()


def _starts_table(line: str, lines: list[str], index: int) -> bool:
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return line.lstrip().startswith("|") or (
        "-" in following and _TABLE_SEPARATOR.match(following) is not None)
