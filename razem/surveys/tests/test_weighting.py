"""Raking, trimming, effective sample size on hand-worked examples."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from razem.surveys.weighting import (
    Margin,
    WeightingError,
    design_effect,
    effective_sample_size,
    margins_by_gmina,
    rake,
)

# Ten respondents: men young 2, men old 3, women young 4, women old 1.
SEX = ["M"] * 5 + ["K"] * 5
AGE = ["y", "y", "o", "o", "o", "y", "y", "y", "y", "o"]
SAMPLE = pl.DataFrame({"response_id": range(10), "sex": SEX, "age_group": AGE})
SEX_MARGIN = Margin(("sex",), pl.DataFrame({"sex": ["M", "K"], "target": [50, 50]}))
AGE_MARGIN = Margin(("age_group",), pl.DataFrame({"age_group": ["y", "o"], "target": [40, 60]}))

# Worked by hand: IPF keeps the sample's odds ratio (2·1)/(3·4) = 1/6 and meets the
# margins. With a = men young, the table is [[a, 50−a], [40−a, 10+a]], and
# a(10+a) / ((50−a)(40−a)) = 1/6 gives a² + 30a − 400 = 0, a = 10: cells
# 10, 40, 30, 20; weights per respondent 10/2, 40/3, 30/4, 20/1.
EXPECTED = [5, 5, 40 / 3, 40 / 3, 40 / 3, 7.5, 7.5, 7.5, 7.5, 20]


def weighted_totals(frame: pl.DataFrame, column: str) -> dict[str, float]:
    totals = frame.group_by(column).agg(pl.col("weight").sum())
    return dict(totals.iter_rows())


def test_raking_meets_the_population_margins() -> None:
    raked = rake(SAMPLE, [SEX_MARGIN, AGE_MARGIN], tolerance=1e-13).respondents
    assert weighted_totals(raked, "sex") == pytest.approx({"M": 50, "K": 50}, abs=1e-9)
    assert weighted_totals(raked, "age_group") == pytest.approx({"y": 40, "o": 60}, abs=1e-9)


def test_raking_gives_the_hand_worked_ipf_weights() -> None:
    result = rake(SAMPLE, [SEX_MARGIN, AGE_MARGIN], tolerance=1e-13)
    assert result.weights.to_list() == pytest.approx(EXPECTED, abs=1e-9)


def test_raking_reports_convergence() -> None:
    result = rake(SAMPLE, [SEX_MARGIN, AGE_MARGIN], tolerance=1e-13)
    assert result.converged
    assert 1 < result.iterations < 200
    assert result.max_relative_error <= 1e-13


def test_effective_sample_size_of_the_worked_weights_is_240_over_29() -> None:
    # (Σw)² / Σw² = 100² / (2·25 + 3·1600/9 + 4·56.25 + 400) = 10000 / (3625/3)
    assert effective_sample_size(EXPECTED) == pytest.approx(240 / 29, rel=1e-12)


def test_design_effect_is_n_over_effective_sample_size() -> None:
    assert design_effect(EXPECTED) == pytest.approx(10 / (240 / 29), rel=1e-12)


def test_equal_weights_lose_nothing() -> None:
    assert effective_sample_size([2.0] * 8) == pytest.approx(8)
    assert design_effect([2.0] * 8) == pytest.approx(1)


def test_each_gmina_is_raked_to_its_own_margins() -> None:
    sample = pl.concat(
        [SAMPLE.with_columns(gmina=pl.lit("0201011")), SAMPLE.with_columns(gmina=pl.lit("0201022"))]
    ).with_columns(response_id=pl.int_range(20))
    population = pl.DataFrame(
        {
            "gmina": ["0201011"] * 4 + ["0201022"] * 4,
            "sex": ["M", "M", "K", "K"] * 2,
            "age_group": ["y", "o", "y", "o"] * 2,
            # Gmina 1 has the worked example's margins; gmina 2 twice the first's.
            "target": [10, 40, 30, 20, 20, 80, 60, 40],
        }
    )
    result = rake(sample, margins_by_gmina(population), tolerance=1e-13)
    assert result.weights.to_list() == pytest.approx(EXPECTED + [2 * w for w in EXPECTED], abs=1e-9)


def test_trimming_caps_weights_at_a_multiple_of_the_mean() -> None:
    # The untrimmed woman old weighs 20, twice the mean 10; a cap of 1.8 × mean
    # forces another solution of the same margins: 4, 14, 8, 18.
    result = rake(SAMPLE, [SEX_MARGIN, AGE_MARGIN], cap=1.8, tolerance=1e-9, max_iterations=5000)
    assert result.converged
    assert result.weights.max() <= 1.8 * result.weights.mean() * (1 + 1e-9)
    assert weighted_totals(result.respondents, "sex") == pytest.approx({"M": 50, "K": 50}, rel=1e-8)


def test_trimming_lowers_the_design_effect() -> None:
    plain = rake(SAMPLE, [SEX_MARGIN, AGE_MARGIN])
    trimmed = rake(SAMPLE, [SEX_MARGIN, AGE_MARGIN], cap=1.8, tolerance=1e-9, max_iterations=5000)
    assert trimmed.design_effect < plain.design_effect


def test_respondents_in_a_category_with_zero_target_are_an_error() -> None:
    margin = Margin(("sex",), pl.DataFrame({"sex": ["M", "K"], "target": [50, 0]}))
    with pytest.raises(WeightingError, match="kategoria sex=K ma respondentów \\(5\\)"):
        rake(SAMPLE, [margin])


def test_respondents_in_a_category_without_a_target_are_an_error() -> None:
    margin = Margin(("sex",), pl.DataFrame({"sex": ["M"], "target": [50]}))
    with pytest.raises(WeightingError, match="liczebność docelowa jest zerowa lub jej brak"):
        rake(SAMPLE, [margin])


def test_a_target_category_without_respondents_is_an_error() -> None:
    ages = Margin(
        ("age_group",), pl.DataFrame({"age_group": ["y", "o", "65+"], "target": [40, 50, 10]})
    )
    with pytest.raises(
        WeightingError, match="kategoria age_group=65\\+ ma liczebność docelową 10, ale żadnego"
    ):
        rake(SAMPLE, [SEX_MARGIN, ages])


def test_an_empty_category_with_zero_target_is_ignored() -> None:
    ages = Margin(
        ("age_group",), pl.DataFrame({"age_group": ["y", "o", "65+"], "target": [40, 60, 0]})
    )
    assert rake(SAMPLE, [SEX_MARGIN, ages]).converged


def test_margins_with_different_totals_are_an_error() -> None:
    ages = Margin(("age_group",), pl.DataFrame({"age_group": ["y", "o"], "target": [40, 70]}))
    with pytest.raises(
        WeightingError, match="mają różne sumy dla wszystkich respondentów: 100 i 110"
    ):
        rake(SAMPLE, [SEX_MARGIN, ages])


def test_a_respondent_without_a_margin_value_is_an_error() -> None:
    sample = SAMPLE.with_columns(
        pl.when(pl.col("response_id") == 0).then(None).otherwise("sex").alias("sex")
    )
    with pytest.raises(WeightingError, match="bez wartości sex potrzebnej do ważenia: 1"):
        rake(sample, [SEX_MARGIN])


def test_non_convergence_is_an_error_naming_the_iterations() -> None:
    with pytest.raises(WeightingError, match="nie osiągnęło zbieżności po 1 iteracjach"):
        rake(SAMPLE, [SEX_MARGIN, AGE_MARGIN], max_iterations=1)


def test_non_convergence_can_be_reported_instead() -> None:
    result = rake(SAMPLE, [SEX_MARGIN, AGE_MARGIN], max_iterations=1, require_convergence=False)
    assert not result.converged
    assert result.iterations == 1
    assert result.max_relative_error > 0.01


def test_starting_weights_must_be_positive() -> None:
    sample = SAMPLE.with_columns(weight=pl.Series([0.0] + [1.0] * 9))
    with pytest.raises(WeightingError, match="niepoprawnych: 1"):
        rake(sample, [SEX_MARGIN])


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.integers(1, 6), min_size=6, max_size=6),
    population=st.lists(st.integers(1, 1000), min_size=6, max_size=6),
)
def test_raking_meets_any_margins_when_every_cell_has_respondents(
    counts: list[int], population: list[int]
) -> None:
    cells = [(s, a) for s in ("M", "K") for a in ("y", "m", "o")]
    sex = [s for (s, _a), c in zip(cells, counts, strict=True) for _ in range(c)]
    age = [a for (_s, a), c in zip(cells, counts, strict=True) for _ in range(c)]
    sample = pl.DataFrame({"response_id": range(len(sex)), "sex": sex, "age_group": age})
    table = pl.DataFrame(
        {"sex": [s for s, _ in cells], "age_group": [a for _, a in cells], "target": population}
    )
    margins = [
        Margin((column,), table.group_by(column).agg(pl.col("target").sum()))
        for column in ("sex", "age_group")
    ]
    raked = rake(sample, margins, tolerance=1e-10, max_iterations=1000).respondents
    for margin in margins:
        expected = dict(margin.targets.iter_rows())
        assert weighted_totals(raked, margin.by[0]) == pytest.approx(expected, rel=1e-9)
