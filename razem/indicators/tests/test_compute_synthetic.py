"""Synthetic measures: Hellwig's taxonomic measure and the standardised sum.

The hand-worked example (4 units, 3 indicators, one destimulant, one gap):

         x1 (stimulant)  x2 (destimulant)  x3 (stimulant)
    A        8.6              4.8              0
    B        9.8              6.4              2
    C       10.2              3.6              4
    D       11.4              5.2              —   (missing)

Missing values: x3 lacks 1 of 4 units = 25%, not more than the 25% limit, so it
stays; D lacks 1 of 3 indicators, not more than half, so D is scored, its x3
filled with the median of A, B, C = 2.

Standardisation, z = (x − mean) / sd with the population sd:
    x1: mean 10, deviations −1.4, −0.2, 0.2, 1.4, sd = sqrt((1.96+0.04+0.04+1.96)/4) = 1
        z = −1.4, −0.2, 0.2, 1.4
    x2: mean 5, deviations −0.2, 1.4, −1.4, 0.2, sd = 1
        z = −0.2, 1.4, −1.4, 0.2
    x3: values 0, 2, 4, 2: mean 2, deviations −2, 0, 2, 0, sd = sqrt(8/4) = √2
        z = −√2, 0, √2, 0

Pattern of development: max z of stimulants, min z of the destimulant:
    z0 = (1.4, −1.4, √2)

Squared distances to the pattern:
    A: (−2.8)² + (1.2)² + (−2√2)² = 7.84 + 1.44 + 8 = 17.28
    B: (−1.6)² + (2.8)² + (−√2)²  = 2.56 + 7.84 + 2 = 12.40
    C: (−1.2)² + 0      + 0       = 1.44
    D: 0       + (1.6)² + (−√2)²  = 2.56 + 2    = 4.56
    c = √17.28, √12.40, 1.2, √4.56 = 4.156922, 3.521363, 1.2, 2.135416

c0 = mean(c) + 2·sd(c) = 2.753425 + 2 × 1.157000 = 5.067426
d = 1 − c / c0 = 0.179678, 0.305098, 0.763193, 0.578600   (C best, then D, B, A)

Standardised sum (destimulant z negated, mean over the 3 indicators):
    A: (−1.4 + 0.2 − √2) / 3 = −0.871405
    B: (−0.2 − 1.4 + 0) / 3  = −0.533333
    C: (0.2 + 1.4 + √2) / 3  =  1.004738
    D: (1.4 − 0.2 + 0) / 3   =  0.4
rescaled to 0–1 with min A and max C: 0, 0.180194, 1, 0.677670
"""

from __future__ import annotations

import math

import polars as pl
import pytest

from razem.indicators import compute
from razem.indicators.catalogue import load_catalogue

POLARITY = {"x1": 1, "x2": -1, "x3": 1}


def example() -> pl.DataFrame:
    return pl.DataFrame({
        "teryt": ["A", "B", "C", "D"],
        "x1": [8.6, 9.8, 10.2, 11.4],
        "x2": [4.8, 6.4, 3.6, 5.2],
        "x3": [0.0, 2.0, 4.0, None],
    })


def scores(frame: pl.DataFrame, column: str) -> dict[str, float | None]:
    return dict(frame.select("teryt", column).rows())


def test_hellwig_matches_the_hand_worked_example():
    result = scores(compute.hellwig(example(), POLARITY), "hellwig")
    c = [math.sqrt(17.28), math.sqrt(12.40), 1.2, math.sqrt(4.56)]
    mean = sum(c) / 4
    c0 = mean + 2 * math.sqrt(sum((x - mean) ** 2 for x in c) / 4)
    expected = {unit: 1 - ci / c0 for unit, ci in zip("ABCD", c, strict=True)}
    assert result == pytest.approx(expected)
    assert result == pytest.approx(
        {"A": 0.179678, "B": 0.305098, "C": 0.763193, "D": 0.578600}, abs=1e-6)


def test_hellwig_orders_units_from_the_pattern():
    result = compute.hellwig(example(), POLARITY).sort("hellwig", descending=True)
    assert result["teryt"].to_list() == ["C", "D", "B", "A"]


def test_standardised_sum_matches_the_hand_worked_example():
    raw = scores(compute.standardised_sum(example(), POLARITY, rescale=False), "standardised_sum")
    assert raw == pytest.approx({
        "A": (-1.4 + 0.2 - math.sqrt(2)) / 3, "B": -1.6 / 3,
        "C": (1.6 + math.sqrt(2)) / 3, "D": 0.4,
    })


def test_standardised_sum_rescales_to_zero_one():
    result = scores(compute.standardised_sum(example(), POLARITY), "standardised_sum")
    assert result == pytest.approx({"A": 0, "B": 0.180194, "C": 1, "D": 0.677670}, abs=1e-6)


def test_flipping_a_destimulant_into_a_stimulant_gives_the_same_scores():
    flipped = example().with_columns(-pl.col("x2"))
    polarity = {"x1": 1, "x2": 1, "x3": 1}
    assert scores(compute.hellwig(flipped, polarity), "hellwig") == pytest.approx(
        scores(compute.hellwig(example(), POLARITY), "hellwig"))


def test_indicator_missing_for_more_than_a_quarter_of_units_is_left_out():
    with_sparse = example().with_columns(pl.Series("x4", [1.0, None, None, 7.0]))
    polarity = {**POLARITY, "x4": 1}
    assert scores(compute.hellwig(with_sparse, polarity), "hellwig") == pytest.approx(
        scores(compute.hellwig(example(), POLARITY), "hellwig"))


