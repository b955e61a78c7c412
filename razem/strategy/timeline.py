"""The timeline of the key projects as a Vega-Lite spec; pure (no Django, no ORM).

A bar per project from its start to its end, its milestones as points on the same row
(filled when reached, hollow when still due). Like the portrait's charts, the spec
carries its data inline so the page and a report draw the very same thing, and all
texts arrive translated. A table with the same dates sits beside the chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# At least 3:1 against white (WCAG 1.4.11), as the portrait's bars.
BAR_COLOUR = "#1f5f8b"
MILESTONE_COLOUR = "#a4111f"
ROW_HEIGHT = 36
MIN_HEIGHT = 160


@dataclass(frozen=True)
class TimelineMilestone:
    name: str
    due_on: date
    done_on: date | None = None


@dataclass(frozen=True)
class TimelineProject:
    label: str  # "3. Droga gminna Łosice–Sarnaki": unique, as the number is
    starts_on: date | None
    ends_on: date | None
    status: str = ""  # translated label
    milestones: tuple[TimelineMilestone, ...] = field(default_factory=tuple)

    @property
    def drawable(self) -> bool:
        return self.starts_on is not None and self.ends_on is not None


@dataclass(frozen=True)
class Texts:
    description: str
    project: str
    start: str
    end: str
    status: str
    milestone: str
    due: str
    reached: str
    yes: str
    no: str


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def spec(projects: list[TimelineProject], texts: Texts) -> dict[str, Any]:
    """A layered Gantt-like chart; projects without both dates are left out (the table
    beside the chart still lists them)."""
    drawn = [project for project in projects if project.drawable]
    order = [project.label for project in drawn]
    bars = [{"project": p.label, "start": _iso(p.starts_on), "end": _iso(p.ends_on),
             "status": p.status} for p in drawn]
    points = [{"project": p.label, "milestone": m.name, "due": _iso(m.due_on),
               "reached": _iso(m.done_on), "done": texts.yes if m.done_on else texts.no}
              for p in drawn for m in p.milestones]
    y = {"field": "project", "type": "nominal", "title": None, "sort": order,
         "axis": {"labelLimit": 260}}
    layers: list[dict[str, Any]] = [{
        "data": {"values": bars},
        "mark": {"type": "bar", "color": BAR_COLOUR, "cornerRadius": 2,
                 "height": {"band": 0.6}},
        "encoding": {
            "y": y,
            # Whole years on the axis: the first year's label is not cut off at the edge.
            "x": {"field": "start", "type": "temporal", "title": None,
                  "scale": {"nice": "year"},
                  "axis": {"format": "%Y", "tickCount": "year", "grid": True}},
            "x2": {"field": "end"},
            "tooltip": [
                {"field": "project", "type": "nominal", "title": texts.project},
                {"field": "start", "type": "temporal", "title": texts.start,
                 "format": "%Y-%m-%d"},
                {"field": "end", "type": "temporal", "title": texts.end,
                 "format": "%Y-%m-%d"},
                {"field": "status", "type": "nominal", "title": texts.status},
            ],
        },
    }]
    if points:
        layers.append({
            "data": {"values": points},
            "mark": {"type": "point", "shape": "diamond", "size": 120, "strokeWidth": 2,
                     "color": MILESTONE_COLOUR},
            "encoding": {
                "y": y,
                "x": {"field": "due", "type": "temporal"},
                "fill": {
                    "condition": {"test": "isValid(datum.reached)",
                                  "value": MILESTONE_COLOUR},
                    "value": "#ffffff",
                },
                "tooltip": [
                    {"field": "project", "type": "nominal", "title": texts.project},
                    {"field": "milestone", "type": "nominal", "title": texts.milestone},
                    {"field": "due", "type": "temporal", "title": texts.due,
                     "format": "%Y-%m-%d"},
                    {"field": "done", "type": "nominal", "title": texts.reached},
                ],
            },
        })
    return {
        "$schema": SCHEMA,
        "description": texts.description,
        "width": "container",
        "height": max(MIN_HEIGHT, ROW_HEIGHT * len(drawn)),
        "autosize": {"type": "fit", "contains": "padding"},
        "config": {"view": {"stroke": None}},
        "layer": layers,
    }
