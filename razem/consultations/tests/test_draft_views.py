"""The staff pages for drafts: who may open them, importing (and refusing) uploads, the
text of a version with its anchors, the comparison with the previous version, and the
draft made from the portrait."""

from __future__ import annotations

import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from razem.conftest import client_for
from razem.consultations import drafting_actions
from razem.consultations.models import Draft, DraftVersion, Paragraph
from razem.consultations.tests.samples import docx_drafts as samples
from razem.consultations.tests.test_draft_actions import V1, V2, _document
from razem.reports import registry

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LOGIN = 302
ALLOWED = {"anonymous": LOGIN, "coordinator": 200, "officer": 200, "advisor": 403,
           "observer": 403, "outsider": 404}


@pytest.fixture
def draft(partnership_a, coordinator) -> Draft:
    draft = drafting_actions.create_draft(
        partnership=partnership_a, title="Projekt diagnozy", kind="diagnosis", by=coordinator,
        source="markdown", name="", content=V1)
    table = "\n| Gmina | Ludność |\n|---|---|\n| Łosice | 6800 |\n"
    drafting_actions.add_version(draft=draft, by=coordinator, source="markdown", name="",
                                 content=V2 + table)
    return draft


def _urls(draft: Draft) -> dict[str, str]:
    slug = draft.partnership.slug
    return {
        "drafts": reverse("consultations:drafts", args=[slug]),
        "draft_create": reverse("consultations:draft_create", args=[slug]),
        "draft_from_portrait": reverse("consultations:draft_from_portrait", args=[slug]),
        "draft_detail": reverse("consultations:draft_detail", args=[slug, draft.pk]),
        "version_create": reverse("consultations:version_create", args=[slug, draft.pk]),
        "version_detail": reverse("consultations:version_detail", args=[slug, draft.pk, 2]),
        "version_diff": reverse("consultations:version_diff", args=[slug, draft.pk, 2]),
    }


@pytest.mark.parametrize("role", list(ALLOWED))
def test_who_may_open_the_draft_pages(role, request, draft):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_for(user)

    for name, url in _urls(draft).items():
        response = client.get(url)
        assert response.status_code == ALLOWED[role], (name, role)
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login")), name


def test_another_partnerships_draft_is_not_found(draft, partnership_b, coordinator, outsider):
    other = drafting_actions.create_draft(
        partnership=partnership_b, title="Strategia Węgrów", kind="strategy", by=outsider,
        source="markdown", name="", content="# Cele\n\nTekst.")

    wrong = reverse("consultations:draft_detail", args=[draft.partnership.slug, other.pk])
    assert client_for(coordinator).get(wrong).status_code == 404
    for name in ("version_detail", "version_diff"):
        url = reverse(f"consultations:{name}", args=[draft.partnership.slug, other.pk, 1])
        assert client_for(coordinator).get(url).status_code == 404
    assert client_for(coordinator).post(
        reverse("consultations:version_create", args=[draft.partnership.slug, other.pk]),
        {"text": "# X\n\nY"}).status_code == 404
    assert other.versions.count() == 1


def test_the_list_shows_drafts_with_versions(draft, coordinator):
    response = client_for(coordinator).get(_urls(draft)["drafts"])

    html = response.content.decode()
    assert f'id="draft-{draft.pk}"' in html
    assert reverse("consultations:version_detail",
                   args=[draft.partnership.slug, draft.pk, 2]) in html


def test_a_coordinator_imports_a_word_draft(partnership_a, coordinator):
    url = reverse("consultations:draft_create", args=[partnership_a.slug])
    upload = SimpleUploadedFile("strategia.docx", samples.strategy_docx(), DOCX_TYPE)

    response = client_for(coordinator).post(url, {"title": "Strategia 2035", "kind": "strategy",
                                                  "file": upload})

    draft = Draft.objects.get(partnership=partnership_a, title="Strategia 2035")
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:draft_detail",
                                           args=[partnership_a.slug, draft.pk])
    version = draft.versions.get()
    assert (version.source, version.source_name) == ("docx", "strategia.docx")
    assert version.chapters.count() == 5


