"""Ranking key projects: criteria weights, aggregated scores, TOPSIS and VIKOR, and how
stable each rank is when the weights move (issue 6, prioritisation).

Pure: no ORM. A `Problem` holds everything a ranking depends on (criteria with weights or
an AHP matrix, every unit's score of every project, the methods and the seed of the
sensitivity analysis); `compute(problem)` gives the same `Ranking` from the same problem,
and `Problem.to_json()` / `Problem.from_json()` carry it in the file a coordinator
exports, so anyone can reproduce the ranking outside the platform.

The methods come from pymcdm, the field's library (ARCHITECTURE.md, convention 11):
TOPSIS with vector normalisation (Hwang and Yoon's original; pymcdm defaults to min-max),
VIKOR (v = 0.5) as the second opinion, AHP for weights from pairwise comparisons.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from pymcdm.helpers import rankdata
from pymcdm.methods import TOPSIS, VIKOR
from pymcdm.normalizations import vector_normalization
from pymcdm.weights.subjective import AHP

FORMAT = "razem-ranking/1"
# Saaty's threshold: a pairwise matrix with a consistency ratio above it is not used.
MAX_CONSISTENCY_RATIO = 0.1
# Saaty's scale: 1..9 and their reciprocals.
SAATY_VALUES = tuple([1 / v for v in range(9, 1, -1)] + list(range(1, 10)))
WEIGHT_TOLERANCE = 1e-6
METHODS = ("topsis", "vikor")


class PrioritisationError(ValueError):
    """Input that cannot be ranked; the message is for the user (translated)."""


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    # +1: more is better (stimulant); -1: less is better (e.g. cost).
    polarity: int = 1
    # Used when the problem's weighting is "direct".
    weight: float | None = None


@dataclass(frozen=True)
class Score:
    unit: str  # TERYT code of the member unit that scored
    project: str
    criterion: str
    value: float


@dataclass(frozen=True)
class Problem:
    criteria: list[Criterion]
    projects: list[str]
    scores: list[Score]
    weighting: str = "direct"  # or "ahp"
    ahp_matrix: list[list[float]] | None = None
    methods: tuple[str, ...] = METHODS
    sensitivity_runs: int = 1000
    # Each weight is multiplied by a factor drawn uniformly from [1 - spread, 1 + spread],
    # then all are scaled to sum to 1.
    sensitivity_spread: float = 0.2
    seed: int = 2021

    def to_json(self) -> str:
        data = asdict(self)
        data["methods"] = list(self.methods)
        return json.dumps({"format": FORMAT, **data}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str | bytes) -> Problem:
        try:
            data = json.loads(text)
            if data.pop("format", None) != FORMAT:
                raise PrioritisationError(_("This is not a ranking file exported by Razem."))
            problem = cls(
                criteria=[Criterion(code=str(c["code"]), name=str(c["name"]),
                                    polarity=int(c.get("polarity", 1)),
                                    weight=None if c.get("weight") is None else float(c["weight"]))
                          for c in data.pop("criteria")],
                projects=[str(p) for p in data.pop("projects")],
                scores=[Score(unit=str(s["unit"]), project=str(s["project"]),
                              criterion=str(s["criterion"]), value=float(s["value"]))
                        for s in data.pop("scores")],
                methods=tuple(str(m) for m in data.pop("methods", METHODS)),
                **data,
            )
            if not isinstance(problem.sensitivity_runs, int) or not isinstance(problem.seed, int):
                raise TypeError("sensitivity_runs and seed must be integers")
            float(problem.sensitivity_spread)
            return problem
        except PrioritisationError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise PrioritisationError(
                _("The ranking file cannot be read: %(error)s") % {"error": error}) from None


@dataclass(frozen=True)
class AhpResult:
    weights: list[float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        return self.consistency_ratio <= MAX_CONSISTENCY_RATIO


def check_direct_weights(weights: Sequence[float | None]) -> np.ndarray:
    if any(w is None for w in weights):
        raise PrioritisationError(_("Give every criterion a weight."))
    array = np.asarray(weights, dtype=float)
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise PrioritisationError(_("Weights cannot be negative."))
    total = float(array.sum())
    if abs(total - 1) > WEIGHT_TOLERANCE:
        raise PrioritisationError(
            _("The weights must add up to 100%%; now they add up to %(total)s%%.")
            % {"total": f"{total * 100:.1f}".replace(".", ",")})
    return array


def _saaty(value: float) -> bool:
    return any(math.isclose(value, s, rel_tol=1e-3) for s in SAATY_VALUES)


def ahp(matrix: Sequence[Sequence[float]]) -> AhpResult:
    """Weights from a pairwise comparison matrix (principal eigenvector) and Saaty's
    consistency ratio. The matrix must be square, with ones on the diagonal, values of
    Saaty's scale (1/9 .. 9) and a[j][i] = 1 / a[i][j]."""
    try:
        array = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise PrioritisationError(_("The comparison matrix must hold numbers.")) from None
    n = array.shape[0] if array.ndim == 2 else 0
    if array.ndim != 2 or array.shape != (n, n) or n < 2:
        raise PrioritisationError(_("The comparison matrix must be square, at least 2 by 2."))
    if n > len(AHP.RI_M):
        raise PrioritisationError(
            _("At most %(n)s criteria can be compared in pairs.") % {"n": len(AHP.RI_M)})
    for i in range(n):
        if not math.isclose(array[i, i], 1):
            raise PrioritisationError(_("A criterion compared with itself must be 1."))
        for j in range(n):
            if not _saaty(array[i, j]):
                raise PrioritisationError(
                    _("Comparisons use the scale 1 to 9 and its reciprocals (1/2 .. 1/9)."))
            if not math.isclose(array[i, j] * array[j, i], 1, rel_tol=1e-3):
                raise PrioritisationError(
                    _("The comparison of B with A must be the reciprocal of A with B."))
    method = AHP(matrix=array)
    weights = method()
    eigenvalues = np.linalg.eigvals(array)
    lambda_max = float(max(eigenvalues.real))
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    cr = float(method.get_cr()) if n > 2 else 0.0
    return AhpResult(weights=[float(w) for w in weights], lambda_max=lambda_max,
                     consistency_index=ci, consistency_ratio=cr)


