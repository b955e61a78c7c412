"""The strategy document: its structure and completeness, its files (through the report
jobs), and sending it to consultation as a new version of the strategy's draft.

Members only (strategy.view_internal); sending is the coordinator's (strategy.change).
Both load the partnership through core's loader, so an outsider gets 404 even when the
strategy is published, and a member without the right 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from razem.consultations.drafting import DraftFormatError
from razem.core.models import Partnership
from razem.reports import registry
from razem.reports.models import ReportFormat
from razem.strategy import completeness
from razem.strategy import document as strategy_document
from razem.strategy.loading import load_partnership, strategy_of
from razem.strategy.models import Strategy

NOTE_MAX_LENGTH = 500

# What each part of the document is made of, shown beside its heading.
SECTION_HELP: dict[str, Any] = {
    "diagnosis": gettext_lazy("The conclusions written on the portrait, by dimension, with "
                              "the indicators each rests on."),
    "goals": gettext_lazy("The vision and the strategic goals in the social, economic and "
                          "spatial dimensions, each with the conclusions it answers."),
    "directions": gettext_lazy("The directions of action under each goal."),
    "results": gettext_lazy("A table of the expected results: indicator, unit, baseline and "
                            "target with their years."),
    "spatial_model": gettext_lazy("The description of the model and a map of the member "
                                  "units."),
    "spatial_policy": gettext_lazy("The findings and recommendations for spatial policy."),
    "areas": gettext_lazy("A table of the intervention areas and their units, and a map."),
    "projects": gettext_lazy("A table of the key projects with their costs, the ranking when "
                             "it can be computed, and each project card."),
    "implementation": gettext_lazy("The implementation system and how partners were "
                                   "involved."),
    "financing": gettext_lazy("The financial framework: planned costs by funding source and "
                              "by year, with a chart."),
    "monitoring": gettext_lazy("Each result's baseline, latest value and target; the key "
                               "projects by status with planned and spent amounts."),
}


class SendForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What changed since the previous version (optional)"),
        max_length=NOTE_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 3}))


def _completeness(strategy: Strategy | None) -> list[dict[str, Any]] | None:
    """The completeness check of the strategy's main page: each required element, whether
    it is there, what is missing and where to fix it."""
    if strategy is None:
        return None
    rows = []
    for item in completeness.check(completeness.facts_for(strategy)):
        try:
            url = reverse(item.fix_url_name, args=[strategy.partnership.slug, *item.fix_args])
        except NoReverseMatch:
            url = ""
        rows.append({"label": item.label, "ok": item.ok, "missing": item.missing, "url": url})
    return rows


def _page(request: HttpRequest, partnership: Partnership, form: SendForm, *,
          status: int = 200, error: str = "") -> HttpResponse:
    strategy = strategy_of(partnership)
    draft = strategy.draft if strategy is not None else None
    return render(request, "strategy/document.html", {
        "partnership": partnership,
        "is_member": True,  # every reader of this page is (strategy.view_internal)
        "strategy": strategy,
        "sections": [{"heading": heading, "help": SECTION_HELP[key]}
                     for heading, (key, _label) in zip(strategy_document.section_headings(),
                                                       strategy_document.SECTIONS)],
        "completeness": _completeness(strategy),
        "report_available": strategy is not None
        and registry.get(strategy_document.KIND) is not None,
        "report_kind": strategy_document.KIND,
        "report_formats": ReportFormat.choices,
        "draft": draft,
        "latest_version": draft.latest_version() if draft is not None else None,
        "can_send": strategy is not None
        and request.user.has_perm("strategy.change", partnership),
        "can_change": request.user.has_perm("strategy.change", partnership),
        "form": form,
        "error": error,
    }, status=status)


@login_required
@require_GET
def document(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "strategy.view_internal")
    return _page(request, partnership, SendForm())


@login_required
@require_POST
def send_to_consultation(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "strategy.change")
    strategy = strategy_of(partnership)
    if strategy is None:
        raise Http404
    form = SendForm(request.POST)
    if not form.is_valid():
        return _page(request, partnership, form, status=400)
    try:
        version = strategy_document.send_to_consultation(
            strategy=strategy, by=request.user, note=form.cleaned_data["note"])
    except DraftFormatError as error:
        return _page(request, partnership, form, status=400, error=str(error))
    messages.success(request, _("The strategy document is now version %(number)s of the "
                                "draft “%(title)s”.")
                     % {"number": version.number, "title": version.draft.title})
    return redirect("consultations:draft_detail", partnership.slug, version.draft_id)
