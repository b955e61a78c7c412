"""Prioritisation from the database: the ranking `Problem` of a strategy, and the
workflows that change its criteria, weights and scores.

The arithmetic is in `razem.strategy.prioritisation` (pure); this module only gathers
the rows into a `Problem` and saves what the pages send. Every change is logged in the
same transaction (razem.core.actions.log_action); bad input raises
`PrioritisationError` (or ValueError) before anything is written.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from razem.core.actions import log_action
from razem.core.models import User
from razem.strategy import prioritisation
from razem.strategy.models import (
    Criterion,
    ProjectCard,
    ProjectScore,
    ProjectStatus,
    Strategy,
)
from razem.strategy.prioritisation import AhpResult, PrioritisationError, Problem, Ranking
from razem.territory.models import Unit

SCORE_MIN = Decimal(0)
SCORE_MAX = Decimal(10)
MIN_CRITERIA = 2
# Saaty's scale as the form offers it, from "the other criterion is extremely more
# important" (1/9) to "this one is" (9); exact fractions so reciprocals stay exact.
SAATY_SCALE: tuple[Fraction, ...] = tuple(
    [Fraction(1, v) for v in range(9, 1, -1)] + [Fraction(v) for v in range(1, 10)])
RANKING_CACHE_SECONDS = 600


def project_code(project: ProjectCard) -> str:
    # Card numbers are unique in a partnership and are what people call projects by.
    return str(project.number)


def ranked_projects(strategy: Strategy) -> QuerySet[ProjectCard]:
    """The projects being ranked: every card of the partnership except dropped ones."""
    return (ProjectCard.objects.filter(partnership_id=strategy.partnership_id)
            .exclude(status=ProjectStatus.DROPPED).order_by("number"))


def criteria_of(strategy: Strategy) -> list[Criterion]:
    return list(strategy.criteria.order_by("position", "id"))


def member_units(strategy: Strategy) -> QuerySet[Unit]:
    return strategy.partnership.units.order_by("kind", "name")


def _ahp_matrix(strategy: Strategy, criteria: list[Criterion]) -> list[list[float]] | None:
    stored = strategy.ahp_matrix
    if not stored:
        return None
    if isinstance(stored, dict):
        # {"criteria": [codes], "matrix": [[...]]}: reorder to the criteria's order.
        codes = list(stored.get("criteria") or [])
        matrix = stored.get("matrix") or []
        try:
            index = [codes.index(c.code) for c in criteria]
            return [[float(matrix[i][j]) for j in index] for i in index]
        except (ValueError, IndexError, TypeError):
            return [[float(v) for v in row] for row in matrix] if matrix else None
    return [[float(v) for v in row] for row in stored]


def problem_for(strategy: Strategy) -> Problem:
    """Everything the ranking depends on, read from the database."""
    criteria = criteria_of(strategy)
    projects = list(ranked_projects(strategy))
    codes = {p.pk: project_code(p) for p in projects}
    scores = (ProjectScore.objects
              .filter(criterion__strategy=strategy, project_id__in=list(codes))
              .select_related("unit", "criterion")
              .order_by("project__number", "criterion__position", "criterion_id", "unit__teryt"))
    return Problem(
        criteria=[prioritisation.Criterion(
            code=c.code, name=c.name, polarity=1 if c.polarity >= 0 else -1,
            weight=None if c.weight is None else float(c.weight)) for c in criteria],
        projects=[codes[p.pk] for p in projects],
        scores=[prioritisation.Score(unit=s.unit.teryt, project=codes[s.project_id],
                                     criterion=s.criterion.code, value=float(s.value))
                for s in scores],
        weighting=strategy.weighting,
        ahp_matrix=_ahp_matrix(strategy, criteria),
        sensitivity_runs=strategy.sensitivity_runs,
        sensitivity_spread=float(strategy.sensitivity_spread),
        seed=strategy.sensitivity_seed,
    )


@dataclass
class RankingState:
    """The current ranking of a strategy, or why there is none."""

    problem: Problem
    ranking: Ranking | None
    error: str | None


def compute_cached(problem: Problem) -> Ranking:
    # The sensitivity analysis reruns the methods a thousand times; the same problem
    # (the same exported file) always gives the same ranking, so its JSON is the key.
    key = "strategy-ranking:" + hashlib.sha256(problem.to_json().encode()).hexdigest()
    ranking = cache.get(key)
    if ranking is None:
        ranking = prioritisation.compute(problem)
        cache.set(key, ranking, RANKING_CACHE_SECONDS)
    return ranking


def current_ranking(strategy: Strategy) -> RankingState:
    problem = problem_for(strategy)
    try:
        return RankingState(problem=problem, ranking=compute_cached(problem), error=None)
    except PrioritisationError as error:
        return RankingState(problem=problem, ranking=None, error=str(error))


# --- criteria -----------------------------------------------------------------------------


def _remap_ahp(stored: Any, old_ids: list[int], new_ids: list[int]) -> list[list[float]] | None:
    """The pairwise matrix kept for the criteria that remain; a new criterion starts as
    equally important as every other (1), so earlier comparisons are not lost."""
    if not stored or not isinstance(stored, list) or len(stored) != len(old_ids):
        return None
    where = {pk: i for i, pk in enumerate(old_ids)}
    matrix = []
    for a in new_ids:
        row = []
        for b in new_ids:
            if a == b:
                row.append(1.0)
            elif a in where and b in where:
                row.append(float(stored[where[a]][where[b]]))
            else:
                row.append(1.0)
        matrix.append(row)
    return matrix


@transaction.atomic
def save_criteria(*, strategy: Strategy, by: User, rows: list[dict[str, Any]]) -> list[Criterion]:
    """Rows in order: {"id": int|None, "code", "name", "description", "polarity",
    "delete": bool}. At least two criteria must remain; codes are unique."""
    existing = {c.pk: c for c in strategy.criteria.select_for_update()}
    old_ids = [c.pk for c in sorted(existing.values(), key=lambda c: (c.position, c.pk))]
    kept = [row for row in rows if not row.get("delete")]
    if len(kept) < MIN_CRITERIA:
        raise PrioritisationError(_("Keep at least two criteria."))
    codes = [row["code"] for row in kept]
    if len(set(codes)) != len(codes):
        raise PrioritisationError(_("Each criterion needs its own code."))
    for row in rows:
        if row.get("id") is not None and row["id"] not in existing:
            raise PrioritisationError(_("A criterion of another strategy cannot be changed."))
    changes: dict[str, Any] = {}
    deleted = [row["id"] for row in rows if row.get("delete") and row.get("id")]
    if deleted:
        changes["deleted"] = sorted(existing[pk].code for pk in deleted)
        strategy.criteria.filter(pk__in=deleted).delete()
    # Codes are unique per strategy: move the kept ones out of the way first, so that
    # two criteria may swap codes in one save.
    for row in kept:
        if row.get("id"):
            Criterion.objects.filter(pk=row["id"]).update(code=f"~{row['id']}")
    saved = []
    for position, row in enumerate(kept):
        criterion = existing.get(row.get("id")) or Criterion(strategy=strategy)
        before = {"code": criterion.code, "name": criterion.name,
                  "polarity": criterion.polarity, "position": criterion.position}
        criterion.position = position
        criterion.code = row["code"]
        criterion.name = row["name"]
        criterion.description = row.get("description", "")
        criterion.polarity = int(row.get("polarity") or 1)
        criterion.save()
        after = {"code": criterion.code, "name": criterion.name,
                 "polarity": criterion.polarity, "position": criterion.position}
        if before != after:
            changes[criterion.code] = after
        saved.append(criterion)
    new_ids = [c.pk for c in saved]
    if new_ids != old_ids:
        strategy.ahp_matrix = _remap_ahp(strategy.ahp_matrix, old_ids, new_ids)
        strategy.save(update_fields=["ahp_matrix", "updated_at"])
    log_action(actor=by, partnership=strategy.partnership, action="strategy.criteria",
               obj=strategy, changes=changes)
    return saved


# --- weights ------------------------------------------------------------------------------


@transaction.atomic
def save_direct_weights(*, strategy: Strategy, by: User,
                        percents: dict[int, Decimal]) -> list[Criterion]:
    """Weights in percent per criterion id; they must add up to 100. Saving them makes
    the ranking use direct weights."""
    criteria = criteria_of(strategy)
    if set(percents) != {c.pk for c in criteria}:
        raise PrioritisationError(_("Give every criterion of this strategy a weight."))
    fractions = {pk: (value / 100).quantize(Decimal("0.0001")) for pk, value in percents.items()}
    # The pure check gives the message (and the total) everyone sees.
    prioritisation.check_direct_weights([float(fractions[c.pk]) for c in criteria])
    if sum(percents.values()) != 100:
        raise PrioritisationError(
            _("The weights must add up to 100%%; now they add up to %(total)s%%.")
            % {"total": str(sum(percents.values())).replace(".", ",")})
    changes = {}
    for criterion in criteria:
        if criterion.weight != fractions[criterion.pk]:
            changes[criterion.code] = [None if criterion.weight is None
                                       else str(criterion.weight), str(fractions[criterion.pk])]
            criterion.weight = fractions[criterion.pk]
            criterion.save(update_fields=["weight"])
    if strategy.weighting != "direct":
        changes["weighting"] = [strategy.weighting, "direct"]
        strategy.weighting = "direct"
        strategy.save(update_fields=["weighting", "updated_at"])
    log_action(actor=by, partnership=strategy.partnership, action="strategy.weights",
               obj=strategy, changes=changes)
    return criteria


def full_matrix(n: int, upper: dict[tuple[int, int], Fraction]) -> list[list[float]]:
    """The reciprocal matrix from the comparisons above the diagonal (i < j)."""
    matrix = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            value = upper.get((i, j))
            if value is None:
                raise PrioritisationError(_("Compare every pair of criteria."))
            if value not in SAATY_SCALE:
                raise PrioritisationError(
                    _("Comparisons use the scale 1 to 9 and its reciprocals (1/2 .. 1/9)."))
            matrix[i][j] = float(value)
            matrix[j][i] = float(1 / value)
    return matrix


@transaction.atomic
def save_ahp_matrix(*, strategy: Strategy, by: User,
                    upper: dict[tuple[int, int], Fraction]) -> AhpResult:
    """Pairwise comparisons (positions i < j in the criteria's order -> how many times
    criterion i is more important than j). An inconsistent matrix (CR > 0.1) is saved,
    so it can be revised, but the ranking refuses to use it until it is consistent.
    Saving comparisons makes the ranking use AHP."""
    criteria = criteria_of(strategy)
    matrix = full_matrix(len(criteria), upper)
    result = prioritisation.ahp(matrix)
    changes = {"matrix": [strategy.ahp_matrix, matrix],
               "consistency_ratio": round(result.consistency_ratio, 4)}
    if strategy.weighting != "ahp":
        changes["weighting"] = [strategy.weighting, "ahp"]
    strategy.ahp_matrix = matrix
    strategy.weighting = "ahp"
    strategy.save(update_fields=["ahp_matrix", "weighting", "updated_at"])
    log_action(actor=by, partnership=strategy.partnership, action="strategy.ahp", obj=strategy,
               changes=changes)
    return result


@transaction.atomic
def set_weighting(*, strategy: Strategy, by: User, weighting: str) -> None:
    if weighting not in ("direct", "ahp"):
        raise PrioritisationError(_("Unknown weighting."))
    if strategy.weighting == weighting:
        return
    log_action(actor=by, partnership=strategy.partnership, action="strategy.weighting",
               obj=strategy, changes={"weighting": [strategy.weighting, weighting]})
    strategy.weighting = weighting
    strategy.save(update_fields=["weighting", "updated_at"])


# --- scores -------------------------------------------------------------------------------


@transaction.atomic
def save_scores(*, strategy: Strategy, unit: Unit, by: User,
                scores: dict[tuple[int, int], Decimal | None]) -> int:
    """One unit's scores, {(project id, criterion id): value or None to clear}. Every
    project and criterion must be this strategy's and every value within the scale;
    otherwise nothing is saved. Returns how many cells changed."""
    if not strategy.partnership.units.filter(pk=unit.pk).exists():
        raise PrioritisationError(_("Only the partnership's member units score projects."))
    projects = set(ranked_projects(strategy).values_list("pk", flat=True))
    criteria = {c.pk: c for c in criteria_of(strategy)}
    for (project_id, criterion_id), value in scores.items():
        if project_id not in projects or criterion_id not in criteria:
            raise PrioritisationError(
                _("A score names a project or a criterion that is not being ranked."))
        if value is not None and not SCORE_MIN <= value <= SCORE_MAX:
            raise PrioritisationError(
                _("Scores are numbers from %(min)s to %(max)s.")
                % {"min": SCORE_MIN, "max": SCORE_MAX})
    current = {(s.project_id, s.criterion_id): s for s in ProjectScore.objects.select_for_update()
               .filter(unit=unit, criterion__strategy=strategy)}
    changes: dict[str, list[str | None]] = {}
    for key, value in scores.items():
        score = current.get(key)
        label = f"{key[0]}:{criteria[key[1]].code}"
        if value is None:
            if score is not None:
                changes[label] = [str(score.value), None]
                score.delete()
            continue
        if score is None:
            ProjectScore.objects.create(project_id=key[0], criterion_id=key[1], unit=unit,
                                        value=value, scored_by=by)
            changes[label] = [None, str(value)]
        elif score.value != value:
            changes[label] = [str(score.value), str(value)]
            score.value = value
            score.scored_by = by
            score.save(update_fields=["value", "scored_by", "updated_at"])
    if changes:
        log_action(actor=by, partnership=strategy.partnership, action="strategy.scores",
                   obj=strategy, changes={"unit": unit.teryt, **changes})
    return len(changes)


# --- an uploaded (exported) file ----------------------------------------------------------

# Bounds on what an uploaded file may ask the server to compute.
MAX_UPLOADED_RUNS = 10_000
MAX_UPLOADED_CELLS = 200_000


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_uploaded(problem: Problem) -> Problem:
    """Refuse a file whose values have the wrong types or which asks for more work than a
    ranking of this platform ever needs (the pure module trusts its input)."""
    unreadable = PrioritisationError(_("The ranking file has values of the wrong kind."))
    if not all(isinstance(c.code, str) and isinstance(c.name, str) and c.polarity in (1, -1)
               and (c.weight is None or _number(c.weight)) for c in problem.criteria):
        raise unreadable
    if not all(isinstance(s.unit, str) and isinstance(s.project, str)
               and isinstance(s.criterion, str) and _number(s.value)
               for s in problem.scores):
        raise unreadable
    if problem.ahp_matrix is not None and not (
            isinstance(problem.ahp_matrix, list)
            and all(isinstance(row, list) and all(_number(v) for v in row)
                    for row in problem.ahp_matrix)):
        raise unreadable
    if not (isinstance(problem.weighting, str) and isinstance(problem.sensitivity_runs, int)
            and _number(problem.sensitivity_spread) and isinstance(problem.seed, int)
            and problem.methods and all(m in prioritisation.METHODS for m in problem.methods)):
        raise unreadable
    if (not 0 <= problem.sensitivity_runs <= MAX_UPLOADED_RUNS or problem.seed < 0
            or len(problem.scores) > MAX_UPLOADED_CELLS
            or len(problem.projects) * max(len(problem.criteria), 1) > MAX_UPLOADED_CELLS):
        raise PrioritisationError(_("The ranking file asks for more computation than the "
                                    "platform allows."))
    return problem


def read_uploaded(data: bytes) -> Problem:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PrioritisationError(_("The ranking file is not UTF-8 text.")) from None
    return check_uploaded(Problem.from_json(text))


def compute_uploaded(problem: Problem) -> Ranking:
    try:
        return compute_cached(problem)
    except PrioritisationError:
        raise
    except (ValueError, TypeError, ArithmeticError, IndexError, KeyError):
        # Numbers the methods cannot rank (e.g. a degenerate matrix) in a hand-made file.
        raise PrioritisationError(
            _("The ranking in this file cannot be computed.")) from None


def same_ranking(a: Ranking, b: Ranking) -> bool:
    """Equal projects, weights, preferences, ranks and stability (to rounding)."""

    def close(x: list[float], y: list[float]) -> bool:
        return len(x) == len(y) and all(math.isclose(p, q, rel_tol=1e-9, abs_tol=1e-12)
                                        for p, q in zip(x, y, strict=True))

    return (a.projects == b.projects and close(a.weights, b.weights)
            and a.ranks.keys() == b.ranks.keys()
            and all(close(a.ranks[m], b.ranks[m]) and close(a.preferences[m], b.preferences[m])
                    for m in a.ranks)
            and a.stability == b.stability)
