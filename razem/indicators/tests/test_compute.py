"""Indicator computation on small hand-made frames."""

from __future__ import annotations

import math
from decimal import Decimal

import polars as pl
import pytest

from razem.indicators import compute
from razem.indicators.catalogue import parse_catalogue

CATALOGUE = parse_catalogue("""
[aliases.population]
codes = ["ludnosc|ogółem|osoba"]
[aliases.revenue_pc]
codes = ["dochody|ogółem|zł"]
zero_is_missing = true
[aliases.families]
codes = ["rodziny_18|rodziny|-", "rodziny_19|rodziny w okresie I-VI|-"]

[[indicators]]
code = "population"
name_pl = "Ludność"
name_en = "Population"
numerator = "population"
polarity = 1
dimension = "social"
unit_pl = "osoby"
unit_en = "persons"
description_pl = "x"
description_en = "x"

[[indicators]]
code = "population_change"
name_pl = "Zmiana"
name_en = "Change"
numerator = "population - population@base"
denominator = "population@base"
scale = 100
polarity = 1
dimension = "social"
unit_pl = "%"
unit_en = "%"
description_pl = "x"
description_en = "x"

[[indicators]]
code = "population_change_yoy"
name_pl = "Zmiana r/r"
name_en = "Change y/y"
numerator = "population - population@-1"
denominator = "population@-1"
scale = 100
polarity = 1
dimension = "social"
unit_pl = "%"
unit_en = "%"
description_pl = "x"
description_en = "x"

[[indicators]]
code = "revenue_per_capita"
name_pl = "Dochody na mieszkańca"
name_en = "Revenue per resident"
numerator = "revenue_pc * population"
denominator = "population"
polarity = 1
dimension = "economic"
unit_pl = "zł"
unit_en = "PLN"
description_pl = "x"
description_en = "x"

[[indicators]]
code = "families_per_1000"
name_pl = "Rodziny na 1000"
name_en = "Families per 1000"
numerator = "families"
denominator = "population"
scale = 1000
polarity = -1
dimension = "social"
unit_pl = "‰"
unit_en = "‰"
description_pl = "x"
description_en = "x"
""")


def obs(*rows: tuple[str, str, int, float | None]) -> pl.DataFrame:
    return compute.observations_frame(rows)


def value_of(values: pl.DataFrame, teryt: str, year: int, indicator: str) -> float | None:
    return values.filter(
        (pl.col("teryt") == teryt) & (pl.col("year") == year) & (pl.col("indicator") == indicator)
    )["value"].item()


# --- observations and aliases ---------------------------------------------------------------


def test_observations_frame_reads_tuples_with_decimals_and_gaps():
    frame = compute.observations_frame([
        ("1410023", "ludnosc|ogółem|osoba", 2019, Decimal("10787.5")),
        ("1410012", "ludnosc|ogółem|osoba", 2019, None),
    ])
    assert frame.schema == pl.Schema(compute.OBSERVATION_SCHEMA)
    assert frame["value"].to_list() == [10787.5, None]


def test_observations_frame_reads_mappings():
    frame = compute.observations_frame(
        [{"teryt": "1410023", "variable": "v", "year": "2019", "value": 1.5}]
    )
    assert frame.row(0) == ("1410023", "v", 2019, 1.5)


def test_alias_takes_the_first_code_with_a_value_per_unit_and_year():
    frame = compute.alias_frame(obs(
        ("1", "rodziny_18|rodziny|-", 2018, 10.0),
        ("1", "rodziny_19|rodziny w okresie I-VI|-", 2019, 12.0),
        ("2", "rodziny_18|rodziny|-", 2019, None),
        ("2", "rodziny_19|rodziny w okresie I-VI|-", 2019, 7.0),
    ), CATALOGUE)
    assert frame.select("teryt", "year", "families").rows() == [
        ("1", 2018, 10.0), ("1", 2019, 12.0), ("2", 2019, 7.0),
    ]


def test_zero_counts_as_missing_where_the_catalogue_says_so():
    frame = compute.alias_frame(obs(
        ("1", "dochody|ogółem|zł", 2019, 0.0),
        ("1", "ludnosc|ogółem|osoba", 2019, 0.0),
    ), CATALOGUE)
    assert frame.select("revenue_pc", "population").row(0) == (None, 0.0)


