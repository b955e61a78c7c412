"""Monitoring of the strategy: each result's indicator against its target, and each project's
status and money, planned against spent, per year.

The arithmetic (`progress`, `spending`) and the Vega-Lite specs are pure; `load` reads the rows
with a fixed number of queries whatever the number of goals, results or projects. Money is
Decimal throughout; only the chart data become floats (a drawing needs no grosze, and the
table beside each chart shows the exact figures).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from razem.portrait.charts import BAR_COLOUR, MEDIAN_COLOUR, MEMBER_COLOUR, SCHEMA

ZERO = Decimal("0")


# --- results against their targets -------------------------------------------------------


@dataclass(frozen=True)
class Point:
    year: int
    value: Decimal
    baseline: bool = False
    # Read from the portrait's statistics rather than entered by hand.
    from_portrait: bool = False


@dataclass(frozen=True)
class Progress:
    id: int
    goal_number: int
    title: str
    indicator: str
    measure_unit: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal | None
    target_year: int | None
    points: tuple[Point, ...]

    @property
    def latest(self) -> Point | None:
        measured = [point for point in self.points if not point.baseline]
        return measured[-1] if measured else None

    @property
    def share(self) -> Decimal | None:
        """How much of the way from the baseline to the target the latest value has come
        (1 = reached; above 1 = beyond; negative = moved away)."""
        latest = self.latest
        if latest is None or self.baseline_value is None or self.target_value is None:
            return None
        distance = self.target_value - self.baseline_value
        if distance == 0:
            return None
        return (latest.value - self.baseline_value) / distance

    @property
    def percent(self) -> Decimal | None:
        share = self.share
        return None if share is None else (share * 100).quantize(Decimal("1"))

    @property
    def reached(self) -> bool | None:
        share = self.share
        return None if share is None else share >= 1


def progress(*, id: int, goal_number: int, title: str, indicator: str, measure_unit: str,
             baseline_value: Decimal | None, baseline_year: int | None,
             target_value: Decimal | None, target_year: int | None,
             measurements: Iterable[tuple[int, Decimal]],
             portrait: Iterable[tuple[int, Decimal]] = ()) -> Progress:
    """A result's series: the baseline first, then the measured values by year. A value
    measured in the baseline year stands in for the baseline. `portrait` values (for a
    catalogue indicator) fill the years after the baseline that nobody entered by hand."""
    by_year = dict(sorted(measurements))
    points = []
    if baseline_value is not None and baseline_year is not None and baseline_year not in by_year:
        points.append(Point(baseline_year, baseline_value, baseline=True))
    points += [Point(year, value) for year, value in by_year.items()]
    start = baseline_year if baseline_year is not None else 0
    points += [Point(year, value, from_portrait=True) for year, value in portrait
               if year > start and year not in by_year]
    points.sort(key=lambda point: point.year)
    return Progress(id, goal_number, title, indicator, measure_unit, baseline_value,
                    baseline_year, target_value, target_year, tuple(points))


def result_chart(item: Progress, *, description: str, year_title: str, value_title: str,
                 measured_label: str, baseline_label: str, target_label: str) -> dict[str, Any]:
    """The values over the years as a line, with the target as a dashed horizontal rule."""
    rows = [{"year": point.year, "value": float(point.value),
             "kind": baseline_label if point.baseline else measured_label}
            for point in item.points]
    years = [point.year for point in item.points]
    if item.target_year is not None:
        years.append(item.target_year)
    x = {"field": "year", "type": "quantitative", "title": year_title,
         "axis": {"format": "d", "tickMinStep": 1},
         "scale": {"domain": [min(years), max(years)]} if years else {}}
    layers: list[dict[str, Any]] = [{
        "data": {"values": rows},
        "mark": {"type": "line", "point": {"filled": True, "size": 80},
                 "color": BAR_COLOUR, "strokeWidth": 3},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "title": value_title,
                  "scale": {"zero": False}},
            "tooltip": [
                {"field": "year", "type": "quantitative", "title": year_title, "format": "d"},
                {"field": "value", "type": "quantitative", "title": value_title},
                {"field": "kind", "type": "nominal", "title": None},
            ],
        },
    }]
    if item.target_value is not None:
        target = [{"value": float(item.target_value), "label": target_label,
                   "year": item.target_year}]
        layers.append({
            "data": {"values": target},
            "mark": {"type": "rule", "color": MEDIAN_COLOUR, "strokeDash": [6, 4],
                     "strokeWidth": 2},
            "encoding": {"y": {"field": "value", "type": "quantitative"},
                         "tooltip": [{"field": "label", "type": "nominal", "title": None},
                                     {"field": "value", "type": "quantitative",
                                      "title": value_title}]},
        })
        layers.append({
            "data": {"values": target},
            "mark": {"type": "text", "align": "left", "dx": 4, "dy": -8,
                     "color": MEDIAN_COLOUR, "fontSize": 13},
            "encoding": {"y": {"field": "value", "type": "quantitative"},
                         "x": {"datum": min(years) if years else 0, "type": "quantitative"},
                         "text": {"field": "label"}},
        })
    # The chart's box is at least 28rem high (razem.css): the drawing fills it.
    return {
        "$schema": SCHEMA, "description": description, "width": "container", "height": 380,
        "autosize": {"type": "fit", "contains": "padding"},
        "config": {"view": {"stroke": None}}, "layer": layers,
    }


# --- projects: money planned and spent -----------------------------------------------------


@dataclass(frozen=True)
class YearMoney:
    year: int
    planned: Decimal
    spent: Decimal | None


@dataclass(frozen=True)
class ProjectMoney:
    id: int
    number: int
    title: str
    status: str
    status_label: str
    years: tuple[YearMoney, ...]

    @property
    def planned(self) -> Decimal:
        return sum((row.planned for row in self.years), ZERO)

    @property
    def spent(self) -> Decimal:
        # A year without a reported spending counts as nothing spent yet.
        return sum((row.spent for row in self.years if row.spent is not None), ZERO)


@dataclass
class Spending:
    projects: list[ProjectMoney]
    by_year: list[YearMoney] = field(default_factory=list)

    @property
    def planned(self) -> Decimal:
        return sum((project.planned for project in self.projects), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((project.spent for project in self.projects), ZERO)


def spending(projects: list[ProjectMoney]) -> Spending:
    """Per-year totals over all projects (Decimal, exact to the grosz)."""
    planned: dict[int, Decimal] = {}
    spent: dict[int, Decimal] = {}
    reported: set[int] = set()
    for project in projects:
        for row in project.years:
            planned[row.year] = planned.get(row.year, ZERO) + row.planned
            if row.spent is not None:
                spent[row.year] = spent.get(row.year, ZERO) + row.spent
                reported.add(row.year)
    by_year = [YearMoney(year, planned[year], spent[year] if year in reported else None)
               for year in sorted(planned)]
    return Spending(projects, by_year)


def spending_chart(totals: list[YearMoney], *, description: str, year_title: str,
                   money_title: str, planned_label: str, spent_label: str) -> dict[str, Any]:
    """Planned and spent money per year, as bars side by side."""
    rows = []
    for row in totals:
        rows.append({"year": str(row.year), "series": planned_label, "value": float(row.planned)})
        if row.spent is not None:
            rows.append({"year": str(row.year), "series": spent_label,
                         "value": float(row.spent)})
    series = [planned_label, spent_label]
    return {
        "$schema": SCHEMA, "description": description, "width": "container", "height": 360,
        "autosize": {"type": "fit", "contains": "padding"},
        "config": {"view": {"stroke": None}},
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": year_title,
                  "axis": {"labelAngle": 0}},
            "xOffset": {"field": "series", "type": "nominal", "sort": series},
            "y": {"field": "value", "type": "quantitative", "title": money_title},
            "color": {"field": "series", "type": "nominal", "title": None,
                      "scale": {"domain": series, "range": [MEMBER_COLOUR, BAR_COLOUR]},
                      "legend": {"orient": "bottom"}},
            "tooltip": [
                {"field": "year", "type": "ordinal", "title": year_title},
                {"field": "series", "type": "nominal", "title": None},
                {"field": "value", "type": "quantitative", "title": money_title,
                 "format": ",.2f"},
            ],
        },
    }


# --- reading the rows ---------------------------------------------------------------------


def portrait_series(partnership) -> Callable[[str], list[tuple[int, Decimal]]]:
    """The partnership's yearly values of a catalogue indicator, from the portrait (computed
    once per page and cached by the portrait); nothing when no data was imported."""
    from razem.portrait import data

    found: dict[str, Any] = {}

    def series(code: str) -> list[tuple[int, Decimal]]:
        if "portrait" not in found:
            try:
                found["portrait"] = data.portrait_for(partnership)
            except data.NoData:
                found["portrait"] = None
        portrait = found["portrait"]
        if portrait is None or code not in portrait.catalogue:
            return []
        return [(year, Decimal(repr(value)).quantize(Decimal("0.0001")))
                for year, value in portrait.series(data.PARTNERSHIP, code)
                if value is not None and math.isfinite(value)]

    return series


def load_progress(strategy, language: str,
                  series: Callable[[str], list[tuple[int, Decimal]]] | None = None
                  ) -> list[Progress]:
    """Every expected result of the strategy with its measurements (two queries), and for
    catalogue indicators the portrait's values through `series` (see portrait_series)."""
    from razem.indicators.catalogue import load_catalogue
    from razem.strategy.models import ExpectedResult

    catalogue = load_catalogue()
    results = (ExpectedResult.objects.filter(goal__strategy=strategy)
               .select_related("goal").prefetch_related("measurements")
               .order_by("goal__number", "id"))
    items = []
    for result in results:
        name = result.indicator_name
        if result.indicator_code and result.indicator_code in catalogue:
            name = catalogue.get(result.indicator_code).name(language)
        items.append(progress(
            id=result.pk, goal_number=result.goal.number, title=result.title,
            indicator=name or result.indicator_code, measure_unit=result.measure_unit,
            baseline_value=result.baseline_value, baseline_year=result.baseline_year,
            target_value=result.target_value, target_year=result.target_year,
            measurements=[(m.year, m.value) for m in result.measurements.all()],
            portrait=series(result.indicator_code)
            if series is not None and result.indicator_code else ()))
    return items


def load_spending(partnership) -> Spending:
    """Every project card of the partnership with its yearly costs (two queries)."""
    from razem.strategy.models import ProjectCard

    cards = (ProjectCard.objects.filter(partnership=partnership)
             .prefetch_related("costs").order_by("number"))
    return spending([
        ProjectMoney(card.pk, card.number, card.title, card.status, card.get_status_display(),
                     tuple(YearMoney(cost.year, cost.planned, cost.spent)
                           for cost in card.costs.all()))
        for card in cards
    ])
