"""The ranking arithmetic on published worked examples, and its refusals."""

from __future__ import annotations

import json

import numpy as np
import pytest

from razem.strategy.prioritisation import (
    Criterion,
    PrioritisationError,
    Problem,
    Score,
    ahp,
    check_direct_weights,
    compute,
    sensitivity,
)

# Papathanasiou and Ploskas (2018), "TOPSIS", in Multiple Criteria Decision Aid, Springer:
# six alternatives, four benefit criteria, vector normalisation; published closeness
# coefficients 0.387, 0.327, 0.391, 0.615, 0.868, 0.493.
PP_MATRIX = [[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]]
PP_WEIGHTS = [0.4, 0.3, 0.1, 0.2]
PP_CLOSENESS = [0.387, 0.327, 0.391, 0.615, 0.868, 0.493]


def _problem(matrix, weights, *, polarity=None, runs=0, seed=2021, methods=("topsis", "vikor"),
             units=("1410023",)):
    criteria = [Criterion(code=f"c{j}", name=f"C{j}", weight=w,
                          polarity=(polarity or [1] * len(weights))[j])
                for j, w in enumerate(weights)]
    projects = [f"A{i + 1}" for i in range(len(matrix))]
    scores = [Score(unit=unit, project=projects[i], criterion=f"c{j}", value=float(v))
              for unit in units for i, row in enumerate(matrix) for j, v in enumerate(row)]
    return Problem(criteria=criteria, projects=projects, scores=scores, methods=methods,
                   sensitivity_runs=runs, seed=seed)


def test_topsis_reproduces_the_published_worked_example():
    ranking = compute(_problem(PP_MATRIX, PP_WEIGHTS))
    assert [round(p, 3) for p in ranking.preferences["topsis"]] == PP_CLOSENESS
    order = sorted(ranking.projects, key=lambda p: ranking.ranks["topsis"][ranking.projects.index(p)])
    assert order == ["A5", "A4", "A6", "A3", "A1", "A2"]


def test_vikor_ranks_the_same_example_as_a_second_method():
    ranking = compute(_problem(PP_MATRIX, PP_WEIGHTS))
    # VIKOR's Q: smaller is better; A5 is best on every criterion but the third.
    assert ranking.ranks["vikor"][ranking.projects.index("A5")] == 1
    assert sorted(ranking.ranks["vikor"]) == [1, 2, 3, 4, 5, 6]


def test_scores_of_several_units_are_averaged_per_criterion():
    matrix_a = [[2, 4], [6, 8]]
    matrix_b = [[4, 6], [8, 10]]
    problem = _problem(matrix_a, [0.5, 0.5])
    extra = [Score(unit="1410012", project=f"A{i + 1}", criterion=f"c{j}", value=float(v))
             for i, row in enumerate(matrix_b) for j, v in enumerate(row)]
    problem = Problem(criteria=problem.criteria, projects=problem.projects,
                      scores=problem.scores + extra, sensitivity_runs=0)
    assert compute(problem).matrix == [[3.0, 5.0], [7.0, 9.0]]


def test_a_cost_criterion_prefers_the_cheaper_project():
    ranking = compute(_problem([[1, 100], [1, 50]], [0.5, 0.5], polarity=[1, -1]))
    assert ranking.ranks["topsis"] == [2.0, 1.0]


def test_ahp_weights_and_consistency_ratio_of_a_worked_example():
    # The three-criterion example common to AHP textbooks: weights 0.637, 0.258, 0.105,
    # lambda_max 3.039, CR 0.033.
    result = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert [round(w, 3) for w in result.weights] == [0.637, 0.258, 0.105]
    assert round(result.lambda_max, 3) == 3.039
    assert round(result.consistency_ratio, 3) == 0.033
    assert result.consistent


