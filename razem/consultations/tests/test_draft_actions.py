"""Creating drafts and versions: anchors carried through versions, nothing saved from a
bad upload, the portrait's Document as a draft, and the audit log."""

from __future__ import annotations

import time

import pytest

from razem.consultations import drafting_actions
from razem.consultations.drafting import DraftFormatError
from razem.consultations.models import Chapter, Draft, DraftVersion, Paragraph
from razem.consultations.tests.samples import docx_drafts as samples
from razem.core.models import AuditLogEntry
from razem.reports import document as doc

V1 = """\
Słowo wstępne.

# Demografia

Liczba mieszkańców spada od 2010 roku.

Rośnie udział osób w wieku poprodukcyjnym.

Ten akapit zostanie usunięty w drugiej wersji dokumentu.

# Gospodarka

Gospodarka obszaru opiera się na rolnictwie i przetwórstwie.

- brak terenów inwestycyjnych
"""

V2 = """\
Słowo wstępne.

# Gospodarka

Gospodarka obszaru opiera się na rolnictwie i przetwórstwie.

- brak terenów inwestycyjnych przy drodze S17

# Demografia

Liczba mieszkańców spada od 2010 roku.

Rośnie udział osób w wieku poprodukcyjnym, zwłaszcza na wsi.

Partnerstwo przygotuje wspólną strategię transportu.
"""


@pytest.fixture
def draft(partnership_a, coordinator) -> Draft:
    return drafting_actions.create_draft(
        partnership=partnership_a, title="Projekt diagnozy", kind="diagnosis", by=coordinator,
        source="markdown", name="", content=V1)


def _paragraphs(version: DraftVersion) -> list[Paragraph]:
    return list(version.paragraphs.select_related("chapter", "predecessor").order_by("position"))


def test_a_draft_from_word_has_version_one_with_chapters_and_blocks(partnership_a, coordinator):
    draft = drafting_actions.create_draft(
        partnership=partnership_a, title="Strategia", kind="strategy", by=coordinator,
        source="docx", name="strategia.docx", content=samples.strategy_docx())

    version = draft.versions.get()
    assert (version.number, version.source, version.source_name) == (1, "docx", "strategia.docx")
    assert list(version.chapters.values_list("title", "level")) == [
        (samples.STRATEGY_TITLE, 1), ("1. Diagnoza sytuacji społeczno-gospodarczej", 1),
        ("1.1. Mocne strony obszaru", 2), ("2. Cele strategiczne", 1), ("3. Monitorowanie", 1)]
    kinds = list(version.paragraphs.values_list("kind", flat=True))
    assert kinds.count("list_item") == 6 and kinds.count("table") == 1
    assert set(version.paragraphs.values_list("change", flat=True)) == {"new"}
    table = version.paragraphs.get(kind="table")
    assert table.cells[0] == samples.TABLE[0]
    assert len(set(version.paragraphs.values_list("anchor", flat=True))) == len(kinds)


def test_a_new_version_keeps_anchors_of_continued_paragraphs(draft, coordinator):
    v1 = draft.versions.get()
    before = {p.text: p for p in _paragraphs(v1)}

    v2 = drafting_actions.add_version(draft=draft, by=coordinator, source="markdown",
                                      name="v2.md", content=V2.encode(), note="Po uwagach")

    assert v2.number == 2
    rows = [(p.text, p.change, p.predecessor.text if p.predecessor else None)
            for p in _paragraphs(v2)]
    assert rows == [
        ("Słowo wstępne.", "unchanged", "Słowo wstępne."),
        ("Gospodarka obszaru opiera się na rolnictwie i przetwórstwie.", "unchanged",
         "Gospodarka obszaru opiera się na rolnictwie i przetwórstwie."),
        ("brak terenów inwestycyjnych przy drodze S17", "edited", "brak terenów inwestycyjnych"),
        ("Liczba mieszkańców spada od 2010 roku.", "unchanged",
         "Liczba mieszkańców spada od 2010 roku."),
        ("Rośnie udział osób w wieku poprodukcyjnym, zwłaszcza na wsi.", "edited",
         "Rośnie udział osób w wieku poprodukcyjnym."),
        ("Partnerstwo przygotuje wspólną strategię transportu.", "new", None),
    ]
    for paragraph in _paragraphs(v2):
        if paragraph.predecessor:
            assert paragraph.anchor == paragraph.predecessor.anchor
        else:
            assert paragraph.anchor not in {p.anchor for p in before.values()}
    removed = set(v1.paragraphs.values_list("pk", flat=True)) - set(
        v2.paragraphs.exclude(predecessor=None).values_list("predecessor_id", flat=True))
    assert [Paragraph.objects.get(pk=pk).text for pk in removed] == [
        "Ten akapit zostanie usunięty w drugiej wersji dokumentu."]


def test_a_moved_chapter_keeps_its_anchor(draft, coordinator):
    v1 = draft.versions.get()
    v2 = drafting_actions.add_version(draft=draft, by=coordinator, source="markdown",
                                      name="", content=V2)

    old = dict(v1.chapters.values_list("title", "anchor"))
    new = list(v2.chapters.order_by("position").values_list("title", "anchor"))
    assert [title for title, _ in new] == ["", "Gospodarka", "Demografia"]
    assert all(anchor == old[title] for title, anchor in new)


