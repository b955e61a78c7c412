"""Vega-Lite specs of the portrait, built in Python; pure (no Django, no ORM).

Every spec carries its data inline, so the page embeds it as is and the report
renders the very same spec offline (vl-convert). Texts (titles, axis labels)
arrive already translated.
"""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# Colours with at least 3:1 contrast on white for lines and bars (WCAG 1.4.11).
PARTNERSHIP_COLOUR = "#0b3d6e"
MEDIAN_COLOUR = "#a4111f"
MEMBER_COLOUR = "#6f777b"
NO_DATA_COLOUR = "#c9ced2"
BAR_COLOUR = "#1f5f8b"


def _base(description: str, height: int = 320) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": "container",
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},
        "config": {"view": {"stroke": None}},
    }


def time_series(
    rows: list[dict[str, Any]], *, description: str, value_title: str, year_title: str,
    series_title: str, decimals: int, role_labels: dict[str, str],
) -> dict[str, Any]:
    """Lines over the years; rows: {"series", "role", "role_label", "year", "value"}.

    `role` is "member", "partnership" or "median": members are thin grey lines,
    the partnership and the comparison median stand out by colour and dash,
    so the chart reads even with fifteen members.
    """
    spec = _base(description)
    present = {row["role"] for row in rows}
    roles = [role for role in ("member", "partnership", "median") if role in present]
    domain = [role_labels[role] for role in roles]
    colours = {"member": MEMBER_COLOUR, "partnership": PARTNERSHIP_COLOUR, "median": MEDIAN_COLOUR}
    dashes = {"member": [1, 0], "partnership": [1, 0], "median": [6, 4]}
    spec["data"] = {"values": rows}
    spec["mark"] = {"type": "line", "point": True}
    spec["encoding"] = {
        "x": {"field": "year", "type": "ordinal", "title": year_title,
              "axis": {"labelAngle": 0}},
        "y": {"field": "value", "type": "quantitative", "title": value_title,
              "scale": {"zero": False}},
        "detail": {"field": "series", "type": "nominal"},
        "color": {
            "field": "role_label", "type": "nominal", "title": None,
            "scale": {"domain": domain, "range": [colours[role] for role in roles]},
            "legend": {"orient": "bottom"},
        },
        "strokeDash": {
            "field": "role_label", "type": "nominal", "legend": None,
            "scale": {"domain": domain, "range": [dashes[role] for role in roles]},
        },
        "strokeWidth": {
            "condition": {"test": "datum.role === 'member'", "value": 1},
            "value": 3,
        },
        "tooltip": [
            {"field": "series", "type": "nominal", "title": series_title},
            {"field": "year", "type": "ordinal", "title": year_title},
            {"field": "value", "type": "quantitative", "title": value_title,
             "format": f",.{decimals}f"},
        ],
    }
    return spec


def bars(
    rows: list[dict[str, Any]], *, description: str, category_title: str, value_title: str,
    decimals: int, domain: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Horizontal bars, longest first; rows: {"label", "value"}."""
    spec = _base(description, height=max(120, 24 * len(rows)))
    spec["data"] = {"values": rows}
    spec["mark"] = {"type": "bar", "color": BAR_COLOUR}
    x: dict[str, Any] = {"field": "value", "type": "quantitative", "title": value_title}
    if domain is not None:
        x["scale"] = {"domain": list(domain)}
    spec["encoding"] = {
        "y": {"field": "label", "type": "nominal", "title": category_title, "sort": "-x"},
        "x": x,
        "tooltip": [
            {"field": "label", "type": "nominal", "title": category_title},
            {"field": "value", "type": "quantitative", "title": value_title,
             "format": f",.{decimals}f"},
        ],
    }
    return spec


def choropleth(
    features: list[dict[str, Any]], *, description: str, value_title: str, unit_title: str,
    decimals: int, scheme: str = "blues",
) -> dict[str, Any]:
    """Shapes coloured by `properties.value`; units without a value are grey.

    `features` are GeoJSON Features with properties {"teryt", "name", "value"};
    given as a list because Vega reads `format.property` only from files.
    """
    spec = _base(description, height=420)
    spec["data"] = {"values": features}
    spec["projection"] = {"type": "mercator"}
    spec["mark"] = {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 1}
    spec["encoding"] = {
        "color": {
            "condition": {"test": "!isValid(datum.properties.value)", "value": NO_DATA_COLOUR},
            "field": "properties.value", "type": "quantitative", "title": value_title,
            "scale": {"scheme": scheme},
            "legend": {"orient": "bottom", "direction": "horizontal", "gradientLength": 240},
        },
        "tooltip": [
            {"field": "properties.name", "type": "nominal", "title": unit_title},
            {"field": "properties.value", "type": "quantitative", "title": value_title,
             "format": f",.{decimals}f"},
        ],
    }
    return spec
