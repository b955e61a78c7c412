"""The portrait's numbers: the only module of the portrait that touches the ORM.

Comparison groups need every gmina in Poland, so the observations of all
gminas are read (as plain tuples, never model instances), computed with the
pure functions of razem.indicators.compute, and kept in this process under a
key that carries the version of the data (see `data_version`). An entry is
never invalidated, only superseded, so a cache per process is correct with any
number of processes (docs/decisions.md, "Per-process cache with versioned
keys"). Two levels:

* national: indicator values of every gmina, aggregates of every powiat and
  voivodeship and of Poland, and per reference year the comparison groups,
  positions, group statistics and synthetic measures;
* per partnership: the members' slice of that, the partnership's aggregate and
  its boundaries, as plain dicts that pages read without computing.

Aggregates are always over gminas: a powiat that is a member of the
partnership is shown with the aggregate of all its gminas (BDL publishes the
gmina-level variables for gminas), and the partnership's aggregate is over its
member gminas only, so a member powiat does not count twice.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import FloatField
from django.db.models.functions import Cast

from razem.core.models import Partnership
from razem.indicators import compute
from razem.indicators.catalogue import DIMENSIONS, Catalogue, Indicator, load_catalogue
from razem.indicators.models import ImportRun, Observation, Variable
from razem.portrait import analysis
from razem.territory.models import Unit, UnitKind

OVERALL = compute.OVERALL
PARTNERSHIP = "partnership"
COUNTRY = "country"
# Indicators in the overview's table of key figures, in this order (those the
# catalogue lacks are skipped).
KEY_FIGURES = (
    "population", "area", "population_density", "population_change", "old_age_dependency",
    "unemployment_rate", "revenue_per_capita",
)


class UnknownIndicator(LookupError):
    """No indicator with this code in the catalogue."""


class NoData(LookupError):
    """No indicator values have been imported yet."""


# --- what the pages read ------------------------------------------------------------------


@dataclass(frozen=True)
class MemberUnit:
    teryt: str
    name: str
    kind: str
    gmina_type: str
    is_city: bool
    # The area whose values stand for the unit: the unit itself for a gmina,
    # the aggregate of its gminas for a powiat.
    key: str
    group: str | None = None
    powiat: str | None = None

    @property
    def is_gmina(self) -> bool:
        return self.kind == UnitKind.GMINA


@dataclass(frozen=True)
class Area:
    """A unit of comparison: the partnership, a powiat, a voivodeship, Poland, a group."""

    key: str
    kind: str  # partnership | powiat | voivodeship | country | group
    name: str
    code: str = ""  # TERYT code or group id


@dataclass(frozen=True)
class Position:
    """A gmina's place in its comparison group for one indicator (reference year)."""

    value: float | None
    group: str
    percentile: float | None  # 100 = best, respecting polarity
    z_score: float | None
    rank: int | None
    group_size: int
    group_median: float | None
    group_q1: float | None
    group_q3: float | None
    lower: float | None = None  # share (0–100) of the other gminas of the group with a lower value
    higher: float | None = None


@dataclass(frozen=True)
class GroupStats:
    size: int
    median: float | None
    q1: float | None
    q3: float | None
    mean: float | None


@dataclass(frozen=True)
class Synthetic:
    hellwig: float | None
    standardised_sum: float | None
    indicators: int
    # Place of the score among the gminas of the unit's comparison group.
    percentile: float | None = None
    rank: int | None = None
    group_size: int | None = None


