"""Prioritisation pages: criteria, weights (direct or AHP), each unit's scores, the
ranking with its sensitivity analysis, and the export and verification of the file the
ranking is computed from.

Reading the ranking follows the strategy (members; everyone once it is published);
criteria and weights are the coordinator's; scores are an officer's for their own unit
and the coordinator's for any member unit. Bad input is a 400 with the reason and saves
nothing (an inconsistent AHP matrix is the one exception: it is kept so it can be
revised, but the ranking refuses to use it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from razem.strategy import forms_ranking as forms
from razem.strategy import prioritisation
from razem.strategy.loading import load_strategy
from razem.strategy.models import ProjectScore, Strategy
from razem.strategy.prioritisation import PrioritisationError, Problem, Ranking
from razem.strategy.ranking_actions import (
    MIN_CRITERIA,
    RankingState,
    compute_uploaded,
    criteria_of,
    current_ranking,
    member_units,
    problem_for,
    ranked_projects,
    read_uploaded,
    same_ranking,
    save_ahp_matrix,
    save_criteria,
    save_direct_weights,
    save_scores,
    set_weighting,
)
from razem.territory.models import Unit

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
BAR_COLOUR = "#1f5f8b"
POINT_COLOUR = "#a4111f"


# --- presentation helpers -------------------------------------------------------------------


def _num(value: float | Decimal | None, decimals: int = 3) -> str:
    # number_format cuts the digits off; round first.
    return "–" if value is None else number_format(round(value, decimals),
                                                   decimal_pos=decimals)


def _rank(value: float) -> str:
    # Ties share the mean rank (e.g. 1,5); whole ranks are shown as whole numbers.
    return str(int(value)) if float(value).is_integer() else _num(value, 1)


def _percent(value: float) -> str:
    return _num(value * 100, 1) + "%"


def _common(request: HttpRequest, strategy: Strategy, section: str) -> dict[str, Any]:
    partnership = strategy.partnership
    user = request.user
    return {
        "strategy": strategy, "partnership": partnership, "section": section,
        "can_change": user.has_perm("strategy.change", partnership),
        "can_score": user.has_perm("strategy.score", partnership),
        "is_member": user.has_perm("strategy.view_internal", partnership),
    }


def rank_range_spec(rows: list[dict[str, Any]], *, projects: int, description: str,
                    rank_title: str, project_title: str, base_title: str, best_title: str,
                    worst_title: str) -> dict[str, Any]:
    """Bars from each project's best to its worst rank over the sensitivity runs, with a
    point at its rank under the weights as set. Rows: {"project", "order", "best",
    "worst", "base"}; projects listed by their base rank."""
    y = {"field": "project", "type": "nominal", "title": project_title,
         "sort": {"field": "order", "order": "ascending"}, "axis": {"labelLimit": 260}}
    # Half a place of margin, so that the first and the last rank are not on the frame.
    x_scale = {"domain": [0.5, projects + 0.5], "nice": False, "zero": False}
    x_axis = {"values": list(range(1, projects + 1)), "format": "d", "grid": True}
    tooltip = [{"field": "project", "type": "nominal", "title": project_title},
               {"field": "base", "type": "quantitative", "title": base_title},
               {"field": "best", "type": "quantitative", "title": best_title},
               {"field": "worst", "type": "quantitative", "title": worst_title}]
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": "container",
        # One band per project; only the width follows the page.
        "height": {"step": 34},
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {"view": {"stroke": None}},
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "bar", "color": BAR_COLOUR, "opacity": 0.45, "height": 14},
             "encoding": {"y": y,
                          "x": {"field": "best", "type": "quantitative", "title": rank_title,
                                "scale": x_scale, "axis": x_axis},
                          "x2": {"field": "worst"}, "tooltip": tooltip}},
            {"mark": {"type": "point", "filled": True, "size": 110, "color": POINT_COLOUR,
                      "opacity": 1},
             "encoding": {"y": y, "x": {"field": "base", "type": "quantitative",
                                        "scale": x_scale},
                          "tooltip": tooltip}},
        ],
    }


def ranking_context(problem: Problem, ranking: Ranking, titles: dict[str, str], *,
                    prefix: str = "") -> dict[str, Any]:
    """Tables (and the chart) of one computed ranking, for the ranking and verify pages."""
    criteria = problem.criteria
    weights = [{"code": c.code, "name": c.name, "polarity": c.polarity,
                "weight": _percent(w), "value": w}
               for c, w in zip(criteria, ranking.weights, strict=True)]
    rows = []
    for i, code in enumerate(ranking.projects):
        row: dict[str, Any] = {
            "code": code, "title": titles.get(code, ""),
            "means": [_num(v, 2) for v in ranking.matrix[i]],
            "methods": {m: {"preference": _num(ranking.preferences[m][i]),
                            "rank": _rank(ranking.ranks[m][i]),
                            "rank_value": ranking.ranks[m][i]}
                        for m in ranking.ranks},
        }
        if ranking.stability:
            s = ranking.stability[i]
            row["stability"] = {"base": _rank(s.base_rank), "best": _rank(s.best),
                                "worst": _rank(s.worst), "median": _rank(s.median),
                                "same": _percent(s.share_same),
                                "within_one": _percent(s.share_within_one),
                                "raw": s}
        rows.append(row)
    first = problem.methods[0]
    rows.sort(key=lambda r: (r["methods"][first]["rank_value"], r["code"]))
    chart = None
    if ranking.stability:
        label = {r["code"]: f"{r['code']}. {r['title'][:48]}".strip() for r in rows}
        chart_rows = [{"project": label[r["code"]], "order": position,
                       "best": r["stability"]["raw"].best, "worst": r["stability"]["raw"].worst,
                       "base": r["stability"]["raw"].base_rank}
                      for position, r in enumerate(rows)]
        chart = rank_range_spec(
            chart_rows, projects=len(rows),
            description=_("The range of each project's TOPSIS rank over %(runs)s runs in which "
                          "every weight moves by up to ±%(spread)s; the point is the rank "
                          "under the weights as set.")
            % {"runs": problem.sensitivity_runs,
               "spread": _percent(problem.sensitivity_spread)},
            rank_title=_("Rank (1 = best)"), project_title=_("Project"),
            base_title=_("rank with the weights as set"), best_title=_("best rank"),
            worst_title=_("worst rank"))
    ahp = ranking.ahp
    return {
        "prefix": prefix, "spec_id": f"{prefix}rank-ranges-spec",
        "weights": weights, "rows": rows, "criteria": criteria, "methods": list(ranking.ranks),
        "chart": chart, "runs": problem.sensitivity_runs,
        "spread": _percent(problem.sensitivity_spread), "seed": problem.seed,
        "ahp": None if ahp is None else {
            "lambda_max": _num(ahp.lambda_max), "cr": _num(ahp.consistency_ratio),
            "ci": _num(ahp.consistency_index)},
        "weighting": problem.weighting,
    }


def _titles(strategy: Strategy) -> dict[str, str]:
    return {str(number): title for number, title
            in ranked_projects(strategy).values_list("number", "title")}


# --- the ranking --------------------------------------------------------------------------


@require_GET
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = load_strategy(request, slug, "strategy.view")
    state = current_ranking(strategy)
    context = _common(request, strategy, "ranking")
    context.update({"error": state.error, "problem": state.problem})
    if state.ranking is not None:
        context["result"] = ranking_context(state.problem, state.ranking, _titles(strategy))
    return render(request, "strategy/ranking_page.html", context)


@require_GET
def ranking_export(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = load_strategy(request, slug, "strategy.view")
    response = HttpResponse(problem_for(strategy).to_json(),
                            content_type="application/json; charset=utf-8")
    name = "".join(c for c in f"razem-ranking-{strategy.partnership.slug}"
                   if c.isascii() and (c.isalnum() or c in "-_"))
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.json")
    response["Cache-Control"] = "private, no-store"
    return response


def _verify_page(request: HttpRequest, strategy: Strategy, form: forms.VerifyForm, *,
                 status: int = 200, **extra: Any) -> HttpResponse:
    context = _common(request, strategy, "verify")
    context.update({"form": form, "max_bytes": forms.MAX_VERIFY_BYTES, **extra})
    return render(request, "strategy/ranking_verify.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ranking_verify(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = load_strategy(request, slug, "strategy.view_internal")
    if request.method != "POST":
        return _verify_page(request, strategy, forms.VerifyForm())
    form = forms.VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _verify_page(request, strategy, form, status=413 if form.too_large else 400)
    try:
        problem = read_uploaded(b"".join(form.cleaned_data["file"].chunks()))
        uploaded = compute_uploaded(problem)
    except PrioritisationError as error:
        return _verify_page(request, strategy, form, status=400, error=str(error))
    state: RankingState = current_ranking(strategy)
    return _verify_page(
        request, strategy, form, checked=True,
        result=ranking_context(problem, uploaded, _titles(strategy), prefix="file-"),
        current_error=state.error,
        same_data=problem == state.problem,
        same_ranking=state.ranking is not None and same_ranking(uploaded, state.ranking))


# --- criteria -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def criteria(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = load_strategy(request, slug, "strategy.change")
    initial = forms.criterion_initial(criteria_of(strategy))
    if request.method != "POST":
        formset = forms.CriterionFormSet(initial=initial, prefix="c")
        return _criteria_page(request, strategy, formset)
    formset = forms.CriterionFormSet(request.POST, initial=initial, prefix="c")
    if not formset.is_valid():
        return _criteria_page(request, strategy, formset, status=400)
    rows = [{**form.cleaned_data, "delete": form.cleaned_data.get("DELETE", False)}
            for form in formset.forms if form.cleaned_data.get("code")]
    try:
        save_criteria(strategy=strategy, by=request.user, rows=rows)
    except PrioritisationError as error:
        return _criteria_page(request, strategy, formset, status=400, error=str(error))
    messages.success(request, _("The criteria have been saved."))
    return redirect("strategy:criteria", slug)


def _criteria_page(request: HttpRequest, strategy: Strategy, formset, *, status: int = 200,
                   error: str | None = None) -> HttpResponse:
    context = _common(request, strategy, "criteria")
    context.update({"formset": formset, "error": error, "min_criteria": MIN_CRITERIA})
    return render(request, "strategy/ranking_criteria.html", context, status=status)


# --- weights --------------------------------------------------------------------------------


def _weights_page(request: HttpRequest, strategy: Strategy, *, status: int = 200,
                  direct: forms.DirectWeightsForm | None = None,
                  ahp_form: forms.AhpForm | None = None,
                  error: str | None = None, ahp_error: str | None = None) -> HttpResponse:
    items = criteria_of(strategy)
    problem = problem_for(strategy)
    matrix = problem.ahp_matrix
    ahp_result = None
    if matrix is not None and len(matrix) == len(items) and len(items) >= 2:
        try:
            ahp_result = prioritisation.ahp(matrix)
        except PrioritisationError as exc:
            ahp_error = ahp_error or str(exc)
    context = _common(request, strategy, "weights")
    context.update({
        "criteria": items, "enough": len(items) >= MIN_CRITERIA,
        "weighting_form": forms.WeightingForm(initial={"weighting": strategy.weighting}),
        "direct": direct or forms.DirectWeightsForm(criteria=items),
        "ahp_form": ahp_form or forms.AhpForm(criteria=items, matrix=matrix),
        "error": error, "ahp_error": ahp_error,
        "direct_total": _num(sum((c.weight or 0) for c in items) * 100, 2),
        "ahp": None if ahp_result is None else {
            "weights": [(c, _percent(w)) for c, w in zip(items, ahp_result.weights,
                                                          strict=True)],
            "lambda_max": _num(ahp_result.lambda_max), "ci": _num(ahp_result.consistency_index),
            "cr": _num(ahp_result.consistency_ratio), "consistent": ahp_result.consistent,
            "limit": _num(prioritisation.MAX_CONSISTENCY_RATIO, 2)},
    })
    return render(request, "strategy/ranking_weights.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def weights(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = load_strategy(request, slug, "strategy.change")
    if request.method != "POST":
        return _weights_page(request, strategy)
    action = request.POST.get("action")
    items = criteria_of(strategy)
    if action == "weighting":
        form = forms.WeightingForm(request.POST)
        if not form.is_valid():
            return _weights_page(request, strategy, status=400,
                                 error=_("Choose how the criteria are weighted."))
        set_weighting(strategy=strategy, by=request.user,
                      weighting=form.cleaned_data["weighting"])
        messages.success(request, _("The weighting has been changed."))
        return redirect("strategy:weights", slug)
    if action == "direct":
        return _post_direct(request, strategy, items)
    if action == "ahp":
        return _post_ahp(request, strategy, items)
    return _weights_page(request, strategy, status=400, error=_("Unknown action."))


def _post_direct(request: HttpRequest, strategy: Strategy, items) -> HttpResponse:
    form = forms.DirectWeightsForm(request.POST, criteria=items)
    if not form.is_valid():
        return _weights_page(request, strategy, status=400, direct=form,
                             error=_("Correct the weights marked below."))
    try:
        save_direct_weights(strategy=strategy, by=request.user, percents=form.percents())
    except PrioritisationError as error:
        return _weights_page(request, strategy, status=400, direct=form, error=str(error))
    messages.success(request, _("The weights have been saved; the ranking uses them."))
    return redirect("strategy:weights", strategy.partnership.slug)


def _post_ahp(request: HttpRequest, strategy: Strategy, items) -> HttpResponse:
    if len(items) < MIN_CRITERIA:
        return _weights_page(request, strategy, status=400,
                             ahp_error=_("Add at least two criteria first."))
    form = forms.AhpForm(request.POST, criteria=items)
    if not form.is_valid():
        return _weights_page(request, strategy, status=400, ahp_form=form,
                             ahp_error=_("Choose a value of the scale for every pair."))
    try:
        result = save_ahp_matrix(strategy=strategy, by=request.user, upper=form.upper())
    except PrioritisationError as error:
        return _weights_page(request, strategy, status=400, ahp_form=form, ahp_error=str(error))
    if not result.consistent:
        # Saved so that it can be revised, but refused: the ranking will not use it.
        strategy.refresh_from_db()
        return _weights_page(
            request, strategy, status=400,
            ahp_error=_("The comparisons have been saved but are inconsistent (consistency "
                        "ratio %(cr)s, at most %(limit)s is allowed), so the ranking cannot "
                        "use them. Revise the comparisons.")
            % {"cr": _num(result.consistency_ratio),
               "limit": _num(prioritisation.MAX_CONSISTENCY_RATIO, 2)})
    messages.success(request, _("The comparisons have been saved (consistency ratio %(cr)s); "
                                "the ranking uses the weights they give.")
                     % {"cr": _num(result.consistency_ratio)})
    return redirect("strategy:weights", strategy.partnership.slug)


# --- scores ---------------------------------------------------------------------------------


class _BadUnit(Exception):
    pass


def _scoring_unit(request: HttpRequest, strategy: Strategy, units: list[Unit]) -> Unit:
    """The unit whose scores are shown: an officer's own unit (another one is 403); for
    the coordinator the chosen member unit (not a member: _BadUnit, a 400)."""
    partnership = strategy.partnership
    source = request.POST if request.method == "POST" else request.GET
    requested = (source.get("unit") or "").strip()
    if not request.user.has_perm("strategy.change", partnership):
        membership = request.user.membership_in(partnership)
        own = membership.unit if membership else None
        if own is None or own.pk not in {u.pk for u in units}:
            raise PermissionDenied
        if requested and requested != own.teryt:
            raise PermissionDenied
        return own
    if not requested:
        membership = request.user.membership_in(partnership)
        own = membership.unit if membership else None
        return own if own is not None and own.pk in {u.pk for u in units} else units[0]
    for unit in units:
        if unit.teryt == requested:
            return unit
    raise _BadUnit


def _scores_page(request: HttpRequest, strategy: Strategy, *, unit: Unit | None,
                 units: list[Unit], form: forms.ScoreGridForm | None, status: int = 200,
                 error: str | None = None) -> HttpResponse:
    context = _common(request, strategy, "scores")
    progress = None
    if context["can_change"]:
        counts = dict(ProjectScore.objects.filter(criterion__strategy=strategy)
                      .exclude(project__status="dropped")
                      .values_list("unit_id").annotate(n=Count("id")).order_by())
        cells = len(form.projects) * len(form.criteria) if form else 0
        progress = [(u, counts.get(u.pk, 0), cells) for u in units]
    context.update({"unit": unit, "units": units, "form": form, "error": error,
                    "progress": progress, "scale_min": 0, "scale_max": 10})
    return render(request, "strategy/ranking_scores.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def scores(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = load_strategy(request, slug, "strategy.score")
    units = list(member_units(strategy))
    if not units:
        return _scores_page(request, strategy, unit=None, units=units, form=None)
    try:
        unit = _scoring_unit(request, strategy, units)
    except _BadUnit:
        return _scores_page(request, strategy, unit=None, units=units, form=None, status=400,
                            error=_("Choose one of the partnership's member units."))
    projects = list(ranked_projects(strategy).select_related("lead_unit"))
    items = criteria_of(strategy)
    current = {(s.project_id, s.criterion_id): s.value for s in
               ProjectScore.objects.filter(unit=unit, criterion__strategy=strategy)}
    data = request.POST if request.method == "POST" else None
    form = forms.ScoreGridForm(data, projects=projects, criteria=items, current=current)
    if data is None:
        return _scores_page(request, strategy, unit=unit, units=units, form=form)
    if form.unknown_keys():
        return _scores_page(request, strategy, unit=unit, units=units, form=form, status=400,
                            error=_("A score names a project or a criterion that is not "
                                    "being ranked."))
    if not form.is_valid():
        return _scores_page(request, strategy, unit=unit, units=units, form=form, status=400,
                            error=_("Scores are numbers from %(min)s to %(max)s; correct the "
                                    "cells marked below. Nothing has been saved.")
                            % {"min": 0, "max": 10})
    try:
        changed = save_scores(strategy=strategy, unit=unit, by=request.user,
                              scores=form.scores())
    except PrioritisationError as error:
        return _scores_page(request, strategy, unit=unit, units=units, form=form, status=400,
                            error=str(error))
    messages.success(request, _("The scores of %(unit)s have been saved (%(n)s changed).")
                     % {"unit": unit.display_name, "n": changed})
    return redirect(f"{request.path}?unit={unit.teryt}")
