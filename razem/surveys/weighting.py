"""Respondent weights by raking (iterative proportional fitting); pure, no ORM.

A survey's respondents rarely mirror the population: pupils and retirees answer
more eagerly than people in their thirties. Raking adjusts each respondent's
weight until the weighted totals of every margin (for example respondents per
gmina and sex, and per gmina and age group) equal the population totals.

Frames:

* respondents: response_id, the margin columns (gmina, sex, age_group, ...) and
  an optional starting weight column (design weight; 1 when absent)
* a Margin's targets: its `by` columns plus `target` (population count)

A margin over (gmina, sex) rakes every gmina to its own sex totals: one call
weights all gminas of a partnership at once.

Policies:

* A category with respondents but a zero or missing target, or a positive
  target without respondents, cannot be raked to and is an error, never a
  silent drop: the coordinator must merge categories or fix the targets.
* Margins that share columns must agree on their totals (men + women in a gmina
  equal the sum of its age groups), otherwise no weights satisfy both.
* Trimming (`cap`) limits every weight to `cap` × the mean weight after each
  raking cycle, then rakes again; the result trades a little margin accuracy for
  a lower design effect, and convergence is reported for the trimmed weights.
* Effective sample size is Kish's n_eff = (Σw)² / Σw²; the design effect of
  weighting is n / n_eff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

WEIGHT = "weight"
TARGET = "target"
_CELL = "_cell"


class WeightingError(ValueError):
    """Weights cannot be computed from these respondents and targets."""


@dataclass(frozen=True)
class Margin:
    """Population totals of one margin: `targets` has the `by` columns and `target`."""

    by: tuple[str, ...]
    targets: pl.DataFrame

    @property
    def name(self) -> str:
        return " × ".join(self.by)


@dataclass(frozen=True)
class RakingResult:
    """Raked respondents (the weight column replaced) and how the iteration went."""

    respondents: pl.DataFrame
    converged: bool
    iterations: int
    max_relative_error: float

    @property
    def weights(self) -> pl.Series:
        return self.respondents[WEIGHT]

    @property
    def effective_sample_size(self) -> float:
        return effective_sample_size(self.weights)

    @property
    def design_effect(self) -> float:
        return design_effect(self.weights)


@dataclass(frozen=True)
class _Cells:
    """One margin prepared for iteration: each respondent's category index and the
    category targets, so a cycle is two numpy calls instead of a join."""

    index: np.ndarray
    targets: np.ndarray


def effective_sample_size(weights: pl.Series | Sequence[float]) -> float:
    """Kish's effective sample size (Σw)² / Σw²."""
    w = np.asarray(weights, dtype=np.float64)
    square_sum = float(np.dot(w, w))
    return float(w.sum()) ** 2 / square_sum if square_sum > 0 else 0.0


def design_effect(weights: pl.Series | Sequence[float]) -> float:
    """Design effect of weighting, n / n_eff = 1 + CV² of the weights."""
    w = np.asarray(weights, dtype=np.float64)
    n_eff = effective_sample_size(w)
    return len(w) / n_eff if n_eff > 0 else float("nan")


def margins_by_gmina(
    population: pl.DataFrame, variables: Sequence[str] = ("sex", "age_group")
) -> list[Margin]:
    """Margins (gmina, variable) for each variable from a population frame with the
    columns gmina, the variables and `target` (for example gmina × sex × age group
    counts from the portrait data, or totals entered by hand)."""
    return [
        Margin(
            by=("gmina", variable),
            targets=population.group_by("gmina", variable).agg(pl.col(TARGET).sum()),
        )
        for variable in variables
    ]


def rake(
    respondents: pl.DataFrame,
    margins: Sequence[Margin],
    *,
    weight: str = WEIGHT,
    tolerance: float = 1e-10,
    max_iterations: int = 200,
    cap: float | None = None,
    require_convergence: bool = True,
) -> RakingResult:
    """Rake the respondents' weights to the margins' targets.

    Stops when the largest relative error |weighted total − target| / target over
    all categories of all margins is at most `tolerance`. Raises WeightingError
    on unusable input, and on non-convergence when `require_convergence`.
    """
    if respondents.height == 0:
        raise WeightingError(_("There are no respondents to weight."))
    if cap is not None and cap <= 1:
        raise WeightingError(
            _("The weight cap must be greater than 1 (a multiple of the mean weight).")
        )
    w = _initial_weights(respondents, weight)
    cells = [_prepare(respondents, margin) for margin in margins]
    _check_consistent(margins)
    iterations, error = 0, _max_relative_error(w, cells)
    while (error > tolerance or _over_cap(w, cap, tolerance)) and iterations < max_iterations:
        iterations += 1
        for cell in cells:
            totals = np.bincount(cell.index, weights=w, minlength=len(cell.targets))
            w *= (cell.targets / totals)[cell.index]
        if cap is not None:
            np.minimum(w, cap * w.mean(), out=w)
        error = _max_relative_error(w, cells)
    converged = error <= tolerance and not _over_cap(w, cap, tolerance)
    if require_convergence and not converged:
        raise WeightingError(
            _(
                "Raking did not converge after %(iterations)s iterations "
                "(largest relative error %(error)s)."
            )
            % {"iterations": iterations, "error": f"{error:.3g}"}
        )
    raked = respondents.with_columns(pl.Series(weight, w, dtype=pl.Float64))
    return RakingResult(raked, converged, iterations, error)


