"""Results pages: the members' results, the public (suppressed) results, the population
used for weighting, and the coding of open answers.

Who sees what (razem.surveys.rules): members read the full results (small cells are
marked, not hidden); anyone reads the public page once the coordinator publishes it
(members before, as a preview); contributors read and tag open answers; coordinators
set the population figures. Every survey is loaded through razem.surveys.loading.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from razem.core.actions import log_action
from razem.surveys import population_table, results_present
from razem.surveys.loading import load_survey
from razem.surveys.models import AnswerTag, Survey
from razem.surveys.results import (
    DIMENSIONS,
    comparison_for,
    plan_for,
    public_results_for,
    results_for,
)

ANSWERS_PER_PAGE = 50
TAG_MAX_LENGTH = AnswerTag._meta.get_field("tag").max_length


def _language() -> str:
    return (get_language() or "pl").split("-")[0]


def _dimension(request: HttpRequest) -> str:
    # An unknown breakdown is simply not shown: the selector offers the valid ones.
    value = request.GET.get("podzial", "")
    return value if value in DIMENSIONS else ""


def _page_context(request: HttpRequest, survey: Survey, *, public: bool) -> dict[str, Any]:
    language = _language()
    results = public_results_for(survey) if public else results_for(survey)
    dimension = _dimension(request)
    enough = results.summary.responses is not None and results.summary.responses > 0
    tags: dict[str, list[dict[str, str]]] = {}
    for row in results.tags.to_dicts():
        tags.setdefault(row["question"], []).append({
            "tag": row["tag"], "n": results_present.number(row["n"], 0, language),
            "pct": results_present.number(row["pct"], 1, language)})
    return {
        "partnership": survey.partnership,
        "survey": survey,
        "results": results,
        "public": public,
        "has_results": enough,
        "language": language,
        "channels": results_present.channel_rows(results, language),
        "weighting": results_present.weighting_facts(results, language),
        "blocks": results_present.question_blocks(results, language) if enough else [],
        "numbers": results_present.number_rows(results, language) if enough else [],
        "dimension": dimension,
        "dimension_label": results_present.dimension_label(dimension) if dimension else "",
        "dimensions": [(d, results_present.dimension_label(d)) for d in DIMENSIONS],
        "breakdowns": results_present.breakdown_blocks(results, dimension, language)
        if dimension and enough else [],
        "comparison": results_present.comparison_blocks(
            comparison_for(survey, public=public), public, language) if enough else [],
        "open_questions": [
            {"name": q.name, "label": results_present.text(q.label, language),
             "answered": results_present.number(q.answered, 0, language),
             "tags": tags.get(q.name, [])}
            for q in results.open_questions
        ],
    }


@login_required
@require_GET
def results(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = load_survey(request, slug, survey_id=survey_id,
                         perm="surveys.view_internal_results")
    context = _page_context(request, survey, public=False)
    user = request.user
    context.update({
        "can_see_answers": user.has_perm("surveys.view_answers", survey),
        "can_export": user.has_perm("surveys.export", survey),
        "report_formats": [("pdf", "PDF"), ("docx", "DOCX")],
    })
    return render(request, "surveys/results.html", context)


@require_GET
def public_results(request: HttpRequest, slug: str, survey: str) -> HttpResponse:
    found = load_survey(request, slug, survey_slug=survey, perm="surveys.view_results")
    context = _page_context(request, found, public=True)
    context["is_member"] = request.user.has_perm("surveys.view_internal_results", found)
    response = render(request, "surveys/public_results.html", context)
    if not found.results_published:
        # A members' preview: no shared cache may keep it.
        response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ population


@login_required
@require_http_methods(["GET", "POST"])
def population(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    perm = "surveys.change" if request.method == "POST" else "surveys.view_internal_results"
    survey = load_survey(request, slug, survey_id=survey_id, perm=perm)
    if request.method == "GET":
        return _population_page(request, survey)
    if request.POST.get("action") == "clear":
        before = len(survey.population_targets or [])
        with transaction.atomic():
            survey.population_targets = []
            survey.save(update_fields=["population_targets", "updated_at"])
            log_action(actor=request.user, partnership=survey.partnership,
                       action="survey.population_cleared", obj=survey,
                       changes={"population_targets": [before, 0]})
        messages.success(request, _("The figures entered by hand were removed; weighting uses "
                                    "the portrait's population data where they exist."))
        return redirect("surveys:population", slug, survey.pk)
    pasted = request.POST.get("table", "")
    options = population_table.Options.for_survey(survey)
    try:
        rows = population_table.parse(pasted, options)
    except population_table.TableError as error:
        return _population_page(request, survey, pasted=pasted, errors=error.messages,
                                status=400)
    with transaction.atomic():
        before = len(survey.population_targets or [])
        survey.population_targets = rows
        survey.save(update_fields=["population_targets", "updated_at"])
        log_action(actor=request.user, partnership=survey.partnership,
                   action="survey.population_set", obj=survey,
                   changes={"population_targets": [before, len(rows)]})
    messages.success(request, _("Saved %(count)s population figures; the results are now "
                                "weighted with them.") % {"count": len(rows)})
    return redirect("surveys:population", slug, survey.pk)


def _population_page(request: HttpRequest, survey: Survey, *, pasted: str = "",
                     errors: list[str] | None = None, status: int = 200) -> HttpResponse:
    language = _language()
    targets = population_table.targets_in_use(survey)
    options = population_table.Options.for_survey(survey)
    rows = population_table.display_rows(targets, options, language) if targets else []
    return render(request, "surveys/population.html", {
        "partnership": survey.partnership,
        "survey": survey,
        "targets": targets,
        "rows": rows,
        "hand_entered": bool(survey.population_targets),
        "can_change": request.user.has_perm("surveys.change", survey),
        "pasted": pasted,
        "errors": errors or [],
        "options": options,
        "example": population_table.example(options),
        "language": language,
    }, status=status)


# ------------------------------------------------------------------ open answers


def _open_question(survey: Survey, name: str):
    plan = plan_for(survey.questionnaire, [])
    found = next((q for q in plan.texts if q.name == name), None)
    if found is None:
        raise Http404
    return found


@login_required
@require_http_methods(["GET", "POST"])
def open_answers(request: HttpRequest, slug: str, survey_id: int, question: str) -> HttpResponse:
    perm = "surveys.tag_answers" if request.method == "POST" else "surveys.view_answers"
    survey = load_survey(request, slug, survey_id=survey_id, perm=perm)
    found = _open_question(survey, question)
    if request.method == "GET":
        return _answers_page(request, survey, found)
    error = _tag(request, survey, question)
    if error:
        return _answers_page(request, survey, found, error=error, status=400)
    url = reverse("surveys:open_answers", args=[slug, survey.pk, question])
    page = request.POST.get("strona", "")
    query = f"?strona={page}" if page.isascii() and page.isdigit() else ""
    return redirect(f"{url}{query}#answer-{int(request.POST['response'])}")


def _answers(survey: Survey, question: str):
    # Cast: comparing a JSON key's text with "" would otherwise compare JSON on SQLite.
    text = Cast(KeyTextTransform(question, "answers"), output_field=TextField())
    return (survey.responses.annotate(text=text)
            .exclude(text__isnull=True).exclude(text="").order_by("id")
            .values_list("id", "text"))


def _tag(request: HttpRequest, survey: Survey, question: str) -> str:
    """Add or remove one tag; the Polish reason when the request cannot be honoured."""
    action = request.POST.get("action", "")
    tag = " ".join(request.POST.get("tag", "").split())
    raw_id = request.POST.get("response", "")
    if action not in ("add", "remove"):
        return _("Unknown action.")
    # isascii: str.isdigit() also accepts "²", which int() refuses.
    valid_id = raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 18
    if not valid_id or not _answers(survey, question).filter(pk=int(raw_id)).exists():
        return _("This answer does not exist in this survey.")
    if not tag:
        return _("Enter a tag.")
    if len(tag) > TAG_MAX_LENGTH:
        return _("A tag can have at most %(count)s characters.") % {"count": TAG_MAX_LENGTH}
    response_id = int(raw_id)
    with transaction.atomic():
        if action == "add":
            try:
                with transaction.atomic():
                    AnswerTag.objects.create(response_id=response_id, question=question, tag=tag)
            except IntegrityError:
                return ""  # already there: the wish is fulfilled
        else:
            deleted, _detail = AnswerTag.objects.filter(
                response_id=response_id, question=question, tag=tag).delete()
            if not deleted:
                return ""
        log_action(actor=request.user, partnership=survey.partnership,
                   action=f"survey.answer_tag_{'added' if action == 'add' else 'removed'}",
                   obj=survey, changes={"question": question, "response": response_id,
                                        "tag": tag})
    messages.success(request, _("Tag “%(tag)s” added.") % {"tag": tag} if action == "add"
                     else _("Tag “%(tag)s” removed.") % {"tag": tag})
    return ""


def _answers_page(request: HttpRequest, survey: Survey, question, *, error: str = "",
                  status: int = 200) -> HttpResponse:
    language = _language()
    paginator = Paginator(_answers(survey, question.name), ANSWERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("strona") or request.POST.get("strona"))
    ids = [pk for pk, _text in page.object_list]
    tags: dict[int, list[str]] = {}
    for response_id, tag in (AnswerTag.objects.filter(response_id__in=ids, question=question.name)
                             .order_by("tag").values_list("response_id", "tag")):
        tags.setdefault(response_id, []).append(tag)
    counts = list(AnswerTag.objects.filter(response__survey=survey, question=question.name)
                  .values("tag").annotate(n=Count("response", distinct=True))
                  .order_by("-n", "tag"))
    return render(request, "surveys/open_answers.html", {
        "partnership": survey.partnership,
        "survey": survey,
        "question": question,
        "question_label": results_present.text(question.label, language),
        "page": page,
        "answers": [{"id": pk, "text": text, "tags": tags.get(pk, [])}
                    for pk, text in page.object_list],
        "counts": counts,
        "known_tags": [row["tag"] for row in counts],
        "can_tag": request.user.has_perm("surveys.tag_answers", survey),
        "error": error,
        "tag_max_length": TAG_MAX_LENGTH,
    }, status=status)
