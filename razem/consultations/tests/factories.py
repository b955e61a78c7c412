"""Small builders for consultation tests: a draft version straight into the tables (no
parsing), and a consultation in a chosen phase."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from razem.consultations.models import (
    Chapter,
    Consultation,
    ConsultedGroup,
    CommentChannel,
    Draft,
    DraftKind,
    DraftVersion,
    Paragraph,
    VersionSource,
)

DEFAULT_CHAPTERS = [
    ("Wprowadzenie", ["Diagnoza obejmuje 16 jednostek partnerstwa.",
                      "Dane pochodzą z Banku Danych Lokalnych GUS."]),
    ("Demografia", ["Liczba mieszkańców spada od 2010 roku.",
                    "Rośnie udział osób w wieku poprodukcyjnym.",
                    "Młodzi wyjeżdżają do Siedlec i Warszawy."]),
]


def make_version(partnership, chapters=None, *, draft: Draft | None = None,
                 title: str = "Projekt diagnozy") -> DraftVersion:
    draft = draft or Draft.objects.create(partnership=partnership, title=title,
                                          kind=DraftKind.DIAGNOSIS)
    number = (draft.versions.order_by("-number").values_list("number", flat=True).first()
              or 0) + 1
    version = DraftVersion.objects.create(draft=draft, number=number,
                                          source=VersionSource.MARKDOWN)
    position = 0
    for index, (heading, texts) in enumerate(chapters or DEFAULT_CHAPTERS):
        chapter = Chapter.objects.create(version=version, position=index, title=heading)
        for text in texts:
            Paragraph.objects.create(version=version, chapter=chapter, position=position,
                                     text=text)
            position += 1
    return version


def make_consultation(partnership, *, phase: str = "open", version: DraftVersion | None = None,
                      slug: str = "diagnoza", title: str = "Konsultacje projektu diagnozy"
                      ) -> Consultation:
    """phase: "preparation", "open", "review" (ended, positions unpublished) or "concluded"."""
    today = timezone.localdate()
    published, ends = {
        "preparation": (None, today + timedelta(days=40)),
        "open": (today - timedelta(days=5), today + timedelta(days=30)),
        "review": (today - timedelta(days=45), today - timedelta(days=10)),
        "concluded": (today - timedelta(days=80), today - timedelta(days=45)),
    }[phase]
    consultation = Consultation.objects.create(
        partnership=partnership, version=version or make_version(partnership), slug=slug,
        title=title, notice="Zapraszamy do składania uwag do projektu diagnozy.",
        how_to_comment="Przez formularz na stronie, pocztą lub na spotkaniu.",
        groups=list(ConsultedGroup.values), channels=list(CommentChannel.values),
        gdpr_clause="Administratorem danych jest Starosta Łosicki.",
        notice_published_on=published, ends_on=ends,
    )
    if phase == "concluded":
        consultation.positions_published_at = timezone.now() - timedelta(days=40)
        consultation.save(update_fields=["positions_published_at"])
    return consultation
