"""Pages of the key projects' cards (fiszki projektowe) and of advisors' opinions.

Reading a card follows the strategy (members, everyone once it is published), except
opinions: a version shows to the public and observers only once the coordinator publishes
it. Changing: cards by the coordinator and officers, opinion requests and publication by
the coordinator, answers only by the advisor asked. Bad input is a 400 page with the form
and its errors; nothing already saved is touched.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from razem.consultations.versioning import word_diff
from razem.core.models import Partnership
from razem.reports.document import format_number
from razem.strategy import forms_projects as forms
from razem.strategy import project_actions as actions
from razem.strategy import timeline
from razem.strategy.loading import (
    load_opinion_request,
    load_project,
    load_strategy_partnership,
    strategy_of,
)
from razem.strategy.models import (
    AdvisorOpinion,
    OpinionRequest,
    ProjectCard,
    ProjectStatus,
    Readiness,
    Strategy,
)

NBSP = "\u00a0"


# --- numbers ---------------------------------------------------------------------------


def _language() -> str:
    return (get_language() or "pl").split("-")[0]


def number_text(value: Decimal, language: str = "pl", places: int | None = None) -> str:
    """A Decimal as text, exactly: "1 234 567,89" in Polish. Without `places`, as many
    decimals as the value carries. The reports' formatter, so pages and documents agree."""
    if places is None:
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(value, places, language)


def pln(value: Decimal, language: str = "pl") -> str:
    """Money as "1 234 567,89 zł" (Polish) or "1,234,567.89 PLN" (English)."""
    return number_text(value, language, 2) + NBSP + ("zł" if language == "pl" else "PLN")


def plain_decimal(text: str, language: str = "pl") -> str:
    """An indicator's target ("12.5000") without trailing zeros ("12,5")."""
    if not text:
        return "–"
    value = Decimal(text)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return number_text(value, language)


def _posted(request: HttpRequest):
    # An empty POST must still bind (and fail) the form.
    return request.POST if request.method == "POST" else None


# --- the list and the timeline --------------------------------------------------------------


def _choice(request: HttpRequest, name: str, allowed: set[str]) -> str:
    # Filters from the address: an unknown value is ignored, not an error.
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def _timeline_texts() -> timeline.Texts:
    return timeline.Texts(
        description=_("Timeline of the key projects: a bar from the start to the end of "
                      "each project, its milestones as diamonds (filled when reached). "
                      "The same dates are in the table beside the chart."),
        project=_("Project"), start=_("Start"), end=_("End"), status=_("Status"),
        milestone=_("Milestone"), due=_("Planned date"), reached=_("Reached"),
        yes=_("yes"), no=_("no"))


def _timeline(cards: list[ProjectCard]) -> dict[str, Any]:
    projects = [timeline.TimelineProject(
        label=str(card), starts_on=card.starts_on, ends_on=card.ends_on,
        status=card.get_status_display(),
        milestones=tuple(timeline.TimelineMilestone(m.name, m.due_on, m.done_on)
                         for m in card.milestones.all()))
        for card in cards]
    spec = timeline.spec(projects, _timeline_texts())
    return {"spec": spec, "spec_id": "project-timeline-spec",
            "description": spec["description"],
            "empty": not any(project.drawable for project in projects)}


def _total(card: ProjectCard) -> Decimal:
    # Summed in Python from the prefetched rows: exact, and SQLite's SUM of a decimal
    # column goes through floating point.
    return sum((cost.planned for cost in card.costs.all()), Decimal("0.00"))


@require_http_methods(["GET", "HEAD"])
def project_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_strategy_partnership(request, slug)
    strategy = strategy_of(partnership)
    goals = list(strategy.goals.order_by("number")) if strategy else []
    # Every card once, with its rows: the number of queries does not grow with the cards.
    cards = list(partnership.project_cards.select_related("lead_unit")
                 .prefetch_related("costs", "milestones", "goals").order_by("number"))
    status = _choice(request, "status", set(ProjectStatus.values))
    readiness = _choice(request, "readiness", set(Readiness.values))
    goal = _choice(request, "goal", {str(goal.pk) for goal in goals})
    shown = [card for card in cards
             if (not status or card.status == status)
             and (not readiness or card.readiness == readiness)
             and (not goal or any(str(g.pk) == goal for g in card.goals.all()))]
    language = _language()
    rows = [{"card": card, "total": pln(_total(card), language)} for card in shown]
    grand_total = sum((_total(card) for card in shown), Decimal("0.00"))
    return render(request, "strategy/project_list.html", {
        "partnership": partnership, "strategy": strategy, "rows": rows,
        "grand_total": pln(grand_total, language), "card_count": len(cards),
        "goals": goals, "statuses": ProjectStatus.choices, "readiness_levels": Readiness.choices,
        "chosen": {"status": status, "readiness": readiness, "goal": goal},
        "filtered": bool(status or readiness or goal),
        "timeline": _timeline(cards), "timeline_cards": cards,
        "can_edit": request.user.has_perm("strategy.edit_projects", partnership),
    })