def test_alias_frame_has_a_column_for_every_alias_even_without_data():
    frame = compute.alias_frame(obs(("1", "ludnosc|ogółem|osoba", 2019, 5.0)), CATALOGUE)
    assert frame.columns == ["teryt", "year", "population", "revenue_pc", "families"]
    assert frame["revenue_pc"].to_list() == [None]


# --- indicator values -----------------------------------------------------------------------


def population_series() -> pl.DataFrame:
    return obs(
        ("1", "ludnosc|ogółem|osoba", 2016, 1000.0),
        ("1", "ludnosc|ogółem|osoba", 2017, 990.0),
        ("1", "ludnosc|ogółem|osoba", 2019, 950.0),
    )


def test_change_since_base_year_uses_the_first_year_of_the_period():
    values = compute.indicator_values(population_series(), CATALOGUE)
    assert value_of(values, "1", 2016, "population_change") == 0
    assert value_of(values, "1", 2019, "population_change") == pytest.approx(-5.0)


def test_previous_year_reference_is_the_calendar_year_before():
    values = compute.indicator_values(population_series(), CATALOGUE)
    assert value_of(values, "1", 2017, "population_change_yoy") == pytest.approx(-1.0)
    # 2018 is missing, so 2019 has no previous year rather than comparing with 2017.
    assert value_of(values, "1", 2019, "population_change_yoy") is None


def test_explicit_base_year_starts_the_period_there():
    values = compute.indicator_values(population_series(), CATALOGUE, base_year=2017)
    assert values["year"].min() == 2017
    assert value_of(values, "1", 2019, "population_change") == pytest.approx(-40 / 990 * 100)
    # The year before the period still serves @-1.
    assert value_of(values, "1", 2017, "population_change_yoy") == pytest.approx(-1.0)


def test_value_is_numerator_over_denominator_times_scale():
    values = compute.indicator_values(obs(
        ("1", "ludnosc|ogółem|osoba", 2019, 2000.0),
        ("1", "rodziny_18|rodziny|-", 2019, 150.0),
    ), CATALOGUE)
    row = values.filter(pl.col("indicator") == "families_per_1000").row(0, named=True)
    assert (row["numerator"], row["denominator"], row["scale"], row["value"]) == (
        150.0, 2000.0, 1000.0, 75.0)
    assert row["ratio"] is True


def test_count_indicator_has_no_denominator():
    values = compute.indicator_values(population_series(), CATALOGUE)
    row = values.filter(pl.col("indicator") == "population").row(0, named=True)
    assert row["denominator"] is None and row["ratio"] is False and row["value"] == 1000


def test_division_by_zero_gives_no_value():
    values = compute.indicator_values(obs(
        ("1", "ludnosc|ogółem|osoba", 2019, 0.0),
        ("1", "rodziny_18|rodziny|-", 2019, 5.0),
    ), CATALOGUE)
    assert value_of(values, "1", 2019, "families_per_1000") is None


def test_units_argument_restricts_the_units_computed():
    values = compute.indicator_values(obs(
        ("1", "ludnosc|ogółem|osoba", 2019, 10.0),
        ("2", "ludnosc|ogółem|osoba", 2019, 20.0),
    ), CATALOGUE, units=["2"])
    assert set(values["teryt"]) == {"2"}


def test_values_frame_has_the_documented_columns():
    values = compute.indicator_values(population_series(), CATALOGUE)
    assert values.schema == pl.Schema(compute.VALUES_SCHEMA)
    assert len(values) == 3 * len(CATALOGUE.indicators)


# --- aggregation ------------------------------------------------------------------------------


def two_gminas() -> pl.DataFrame:
    # A small gmina with high revenue per resident and a large one with low.
    return compute.indicator_values(obs(
        ("small", "ludnosc|ogółem|osoba", 2019, 1000.0),
        ("small", "dochody|ogółem|zł", 2019, 5000.0),
        ("large", "ludnosc|ogółem|osoba", 2019, 9000.0),
        ("large", "dochody|ogółem|zł", 2019, 3000.0),
    ), CATALOGUE)


def test_aggregate_of_a_rate_is_the_ratio_of_sums_not_the_mean_of_ratios():
    groups = pl.DataFrame({"teryt": ["small", "large"], "group": ["p", "p"]})
    result = compute.aggregate(two_gminas(), groups)
    revenue = result.filter(pl.col("indicator") == "revenue_per_capita").row(0, named=True)
    # (1000 × 5000 + 9000 × 3000) / (1000 + 9000) = 32,000,000 / 10,000 = 3200, not 4000.
    assert revenue["value"] == pytest.approx(3200)
    assert revenue["numerator"] == pytest.approx(32_000_000)
    assert revenue["denominator"] == pytest.approx(10_000)