def test_a_bad_upload_saves_nothing(draft, coordinator):
    counts = (Draft.objects.count(), DraftVersion.objects.count(), Chapter.objects.count(),
              Paragraph.objects.count(), AuditLogEntry.objects.count())

    with pytest.raises(DraftFormatError):
        drafting_actions.add_version(draft=draft, by=coordinator, source="docx", name="x.docx",
                                     content=b"not a zip")
    with pytest.raises(DraftFormatError):
        drafting_actions.create_draft(partnership=draft.partnership, title="Zły", kind="other",
                                      by=coordinator, source="docx", name="zly.docx",
                                      content=samples.zip_without_document())
    with pytest.raises(DraftFormatError):
        drafting_actions.add_version(draft=draft, by=coordinator, source="markdown",
                                     name="x.md", content="zażółć".encode("cp1250"))

    assert counts == (Draft.objects.count(), DraftVersion.objects.count(),
                      Chapter.objects.count(), Paragraph.objects.count(),
                      AuditLogEntry.objects.count())


def test_creating_and_adding_are_logged(draft, coordinator):
    drafting_actions.add_version(draft=draft, by=coordinator, source="markdown", name="",
                                 content=V2)

    ours = [("consultations.draft", str(draft.pk))] + [
        ("consultations.draftversion", str(pk)) for pk in draft.versions.values_list("pk",
                                                                                    flat=True)]
    entries = [(e.action, e.actor.email) for e in AuditLogEntry.objects.order_by("id")
               if (e.object_type, e.object_id) in ours]
    assert entries == [("consultations.create_draft", coordinator.email),
                       ("consultations.add_version", coordinator.email),
                       ("consultations.add_version", coordinator.email)]
    last = AuditLogEntry.objects.filter(action="consultations.add_version").order_by("-id")[0]
    assert last.changes["number"] == [None, 2]
    assert last.changes["removed"] == [None, 1]


def _document() -> doc.Document:
    table = doc.Table("Ludność", [doc.Column("Gmina"), doc.Column("Liczba", 0)],
                      [["Łosice", 6800], ["Sarnaki", 4900]])
    return doc.Document(title="Portret partnerstwa", sections=[
        doc.Section("Partnerstwo w skrócie", 1, [
            doc.Paragraph("Partnerstwo łączy 5 gmin."), table, doc.Source("Źródło: GUS")]),
        doc.Section("Wymiar: demografia", 2, [
            doc.BulletList(["starzenie się", "odpływ młodych"]),
            doc.Chart("Saldo migracji", {"data": {"values": []}},
                      doc.Table("Saldo", ["Gmina", "Saldo"], [["Łosice", "-4,1"]])),
            doc.Note("Uwaga metodologiczna."),
        ]),
    ])


def test_a_report_document_becomes_a_draft(partnership_a, coordinator):
    draft = drafting_actions.create_draft_from_document(
        partnership=partnership_a, title="Diagnoza", kind="diagnosis", by=coordinator,
        document=_document())

    version = draft.versions.get()
    assert version.source == "platform"
    assert list(version.chapters.values_list("title", "level")) == [
        ("Partnerstwo w skrócie", 1), ("Wymiar: demografia", 2)]
    assert list(version.paragraphs.values_list("kind", "text")) == [
        ("paragraph", "Partnerstwo łączy 5 gmin."),
        ("paragraph", "Ludność"),
        ("table", "Gmina\tLiczba\nŁosice\t6\u00a0800\nSarnaki\t4\u00a0900"),
        ("paragraph", "Źródło: GUS"),
        ("list_item", "starzenie się"), ("list_item", "odpływ młodych"),
        ("paragraph", "Saldo migracji"),
        ("table", "Gmina\tSaldo\nŁosice\t-4,1"),
        ("paragraph", "Uwaga metodologiczna."),
    ]

    v2 = drafting_actions.add_version_from_document(draft=draft, by=coordinator,
                                                    document=_document(), note="bez zmian")
    assert set(v2.paragraphs.values_list("change", flat=True)) == {"unchanged"}


def test_a_version_of_three_hundred_paragraphs_is_quick(partnership_a, coordinator,
                                                        django_assert_max_num_queries):
    text = "\n\n".join(
        (f"# Rozdział {i // 20}\n\n" if i % 20 == 0 else "")
        + f"Akapit {i}: partnerstwo gmin prowadzi działanie numer {i} w obszarze wsparcia."
        for i in range(300))
    draft = drafting_actions.create_draft(partnership=partnership_a, title="Duży", kind="other",
                                          by=coordinator, source="markdown", name="",
                                          content=text)
    edited = text.replace("działanie numer 1", "zadanie numer 1")
    start = time.perf_counter()
    with django_assert_max_num_queries(20):
        version = drafting_actions.add_version(draft=draft, by=coordinator, source="markdown",
                                               name="", content=edited)
    assert time.perf_counter() - start < 3
    assert version.paragraphs.count() == 300
    assert version.paragraphs.filter(change="edited").count() == 111  # 1, 10-19, 100-199