@dataclass
class Portrait:
    partnership_id: int
    version: str
    year: int
    years: tuple[int, ...]
    catalogue: Catalogue
    members: tuple[MemberUnit, ...]
    areas: tuple[Area, ...]
    # (area key or gmina teryt, indicator, year) → value
    values: dict[tuple[str, str, int], float | None]
    # (area key, indicator, year) → (units with data, units in the area)
    coverage: dict[tuple[str, str, int], tuple[int, int]]
    # (gmina teryt, indicator) → position in its group in the reference year
    positions: dict[tuple[str, str], Position]
    # (group, indicator, year) → statistics of the gminas' values
    group_stats: dict[tuple[str, str, int], GroupStats]
    # (teryt or "partnership", dimension) → synthetic measures in the reference year
    synthetic: dict[tuple[str, str], Synthetic]
    # indicator → the partnership's aggregate among all gminas of Poland (reference year)
    partnership_position: dict[str, dict[str, Any]]
    boundaries: dict[str, Any] = field(default_factory=dict)
    # Derived results (tables, candidates) kept with the cached portrait, so a warm
    # page only looks them up. Keys are chosen by the callers (e.g. with the language).
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def remember(self, key: Any, build: Any) -> Any:
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

    # Convenience for views and the report.
    @property
    def gminas(self) -> tuple[MemberUnit, ...]:
        return tuple(m for m in self.members if m.is_gmina)

    @property
    def base_year(self) -> int:
        return self.years[0]

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(m.group for m in self.gminas if m.group))

    def member(self, teryt: str) -> MemberUnit | None:
        return next((m for m in self.members if m.teryt == teryt), None)

    def area(self, key: str) -> Area | None:
        return next((a for a in self.areas if a.key == key), None)

    def indicator(self, code: str) -> Indicator:
        if code not in self.catalogue:
            raise UnknownIndicator(code)
        return self.catalogue.get(code)

    def value(self, key: str, code: str, year: int | None = None) -> float | None:
        return self.values.get((key, code, self.year if year is None else year))

    def series(self, key: str, code: str) -> list[tuple[int, float | None]]:
        return [(year, self.values.get((key, code, year))) for year in self.years]

    def group_stat(self, group: str, code: str, year: int | None = None) -> GroupStats | None:
        return self.group_stats.get((group, code, self.year if year is None else year))


# --- the data version and the caches ------------------------------------------------------


def data_version() -> str:
    """A stamp that changes whenever the numbers could: imports, edits, new units.

    One query of cheap, index-backed aggregates: the highest id of observations
    (rows added; imports never delete, they store a missing value in place), the
    latest import run and its end (values changed in place by an import), and
    the units' count and latest change (the TERC import changes gmina types, and
    with them the comparison groups). Counting observations would scan the
    whole table on every page view.
    """
    obs = connection.ops.quote_name(Observation._meta.db_table)
    run = connection.ops.quote_name(ImportRun._meta.db_table)
    unit = connection.ops.quote_name(Unit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {obs}), "
            f"(SELECT MAX(id) FROM {run}), (SELECT MAX(finished_at) FROM {run}), "
            f"(SELECT COUNT(*) FROM {unit}), (SELECT MAX(updated_at) FROM {unit})"
        )
        row = cursor.fetchone()
    return "|".join(str(part) for part in row)


_lock = threading.RLock()
# version → national data (only the newest few versions are kept)
_national: OrderedDict[str, _National] = OrderedDict()
# (version, partnership id, partnership updated_at, year) → Portrait
_portraits: OrderedDict[tuple, Portrait] = OrderedDict()
NATIONAL_VERSIONS_KEPT = 2
PORTRAITS_KEPT = 64


def clear_cache() -> None:
    """Forget everything computed (tests; a management command after bulk edits)."""
    with _lock:
        _national.clear()
        _portraits.clear()


def _remember(store: OrderedDict, key: Any, value: Any, keep: int) -> None:
    store[key] = value
    store.move_to_end(key)
    while len(store) > keep:
        store.popitem(last=False)


# --- national computation -----------------------------------------------------------------


@dataclass
class _National:
    catalogue: Catalogue
    values: pl.DataFrame  # every gmina: teryt, year, indicator, value, numerator, denominator...
    years: tuple[int, ...]
    gminas: dict[str, tuple[str, str, bool, str | None]]  # teryt → name, type, city, powiat
    names: dict[str, str]  # teryt of powiats and voivodeships → display name
    admin_aggregates: pl.DataFrame  # area key, year, indicator, value, units_with_data, units_total
    by_year: dict[int, _NationalYear] = field(default_factory=dict)


