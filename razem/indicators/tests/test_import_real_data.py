"""The real BDL exports of the data pack, imported over the real TERC register."""

from __future__ import annotations

import shutil
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from razem.indicators.importing import import_paths
from razem.indicators.models import Observation, ObservationChange
from razem.territory.importers import import_teryt

EXPORTS = Path(settings.RAZEM_DATA_DIR) / "bdl" / "exports"
TERC = Path(settings.RAZEM_DATA_DIR) / "teryt" / "TERC_2020-01-01.csv"
POPULATION = "ludnosc_ogol_przed_poprod|ogółem;ogółem|osoba"

pytestmark = pytest.mark.skipif(
    not (EXPORTS.is_dir() and TERC.is_file()),
    reason=f"data pack not found under {settings.RAZEM_DATA_DIR} (set RAZEM_DATA_DIR)",
)


@pytest.fixture
def terc(db) -> None:
    import_teryt(TERC)


def population(teryt: str, year: int) -> Decimal | None:
    return Observation.objects.get(unit__teryt=teryt, year=year,
                                   variable__code=POPULATION).value


def test_losice_population_2019_is_10787(terc):
    import_paths([EXPORTS / "ludnosc_ogol_przed_poprod.csv"])

    assert population("1410023", 2019) == 10787


def test_all_exports_import_quickly_and_a_reimport_writes_nothing(terc):
    started = time.perf_counter()
    runs = import_paths([EXPORTS])
    seconds = time.perf_counter() - started
    count = Observation.objects.count()
    again = import_paths([EXPORTS])

    assert len(runs) == 15 and all(run.created for run in runs)
    # The bar is 30 s for all files; this guards against a regression by a wide margin.
    assert seconds < 30, seconds
    assert count == sum(run.created for run in runs) > 100_000
    assert all(run.created == run.updated == 0 and run.unchanged for run in again)
    assert Observation.objects.count() == count
    assert not ObservationChange.objects.exists()
    # Only Ostrowice, merged into Drawsko Pomorskie in 2019, is unknown to the 2020 register.
    assert {line.split()[0] for run in runs for line in run.unmatched} == {"3203042"}


def test_changed_value_in_a_copy_updates_and_logs(terc, tmp_path):
    import_paths([EXPORTS / "ludnosc_ogol_przed_poprod.csv"])
    copy = tmp_path / "ludnosc_ogol_przed_poprod.csv"
    shutil.copy(EXPORTS / "ludnosc_ogol_przed_poprod.csv", copy)
    text = copy.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("1410023;"))
    copy.write_text(text.replace(line, line.replace(";10787;", ";10800;")), encoding="utf-8")

    [run] = import_paths([copy])

    assert (run.created, run.updated) == (0, 1)
    change = ObservationChange.objects.select_related("observation__unit").get()
    assert (change.observation.unit.teryt, change.observation.year) == ("1410023", 2019)
    assert (change.old_value, change.new_value) == (10787, 10800)
    assert population("1410023", 2019) == 10800


def test_gminas_renamed_by_type_change_get_their_values(terc):
    # Czerwińsk nad Wisłą became urban-rural (1420043) after the export's 1420042.
    import_paths([EXPORTS / "ludnosc_ogol_przed_poprod.csv"])

    assert population("1420043", 2019) is not None
