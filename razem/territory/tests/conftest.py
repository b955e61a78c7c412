"""Fixtures for the territory importers: the real data pack and small hand-made files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from razem.territory.importers import import_teryt

HEADER = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA"
# A consistent slice of TERC 2020: the voivodeship, Powiat łosicki and two of its gminas.
LOSICE_ROWS = [
    "14;;;;MAZOWIECKIE;województwo;2020-01-01",
    "14;10;;;łosicki;powiat;2020-01-01",
    "14;10;01;2;Huszlew;gmina wiejska;2020-01-01",
    "14;10;02;3;Łosice;gmina miejsko-wiejska;2020-01-01",
    "14;10;02;4;Łosice;miasto;2020-01-01",
    "14;10;02;5;Łosice;obszar wiejski;2020-01-01",
]


def data_file(relative: str) -> Path:
    """A file of the data pack, or a skip saying where the pack was looked for."""
    path = Path(settings.RAZEM_DATA_DIR) / relative
    if not path.is_file():
        pytest.skip(f"data pack file {path} not found (set RAZEM_DATA_DIR to the data pack)")
    return path


@pytest.fixture
def terc_path() -> Path:
    return data_file("teryt/TERC_2020-01-01.csv")


@pytest.fixture
def partnership_geojson() -> Path:
    return data_file("boundaries/partnership_16_units_wgs84.geojson")


@pytest.fixture
def gminy_2018_geojson() -> Path:
    return data_file("boundaries/gminy_2018_wgs84.geojson")


@pytest.fixture
def real_terc(db, terc_path: Path) -> None:
    import_teryt(terc_path)


@pytest.fixture
def write_terc(tmp_path: Path) -> Callable[..., Path]:
    """Write TERC rows (under the standard header unless told) and return the path."""

    def write(rows: list[str], *, header: str = HEADER, encoding: str = "utf-8",
              newline: str = "\n", name: str = "terc.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(newline.join([header, *rows, ""]).encode(encoding))
        return path

    return write


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[Any], Path]:
    def write(document: Any, name: str = "units.geojson") -> Path:
        path = tmp_path / name
        path.write_text(document if isinstance(document, str) else json.dumps(document),
                        encoding="utf-8")
        return path

    return write


def square(lon: float, lat: float, size: float = 0.1) -> dict[str, Any]:
    """A closed square Polygon with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size],
            [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(teryt: Any, geometry: Any, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"teryt": teryt, **properties},
            "geometry": geometry}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}