# --- one card ---------------------------------------------------------------------------------


def _visible_requests(request: HttpRequest, project: ProjectCard) -> list[dict[str, Any]]:
    """Opinion requests with the versions this user may read, newest first."""
    internal = request.user.has_perm("strategy.view_unpublished_opinions", project.partnership)
    opinions = AdvisorOpinion.objects.order_by("-version")
    if not internal:
        opinions = opinions.filter(published_at__isnull=False)
    requests = (project.opinion_requests.select_related("advisor")
                .prefetch_related(Prefetch("opinions", queryset=opinions)))
    shown = []
    for opinion_request in requests:
        versions = list(opinion_request.opinions.all())
        if internal or versions:
            shown.append({"request": opinion_request, "versions": versions,
                          "latest": versions[0] if versions else None})
    return shown


@require_http_methods(["GET", "HEAD"])
def project_detail(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project = load_project(request, slug, project_id)
    project = (ProjectCard.objects.select_related("partnership", "lead_unit")
               .prefetch_related("partner_units", "location_units", "goals",
                                 "directions__goal", "costs", "milestones")
               .get(pk=project.pk))
    language = _language()
    costs = list(project.costs.all())
    spent = [cost.spent for cost in costs if cost.spent is not None]
    cost_rows = [{"year": cost.year, "planned": pln(cost.planned, language),
                  "spent": pln(cost.spent, language) if cost.spent is not None else "–"}
                 for cost in costs]
    partnership = project.partnership
    return render(request, "strategy/project_detail.html", {
        "partnership": partnership, "project": project,
        "cost_rows": cost_rows, "total_planned": pln(_total(project), language),
        "total_spent": pln(sum(spent, Decimal("0.00")), language) if spent else "–",
        "outputs": _indicators(project.output_indicators, language),
        "results": _indicators(project.result_indicators, language),
        "milestones": list(project.milestones.all()),
        "opinion_requests": _visible_requests(request, project),
        "can_edit": request.user.has_perm("strategy.edit_projects", partnership),
        "can_request": request.user.has_perm("strategy.request_opinion", partnership),
        "sees_internal": request.user.has_perm("strategy.view_unpublished_opinions",
                                               partnership),
    })


def _indicators(rows: list[dict[str, str]], language: str) -> list[dict[str, str]]:
    return [{"name": row.get("name", ""), "unit": row.get("unit", ""),
             "target": plain_decimal(row.get("target", ""), language)} for row in rows]


# --- creating and editing a card -------------------------------------------------------------


def _initial_rows(project: ProjectCard) -> dict[str, list[dict[str, Any]]]:
    def indicators(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
        return [{"name": row.get("name", ""), "unit": row.get("unit", ""),
                 "target": Decimal(row["target"]) if row.get("target") else None}
                for row in rows]

    return {
        "outputs": indicators(project.output_indicators),
        "results": indicators(project.result_indicators),
        "costs": [{"year": c.year, "planned": c.planned, "spent": c.spent}
                  for c in project.costs.order_by("year")],
        "milestones": [{"name": m.name, "due_on": m.due_on, "done_on": m.done_on}
                       for m in project.milestones.order_by("due_on", "id")],
    }


def _initial_card(project: ProjectCard) -> dict[str, Any]:
    initial = {name: getattr(project, name) for name in actions.SCALAR_FIELDS
               if name not in ("output_indicators", "result_indicators")}
    initial["lead_unit"] = project.lead_unit_id
    for name in ("partner_units", "location_units", "goals", "directions"):
        initial[name] = list(getattr(project, name).values_list("pk", flat=True))
    return initial


def _card_input(form: forms.ProjectCardForm, formsets: dict[str, Any]) -> actions.CardInput:
    data = form.cleaned_data
    return actions.CardInput(
        title=data["title"], lead_unit=data["lead_unit"],
        partner_units=list(data["partner_units"]), location_units=list(data["location_units"]),
        location=data["location"], goals=list(data["goals"]),
        directions=list(data["directions"]), problem=data["problem"], scope=data["scope"],
        output_indicators=forms.indicator_rows(formsets["outputs"]),
        result_indicators=forms.indicator_rows(formsets["results"]),
        funding_source=data["funding_source"], funding_details=data["funding_details"],
        readiness=data["readiness"], is_integrated=data["is_integrated"],
        status=data["status"], starts_on=data["starts_on"], ends_on=data["ends_on"],
        costs=[actions.CostRow(row["year"], row["planned"], row.get("spent"))
               for row in formsets["costs"].rows()],
        milestones=[actions.MilestoneRow(row["name"], row["due_on"], row.get("done_on"))
                    for row in formsets["milestones"].rows()],
    )


def _card_page(request: HttpRequest, partnership: Partnership,
               project: ProjectCard | None) -> HttpResponse:
    strategy: Strategy | None = strategy_of(partnership)
    posted = _posted(request)
    rows = _initial_rows(project) if project else {}
    form = forms.ProjectCardForm(posted, partnership=partnership, strategy=strategy,
                                 initial=_initial_card(project) if project else None)
    # A post is read on its own: with the saved rows as initial values, an unchanged row
    # would count as "blank" and be dropped.
    formsets = {prefix: formset(posted, prefix=prefix,
                                initial=None if posted is not None else rows.get(prefix))
                for prefix, formset in forms.FORMSET_PREFIXES.items()}
    if request.method == "POST":
        # Every part is checked (not only up to the first failure): all errors show at once.
        results = [form.is_valid()] + [fs.is_valid() for fs in formsets.values()]
        if all(results):
            try:
                data = _card_input(form, formsets)
                if project is None:
                    project = actions.create_project(partnership=partnership,
                                                     by=request.user, data=data)
                    messages.success(request, _("The project card has been saved."))
                else:
                    changes = actions.update_project(project=project, by=request.user,
                                                     data=data)
                    messages.success(request, _("The project card has been saved.")
                                     if changes else _("Nothing was changed."))
            except actions.ProjectError as error:
                form.add_error(None, str(error))
            else:
                return redirect("strategy:project_detail", partnership.slug, project.pk)
    return render(request, "strategy/project_form.html", {
        "partnership": partnership, "project": project, "form": form,
        "formsets": formsets, "has_strategy": strategy is not None,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_strategy_partnership(request, slug, "strategy.edit_projects")
    return _card_page(request, partnership, None)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project = load_project(request, slug, project_id, "strategy.edit_projects")
    return _card_page(request, project.partnership, project)


# --- opinions ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def opinion_request(request: HttpRequest, slug: str, project_id: int) -> HttpResponse:
    project = load_project(request, slug, project_id, "strategy.request_opinion")
    form = forms.OpinionRequestForm(_posted(request), partnership=project.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_opinion(project=project, by=request.user, **form.cleaned_data)
        except actions.ProjectError as error:
            form.add_error("advisor", str(error))
        else:
            messages.success(request, _("The advisor has been asked for an opinion."))
            return redirect("strategy:project_detail", slug, project.pk)
    return render(request, "strategy/opinion_request.html", {
        "partnership": project.partnership, "project": project, "form": form,
        "has_advisors": form.fields["advisor"].queryset.exists(),
    }, status=400 if request.method == "POST" else 200)


def _changes(newest: AdvisorOpinion, previous: AdvisorOpinion) -> list[dict[str, Any]]:
    """The fields the newest version changed, each as a word-level difference."""
    changed = []
    for name in actions.OPINION_FIELDS:
        old, new = getattr(previous, name), getattr(newest, name)
        if name == "recommendation":
            old, new = previous.get_recommendation_display(), newest.get_recommendation_display()
        if old != new:
            changed.append({"label": AdvisorOpinion._meta.get_field(name).verbose_name,
                            "parts": word_diff(str(old), str(new))})
    return changed


@login_required
@require_http_methods(["GET", "POST"])
def opinion_answer(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    perm = ("strategy.answer_opinion" if request.method == "POST"
            else "strategy.view_unpublished_opinions")
    opinion_request: OpinionRequest = load_opinion_request(request, slug, request_id, perm)
    may_answer = request.user.has_perm("strategy.answer_opinion", opinion_request)
    versions = list(opinion_request.opinions.select_related("author", "published_by")
                    .order_by("-version"))
    form = forms.OpinionAnswerForm(
        _posted(request),
        initial={name: getattr(versions[0], name) for name in actions.OPINION_FIELDS}
        if versions else None)
    if request.method == "POST" and form.is_valid():
        try:
            opinion = actions.answer_opinion(opinion_request=opinion_request,
                                             by=request.user, **form.cleaned_data)
        except actions.ProjectError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Version %(version)d of the answer has been saved.")
                             % {"version": opinion.version})
            return redirect("strategy:opinion_answer", slug, opinion_request.pk)
    project = opinion_request.project
    return render(request, "strategy/opinion_answer.html", {
        "partnership": project.partnership, "project": project,
        "opinion_request": opinion_request, "versions": versions,
        "changes": _changes(versions[0], versions[1]) if len(versions) > 1 else None,
        "form": form if may_answer else None,
        "can_publish": request.user.has_perm("strategy.publish_opinion", opinion_request),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def opinion_publish(request: HttpRequest, slug: str, request_id: int,
                    version: int) -> HttpResponse:
    opinion_request = load_opinion_request(request, slug, request_id,
                                           "strategy.publish_opinion")
    opinion = get_object_or_404(opinion_request.opinions, version=version)
    choice = request.POST.get("published")
    if choice not in ("0", "1"):
        return render(request, "strategy/opinion_refused.html", {
            "partnership": opinion_request.project.partnership,
            "project": opinion_request.project, "opinion_request": opinion_request,
            "message": _("Choose whether to publish the opinion or withdraw it."),
        }, status=400)
    publish = choice == "1"
    if actions.publish_opinion(opinion=opinion, by=request.user, publish=publish):
        messages.success(request, _("The opinion has been published.") if publish
                         else _("The opinion has been withdrawn from publication."))
    return redirect("strategy:opinion_answer", slug, opinion_request.pk)
