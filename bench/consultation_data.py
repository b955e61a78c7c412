"""A large consultation for the consultation benchmarks: a draft version of 300
paragraphs in 15 chapters and 2,000 comments with published positions.

Written straight into the tables (bulk inserts), not through the workflows: what is
measured is the page and the report, not how the rows got there. Deleted afterwards,
so the bench database is left as load_demo made it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from razem.consultations.models import (
    Chapter,
    Comment,
    CommentChannel,
    CommenterCategory,
    Consultation,
    ConsultedGroup,
    Draft,
    DraftKind,
    DraftVersion,
    Outcome,
    Paragraph,
    Position,
    Scope,
    VersionSource,
)
from razem.core.models import Partnership

CHAPTERS = 15
PARAGRAPHS = 300
COMMENTS = 2_000
SLUG = "bench-konsultacje"
TITLE = "Projekt strategii (pomiar wydajności)"
SEED = 5
WORDS = ("gmina", "mieszkańcy", "droga", "szkoła", "kanalizacja", "dojazd", "Siedlce",
         "przedsiębiorcy", "rolnictwo", "seniorzy", "transport", "budżet", "inwestycja",
         "partnerstwo", "współpraca", "ludność", "praca", "woda", "energia", "kultura")
ORGANISATIONS = ("Gmina Sarnaki", "Stowarzyszenie „Zielone Podlasie”", "Wody Polskie",
                 "Spółdzielnia Mleczarska", "Powiatowy Urząd Pracy")


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def create(partnership: Partnership) -> Consultation:
    """The draft, its version and the concluded consultation with every comment."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        draft = Draft.objects.create(partnership=partnership, title=TITLE,
                                     kind=DraftKind.STRATEGY)
        version = DraftVersion.objects.create(draft=draft, number=1,
                                              source=VersionSource.MARKDOWN)
        chapters = Chapter.objects.bulk_create([
            Chapter(version=version, position=n, anchor=f"r{n:03d}",
                    title=f"Rozdział {n + 1}. {_sentence(rng, 3)}") for n in range(CHAPTERS)])
        per_chapter = PARAGRAPHS // CHAPTERS
        paragraphs = Paragraph.objects.bulk_create([
            Paragraph(version=version, chapter=chapters[n // per_chapter], position=n,
                      anchor=f"a{n:04d}", text=" ".join(_sentence(rng, 12) for _ in range(3)))
            for n in range(PARAGRAPHS)], batch_size=500)
        consultation = Consultation.objects.create(
            partnership=partnership, version=version, slug=SLUG, title=TITLE,
            notice="Konsultacje projektu strategii.", how_to_comment="Przez formularz.",
            groups=list(ConsultedGroup.values), channels=list(CommentChannel.values),
            gdpr_clause="Administratorem danych jest Starosta Łosicki.",
            notice_published_on=today - timedelta(days=80), ends_on=today - timedelta(days=44),
            positions_published_at=timezone.now() - timedelta(days=20))
        categories, channels = CommenterCategory.values, CommentChannel.values
        comments = []
        for n in range(COMMENTS):
            roll = rng.random()
            paragraph = rng.choice(paragraphs) if roll < 0.8 else None
            chapter = paragraph.chapter if paragraph else (
                rng.choice(chapters) if roll < 0.95 else None)
            scope = (Scope.PARAGRAPH if paragraph else Scope.CHAPTER if chapter
                     else Scope.DOCUMENT)
            category = rng.choice(categories)
            late = rng.random() < 0.02
            received = consultation.ends_on + timedelta(days=2) if late else \
                consultation.notice_published_on + timedelta(days=rng.randrange(36))
            hidden = rng.random() < 0.01
            comments.append(Comment(
                consultation=consultation, scope=scope, paragraph=paragraph, chapter=chapter,
                current_wording=paragraph.text if paragraph else "",
                proposed_wording=_sentence(rng, 15) if rng.random() < 0.5 else "",
                justification=" ".join(_sentence(rng, 14) for _ in range(rng.randrange(1, 5))),
                author_name=f"Osoba {n}",
                organisation=rng.choice(ORGANISATIONS) if category != "resident" else "",
                category=category, email="", consent=True, channel=rng.choice(channels),
                received_on=received, is_late=late,
                created_at=timezone.make_aware(datetime.combine(received, time(12))),
                hidden_at=timezone.now() - timedelta(days=30) if hidden else None,
                hidden_reason="Obraźliwe słowa." if hidden else ""))
        comments = Comment.objects.bulk_create(comments, batch_size=500)
        Position.objects.bulk_create([
            Position(comment=comment, outcome=rng.choice(Outcome.values),
                     justification=_sentence(rng, 20))
            for comment in comments if not comment.is_late and comment.hidden_at is None
        ], batch_size=500)
    return consultation


def delete(consultation: Consultation) -> None:
    with transaction.atomic():
        draft = consultation.version.draft
        Position.objects.filter(comment__consultation=consultation).delete()
        # Comments protect their paragraphs, the consultation its version: children first.
        consultation.comments.all().delete()
        consultation.delete()
        draft.delete()


@contextmanager
def bench_consultation(partnership: Partnership) -> Iterator[Consultation]:
    consultation = create(partnership)
    try:
        yield consultation
    finally:
        delete(consultation)
