"""Survey questions a diagnosis conclusion cites: the choices offered and the citations resolved.

A conclusion keeps `[{"survey": id, "question": name}]`; a survey deleted or a question
renamed later leaves a citation that no longer resolves, and it is skipped when shown
rather than deleting anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language

from razem.core.models import Partnership
from razem.surveys.definition import QuestionType, Text
from razem.surveys.models import Survey

SURVEY_FIELDS = ("id", "partnership", "slug", "title", "results_published", "definition",
                 "updated_at")


def _language() -> str:
    return (get_language() or "pl").split("-")[0]


def _text(text: Text, language: str, fallback: str) -> str:
    return (text.en if language == "en" else text.pl) or text.pl or text.en or fallback


def _questions(survey: Survey) -> Iterable[Any]:
    # Notes hold no answer, so there is nothing in the results to cite.
    return (q for q in survey.questionnaire.questions if q.type != QuestionType.NOTE)


def value(survey_id: int, question: str) -> str:
    """The form value of a citation, "12:needs"."""
    return f"{survey_id}:{question}"


def parse(raw: str) -> dict[str, Any] | None:
    """`"12:needs"` -> {"survey": 12, "question": "needs"}; None when malformed."""
    survey_id, sep, question = raw.partition(":")
    if not sep or not survey_id.isdigit() or not question:
        return None
    return {"survey": int(survey_id), "question": question}


def survey_question_choices(partnership: Partnership) -> list[tuple[str, str]]:
    """("id:name", "Survey title: question label") for each question of its surveys."""
    language = _language()
    return [
        (value(survey.pk, question.name),
         f"{survey.title}: {_text(question.label, language, question.name)}")
        for survey in partnership.surveys.only(*SURVEY_FIELDS).order_by("title", "pk")
        for question in _questions(survey)
    ]


def cited_questions_for(conclusions: Iterable[Any]) -> dict[int, list[dict[str, Any]]]:
    """{conclusion id: [{"survey", "question", "label", "url", "published"}]} in one query.

    Only surveys of the conclusion's own partnership count; unknown surveys and questions are
    skipped. `url` is the public results page when the results are published, else the staff
    results page (for members only: templates link it when `published` or the reader is one).
    """
    conclusions = list(conclusions)
    wanted = {ref.get("survey") for c in conclusions for ref in (c.survey_questions or [])
              if isinstance(ref, dict)}
    wanted = {pk for pk in wanted if isinstance(pk, int)}
    surveys = ({s.pk: s for s in Survey.objects.filter(pk__in=wanted)
                .select_related("partnership").only(*SURVEY_FIELDS, "partnership__slug")}
               if wanted else {})
    language = _language()
    resolved: dict[int, dict[str, tuple[str, str, bool]]] = {}

    def lookup(survey: Survey) -> dict[str, tuple[str, str, bool]]:
        if survey.pk not in resolved:
            slug = survey.partnership.slug
            url = (reverse("surveys:public_results", args=[slug, survey.slug])
                   if survey.results_published
                   else reverse("surveys:results", args=[slug, survey.pk]))
            resolved[survey.pk] = {
                q.name: (f"{survey.title}: {_text(q.label, language, q.name)}", url,
                         survey.results_published)
                for q in _questions(survey)
            }
        return resolved[survey.pk]

    found: dict[int, list[dict[str, Any]]] = {}
    for conclusion in conclusions:
        rows = found.setdefault(conclusion.pk, [])
        for ref in conclusion.survey_questions or []:
            survey = surveys.get(ref.get("survey")) if isinstance(ref, dict) else None
            if survey is None or survey.partnership_id != conclusion.partnership_id:
                continue
            hit = lookup(survey).get(ref.get("question"))
            if hit is None:
                continue
            label, url, published = hit
            rows.append({"survey": survey.pk, "question": ref["question"], "label": label,
                         "url": url, "published": published})
    return found


def cited_questions(conclusion: Any) -> list[dict[str, Any]]:
    """The resolved citations of one conclusion; for a list use cited_questions_for."""
    return cited_questions_for([conclusion]).get(conclusion.pk, [])


def attach_cited_questions(conclusions: Iterable[Any]) -> list[Any]:
    """Set `.cited_questions` on each conclusion (one query for all); returns them as a list."""
    conclusions = list(conclusions)
    found = cited_questions_for(conclusions)
    for conclusion in conclusions:
        conclusion.cited_questions = found.get(conclusion.pk, [])
    return conclusions
