"""Workflows that change the strategy, its goals, directions, results and areas.

Keyword-only, each in one transaction with its audit-log entry (ARCHITECTURE.md, 4 and 5).
The forms already keep out other partnerships' conclusions and units; the actions check
again, because they are also called from the demo and the API, not only from forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from razem.core.actions import log_action
from razem.core.models import Partnership, User
from razem.portrait.models import DiagnosisConclusion
from razem.strategy.models import (
    ActionDirection,
    ExpectedResult,
    InterventionArea,
    ResultMeasurement,
    StrategicGoal,
    Strategy,
)
from razem.territory.models import Unit

STRATEGY_TEXT_FIELDS = ("title", "horizon_year", "vision", "spatial_model", "spatial_policy",
                        "implementation_system", "financial_framework",
                        "partners_involvement")
GOAL_FIELDS = ("number", "dimension", "title", "description")
DIRECTION_FIELDS = ("number", "title", "description")
RESULT_FIELDS = ("title", "indicator_code", "indicator_name", "measure_unit", "baseline_value",
                 "baseline_year", "target_value", "target_year")
AREA_FIELDS = ("name", "origin", "description")


def _plain(value: Any) -> Any:
    # The audit log is JSON: Decimals as their exact text, dates as ISO.
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _apply(obj: models.Model, values: Mapping[str, Any], allowed: Iterable[str]) -> dict:
    """Set the given fields; the changes as {field: [before, after]}."""
    changes = {}
    for name in allowed:
        if name not in values:
            continue
        before, after = getattr(obj, name), values[name]
        if before != after:
            changes[name] = [_plain(before), _plain(after)]
            setattr(obj, name, after)
    return changes


def _created(obj: models.Model, allowed: Iterable[str]) -> dict:
    return {name: [None, _plain(getattr(obj, name))] for name in allowed}


def _check_conclusions(strategy: Strategy, conclusions: Iterable[DiagnosisConclusion]) -> list:
    conclusions = list(conclusions)
    if any(c.partnership_id != strategy.partnership_id for c in conclusions):
        raise ValidationError(_("A goal may cite only its own partnership's conclusions."))
    return conclusions


def _check_units(strategy: Strategy, units: Iterable[Unit]) -> list:
    units = list(units)
    own = set(strategy.partnership.units.values_list("pk", flat=True))
    if any(unit.pk not in own for unit in units):
        raise ValidationError(_("An area may contain only the partnership's member units."))
    return units


# --- the strategy -------------------------------------------------------------------------


@transaction.atomic
def create_strategy(*, partnership: Partnership, by: User, title: str,
                    horizon_year: int = 2030) -> Strategy:
    strategy = Strategy.objects.create(partnership=partnership, title=title,
                                       horizon_year=horizon_year)
    log_action(actor=by, partnership=partnership, action="strategy.created", obj=strategy,
               changes=_created(strategy, ("title", "horizon_year")))
    return strategy


@transaction.atomic
def update_strategy(*, strategy: Strategy, by: User, values: Mapping[str, Any]) -> dict:
    changes = _apply(strategy, values, STRATEGY_TEXT_FIELDS)
    if changes:
        strategy.save(update_fields=[*changes, "updated_at"])
        log_action(actor=by, partnership=strategy.partnership, action="strategy.updated",
                   obj=strategy, changes=changes)
    return changes


@transaction.atomic
def publish(*, strategy: Strategy, by: User, published: bool) -> Strategy:
    """Publish (anyone may read it from then on) or withdraw the strategy."""
    before = strategy.published_at
    if published == (before is not None):
        return strategy
    strategy.published_at = timezone.now() if published else None
    strategy.save(update_fields=["published_at", "updated_at"])
    # The partnership's public page links the strategy once published; it is cached by
    # the partnership's stamp.
    strategy.partnership.touch()
    log_action(actor=by, partnership=strategy.partnership,
               action="strategy.published" if published else "strategy.unpublished",
               obj=strategy,
               changes={"published_at": [_plain(before), _plain(strategy.published_at)]})
    return strategy


# --- goals --------------------------------------------------------------------------------


@transaction.atomic
def create_goal(*, strategy: Strategy, by: User, number: int, dimension: str, title: str,
                description: str = "",
                conclusions: Iterable[DiagnosisConclusion] = ()) -> StrategicGoal:
    conclusions = _check_conclusions(strategy, conclusions)
    goal = StrategicGoal.objects.create(strategy=strategy, number=number, dimension=dimension,
                                        title=title, description=description)
    goal.conclusions.set(conclusions)
    changes = _created(goal, GOAL_FIELDS)
    changes["conclusions"] = [None, sorted(c.pk for c in conclusions)]
    log_action(actor=by, partnership=strategy.partnership, action="strategy.goal_created",
               obj=goal, changes=changes)
    return goal


@transaction.atomic
def update_goal(*, goal: StrategicGoal, by: User, values: Mapping[str, Any],
                conclusions: Iterable[DiagnosisConclusion] | None = None) -> dict:
    changes = _apply(goal, values, GOAL_FIELDS)
    if changes:
        goal.save(update_fields=list(changes))
    if conclusions is not None:
        conclusions = _check_conclusions(goal.strategy, conclusions)
        before = sorted(goal.conclusions.values_list("pk", flat=True))
        after = sorted(c.pk for c in conclusions)
        if before != after:
            goal.conclusions.set(conclusions)
            changes["conclusions"] = [before, after]
    if changes:
        log_action(actor=by, partnership=goal.strategy.partnership,
                   action="strategy.goal_updated", obj=goal, changes=changes)
    return changes


@transaction.atomic
def delete_goal(*, goal: StrategicGoal, by: User) -> None:
    # Directions and results go with the goal (cascade); the log keeps what it was.
    log_action(actor=by, partnership=goal.strategy.partnership, action="strategy.goal_deleted",
               obj=goal, changes={"title": [goal.title, None],
                                  "directions": [goal.directions.count(), None],
                                  "results": [goal.results.count(), None]})
    goal.delete()


# --- directions ---------------------------------------------------------------------------


@transaction.atomic
def create_direction(*, goal: StrategicGoal, by: User, number: int, title: str,
                     description: str = "") -> ActionDirection:
    direction = ActionDirection.objects.create(goal=goal, number=number, title=title,
                                               description=description)
    log_action(actor=by, partnership=goal.strategy.partnership,
               action="strategy.direction_created", obj=direction,
               changes=_created(direction, DIRECTION_FIELDS))
    return direction


@transaction.atomic
def update_direction(*, direction: ActionDirection, by: User,
                     values: Mapping[str, Any]) -> dict:
    changes = _apply(direction, values, DIRECTION_FIELDS)
    if changes:
        direction.save(update_fields=list(changes))
        log_action(actor=by, partnership=direction.goal.strategy.partnership,
                   action="strategy.direction_updated", obj=direction, changes=changes)
    return changes


@transaction.atomic
def delete_direction(*, direction: ActionDirection, by: User) -> None:
    log_action(actor=by, partnership=direction.goal.strategy.partnership,
               action="strategy.direction_deleted", obj=direction,
               changes={"title": [direction.title, None]})
    direction.delete()


# --- expected results and their measurements ----------------------------------------------


def _check_years(values: Mapping[str, Any]) -> None:
    baseline, target = values.get("baseline_year"), values.get("target_year")
    if baseline is not None and target is not None and target <= baseline:
        raise ValidationError(_("The target year must come after the baseline year."))


@transaction.atomic
def create_result(*, goal: StrategicGoal, by: User, values: Mapping[str, Any]) -> ExpectedResult:
    _check_years(values)
    result = ExpectedResult(goal=goal)
    _apply(result, values, RESULT_FIELDS)
    result.save()
    log_action(actor=by, partnership=goal.strategy.partnership,
               action="strategy.result_created", obj=result,
               changes=_created(result, RESULT_FIELDS))
    return result


@transaction.atomic
def update_result(*, result: ExpectedResult, by: User, values: Mapping[str, Any]) -> dict:
    merged = {name: values.get(name, getattr(result, name)) for name in RESULT_FIELDS}
    _check_years(merged)
    changes = _apply(result, values, RESULT_FIELDS)
    if changes:
        result.save(update_fields=list(changes))
        log_action(actor=by, partnership=result.goal.strategy.partnership,
                   action="strategy.result_updated", obj=result, changes=changes)
    return changes


@transaction.atomic
def delete_result(*, result: ExpectedResult, by: User) -> None:
    log_action(actor=by, partnership=result.goal.strategy.partnership,
               action="strategy.result_deleted", obj=result,
               changes={"title": [result.title, None]})
    result.delete()


@transaction.atomic
def record_measurement(*, result: ExpectedResult, by: User, year: int, value: Decimal,
                       note: str = "") -> ResultMeasurement:
    """The indicator's value in a year; a second value for the same year replaces the first."""
    measurement = ResultMeasurement.objects.filter(result=result, year=year).first()
    if measurement is None:
        measurement = ResultMeasurement.objects.create(result=result, year=year, value=value,
                                                       note=note)
        changes = {"year": [None, year], "value": [None, _plain(value)]}
    else:
        changes = _apply(measurement, {"value": value, "note": note}, ("value", "note"))
        if changes:
            measurement.save(update_fields=list(changes))
    if changes:
        log_action(actor=by, partnership=result.goal.strategy.partnership,
                   action="strategy.measurement_recorded", obj=result,
                   changes={"year": [year, year], **changes})
    return measurement


