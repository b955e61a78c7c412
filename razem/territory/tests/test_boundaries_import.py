"""Boundary import: the demo partnership, the 2018 shapes, and rejected GeoJSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from razem.core.models import Partnership
from razem.territory.importers import ImportFileError, import_boundaries, import_teryt
from razem.territory.models import Unit
from razem.territory.tests.conftest import LOSICE_ROWS, collection, feature, square

pytestmark = pytest.mark.django_db

WriteJson = Callable[..., Path]
DEMO_UNITS = {
    "1410", "1410012", "1410023", "1410032", "1410042", "1410052", "1410062", "1426022",
    "1426062", "1426072", "1429032", "1429042", "1429053", "1429062", "1429072", "1429092",
}


@pytest.fixture
def losice(write_terc: Callable[..., Path]) -> None:
    """Voivodeship 14, Powiat łosicki, Huszlew and Łosice, without shapes."""
    import_teryt(write_terc(LOSICE_ROWS))


def test_partnership_file_gives_shapes_to_all_16_demo_units(
    real_terc: None, partnership_geojson: Path
) -> None:
    report = import_boundaries(partnership_geojson)

    assert (report.updated, report.unmatched) == (16, [])
    with_shapes = Unit.objects.exclude(boundary=None)
    assert set(with_shapes.values_list("teryt", flat=True)) == DEMO_UNITS
    assert not with_shapes.filter(bbox_min_lon=None).exists()


def test_partnership_file_sets_bdl_id_of_the_powiat(
    real_terc: None, partnership_geojson: Path
) -> None:
    import_boundaries(partnership_geojson)

    assert Unit.objects.get(teryt="1410").bdl_id == "071427110000"


def test_boundaries_reimport_reports_all_unchanged_and_writes_nothing(
    real_terc: None, partnership_geojson: Path
) -> None:
    import_boundaries(partnership_geojson)

    with CaptureQueriesContext(connection) as queries:
        report = import_boundaries(partnership_geojson)

    assert (report.updated, report.unchanged) == (0, 16)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_2018_file_gives_every_2020_gmina_a_boundary_and_reports_the_rest(
    real_terc: None, gminy_2018_geojson: Path
) -> None:
    features = json.loads(gminy_2018_geojson.read_text(encoding="utf-8"))["features"]
    gone = {f["properties"]["teryt"] for f in features if not f["properties"]["in_terc_2020"]}

    report = import_boundaries(gminy_2018_geojson)

    # 14 of the 48 codes missing from TERC 2020 are gminas whose type digit changed
    # (a village became a town); they match by their gmina number.
    assert report.updated == 2477
    assert not Unit.objects.gminas().filter(boundary=None).exists()
    assert {entry.split()[0] for entry in report.unmatched} < gone
    assert len(gone) == 48 and len(report.unmatched) == 34


def test_gmina_whose_type_digit_changed_gets_the_boundary_of_its_old_code(
    real_terc: None, gminy_2018_geojson: Path
) -> None:
    import_boundaries(gminy_2018_geojson)
    # Piątek: rural (1004062) in 2018, urban-rural (1004063) by 2020.
    assert Unit.objects.get(teryt="1004063").boundary is not None


def test_feature_for_an_unknown_teryt_is_reported_not_fatal(
    losice: None, write_json: WriteJson
) -> None:
    path = write_json(collection(
        feature("1410012", square(22.7, 52.1), name="Huszlew"),
        feature("0201011", square(15.5, 51.2), name="Bolesławiec"),
    ))

    report = import_boundaries(path)

    assert report.updated == 1
    assert report.unmatched == ["0201011 Bolesławiec"]


def test_boundary_is_stored_rounded_to_5_decimals_with_its_bbox(
    losice: None, write_json: WriteJson
) -> None:
    shape = square(22.123456789, 52.987654321, size=0.5)
    import_boundaries(write_json(collection(feature("1410012", shape))))

    unit = Unit.objects.get(teryt="1410012")
    assert unit.boundary["coordinates"][0][0] == [22.12346, 52.98765]
    assert (unit.bbox_min_lon, unit.bbox_min_lat, unit.bbox_max_lon, unit.bbox_max_lat) == (
        22.12346, 52.98765, 22.62346, 53.48765)


def test_absent_bdl_id_keeps_the_known_one(losice: None, write_json: WriteJson) -> None:
    import_boundaries(write_json(collection(
        feature("1410012", square(22.7, 52.1), bdl_id="071427110012"))))

    import_boundaries(write_json(collection(feature("1410012", square(22.8, 52.1))), "2.json"))

    assert Unit.objects.get(teryt="1410012").bdl_id == "071427110012"


def test_changed_boundaries_bump_partnership_updated_at(
    losice: None, write_json: WriteJson
) -> None:
    partnership = Partnership.objects.create(name="P", slug="p", legal_form="agreement")
    before = partnership.updated_at

    import_boundaries(write_json(collection(feature("1410012", square(22.7, 52.1)))))

    partnership.refresh_from_db()
    assert partnership.updated_at > before


def _assert_rejected(path: Path, pattern: str) -> None:
    with pytest.raises(ImportFileError, match=pattern):
        import_boundaries(path)
    assert not Unit.objects.exclude(boundary=None).exists()


def test_malformed_json_is_rejected_naming_line_and_column(
    losice: None, write_json: WriteJson
) -> None:
    path = write_json('{"type": "FeatureCollection",\n "features": [}')

    _assert_rejected(path, r"Niepoprawny JSON w wierszu 2, kolumnie 15")


def test_geojson_that_is_not_a_feature_collection_is_rejected(
    losice: None, write_json: WriteJson
) -> None:
    path = write_json(feature("1410012", square(22.7, 52.1)))

    _assert_rejected(path, "FeatureCollection")


def test_feature_without_teryt_is_rejected_naming_its_index(
    losice: None, write_json: WriteJson
) -> None:
    nameless: dict[str, Any] = feature("1410023", square(22.7, 52.1))
    del nameless["properties"]["teryt"]
    path = write_json(collection(feature("1410012", square(22.7, 52.1)), nameless))

    _assert_rejected(path, r"Obiekt features\[1\]: brak właściwości „teryt”")


def test_numeric_teryt_is_rejected(losice: None, write_json: WriteJson) -> None:
    path = write_json(collection(feature(1410012, square(22.7, 52.1))))

    _assert_rejected(path, r"features\[0\]: niepoprawny kod TERYT")


def test_point_geometry_is_rejected_naming_the_feature(
    losice: None, write_json: WriteJson
) -> None:
    point = {"type": "Point", "coordinates": [22.7, 52.1]}
    path = write_json(collection(feature("1410012", square(22.7, 52.1)),
                                 feature("1410023", point)))

    _assert_rejected(path, r"Obiekt features\[1\]: TERYT 1410023: nieobsługiwany typ geometrii")


def test_projected_coordinates_are_rejected_as_outside_wgs84(
    losice: None, write_json: WriteJson
) -> None:
    # EPSG:2180 metres instead of degrees: a common mistake with GUGiK exports.
    path = write_json(collection(feature("1410012", square(745000.0, 490000.0, 1000.0))))

    _assert_rejected(path, r"features\[0\].*poza zakresem WGS84")


def test_duplicate_teryt_is_rejected(losice: None, write_json: WriteJson) -> None:
    path = write_json(collection(feature("1410012", square(22.7, 52.1)),
                                 feature("1410012", square(22.8, 52.1))))

    _assert_rejected(path, r"features\[1\]: kod TERYT 1410012 występuje już")
