"""Changes to the portrait: conclusions and publication, each logged in its transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from razem.core.actions import diff, log_action
from razem.core.models import Partnership, User
from razem.portrait.models import DiagnosisConclusion, PortraitSettings

CONCLUSION_FIELDS = ("kind", "dimension", "text", "indicator_codes", "survey_questions", "order")


def _state(conclusion: DiagnosisConclusion) -> dict[str, Any]:
    return {name: getattr(conclusion, name) for name in CONCLUSION_FIELDS}


def _next_order(partnership: Partnership, kind: str) -> int:
    highest = partnership.diagnosis_conclusions.filter(kind=kind).aggregate(m=Max("order"))["m"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def create_conclusion(
    *, partnership: Partnership, by: User, kind: str, dimension: str, text: str,
    indicator_codes: list[str], order: int | None = None,
    survey_questions: list[dict] | None = None,
) -> DiagnosisConclusion:
    conclusion = DiagnosisConclusion.objects.create(
        partnership=partnership, kind=kind, dimension=dimension, text=text,
        indicator_codes=list(indicator_codes), survey_questions=list(survey_questions or []),
        order=_next_order(partnership, kind) if order is None else order, created_by=by,
    )
    log_action(actor=by, partnership=partnership, action="conclusion.created", obj=conclusion,
               changes={name: [None, value] for name, value in _state(conclusion).items()})
    return conclusion


@transaction.atomic
def update_conclusion(
    *, conclusion: DiagnosisConclusion, by: User, kind: str, dimension: str, text: str,
    indicator_codes: list[str], order: int | None = None,
    survey_questions: list[dict] | None = None,
) -> dict[str, list[Any]]:
    """Save the changed fields; survey_questions None leaves the cited questions as they are."""
    old = _state(conclusion)
    conclusion.kind, conclusion.dimension, conclusion.text = kind, dimension, text
    conclusion.indicator_codes = list(indicator_codes)
    if survey_questions is not None:
        conclusion.survey_questions = list(survey_questions)
    if order is not None:
        conclusion.order = order
    elif kind != old["kind"]:
        conclusion.order = _next_order(conclusion.partnership, kind)
    changes = diff(old, _state(conclusion))
    if changes:
        conclusion.save()
        log_action(actor=by, partnership=conclusion.partnership, action="conclusion.changed",
                   obj=conclusion, changes=changes)
    return changes


@transaction.atomic
def delete_conclusion(*, conclusion: DiagnosisConclusion, by: User) -> None:
    log_action(actor=by, partnership=conclusion.partnership, action="conclusion.deleted",
               obj=conclusion,
               changes={name: [value, None] for name, value in _state(conclusion).items()})
    conclusion.delete()


@transaction.atomic
def set_published(*, partnership: Partnership, by: User, published: bool) -> bool:
    """Publish or withdraw the portrait; False when it already was in that state."""
    settings, _created = PortraitSettings.objects.select_for_update().get_or_create(
        partnership=partnership)
    if settings.published == published:
        return False
    settings.published = published
    if published:
        settings.published_at, settings.published_by = timezone.now(), by
    settings.save()
    log_action(actor=by, partnership=partnership,
               action="portrait.published" if published else "portrait.unpublished",
               obj=settings, changes={"published": [not published, published]})
    # Public pages show whether the portrait is published; their caches follow updated_at.
    partnership.touch()
    return True


@transaction.atomic
def set_reference_year(*, partnership: Partnership, by: User, year: int | None) -> bool:
    settings, _created = PortraitSettings.objects.select_for_update().get_or_create(
        partnership=partnership)
    if settings.reference_year == year:
        return False
    log_action(actor=by, partnership=partnership, action="portrait.year_changed", obj=settings,
               changes={"reference_year": [settings.reference_year, year]})
    settings.reference_year = year
    settings.save()
    partnership.touch()
    return True
