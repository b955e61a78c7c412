"""The partnership map: member gminas among their neighbours, as data and a Vega-Lite spec."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from razem.territory import geometry
from razem.territory.models import Unit, UnitKind


def member_gminas_with_neighbours(units: list[Unit]) -> tuple[list[Unit], list[Unit]]:
    """The member gminas (with shapes) and the gminas that border them."""
    members = [u for u in units if u.kind == UnitKind.GMINA and u.boundary]
    if not members:
        return [], []
    boxes = [geometry.bbox(u.boundary) for u in members]
    area = (
        min(b[0] for b in boxes), min(b[1] for b in boxes),
        max(b[2] for b in boxes), max(b[3] for b in boxes),
    )
    member_ids = {u.pk for u in members}
    candidates = (
        Unit.objects.gminas().intersecting_bbox(area).exclude(pk__in=member_ids)
        .exclude(boundary=None)
    )
    # A neighbour shares a border segment (two vertices) with one member, not
    # merely a corner with each of two members.
    member_vertices = [geometry.vertices(u.boundary) for u in members]
    neighbours = [
        u for u in candidates
        if any(len(geometry.vertices(u.boundary) & mv) >= 2 for mv in member_vertices)
    ]
    return members, neighbours


def feature_collection(members: list[Unit], neighbours: list[Unit]) -> dict[str, Any]:
    member_label, neighbour_label = _("member of the partnership"), _("neighbouring gmina")
    features = [
        {
            "type": "Feature",
            "geometry": unit.boundary,
            "properties": {
                "teryt": unit.teryt,
                "name": unit.display_name,
                "status": member_label if is_member else neighbour_label,
            },
        }
        for units, is_member in ((neighbours, False), (members, True))
        for unit in units
    ]
    return {"type": "FeatureCollection", "features": features}


def map_spec(data_url: str, title: str) -> dict[str, Any]:
    """A Vega-Lite geoshape map; the page and future PDF reports share it."""
    member_label, neighbour_label = _("member of the partnership"), _("neighbouring gmina")
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": "container",
        "height": 420,
        "autosize": {"type": "fit", "contains": "padding"},
        "data": {"url": data_url, "format": {"type": "json", "property": "features"}},
        "projection": {"type": "mercator"},
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 1},
        "encoding": {
            "color": {
                "field": "properties.status",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [member_label, neighbour_label],
                    "range": ["#1f5f8b", "#c9d3dc"],
                },
                "legend": {"orient": "bottom"},
            },
            "tooltip": [
                {"field": "properties.name", "type": "nominal", "title": _("Unit")},
                {"field": "properties.teryt", "type": "nominal", "title": _("TERYT code")},
                {"field": "properties.status", "type": "nominal", "title": _("Status")},
            ],
        },
        "config": {"view": {"stroke": None}},
    }


def cached_map(partnership, language: str) -> dict[str, Any]:
    """Members, neighbours and GeoJSON, cached under the partnership's version.

    The key carries `updated_at`, which every change to units or boundaries
    bumps, so a cache per process never serves stale data.
    """
    key = f"map:{partnership.pk}:{partnership.updated_at.timestamp()}:{language}"
    data = cache.get(key)
    if data is None:
        members, neighbours = member_gminas_with_neighbours(list(partnership.units.all()))
        data = {
            "neighbours": [{"teryt": u.teryt, "name": u.display_name,
                            "kind": u.kind_label} for u in neighbours],
            "geojson": feature_collection(members, neighbours),
        }
        cache.set(key, data, 3600)
    return data