def _initial_weights(respondents: pl.DataFrame, weight: str) -> np.ndarray:
    if weight not in respondents.columns:
        return np.ones(respondents.height, dtype=np.float64)
    w = respondents[weight].cast(pl.Float64).fill_nan(None).to_numpy().copy()
    bad = int(np.count_nonzero(~(w > 0)))  # also catches NaN from nulls
    if bad:
        raise WeightingError(
            _("Initial weights must be positive numbers (%(count)s are not).") % {"count": bad}
        )
    return w


def _prepare(respondents: pl.DataFrame, margin: Margin) -> _Cells:
    by = list(margin.by)
    for column in by:
        if column not in respondents.columns:
            raise WeightingError(
                _("The respondent frame lacks the column %(column)s.") % {"column": column}
            )
        missing = respondents[column].null_count()
        if missing:
            raise WeightingError(
                _("Respondents without a value of %(column)s needed for weighting: %(count)s.")
                % {"column": column, "count": missing}
            )
    targets = _clean_targets(respondents, margin)
    counts = respondents.group_by(by).agg(pl.len().alias("respondents"))
    both = counts.join(targets, on=by, how="full", coalesce=True)
    _check_categories(both, margin)
    # Categories with a zero target and nobody in them play no part in raking.
    usable = both.filter(pl.col("respondents").is_not_null()).with_row_index(_CELL)
    index = respondents.select(by).join(
        usable.select(*by, _CELL), on=by, how="left", maintain_order="left"
    )[_CELL]
    return _Cells(index.to_numpy().astype(np.int64), usable[TARGET].to_numpy().astype(np.float64))


def _clean_targets(respondents: pl.DataFrame, margin: Margin) -> pl.DataFrame:
    by = list(margin.by)
    targets = margin.targets.select(
        *(pl.col(c).cast(respondents.schema[c]) for c in by), pl.col(TARGET).cast(pl.Float64)
    )
    if targets.filter(~(pl.col(TARGET) >= 0) | pl.col(TARGET).is_null()).height:
        raise WeightingError(
            _("Targets of margin %(margin)s must be non-negative numbers.")
            % {"margin": margin.name}
        )
    duplicated = targets.filter(pl.struct(by).is_duplicated())
    if duplicated.height:
        raise WeightingError(
            _("Margin %(margin)s gives more than one target for %(category)s.")
            % {"margin": margin.name, "category": _category(duplicated.row(0, named=True), by)}
        )
    return targets


def _check_categories(both: pl.DataFrame, margin: Margin) -> None:
    by = list(margin.by)
    untargeted = both.filter(
        pl.col("respondents").is_not_null() & ~(pl.col(TARGET).fill_null(0) > 0)
    )
    if untargeted.height:
        row = untargeted.sort(by).row(0, named=True)
        raise WeightingError(
            _(
                "Margin %(margin)s: category %(category)s has respondents (%(count)s) "
                "but a zero or missing target."
            )
            % {"margin": margin.name, "category": _category(row, by), "count": row["respondents"]}
        )
    empty = both.filter(pl.col("respondents").is_null() & (pl.col(TARGET) > 0))
    if empty.height:
        row = empty.sort(by).row(0, named=True)
        raise WeightingError(
            _(
                "Margin %(margin)s: category %(category)s has a target of %(target)s but no respondents."
            )
            % {"margin": margin.name, "category": _category(row, by), "target": f"{row[TARGET]:g}"}
        )


def _check_consistent(margins: Sequence[Margin]) -> None:
    """Margins sharing columns must have equal totals per shared category (or in all
    when they share none): contradictory targets would make raking oscillate."""
    for first, second in combinations(margins, 2):
        shared = [c for c in first.by if c in second.by]
        keys = shared or ["_all"]
        joined = _totals(first, keys, "a").join(
            _totals(second, keys, "b"), on=keys, how="full", coalesce=True
        )
        a, b = pl.col("a").fill_null(0), pl.col("b").fill_null(0)
        off = joined.filter((a - b).abs() > 1e-9 * pl.max_horizontal(a.abs(), b.abs(), 1))
        if off.height:
            row = off.row(0, named=True)
            raise WeightingError(
                _(
                    "Margins %(first)s and %(second)s have different totals for %(category)s: %(a)s and %(b)s."
                )
                % {
                    "first": first.name,
                    "second": second.name,
                    "category": _category(row, shared) if shared else _("all respondents"),
                    "a": f"{row['a'] or 0:g}",
                    "b": f"{row['b'] or 0:g}",
                }
            )


def _totals(margin: Margin, keys: list[str], alias: str) -> pl.DataFrame:
    targets = margin.targets.with_columns(pl.lit(1).alias("_all"))
    return targets.group_by(keys).agg(pl.col(TARGET).cast(pl.Float64).sum().alias(alias))


def _max_relative_error(w: np.ndarray, cells: Sequence[_Cells]) -> float:
    errors = [
        np.max(
            np.abs(np.bincount(c.index, weights=w, minlength=len(c.targets)) - c.targets)
            / c.targets
        )
        for c in cells
        if len(c.targets)
    ]
    return float(max(errors, default=0.0))


def _over_cap(w: np.ndarray, cap: float | None, tolerance: float) -> bool:
    return cap is not None and float(w.max()) > cap * float(w.mean()) * (1 + tolerance)


def _category(row: dict[str, object], by: Sequence[str]) -> str:
    return ", ".join(f"{c}={row[c]}" for c in by)
