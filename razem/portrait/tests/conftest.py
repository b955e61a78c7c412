"""Fixtures of the portrait tests: a small hand-made data set over the demo cast.

Every gmina of both demo partnerships gets the same plain figures, except
Sarnaki, whose unemployment is far above all others: the one candidate
conclusion the tests look for.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from razem.indicators.catalogue import load_catalogue
from razem.indicators.models import Observation, Source, Variable
from razem.portrait import data
from razem.territory.models import Unit, UnitKind

YEARS = (2018, 2019)
SARNAKI = "1410052"
LOSICE = "1410023"


@pytest.fixture(autouse=True)
def _fresh_portrait_cache():
    # Rolled-back tests can reuse ids, so start every test with nothing computed.
    data.clear_cache()
    yield
    data.clear_cache()


@pytest.fixture
def add_observations(db) -> Callable[[dict[str, dict[str, dict[int, float]]]], None]:
    """Write {teryt: {alias: {year: value}}} as observations of the catalogue's variables."""
    catalogue = load_catalogue()

    def add(rows: dict[str, dict[str, dict[int, float]]]) -> None:
        units = dict(Unit.objects.values_list("teryt", "pk"))
        variables: dict[str, Variable] = {}
        observations = []
        for teryt, aliases in rows.items():
            for alias, by_year in aliases.items():
                code = catalogue.aliases[alias].codes[0]
                if code not in variables:
                    variables[code], _ = Variable.objects.get_or_create(
                        code=code, defaults={"source": Source.BDL_CSV, "name": alias})
                for year, value in by_year.items():
                    observations.append(Observation(
                        unit_id=units[teryt], variable=variables[code], year=year, value=value,
                        source=Source.BDL_CSV, imported_at=timezone.now(),
                    ))
        Observation.objects.bulk_create(observations)

    return add


@pytest.fixture
def small_data(cast, add_observations) -> None:
    """Plain figures for every demo gmina; Sarnaki's unemployment stands out."""
    gminas = list(Unit.objects.filter(kind=UnitKind.GMINA).order_by("teryt")
                  .values_list("teryt", flat=True))
    rows = {}
    for number, teryt in enumerate(gminas):
        population = 3000 + 50 * number
        rows[teryt] = {
            "population": {2018: population + 20, 2019: population},
            "pre_working": {2018: 600, 2019: 590},
            "post_working": {2018: 650, 2019: 660 + number},
            "unemployment_share": {2018: 4.0 + number / 10, 2019: 4.0 + number / 10},
            "revenue_pc": {2018: 4800 + 10 * number, 2019: 5000 + 10 * number},
            "expenditure_pc": {2018: 4900 + 5 * number, 2019: 5100 + 5 * number},
            "water_share": {2018: 90.0 + number / 5, 2019: 90.5 + number / 5},
            "sewage_share": {2018: 30.0 + number, 2019: 31.0 + number},
        }
    rows[SARNAKI]["unemployment_share"] = {2018: 11.5, 2019: 12.0}
    add_observations(rows)


@pytest.fixture
def boundaries(cast) -> None:
    """A square for every demo gmina, side by side (the real shapes are in the data pack)."""
    for number, unit in enumerate(Unit.objects.filter(kind=UnitKind.GMINA).order_by("teryt")):
        lon, lat = 22.0 + 0.1 * (number % 6), 52.0 + 0.1 * (number // 6)
        ring = [[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]]
        unit.boundary = {"type": "Polygon", "coordinates": [ring]}
        unit.save(update_fields=["boundary"])