def test_aggregate_of_a_count_is_the_sum():
    groups = pl.DataFrame({"teryt": ["small", "large"], "group": ["p", "p"]})
    result = compute.aggregate(two_gminas(), groups)
    population = result.filter(pl.col("indicator") == "population").row(0, named=True)
    assert population["value"] == 10_000
    assert population["denominator"] is None


def test_aggregate_reports_how_many_units_have_data():
    values = two_gminas()
    groups = pl.DataFrame({"teryt": ["small", "large", "absent"], "group": ["p", "p", "p"]})
    row = compute.aggregate(values, groups).filter(pl.col("indicator") == "population").row(
        0, named=True)
    assert (row["units_with_data"], row["units_total"]) == (2, 3)


def test_a_unit_may_count_in_several_groups():
    groups = pl.DataFrame({"teryt": ["small", "large", "small"], "group": ["p", "p", "s"]})
    result = compute.aggregate(two_gminas(), groups).filter(
        pl.col("indicator") == "revenue_per_capita")
    assert dict(result.select("group", "value").rows()) == pytest.approx({"p": 3200, "s": 5000})


# --- comparison groups ------------------------------------------------------------------------


def test_comparison_groups_cross_type_and_population_class():
    units = pl.DataFrame({
        "teryt": ["a", "b", "c", "d", "e", "f", "g"],
        "gmina_type": ["rural", "rural", "urban", "urban", "urban-rural", "2", "rural"],
        "population": [4999, 5000, 9999, 150_000, 20_000, 25_000, None],
    })
    groups = dict(compute.comparison_groups(units).rows())
    assert groups == {
        "a": "rural:0-5k", "b": "rural:5-10k", "c": "urban:0-10k", "d": "urban:100k-plus",
        "e": "urban-rural:20k-plus", "f": "rural:20k-plus",
    }


def test_every_group_id_has_labels_in_both_languages():
    ids = compute.comparison_group_ids()
    assert len(ids) == 13
    assert compute.group_label("rural:5-10k") == "gminy wiejskie, 5–10 tys. mieszkańców"
    assert compute.group_label("rural:5-10k", "en") == "rural gminas, 5–10 thousand residents"
    assert compute.group_label("urban:0-10k") == "gminy miejskie, poniżej 10 tys. mieszkańców"
    assert compute.group_label("urban:100k-plus", "en") == (
        "urban gminas, 100 thousand residents or more")
    for group_id in ids:
        assert compute.group_label(group_id, "pl") and compute.group_label(group_id, "en")


def test_unknown_group_label_raises_key_error():
    with pytest.raises(KeyError):
        compute.group_label("rural:1-2k")


def test_gmina_type_comes_from_the_last_teryt_digit():
    assert compute.gmina_type_from_teryt("1410023") == "urban-rural"
    assert compute.gmina_type_from_teryt("1410012") == "rural"
    assert compute.gmina_type_from_teryt("1465011") == "urban"
    assert compute.gmina_type_from_teryt("1410") is None


# --- positions ----------------------------------------------------------------------------------


def group_values() -> pl.DataFrame:
    rows = []
    for teryt, good, bad in [("a", 10.0, 10.0), ("b", 20.0, 20.0), ("c", 30.0, 30.0),
                             ("d", 40.0, 40.0), ("e", None, None)]:
        rows.append((teryt, 2019, "good", good))
        rows.append((teryt, 2019, "bad", bad))
    return pl.DataFrame(rows, schema=["teryt", "year", "indicator", "value"], orient="row")


GROUP = pl.DataFrame({"teryt": list("abcde"), "group": ["g"] * 5})
POLARITY = {"good": 1, "bad": -1}


def test_rank_one_is_the_highest_value_of_a_stimulant():
    result = compute.positions(group_values(), GROUP, 2019, polarity=POLARITY)
    ranks = dict(result.filter(pl.col("indicator") == "good").select("teryt", "rank").rows())
    assert ranks == {"a": 4, "b": 3, "c": 2, "d": 1, "e": None}


def test_rank_one_is_the_lowest_value_of_a_destimulant():
    result = compute.positions(group_values(), GROUP, 2019, polarity=POLARITY)
    ranks = dict(result.filter(pl.col("indicator") == "bad").select("teryt", "rank").rows())
    assert ranks == {"a": 1, "b": 2, "c": 3, "d": 4, "e": None}