def test_an_inconsistent_ahp_matrix_is_reported_and_blocks_the_ranking():
    # A > B, B > C, but C much more important than A.
    matrix = [[1, 5, 1 / 7], [1 / 5, 1, 5], [7, 1 / 5, 1]]
    assert ahp(matrix).consistency_ratio > 0.1
    problem = _problem([[1, 2, 3], [3, 2, 1]], [None, None, None])
    problem = Problem(criteria=problem.criteria, projects=problem.projects,
                      scores=problem.scores, weighting="ahp", ahp_matrix=matrix,
                      sensitivity_runs=0)
    with pytest.raises(PrioritisationError, match="0,10"):
        compute(problem)


@pytest.mark.parametrize("matrix", [
    [[1, 3], [3, 1]],  # not reciprocal
    [[2, 1], [1, 2]],  # diagonal not 1
    [[1, 11], [1 / 11, 1]],  # outside Saaty's scale
    [[1, 3, 5], [1 / 3, 1, 3]],  # not square
    [["a", 1], [1, 1]],
])
def test_malformed_ahp_matrices_are_refused_with_a_message(matrix):
    with pytest.raises(PrioritisationError):
        ahp(matrix)


@pytest.mark.parametrize("weights", [[0.5, 0.4], [0.7, 0.4], [1.2, -0.2], [0.5, None]])
def test_direct_weights_must_be_non_negative_and_sum_to_one(weights):
    with pytest.raises(PrioritisationError):
        check_direct_weights(weights)


def test_an_unscored_cell_is_named():
    problem = _problem(PP_MATRIX, PP_WEIGHTS)
    problem = Problem(criteria=problem.criteria, projects=problem.projects,
                      scores=[s for s in problem.scores
                              if not (s.project == "A2" and s.criterion == "c1")])
    with pytest.raises(PrioritisationError, match="A2"):
        compute(problem)


def test_sensitivity_is_deterministic_with_a_seed_and_moves_with_another():
    matrix = np.asarray(PP_MATRIX, dtype=float)
    weights, types = np.asarray(PP_WEIGHTS), np.ones(4)
    first = sensitivity(matrix, weights, types, runs=300, spread=0.5, seed=1)
    again = sensitivity(matrix, weights, types, runs=300, spread=0.5, seed=1)
    other = sensitivity(matrix, weights, types, runs=300, spread=0.5, seed=2)
    assert first == again
    assert first != other
    # A5 wins under every weighting near the published one; A1 (0.387) and A3 (0.391)
    # are close, so their places move.
    a5 = first[4]
    assert (a5.base_rank, a5.best, a5.worst, a5.share_same) == (1, 1, 1, 1.0)
    assert first[0].base_rank == 5 and first[0].share_same < 1 and first[0].best < 5


def test_the_exported_file_reproduces_the_ranking():
    problem = _problem(PP_MATRIX, PP_WEIGHTS, runs=200, units=("1410023", "1410012"))
    exported = problem.to_json()
    assert json.loads(exported)["format"] == "razem-ranking/1"
    again = Problem.from_json(exported)
    assert again == problem
    assert compute(again) == compute(problem)


@pytest.mark.parametrize("text", ["", "[]", '{"format": "inny"}', '{"format": "razem-ranking/1"}',
                                  b"\xff\xfe", _problem([[1, 2]], [0.5, 0.5]).to_json().replace(
                                      '"value": 1.0', '"value": "dużo"')])
def test_a_broken_ranking_file_is_refused_with_a_message(text):
    with pytest.raises(PrioritisationError):
        Problem.from_json(text)


def test_the_command_line_prints_the_ranking_of_an_exported_file(tmp_path, capsys):
    from razem.strategy.prioritisation import main

    path = tmp_path / "ranking.json"
    path.write_text(_problem(PP_MATRIX, PP_WEIGHTS, runs=50).to_json(), encoding="utf-8")
    assert main([str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("project\ttopsis_preference\ttopsis_rank")
    a5 = next(line for line in lines if line.startswith("A5\t")).split("\t")
    assert (round(float(a5[1]), 3), a5[2]) == (0.868, "1")
