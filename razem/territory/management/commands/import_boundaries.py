"""`manage.py import_boundaries PATH`: attach GeoJSON shapes to units by TERYT code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from razem.territory.importers import ImportReport, import_boundaries
from razem.territory.management.commands import import_teryt


class Command(import_teryt.Command):
    help = (
        "Importuje granice jednostek z pliku GeoJSON (FeatureCollection z właściwością "
        "„teryt”, współrzędne WGS84)."
    )
    importer: Callable[[Path], ImportReport] = staticmethod(import_boundaries)
