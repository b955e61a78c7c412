"""Workflows that create drafts and their versions; each logs itself in its transaction.

The text is read (drafting.py) before anything is written, so an unreadable upload
raises DraftFormatError and saves nothing. A new version is mapped to the previous one
(versioning.py): continued paragraphs keep their anchors and point at their predecessor.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from razem.consultations import versioning
from razem.consultations.drafting import (
    MAX_TITLE,
    DraftFormatError,
    ParsedBlock,
    ParsedChapter,
    clean,
    parse_docx,
    parse_markdown,
    table_block,
)
from razem.consultations.models import (
    Chapter,
    Draft,
    DraftVersion,
    Paragraph,
    VersionSource,
    new_anchor,
)
from razem.core.actions import log_action
from razem.core.models import Partnership, User
from razem.reports import document as doc

Content = bytes | str


def parse_content(source: str, content: Content) -> list[ParsedChapter]:
    if source == VersionSource.DOCX:
        if not isinstance(content, bytes):
            raise DraftFormatError(_("The file is not a Word document (.docx)."))
        return parse_docx(content)
    if source == VersionSource.MARKDOWN:
        return parse_markdown(_decoded(content))
    raise ValueError(f"cannot parse a version from source {source!r}")


def _decoded(content: Content) -> str:
    if isinstance(content, str):
        text = content
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DraftFormatError(_("The text file is not in UTF-8 encoding. Save it as "
                                     "UTF-8 text and try again.")) from None
    if "\x00" in text:
        raise DraftFormatError(_("The file is not a text file."))
    return text


@transaction.atomic
def create_draft(*, partnership: Partnership, title: str, kind: str, by: User | None,
                 source: str, name: str, content: Content, note: str = "") -> Draft:
    chapters = parse_content(source, content)
    draft = _new_draft(partnership=partnership, title=title, kind=kind, by=by)
    _store_version(draft=draft, by=by, source=source, name=name, note=note, chapters=chapters)
    return draft


@transaction.atomic
def add_version(*, draft: Draft, by: User | None, source: str, name: str, content: Content,
                note: str = "") -> DraftVersion:
    chapters = parse_content(source, content)
    return _store_version(draft=draft, by=by, source=source, name=name, note=note,
                          chapters=chapters)


@transaction.atomic
def create_draft_from_document(*, partnership: Partnership, title: str, kind: str,
                               by: User | None, document: doc.Document) -> Draft:
    chapters = chapters_of_document(document)
    draft = _new_draft(partnership=partnership, title=title, kind=kind, by=by)
    _store_version(draft=draft, by=by, source=VersionSource.PLATFORM, name=document.title,
                   note="", chapters=chapters)
    return draft


@transaction.atomic
def add_version_from_document(*, draft: Draft, by: User | None, document: doc.Document,
                              note: str = "") -> DraftVersion:
    return _store_version(draft=draft, by=by, source=VersionSource.PLATFORM,
                          name=document.title, note=note,
                          chapters=chapters_of_document(document))


def chapters_of_document(document: doc.Document) -> list[ParsedChapter]:
    """A report Document as draft chapters: sections keep their level; a chart becomes
    its title and its table (the numbers are what people comment on)."""
    chapters = []
    for section in document.sections:
        chapter = ParsedChapter(clean(section.heading)[:MAX_TITLE], section.level)
        for block in section.blocks:
            chapter.blocks.extend(_document_blocks(block, document.language))
        chapters.append(chapter)
    if not any(c.title or c.blocks for c in chapters):
        raise DraftFormatError(_("The document contains no text."))
    return chapters


def _document_blocks(block: Any, language: str) -> list[ParsedBlock]:
    if isinstance(block, doc.Paragraph | doc.Note | doc.Source):
        text = clean(block.text)
        return [ParsedBlock("paragraph", text)] if text else []
    if isinstance(block, doc.BulletList):
        return [ParsedBlock("list_item", clean(item)) for item in block.items if clean(item)]
    if isinstance(block, doc.Table):
        return _table(block, block.caption, language)
    if isinstance(block, doc.Chart):
        return _table(block.table, block.title, language)
    return []


def _table(table: doc.Table, caption: str, language: str) -> list[ParsedBlock]:
    # The caption goes before the table as a paragraph, as a Word caption would.
    blocks = [ParsedBlock("paragraph", clean(caption))] if clean(caption) else []
    rows = [[c.label for c in table.columns], *table.formatted_rows(language)]
    parsed = table_block(rows)
    return blocks + ([parsed] if parsed else [])


def _new_draft(*, partnership: Partnership, title: str, kind: str, by: User | None) -> Draft:
    draft = Draft.objects.create(partnership=partnership, title=title.strip()[:300], kind=kind,
                                 created_by=by)
    log_action(actor=by, partnership=partnership, action="consultations.create_draft",
               obj=draft, changes={"title": [None, draft.title], "kind": [None, kind]})
    return draft


def _fresh_anchor(taken: set[str]) -> str:
    anchor = new_anchor()
    while anchor in taken:
        anchor = new_anchor()
    taken.add(anchor)
    return anchor


def _store_version(*, draft: Draft, by: User | None, source: str, name: str, note: str,
                   chapters: list[ParsedChapter]) -> DraftVersion:
    # Locks the draft's row (PostgreSQL) so two uploads cannot take the same number.
    Draft.objects.select_for_update().filter(pk=draft.pk).first()
    previous = draft.latest_version()
    version = DraftVersion.objects.create(
        draft=draft, number=(previous.number + 1) if previous else 1, source=source,
        source_name=name[:255], note=note.strip(), created_by=by,
    )
    old_chapters = (list(previous.chapters.values_list("anchor", "title")) if previous else [])
    old_paragraphs = (list(previous.paragraphs.values_list("id", "anchor", "text"))
                      if previous else [])
    taken = ({anchor for anchor, _title in old_chapters}
             | {anchor for _pk, anchor, _text in old_paragraphs})

    carried = versioning.carry_chapter_anchors(old_chapters, [c.title for c in chapters])
    chapter_rows = []
    for position, (parsed, anchor) in enumerate(zip(chapters, carried)):
        anchor = anchor or _fresh_anchor(taken)
        chapter_rows.append(Chapter(version=version, position=position, anchor=anchor,
                                    title=parsed.title, level=parsed.level))
    Chapter.objects.bulk_create(chapter_rows)

    blocks = [(chapter, block) for chapter, parsed in zip(chapter_rows, chapters)
              for block in parsed.blocks]
    mapping = versioning.map_paragraphs([(pk, text) for pk, _anchor, text in old_paragraphs],
                                        [block.text for _chapter, block in blocks])
    anchor_of = {pk: anchor for pk, anchor, _text in old_paragraphs}
    paragraph_rows = []
    for position, ((chapter, block), match) in enumerate(zip(blocks, mapping.matches)):
        anchor = anchor_of[match.old_id] if match.old_id else _fresh_anchor(taken)
        paragraph_rows.append(Paragraph(
            version=version, chapter=chapter, position=position, anchor=anchor,
            kind=block.kind, text=block.text, cells=block.cells,
            predecessor_id=match.old_id, change=match.change,
        ))
    Paragraph.objects.bulk_create(paragraph_rows, batch_size=500)

    counts = {change: sum(1 for m in mapping.matches if m.change == change)
              for change in ("unchanged", "edited", "new")}
    log_action(actor=by, partnership=draft.partnership, action="consultations.add_version",
               obj=version, changes={
                   "number": [None, version.number], "source": [None, source],
                   "source_name": [None, version.source_name], "chapters": [None, len(chapters)],
                   "paragraphs": [None, len(paragraph_rows)], **{
                       change: [None, count] for change, count in counts.items()},
                   "removed": [None, len(mapping.removed)],
               })
    return version