@dataclass
class _NationalYear:
    groups: pl.DataFrame  # teryt, group
    positions: pl.DataFrame
    shares: pl.DataFrame
    group_summaries: pl.DataFrame  # group, indicator, year, size, median, q1, q3, mean
    group_aggregates: pl.DataFrame  # area key, year, indicator, value, ...
    synthetic: pl.DataFrame  # teryt, dimension, hellwig, standardised_sum, indicators, + position


def _load_units() -> tuple[dict[str, tuple[str, str, bool, str | None]], dict[str, str]]:
    gminas: dict[str, tuple[str, str, bool, str | None]] = {}
    names: dict[str, str] = {}
    rows = Unit.objects.values_list(
        "teryt", "name", "kind", "gmina_type", "is_city_with_powiat_rights", "parent__teryt"
    )
    for teryt, name, kind, gmina_type, city, parent in rows:
        if kind == UnitKind.GMINA:
            gminas[teryt] = (name, gmina_type, city, parent)
        else:
            # The same display names as Unit.display_name, without instances.
            unit = Unit(teryt=teryt, name=name, kind=kind, is_city_with_powiat_rights=city)
            names[teryt] = unit.display_name
    return gminas, names


def _load_observations(catalogue: Catalogue) -> pl.DataFrame:
    """Observations of the catalogue's variables for every gmina, as a compute frame."""
    variables = dict(
        Variable.objects.filter(code__in=catalogue.variable_codes()).values_list("id", "code")
    )
    if not variables:
        return compute.observations_frame([])
    rows = (
        Observation.objects.filter(
            variable_id__in=list(variables), unit__kind=UnitKind.GMINA, value__isnull=False
        )
        .annotate(number=Cast("value", FloatField()))
        .values_list("unit__teryt", "variable_id", "year", "number")
    )
    frame = pl.DataFrame(
        list(rows), schema={"teryt": pl.String, "variable_id": pl.Int64, "year": pl.Int64,
                            "value": pl.Float64}, orient="row",
    )
    codes = pl.DataFrame({"variable_id": list(variables), "variable": list(variables.values())},
                         schema={"variable_id": pl.Int64, "variable": pl.String})
    return compute.observations_frame(
        frame.join(codes, on="variable_id", how="inner")
        .select("teryt", "variable", "year", "value")
    )


def _build_national(catalogue: Catalogue) -> _National:
    gminas, names = _load_units()
    obs = _load_observations(catalogue)
    values = compute.indicator_values(obs, catalogue)
    years = tuple(sorted(values.filter(pl.col("value").is_not_null())["year"].unique().to_list()))
    admin = pl.DataFrame(
        [
            (teryt, area)
            for teryt, (_name, _type, _city, powiat) in gminas.items()
            for area in (
                ([f"powiat:{powiat}"] if powiat else [])
                + [f"voivodeship:{teryt[:2]}", COUNTRY]
            )
        ],
        schema={"teryt": pl.String, "group": pl.String}, orient="row",
    )
    admin_aggregates = (
        compute.aggregate(values, admin) if not values.is_empty() and not admin.is_empty()
        else _empty_aggregates()
    )
    return _National(catalogue=catalogue, values=values, years=years, gminas=gminas,
                     names=names, admin_aggregates=admin_aggregates)


def _empty_aggregates() -> pl.DataFrame:
    return pl.DataFrame(schema={
        "group": pl.String, "year": pl.Int64, "indicator": pl.String, "value": pl.Float64,
        "numerator": pl.Float64, "denominator": pl.Float64, "units_with_data": pl.UInt32,
        "units_total": pl.UInt32,
    })


