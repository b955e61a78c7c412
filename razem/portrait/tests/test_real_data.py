"""The portrait on the real data pack: TERC, boundaries and every BDL export.

Importing everything takes several seconds, so it happens once for the module
(outside the tests' transactions) and is wiped afterwards; each test still
runs in its own rolled-back transaction on top of it.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from razem.conftest import client_for
from razem.core.models import Partnership, User
from razem.indicators.importing import import_paths
from razem.indicators.models import ImportRun, Observation, Variable
from razem.portrait import data
from razem.territory.models import Unit, UnitKind

DATA_DIR = Path(settings.RAZEM_DATA_DIR)
EXPORTS = DATA_DIR / "bdl" / "exports"
TERC = DATA_DIR / "teryt" / "TERC_2020-01-01.csv"
LOSICE = "1410023"
PARTNERSHIP_GMINAS = [
    "1410012", "1410023", "1410032", "1410042", "1410052", "1410062", "1426022", "1426062",
    "1426072", "1429032", "1429042", "1429053", "1429062", "1429072", "1429092",
]

pytestmark = pytest.mark.skipif(
    not (EXPORTS.is_dir() and TERC.is_file()),
    reason=f"data pack not found under {DATA_DIR} (set RAZEM_DATA_DIR)",
)


def _wipe() -> None:
    Partnership.objects.all().delete()
    User.objects.all().delete()
    Observation.objects.all().delete()
    ImportRun.objects.all().delete()
    Variable.objects.all().delete()
    # Parents are protected: gminas first, then powiats, then voivodeships.
    for kind in (UnitKind.GMINA, UnitKind.POWIAT, UnitKind.VOIVODESHIP):
        Unit.objects.filter(kind=kind).delete()


@pytest.fixture(scope="module")
def real_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _wipe()
        # The demo with the data pack: TERC, boundaries, both partnerships and the cast.
        call_command("load_demo", data_dir=DATA_DIR, stdout=io.StringIO())
        import_paths([EXPORTS])
        try:
            yield
        finally:
            _wipe()
            data.clear_cache()


@pytest.fixture
def razem(real_data, db) -> Partnership:
    return Partnership.objects.get(slug="razem-dla-rozwoju")


@pytest.fixture
def coordinator(real_data, db) -> User:
    return User.objects.get(email="koordynator@razem.demo")


def test_losice_population_2019_is_on_its_profile_page(razem, coordinator):
    response = client_for(coordinator).get(
        reverse("portrait:unit", args=[razem.slug, LOSICE]), {"rok": "2019"})

    assert response.status_code == 200
    assert "10\u202f787" in response.content.decode()


def test_the_partnership_population_is_the_sum_of_its_15_gminas(razem):
    portrait = data.portrait_for(razem, 2019)

    gminas = [m.teryt for m in portrait.gminas]
    assert sorted(gminas) == sorted(PARTNERSHIP_GMINAS)
    total = sum(portrait.value(teryt, "population") for teryt in gminas)
    assert portrait.value(data.PARTNERSHIP, "population") == total
    assert portrait.coverage[(data.PARTNERSHIP, "population", 2019)] == (15, 15)


def test_the_member_powiat_shows_all_its_gminas(razem):
    portrait = data.portrait_for(razem, 2019)

    losicki = [m.teryt for m in portrait.gminas if m.teryt.startswith("1410")]
    assert portrait.value("powiat:1410", "population") == sum(
        portrait.value(t, "population") for t in losicki)


def test_indicator_for_gives_each_unit_and_the_comparison_groups(razem):
    answer = data.indicator_for(razem, "unemployment_rate", 2019)

    assert answer["year"] == 2019
    assert len(answer["units"]) == 16 and answer["partnership"]["units_total"] == 15
    losice = next(u for u in answer["units"] if u["teryt"] == LOSICE)
    group = losice["comparison_group"]
    assert group["id"] == "urban-rural:10-20k" and group["size"] > 100
    assert group["q1"] <= group["median"] <= group["q3"]
    assert 0 <= losice["percentile"] <= 100 and losice["rank"] <= group["size"]
    assert {g["id"] for g in answer["comparison_groups"]} >= {"urban-rural:10-20k"}


def test_indicator_for_refuses_an_unknown_code(razem):
    with pytest.raises(data.UnknownIndicator):
        data.indicator_for(razem, "no_such_indicator")


def test_the_overview_map_has_every_member_gmina(razem, coordinator):
    response = client_for(coordinator).get(reverse("portrait:overview", args=[razem.slug]))

    spec = response.context["map"]["spec"]
    assert sorted(f["properties"]["teryt"] for f in spec["data"]["values"]) == sorted(
        PARTNERSHIP_GMINAS)


def test_the_warm_overview_is_fast_and_needs_few_queries(razem, coordinator,
                                                          django_assert_max_num_queries):
    client = client_for(coordinator)
    url = reverse("portrait:overview", args=[razem.slug])
    assert client.get(url).status_code == 200  # cold: computes and caches

    with django_assert_max_num_queries(8):
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started

    assert response.status_code == 200
    # The bench's bar is a p50 of 150 ms; one request in a test is allowed more.
    assert seconds < 0.5, seconds
