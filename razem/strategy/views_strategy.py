"""Pages of the strategy itself: the main page with the completeness check, the text parts,
goals with their evidence, directions, expected results with measurements, intervention areas
with their map, and monitoring.

Reading (overview, areas, map, monitoring): members always, anyone once published. Writing:
the coordinator. Everything is found through the partnership in the address
(razem.strategy.loading), so another partnership's ids are 404. A form with bad input is shown
again with its messages and status 400; nothing is saved.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from razem.core.models import Partnership
from razem.indicators.catalogue import load_catalogue
from razem.portrait import data as portrait_data
from razem.portrait.presenters import dimension_label
from razem.strategy import completeness, forms_strategy, monitoring as monitoring_data
from razem.strategy import strategy_actions as actions
from razem.strategy.loading import load_strategy, load_strategy_partnership, strategy_of
from razem.strategy.models import (
    ActionDirection,
    ExpectedResult,
    InterventionArea,
    StrategicGoal,
    Strategy,
)
from razem.territory import maps

READ = "strategy.view"
CHANGE = "strategy.change"
PUBLISH = "strategy.publish"
GET_POST = require_http_methods(["GET", "POST"])


def _posted(request: HttpRequest):
    # Not `request.POST or None`: an empty post must still be a bound (and checked) form.
    return request.POST if request.method == "POST" else None


def _language() -> str:
    return (get_language() or "pl").split("-")[0]


def _context(request: HttpRequest, partnership: Partnership, strategy: Strategy | None,
             section: str = "", **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "partnership": partnership,
        "strategy": strategy,
        "section": section,
        "can_change": user.has_perm(CHANGE, partnership),
        "can_publish": user.has_perm(PUBLISH, partnership),
        "is_member": user.has_perm("core.view_partnership_internal", partnership),
        **extra,
    }


def _form_page(request: HttpRequest, strategy: Strategy, form, *, heading: str, submit: str,
               back: str, section: str = "overview", delete: bool = False,
               intro: str = "") -> HttpResponse:
    """One template for every plain form of the strategy; 400 when a post was refused."""
    return render(request, "strategy/strategy_form.html", _context(
        request, strategy.partnership, strategy, section, form=form, heading=heading,
        submit=submit, back=back, delete=delete, intro=intro,
    ), status=400 if form.is_bound else 200)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- the main page ------------------------------------------------------------------------


def _goals(strategy: Strategy):
    return list(strategy.goals.prefetch_related(
        "directions", "results",
        Prefetch("conclusions", queryset=strategy.partnership.diagnosis_conclusions.all())))


def _checklist(strategy: Strategy, goals, areas, can_fix: bool) -> list[dict[str, Any]]:
    slug = strategy.partnership.slug
    items = completeness.check(completeness.facts_for(strategy, goals, areas))
    return [{
        "code": item.code, "label": item.label, "ok": item.ok, "missing": item.missing,
        "fix_url": reverse(item.fix_url_name, args=[slug, *item.fix_args])
        if can_fix and not item.ok else "",
    } for item in items]


@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_strategy_partnership(request, slug, READ)
    strategy = strategy_of(partnership)
    if strategy is None:
        # Only members get here (strategy.view needs a published strategy otherwise).
        return render(request, "strategy/strategy_start.html",
                      _context(request, partnership, None, "overview"))
    strategy.partnership = partnership
    goals = _goals(strategy)
    areas = list(strategy.intervention_areas.prefetch_related("units"))
    context = _context(request, partnership, strategy, "overview")
    checklist = _checklist(strategy, goals, areas, context["can_change"])
    language = _language()
    catalogue = load_catalogue()
    for goal in goals:
        goal.conclusion_rows = [
            (dimension_label(c.dimension, language) if c.dimension else "", c)
            for c in goal.conclusions.all()]
        for result in goal.results.all():
            result.indicator_label = (
                catalogue.get(result.indicator_code).name(language)
                if result.indicator_code and result.indicator_code in catalogue
                else result.indicator_name)
    return render(request, "strategy/strategy_overview.html", {
        **context, "goals": goals, "areas": areas, "checklist": checklist,
        "missing_count": sum(1 for item in checklist if not item["ok"]),
    })


@login_required
@GET_POST
def create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_strategy_partnership(request, slug, CHANGE)
    if strategy_of(partnership) is not None:
        messages.info(request, _("The partnership already has a strategy."))
        return redirect("strategy:overview", slug)
    form = forms_strategy.StrategyCreateForm(
        _posted(request),
        initial={"title": _("Supra-local development strategy of %(name)s")
                 % {"name": partnership.name}, "horizon_year": 2030})
    if request.method == "POST" and form.is_valid():
        actions.create_strategy(partnership=partnership, by=request.user, **form.cleaned_data)
        messages.success(request, _("The strategy has been created."))
        return redirect("strategy:overview", slug)
    return render(request, "strategy/strategy_create.html",
                  _context(request, partnership, None, "overview", form=form),
                  status=400 if form.is_bound else 200)


@login_required
@GET_POST
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = load_strategy(request, slug, CHANGE)
    form = forms_strategy.StrategyTextForm(
        _posted(request),
        initial={name: getattr(strategy, name) for name in forms_strategy.TEXT_FIELDS})
    if request.method == "POST" and form.is_valid():
        actions.update_strategy(strategy=strategy, by=request.user, values=form.cleaned_data)
        messages.success(request, _("The strategy has been saved."))
        return redirect("strategy:overview", slug)
    return _form_page(request, strategy, form, heading=_("The text parts of the strategy"),
                      submit=_("Save the strategy"),
                      back=reverse("strategy:overview", args=[slug]), section="edit")


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = load_strategy(request, slug, PUBLISH)
    wanted = request.POST.get("published")
    if wanted not in (None, "0", "1"):
        return HttpResponse(_("Say whether to publish the strategy."), status=400)
    published = strategy.published_at is None if wanted is None else wanted == "1"
    actions.publish(strategy=strategy, by=request.user, published=published)
    messages.success(request, _("The strategy is public now.") if published
                     else _("The strategy is visible to members only now."))
    return redirect("strategy:overview", slug)


# --- goals and directions -----------------------------------------------------------------


def _goal(strategy: Strategy, goal_id: int) -> StrategicGoal:
    # Through the strategy of the partnership in the address: another partnership's id is 404.
    goal = get_object_or_404(strategy.goals, pk=goal_id)
    goal.strategy = strategy
    return goal


def _next(numbers) -> int:
    return (max(numbers) if numbers else 0) + 1


@login_required
@GET_POST
def goal_create(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = load_strategy(request, slug, CHANGE)
    taken = list(strategy.goals.values_list("number", flat=True))
    dimension = request.GET.get("wymiar")
    form = forms_strategy.GoalForm(
        _posted(request), partnership=strategy.partnership, taken=taken,
        initial={"number": _next(taken), "dimension": dimension})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        conclusions = data.pop("conclusions")
        try:
            goal = actions.create_goal(strategy=strategy, by=request.user,
                                       conclusions=conclusions, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The goal has been added."))
            return redirect("strategy:goal_edit", slug, goal.pk)
    return _form_page(request, strategy, form, heading=_("New strategic goal"),
                      submit=_("Add the goal"), back=reverse("strategy:overview", args=[slug]),
                      intro=_("Tie the goal to the conclusions of the diagnosis it answers."))


@login_required
@GET_POST
def goal_edit(request: HttpRequest, slug: str, goal_id: int) -> HttpResponse:
    strategy = load_strategy(request, slug, CHANGE)
    goal = _goal(strategy, goal_id)
    taken = strategy.goals.exclude(pk=goal.pk).values_list("number", flat=True)
    form = forms_strategy.GoalForm(
        _posted(request), partnership=strategy.partnership, taken=taken,
        initial={"number": goal.number, "dimension": goal.dimension, "title": goal.title,
                 "description": goal.description,
                 "conclusions": list(goal.conclusions.values_list("pk", flat=True))})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        conclusions = data.pop("conclusions")
        try:
            actions.update_goal(goal=goal, by=request.user, values=data,
                                conclusions=conclusions)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The goal has been saved."))
            return redirect("strategy:goal_edit", slug, goal.pk)
    return render(request, "strategy/strategy_goal.html", _context(
        request, strategy.partnership, strategy, "overview", goal=goal, form=form,
        directions=goal.directions.all(), results=goal.results.all(),
    ), status=400 if form.is_bound else 200)


@login_required
@GET_POST
def goal_delete(request: HttpRequest, slug: str, goal_id: int) -> HttpResponse:
    strategy = load_strategy(request, slug, CHANGE)
    goal = _goal(strategy, goal_id)
    if request.method == "POST":
        actions.delete_goal(goal=goal, by=request.user)
        messages.success(request, _("The goal has been deleted."))
        return redirect("strategy:overview", slug)
    return render(request, "strategy/strategy_goal_delete.html", _context(
        request, strategy.partnership, strategy, "overview", goal=goal,
        direction_count=goal.directions.count(), result_count=goal.results.count(),
        project_count=goal.projects.count()))


@login_required
@GET_POST
def direction_create(request: HttpRequest, slug: str, goal_id: int) -> HttpResponse:
    strategy = load_strategy(request, slug, CHANGE)
    goal = _goal(strategy, goal_id)
    taken = list(goal.directions.values_list("number", flat=True))
    form = forms_strategy.DirectionForm(_posted(request), taken=taken,
                                        initial={"number": _next(taken)})
    if request.method == "POST" and form.is_valid():
        actions.create_direction(goal=goal, by=request.user, **form.cleaned_data)
        messages.success(request, _("The direction of action has been added."))
        return redirect("strategy:goal_edit", slug, goal.pk)
    return _form_page(
        request, strategy, form,
        heading=_("New direction of action for goal %(goal)s") % {"goal": goal},
        submit=_("Add the direction"), back=reverse("strategy:goal_edit", args=[slug, goal.pk]))


@login_required
@GET_POST
def direction_edit(request: HttpRequest, slug: str, direction_id: int) -> HttpResponse:
    strategy = load_strategy(request, slug, CHANGE)
    direction = get_object_or_404(ActionDirection.objects.select_related("goal"),
                                  goal__strategy=strategy, pk=direction_id)
    back = reverse("strategy:goal_edit", args=[slug, direction.goal_id])
    if request.method == "POST" and request.POST.get("action") == "delete":
        actions.delete_direction(direction=direction, by=request.user)
        messages.success(request, _("The direction of action has been deleted."))
        return redirect(back)
    taken = direction.goal.directions.exclude(pk=direction.pk).values_list("number", flat=True)
    form = forms_strategy.DirectionForm(
        _posted(request), taken=taken,
        initial={"number": direction.number, "title": direction.title,
                 "description": direction.description})
    if request.method == "POST" and form.is_valid():
        actions.update_direction(direction=direction, by=request.user, values=form.cleaned_data)
        messages.success(request, _("The direction of action has been saved."))
        return redirect(back)
    return _form_page(request, strategy, form, heading=_("Direction of action %(direction)s")
                      % {"direction": direction}, submit=_("Save the direction"), back=back,
                      delete=True)


# --- expected results and measurements ----------------------------------------------------


def _baseline_lookup(partnership: Partnership):
    """The partnership's value of a catalogue indicator and its year, from the portrait."""
    def lookup(code: str) -> tuple[Decimal, int] | None:
        try:
            answer = portrait_data.indicator_for(partnership, code)
        except (portrait_data.NoData, portrait_data.UnknownIndicator):
            return None
        value = answer["partnership"]["value"]
        if value is None:
            return None
        try:
            return Decimal(repr(value)).quantize(Decimal("0.0001")), int(answer["year"])
        except InvalidOperation:
            return None

    return lookup


