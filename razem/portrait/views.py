"""Pages of the partnership portrait.

Reading: members always; anyone once a coordinator has published the
portrait. Writing (conclusions, publication, reference year): coordinators.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from razem.core.models import Partnership
from razem.core.views import load_partnership
from razem.indicators.catalogue import DIMENSIONS, load_catalogue
from razem.portrait import actions, candidates, data, formatting, presenters, tables
from razem.portrait.survey_questions import attach_cited_questions
from razem.portrait.survey_questions import value as question_value
from razem.portrait.forms import ConclusionForm
from razem.portrait.models import ConclusionKind, DiagnosisConclusion
from razem.portrait.rules import settings_for

CANDIDATES_ON_OVERVIEW = 8


def _language() -> str:
    return (get_language() or "pl").split("-")[0]


def _reader(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Loads the partnership for reading the portrait.

    Published: anyone. Not published: members; anonymous visitors are sent to
    log in, users of other partnerships get 404 (they must not learn more).
    """
    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        partnership = get_object_or_404(Partnership, slug=slug)
        if not request.user.has_perm("portrait.view", partnership):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404
        return view(request, partnership, *args, **kwargs)

    return wrapped


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("rok")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) != 4:
        raise Http404
    return int(raw)


def _portrait(request: HttpRequest, partnership: Partnership) -> data.Portrait | None:
    """The portrait for the requested year; None when no data has been imported."""
    year = _year(request)
    try:
        portrait = data.portrait_for(partnership, year)
    except data.NoData:
        return None
    if year is not None and portrait.year != year:
        raise Http404  # a year without data
    return portrait


def _query(request: HttpRequest, portrait: data.Portrait) -> str:
    # Keep a chosen year when following links within the portrait.
    return f"?rok={portrait.year}" if request.GET.get("rok") else ""


def _urls(partnership: Partnership, portrait: data.Portrait, request: HttpRequest):
    query = _query(request, portrait)
    # One reverse() per page, not one per table row.
    unit_base = reverse("portrait:unit", args=[partnership.slug, "0"])[:-2]
    indicator_base = reverse("portrait:indicator", args=[partnership.slug, "x"])[:-2]

    def unit_url(teryt: str) -> str:
        return f"{unit_base}{teryt}/{query}"

    def indicator_url(code: str) -> str:
        return f"{indicator_base}{code}/{query}"

    return unit_url, indicator_url


def _memo(request: HttpRequest, portrait: data.Portrait, *key: Any, build: Callable[[], Any]):
    """A derived result kept with the cached portrait (per language and link style)."""
    return portrait.remember((*key, _language(), _query(request, portrait)), build)


def _figure(figure: presenters.Figure, language: str) -> dict[str, Any]:
    return {
        "id": figure.id, "title": figure.title, "description": figure.description,
        # Nothing to draw (no boundaries imported, no values): the page says so.
        "empty": not figure.spec["data"]["values"],
        "is_map": figure.spec["mark"]["type"] == "geoshape",
        "spec": figure.spec, "spec_id": f"{figure.id}-spec", "source": figure.source,
        "table": _table(figure.table, language, f"{figure.id}-table"),
    }


def _table(table: presenters.DataTable, language: str, table_id: str) -> dict[str, Any]:
    return {"id": table_id, "caption": table.caption,
            "html": tables.render(table, language, table_id)}


def _context(request: HttpRequest, partnership: Partnership,
             portrait: data.Portrait | None, **extra: Any) -> dict[str, Any]:
    user = request.user
    language = _language()
    settings = settings_for(partnership)
    context = {
        "partnership": partnership,
        "portrait": portrait,
        "language": language,
        "can_change": user.has_perm("portrait.change", partnership),
        "is_member": user.has_perm("core.view_partnership_internal", partnership),
        "portrait_settings": settings,
        "published": bool(settings and settings.published),
        "source": presenters.source_text(language),
        "dimensions": presenters.dimension_list(portrait, language) if portrait else [
            {"code": d, "label": presenters.dimension_label(d, language), "indicators": []}
            for d in DIMENSIONS
        ],
    }
    context.update(extra)
    return context