def weights_of(problem: Problem) -> tuple[np.ndarray, AhpResult | None]:
    if problem.weighting == "ahp":
        if problem.ahp_matrix is None:
            raise PrioritisationError(_("The pairwise comparisons of the criteria are missing."))
        result = ahp(problem.ahp_matrix)
        if len(result.weights) != len(problem.criteria):
            raise PrioritisationError(
                _("The comparison matrix must have one row per criterion."))
        if not result.consistent:
            raise PrioritisationError(
                _("The comparisons are inconsistent (consistency ratio %(cr)s, at most 0,10 "
                  "is allowed). Revise the comparisons before they are used.")
                % {"cr": f"{result.consistency_ratio:.2f}".replace(".", ",")})
        return np.asarray(result.weights), result
    if problem.weighting != "direct":
        raise PrioritisationError(_("Unknown weighting."))
    return check_direct_weights([c.weight for c in problem.criteria]), None


def decision_matrix(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """(mean score per project and criterion over the units that scored it, how many
    units scored each cell). Every cell needs at least one score."""
    if not problem.projects:
        raise PrioritisationError(_("There are no projects to rank."))
    if not problem.criteria:
        raise PrioritisationError(_("There are no criteria."))
    rows = {code: i for i, code in enumerate(problem.projects)}
    columns = {c.code: j for j, c in enumerate(problem.criteria)}
    if len(rows) != len(problem.projects) or len(columns) != len(problem.criteria):
        raise PrioritisationError(_("A project or a criterion is listed twice."))
    total = np.zeros((len(rows), len(columns)))
    count = np.zeros((len(rows), len(columns)), dtype=int)
    for score in problem.scores:
        i, j = rows.get(score.project), columns.get(score.criterion)
        if i is None or j is None:
            raise PrioritisationError(_("A score names a project or a criterion that is not "
                                        "being ranked."))
        if not math.isfinite(score.value):
            raise PrioritisationError(_("Scores must be numbers."))
        total[i, j] += score.value
        count[i, j] += 1
    missing = np.argwhere(count == 0)
    if len(missing):
        i, j = missing[0]
        raise PrioritisationError(
            _("Nobody has scored project %(project)s on the criterion %(criterion)s.")
            % {"project": problem.projects[i], "criterion": problem.criteria[j].name})
    return total / count, count


def _preferences(method: str, matrix: np.ndarray, weights: np.ndarray,
                 types: np.ndarray) -> np.ndarray:
    # A criterion on which every project scores the same separates nothing, and both
    # methods would divide by zero on it (TOPSIS's vector norm of a zero column, VIKOR's
    # max - min). Leaving it out changes no distance, so no preference: its weight is kept
    # out of the others (not re-normalised), as its terms were equal for every project.
    informative = ~np.all(matrix == matrix[0], axis=0)
    if not informative.any():
        return np.full(len(matrix), 0.5)
    matrix, weights, types = matrix[:, informative], weights[informative], types[informative]
    if method == "topsis":
        return TOPSIS(vector_normalization)(matrix, weights, types, validation=False)
    if method == "vikor":
        return VIKOR()(matrix, weights, types, validation=False)
    raise PrioritisationError(_("Unknown ranking method."))


def ranks(method: str, preferences: np.ndarray) -> np.ndarray:
    """Rank 1 = best; ties share the mean rank. VIKOR's Q is better when smaller."""
    return rankdata(preferences, reverse=(method != "vikor"))


@dataclass(frozen=True)
class Stability:
    """How one project's rank moves over the sensitivity runs."""

    base_rank: float
    best: float
    worst: float
    median: float
    share_same: float  # of runs in which the rank equals the base rank
    share_within_one: float  # ... differs from it by at most one place


@dataclass
class Ranking:
    projects: list[str]
    weights: list[float]
    matrix: list[list[float]]
    preferences: dict[str, list[float]] = field(default_factory=dict)
    ranks: dict[str, list[float]] = field(default_factory=dict)
    ahp: AhpResult | None = None
    stability: list[Stability] = field(default_factory=list)


def sensitivity(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, *, runs: int,
                spread: float, seed: int, method: str = "topsis") -> list[Stability]:
    """Rank each project again under `runs` random weight vectors around `weights`.
    The same seed gives the same result (numpy's PCG64 generator)."""
    if runs < 1 or not 0 <= spread < 1:
        raise PrioritisationError(_("The sensitivity analysis needs at least one run and a "
                                    "spread between 0 and 100%."))
    base = ranks(method, _preferences(method, matrix, weights, types))
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1 - spread, 1 + spread, size=(runs, len(weights)))
    perturbed = weights * factors
    perturbed /= perturbed.sum(axis=1, keepdims=True)
    all_ranks = np.empty((runs, len(base)))
    for run in range(runs):
        all_ranks[run] = ranks(method, _preferences(method, matrix, perturbed[run], types))
    difference = np.abs(all_ranks - base)
    return [
        Stability(base_rank=float(base[i]), best=float(all_ranks[:, i].min()),
                  worst=float(all_ranks[:, i].max()),
                  median=float(np.median(all_ranks[:, i])),
                  share_same=float(np.mean(difference[:, i] == 0)),
                  share_within_one=float(np.mean(difference[:, i] <= 1)))
        for i in range(len(base))
    ]


