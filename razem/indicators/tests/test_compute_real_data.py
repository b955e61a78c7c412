"""Checks against the real BDL exports of the data pack (skipped without it)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from django.conf import settings

from razem.indicators import compute
from razem.indicators.bdl_csv import default_dataset, parse_bdl_csv
from razem.indicators.catalogue import load_catalogue

# The 15 gminas of Partnerstwo "Razem dla Rozwoju" (data pack README).
PARTNERSHIP = [
    "1410012", "1410023", "1410032", "1410042", "1410052", "1410062", "1426022", "1426062",
    "1426072", "1429032", "1429042", "1429053", "1429062", "1429072", "1429092",
]


@pytest.fixture(scope="module")
def observations() -> pl.DataFrame:
    directory = Path(settings.RAZEM_DATA_DIR) / "bdl" / "exports"
    if not directory.is_dir():
        pytest.skip(f"data pack not found at {directory} (set RAZEM_DATA_DIR)")
    tables = [
        parse_bdl_csv(path.read_bytes(), dataset=default_dataset(path.name))
        for path in sorted(directory.glob("*.csv"))
    ]
    return compute.observations_from_tables(tables)


@pytest.fixture(scope="module")
def values(observations: pl.DataFrame) -> pl.DataFrame:
    return compute.indicator_values(observations, load_catalogue())


def test_losice_population_2019(values):
    row = values.filter(
        (pl.col("teryt") == "1410023") & (pl.col("year") == 2019)
        & (pl.col("indicator") == "population")
    )
    assert row["value"].item() == 10787


def test_partnership_population_is_the_sum_of_its_15_gminas(values):
    population = values.filter((pl.col("indicator") == "population") & (pl.col("year") == 2019))
    by_unit = dict(population.select("teryt", "value").rows())
    groups = pl.DataFrame({"teryt": PARTNERSHIP, "group": ["razem"] * len(PARTNERSHIP)})
    row = compute.aggregate(values, groups).filter(
        (pl.col("indicator") == "population") & (pl.col("year") == 2019)).row(0, named=True)
    assert row["value"] == sum(by_unit[teryt] for teryt in PARTNERSHIP)
    assert (row["units_with_data"], row["units_total"]) == (15, 15)


def test_partnership_revenue_per_resident_is_weighted_by_population(values):
    year = values.filter(pl.col("year") == 2019)
    revenue = dict(year.filter(pl.col("indicator") == "revenue_per_capita")
                   .select("teryt", "value").rows())
    people = dict(year.filter(pl.col("indicator") == "population").select("teryt", "value").rows())
    expected = sum(revenue[t] * people[t] for t in PARTNERSHIP) / sum(
        people[t] for t in PARTNERSHIP)
    groups = pl.DataFrame({"teryt": PARTNERSHIP, "group": ["razem"] * len(PARTNERSHIP)})
    row = compute.aggregate(values, groups).filter(
        (pl.col("indicator") == "revenue_per_capita") & (pl.col("year") == 2019)).row(
        0, named=True)
    assert row["value"] == pytest.approx(expected)


def test_every_gmina_of_2019_gets_a_comparison_group(values):
    groups = compute.comparison_groups(compute.units_for_groups(values, 2019))
    assert len(groups) == 2477
    assert set(groups["group"]) == set(compute.comparison_group_ids())
    assert dict(groups.rows())["1410023"] == "urban-rural:10-20k"


def test_every_indicator_has_values_in_some_year(values):
    with_data = values.filter(pl.col("value").is_not_null())["indicator"].unique().to_list()
    assert set(with_data) == set(load_catalogue().codes)


def test_synthetic_measures_score_nearly_every_gmina_in_2019(values):
    measures = compute.synthetic_measures(values, load_catalogue(), 2019)
    for dimension, frame in measures.group_by("dimension"):
        assert frame["hellwig"].drop_nulls().len() >= 2400, dimension
        assert frame["indicators"].first() >= 3, dimension


def test_whole_portrait_computes_quickly(observations):
    # The budget is 2 s for all 2,477 gminas and 4 years; CI machines vary, so the
    # test only guards against an order-of-magnitude regression.
    assert compute.benchmark_compute(observations) < 10