def test_percentile_is_100_for_the_best_and_0_for_the_worst_whatever_the_polarity():
    result = compute.positions(group_values(), GROUP, 2019, polarity=POLARITY)
    good = dict(result.filter(pl.col("indicator") == "good").select("teryt", "percentile").rows())
    bad = dict(result.filter(pl.col("indicator") == "bad").select("teryt", "percentile").rows())
    assert good["d"] == 100 and good["a"] == 0 and good["b"] == pytest.approx(100 / 3)
    assert bad["a"] == 100 and bad["d"] == 0


def test_z_score_keeps_the_direction_of_the_value():
    result = compute.positions(group_values(), GROUP, 2019, polarity=POLARITY)
    bad = dict(result.filter(pl.col("indicator") == "bad").select("teryt", "z_score").rows())
    # mean 25, population sd = sqrt((225 + 25 + 25 + 225) / 4) = sqrt(125)
    assert bad["d"] == pytest.approx(15 / math.sqrt(125))
    assert bad["e"] is None


def test_group_statistics_count_only_units_with_a_value():
    result = compute.positions(group_values(), GROUP, 2019, polarity=POLARITY)
    row = result.filter((pl.col("indicator") == "good") & (pl.col("teryt") == "a")).row(
        0, named=True)
    assert row["group_size"] == 4
    assert (row["group_q1"], row["group_median"], row["group_q3"]) == (17.5, 25.0, 32.5)


def test_tied_units_share_the_best_rank_and_a_middle_percentile():
    values = pl.DataFrame({"teryt": list("abc"), "year": [2019] * 3,
                           "indicator": ["good"] * 3, "value": [5.0, 5.0, 1.0]})
    groups = pl.DataFrame({"teryt": list("abc"), "group": ["g"] * 3})
    result = compute.positions(values, groups, 2019, polarity=POLARITY)
    rows = {t: (r, p) for t, r, p in result.select("teryt", "rank", "percentile").rows()}
    assert rows == {"a": (1, 75.0), "b": (1, 75.0), "c": (3, 0.0)}


def test_group_summary_gives_size_median_and_quartiles():
    summary = compute.group_summary(group_values(), GROUP, 2019)
    row = summary.filter(pl.col("indicator") == "good").row(0, named=True)
    assert (row["size"], row["median"], row["q1"], row["q3"]) == (4, 25.0, 17.5, 32.5)


# --- change ---------------------------------------------------------------------------------------


def test_change_gives_absolute_and_relative_difference():
    values = compute.indicator_values(population_series(), CATALOGUE)
    result = compute.change(values, 2016, 2019).filter(pl.col("indicator") == "population")
    row = result.row(0, named=True)
    assert (row["value_from"], row["value_to"], row["change_abs"]) == (1000, 950, -50)
    assert row["change_rel"] == pytest.approx(-5.0)


def test_relative_change_from_zero_is_undefined():
    values = compute.indicator_values(population_series(), CATALOGUE)
    row = compute.change(values, 2016, 2019).filter(
        pl.col("indicator") == "population_change").row(0, named=True)
    assert row["value_from"] == 0 and row["change_rel"] is None


def test_change_works_on_aggregates():
    groups = pl.DataFrame({"teryt": ["1"], "group": ["p"]})
    aggregated = compute.aggregate(compute.indicator_values(population_series(), CATALOGUE), groups)
    row = compute.change(aggregated, 2016, 2019, key="group").filter(
        pl.col("indicator") == "population").row(0, named=True)
    assert row["change_abs"] == -50


@pytest.mark.django_db
def test_observations_frame_reads_the_documented_orm_query():
    from razem.indicators.models import Observation, Source, Variable
    from razem.territory.models import Unit, UnitKind

    unit = Unit.objects.create(teryt="1410023", kind=UnitKind.GMINA, name="Łosice")
    variable = Variable.objects.create(code="ludnosc|ogółem|osoba", source=Source.BDL_CSV,
                                       name="ludność")
    Observation.objects.create(unit=unit, variable=variable, year=2019,
                               value=Decimal("10787.0000"), source=Source.BDL_CSV)
    frame = compute.observations_frame(
        Observation.objects.values_list("unit__teryt", "variable__code", "year", "value"))
    values = compute.indicator_values(frame, CATALOGUE)
    assert value_of(values, "1410023", 2019, "population") == 10787