def compute(problem: Problem) -> Ranking:
    weights, ahp_result = weights_of(problem)
    mean, _count = decision_matrix(problem)
    matrix = mean
    types = np.asarray([1 if c.polarity >= 0 else -1 for c in problem.criteria])
    result = Ranking(projects=list(problem.projects), weights=[float(w) for w in weights],
                     matrix=mean.tolist(), ahp=ahp_result)
    for method in problem.methods:
        preferences = _preferences(method, matrix, weights, types)
        result.preferences[method] = [float(p) for p in preferences]
        result.ranks[method] = [float(r) for r in ranks(method, preferences)]
    if problem.sensitivity_runs:
        result.stability = sensitivity(
            matrix, weights, types, runs=problem.sensitivity_runs,
            spread=problem.sensitivity_spread, seed=problem.seed, method=problem.methods[0])
    return result


def benchmark_problem(projects: int = 200, criteria: int = 10, units: int = 16,
                      seed: int = 7) -> Problem:
    """A synthetic problem of the issue's size: every unit scores every project 0-10."""
    rng = np.random.default_rng(seed)
    codes = [f"P{i + 1:03d}" for i in range(projects)]
    crit = [Criterion(code=f"K{j + 1}", name=f"Kryterium {j + 1}",
                      polarity=-1 if j == 0 else 1, weight=1 / criteria)
            for j in range(criteria)]
    values = rng.integers(0, 11, size=(units, projects, criteria))
    scores = [Score(unit=f"U{u:02d}", project=codes[p], criterion=crit[c].code,
                    value=float(values[u, p, c]))
              for u in range(units) for p in range(projects) for c in range(criteria)]
    return Problem(criteria=crit, projects=codes, scores=scores)


def main(argv: list[str] | None = None) -> int:
    """`python -m razem.strategy.prioritisation FILE`: the ranking of an exported file,
    computed outside the platform (reproducibility for anyone holding the file)."""
    import sys

    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m razem.strategy.prioritisation RANKING.json", file=sys.stderr)
        return 2
    with open(args[0], "rb") as handle:
        ranking = compute(Problem.from_json(handle.read()))
    methods = list(ranking.ranks)
    print("project\t" + "\t".join(f"{m}_preference\t{m}_rank" for m in methods)
          + ("\tbest\tworst\tshare_same" if ranking.stability else ""))
    for i, project in enumerate(ranking.projects):
        cells = [f"{ranking.preferences[m][i]:.6f}\t{ranking.ranks[m][i]:g}" for m in methods]
        if ranking.stability:
            st = ranking.stability[i]
            cells.append(f"{st.best:g}\t{st.worst:g}\t{st.share_same:.3f}")
        print(project + "\t" + "\t".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
