"""Geometry helpers on hand-made shapes and on real neighbouring gminas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from razem.territory import geometry
from razem.territory.tests.conftest import square


def _shapes(path: Path) -> dict[str, dict[str, Any]]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["teryt"]: f["geometry"] for f in features}


def test_bbox_of_a_polygon() -> None:
    assert geometry.bbox(square(22.0, 52.0, size=0.5)) == (22.0, 52.0, 22.5, 52.5)


def test_bbox_of_a_multipolygon_spans_all_its_parts() -> None:
    parts = [square(22.0, 52.0)["coordinates"], square(23.0, 51.0)["coordinates"]]
    shape = {"type": "MultiPolygon", "coordinates": parts}

    assert geometry.bbox(shape) == (22.0, 51.0, 23.1, 52.1)


def test_vertices_are_rounded_to_the_given_precision() -> None:
    shape = square(22.123456, 52.654321, size=1)

    assert (22.1235, 52.6543) in geometry.vertices(shape, precision=4)


def test_round_geometry_rounds_every_coordinate_and_keeps_the_type() -> None:
    rounded = geometry.round_geometry(square(22.1234567, 52.7654321), digits=5)

    assert rounded["type"] == "Polygon"
    assert rounded["coordinates"][0][0] == [22.12346, 52.76543]


def test_unsupported_geometry_type_raises_geometry_error() -> None:
    with pytest.raises(geometry.GeometryError, match="Point"):
        geometry.bbox({"type": "Point", "coordinates": [22.0, 52.0]})


def test_squares_sharing_an_edge_touch() -> None:
    assert geometry.touches(square(22.0, 52.0), square(22.1, 52.0))


def test_squares_meeting_at_one_corner_do_not_touch() -> None:
    assert not geometry.touches(square(22.0, 52.0), square(22.1, 52.1))


def test_real_neighbours_losice_and_huszlew_touch(partnership_geojson: Path) -> None:
    shapes = _shapes(partnership_geojson)

    assert geometry.touches(shapes["1410023"], shapes["1410012"])


def test_distant_gminas_losice_and_sterdyn_do_not_touch(partnership_geojson: Path) -> None:
    shapes = _shapes(partnership_geojson)

    assert not geometry.touches(shapes["1410023"], shapes["1429092"])


def test_neighbours_with_a_very_short_common_border_touch(gminy_2018_geojson: Path) -> None:
    # Their border is two vertices a few metres apart: rounding to 4 decimals would
    # merge them into one point and lose the pair, hence the default of 5.
    shapes = _shapes(gminy_2018_geojson)

    assert geometry.touches(shapes["0608011"], shapes["0608092"])
    assert not geometry.touches(shapes["0608011"], shapes["0608092"], precision=4)


def test_touches_agrees_with_shared_border_segments_on_all_2018_gminas(
    gminy_2018_geojson: Path,
) -> None:
    # The data are topologically clean: two gminas share >= 2 vertices exactly when
    # they share at least one border segment.
    shapes = _shapes(gminy_2018_geojson)
    vertex_owners: dict[tuple[float, float], set[str]] = {}
    segment_owners: dict[frozenset[tuple[float, float]], set[str]] = {}
    for teryt, shape in shapes.items():
        for polygon in geometry.polygons(shape):
            for ring in polygon:
                for point in ring:
                    vertex_owners.setdefault(point, set()).add(teryt)
                for a, b in zip(ring, ring[1:]):
                    segment_owners.setdefault(frozenset((a, b)), set()).add(teryt)
    by_segment = {frozenset(p) for owners in segment_owners.values() for p in _pairs(owners)}
    candidates = {frozenset(p) for owners in vertex_owners.values() if len(owners) > 1
                  for p in _pairs(owners)}

    touching = {pair for pair in candidates if geometry.touches(*(shapes[t] for t in pair))}

    assert touching == by_segment
    assert len(touching) > 7000


def _pairs(owners: set[str]) -> list[tuple[str, str]]:
    ordered = sorted(owners)
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]]
