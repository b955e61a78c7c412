"""The demo partnership's consultations (load_demo): a concluded one of a diagnosis draft
in two versions, with its public report, and an open one; loading twice adds nothing."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from razem.conftest import client_for
from razem.consultations.demo import FINISHED_SLUG, OPEN_SLUG
from razem.consultations.models import (
    Change,
    Comment,
    CommentChannel,
    CommenterCategory,
    Consultation,
    Draft,
    DraftKind,
    Paragraph,
    Phase,
    Position,
)


def _load_demo() -> None:
    call_command("load_demo", data_dir=Path("/nonexistent"), stdout=io.StringIO())


def test_the_demo_has_a_concluded_consultation_of_a_draft_in_two_versions(partnership_a):
    consultation = Consultation.objects.get(partnership=partnership_a, slug=FINISHED_SLUG)

    assert consultation.phase == Phase.CONCLUDED
    assert (consultation.ends_on - consultation.notice_published_on).days >= 35
    draft = consultation.version.draft
    assert draft.kind == DraftKind.DIAGNOSIS and consultation.version.number == 1
    assert draft.versions.count() == 2
    second = draft.versions.get(number=2)
    changes = set(second.paragraphs.values_list("change", flat=True))
    assert {Change.EDITED, Change.NEW, Change.UNCHANGED} <= changes
    # A paragraph of version 1 is removed in version 2.
    assert Paragraph.objects.filter(version=consultation.version, successors__isnull=True).exists()
    assert consultation.meetings.exclude(minutes="").exists()


def test_the_concluded_consultation_has_comments_of_every_category_and_channel(partnership_a):
    consultation = Consultation.objects.get(partnership=partnership_a, slug=FINISHED_SLUG)
    comments = consultation.comments.all()

    assert set(comments.values_list("category", flat=True)) == set(CommenterCategory.values)
    assert set(comments.values_list("channel", flat=True)) == set(CommentChannel.values)
    assert comments.filter(is_late=True).count() == 1
    assert comments.filter(hidden_at__isnull=False).exclude(hidden_reason="").count() == 1
    considered = comments.considered()
    assert considered.filter(position__isnull=True).count() == 0
    outcomes = set(Position.objects.filter(comment__consultation=consultation)
                   .values_list("outcome", flat=True))
    assert outcomes == {"accepted", "partly_accepted", "rejected", "explained"}
    assert Position.objects.filter(comment__consultation=consultation,
                                   next_paragraph__version__number=2).exists()
    assert consultation.positions_published_at is not None


def test_the_demo_report_is_public(partnership_a):
    url = reverse("consultations:report", args=[partnership_a.slug, FINISHED_SLUG])
    response = client_for(None).get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Gmina Sarnaki" in html
    names = Comment.objects.filter(consultation__slug=FINISHED_SLUG, organisation="") \
        .values_list("author_name", flat=True)
    assert names and not any(name in html for name in names)


def test_the_demo_has_an_open_consultation_of_the_second_version(partnership_a):
    consultation = Consultation.objects.get(partnership=partnership_a, slug=OPEN_SLUG)

    assert consultation.phase == Phase.OPEN and consultation.version.number == 2
    assert (consultation.ends_on - consultation.notice_published_on).days >= 35
    assert consultation.comments.exists()
    assert consultation.positions_published_at is None


def test_loading_the_demo_twice_duplicates_nothing(partnership_a):
    counts = (Draft.objects.count(), Consultation.objects.count(), Comment.objects.count(),
              Position.objects.count(), Paragraph.objects.count())
    _load_demo()

    assert counts == (Draft.objects.count(), Consultation.objects.count(),
                      Comment.objects.count(), Position.objects.count(),
                      Paragraph.objects.count())