def _plain_number(value: Any) -> Any:
    # 40.0000 as "40": the column keeps four places, a person writes what they mean.
    return f"{value.normalize():f}" if isinstance(value, Decimal) else value


def _result_initial(result: ExpectedResult) -> dict[str, Any]:
    return {name: _plain_number(getattr(result, name)) for name in actions.RESULT_FIELDS}


@login_required
@GET_POST
def result_create(request: HttpRequest, slug: str, goal_id: int) -> HttpResponse:
    strategy = load_strategy(request, slug, CHANGE)
    goal = _goal(strategy, goal_id)
    form = forms_strategy.ResultForm(_posted(request),
                                     baseline=_baseline_lookup(strategy.partnership))
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.create_result(goal=goal, by=request.user, values=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The expected result has been added."))
            return redirect("strategy:result_edit", slug, result.pk)
    return _form_page(
        request, strategy, form,
        heading=_("New expected result of goal %(goal)s") % {"goal": goal},
        submit=_("Add the result"), back=reverse("strategy:goal_edit", args=[slug, goal.pk]))


def _result_page(request: HttpRequest, strategy: Strategy, result: ExpectedResult, form,
                 measurement_form, status: int) -> HttpResponse:
    return render(request, "strategy/strategy_result.html", _context(
        request, strategy.partnership, strategy, "overview", result=result, form=form,
        measurement_form=measurement_form, measurements=result.measurements.all(),
    ), status=status)


@login_required
@GET_POST
def result_edit(request: HttpRequest, slug: str, result_id: int) -> HttpResponse:
    """The result, its indicator, baseline and target, and its measured values."""
    strategy = load_strategy(request, slug, CHANGE)
    result = get_object_or_404(ExpectedResult.objects.select_related("goal"),
                               goal__strategy=strategy, pk=result_id)
    result.goal.strategy = strategy
    here = reverse("strategy:result_edit", args=[slug, result.pk])
    action = request.POST.get("action", "save") if request.method == "POST" else None
    lookup = _baseline_lookup(strategy.partnership)
    form = forms_strategy.ResultForm(initial=_result_initial(result), baseline=lookup)
    measurement_form = forms_strategy.MeasurementForm()
    if action == "delete":
        actions.delete_result(result=result, by=request.user)
        messages.success(request, _("The expected result has been deleted."))
        return redirect("strategy:goal_edit", slug, result.goal_id)
    if action == "measurement":
        measurement_form = forms_strategy.MeasurementForm(request.POST)
        if measurement_form.is_valid():
            actions.record_measurement(result=result, by=request.user,
                                       **measurement_form.cleaned_data)
            messages.success(request, _("The value has been recorded."))
            return redirect(here)
        return _result_page(request, strategy, result, form, measurement_form, 400)
    if action == "measurement_delete":
        raw = request.POST.get("measurement", "")
        if not raw.isdigit():
            return HttpResponse(_("Choose a value to delete."), status=400)
        measurement = get_object_or_404(result.measurements, pk=int(raw))
        actions.delete_measurement(measurement=measurement, by=request.user)
        messages.success(request, _("The value has been deleted."))
        return redirect(here)
    if action == "save":
        form = forms_strategy.ResultForm(request.POST, baseline=lookup)
        if form.is_valid():
            try:
                actions.update_result(result=result, by=request.user, values=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The expected result has been saved."))
                return redirect(here)
        return _result_page(request, strategy, result, form, measurement_form, 400)
    if action is not None:
        return HttpResponse(_("Unknown action."), status=400)
    return _result_page(request, strategy, result, form, measurement_form, 200)


# --- intervention areas -------------------------------------------------------------------


def _areas(strategy: Strategy) -> list[InterventionArea]:
    return list(strategy.intervention_areas.prefetch_related("units"))


def _area_features(strategy: Strategy, areas: list[InterventionArea]) -> dict[str, Any]:
    """The member gminas coloured by their area (the first, if in several), among neighbours."""
    members, neighbours = maps.member_gminas_with_neighbours(
        list(strategy.partnership.units.all()))
    outside, neighbour = _("outside the intervention areas"), _("neighbouring gmina")
    names: dict[int, list[str]] = {}
    for area in areas:
        for unit in area.units.all():
            names.setdefault(unit.pk, []).append(area.name)
    features = [{
        "type": "Feature", "geometry": unit.boundary,
        "properties": {"teryt": unit.teryt, "name": unit.display_name,
                       "area": names.get(unit.pk, [outside])[0] if is_member else neighbour,
                       "areas": ", ".join(names.get(unit.pk, [])) or "–"},
    } for units, is_member in ((neighbours, False), (members, True)) for unit in units]
    return {"type": "FeatureCollection", "features": features}


def _areas_spec(slug: str, areas: list[InterventionArea], title: str) -> dict[str, Any]:
    spec = maps.map_spec(reverse("strategy:areas_map", args=[slug]), title)
    domain = [area.name for area in areas]
    domain += [_("outside the intervention areas"), _("neighbouring gmina")]
    # Colours of sufficient contrast for the areas; grey for the rest.
    palette = ["#1f5f8b", "#a4111f", "#2e6b30", "#7a4a00", "#5b2a86", "#0b3d6e", "#8a1c5b"]
    colours = [palette[i % len(palette)] for i in range(len(areas))] + ["#e6e9ec", "#c9d3dc"]
    spec["encoding"]["color"] = {
        "field": "properties.area", "type": "nominal", "title": None,
        "scale": {"domain": domain, "range": colours}, "legend": {"orient": "bottom"}}
    spec["encoding"]["tooltip"] = [
        {"field": "properties.name", "type": "nominal", "title": _("Unit")},
        {"field": "properties.teryt", "type": "nominal", "title": _("TERYT code")},
        {"field": "properties.areas", "type": "nominal", "title": _("Intervention areas")},
    ]
    return spec


@require_GET
def areas(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = load_strategy(request, slug, READ)
    found = _areas(strategy)
    has_boundaries = strategy.partnership.units.exclude(boundary=None).exists()
    title = _("Map of the strategic intervention areas of %(name)s") % {
        "name": strategy.partnership.name}
    return render(request, "strategy/strategy_areas.html", _context(
        request, strategy.partnership, strategy, "areas", areas=found,
        map_spec=_areas_spec(slug, found, title), map_title=title,
        has_boundaries=has_boundaries))


@require_GET
def areas_map(request: HttpRequest, slug: str) -> JsonResponse:
    strategy = load_strategy(request, slug, READ)
    response = JsonResponse(_area_features(strategy, _areas(strategy)))
    # Unpublished areas are the members' working material: never in a shared cache.
    response["Cache-Control"] = "private, max-age=60"
    return response


def _area_form(request: HttpRequest, strategy: Strategy, area: InterventionArea | None):
    initial = {}
    if area is not None:
        initial = {"name": area.name, "origin": area.origin, "description": area.description,
                   "units": list(area.units.values_list("pk", flat=True))}
    return forms_strategy.AreaForm(_posted(request), partnership=strategy.partnership,
                                   initial=initial)


@login_required
@GET_POST
def area_create(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = load_strategy(request, slug, CHANGE)
    form = _area_form(request, strategy, None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            actions.create_area(strategy=strategy, by=request.user, units=data.pop("units"),
                                **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The intervention area has been added."))
            return redirect("strategy:areas", slug)
    return _form_page(request, strategy, form, heading=_("New strategic intervention area"),
                      submit=_("Add the area"), back=reverse("strategy:areas", args=[slug]),
                      section="areas")


@login_required
@GET_POST
def area_edit(request: HttpRequest, slug: str, area_id: int) -> HttpResponse:
    strategy = load_strategy(request, slug, CHANGE)
    area = get_object_or_404(strategy.intervention_areas, pk=area_id)
    area.strategy = strategy
    back = reverse("strategy:areas", args=[slug])
    if request.method == "POST" and request.POST.get("action") == "delete":
        actions.delete_area(area=area, by=request.user)
        messages.success(request, _("The intervention area has been deleted."))
        return redirect(back)
    form = _area_form(request, strategy, area)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            actions.update_area(area=area, by=request.user, units=data.pop("units"),
                                values=data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The intervention area has been saved."))
            return redirect(back)
    return _form_page(request, strategy, form, heading=_("Intervention area: %(name)s")
                      % {"name": area.name}, submit=_("Save the area"), back=back,
                      section="areas", delete=True)


# --- monitoring ---------------------------------------------------------------------------


def _result_figures(items: list[monitoring_data.Progress]) -> list[dict[str, Any]]:
    figures = []
    for item in items:
        description = _("Values of the indicator %(indicator)s over the years against the "
                        "target; the same values are in the table below.") % {
            "indicator": item.indicator}
        value_title = item.measure_unit or _("value")
        figures.append({
            "item": item, "spec_id": f"result-{item.id}-spec", "description": description,
            "empty": not item.points,
            "spec": monitoring_data.result_chart(
                item, description=description, year_title=_("Year"), value_title=value_title,
                measured_label=_("measured"), baseline_label=_("baseline"),
                target_label=_("target %(year)s") % {"year": item.target_year or "–"}),
        })
    return figures


@require_GET
def monitoring(request: HttpRequest, slug: str) -> HttpResponse:
    """The summary for everyone who may read the strategy: no editing controls here."""
    strategy = load_strategy(request, slug, READ)
    progress = monitoring_data.load_progress(
        strategy, _language(), monitoring_data.portrait_series(strategy.partnership))
    money = monitoring_data.load_spending(strategy.partnership)
    description = _("Money planned and spent on the key projects per year, in PLN; the same "
                    "figures are in the table below.")
    return render(request, "strategy/monitoring.html", _context(
        request, strategy.partnership, strategy, "monitoring",
        results=_result_figures(progress), money=money,
        money_spec=monitoring_data.spending_chart(
            money.by_year, description=description, year_title=_("Year"),
            money_title=_("PLN"), planned_label=_("planned"), spent_label=_("spent")),
        money_description=description,
    ))