def _build_year(national: _National, year: int) -> _NationalYear:
    catalogue, values = national.catalogue, national.values
    types = pl.DataFrame(
        {"teryt": list(national.gminas),
         "gmina_type": [g[1] or None for g in national.gminas.values()]},
        schema={"teryt": pl.String, "gmina_type": pl.String},
    )
    groups = compute.comparison_groups(compute.units_for_groups(values, year, types))
    positions = compute.positions(values, groups, year, catalogue)
    shares = analysis.shares(values, groups, year)
    summaries = [
        compute.group_summary(values, groups, y)
        .with_columns(pl.lit(y, dtype=pl.Int64).alias("year"))
        for y in national.years
    ]
    group_summaries = pl.concat(summaries, how="vertical") if summaries else pl.DataFrame()
    group_aggregates = compute.aggregate(
        values, groups.with_columns(("group:" + pl.col("group")).alias("group"))
    ) if not groups.is_empty() else _empty_aggregates()
    synthetic = compute.synthetic_measures(values, catalogue, year, units=list(national.gminas))
    if not synthetic.is_empty():
        scored = compute.positions(
            pl.concat([
                compute.synthetic_as_values(synthetic, year, "hellwig"),
            ]),
            groups, year, polarity={f"hellwig_{d}": 1 for d in (*DIMENSIONS, OVERALL)},
        ).select(
            "teryt", pl.col("indicator").str.strip_prefix("hellwig_").alias("dimension"),
            "percentile", "rank", "group_size",
        )
        synthetic = synthetic.join(scored, on=["teryt", "dimension"], how="left")
    return _NationalYear(groups=groups, positions=positions, shares=shares,
                         group_summaries=group_summaries, group_aggregates=group_aggregates,
                         synthetic=synthetic)


def _national_data(version: str, year: int | None) -> tuple[_National, int | None]:
    """The national data of `version`, with the year-dependent part for `year` (None: latest)."""
    with _lock:
        national = _national.get(version)
        if national is None:
            national = _build_national(load_catalogue())
            _remember(_national, version, national, NATIONAL_VERSIONS_KEPT)
        if not national.years:
            return national, None
        chosen = year if year in national.years else national.years[-1]
        if chosen not in national.by_year:
            national.by_year[chosen] = _build_year(national, chosen)
        return national, chosen


# --- per partnership ----------------------------------------------------------------------


def available_years() -> tuple[int, ...]:
    national, _year = _national_data(data_version(), None)
    return national.years


def reference_year(partnership: Partnership) -> int | None:
    from razem.portrait.rules import settings_for

    settings = settings_for(partnership)
    return settings.reference_year if settings else None


def portrait_for(partnership: Partnership, year: int | None = None) -> Portrait:
    """Everything the portrait pages show about `partnership` in `year`.

    `year` None: the partnership's chosen reference year, else the latest year
    with data; a year without data falls back to the latest. Raises NoData
    when nothing has been imported.
    """
    version = data_version()
    wanted = year if year is not None else reference_year(partnership)
    key = (version, partnership.pk, partnership.updated_at.timestamp(), wanted)
    with _lock:
        cached = _portraits.get(key)
    if cached is not None:
        return cached
    national, chosen = _national_data(version, wanted)
    if chosen is None:
        raise NoData
    portrait = _build_portrait(partnership, national, chosen, version)
    with _lock:
        _remember(_portraits, key, portrait, PORTRAITS_KEPT)
    return portrait


def _member_units(partnership: Partnership,
                  groups: dict[str, str]) -> tuple[list[MemberUnit], dict[str, Any]]:
    members: list[MemberUnit] = []
    boundaries: dict[str, Any] = {}
    rows = partnership.units.values_list(
        "teryt", "name", "kind", "gmina_type", "is_city_with_powiat_rights", "parent__teryt",
        "boundary",
    )
    for teryt, name, kind, gmina_type, city, parent, boundary in rows:
        display = Unit(teryt=teryt, name=name, kind=kind,
                       is_city_with_powiat_rights=city).display_name
        if kind == UnitKind.GMINA:
            members.append(MemberUnit(teryt, display, kind, gmina_type, city, teryt,
                                      groups.get(teryt), parent))
            if boundary:
                boundaries[teryt] = boundary
        elif kind == UnitKind.POWIAT:
            members.append(MemberUnit(teryt, display, kind, "", city, f"powiat:{teryt}"))
        else:
            members.append(MemberUnit(teryt, display, kind, "", city, f"voivodeship:{teryt}"))
    order = {UnitKind.VOIVODESHIP: 0, UnitKind.POWIAT: 1, UnitKind.GMINA: 2}
    members.sort(key=lambda m: (order.get(m.kind, 3), m.name, m.teryt))
    return members, boundaries


