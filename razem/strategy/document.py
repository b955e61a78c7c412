"""The strategy document: a supra-local strategy as a Document (PDF, DOCX, consultation draft).

The sections follow the required contents of a supra-local strategy (art. 10e-10g of the
gmina self-government act, DOMAIN.md) in the order the act lists them, so the same text
serves the voivodeship board's opinion, the consultation and the EU's territorial
strategy. A part not written yet stays in the document as a note saying what is missing:
a draft is sent to partners while it grows, and the notes show where help is needed.

Registered with razem.reports (`register_report()`, called from StrategyConfig.ready());
`send_to_consultation` turns the document into a new version of the strategy's
consultation draft.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from razem.core.actions import log_action
from razem.core.models import Partnership, User
from razem.indicators.catalogue import DIMENSIONS, load_catalogue
from razem.reports import document as doc
from razem.reports.registry import Progress, ReportError, register
from razem.strategy.models import (
    Dimension,
    ExpectedResult,
    FundingSource,
    InterventionArea,
    ProjectCard,
    ProjectStatus,
    Strategy,
    StrategicGoal,
)

logger = logging.getLogger(__name__)

KIND = "strategy"
TITLE = gettext_lazy("Supra-local development strategy")
PERMISSION = "strategy.view_internal"
ZERO = Decimal("0.00")
MONEY_DECIMALS = 2
# Decimals shown for a hand-entered indicator value at most (the model keeps 4).
MAX_VALUE_DECIMALS = 4

# The required contents in the act's order: (key, heading). The keys name the parts
# for the strategy's pages and tests; the headings are numbered in the document.
SECTIONS: list[tuple[str, Any]] = [
    ("diagnosis", gettext_lazy("Conclusions of the diagnosis")),
    ("goals", gettext_lazy("Vision and strategic goals")),
    ("directions", gettext_lazy("Directions of action")),
    ("results", gettext_lazy("Expected results and their indicators")),
    ("spatial_model", gettext_lazy("Model of the functional-spatial structure")),
    ("spatial_policy", gettext_lazy("Findings and recommendations for spatial policy")),
    ("areas", gettext_lazy("Strategic intervention areas")),
    ("projects", gettext_lazy("Key projects")),
    ("implementation", gettext_lazy("Implementation system")),
    ("financing", gettext_lazy("Financial framework and funding sources")),
    ("monitoring", gettext_lazy("Monitoring and evaluation")),
]


def register_report() -> None:
    register(KIND, title=TITLE, builder=build_strategy_document, permission=PERMISSION)


def section_headings() -> list[str]:
    """The numbered level-1 headings of the document after the introduction."""
    return [f"{number}. {heading}" for number, (_key, heading) in enumerate(SECTIONS, start=1)]


@dataclass
class _Context:
    """What several sections read, loaded once."""

    partnership: Partnership
    strategy: Strategy
    language: str
    goals: list[StrategicGoal]
    projects: list[ProjectCard]
    areas: list[InterventionArea]


def build_strategy_document(partnership: Partnership, *, language: str,
                            progress: Progress) -> doc.Document:
    strategy = Strategy.objects.filter(partnership=partnership).first()
    if strategy is None:
        raise ReportError(_("The partnership has not started its strategy yet."))
    lang = "en" if language.startswith("en") else "pl"
    progress(5, _("Reading the strategy"))
    context = _Context(
        partnership=partnership, strategy=strategy, language=lang,
        goals=list(strategy.goals.prefetch_related("directions", "results__measurements",
                                                   "conclusions")),
        projects=list(partnership.project_cards.select_related("lead_unit").prefetch_related(
            "partner_units", "location_units", "goals", "directions", "costs", "milestones")),
        areas=list(strategy.intervention_areas.prefetch_related("units")),
    )
    document = doc.Document(
        title=strategy.title,
        subtitle=_("%(name)s, until %(year)s") % {"name": partnership.name,
                                                  "year": strategy.horizon_year},
        meta=doc.Meta(publisher=partnership.name, date=timezone.localdate()),
        language=lang,
    )
    document.sections.append(_introduction(context))
    builders = {
        "diagnosis": _diagnosis, "goals": _goals, "directions": _directions,
        "results": _results, "spatial_model": _spatial_model,
        "spatial_policy": _spatial_policy, "areas": _areas, "projects": _projects,
        "implementation": _implementation, "financing": _financing,
        "monitoring": _monitoring,
    }
    for number, (key, heading) in enumerate(SECTIONS, start=1):
        section = doc.Section(heading=f"{number}. {heading}", level=1)
        subsections = builders[key](context, section)
        document.sections.append(section)
        document.sections.extend(subsections)
        progress(10 + 6 * number, _("Preparing the sections"))
    progress(80, _("Drawing the charts"))
    return document


# --- helpers ---------------------------------------------------------------------------


def _text_blocks(text: str, missing: str) -> list[doc.Paragraph | doc.Note]:
    """A text part as paragraphs (blank lines separate them), or a note that it is missing."""
    parts = [" ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n")]
    parts = [part for part in parts if part]
    if not parts:
        return [doc.Note(missing)]
    return [doc.Paragraph(part) for part in parts]


def _value_decimals(value: Decimal, code: str) -> int:
    catalogue = load_catalogue()
    if code and code in catalogue:
        return catalogue.get(code).decimals
    # A hand value is shown with the decimals it was entered with (stored with 4).
    exponent = value.normalize().as_tuple().exponent
    return min(MAX_VALUE_DECIMALS, max(0, -exponent)) if isinstance(exponent, int) else 0


def _value_text(value: Decimal | None, year: int | None, code: str, language: str) -> str:
    if value is None:
        return doc.MISSING
    text = doc.format_number(value, _value_decimals(value, code), language)
    return f"{text} ({year})" if year else text


def indicator_label(result: ExpectedResult, language: str) -> str:
    catalogue = load_catalogue()
    if result.indicator_code and result.indicator_code in catalogue:
        return catalogue.get(result.indicator_code).name(language)
    return result.indicator_name or result.indicator_code or doc.MISSING


def measure_unit(result: ExpectedResult, language: str) -> str:
    catalogue = load_catalogue()
    if result.measure_unit:
        return result.measure_unit
    if result.indicator_code and result.indicator_code in catalogue:
        return catalogue.get(result.indicator_code).unit(language)
    return ""


def _indicator_names(codes: Iterable[str], language: str) -> list[str]:
    catalogue = load_catalogue()
    return [f"{catalogue.get(code).name(language)} [{code}]" if code in catalogue else code
            for code in codes]


def _dimension_label(dimension: str) -> str:
    return str(Dimension(dimension).label) if dimension in Dimension.values else dimension


def _goal_label(goal: StrategicGoal) -> str:
    return _("Goal %(number)s. %(title)s") % {"number": goal.number, "title": goal.title}


def project_cost(project: ProjectCard) -> Decimal:
    return sum((cost.planned for cost in project.costs.all()), ZERO)


def _units_text(units: Iterable[Any]) -> str:
    return ", ".join(unit.display_name for unit in units) or doc.MISSING


def _money_column(label: str) -> doc.Column:
    return doc.Column(label, MONEY_DECIMALS)


# --- the sections ----------------------------------------------------------------------


def _introduction(context: _Context) -> doc.Section:
    partnership, strategy = context.partnership, context.strategy
    units = list(partnership.units.order_by("teryt"))
    blocks: list[doc.Block] = [
        doc.Paragraph(_(
            "The strategy of %(name)s sets out the partnership's shared goals until "
            "%(year)s. Its contents follow the requirements for a supra-local development "
            "strategy in art. 10e-10g of the act on gmina self-government."
        ) % {"name": partnership.name, "year": strategy.horizon_year}),
        doc.Paragraph(_("Member units: %(units)s.") % {"units": _units_text(units)}),
    ]
    if strategy.published_at is None:
        blocks.append(doc.Note(_("This is a draft: the strategy has not been adopted and "
                                 "published yet.")))
    return doc.Section(heading=_("Introduction"), level=1, blocks=blocks)


def _diagnosis(context: _Context, section: doc.Section) -> list[doc.Section]:
    from razem.portrait.presenters import dimension_label
    from razem.portrait.survey_questions import cited_questions_for

    conclusions = list(context.partnership.diagnosis_conclusions.all())
    cited = cited_questions_for(conclusions)
    if not conclusions:
        section.blocks.append(doc.Note(_(
            "No conclusions of the diagnosis have been written yet (portrait of the "
            "partnership, conclusions).")))
        return []
    section.blocks.append(doc.Paragraph(_(
        "The conclusions of the partnership's diagnosis, in the social, economic and "
        "environmental-spatial dimensions, with the indicators of the portrait each rests on.")))
    grouped: dict[str, list[Any]] = defaultdict(list)
    for conclusion in conclusions:
        grouped[conclusion.dimension or ""].append(conclusion)
    subsections = []
    for dimension in [*DIMENSIONS, *sorted(set(grouped) - set(DIMENSIONS))]:
        if dimension not in grouped:
            continue
        items = []
        for conclusion in grouped[dimension]:
            text = f"{conclusion.get_kind_display().capitalize()}: {conclusion.text}"
            names = _indicator_names(conclusion.indicator_codes or [], context.language)
            if names:
                text += " " + _("(indicators: %(names)s)") % {"names": "; ".join(names)}
            questions = [q["label"] for q in cited.get(conclusion.pk, [])]
            if questions:
                text += " " + _("(survey questions: %(questions)s)") % {
                    "questions": "; ".join(questions)}
            items.append(text)
        heading = (_("Dimension: %(dimension)s")
                   % {"dimension": dimension_label(dimension, context.language)}
                   if dimension else _("The partnership as a whole"))
        subsections.append(doc.Section(heading=heading, level=2, blocks=[doc.BulletList(items)]))
    return subsections


def _goals(context: _Context, section: doc.Section) -> list[doc.Section]:
    section.blocks.extend(_text_blocks(context.strategy.vision,
                                       _("The vision has not been written yet.")))
    if not context.goals:
        section.blocks.append(doc.Note(_("No strategic goals have been set yet.")))
        return []
    from razem.portrait.survey_questions import cited_questions_for

    # One query for the questions all goals' conclusions cite.
    cited = cited_questions_for(c for goal in context.goals for c in goal.conclusions.all())
    present = {goal.dimension for goal in context.goals}
    for dimension in Dimension.values:
        if dimension not in present:
            section.blocks.append(doc.Note(
                _("No strategic goal in the %(dimension)s dimension yet.")
                % {"dimension": _dimension_label(dimension)}))
    subsections = []
    for goal in context.goals:
        blocks: list[doc.Block] = [doc.Paragraph(
            _("Dimension: %(dimension)s.") % {"dimension": _dimension_label(goal.dimension)})]
        blocks.extend(_text_blocks(goal.description, _("The goal has no description yet.")))
        evidence = list(goal.conclusions.all())
        if evidence:
            blocks.append(doc.Paragraph(_("The goal answers these conclusions of the "
                                          "diagnosis:")))
            blocks.append(doc.BulletList([
                conclusion.text + (" [" + ", ".join(conclusion.indicator_codes) + "]"
                                   if conclusion.indicator_codes else "")
                + (" [" + "; ".join(q["label"] for q in cited[conclusion.pk]) + "]"
                   if cited.get(conclusion.pk) else "")
                for conclusion in evidence]))
        else:
            blocks.append(doc.Note(_("The goal cites no conclusion of the diagnosis yet.")))
        subsections.append(doc.Section(heading=_goal_label(goal), level=2, blocks=blocks))
    return subsections


def _directions(context: _Context, section: doc.Section) -> list[doc.Section]:
    if not context.goals:
        section.blocks.append(doc.Note(_("Directions of action follow from the strategic "
                                         "goals, which have not been set yet.")))
        return []
    section.blocks.append(doc.Paragraph(_(
        "The directions of action under each strategic goal; the key projects carry them "
        "out.")))
    subsections = []
    for goal in context.goals:
        directions = list(goal.directions.all())
        if directions:
            items = [f"{goal.number}.{d.number}. {d.title}"
                     + (f": {' '.join(d.description.split())}" if d.description.strip() else "")
                     for d in directions]
            blocks: list[doc.Block] = [doc.BulletList(items)]
        else:
            blocks = [doc.Note(_("No directions of action for this goal yet."))]
        subsections.append(doc.Section(heading=_goal_label(goal), level=2, blocks=blocks))
    return subsections


def _results(context: _Context, section: doc.Section) -> list[doc.Section]:
    lang = context.language
    rows = []
    for goal in context.goals:
        for result in goal.results.all():
            rows.append([
                str(goal.number), result.title, indicator_label(result, lang),
                measure_unit(result, lang),
                _value_text(result.baseline_value, result.baseline_year,
                            result.indicator_code, lang),
                _value_text(result.target_value, result.target_year,
                            result.indicator_code, lang),
            ])
    if not rows:
        section.blocks.append(doc.Note(_("No expected results with indicators have been "
                                         "set yet.")))
        return []
    section.blocks.append(doc.Paragraph(_(
        "Baselines of indicators of the portrait come from the data of Statistics Poland "
        "(GUS) for the year given; the targets are to be reached in the year given.")))
    section.blocks.append(doc.Table(
        caption=_("Expected results, their indicators, baselines and targets"),
        columns=[_("Goal"), _("Expected result"), _("Indicator"), _("Unit of measure"),
                 _("Baseline (year)"), _("Target (year)")],
        rows=rows))
    return []


def _member_map(context: _Context) -> doc.Chart | None:
    """The map of the member units among their neighbours (as on the partnership page)."""
    from razem.territory import maps

    geojson = maps.cached_map(context.partnership, context.language)["geojson"]
    features = geojson.get("features") or []
    if not features:
        return None
    title = _("Member units of the partnership and their neighbours")
    spec = doc.inline_data(maps.map_spec("", title), geojson)
    rows = [[f["properties"]["name"], f["properties"]["teryt"], f["properties"]["status"]]
            for f in features]
    return doc.Chart(title=title, vega_lite_spec=spec, table=doc.Table(
        caption=title, columns=[_("Unit"), _("TERYT code"), _("Status")], rows=rows),
        description=_("Map: %(title)s. The units are listed in the table beside it.")
        % {"title": title})


def _spatial_model(context: _Context, section: doc.Section) -> list[doc.Section]:
    section.blocks.extend(_text_blocks(
        context.strategy.spatial_model,
        _("The model of the functional-spatial structure has not been described yet.")))
    chart = _member_map(context)
    if chart is not None:
        section.blocks.append(chart)
    else:
        section.blocks.append(doc.Note(_("The boundaries of the units have not been imported, "
                                         "so the map cannot be drawn.")))
        section.blocks.append(doc.Table(
            caption=_("Member units of the partnership"),
            columns=[_("Unit"), _("TERYT code"), _("Kind")],
            rows=[[u.display_name, u.teryt, u.kind_label]
                  for u in context.partnership.units.order_by("teryt")]))
    return []


def _spatial_policy(context: _Context, section: doc.Section) -> list[doc.Section]:
    section.blocks.extend(_text_blocks(
        context.strategy.spatial_policy,
        _("The findings and recommendations for spatial policy have not been written yet.")))
    return []


def _area_map(context: _Context) -> doc.Chart | None:
    """Member gminas coloured by the intervention areas they belong to."""
    from razem.territory import maps

    outside = _("outside the intervention areas")
    gminas = [u for u in context.partnership.units.filter(kind="gmina").order_by("teryt")]
    names: dict[int, list[str]] = defaultdict(list)
    for area in context.areas:
        members = {u.pk for u in area.units.all()}
        for gmina in gminas:
            # An area of a powiat covers its gminas.
            if gmina.pk in members or gmina.parent_id in members:
                names[gmina.pk].append(area.name)
    labels = {g.pk: " + ".join(names[g.pk]) if names[g.pk] else outside for g in gminas}
    features = [{"type": "Feature", "geometry": g.boundary,
                 "properties": {"teryt": g.teryt, "name": g.display_name, "status": labels[g.pk]}}
                for g in gminas if g.boundary]
    if not features:
        return None
    title = _("Strategic intervention areas")
    spec = doc.inline_data(maps.map_spec("", title),
                           {"type": "FeatureCollection", "features": features})
    domain = list(dict.fromkeys(sorted(label for label in labels.values() if label != outside)))
    palette = ["#1f5f8b", "#b35806", "#2d7f3b", "#6a3d9a", "#a4111f", "#5c5c00"]
    colour = spec["encoding"]["color"]
    colour["scale"] = {"domain": [*domain, outside],
                       "range": [palette[i % len(palette)] for i in range(len(domain))]
                       + ["#c9d3dc"]}
    # Area names are long: one per line, so none is cut off.
    colour["legend"] = {"orient": "bottom", "columns": 1}
    spec["encoding"]["tooltip"][2]["title"] = _("Intervention area")
    rows = [[g.display_name, g.teryt, labels[g.pk]] for g in gminas]
    return doc.Chart(title=title, vega_lite_spec=spec, table=doc.Table(
        caption=_("Member gminas and their intervention areas"),
        columns=[_("Gmina"), _("TERYT code"), _("Intervention area")], rows=rows),
        description=_("Map: %(title)s. The gminas of each area are listed in the table beside "
                      "it.") % {"title": title})


def _areas(context: _Context, section: doc.Section) -> list[doc.Section]:
    if not context.areas:
        section.blocks.append(doc.Note(_(
            "No strategic intervention areas have been set yet (from the voivodeship strategy "
            "or the partnership's own).")))
        return []
    for area in context.areas:
        if area.description.strip():
            description = " ".join(area.description.split())
            section.blocks.append(doc.Paragraph(f"{area.name}: {description}"))
    section.blocks.append(doc.Table(
        caption=_("Strategic intervention areas and their units"),
        columns=[_("Area"), _("Origin"), _("Units")],
        rows=[[area.name, area.get_origin_display(),
               _units_text(sorted(area.units.all(), key=lambda u: u.teryt))]
              for area in context.areas]))
    chart = _area_map(context)
    if chart is not None:
        section.blocks.append(chart)
    else:
        section.blocks.append(doc.Note(_("The boundaries of the units have not been imported, "
                                         "so the map cannot be drawn.")))
    return []


def _projects(context: _Context, section: doc.Section) -> list[doc.Section]:
    if not context.projects:
        section.blocks.append(doc.Note(_("No project cards have been written yet.")))
        return []
    rows: list[list[Any]] = []
    total = ZERO
    for project in context.projects:
        cost = project_cost(project)
        total += cost
        rows.append([project.number, project.title, project.lead_unit.display_name, cost,
                     project.get_funding_source_display() or doc.MISSING,
                     project.get_readiness_display(), project.get_status_display()])
    rows.append(["", _("Total"), "", total, "", "", ""])
    section.blocks.append(doc.Table(
        caption=_("Key projects"),
        columns=[doc.Column(_("No.")), doc.Column(_("Title")), doc.Column(_("Lead unit")),
                 _money_column(_("Cost (PLN)")), doc.Column(_("Funding source")),
                 doc.Column(_("Readiness")), doc.Column(_("Status"))],
        rows=rows))
    section.blocks.extend(_ranking_blocks(context))
    return [_project_section(project) for project in context.projects]


def _location_text(project: ProjectCard) -> str:
    units = list(project.location_units.all())
    parts = [_units_text(units) if units else "", project.location.strip()]
    return "; ".join(part for part in parts if part) or doc.MISSING


def _project_section(project: ProjectCard) -> doc.Section:
    facts = [
        _("Lead unit: %(unit)s") % {"unit": project.lead_unit.display_name},
        _("Partner units: %(units)s") % {"units": _units_text(project.partner_units.all())},
        _("Location: %(place)s") % {"place": _location_text(project)},
        _("Strategic goals: %(goals)s") % {"goals": ", ".join(
            str(goal.number) for goal in project.goals.all()) or doc.MISSING},
        _("Period: %(start)s – %(end)s") % {
            "start": project.starts_on.isoformat() if project.starts_on else doc.MISSING,
            "end": project.ends_on.isoformat() if project.ends_on else doc.MISSING},
        _("Integrated project: %(answer)s") % {
            "answer": _("yes") if project.is_integrated else _("no")},
    ]
    if project.funding_details:
        facts.append(_("Programme measure or call: %(details)s")
                     % {"details": project.funding_details})
    blocks: list[doc.Block] = [doc.BulletList(facts)]
    if project.problem.strip():
        blocks.append(doc.Paragraph(_("Problem: %(text)s")
                                    % {"text": " ".join(project.problem.split())}))
    if project.scope.strip():
        blocks.append(doc.Paragraph(_("Scope: %(text)s")
                                    % {"text": " ".join(project.scope.split())}))
    indicators = [(_("output"), item) for item in project.output_indicators or []] + [
        (_("result"), item) for item in project.result_indicators or []]
    if indicators:
        blocks.append(doc.Table(
            caption=_("Indicators of project %(number)s") % {"number": project.number},
            columns=[_("Kind"), _("Indicator"), _("Unit of measure"), _("Target")],
            rows=[[kind, str(item.get("name", "")), str(item.get("unit", "")),
                   str(item.get("target", ""))] for kind, item in indicators]))
    milestones = list(project.milestones.all())
    if milestones:
        blocks.append(doc.BulletList([
            f"{m.due_on.isoformat()}: {m.name}"
            + (" " + _("(reached on %(date)s)") % {"date": m.done_on.isoformat()}
               if m.done_on else "")
            for m in milestones]))
    return doc.Section(heading=f"{project.number}. {project.title}", level=2, blocks=blocks)


def _ranking_blocks(context: _Context) -> list[doc.Block]:
    """The ranking of the key projects, when it can be computed; otherwise nothing.

    The problem is built by razem.strategy.ranking_actions (the ranking pages use the
    same), so the document shows the ranking anyone can reproduce from the exported file.
    """
    from razem.strategy import prioritisation

    try:
        from razem.strategy.ranking_actions import problem_for
    except ImportError:
        return []
    try:
        problem = problem_for(context.strategy)
        ranking = prioritisation.compute(problem)
    except prioritisation.PrioritisationError as error:
        return [doc.Note(_("The projects have not been ranked: %(reason)s")
                         % {"reason": error})]
    except Exception:  # the document must not fail for the ranking's sake
        logger.exception("ranking for the strategy document of %s failed",
                         context.partnership.slug)
        return []
    labels = _project_labels(context.projects)
    topsis = ranking.ranks.get("topsis") or next(iter(ranking.ranks.values()), [])
    vikor = ranking.ranks.get("vikor")
    order = sorted(range(len(ranking.projects)), key=lambda i: (topsis[i], i))
    rows = []
    for i in order:
        code = ranking.projects[i]
        stability = ranking.stability[i] if i < len(ranking.stability) else None
        rows.append([
            topsis[i], labels.get(str(code), str(code)),
            ranking.preferences.get("topsis", [None] * len(ranking.projects))[i],
            vikor[i] if vikor else None,
            stability.share_within_one * 100 if stability else None,
        ])
    # Tied projects share the mean of their places (e.g. 2.5); otherwise ranks are whole.
    rank_decimals = 0 if all(float(r).is_integer() for r in [*topsis, *(vikor or [])]) else 1
    criteria = ", ".join(f"{c.name} ({round(w * 100)}%)"
                         for c, w in zip(problem.criteria, ranking.weights))
    return [
        doc.Paragraph(_(
            "The member units scored every project on the criteria %(criteria)s. The ranking "
            "uses TOPSIS, checked with VIKOR; the sensitivity analysis ranks the projects "
            "again %(runs)s times with the weights moved by up to %(spread)s%%.")
            % {"criteria": criteria, "runs": problem.sensitivity_runs,
               "spread": round(problem.sensitivity_spread * 100)}),
        doc.Table(
            caption=_("Ranking of the key projects"),
            columns=[doc.Column(_("Rank (TOPSIS)"), rank_decimals), doc.Column(_("Project")),
                     doc.Column(_("TOPSIS score"), 3),
                     doc.Column(_("Rank (VIKOR)"), rank_decimals),
                     doc.Column(_("Stable within one place (share of runs, %)"), 0)],
            rows=rows),
    ]


def _project_labels(projects: list[ProjectCard]) -> dict[str, str]:
    # Ranking files name projects by card number; a label by id is kept as a fallback.
    labels = {str(p.pk): f"{p.number}. {p.title}" for p in projects}
    labels.update({str(p.number): f"{p.number}. {p.title}" for p in projects})
    return labels


def _implementation(context: _Context, section: doc.Section) -> list[doc.Section]:
    strategy = context.strategy
    section.blocks.extend(_text_blocks(strategy.implementation_system,
                                       _("The implementation system has not been described "
                                         "yet.")))
    if strategy.partners_involvement.strip():
        section.blocks.append(doc.Paragraph(_("How partners were involved:")))
        section.blocks.extend(_text_blocks(strategy.partners_involvement, ""))
    return []


def financial_tables(projects: list[ProjectCard]) -> tuple[
        dict[int, Decimal], dict[str, Decimal], dict[tuple[int, str], Decimal], Decimal]:
    """Planned costs by year, by funding source, by both, and the total (exact decimals)."""
    by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_both: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    total = ZERO
    for project in projects:
        source = project.funding_source or ""
        for cost in project.costs.all():
            by_year[cost.year] += cost.planned
            by_source[source] += cost.planned
            by_both[(cost.year, source)] += cost.planned
            total += cost.planned
    return dict(by_year), dict(by_source), dict(by_both), total


def _source_label(code: str) -> str:
    if not code:
        return str(_("not chosen yet"))
    return str(FundingSource(code).label) if code in FundingSource.values else code


def _financing(context: _Context, section: doc.Section) -> list[doc.Section]:
    section.blocks.extend(_text_blocks(context.strategy.financial_framework,
                                       _("The financial framework has not been described "
                                         "yet.")))
    by_year, by_source, by_both, total = financial_tables(context.projects)
    if not by_year:
        section.blocks.append(doc.Note(_("No costs of the key projects have been planned yet.")))
        return []
    counts: dict[str, int] = defaultdict(int)
    for project in context.projects:
        counts[project.funding_source or ""] += 1
    sources = sorted(by_source, key=lambda code: (-by_source[code], code))
    section.blocks.append(doc.Table(
        caption=_("Planned costs of the key projects by funding source"),
        columns=[doc.Column(_("Funding source")), doc.Column(_("Projects"), 0),
                 _money_column(_("Planned (PLN)")), doc.Column(_("Share"), 1, " %")],
        rows=[[_source_label(code), counts[code], by_source[code],
               by_source[code] * 100 / total if total else None] for code in sources]
        + [[_("Total"), len(context.projects), total, Decimal(100) if total else None]]))
    years = sorted(by_year)
    section.blocks.append(doc.Table(
        caption=_("Planned costs of the key projects by year"),
        columns=[doc.Column(_("Year")), _money_column(_("Planned (PLN)"))],
        rows=[[str(year), by_year[year]] for year in years] + [[_("Total"), total]]))
    title = _("Planned costs by year and funding source")
    table_rows = [[str(year), _source_label(code), amount]
                  for (year, code), amount in sorted(by_both.items())]
    # Vega needs plain numbers; the tables beside the chart keep the exact sums.
    values = [{"year": str(year), "source": _source_label(code), "amount": float(amount)}
              for (year, code), amount in sorted(by_both.items())]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": "container",
        "height": 300,
        "autosize": {"type": "fit", "contains": "padding"},
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": _("Year"),
                  "axis": {"labelAngle": 0}},
            "y": {"field": "amount", "type": "quantitative", "title": _("Planned (PLN)"),
                  "axis": {"format": ",.0f"}},
            "color": {"field": "source", "type": "nominal", "title": _("Funding source"),
                      "legend": {"orient": "bottom", "columns": 1}},
            "tooltip": [
                {"field": "year", "type": "ordinal", "title": _("Year")},
                {"field": "source", "type": "nominal", "title": _("Funding source")},
                {"field": "amount", "type": "quantitative", "title": _("Planned (PLN)"),
                 "format": ",.2f"},
            ],
        },
        "config": {"view": {"stroke": None}},
    }
    section.blocks.append(doc.Chart(
        title=title, vega_lite_spec=spec,
        table=doc.Table(caption=title, columns=[
            doc.Column(_("Year")), doc.Column(_("Funding source")),
            _money_column(_("Planned (PLN)"))], rows=table_rows),
        description=_("Bar chart: %(title)s. The amounts are in the table beside it.")
        % {"title": title}))
    return []


def _monitoring(context: _Context, section: doc.Section) -> list[doc.Section]:
    lang = context.language
    section.blocks.append(doc.Paragraph(_(
        "The coordinator of the partnership follows each expected result's indicator every "
        "year against its target: indicators of the portrait are read from the data of "
        "Statistics Poland, the others are entered by the partnership. The status and the "
        "spending of each key project are followed against its plan.")))
    rows = []
    for goal in context.goals:
        for result in goal.results.all():
            latest = max(result.measurements.all(), key=lambda m: m.year, default=None)
            rows.append([
                str(goal.number), indicator_label(result, lang),
                _value_text(result.baseline_value, result.baseline_year,
                            result.indicator_code, lang),
                _value_text(latest.value, latest.year, result.indicator_code, lang)
                if latest else doc.MISSING,
                _value_text(result.target_value, result.target_year,
                            result.indicator_code, lang),
            ])
    if rows:
        section.blocks.append(doc.Table(
            caption=_("Indicators of the expected results: baseline, latest value and target"),
            columns=[_("Goal"), _("Indicator"), _("Baseline (year)"),
                     _("Latest value (year)"), _("Target (year)")],
            rows=rows))
    else:
        section.blocks.append(doc.Note(_("There are no expected results to monitor yet.")))
    if context.projects:
        counts: dict[str, int] = defaultdict(int)
        planned: dict[str, Decimal] = defaultdict(lambda: ZERO)
        spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for project in context.projects:
            counts[project.status] += 1
            for cost in project.costs.all():
                planned[project.status] += cost.planned
                spent[project.status] += cost.spent or ZERO
        section.blocks.append(doc.Table(
            caption=_("Key projects by status"),
            columns=[doc.Column(_("Status")), doc.Column(_("Projects"), 0),
                     _money_column(_("Planned (PLN)")), _money_column(_("Spent (PLN)"))],
            rows=[[str(label), counts[code], planned[code], spent[code]]
                  for code, label in ProjectStatus.choices if counts[code]]))
    return []


# --- sending the document to consultation ------------------------------------------------


@transaction.atomic
def send_to_consultation(*, strategy: Strategy, by: User, note: str = "") -> Any:
    """The strategy document (in Polish, the language of the consultation) as the first
    version of a new consultation draft, or as a new version of the strategy's draft.
    Returns the DraftVersion."""
    from razem.consultations import drafting_actions

    partnership = strategy.partnership
    with translation.override("pl"):
        document = build_strategy_document(partnership, language="pl",
                                           progress=lambda *_args: None)
    draft = strategy.draft
    if draft is None:
        draft = drafting_actions.create_draft_from_document(
            partnership=partnership, title=strategy.title, kind="strategy", by=by,
            document=document)
        strategy.draft = draft
        strategy.save(update_fields=["draft", "updated_at"])
        version = draft.latest_version()
    else:
        version = drafting_actions.add_version_from_document(
            draft=draft, by=by, document=document, note=note)
    log_action(actor=by, partnership=partnership, action="strategy.send_to_consultation",
               obj=strategy, changes={"draft": [None, draft.pk],
                                      "version": [None, version.number]})
    return version
