"""Workflows that change surveys; each logs itself in the same transaction.

One-time codes are credentials: the log records how many were made and for whom,
never the codes themselves.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from razem.core.actions import diff, log_action
from razem.core.models import Partnership, User
from razem.surveys import models, questionnaires
from razem.surveys.definition import SurveyDefinition
from razem.surveys.models import Anonymity, CodeBatch, OneTimeCode, Survey

EDITABLE_FIELDS = ("title", "slug", "introduction", "gdpr_clause", "opens_on", "closes_on",
                   "anonymity", "codes_required")
CODE_ATTEMPTS = 5


class SurveyHasResponses(Exception):
    """The questions (or the promise of anonymity) are fixed once anyone has answered."""


def _state(survey: Survey) -> dict[str, Any]:
    state = {name: getattr(survey, name) for name in EDITABLE_FIELDS}
    # The audit log stores JSON; dates as ISO text read the same in the log page.
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in state.items()}


def _created_changes(survey: Survey) -> dict[str, list[Any]]:
    state = _state(survey) | {"audience": survey.audience, "template": survey.template,
                              "questions": len(survey.questionnaire.questions)}
    return {key: [None, value] for key, value in state.items() if value not in ("", None)}


@transaction.atomic
def create_from_template(
    *, partnership: Partnership, by: User, key: str, slug: str, opens_on: date,
    closes_on: date, title: str | None = None,
) -> Survey:
    """Raises ValueError (Polish message) when the slug is taken or the dates reversed."""
    survey = questionnaires.create_from_template(
        partnership, key, slug=slug, opens_on=opens_on, closes_on=closes_on, title=title or None,
    )
    log_action(actor=by, partnership=partnership, action="survey.created", obj=survey,
               changes=_created_changes(survey))
    return survey


@transaction.atomic
def import_survey(
    *, partnership: Partnership, by: User | None, definition: SurveyDefinition, audience: str,
    slug: str, title: str, opens_on: date, closes_on: date, gdpr_clause: str,
) -> Survey:
    """A survey from an XLSForm already read and checked (razem.surveys.xlsform)."""
    survey = Survey(
        partnership=partnership, slug=slug, audience=audience, title=title,
        gdpr_clause=gdpr_clause, opens_on=opens_on, closes_on=closes_on,
    )
    survey.set_questionnaire(definition)
    survey.save()
    log_action(actor=by, partnership=partnership, action="survey.imported", obj=survey,
               changes=_created_changes(survey))
    return survey


@transaction.atomic
def update_survey(*, survey: Survey, by: User, **values: Any) -> dict[str, list[Any]]:
    """Save the changed fields of EDITABLE_FIELDS; returns the changes as logged."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    has_responses = locked.responses.exists()
    becomes = values.get("anonymity", survey.anonymity)
    if (has_responses and locked.anonymity == Anonymity.ANONYMOUS
            and becomes != Anonymity.ANONYMOUS):
        raise SurveyHasResponses
    old = _state(survey)
    for name, value in values.items():
        setattr(survey, name, value)
    changes = diff(old, _state(survey))
    if not changes:
        return changes
    survey.save(update_fields=[*[name for name in values if name in changes], "updated_at"])
    if "anonymity" in changes and survey.anonymity == Anonymity.ANONYMOUS:
        # The survey now promises anonymity: responses given in confidential mode lose
        # what that promise forbids, so every row of the survey keeps it.
        scrubbed = survey.responses.exclude(submitted_at=None, respondent=None).update(
            submitted_at=None, respondent=None)
        if scrubbed:
            changes["responses_made_anonymous"] = [None, scrubbed]
    log_action(actor=by, partnership=survey.partnership, action="survey.changed", obj=survey,
               changes=changes)
    return changes


@transaction.atomic
def replace_questions(*, survey: Survey, by: User, definition: SurveyDefinition) -> None:
    """Raises SurveyHasResponses: answers must keep the questionnaire they answered."""
    # The row lock makes a response arriving meanwhile wait or be seen here.
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    if survey.responses.exists():
        raise SurveyHasResponses
    before = len(survey.questionnaire.questions)
    survey.set_questionnaire(definition)
    survey.save(update_fields=["definition", "updated_at"])
    log_action(actor=by, partnership=survey.partnership, action="survey.questions_replaced",
               obj=survey, changes={"questions": [before, len(definition.questions)]})


@transaction.atomic
def set_publication(*, survey: Survey, by: User, published: bool) -> bool:
    """Publish or withdraw the results; returns whether anything changed."""
    if survey.results_published == published:
        return False
    survey.results_published = published
    survey.results_published_at = timezone.now() if published else None
    survey.save(update_fields=["results_published", "results_published_at", "updated_at"])
    log_action(
        actor=by, partnership=survey.partnership,
        action="survey.results_published" if published else "survey.results_withdrawn",
        obj=survey, changes={"results_published": [not published, published]},
    )
    return True


@transaction.atomic
def delete_survey(*, survey: Survey, by: User) -> int:
    """Delete the survey with its responses and codes; returns the number of responses."""
    responses = survey.responses.count()
    log_action(actor=by, partnership=survey.partnership, action="survey.deleted", obj=survey,
               changes={"title": [survey.title, None], "responses": [responses, 0]})
    survey.delete()
    return responses


def _fresh_codes(survey: Survey, count: int) -> list[str]:
    taken = set(survey.codes.values_list("code", flat=True))
    fresh: list[str] = []
    while len(fresh) < count:
        code = models.new_code()
        if code not in taken:
            taken.add(code)
            fresh.append(code)
    return fresh


def create_code_batch(*, survey: Survey, by: User, label: str, count: int) -> CodeBatch:
    """A batch of `count` codes unique within the survey.

    Codes already in the survey are avoided up front; a clash with a batch being made at
    the same moment trips the unique constraint, and the whole batch is drawn again.
    """
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                batch = CodeBatch.objects.create(survey=survey, label=label)
                OneTimeCode.objects.bulk_create(
                    OneTimeCode(batch=batch, survey=survey, code=code)
                    for code in _fresh_codes(survey, count)
                )
                log_action(actor=by, partnership=survey.partnership,
                           action="survey.codes_created", obj=batch,
                           changes={"label": [None, label], "count": [None, count],
                                    "survey": [None, survey.pk]})
                return batch
        except IntegrityError:
            if attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
