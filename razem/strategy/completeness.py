"""Does the strategy hold every required element of a supra-local strategy?

Art. 10e-10g of the gmina self-government act (DOMAIN.md) lists what a supra-local strategy
must contain. `check` is pure: it reads a `StrategyFacts` of plain values, so each element
can be tested alone; `facts_for` is the small adapter that reads them from the database.
Each item says whether it is there, what is missing and which page fixes it (a URL name of
the "strategy" or "portrait" namespace, with its arguments after the partnership's slug).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The portrait's dimension codes of the diagnosis (razem.indicators.catalogue.DIMENSIONS).
DIAGNOSIS_DIMENSIONS = ("social", "economic", "environmental_spatial")
# The strategy's dimension codes of goals (razem.strategy.models.Dimension).
GOAL_DIMENSIONS = ("social", "economic", "spatial")
VOIVODESHIP, OWN = "voivodeship", "own"

# Codes in the order the act lists the contents; the labels are what the checklist shows.
LABELS = {
    "diagnosis": gettext_lazy("Conclusions of the diagnosis (social, economic, spatial)"),
    "goals": gettext_lazy("Strategic goals in the social, economic and spatial dimensions"),
    "directions": gettext_lazy("Directions of action for every goal"),
    "results": gettext_lazy("Expected results with indicators (baseline and target)"),
    "spatial_model": gettext_lazy("Model of the functional-spatial structure"),
    "spatial_policy": gettext_lazy("Findings and recommendations for spatial policy"),
    "areas": gettext_lazy("Strategic intervention areas (from the voivodeship strategy and own)"),
    "implementation": gettext_lazy("Implementation system"),
    "financing": gettext_lazy("Financial framework and funding sources"),
    "maps": gettext_lazy("Graphic part: map of the intervention areas"),
}
CODES = tuple(LABELS)


@dataclass(frozen=True)
class ResultFacts:
    has_indicator: bool
    baseline_value: Any = None
    baseline_year: int | None = None
    target_value: Any = None
    target_year: int | None = None

    @property
    def measurable(self) -> bool:
        return (self.has_indicator and self.baseline_value is not None
                and self.baseline_year is not None and self.target_value is not None
                and self.target_year is not None)


@dataclass(frozen=True)
class GoalFacts:
    id: int
    number: int
    dimension: str
    directions: int = 0
    results: tuple[ResultFacts, ...] = ()


@dataclass(frozen=True)
class AreaFacts:
    id: int
    name: str
    origin: str
    units: int


@dataclass(frozen=True)
class StrategyFacts:
    conclusion_dimensions: frozenset[str] = frozenset()
    goals: tuple[GoalFacts, ...] = ()
    spatial_model: str = ""
    spatial_policy: str = ""
    implementation_system: str = ""
    financial_framework: str = ""
    areas: tuple[AreaFacts, ...] = ()
    # Project cards that name a planned funding source.
    funded_projects: int = 0


@dataclass(frozen=True)
class Item:
    code: str
    ok: bool
    missing: list[str] = field(default_factory=list)
    fix_url_name: str = "strategy:edit"
    fix_args: tuple[Any, ...] = ()

    @property
    def label(self) -> str:
        return str(LABELS[self.code])


def _blank(text: str) -> bool:
    return not (text or "").strip()


def _numbers(goals: Iterable[GoalFacts]) -> str:
    return ", ".join(str(goal.number) for goal in goals)


def _diagnosis(facts: StrategyFacts) -> Item:
    labels = {"social": _("social"), "economic": _("economic"),
              "environmental_spatial": _("spatial")}
    absent = [labels[d] for d in DIAGNOSIS_DIMENSIONS if d not in facts.conclusion_dimensions]
    missing = [_("No diagnosis conclusion in the dimension: %(dimensions)s.")
               % {"dimensions": ", ".join(absent)}] if absent else []
    return Item("diagnosis", not absent, missing, "portrait:conclusions")


def _goals(facts: StrategyFacts) -> Item:
    labels = {"social": _("social"), "economic": _("economic"), "spatial": _("spatial")}
    present = {goal.dimension for goal in facts.goals}
    absent = [labels[d] for d in GOAL_DIMENSIONS if d not in present]
    missing = [_("No strategic goal in the dimension: %(dimensions)s.")
               % {"dimensions": ", ".join(absent)}] if absent else []
    return Item("goals", not absent, missing, "strategy:goal_create")


def _directions(facts: StrategyFacts) -> Item:
    if not facts.goals:
        return Item("directions", False, [_("There are no goals, so no directions of action.")],
                    "strategy:goal_create")
    lacking = [goal for goal in facts.goals if goal.directions < 1]
    if not lacking:
        return Item("directions", True, [], "strategy:overview")
    return Item("directions", False,
                [_("Goals without a direction of action: %(numbers)s.")
                 % {"numbers": _numbers(lacking)}],
                "strategy:direction_create", (lacking[0].id,))


def _results(facts: StrategyFacts) -> Item:
    if not facts.goals:
        return Item("results", False, [_("There are no goals, so no expected results.")],
                    "strategy:goal_create")
    lacking = [goal for goal in facts.goals
               if not any(result.measurable for result in goal.results)]
    if not lacking:
        return Item("results", True, [], "strategy:overview")
    return Item("results", False,
                [_("Goals without an expected result that has an indicator, a baseline with "
                   "its year and a target with its year: %(numbers)s.")
                 % {"numbers": _numbers(lacking)}],
                "strategy:result_create", (lacking[0].id,))


def _text(code: str, text: str, message: str) -> Item:
    blank = _blank(text)
    return Item(code, not blank, [message] if blank else [], "strategy:edit")


def _areas(facts: StrategyFacts) -> Item:
    missing = []
    origins = {area.origin for area in facts.areas}
    if VOIVODESHIP not in origins:
        missing.append(_("No intervention area from the voivodeship strategy."))
    if OWN not in origins:
        missing.append(_("No intervention area of the partnership's own."))
    empty = [area.name for area in facts.areas if area.units < 1]
    if empty:
        missing.append(_("Areas without units: %(names)s.") % {"names": ", ".join(empty)})
    return Item("areas", not missing, missing, "strategy:areas")


def _financing(facts: StrategyFacts) -> Item:
    missing = []
    if _blank(facts.financial_framework):
        missing.append(_("The financial framework is not written."))
    if facts.funded_projects < 1:
        missing.append(_("No project card names a planned funding source."))
    where = "strategy:edit" if _blank(facts.financial_framework) else "strategy:projects"
    return Item("financing", not missing, missing, where)


def _maps(facts: StrategyFacts) -> Item:
    # The map of intervention areas is drawn from their units; no units, no map.
    if any(area.units > 0 for area in facts.areas):
        return Item("maps", True, [], "strategy:areas")
    return Item("maps", False,
                [_("No intervention area has units, so there is no map to show.")],
                "strategy:area_create")


def check(facts: StrategyFacts) -> list[Item]:
    """Every required element, in the order of the act."""
    return [
        _diagnosis(facts),
        _goals(facts),
        _directions(facts),
        _results(facts),
        _text("spatial_model", facts.spatial_model,
              _("The model of the functional-spatial structure is not written.")),
        _text("spatial_policy", facts.spatial_policy,
              _("The findings and recommendations for spatial policy are not written.")),
        _areas(facts),
        _text("implementation", facts.implementation_system,
              _("The implementation system is not written.")),
        _financing(facts),
        _maps(facts),
    ]


def is_complete(items: Iterable[Item]) -> bool:
    return all(item.ok for item in items)


# --- the adapter: facts from the database -------------------------------------------------


def facts_for(strategy, goals=None, areas=None) -> StrategyFacts:
    """The facts of a saved strategy.

    `goals` and `areas` may be given already loaded (the overview prefetches directions,
    results and units), so the check adds no queries of its own for them.
    """
    from django.db.models import Count

    from razem.portrait.models import DiagnosisConclusion
    from razem.strategy.models import ProjectCard

    if goals is None:
        goals = strategy.goals.prefetch_related("directions", "results")
    if areas is None:
        areas = strategy.intervention_areas.annotate(unit_count=Count("units"))
    partnership_id = strategy.partnership_id
    dimensions = frozenset(
        DiagnosisConclusion.objects.filter(partnership_id=partnership_id)
        .order_by().values_list("dimension", flat=True).distinct())
    return StrategyFacts(
        conclusion_dimensions=dimensions,
        goals=tuple(
            GoalFacts(
                id=goal.pk, number=goal.number, dimension=goal.dimension,
                directions=len(goal.directions.all()),
                results=tuple(
                    ResultFacts(
                        has_indicator=bool(result.indicator_code or result.indicator_name),
                        baseline_value=result.baseline_value,
                        baseline_year=result.baseline_year,
                        target_value=result.target_value, target_year=result.target_year)
                    for result in goal.results.all()),
            )
            for goal in goals),
        spatial_model=strategy.spatial_model,
        spatial_policy=strategy.spatial_policy,
        implementation_system=strategy.implementation_system,
        financial_framework=strategy.financial_framework,
        areas=tuple(
            AreaFacts(id=area.pk, name=area.name, origin=area.origin,
                      units=_unit_count(area))
            for area in areas),
        funded_projects=ProjectCard.objects.filter(partnership_id=partnership_id)
        .exclude(funding_source="").count(),
    )


def _unit_count(area) -> int:
    count = getattr(area, "unit_count", None)
    return count if count is not None else len(area.units.all())
