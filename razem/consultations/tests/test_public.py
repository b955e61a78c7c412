"""The public pages of a consultation: the list, the notice, the draft with its comments,
the comment form and its thank-you page, through HTTP."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from razem.conftest import client_for
from razem.consultations.actions import CommentInput, submit_comment
from razem.consultations.models import (
    MAX_JUSTIFICATION,
    Comment,
    Consultation,
    Meeting,
    Outcome,
    Position,
    Scope,
)
from razem.consultations.tests.factories import make_consultation, make_version

SLUG = "razem-dla-rozwoju"


@pytest.fixture(autouse=True)
def _fresh_caches():
    # Ids repeat between tests; rate-limit counters and cached pages must not.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def consultation(partnership_a) -> Consultation:
    return make_consultation(partnership_a, slug="test-publiczne")


def url(consultation: Consultation, page: str = "") -> str:
    base = f"/p/{consultation.partnership.slug}/konsultacje/{consultation.slug}/"
    return base + {"": "", "notice": "ogloszenie/", "comment": "uwagi/nowa/",
                   "thanks": "uwagi/dziekujemy/"}[page]


def first_paragraph(consultation: Consultation):
    return consultation.version.paragraphs.order_by("position").first()


def first_chapter(consultation: Consultation):
    return consultation.version.chapters.order_by("position").first()


def form(**overrides) -> dict:
    data = {"proposed_wording": "Liczba mieszkańców spada od 2008 roku.",
            "justification": "Dane BDL pokazują spadek od 2008 roku.",
            "author_name": "Jan Kowalski", "organisation": "", "category": "resident",
            "email": "", "consent": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def add_comment(consultation, *, anchor=None, chapter=None, **fields) -> Comment:
    data = {"justification": "Uzasadnienie uwagi.", "author_name": "Anna Nowak",
            "category": "resident", "consent": True, **fields}
    return submit_comment(consultation=consultation, data=CommentInput(**data),
                          paragraph_anchor=anchor, chapter_anchor=chapter)


# -- the list --

def test_the_list_shows_announced_consultations_to_anyone(partnership_a, consultation):
    preparing = make_consultation(partnership_a, phase="preparation", slug="test-w-przygotowaniu",
                                  title="Jeszcze nieogłoszone")
    response = client_for(None).get(f"/p/{SLUG}/konsultacje/")
    assert response.status_code == 200
    html = response.content.decode()
    assert url(consultation) in html
    assert url(consultation, "notice") in html
    assert url(preparing) not in html
    assert "/zarzadzanie/" not in html


def test_members_also_see_consultations_in_preparation_and_staff_links(
        partnership_a, consultation, coordinator, observer):
    preparing = make_consultation(partnership_a, phase="preparation", slug="test-w-przygotowaniu")
    html = client_for(coordinator).get(f"/p/{SLUG}/konsultacje/").content.decode()
    assert url(preparing) in html
    assert f"/konsultacje/zarzadzanie/{consultation.pk}/" in html
    assert f"/p/{SLUG}/konsultacje/projekty/" in html
    # An observer reads, but drafts are for those who write them.
    html = client_for(observer).get(f"/p/{SLUG}/konsultacje/").content.decode()
    assert url(preparing) in html
    assert f"/p/{SLUG}/konsultacje/projekty/" not in html


def test_the_list_links_the_report_once_positions_are_published(partnership_a):
    concluded = make_consultation(partnership_a, phase="concluded", slug="test-zakonczone")
    html = client_for(None).get(f"/p/{SLUG}/konsultacje/").content.decode()
    assert url(concluded) + "sprawozdanie/" in html


def test_the_list_counts_visible_comments(partnership_a, consultation):
    add_comment(consultation)
    hidden = add_comment(consultation)
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    html = client_for(None).get(f"/p/{SLUG}/konsultacje/").content.decode()
    card = html[html.index(url(consultation)):]
    assert re.search(r"<dd>1</dd>", card)


# -- the notice --

def test_the_notice_says_what_how_until_when_and_where(partnership_a, consultation):
    Meeting.objects.create(consultation=consultation,
                           starts_at=timezone.now() + timedelta(days=3),
                           place="Starostwo Powiatowe w Łosicach, sala 12")
    response = client_for(None).get(url(consultation, "notice"))
    assert response.status_code == 200
    html = response.content.decode()
    assert consultation.version.draft.title in html
    assert "http://testserver" + url(consultation) in html
    assert "Starostwo Powiatowe w Łosicach, sala 12" in html
    assert consultation.gdpr_clause in html
    assert consultation.how_to_comment in html
    assert str(consultation.ends_on.year) in html


def test_a_consultation_in_preparation_is_hidden_from_the_public(partnership_a, coordinator):
    preparing = make_consultation(partnership_a, phase="preparation", slug="test-w-przygotowaniu")
    for page in ("", "notice", "comment"):
        assert client_for(None).get(url(preparing, page)).status_code == 404
    assert client_for(coordinator).get(url(preparing)).status_code == 200


def test_another_partnerships_consultation_is_not_found_under_this_address(
        partnership_b, outsider):
    other = make_consultation(partnership_b, slug="test-obce")
    path = f"/p/{SLUG}/konsultacje/{other.slug}/"
    assert client_for(None).get(path).status_code == 404
    assert client_for(outsider).get(path).status_code == 404
    response = client_for(None).post(path + "uwagi/nowa/", form())
    assert response.status_code == 404
    assert not Comment.objects.filter(consultation=other).exists()


# -- the draft --

def test_the_draft_shows_chapters_paragraphs_and_comment_links(consultation):
    paragraph = first_paragraph(consultation)
    chapter = first_chapter(consultation)
    response = client_for(None).get(url(consultation))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="r-{chapter.anchor}"' in html
    for p in consultation.version.paragraphs.all():
        assert f'id="p-{p.anchor}"' in html
    assert f"uwagi/nowa/?akapit={paragraph.anchor}" in html
    assert f"uwagi/nowa/?rozdzial={chapter.anchor}" in html
    assert f'href="{url(consultation, "comment")}"' in html


def test_the_draft_shows_comments_beside_their_paragraph(consultation):
    paragraph = first_paragraph(consultation)
    chapter = first_chapter(consultation)
    add_comment(consultation, anchor=paragraph.anchor, justification="Uwaga do akapitu")
    add_comment(consultation, chapter=chapter.anchor, justification="Uwaga do rozdziału")
    add_comment(consultation, justification="Uwaga do całości",
                organisation="Stowarzyszenie Nadbużańskie", category="ngo")
    html = client_for(None).get(url(consultation)).content.decode()
    block = html[html.index(f'id="p-{paragraph.anchor}"'):]
    block = block[:block.index('id="p-', 10)]
    assert "Uwaga do akapitu" in block and 'id="uwaga-1"' in block
    section = html[html.index('id="dokument"'):html.index(f'id="r-{chapter.anchor}"')]
    assert "Uwaga do całości" in section and "Stowarzyszenie Nadbużańskie" in section
    chapter_part = html[html.index(f'id="r-{chapter.anchor}"'):html.index(
        f'id="p-{paragraph.anchor}"')]
    assert "Uwaga do rozdziału" in chapter_part


def test_a_natural_persons_name_never_appears_on_the_public_pages(consultation):
    add_comment(consultation, anchor=first_paragraph(consultation).anchor,
                author_name="Zofia Wiśniewska-Tajna", email="zofia@example.org")
    add_comment(consultation, author_name="Piotr Ukryty", organisation="Fundacja Bug",
                category="ngo")
    for page in ("", "notice"):
        html = client_for(None).get(url(consultation, page)).content.decode()
        assert "Wiśniewska-Tajna" not in html and "zofia@example.org" not in html
        assert "Piotr Ukryty" not in html
    html = client_for(None).get(url(consultation)).content.decode()
    assert "Fundacja Bug" in html


def test_a_hidden_comment_keeps_its_number_but_not_its_text(consultation):
    hidden = add_comment(consultation, justification="Obraźliwa treść do ukrycia")
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(),
                                                hidden_reason="wulgaryzmy")
    Consultation.objects.filter(pk=consultation.pk).update(updated_at=timezone.now())
    html = client_for(None).get(url(consultation)).content.decode()
    assert "Obraźliwa treść" not in html and "wulgaryzmy" not in html
    assert 'id="uwaga-1"' in html and "consult-comment-hidden" in html


def test_late_comments_are_flagged_and_positions_shown_once_published(partnership_a):
    concluded = make_consultation(partnership_a, phase="concluded", slug="test-zakonczone")
    comment = Comment.objects.create(
        consultation=concluded, scope=Scope.DOCUMENT, justification="Spóźniona uwaga",
        author_name="X", category="resident", consent=True, channel="paper",
        received_on=concluded.ends_on + timedelta(days=2), is_late=True)
    on_time = Comment.objects.create(
        consultation=concluded, scope=Scope.DOCUMENT, justification="Uwaga w terminie",
        author_name="Y", category="resident", consent=True, channel="online",
        received_on=concluded.ends_on)
    Position.objects.create(comment=on_time, outcome=Outcome.PARTLY_ACCEPTED,
                            justification="Uzupełniono dane za 2008 rok.")
    html = client_for(None).get(url(concluded)).content.decode()
    assert "consult-late" in html
    assert "Uzupełniono dane za 2008 rok." in html
    assert "consult-outcome-partly_accepted" in html
    assert url(concluded) + "sprawozdanie/" in html
    # Not yet published: the position stays with the staff.
    Consultation.objects.filter(pk=concluded.pk).update(positions_published_at=None,
                                                        updated_at=timezone.now())
    html = client_for(None).get(url(concluded)).content.decode()
    assert "Uzupełniono dane za 2008 rok." not in html
    assert "?akapit=" not in html  # ended: no comment links


def test_members_see_a_link_to_the_workspace(consultation, observer):
    add_comment(consultation)
    html = client_for(observer).get(url(consultation)).content.decode()
    assert f"/zarzadzanie/{consultation.pk}/" in html
    html = client_for(None).get(url(consultation)).content.decode()
    assert "/zarzadzanie/" not in html


def test_a_new_comment_shows_at_once_despite_the_cache(consultation):
    client = client_for(None)
    assert "Nowa uwaga po wizycie" not in client.get(url(consultation)).content.decode()
    add_comment(consultation, justification="Nowa uwaga po wizycie")
    assert "Nowa uwaga po wizycie" in client.get(url(consultation)).content.decode()


def test_lists_and_tables_are_rendered_as_such(partnership_a):
    version = make_version(partnership_a, [("Dane", ["Wstęp", "pierwszy", "drugi", "tabela"])])
    paragraphs = list(version.paragraphs.order_by("position"))
    for p in paragraphs[1:3]:
        p.kind = "list_item"
        p.save()
    paragraphs[3].kind = "table"
    paragraphs[3].cells = [["Gmina", "Ludność"], ["Łosice", "7000"]]
    paragraphs[3].save()
    consultation = make_consultation(partnership_a, version=version, slug="test-tabele")
    html = client_for(None).get(url(consultation)).content.decode()
    assert re.search(r'<ul class="consult-list">\s*<li class="consult-block consult-kind-list_item"'
                     rf' id="p-{paragraphs[1].anchor}"', html)
    assert html.count('<ul class="consult-list">') == 1
    assert "<caption" in html and '<th scope="col">Ludność</th>' in html


# -- the number of queries does not grow with the draft --

def _big_draft(partnership, chapters: int, per_chapter: int, comments: int, slug: str):
    version = make_version(partnership, [
        (f"Rozdział {c}", [f"Akapit {c}.{i}" for i in range(per_chapter)])
        for c in range(chapters)])
    consultation = make_consultation(partnership, version=version, slug=slug)
    anchors = list(version.paragraphs.values_list("anchor", flat=True))
    chapter_ids = list(version.chapters.values_list("id", flat=True))
    paragraph_ids = list(version.paragraphs.values_list("id", "chapter_id"))
    today = timezone.localdate()
    rows = []
    for i in range(comments):
        paragraph_id, chapter_id = paragraph_ids[i % len(paragraph_ids)]
        kind = i % 10
        rows.append(Comment(
            consultation=consultation,
            scope=Scope.DOCUMENT if kind == 0 else Scope.CHAPTER if kind == 1 else Scope.PARAGRAPH,
            paragraph_id=paragraph_id if kind > 1 else None,
            chapter_id=chapter_ids[i % len(chapter_ids)] if kind == 1 else
            (chapter_id if kind > 1 else None),
            justification=f"Uwaga {i}", proposed_wording="Nowe brzmienie" if i % 3 else "",
            author_name=f"Osoba {i}", organisation="Fundacja" if i % 4 == 0 else "",
            category="ngo" if i % 4 == 0 else "resident", consent=True, channel="online",
            received_on=today, hidden_at=timezone.now() if i % 50 == 0 else None))
    created = Comment.objects.bulk_create(rows)
    Position.objects.bulk_create([
        Position(comment=c, outcome=Outcome.ACCEPTED, justification="Tak") for c in created[::2]])
    assert anchors
    return consultation


def _queries_for_page(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("member", [False, True])
def test_the_draft_page_takes_as_many_queries_for_a_large_draft_as_for_a_small_one(
        partnership_a, observer, member):
    small = _big_draft(partnership_a, chapters=2, per_chapter=2, comments=3, slug="test-maly")
    large = _big_draft(partnership_a, chapters=6, per_chapter=50, comments=600,
                       slug="test-duzy")
    client = client_for(observer if member else None)
    assert _queries_for_page(client, url(small)) == _queries_for_page(client, url(large))
    # Four for the page (chapters, paragraphs, comments with positions, meetings), the
    # rest load the consultation (and a member's membership, session and user).
    assert _queries_for_page(client, url(large)) <= (9 if member else 5)


def test_a_large_draft_renders_quickly_once_cached(partnership_a):
    """A local timing check (printed, not asserted: the bench measures it)."""
    import time

    large = _big_draft(partnership_a, chapters=10, per_chapter=30, comments=2000,
                       slug="test-duzy")
    client = client_for(None)
    started = time.perf_counter()
    response = client.get(url(large))
    cold = time.perf_counter() - started
    assert response.status_code == 200
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        client.get(url(large))
        timings.append(time.perf_counter() - started)
    timings.sort()
    print(f"\ndraft page, 300 paragraphs, 2000 comments: cold {cold * 1000:.0f} ms, "
          f"warm p50 {timings[5] * 1000:.1f} ms; {len(response.content) // 1024} KiB")


# -- the comment form --

def test_the_form_quotes_the_paragraph(consultation):
    paragraph = first_paragraph(consultation)
    response = client_for(None).get(url(consultation, "comment") + f"?akapit={paragraph.anchor}")
    assert response.status_code == 200
    html = response.content.decode()
    assert paragraph.text in html
    assert 'name="current_wording"' not in html
    assert 'name="justification"' in html and 'maxlength="5000"' in html
    assert consultation.gdpr_clause in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_form_for_a_chapter_or_the_whole_document_asks_for_the_current_wording(
        consultation):
    chapter = first_chapter(consultation)
    for query in (f"?rozdzial={chapter.anchor}", ""):
        response = client_for(None).get(url(consultation, "comment") + query)
        assert response.status_code == 200
        assert 'name="current_wording"' in response.content.decode()


def test_an_unknown_paragraph_is_not_found(consultation):
    assert client_for(None).get(url(consultation, "comment") + "?akapit=nieistnieje"
                                ).status_code == 404
    assert client_for(None).get(url(consultation, "comment") + "?rozdzial=nieistnieje"
                                ).status_code == 404
    response = client_for(None).post(url(consultation, "comment") + "?akapit=nieistnieje",
                                     form())
    assert response.status_code == 400
    assert "Dane BDL pokazują spadek" in response.content.decode()
    assert not Comment.objects.filter(consultation=consultation).exists()


def test_a_comment_on_a_paragraph_is_saved_and_thanked_for(consultation):
    paragraph = first_paragraph(consultation)
    client = client_for(None)
    response = client.post(url(consultation, "comment") + f"?akapit={paragraph.anchor}", form())
    assert response.status_code == 303
    assert response["Location"].startswith(url(consultation, "thanks") + "?nr=")
    saved = Comment.objects.get(consultation=consultation)
    assert saved.scope == Scope.PARAGRAPH and saved.paragraph == paragraph
    assert saved.current_wording == paragraph.text
    assert saved.channel == "online" and saved.consent
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "<strong>" in thanks.content.decode() and "#uwaga-1" in thanks.content.decode()
    assert not mail.outbox


def test_a_comment_on_a_chapter_and_on_the_whole_document(consultation):
    chapter = first_chapter(consultation)
    client = client_for(None)
    assert client.post(url(consultation, "comment") + f"?rozdzial={chapter.anchor}",
                       form(current_wording="Cały rozdział")).status_code == 303
    assert client.post(url(consultation, "comment"), form()).status_code == 303
    on_chapter, on_document = Comment.objects.filter(consultation=consultation)
    assert on_chapter.scope == Scope.CHAPTER and on_chapter.chapter == chapter
    assert on_chapter.current_wording == "Cały rozdział"
    assert on_document.scope == Scope.DOCUMENT and on_document.chapter is None


def test_an_email_gets_a_confirmation_with_the_number(
        consultation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(url(consultation, "comment"),
                                         form(email="Jan@Example.org"))
    assert response.status_code == 303
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jan@example.org"]
    assert "1" in message.subject
    assert "http://testserver" + url(consultation) in message.body
    assert str(consultation.ends_on.year) in message.body


def test_script_in_a_comment_is_rendered_inert(consultation):
    script = "<script>alert(1)</script>"
    response = client_for(None).post(url(consultation, "comment"),
                                     form(justification=script, proposed_wording=script,
                                          organisation="<b>Org</b>", category="ngo"))
    assert response.status_code == 303
    assert Comment.objects.get(consultation=consultation).justification == script
    html = client_for(None).get(url(consultation)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<b>Org</b>" not in html


def test_over_long_text_is_refused_with_the_text_kept(consultation):
    long_text = "x" * (MAX_JUSTIFICATION + 1)
    response = client_for(None).post(url(consultation, "comment"),
                                     form(justification=long_text))
    assert response.status_code == 400
    html = response.content.decode()
    assert long_text in html and 'aria-invalid="true"' in html and 'id="error-summary"' in html
    assert not Comment.objects.filter(consultation=consultation).exists()


@pytest.mark.parametrize("field, value", [("consent", None), ("category", "admin"),
                                          ("justification", ""), ("author_name", "  "),
                                          ("email", "not-an-address")])
def test_bad_input_is_refused_and_nothing_is_lost(consultation, field, value):
    response = client_for(None).post(url(consultation, "comment"), form(**{field: value}))
    assert response.status_code == 400
    assert "Liczba mieszkańców spada od 2008 roku." in response.content.decode()
    assert not Comment.objects.filter(consultation=consultation).exists()


def test_a_comment_after_the_end_is_refused_and_not_saved(partnership_a):
    ended = make_consultation(partnership_a, phase="review", slug="test-po-terminie")
    get = client_for(None).get(url(ended, "comment"))
    assert get.status_code == 200 and 'name="justification"' not in get.content.decode()
    response = client_for(None).post(url(ended, "comment"), form())
    assert response.status_code == 409
    assert "Dane BDL pokazują spadek" in response.content.decode()
    assert not Comment.objects.filter(consultation=ended).exists()


def test_a_comment_before_the_start_is_refused(partnership_a, coordinator):
    preparing = make_consultation(partnership_a, phase="preparation", slug="test-przed")
    response = client_for(coordinator).post(url(preparing, "comment"), form())
    assert response.status_code == 409
    assert not Comment.objects.filter(consultation=preparing).exists()


def test_rapid_posts_are_rate_limited(consultation, settings):
    settings.RAZEM_COMMENT_RATE_LIMIT = "2/600"
    client = client_for(None)
    for _ in range(2):
        assert client.post(url(consultation, "comment"), form()).status_code == 303
    response = client.post(url(consultation, "comment"), form(justification="Trzecia uwaga"))
    assert response.status_code == 429
    assert "Trzecia uwaga" in response.content.decode()
    assert Comment.objects.filter(consultation=consultation).count() == 2


def test_the_form_keeps_csrf_protection(consultation):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url(consultation, "comment"), form())
    assert response.status_code == 403
    assert not Comment.objects.filter(consultation=consultation).exists()


def test_the_thanks_page_ignores_a_forged_number(consultation):
    response = client_for(None).get(url(consultation, "thanks") + "?nr=12")
    assert response.status_code == 200
    assert "#uwaga-" not in response.content.decode()


def test_every_consultation_of_the_demo_renders(partnership_a, coordinator):
    for consultation in Consultation.objects.filter(partnership=partnership_a):
        for user in (None, coordinator):
            expected = 200 if consultation.notice_published_on or user else 404
            for page in ("", "notice", "comment"):
                response = client_for(user).get(url(consultation, page))
                assert response.status_code == expected, (consultation.slug, page, user)