def test_an_officer_may_paste_markdown(partnership_a, officer):
    url = reverse("consultations:draft_create", args=[partnership_a.slug])

    response = client_for(officer).post(url, {"title": "Projekt", "kind": "other", "text": V1})

    assert response.status_code == 302
    assert Draft.objects.get(title="Projekt").versions.get().source == "markdown"


def _bad_uploads() -> list[tuple[str, bytes]]:
    return [
        ("losowe.docx", os.urandom(3000)),
        ("notatka.docx", "Zwykły tekst, zmieniona końcówka pliku.".encode()),
        ("bez-dokumentu.docx", samples.zip_without_document()),
        ("bomba.docx", samples.zip_bomb()),
        ("pusty.docx", samples.empty_docx()),
        ("obraz.png", b"\x89PNG\r\n\x1a\n" + os.urandom(100)),
        ("cp1250.md", "Zażółć gęślą jaźń".encode("cp1250")),
    ]


@pytest.mark.parametrize("index", range(7))
def test_a_bad_upload_is_a_400_with_the_form_and_nothing_saved(index, partnership_a,
                                                                 coordinator):
    name, data = _bad_uploads()[index]
    url = reverse("consultations:draft_create", args=[partnership_a.slug])
    before = (Draft.objects.count(), DraftVersion.objects.count(), Paragraph.objects.count())

    response = client_for(coordinator).post(url, {
        "title": "Zły plik", "kind": "other", "file": SimpleUploadedFile(name, data)})

    assert response.status_code == 400
    assert b'class="error"' in response.content
    assert b'name="title"' in response.content
    assert before == (Draft.objects.count(), DraftVersion.objects.count(),
                      Paragraph.objects.count())


def test_no_file_and_no_text_is_a_400(partnership_a, coordinator):
    url = reverse("consultations:draft_create", args=[partnership_a.slug])

    response = client_for(coordinator).post(url, {"title": "Nic", "kind": "other"})

    assert response.status_code == 400
    assert not Draft.objects.filter(title="Nic").exists()


def test_an_oversized_upload_is_a_413(settings, partnership_a, coordinator, draft):
    settings.RAZEM_MAX_UPLOAD_BYTES = 10_000
    data = samples.strategy_docx()
    assert len(data) > 10_000
    versions = draft.versions.count()

    created = client_for(coordinator).post(
        reverse("consultations:draft_create", args=[partnership_a.slug]),
        {"title": "Za duży", "kind": "strategy",
         "file": SimpleUploadedFile("duzy.docx", data, DOCX_TYPE)})
    added = client_for(coordinator).post(
        reverse("consultations:version_create", args=[partnership_a.slug, draft.pk]),
        {"file": SimpleUploadedFile("duzy.docx", data, DOCX_TYPE)})

    assert (created.status_code, added.status_code) == (413, 413)
    assert not Draft.objects.filter(title="Za duży").exists()
    assert draft.versions.count() == versions


def test_a_new_version_is_uploaded_and_shows_its_changes(draft, officer):
    url = reverse("consultations:version_create", args=[draft.partnership.slug, draft.pk])
    text = V2.replace("zwłaszcza na wsi", "zwłaszcza w gminach wiejskich")

    response = client_for(officer).post(url, {
        "file": SimpleUploadedFile("v3.md", text.encode(), "text/markdown"),
        "note": "Poprawki po spotkaniu"})

    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:version_diff",
                                           args=[draft.partnership.slug, draft.pk, 3])
    version = draft.versions.get(number=3)
    assert version.note == "Poprawki po spotkaniu"
    assert version.paragraphs.filter(change="edited").count() == 1


def test_a_bad_new_version_is_a_400_and_keeps_the_versions(draft, coordinator):
    url = reverse("consultations:version_create", args=[draft.partnership.slug, draft.pk])

    response = client_for(coordinator).post(url, {
        "file": SimpleUploadedFile("v3.docx", samples.zip_bomb(), DOCX_TYPE)})

    assert response.status_code == 400
    assert draft.versions.count() == 2


