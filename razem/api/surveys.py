"""Published survey results: the list of a partnership's surveys and one survey's results.

Only surveys whose results a coordinator has published exist here, for everyone alike
(an unpublished survey or another partnership's id is a 404). The figures are the
public page's: every cell of fewer than 5 respondents is null (`suppressed: true`),
and open answers appear only as counts of tags.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from ninja import Router, Schema

from razem.core.models import Partnership
from razem.surveys.models import Survey
from razem.surveys.results import MIN_COUNT, public_results_for

router = Router(tags=["surveys"])


class SurveySummaryOut(Schema):
    id: int
    slug: str
    title: str
    audience: str
    opens_on: date
    closes_on: date
    results_published_at: datetime | None
    responses: int | None  # null when fewer than 5
    results_page: str
    results_api: str


class ChoiceOut(Schema):
    code: str
    label: str
    label_en: str
    n: int | None
    pct: float | None
    ci_low: float | None
    ci_high: float | None
    weighted_pct: float | None
    weighted_ci_low: float | None
    weighted_ci_high: float | None
    suppressed: bool


class QuestionOut(Schema):
    name: str
    label: str
    label_en: str
    group: str
    type: str
    multiple: bool
    base: int | None
    effective_base: float | None
    choices: list[ChoiceOut]


class RankOut(Schema):
    question: str
    code: str
    n: int | None
    mean_rank: float | None
    weighted_mean_rank: float | None


class TagOut(Schema):
    question: str
    tag: str
    n: int
    pct: float


class WeightingOut(Schema):
    weighted: bool
    reason: str
    source: str
    variables: list[str]
    effective_sample_size: float | None
    design_effect: float | None


class SurveyResultsOut(Schema):
    survey: SurveySummaryOut
    min_cell: int
    weighting: WeightingOut
    questions: list[QuestionOut]
    rankings: list[RankOut]
    tags: list[TagOut]


def _partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership, slug=slug)


def _summary(partnership: Partnership, survey: Survey, responses: int) -> dict:
    return {
        "id": survey.pk, "slug": survey.slug, "title": survey.title,
        "audience": survey.audience, "opens_on": survey.opens_on,
        "closes_on": survey.closes_on, "results_published_at": survey.results_published_at,
        "responses": responses if responses >= MIN_COUNT else None,
        "results_page": reverse("surveys:public_results", args=[partnership.slug, survey.slug]),
        "results_api": reverse("api-v1:survey_results", args=[partnership.slug, survey.pk]),
    }


@router.get("/{slug}/surveys/", response=list[SurveySummaryOut],
            summary="Surveys with published results")
def list_surveys(request, slug: str):
    """The partnership's surveys whose results are published, newest first."""
    partnership = _partnership(slug)
    surveys = (Survey.objects.for_partnership(partnership).published()
               .annotate(response_count=Count("responses"))
               .defer("definition", "introduction", "gdpr_clause", "population_targets"))
    return [_summary(partnership, s, s.response_count) for s in surveys]


def _float(value) -> float | None:
    return None if value is None or value != value else float(value)


@router.get("/{slug}/surveys/{survey_id}/results/", response=SurveyResultsOut,
            url_name="survey_results", summary="Published results of one survey")
def survey_results(request, slug: str, survey_id: int):
    """Counts, percentages and 95% Wilson intervals of every closed question, weighted
    and unweighted; null where a cell concerns fewer than `min_cell` respondents."""
    partnership = _partnership(slug)
    survey = get_object_or_404(Survey.objects.select_related("partnership").published(),
                               partnership=partnership, pk=survey_id)
    # Labels carry both languages; the few sentences (weighting) are Polish like the API.
    with translation.override("pl"):
        results = public_results_for(survey)
    rows = results.table().to_dicts()
    by_question: dict[str, list[dict]] = {}
    for row in rows:
        by_question.setdefault(row["question"], []).append(row)
    questions = []
    for item in results.items:
        labels = dict(item.choices)
        cells = by_question.get(item.name, [])
        first = cells[0] if cells else {}
        questions.append({
            "name": item.name, "label": item.label.pl, "label_en": item.label.en,
            "group": item.group.pl, "type": item.qtype,
            "multiple": item.kind.value == "multiple",
            "base": first.get("base"), "effective_base": _float(first.get("n_eff")),
            "choices": [{
                "code": row["choice"],
                "label": labels[row["choice"]].pl if row["choice"] in labels else row["choice"],
                "label_en": labels[row["choice"]].en if row["choice"] in labels else "",
                "n": row["n"], "pct": _float(row["pct"]), "ci_low": _float(row["ci_low"]),
                "ci_high": _float(row["ci_high"]), "weighted_pct": _float(row.get("w_pct")),
                "weighted_ci_low": _float(row.get("w_ci_low")),
                "weighted_ci_high": _float(row.get("w_ci_high")),
                "suppressed": bool(row.get("suppressed")),
            } for row in cells],
        })
    info = results.weighting
    return {
        "survey": _summary(partnership, survey, results.summary.responses or 0),
        "min_cell": MIN_COUNT,
        "weighting": {
            "weighted": info.is_weighted, "reason": info.reason, "source": info.source,
            "variables": list(info.variables),
            "effective_sample_size": _float(info.n_eff) if info.is_weighted else None,
            "design_effect": _float(info.design_effect) if info.is_weighted else None,
        },
        "questions": questions,
        "rankings": [{"question": r["question"], "code": r["choice"], "n": r["n"],
                      "mean_rank": _float(r["mean_rank"]),
                      "weighted_mean_rank": _float(r.get("w_mean_rank"))}
                     for r in results.rankings.to_dicts()],
        "tags": [{"question": r["question"], "tag": r["tag"], "n": r["n"], "pct": r["pct"]}
                 for r in results.tags.to_dicts()],
    }
