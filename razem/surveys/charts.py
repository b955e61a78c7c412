"""Vega-Lite specs of survey results, built in Python; pure (no Django, no ORM).

As in razem.portrait.charts, every spec carries its data inline, so the page embeds
it as JSON (drawn by razem/static/razem/charts.js) and the report renders the same
spec offline. Texts arrive translated. A table with the same numbers always sits
beside the chart.
"""

from __future__ import annotations

from typing import Any

from razem.portrait.charts import BAR_COLOUR, MEMBER_COLOUR, SCHEMA

# Unweighted grey, weighted blue: both at least 3:1 against white (WCAG 1.4.11).
SERIES_COLOURS = (MEMBER_COLOUR, BAR_COLOUR)
INTERVAL_COLOUR = "#1b1b1b"


def choice_bars(
    rows: list[dict[str, Any]], *, description: str, category_title: str, value_title: str,
    series_title: str, interval_title: str, series: list[str],
) -> dict[str, Any]:
    """Horizontal bars of percentages (0–100) in the questionnaire's order, with the
    95% interval as a line through each bar.

    rows: {"label", "series", "value", "low", "high"}; `series` names the series in
    legend order (one: unweighted only; two: unweighted and weighted side by side).
    Suppressed cells are simply absent: the table beside says why.
    """
    labels = list(dict.fromkeys(row["label"] for row in rows))
    per_label = 20 * max(1, len(series)) + 6
    offset = {"field": "series", "type": "nominal", "sort": series} if len(series) > 1 else None
    # No axis title: the heading above names the question, and a title squeezed beside
    # two bars gets clipped.
    y = {"field": "label", "type": "nominal", "title": None, "sort": labels,
         "axis": {"labelLimit": 220}}
    x = {"field": "value", "type": "quantitative", "title": value_title,
         "scale": {"domain": [0, 100]}}
    colour = {
        "field": "series", "type": "nominal", "title": series_title,
        "scale": {"domain": series, "range": list(SERIES_COLOURS[-len(series):])},
        "legend": {"orient": "bottom"} if len(series) > 1 else None,
    }
    tooltip = [
        {"field": "label", "type": "nominal", "title": category_title},
        {"field": "series", "type": "nominal", "title": series_title},
        {"field": "value", "type": "quantitative", "title": value_title, "format": ",.1f"},
        {"field": "interval", "type": "nominal", "title": interval_title},
    ]
    bar: dict[str, Any] = {"mark": {"type": "bar"},
                           "encoding": {"y": y, "x": x, "color": colour, "tooltip": tooltip}}
    rule: dict[str, Any] = {
        "mark": {"type": "rule", "color": INTERVAL_COLOUR, "strokeWidth": 1.5},
        "transform": [{"filter": "isValid(datum.low) && isValid(datum.high)"}],
        "encoding": {"y": y, "x": {"field": "low", "type": "quantitative"},
                     "x2": {"field": "high"}},
    }
    if offset:
        bar["encoding"]["yOffset"] = offset
        rule["encoding"]["yOffset"] = offset
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": "container",
        # The x axis and the legend take about 50 and 40 pixels of the height.
        "height": per_label * len(labels) + (90 if len(series) > 1 else 50),
        "autosize": {"type": "fit", "contains": "padding"},
        "config": {"view": {"stroke": None}},
        "data": {"values": [
            {**row, "interval": row.get("interval") or _interval(row.get("low"), row.get("high"))}
            for row in rows
        ]},
        "layer": [bar, rule],
    }


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "–"
    return f"{low:.1f}–{high:.1f}"