def test_the_version_page_shows_chapters_paragraphs_and_tables_with_anchors(draft, coordinator):
    version = draft.versions.get(number=2)

    html = client_for(coordinator).get(_urls(draft)["version_detail"]).content.decode()

    for chapter in version.chapters.all():
        assert f'id="r-{chapter.anchor}"' in html
    for paragraph in version.paragraphs.all():
        assert f'id="p-{paragraph.anchor}"' in html
    assert re.search(r"<table>\s*<caption", html)
    assert '<th scope="col">Gmina</th>' in html and "<td>Łosice</td>" in html
    assert html.count("<li id=\"p-") == 1
    assert html.count("[") >= 3  # change markers for edited and new paragraphs


def test_the_comparison_marks_edited_new_and_removed_text(draft, coordinator):
    response = client_for(coordinator).get(_urls(draft)["version_diff"])

    html = response.content.decode()
    assert response.status_code == 200
    assert "<ins><span class=\"visually-hidden\">" in html
    assert "zwłaszcza na wsi" in html
    assert "<del>" in html and "Ten akapit zostanie usunięty" in html
    assert "<details" in html
    assert "Partnerstwo przygotuje wspólną strategię transportu." in html


def test_the_first_version_has_no_comparison(draft, coordinator):
    url = reverse("consultations:version_diff", args=[draft.partnership.slug, draft.pk, 1])

    assert client_for(coordinator).get(url).status_code == 404


def test_the_draft_page_counts_the_changes(draft, coordinator):
    html = client_for(coordinator).get(_urls(draft)["draft_detail"]).content.decode()

    row = html[html.index('id="version-2"'):html.index("</tr>", html.index('id="version-2"'))]
    numbers = [int(n) for n in re.findall(r'<td class="numeric">(\d+)</td>', row)]
    # paragraphs, unchanged, edited, new, removed (the table is new)
    assert numbers == [7, 3, 2, 2, 1]


def test_a_portrait_without_data_is_a_409(partnership_a, coordinator):
    url = reverse("consultations:draft_from_portrait", args=[partnership_a.slug])

    response = client_for(coordinator).post(url, {"title": "Diagnoza"})

    assert response.status_code == 409
    assert b'role="alert"' in response.content
    assert not Draft.objects.filter(title="Diagnoza").exists()


def test_a_draft_is_made_from_the_portrait(monkeypatch, partnership_a, coordinator):
    kind = registry.get("portrait")
    calls = []

    def builder(partnership, *, language, progress):
        calls.append((partnership, language))
        return _document()

    fake = registry.ReportKind(kind="portrait", title=kind.title, builder=builder,
                               permission=kind.permission)
    monkeypatch.setattr(registry, "get", lambda name: fake if name == "portrait" else None)
    url = reverse("consultations:draft_from_portrait", args=[partnership_a.slug])

    response = client_for(coordinator).post(url, {"title": "Diagnoza z portretu"})

    draft = Draft.objects.get(title="Diagnoza z portretu")
    assert response.status_code == 302
    assert calls == [(partnership_a, "pl")]
    assert draft.kind == "diagnosis"
    assert draft.versions.get().source == "platform"


@pytest.mark.parametrize("role,status", [("anonymous", LOGIN), ("advisor", 403),
                                         ("observer", 403), ("outsider", 404)])
def test_those_not_allowed_cannot_post_drafts_or_versions(role, status, request, draft):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_for(user)
    urls = _urls(draft)
    drafts, versions = Draft.objects.count(), DraftVersion.objects.count()

    for name, data in [("draft_create", {"title": "X", "kind": "other", "text": V1}),
                       ("version_create", {"text": V2}),
                       ("draft_from_portrait", {"title": "X"})]:
        assert client.post(urls[name], data).status_code == status, name

    assert (Draft.objects.count(), DraftVersion.objects.count()) == (drafts, versions)
