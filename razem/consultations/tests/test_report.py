"""The consultation report (sprawozdanie): every comment exactly once with its position,
late and hidden comments as the act requires, natural persons anonymised, PDF and DOCX,
and who may read the public page."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from razem.conftest import client_for
from razem.consultations import report_data as data
from razem.consultations.models import (
    Comment,
    CommentChannel,
    CommenterCategory,
    Consultation,
    Draft,
    Meeting,
    Outcome,
    Position,
    Scope,
)
from razem.consultations.reports import KIND, PERMISSION, build_consultation_document
from razem.consultations.tests.factories import make_consultation, make_version
from razem.reports import document as doc
from razem.reports import registry
from razem.reports.models import JobStatus, ReportJob
from razem.reports.render import render_docx, render_pdf

NATURAL_NAMES = ["Jan Kowalski", "Zenon Tajny", "Adam Spóźniony", "Krzysztof Ukryty",
                 "Maria Nowak", "Wiesław Gminny"]
ORGANISATIONS = ["Stowarzyszenie Przyjaciół Łosic", "Gmina Sarnaki"]
HIDDEN_TEXT = "Obraźliwy tekst, którego nie wolno pokazać"
HIDDEN_REASON = "wulgaryzmy i groźby"


@pytest.fixture(autouse=True)
def _only_our_consultations(partnership_a):
    # The demo's consultations would share the partnership; these tests build their own.
    Consultation.objects.filter(partnership=partnership_a).delete()
    Draft.objects.filter(partnership=partnership_a).delete()


def _comment(consultation, *, author, category, channel, scope=Scope.DOCUMENT, paragraph=None,
             chapter=None, organisation="", justification="Uzasadnienie uwagi.", days=3,
             proposed="", **extra) -> Comment:
    return Comment.objects.create(
        consultation=consultation, scope=scope, paragraph=paragraph,
        chapter=chapter if chapter is not None else (paragraph.chapter if paragraph else None),
        proposed_wording=proposed, justification=justification, author_name=author,
        organisation=organisation, category=category, email="ktos@example.org", consent=True,
        channel=channel, received_on=consultation.notice_published_on + timedelta(days=days),
        **extra)


def _fill(consultation) -> list[Comment]:
    version = consultation.version
    paragraphs = list(version.paragraphs.order_by("position"))
    chapters = list(version.chapters.order_by("position"))
    after = make_version(consultation.partnership, draft=version.draft)
    comments = [
        _comment(consultation, author="Jan Kowalski", category=CommenterCategory.RESIDENT,
                 channel=CommentChannel.ONLINE, scope=Scope.PARAGRAPH, paragraph=paragraphs[2],
                 proposed="Liczba mieszkańców spada od 2008 roku."),
        _comment(consultation, author="Maria Nowak", category=CommenterCategory.NGO,
                 organisation=ORGANISATIONS[0], channel=CommentChannel.EMAIL,
                 scope=Scope.CHAPTER, chapter=chapters[1]),
        # A business that names no organisation writes as a natural person.
        _comment(consultation, author="Zenon Tajny", category=CommenterCategory.BUSINESS,
                 channel=CommentChannel.PAPER),
        _comment(consultation, author="Adam Spóźniony", category=CommenterCategory.RESIDENT,
                 channel=CommentChannel.PAPER, is_late=True,
                 justification="Uwaga wysłana po terminie.", days=40),
        _comment(consultation, author="Krzysztof Ukryty", category=CommenterCategory.OTHER,
                 channel=CommentChannel.ONLINE, justification=HIDDEN_TEXT,
                 hidden_at=timezone.now(), hidden_reason=HIDDEN_REASON),
        _comment(consultation, author="Wiesław Gminny",
                 category=CommenterCategory.LOCAL_GOVERNMENT, organisation=ORGANISATIONS[1],
                 channel=CommentChannel.MEETING, scope=Scope.PARAGRAPH,
                 paragraph=paragraphs[0]),
    ]
    outcomes = {0: Outcome.ACCEPTED, 1: Outcome.PARTLY_ACCEPTED, 2: Outcome.REJECTED,
                5: Outcome.EXPLAINED}
    for index, outcome in outcomes.items():
        Position.objects.create(
            comment=comments[index], outcome=outcome,
            justification=f"Stanowisko nr {index + 1}: uzasadnienie.",
            next_paragraph=after.paragraphs.order_by("position")[2] if index == 0 else None)
    Meeting.objects.create(consultation=consultation, place="Starostwo Powiatowe w Łosicach",
                           starts_at=timezone.now() - timedelta(days=60),
                           minutes="Protokół: omówiono rozdział o demografii.")
    return comments


@pytest.fixture
def concluded(partnership_a) -> Consultation:
    consultation = make_consultation(partnership_a, phase="concluded")
    _fill(consultation)
    return consultation


@pytest.fixture
def in_review(partnership_a) -> Consultation:
    consultation = make_consultation(partnership_a, phase="review", slug="w-ocenie")
    _fill(consultation)
    return consultation


def _build(consultation, language="pl") -> doc.Document:
    with translation.override(language):
        return build_consultation_document(consultation.partnership, language=language,
                                           progress=lambda *_: None, subject=consultation)


def _comment_table(document: doc.Document) -> doc.Table:
    tables = [block for section in document.sections for block in section.blocks
              if isinstance(block, doc.Table) and len(block.columns) == 8]
    assert len(tables) == 1
    return tables[0]


def _all_text(document: doc.Document) -> str:
    parts = [document.title, document.subtitle]
    for section in document.sections:
        parts.append(section.heading)
        for block in section.blocks:
            tables = []
            if isinstance(block, doc.Table):
                tables.append(block)
            elif isinstance(block, doc.Chart):
                tables.append(block.table)
                parts += [block.title, block.alt_text, str(block.vega_lite_spec)]
            elif isinstance(block, doc.BulletList):
                parts += block.items
            else:
                parts.append(block.text)
            for table in tables:
                parts.append(table.caption)
                parts += [str(cell) for row in table.rows for cell in row]
    return "\n".join(parts)


def test_the_report_is_registered_about_one_consultation():
    entry = registry.get(KIND)
    assert entry is not None and entry.has_subject and entry.permission == PERMISSION


def test_every_comment_is_listed_exactly_once_in_number_order_with_its_position(concluded):
    comments = list(concluded.comments.order_by("id"))
    rows = _comment_table(_build(concluded, "en")).rows

    assert [row[0] for row in rows] == list(range(1, len(comments) + 1))
    positions = {row[0]: (row[6], row[7]) for row in rows}
    assert positions[1][0] == "accepted" and "Stanowisko nr 1" in positions[1][1]
    assert "version 2, paragraph 3" in positions[1][1]
    assert positions[2][0] == "partly accepted"
    assert positions[3][0] == "rejected"
    assert positions[6][0] == "explained" and "Stanowisko nr 6" in positions[6][1]
    assert rows[0][1].endswith("paragraph 3") and rows[5][1].endswith("paragraph 1")
    assert rows[2][1] == "whole document"


def test_late_comments_are_listed_as_not_considered_and_hidden_ones_without_text(concluded):
    document = _build(concluded, "en")
    rows = {row[0]: row for row in _comment_table(document).rows}

    late, hidden = rows[4], rows[5]
    assert "Uwaga wysłana po terminie." in late[5]
    assert late[6] == "not considered: received after the end of the consultation"
    assert hidden[6] == f"hidden by moderation: {HIDDEN_REASON}"
    assert hidden[5] == doc.MISSING
    assert HIDDEN_TEXT not in _all_text(document)


def test_statistics_count_every_comment_by_category_chapter_channel_and_outcome(concluded):
    document = _build(concluded, "en")
    charts = {chart.title: chart for chart in document.charts()}

    for title in ("Comments by who commented", "Comments by part of the document",
                  "Comments by channel"):
        rows = charts[title].table.rows
        assert sum(row[1] for row in rows) == 6
        assert sum(row[2] for row in rows) == 4  # considered
        assert sum(row[3] for row in rows) == 1 and sum(row[4] for row in rows) == 1
        assert charts[title].vega_lite_spec["data"]["values"]
    outcomes = {row[0]: row[1] for row in charts["Positions on the considered comments"].table.rows}
    assert outcomes == {"accepted": 1, "partly accepted": 1, "rejected": 1, "explained": 1}


def test_no_natural_persons_name_appears_in_the_document_but_organisations_do(concluded):
    text = _all_text(_build(concluded))

    for name in NATURAL_NAMES:
        assert name not in text
    for organisation in ORGANISATIONS:
        assert organisation in text
    assert "ktos@example.org" not in text


def test_the_public_page_shows_no_natural_persons_name(concluded):
    response = client_for(None).get(reverse("consultations:report",
                                            args=[concluded.partnership.slug, concluded.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    for name in NATURAL_NAMES:
        assert name not in html
    assert HIDDEN_TEXT not in html and "ktos@example.org" not in html
    for organisation in ORGANISATIONS:
        assert organisation in html
    assert 'id="report-draft-notice"' not in html
    assert 'id="report-files"' not in html  # anonymous visitors generate no files


def test_the_process_names_dates_groups_meetings_and_the_address(concluded):
    text = _all_text(_build(concluded, "en"))

    assert "Starostwo Powiatowe w Łosicach" in text
    assert "Protokół: omówiono rozdział o demografii." in text
    assert f"/p/{concluded.partnership.slug}/konsultacje/{concluded.slug}/" in text
    assert "35 days" in text


def test_the_report_renders_as_pdf_and_docx(concluded):
    document = _build(concluded)

    pdf = render_pdf(document)
    assert pdf.startswith(b"%PDF")
    word = render_docx(document)
    with zipfile.ZipFile(io.BytesIO(word)) as archive:
        body = archive.read("word/document.xml").decode()
    assert ORGANISATIONS[1] in body and "Jan Kowalski" not in body


def test_unpublished_positions_make_a_draft_of_the_report_for_members(in_review, coordinator,
                                                                     observer):
    document = _build(in_review, "en")
    assert document.subtitle.startswith("DRAFT of the report")
    url = reverse("consultations:report", args=[in_review.partnership.slug, in_review.slug])

    for user in (coordinator, observer):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert 'id="report-draft-notice"' in response.content.decode()
    assert 'id="report-files"' in client_for(coordinator).get(url).content.decode()


@pytest.mark.parametrize("phase, status", [("preparation", 404), ("open", 404),
                                           ("review", 404), ("concluded", 200)])
def test_anonymous_and_outsiders_read_the_report_only_once_positions_are_published(
        partnership_a, outsider, phase, status):
    consultation = make_consultation(partnership_a, phase=phase, slug=f"k-{phase}")
    url = reverse("consultations:report", args=[partnership_a.slug, consultation.slug])

    assert client_for(None).get(url).status_code == status
    assert client_for(outsider).get(url).status_code == status


def test_another_partnerships_consultation_is_not_found_under_this_address(
        partnership_a, partnership_b):
    consultation = make_consultation(partnership_b, phase="concluded", slug="obca")
    url = reverse("consultations:report", args=[partnership_a.slug, consultation.slug])

    assert client_for(None).get(url).status_code == 404


def test_members_generate_the_file_through_the_report_jobs(concluded, coordinator, outsider,
                                                           settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    url = reverse("reports:request", args=[concluded.partnership.slug, KIND, "docx"])

    assert client_for(outsider).post(url, {"przedmiot": concluded.pk}).status_code == 404
    response = client_for(coordinator).post(url, {"przedmiot": concluded.pk})

    assert response.status_code == 302
    job = ReportJob.objects.get(kind=KIND, subject_id=concluded.pk)
    assert job.status == JobStatus.DONE and job.file_name.endswith(".docx")


def test_a_long_list_of_comments_is_written_as_text_with_every_comment_once(concluded,
                                                                         monkeypatch):
    monkeypatch.setattr("razem.consultations.reports.TABLE_LIMIT", 2)
    document = _build(concluded, "en")

    section = document.sections[-1]
    assert not any(isinstance(block, doc.Table) for block in section.blocks)
    texts = [block.text for block in section.blocks if isinstance(block, doc.Paragraph)]
    for number in range(1, 7):
        assert sum(text.startswith(f"No. {number}. ") for text in texts) == 1
        assert sum(text.startswith(f"Position on comment no. {number}:") for text in texts) == 1
    assert any("hidden by moderation: " + HIDDEN_REASON in text for text in texts)
    everything = _all_text(document)
    assert not any(name in everything for name in NATURAL_NAMES)
    assert HIDDEN_TEXT not in everything


def test_tally_puts_every_comment_in_one_status():
    facts = [data.CommentFact(number=n, scope="document", chapter_key="", part="", author="",
                              category="ngo", channel="online", proposed_wording="",
                              justification="x", is_late=late, is_hidden=hidden)
             for n, (late, hidden) in enumerate([(False, False), (True, False), (True, True),
                                                 (False, True)], start=1)]
    [row] = data.by_category(facts, [("ngo", "NGO")])
    assert (row.total, row.considered, row.late, row.hidden) == (4, 1, 1, 2)
    unknown = data.by_channel(facts, [("paper", "paper")])
    assert [(r.key, r.total) for r in unknown] == [("paper", 0), ("online", 4)]