def _build_portrait(partnership: Partnership, national: _National, year: int,
                    version: str) -> Portrait:
    yearly = national.by_year[year]
    catalogue = national.catalogue
    groups = dict(yearly.groups.iter_rows())
    members, boundaries = _member_units(partnership, groups)
    gmina_codes = [m.teryt for m in members if m.is_gmina]

    member_values = national.values.filter(pl.col("teryt").is_in(gmina_codes))
    partnership_aggregate = compute.aggregate(
        member_values,
        pl.DataFrame({"teryt": gmina_codes, "group": [PARTNERSHIP] * len(gmina_codes)},
                     schema={"teryt": pl.String, "group": pl.String}),
    ) if gmina_codes else _empty_aggregates()

    areas: list[Area] = [Area(PARTNERSHIP, "partnership", partnership.name)]
    powiats = list(dict.fromkeys(
        [m.teryt for m in members if m.kind == UnitKind.POWIAT]
        + [m.powiat for m in members if m.is_gmina and m.powiat]
    ))
    voivodeships = list(dict.fromkeys(code[:2] for code in [*gmina_codes, *powiats]))
    areas += [Area(f"powiat:{p}", "powiat", national.names.get(p, p), p) for p in powiats]
    areas += [Area(f"voivodeship:{v}", "voivodeship", national.names.get(v, v), v)
              for v in voivodeships]
    areas.append(Area(COUNTRY, "country", "Polska"))
    member_groups = list(dict.fromkeys(m.group for m in members if m.group))
    areas += [Area(f"group:{g}", "group", compute.group_label(g), g) for g in member_groups]
    area_keys = {a.key for a in areas}

    values: dict[tuple[str, str, int], float | None] = {
        (teryt, indicator, y): value
        for teryt, y, indicator, value in member_values.select(
            "teryt", "year", "indicator", "value").iter_rows()
    }
    coverage: dict[tuple[str, str, int], tuple[int, int]] = {}
    aggregates = pl.concat([
        partnership_aggregate.select(_AGGREGATE_COLUMNS),
        national.admin_aggregates.filter(pl.col("group").is_in(list(area_keys)))
        .select(_AGGREGATE_COLUMNS),
        yearly.group_aggregates.filter(pl.col("group").is_in(list(area_keys)))
        .select(_AGGREGATE_COLUMNS),
    ], how="vertical_relaxed")
    for key, y, indicator, value, with_data, total in aggregates.iter_rows():
        values[(key, indicator, y)] = value
        coverage[(key, indicator, y)] = (int(with_data), int(total))

    positions: dict[tuple[str, str], Position] = {}
    shares = {
        (teryt, indicator): (lower, higher)
        for teryt, indicator, _g, lower, higher, _n in yearly.shares.filter(
            pl.col("teryt").is_in(gmina_codes)).iter_rows()
    }
    for row in yearly.positions.filter(pl.col("teryt").is_in(gmina_codes)).iter_rows(named=True):
        lower, higher = shares.get((row["teryt"], row["indicator"]), (None, None))
        positions[(row["teryt"], row["indicator"])] = Position(
            value=row["value"], group=row["group"], percentile=row["percentile"],
            z_score=row["z_score"], rank=row["rank"], group_size=row["group_size"],
            group_median=row["group_median"], group_q1=row["group_q1"],
            group_q3=row["group_q3"], lower=lower, higher=higher,
        )

    group_stats = {
        (g, indicator, y): GroupStats(size, median, q1, q3, mean)
        for g, indicator, size, median, q1, q3, mean, y in yearly.group_summaries.filter(
            pl.col("group").is_in(member_groups)
        ).select("group", "indicator", "size", "median", "q1", "q3", "mean", "year").iter_rows()
    } if not yearly.group_summaries.is_empty() else {}

    synthetic = {
        (row["teryt"], row["dimension"]): Synthetic(
            row["hellwig"], row["standardised_sum"], row["indicators"],
            row.get("percentile"), row.get("rank"), row.get("group_size"),
        )
        for row in yearly.synthetic.filter(pl.col("teryt").is_in(gmina_codes)).iter_rows(named=True)
    }
    synthetic.update(_partnership_synthetic(national, partnership_aggregate, year))

    partnership_position = {
        row["indicator"]: row
        for row in analysis.against_distribution(
            partnership_aggregate.filter(pl.col("year") == year).select("indicator", "value"),
            national.values, year,
        ).iter_rows(named=True)
    } if gmina_codes else {}

    return Portrait(
        partnership_id=partnership.pk, version=version, year=year, years=national.years,
        catalogue=catalogue, members=tuple(members), areas=tuple(areas), values=values,
        coverage=coverage, positions=positions, group_stats=group_stats, synthetic=synthetic,
        partnership_position=partnership_position, boundaries=boundaries,
    )