def test_unit_missing_more_than_half_of_the_indicators_gets_no_score():
    extra = pl.DataFrame({"teryt": ["E"], "x1": [100.0], "x2": [None], "x3": [None]})
    # x2 and x3 now lack 1 and 2 of 5 units: 20% and 40%; raise the limit so x3 stays.
    result = compute.hellwig(pl.concat([example(), extra]), POLARITY, max_missing_share=0.4)
    measures = scores(result, "hellwig")
    assert measures["E"] is None
    # E's extreme x1 does not move the pattern: the others score as without E.
    assert {k: v for k, v in measures.items() if k != "E"} == pytest.approx(
        scores(compute.hellwig(example(), POLARITY), "hellwig"))


def test_constant_indicator_is_left_out():
    constant = example().with_columns(pl.lit(3.0).alias("x4"))
    polarity = {**POLARITY, "x4": -1}
    assert scores(compute.hellwig(constant, polarity), "hellwig") == pytest.approx(
        scores(compute.hellwig(example(), POLARITY), "hellwig"))


def test_winsorising_stops_one_outlier_from_being_the_whole_pattern():
    # 99 ordinary units 1..99 and one 100 times larger.
    matrix = pl.DataFrame({"teryt": [str(i) for i in range(100)],
                           "x": [float(i) for i in range(1, 100)] + [10_000.0],
                           "y": [float(i % 7) for i in range(100)]})
    polarity = {"x": 1, "y": 1}
    classic = scores(compute.hellwig(matrix, polarity), "hellwig")
    clipped = scores(compute.hellwig(matrix, polarity, winsorise=0.01), "hellwig")
    ordinary = [str(i) for i in range(99)]

    def spread(measures: dict[str, float | None]) -> float:
        return max(measures[k] for k in ordinary) - min(measures[k] for k in ordinary)

    assert spread(clipped) > 2 * spread(classic)


def test_winsorising_clips_to_the_quantiles():
    prepared, _ = compute.prepare_matrix(example(), ["x1"], winsorise=0.25)
    # x1 = 8.6, 9.8, 10.2, 11.4: quartiles 9.5 and 10.5 by linear interpolation.
    assert prepared["x1"].to_list() == pytest.approx([9.5, 9.8, 10.2, 10.5])


def test_no_usable_indicator_gives_no_scores():
    empty = example().with_columns(pl.lit(None, dtype=pl.Float64).alias("x1")).select("teryt", "x1")
    result = compute.hellwig(empty, {"x1": 1})
    assert result["hellwig"].to_list() == [None] * 4


def test_prepare_matrix_states_what_it_kept():
    prepared, kept = compute.prepare_matrix(example(), ["x1", "x2", "x3"])
    assert kept == ["x1", "x2", "x3"]
    assert prepared.filter(pl.col("teryt") == "D")["x3"].item() == 2.0


# --- synthetic_measures over indicator values ---------------------------------------------------


def values_for(matrix: pl.DataFrame, year: int = 2019) -> pl.DataFrame:
    return matrix.unpivot(index="teryt", variable_name="indicator").with_columns(
        pl.lit(year).alias("year"))


def test_synthetic_measures_per_dimension_and_overall():
    catalogue = load_catalogue()
    renamed = example().rename({
        "x1": "revenue_per_capita", "x2": "unemployment_rate", "x3": "water_supply_share"})
    result = compute.synthetic_measures(values_for(renamed), catalogue, 2019, winsorise=None)
    assert set(result["dimension"]) == {"social", "economic", "environmental_spatial", "overall"}
    economic = result.filter(pl.col("dimension") == "economic")
    # Two economic indicators, same direction as x1 and x2 of the example.
    assert economic["indicators"].unique().to_list() == [2]
    expected = compute.hellwig(example().select("teryt", "x1", "x2"), {"x1": 1, "x2": -1})
    assert scores(economic, "hellwig") == pytest.approx(scores(expected, "hellwig"))
    overall = result.filter(pl.col("dimension") == "overall")
    assert scores(overall, "hellwig") == pytest.approx(
        scores(compute.hellwig(example(), POLARITY), "hellwig"))
    # No social indicator given: no social score, not a made-up one.
    assert result.filter(pl.col("dimension") == "social")["hellwig"].null_count() == 4


def test_synthetic_measures_ignore_descriptive_indicators():
    catalogue = load_catalogue()
    assert not catalogue.get("population").synthetic
    frame = example().rename({"x1": "revenue_per_capita", "x2": "unemployment_rate"}).with_columns(
        pl.Series("population", [1.0, 2.0, 3.0, 4.0])).drop("x3")
    result = compute.synthetic_measures(values_for(frame), catalogue, 2019)
    assert result.filter(pl.col("dimension") == "overall")["indicators"].unique().to_list() == [2]


def test_synthetic_measures_are_relative_to_the_units_given():
    catalogue = load_catalogue()
    renamed = example().rename({"x1": "revenue_per_capita", "x2": "unemployment_rate"})
    result = compute.synthetic_measures(values_for(renamed), catalogue, 2019, units=["A", "B", "C"])
    assert set(result["teryt"]) == {"A", "B", "C"}


def test_synthetic_scores_can_be_positioned_like_indicators():
    catalogue = load_catalogue()
    renamed = example().rename({"x1": "revenue_per_capita", "x2": "unemployment_rate"})
    measures = compute.synthetic_measures(values_for(renamed), catalogue, 2019)
    as_values = compute.synthetic_as_values(measures, 2019)
    groups = pl.DataFrame({"teryt": list("ABCD"), "group": ["g"] * 4})
    ranks = compute.positions(as_values, groups, 2019, catalogue).filter(
        pl.col("indicator") == "hellwig_economic")
    # Economic pattern (z1 max, z2 min) = (1.4, −1.4): C is nearest (distance² 1.44).
    assert ranks.sort("rank")["teryt"].to_list()[0] == "C"
