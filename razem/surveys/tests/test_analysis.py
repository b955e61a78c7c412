"""Frequencies, Wilson intervals, breakdowns, suppression and coded open answers
on small hand-made frames."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from razem.surveys.analysis import (
    AnalysisError,
    Kind,
    Question,
    benchmark_analysis,
    breakdowns,
    compare_audiences,
    frequencies,
    open_answers,
    suppress,
    tag_counts,
    wilson_interval,
)

LIFE = Question("life", Kind.SINGLE, ("good", "bad"))
NEEDS = Question("needs", Kind.MULTIPLE, ("roads", "jobs", "school"))
TRUST = Question("trust", Kind.LIKERT, ("1", "2", "3", "4", "5"))

RESPONDENTS = pl.DataFrame(
    {
        "response_id": [1, 2, 3, 4],
        "audience": ["resident", "resident", "youth", "youth"],
        "gmina": ["0201011", "0201011", "0201022", "0201022"],
        "age_group": ["18-34", "35-64", "18-34", "35-64"],
        "sex": ["K", "M", "K", "M"],
        "weight": [1.0, 1.0, 1.0, 3.0],
    }
)
RESPONSES = pl.DataFrame(
    {
        "response_id": [1, 2, 3, 4, 1, 1, 2, 4, 1, 2, 3],
        "question": ["life"] * 4 + ["needs"] * 4 + ["trust"] * 3,
        "value": ["good", "good", "bad", "good", "roads", "jobs", "jobs", "jobs", "4", "4", "5"],
    }
)


def cell(table: pl.DataFrame, **where: object) -> dict[str, object]:
    rows = table.filter(*(pl.col(k) == v for k, v in where.items()))
    assert rows.height == 1, rows
    return rows.row(0, named=True)


# ---------------------------------------------------------------- Wilson


@pytest.mark.parametrize(
    ("successes", "n", "expected"),
    [(50, 100, (0.4038, 0.5962)), (0, 10, (0.0, 0.2775)), (10, 10, (0.7225, 1.0))],
)
def test_wilson_interval_matches_known_values(
    successes: int, n: int, expected: tuple[float, float]
) -> None:
    low, high = wilson_interval(successes, n)
    assert (round(low, 4), round(high, 4)) == expected


def test_table_intervals_are_wilson_in_percent() -> None:
    row = cell(frequencies(RESPONSES, RESPONDENTS, [LIFE]), choice="good")
    low, high = wilson_interval(3, 4)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low * 100, high * 100))


def test_weighted_interval_uses_the_effective_sample_size() -> None:
    row = cell(frequencies(RESPONSES, RESPONDENTS, [LIFE]), choice="good")
    n_eff = 6**2 / (1 + 1 + 1 + 9)  # weights 1, 1, 1, 3
    low, high = wilson_interval(5 / 6 * n_eff, n_eff)
    assert row["n_eff"] == pytest.approx(n_eff)
    assert (row["w_ci_low"], row["w_ci_high"]) == pytest.approx((low * 100, high * 100))


# ---------------------------------------------------------------- frequencies


def test_single_choice_counts_and_percentages() -> None:
    table = frequencies(RESPONSES, RESPONDENTS, [LIFE])
    assert table.select("choice", "n", "base", "pct").rows() == [
        ("good", 3, 4, 75.0),
        ("bad", 1, 4, 25.0),
    ]


def test_weighted_results_sit_beside_unweighted() -> None:
    row = cell(frequencies(RESPONSES, RESPONDENTS, [LIFE]), choice="good")
    assert (row["pct"], row["w_n"], row["w_base"]) == (75.0, 5.0, 6.0)
    assert row["w_pct"] == pytest.approx(500 / 6)


def test_multiple_choice_percentages_are_of_respondents_not_answers() -> None:
    table = frequencies(RESPONSES, RESPONDENTS, [NEEDS])
    # Three respondents answered; "jobs" was picked by all three, "roads" by one.
    assert table.select("choice", "n", "base").rows() == [
        ("roads", 1, 3),
        ("jobs", 3, 3),
        ("school", 0, 3),
    ]
    assert table["pct"].sum() == pytest.approx(100 * 4 / 3)


def test_multiple_choice_accepts_the_space_separated_xlsform_form() -> None:
    joined = pl.DataFrame(
        {"response_id": [1, 2, 4], "question": "needs", "value": ["roads jobs", "jobs", "jobs"]}
    )
    assert frequencies(joined, RESPONDENTS, [NEEDS]).equals(
        frequencies(RESPONSES, RESPONDENTS, [NEEDS])
    )


def test_a_repeated_option_counts_its_respondent_once() -> None:
    doubled = pl.concat([RESPONSES, RESPONSES.filter(pl.col("value") == "roads")])
    assert frequencies(doubled, RESPONDENTS, [NEEDS]).equals(
        frequencies(RESPONSES, RESPONDENTS, [NEEDS])
    )


def test_likert_lists_every_scale_point_in_order_with_zeros() -> None:
    table = frequencies(RESPONSES, RESPONDENTS, [TRUST])
    assert table.select("choice", "n").rows() == [("1", 0), ("2", 0), ("3", 0), ("4", 2), ("5", 1)]


def test_breakdown_by_gmina_has_a_base_per_gmina() -> None:
    table = frequencies(RESPONSES, RESPONDENTS, [LIFE], ["gmina"])
    assert cell(table, gmina="0201011", choice="good")["pct"] == 100.0
    assert cell(table, gmina="0201022", choice="good")["base"] == 2
    assert cell(table, gmina="0201022", choice="bad")["n"] == 1


def test_cross_tab_by_gmina_and_sex() -> None:
    table = frequencies(RESPONSES, RESPONDENTS, [LIFE], ["gmina", "sex"])
    assert table.height == 8  # 2 gminas × 2 sexes × 2 choices
    assert cell(table, gmina="0201022", sex="K", choice="bad")["n"] == 1


def test_breakdowns_give_the_whole_sample_and_each_dimension() -> None:
    tables = breakdowns(RESPONSES, RESPONDENTS, [LIFE])
    assert list(tables) == ["all", "gmina", "audience", "age_group", "sex"]
    assert cell(tables["sex"], sex="M", choice="good")["n"] == 2


def test_audience_comparison_keeps_only_questions_asked_of_several_audiences() -> None:
    youth_only = Question("school", Kind.SINGLE, ("yes", "no"))
    extra = pl.DataFrame({"response_id": [3], "question": ["school"], "value": ["yes"]})
    table = compare_audiences(pl.concat([RESPONSES, extra]), RESPONDENTS, [LIFE, youth_only])
    assert set(table["question"]) == {"life"}
    assert set(table["audience"]) == {"resident", "youth"}


def test_an_answer_outside_the_choices_is_an_error() -> None:
    forged = pl.concat(
        [RESPONSES, pl.DataFrame({"response_id": [3], "question": ["needs"], "value": ["pony"]})]
    )
    with pytest.raises(AnalysisError, match="Pytanie needs ma odpowiedź pony, której nie ma"):
        frequencies(forged, RESPONDENTS, [NEEDS])


def test_two_answers_to_a_single_choice_question_are_an_error() -> None:
    twice = pl.concat(
        [RESPONSES, pl.DataFrame({"response_id": [1], "question": ["life"], "value": ["bad"]})]
    )
    with pytest.raises(AnalysisError, match="Pytanie life jest jednokrotnego wyboru"):
        frequencies(twice, RESPONDENTS, [LIFE])


def test_a_response_without_a_respondent_is_an_error() -> None:
    with pytest.raises(AnalysisError, match="bez pasującego respondenta: 4"):
        frequencies(RESPONSES, RESPONDENTS.filter(pl.col("response_id") != 1), [LIFE, NEEDS, TRUST])


# ---------------------------------------------------------------- suppression


def crosstab(counts: dict[str, list[int]]) -> pl.DataFrame:
    """A single-choice table by gmina: counts[gmina] = counts of choices a, b, c, …"""
    rows = [
        (gmina, chr(ord("a") + i), i, n, sum(values))
        for gmina, values in counts.items()
        for i, n in enumerate(values)
    ]
    table = pl.DataFrame(rows, schema=["gmina", "choice", "order", "n", "base"], orient="row")
    return table.with_columns(question=pl.lit("q"), pct=pl.col("n") / pl.col("base") * 100)


def masked(table: pl.DataFrame) -> set[tuple[str, str]]:
    return {(g, c) for g, c in table.filter("suppressed").select("gmina", "choice").iter_rows()}


def test_small_cells_lose_counts_percentages_and_intervals() -> None:
    table = suppress(frequencies(RESPONSES, RESPONDENTS, [LIFE]))
    assert table.filter(pl.col("choice") == "bad").select(
        "n", "pct", "ci_low", "w_pct", "w_ci_high"
    ).row(0) == (
        None,
        None,
        None,
        None,
        None,
    )


def test_a_lone_small_cell_takes_the_smallest_other_cell_of_its_row_with_it() -> None:
    # Base 40 is published, so b = 40 − a − c unless a second cell is hidden too.
    table = suppress(crosstab({"g1": [20, 3, 17], "g2": [20, 10, 15]}))
    assert ("g1", "b") in masked(table)
    assert ("g1", "c") in masked(table)
    assert ("g1", "a") not in masked(table)


def test_a_lone_masked_cell_in_a_column_takes_another_gmina_with_it() -> None:
    # The whole-sample count of b is published, so g1's b = total − g2 − g3.
    table = suppress(crosstab({"g1": [20, 3, 17], "g2": [20, 10, 15], "g3": [30, 40, 30]}))
    column_b = {g for g, c in masked(table) if c == "b"}
    assert column_b == {"g1", "g2"}


def test_complementary_cells_are_never_small_so_hidden_totals_reach_the_threshold() -> None:
    original = crosstab({"g1": [20, 3, 17], "g2": [20, 10, 15]})
    hidden = original.join(
        suppress(original).filter("suppressed").select("gmina", "choice"),
        on=["gmina", "choice"],
        how="semi",
    )
    assert sorted(hidden["n"]) == [3, 10, 15, 17]


def test_a_group_under_five_respondents_is_hidden_with_another_group() -> None:
    table = suppress(crosstab({"g1": [2, 2], "g2": [10, 10], "g3": [30, 40]}))
    assert masked(table) == {("g1", "a"), ("g1", "b"), ("g2", "a"), ("g2", "b")}
    assert table.filter(pl.col("gmina").is_in(["g1", "g2"]))["base"].null_count() == 4


def test_cells_of_five_or_more_stay_visible() -> None:
    table = suppress(crosstab({"g1": [5, 6], "g2": [10, 10]}))
    assert not table["suppressed"].any()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3), min_size=2, max_size=4))
def test_no_small_cell_is_shown_and_no_line_has_a_single_masked_cell(grid: list[list[int]]) -> None:
    original = crosstab({f"g{i}": values for i, values in enumerate(grid)})
    table = suppress(original)
    visible = table.filter(~pl.col("suppressed"))
    assert visible.filter(pl.col("n") < 5).is_empty()
    for line in ("gmina", "choice"):
        lonely = (
            table.group_by(line).agg(pl.col("suppressed").sum()).filter(pl.col("suppressed") == 1)
        )
        assert lonely.is_empty(), (line, table)
    # Bases across gminas form a line too: hidden ones come at least in pairs.
    hidden_bases = table.filter(pl.col("base").is_null())["gmina"].n_unique()
    assert hidden_bases != 1


# ---------------------------------------------------------------- open answers

TEXTS = pl.DataFrame(
    {
        "response_id": [1, 2, 3, 4],
        "question": "ideas",
        "text": ["Więcej autobusów", "Ścieżka rowerowa i autobus", "  ", "Basen"],
    }
)
TAGS = pl.DataFrame(
    {
        "response_id": [1, 2, 2, 4],
        "question": "ideas",
        "tag": ["transport", "transport", "rowery", "sport"],
    }
)


def test_open_answers_are_listed_with_their_tags() -> None:
    listed = open_answers(TEXTS, TAGS)
    assert listed.select("response_id", "tags").rows() == [
        (1, ["transport"]),
        (2, ["rowery", "transport"]),
        (4, ["sport"]),
    ]


def test_tags_are_counted_per_respondent_of_the_non_empty_answers() -> None:
    counts = tag_counts(TEXTS, TAGS)
    assert counts.select("tag", "n", "base").rows() == [
        ("transport", 2, 3),
        ("rowery", 1, 3),
        ("sport", 1, 3),
    ]


def test_a_tag_on_a_missing_answer_is_an_error() -> None:
    orphan = pl.concat(
        [TAGS, pl.DataFrame({"response_id": [3], "question": "ideas", "tag": ["sport"]})]
    )
    with pytest.raises(AnalysisError, match="nieistniejących odpowiedzi: 1"):
        tag_counts(TEXTS, orphan)


# ---------------------------------------------------------------- speed


def test_benchmark_workload_runs_on_a_small_sample() -> None:
    # The timing itself is a bench figure (survey_analysis_s), never a pass/fail test.
    assert benchmark_analysis(2_000, 5) >= 0