_AGGREGATE_COLUMNS = ["group", "year", "indicator", "value", "units_with_data", "units_total"]


def _partnership_synthetic(national: _National, aggregate: pl.DataFrame,
                           year: int) -> dict[tuple[str, str], Synthetic]:
    """The partnership as one area, scored against all gminas of Poland.

    The aggregate joins the national matrix as one more unit; its values lie
    within its members' range, so the pattern of development does not move
    and the gminas' own scores (computed without it) stay comparable.
    """
    if aggregate.is_empty():
        return {}
    pseudo = aggregate.filter(pl.col("year") == year).select(
        pl.lit(PARTNERSHIP).alias("teryt"), "year", "indicator", "value",
    )
    values = pl.concat([
        national.values.filter(pl.col("year") == year)
        .select("teryt", "year", "indicator", "value"),
        pseudo,
    ], how="vertical_relaxed")
    measures = compute.synthetic_measures(
        values, national.catalogue, year, units=[*national.gminas, PARTNERSHIP]
    ).filter(pl.col("teryt") == PARTNERSHIP)
    return {
        (PARTNERSHIP, row["dimension"]): Synthetic(row["hellwig"], row["standardised_sum"],
                                                    row["indicators"])
        for row in measures.iter_rows(named=True)
    }


# --- the API's view of one indicator ------------------------------------------------------


def indicator_for(partnership: Partnership, code: str, year: int | None = None) -> dict[str, Any]:
    """One indicator for the API: each member unit, the partnership, the comparison groups.

    Raises UnknownIndicator for a code outside the catalogue and NoData when
    nothing has been imported. A year without data falls back to the latest
    year; the answer's "year" says which one was used.
    """
    if code not in load_catalogue():
        raise UnknownIndicator(code)
    portrait = portrait_for(partnership, year)
    indicator = portrait.indicator(code)
    units = []
    for member in portrait.members:
        position = portrait.positions.get((member.teryt, code))
        entry: dict[str, Any] = {
            "teryt": member.teryt,
            "name": member.name,
            "kind": member.kind,
            "value": portrait.value(member.key, code),
            "comparison_group": None,
        }
        if member.is_gmina and member.group:
            stats = portrait.group_stat(member.group, code)
            entry["comparison_group"] = {
                "id": member.group,
                "label": compute.group_label(member.group),
                "median": stats.median if stats else None,
                "q1": stats.q1 if stats else None,
                "q3": stats.q3 if stats else None,
                "size": stats.size if stats else 0,
            }
            entry["percentile"] = position.percentile if position else None
            entry["z_score"] = position.z_score if position else None
            entry["rank"] = position.rank if position else None
        units.append(entry)
    with_data, total = portrait.coverage.get((PARTNERSHIP, code, portrait.year), (0, 0))
    return {
        "code": indicator.code,
        "name": indicator.name_pl,
        "name_en": indicator.name_en,
        "unit": indicator.unit_pl,
        "polarity": indicator.polarity,
        "dimension": indicator.dimension,
        "year": portrait.year,
        "years": list(portrait.years),
        "units": units,
        "partnership": {
            "value": portrait.value(PARTNERSHIP, code),
            "units_with_data": with_data,
            "units_total": total,
        },
        "comparison_groups": [
            {
                "id": group,
                "label": compute.group_label(group),
                "median": stats.median if stats else None,
                "q1": stats.q1 if stats else None,
                "q3": stats.q3 if stats else None,
                "size": stats.size if stats else 0,
            }
            for group in portrait.groups
            for stats in [portrait.group_stat(group, code)]
        ],
        "source": indicator.source_pl,
    }
