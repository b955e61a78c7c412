"""Small pure functions over GeoJSON Polygon/MultiPolygon geometries (WGS84).

No spatial library: the shapes come from one topologically consistent source
(GUS BDL map units), so neighbouring gminas share their border vertices exactly
and "do they border" is a set intersection rather than a geometric predicate.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

Geometry = dict[str, Any]
Position = tuple[float, float]
BBox = tuple[float, float, float, float]

# Measured on boundaries/gminy_2018_wgs84.geojson (coordinates stored with at
# most 5 decimals): at 5 digits every pair of gminas sharing >= 2 vertices also
# shares a border segment and vice versa (7,280 pairs). Rounding to 4 digits
# (~11 m) merges the two ends of very short borders and loses real neighbours
# (e.g. 0608011/0608092, 1016032/1016042), so 5 is the default.
VERTEX_PRECISION = 5
# Gminas meeting only at a corner (a point where four units meet) share one
# vertex; a real common border has at least two.
MIN_SHARED_VERTICES = 2
POLYGONAL_TYPES = ("Polygon", "MultiPolygon")


class GeometryError(ValueError):
    """The object is not a usable GeoJSON Polygon or MultiPolygon."""


def polygons(geometry: Geometry) -> list[list[list[Position]]]:
    """The geometry as a validated list of polygons (each a list of rings)."""
    if not isinstance(geometry, dict):
        raise GeometryError(_("geometria musi być obiektem GeoJSON"))
    kind = geometry.get("type")
    if kind not in POLYGONAL_TYPES:
        raise GeometryError(
            _("nieobsługiwany typ geometrii %(type)s (oczekiwano Polygon lub MultiPolygon)")
            % {"type": repr(kind)}
        )
    coordinates = geometry.get("coordinates")
    raw = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(raw, list) or not raw:
        raise GeometryError(_("geometria %(type)s nie ma współrzędnych") % {"type": kind})
    return [_polygon(polygon) for polygon in raw]


def _polygon(polygon: Any) -> list[list[Position]]:
    if not isinstance(polygon, list) or not polygon:
        raise GeometryError(_("wielokąt musi być niepustą listą pierścieni"))
    return [_ring(ring) for ring in polygon]


def _ring(ring: Any) -> list[Position]:
    # GeoJSON (RFC 7946, 3.1.6): a linear ring is closed and has >= 4 positions.
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeometryError(_("pierścień wielokąta musi mieć co najmniej 4 punkty"))
    return [_position(position) for position in ring]


def _position(position: Any) -> Position:
    if not isinstance(position, list | tuple) or len(position) < 2:
        raise GeometryError(_("punkt musi być parą współrzędnych [długość, szerokość]"))
    lon, lat = position[0], position[1]
    if not (_is_number(lon) and _is_number(lat)):
        raise GeometryError(_("współrzędne muszą być liczbami, jest %(value)s")
                            % {"value": repr(position[:2])})
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeometryError(
            _("współrzędne %(value)s są poza zakresem WGS84 (czy plik nie jest w EPSG:2180?)")
            % {"value": repr([lon, lat])}
        )
    return (lon, lat)


def _is_number(value: Any) -> bool:
    # bool is an int subclass; JSON true/false is never a coordinate.
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def positions(geometry: Geometry) -> Iterator[Position]:
    """Every vertex of every ring, outer and inner (holes are enclave borders)."""
    for polygon in polygons(geometry):
        for ring in polygon:
            yield from ring


def bbox(geometry: Geometry) -> BBox:
    """(min_lon, min_lat, max_lon, max_lat) of a Polygon or MultiPolygon."""
    lons, lats = zip(*positions(geometry), strict=True)
    return (min(lons), min(lats), max(lons), max(lats))


def vertices(geometry: Geometry, precision: int = VERTEX_PRECISION) -> set[Position]:
    """The set of vertices, rounded so that equal points compare equal."""
    return {(round(lon, precision), round(lat, precision)) for lon, lat in positions(geometry)}


def touches(a: Geometry, b: Geometry, precision: int = VERTEX_PRECISION) -> bool:
    """True when the two shapes share a border (at least two common vertices)."""
    return len(vertices(a, precision) & vertices(b, precision)) >= MIN_SHARED_VERTICES


def round_geometry(geometry: Geometry, digits: int = 5) -> Geometry:
    """A validated copy with coordinates rounded (5 digits is ~1 m in Poland).

    Only `type` and `coordinates` are kept and positions become 2D lists, so the
    result equals what a JSON column gives back and re-imports compare equal.
    """
    rounded = [
        [[[round(lon, digits), round(lat, digits)] for lon, lat in ring] for ring in polygon]
        for polygon in polygons(geometry)
    ]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": rounded[0]}
    return {"type": "MultiPolygon", "coordinates": rounded}
