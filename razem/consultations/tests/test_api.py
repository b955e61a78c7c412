"""The consultations API: announced consultations only, anonymised comments, positions
only once published."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from razem.conftest import client_for
from razem.consultations.models import Consultation, Draft
from razem.consultations.tests.factories import make_consultation
from razem.consultations.tests.test_report import (
    HIDDEN_REASON,
    HIDDEN_TEXT,
    NATURAL_NAMES,
    ORGANISATIONS,
    _fill,
)

BASE = "/api/v1/partnerships/razem-dla-rozwoju/consultations/"


@pytest.fixture(autouse=True)
def _only_our_consultations(partnership_a):
    Consultation.objects.filter(partnership=partnership_a).delete()
    Draft.objects.filter(partnership=partnership_a).delete()


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


def _get(path: str):
    return client_for(None).get(path)


def test_the_list_has_announced_consultations_only(concluded, partnership_a):
    make_consultation(partnership_a, phase="preparation", slug="w-przygotowaniu")
    open_one = make_consultation(partnership_a, phase="open", slug="otwarta")

    response = _get(BASE)

    assert response.status_code == 200
    items = {item["slug"]: item for item in response.json()}
    assert set(items) == {concluded.slug, open_one.slug}
    item = items[concluded.slug]
    assert item["phase"] == "concluded" and item["comment_count"] == 6
    assert item["starts_on"] == concluded.notice_published_on.isoformat()
    assert item["report_page"].endswith("/sprawozdanie/")
    assert items["otwarta"]["report_page"] is None
    assert item["api"] == f"{BASE}{concluded.pk}/"


def test_the_detail_has_the_draft_anchors_and_every_comment(concluded):
    response = _get(f"{BASE}{concluded.pk}/")

    assert response.status_code == 200
    body = response.json()
    anchors = [p["anchor"] for c in body["draft"]["chapters"] for p in c["paragraphs"]]
    assert anchors == list(concluded.version.paragraphs.order_by("position")
                           .values_list("anchor", flat=True))
    comments = body["comments"]
    assert [c["number"] for c in comments] == [1, 2, 3, 4, 5, 6]
    first = comments[0]
    assert first["scope"] == "paragraph" and first["paragraph"] in anchors
    assert first["chapter"] == body["draft"]["chapters"][1]["anchor"]
    assert first["position"]["outcome"] == "accepted"
    assert first["position"]["next_paragraph"]["version"] == 2
    assert comments[3]["is_late"] is True and comments[3]["position"] is None


def test_comments_are_anonymised_and_hidden_ones_have_no_text(concluded):
    raw = _get(f"{BASE}{concluded.pk}/").content.decode("utf-8")
    text = json.dumps(json.loads(raw), ensure_ascii=False)

    for name in NATURAL_NAMES:
        assert name not in text
    assert "ktos@example.org" not in text and HIDDEN_TEXT not in text
    for organisation in ORGANISATIONS:
        assert organisation in text
    hidden = json.loads(raw)["comments"][4]
    assert hidden["hidden"] is True and hidden["justification"] is None
    assert hidden["hidden_reason"] == HIDDEN_REASON
    assert json.loads(raw)["comments"][0]["author"] == "osoba fizyczna" or \
        json.loads(raw)["comments"][0]["author"] == "natural person"


def test_positions_are_hidden_until_published(in_review):
    body = _get(f"{BASE}{in_review.pk}/").json()

    assert body["report_page"] is None
    assert all(comment["position"] is None for comment in body["comments"])
    in_review.positions_published_at = timezone.now()
    in_review.save()
    body = _get(f"{BASE}{in_review.pk}/").json()
    assert body["comments"][0]["position"]["outcome"] == "accepted"


def test_an_unannounced_consultation_is_not_found(partnership_a):
    consultation = make_consultation(partnership_a, phase="preparation")

    assert _get(f"{BASE}{consultation.pk}/").status_code == 404


def test_another_partnerships_consultation_is_not_found(partnership_b):
    consultation = make_consultation(partnership_b, phase="concluded", slug="obca")

    assert _get(f"{BASE}{consultation.pk}/").status_code == 404
    other = f"/api/v1/partnerships/{partnership_b.slug}/consultations/{consultation.pk}/"
    assert _get(other).status_code == 200


def test_an_unknown_partnership_is_not_found(cast):
    assert _get("/api/v1/partnerships/nie-ma/consultations/").status_code == 404