def _no_data(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "portrait/no_data.html", _context(request, partnership, None))


def _conclusions(partnership: Partnership, language: str) -> list[dict[str, Any]]:
    by_kind: dict[str, list[DiagnosisConclusion]] = {kind: [] for kind in ConclusionKind.values}
    for conclusion in attach_cited_questions(partnership.diagnosis_conclusions.all()):
        by_kind.setdefault(conclusion.kind, []).append(conclusion)
    labels = {ConclusionKind.STRENGTH: _("Strengths"), ConclusionKind.WEAKNESS: _("Weaknesses"),
              ConclusionKind.CHALLENGE: _("Challenges")}
    return [{"kind": kind, "label": labels[kind], "items": items, "id": f"conclusions-{kind}"}
            for kind, items in by_kind.items() if kind in labels]


# --- reading ------------------------------------------------------------------------------


@require_GET
@_reader
def overview(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    portrait = _portrait(request, partnership)
    if portrait is None:
        return _no_data(request, partnership)
    language = _language()
    unit_url, _indicator_url = _urls(partnership, portrait, request)
    found = _candidates(request, portrait)
    return render(request, "portrait/overview.html", _context(
        request, partnership, portrait,
        **_memo(request, portrait, "overview", build=lambda: {
            "key_figures": _table(presenters.key_figures_table(portrait, language, unit_url),
                                  language, "key-figures"),
            "comparison": _table(presenters.comparison_table(portrait, language), language,
                                 "comparison"),
            "map": _figure(presenters.score_map(portrait, language, unit_url=unit_url),
                           language),
        }),
        conclusions=_conclusions(partnership, language),
        candidates=found[:CANDIDATES_ON_OVERVIEW],
        candidate_count=len(found),
        report_formats=[("pdf", "PDF"), ("docx", "DOCX")],
        years=portrait.years,
    ))


def _candidates(request: HttpRequest, portrait: data.Portrait) -> list[candidates.Candidate]:
    language = _language()
    return portrait.remember(("candidates", language),
                             lambda: candidates.candidates(portrait, language))


@require_GET
@_reader
def dimension(request: HttpRequest, partnership: Partnership, dimension: str) -> HttpResponse:
    if dimension not in DIMENSIONS:
        raise Http404
    portrait = _portrait(request, partnership)
    if portrait is None:
        return _no_data(request, partnership)
    language = _language()
    unit_url, indicator_url = _urls(partnership, portrait, request)
    indicators = portrait.catalogue.by_dimension().get(dimension, [])
    return render(request, "portrait/dimension.html", _context(
        request, partnership, portrait,
        dimension=dimension, dimension_label=presenters.dimension_label(dimension, language),
        scores=_figure(presenters.dimension_scores(portrait, dimension, language, unit_url),
                       language),
        map=_figure(presenters.score_map(portrait, language, dimension, unit_url), language),
        matrix=_table(presenters.dimension_matrix(portrait, dimension, language), language,
                      "matrix"),
        indicators=[(i, indicator_url(i.code)) for i in indicators],
    ))


@require_GET
@_reader
def indicator(request: HttpRequest, partnership: Partnership, code: str) -> HttpResponse:
    if code not in load_catalogue():
        raise Http404
    portrait = _portrait(request, partnership)
    if portrait is None:
        return _no_data(request, partnership)
    language = _language()
    unit_url, _indicator_url = _urls(partnership, portrait, request)
    item = portrait.indicator(code)
    return render(request, "portrait/indicator.html", _context(
        request, partnership, portrait,
        indicator=item,
        dimension_label=presenters.dimension_label(item.dimension, language),
        series=_figure(presenters.time_series(portrait, item, language), language),
        ranking=_figure(presenters.ranking(portrait, item, language, unit_url), language),
        map=_figure(presenters.indicator_map(portrait, item, language, unit_url), language),
        areas=_table(presenters.areas_table(portrait, item, language), language, "areas"),
        candidates=[c for c in _candidates(request, portrait) if c.indicator == code],
    ))


@require_GET
@_reader
def unit(request: HttpRequest, partnership: Partnership, teryt: str) -> HttpResponse:
    portrait = _portrait(request, partnership)
    if portrait is None:
        if not partnership.units.filter(teryt=teryt).exists():
            raise Http404
        return _no_data(request, partnership)
    # Only the partnership's own units: another unit's code is not found here.
    member = portrait.member(teryt)
    if member is None:
        raise Http404
    language = _language()
    _unit_url, indicator_url = _urls(partnership, portrait, request)
    tables = [
        {"label": presenters.dimension_label(d, language),
         "table": _table(presenters.unit_profile_table(portrait, member, d, language,
                                                       indicator_url), language, f"profile-{d}")}
        for d in DIMENSIONS
    ]
    scores = [
        _score_row(presenters.dimension_label(d, language),
                   portrait.synthetic.get((member.teryt, d)), language)
        for d in (*DIMENSIONS, data.OVERALL)
    ] if member.is_gmina else []
    return render(request, "portrait/unit.html", _context(
        request, partnership, portrait,
        member=member,
        kind_label=presenters.kind_label(member),
        group_label=presenters.group_label(member.group, language) if member.group else "",
        population_text=formatting.number(portrait.value(member.key, "population"), 0, language),
        tables=tables,
        scores=scores,
        positions=_figure(presenters.unit_positions(portrait, member, language), language)
        if member.is_gmina else None,
        candidates=[c for c in _candidates(request, portrait) if c.teryt == teryt],
    ))


def _score_row(label: str, score: data.Synthetic | None, language: str) -> dict[str, str]:
    decimals = presenters.SCORE_DECIMALS
    if score is None:
        return {"label": label, "hellwig": formatting.MISSING,
                "standardised_sum": formatting.MISSING, "percentile": formatting.MISSING,
                "rank": formatting.MISSING}
    return {
        "label": label,
        "hellwig": formatting.number(score.hellwig, decimals, language),
        "standardised_sum": formatting.number(score.standardised_sum, decimals, language),
        "percentile": formatting.number(score.percentile, 0, language),
        "rank": (_("%(rank)d of %(size)d") % {"rank": score.rank, "size": score.group_size}
                 if score.rank and score.group_size else formatting.MISSING),
    }


@require_GET
@_reader
def methodology(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    language = _language()
    # The methodology is a document per language (written by the indicators app);
    # this page wraps it with the portrait's navigation.
    template = select_template([f"portrait/methodology_{language}.html",
                                "portrait/methodology_pl.html"])
    catalogue = load_catalogue()
    return render(request, "portrait/methodology.html", _context(
        request, partnership, None,
        methodology_template=template.template.name,
        indicators=catalogue.indicators,
        aliases=list(catalogue.aliases.values()),
    ))


@require_GET
@_reader
def candidate_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    portrait = _portrait(request, partnership)
    if portrait is None:
        return _no_data(request, partnership)
    language = _language()
    found = _candidates(request, portrait)
    grouped = [
        {"label": presenters.dimension_label(d, language),
         "items": [c for c in found if c.dimension == d]}
        for d in DIMENSIONS
    ]
    return render(request, "portrait/candidates.html", _context(
        request, partnership, portrait, grouped=grouped, candidate_count=len(found),
    ))


# --- writing (coordinators) ---------------------------------------------------------------


@login_required
def conclusions(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "portrait.change")
    form = ConclusionForm(request.POST or None, partnership=partnership)
    if request.method == "POST":
        if form.is_valid():
            actions.create_conclusion(partnership=partnership, by=request.user,
                                      **form.cleaned_data)
            messages.success(request, _("The conclusion has been added."))
            return redirect("portrait:conclusions", slug)
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "portrait/conclusions.html", _context(
        request, partnership, None, form=form,
        conclusions=_conclusions(partnership, _language()),
        catalogue=load_catalogue(),
    ), status=400 if request.method == "POST" else 200)


@login_required
def conclusion_edit(request: HttpRequest, slug: str, conclusion_id: int) -> HttpResponse:
    partnership = load_partnership(request, slug, "portrait.change")
    conclusion = get_object_or_404(partnership.diagnosis_conclusions, pk=conclusion_id)
    initial = {"kind": conclusion.kind, "dimension": conclusion.dimension,
               "text": conclusion.text, "indicator_codes": conclusion.indicator_codes,
               "order": conclusion.order,
               "survey_questions": [question_value(ref.get("survey"), ref.get("question"))
                                    for ref in conclusion.survey_questions or []
                                    if isinstance(ref, dict)]}
    form = ConclusionForm(request.POST or None, initial=initial, partnership=partnership)
    if request.method == "POST":
        if form.is_valid():
            actions.update_conclusion(conclusion=conclusion, by=request.user, **form.cleaned_data)
            messages.success(request, _("The conclusion has been saved."))
            return redirect("portrait:conclusions", slug)
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "portrait/conclusion_edit.html", _context(
        request, partnership, None, form=form, conclusion=conclusion,
    ), status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def conclusion_delete(request: HttpRequest, slug: str, conclusion_id: int) -> HttpResponse:
    partnership = load_partnership(request, slug, "portrait.change")
    conclusion = get_object_or_404(partnership.diagnosis_conclusions, pk=conclusion_id)
    actions.delete_conclusion(conclusion=conclusion, by=request.user)
    messages.success(request, _("The conclusion has been deleted."))
    return redirect("portrait:conclusions", slug)


@login_required
@require_POST
def candidate_accept(request: HttpRequest, slug: str) -> HttpResponse:
    """Turn a candidate into a conclusion; the text is regenerated, never taken from the form."""
    partnership = load_partnership(request, slug, "portrait.change")
    key = request.POST.get("key", "")
    # The candidate was shown for this year; it may not stand out in another.
    year = request.POST.get("year", "")
    try:
        portrait = data.portrait_for(partnership, int(year) if year.isdigit() else None)
    except data.NoData:
        portrait = None
    found = candidates.find(portrait, key, _language()) if portrait else None
    if found is None:
        return render(request, "portrait/error.html", _context(
            request, partnership, None,
            message=_("This candidate is no longer on the list (the data may have changed). "
                      "Reload the portrait and choose again."),
        ), status=400)
    conclusion = actions.create_conclusion(
        partnership=partnership, by=request.user, kind=found.kind,
        dimension=found.dimension, text=found.sentence, indicator_codes=[found.indicator],
    )
    messages.success(request, _("The candidate has been added as a conclusion; you can now "
                                "edit its text."))
    return redirect("portrait:conclusion_edit", slug, conclusion.pk)


@login_required
@require_POST
def publication(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "portrait.change")
    value = request.POST.get("published")
    if value not in ("0", "1"):
        return render(request, "portrait/error.html", _context(
            request, partnership, None,
            message=_("Choose whether to publish the portrait or to withdraw it."),
        ), status=400)
    published = value == "1"
    actions.set_published(partnership=partnership, by=request.user, published=published)
    messages.success(request, _("The portrait is now public.") if published
                     else _("The portrait is now visible to members only."))
    return redirect("portrait:overview", slug)


@login_required
@require_POST
def reference_year(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = load_partnership(request, slug, "portrait.change")
    raw = request.POST.get("year", "").strip()
    years = data.available_years()
    if raw and (not raw.isdigit() or int(raw) not in years):
        return render(request, "portrait/error.html", _context(
            request, partnership, None,
            message=_("There are no data for the year %(year)s. Choose one of the years "
                      "listed.") % {"year": raw},
        ), status=400)
    actions.set_reference_year(partnership=partnership, by=request.user,
                               year=int(raw) if raw else None)
    messages.success(request, _("The reference year has been saved."))
    return redirect("portrait:overview", slug)