@transaction.atomic
def delete_measurement(*, measurement: ResultMeasurement, by: User) -> None:
    result = measurement.result
    log_action(actor=by, partnership=result.goal.strategy.partnership,
               action="strategy.measurement_deleted", obj=result,
               changes={"year": [measurement.year, None],
                        "value": [_plain(measurement.value), None]})
    measurement.delete()


# --- intervention areas -------------------------------------------------------------------


@transaction.atomic
def create_area(*, strategy: Strategy, by: User, name: str, origin: str,
                units: Iterable[Unit], description: str = "") -> InterventionArea:
    units = _check_units(strategy, units)
    area = InterventionArea.objects.create(strategy=strategy, name=name, origin=origin,
                                           description=description)
    area.units.set(units)
    changes = _created(area, AREA_FIELDS)
    changes["units"] = [None, sorted(unit.teryt for unit in units)]
    log_action(actor=by, partnership=strategy.partnership, action="strategy.area_created",
               obj=area, changes=changes)
    return area


@transaction.atomic
def update_area(*, area: InterventionArea, by: User, values: Mapping[str, Any],
                units: Iterable[Unit] | None = None) -> dict:
    changes = _apply(area, values, AREA_FIELDS)
    if changes:
        area.save(update_fields=list(changes))
    if units is not None:
        units = _check_units(area.strategy, units)
        before = sorted(area.units.values_list("teryt", flat=True))
        after = sorted(unit.teryt for unit in units)
        if before != after:
            area.units.set(units)
            changes["units"] = [before, after]
    if changes:
        log_action(actor=by, partnership=area.strategy.partnership,
                   action="strategy.area_updated", obj=area, changes=changes)
    return changes


@transaction.atomic
def delete_area(*, area: InterventionArea, by: User) -> None:
    log_action(actor=by, partnership=area.strategy.partnership, action="strategy.area_deleted",
               obj=area, changes={"name": [area.name, None]})
    area.delete()
