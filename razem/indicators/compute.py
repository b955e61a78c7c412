"""Indicator computation over polars frames: values, aggregates, comparison groups,
positions, change and synthetic measures. Pure functions, no ORM.

Frames passed between the functions:

* observations: teryt (str), variable (str), year (int), value (float, null = missing)
* values (indicator_values): teryt, year, indicator, value, numerator, denominator,
  scale, ratio — value = numerator / denominator × scale for ratios, numerator × scale
  for counts (ratio false, denominator null)
* groups: teryt, group — a unit may belong to several groups

Policies (docs/methodology.md explains them to readers):

* Aggregates are ratios of sums, sum(numerator) / sum(denominator) × scale, over the
  units of the group with a value; counts are sums. Never means of ratios.
* Positions: rank 1 = best, respecting polarity (ties share the best rank);
  percentile = share of the other units of the group that the unit does better than
  (ties count half), 100 = best, 0 = worst, also respecting polarity; z-score is NOT
  flipped: (value − group mean) / group sd, sd with the population formula.
* Synthetic measures, per year and dimension, over the units given: an indicator
  missing for more than 25% of the units, or constant, is left out; a unit missing
  more than half of the remaining indicators gets no score; other gaps are filled
  with the indicator's median over the scored units; then each indicator is clipped
  to its 1st–99th percentiles (outliers) before standardising.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from razem.indicators import formula as fx
from razem.indicators.catalogue import DIMENSIONS, Catalogue, load_catalogue

OBSERVATION_SCHEMA: dict[str, pl.DataType] = {
    "teryt": pl.String(),
    "variable": pl.String(),
    "year": pl.Int64(),
    "value": pl.Float64(),
}
VALUES_SCHEMA: dict[str, pl.DataType] = {
    "teryt": pl.String(),
    "year": pl.Int64(),
    "indicator": pl.String(),
    "value": pl.Float64(),
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
    "scale": pl.Float64(),
    "ratio": pl.Boolean(),
}
# Synthetic-measure missing-value policy (see the module docstring).
MAX_MISSING_SHARE = 0.25
MAX_UNIT_MISSING_SHARE = 0.5
# Outlier policy of synthetic_measures: clip each indicator to its 1st and 99th
# percentiles before standardising. Without it one extreme gmina (Kleszczów's
# revenue per resident is 9× the median) becomes the whole pattern of development
# and squeezes every other gmina's Hellwig score towards zero.
WINSORISE = 0.01
OVERALL = "overall"


# --- observations and aliases --------------------------------------------------------


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value) if isinstance(value, Decimal | int | float) else float(str(value))
    return number if math.isfinite(number) else None


def observations_frame(rows: Iterable[Any] | pl.DataFrame) -> pl.DataFrame:
    """Observations as a typed frame.

    `rows` are (teryt, variable, year, value) tuples — e.g. from
    `Observation.objects.values_list("unit__teryt", "variable__code", "year", "value")` —
    or mappings with those keys, or a frame with those columns. Decimals become floats
    (exact enough for ratios; the database keeps the exact figures).
    """
    if isinstance(rows, pl.DataFrame):
        return rows.select(
            pl.col(name).cast(dtype) for name, dtype in OBSERVATION_SCHEMA.items()
        ).with_columns(pl.when(pl.col("value").is_finite()).then(pl.col("value")).alias("value"))
    teryts: list[str] = []
    variables: list[str] = []
    years: list[int] = []
    values: list[float | None] = []
    for row in rows:
        if isinstance(row, Mapping):
            teryt, variable, year, value = row["teryt"], row["variable"], row["year"], row["value"]
        else:
            teryt, variable, year, value = row
        teryts.append(str(teryt))
        variables.append(str(variable))
        years.append(int(year))
        values.append(_number(value))
    return pl.DataFrame(
        {"teryt": teryts, "variable": variables, "year": years, "value": values},
        schema=OBSERVATION_SCHEMA,
    )


def observations_from_tables(tables: Iterable[Any]) -> pl.DataFrame:
    """Observations straight from parsed BDL exports (razem.indicators.bdl_csv.BdlTable),
    without the database: for benchmarks, checks and previews of an upload."""
    teryts: list[str] = []
    variables: list[str] = []
    years: list[int] = []
    values: list[float | None] = []
    for table in tables:
        for row in table.rows:
            for column, value in zip(table.columns, row.values, strict=True):
                teryts.append(row.code)
                variables.append(column.variable_code)
                years.append(column.year)
                values.append(None if value is None else float(value))
    return pl.DataFrame(
        {"teryt": teryts, "variable": variables, "year": years, "value": values},
        schema=OBSERVATION_SCHEMA,
    )


def alias_frame(obs: pl.DataFrame, catalogue: Catalogue | None = None) -> pl.DataFrame:
    """Wide frame: teryt, year and one column per alias.

    For each unit, year and alias the first of the alias's variable codes that has a
    value wins, so exports whose labels change from year to year fill one column.
    Aliases marked `zero_is_missing` treat 0 as no value.
    """
    catalogue = catalogue or load_catalogue()
    aliases = list(catalogue.aliases)
    mapping = pl.DataFrame(
        [
            (code, name, priority, alias.zero_is_missing)
            for name, alias in catalogue.aliases.items()
            for priority, code in enumerate(alias.lookup_codes)
        ],
        schema={"variable": pl.String, "alias": pl.String, "priority": pl.Int64,
                "zero_is_missing": pl.Boolean},
        orient="row",
    )
    long = (
        obs.lazy()
        .filter(pl.col("value").is_not_null())
        .join(mapping.lazy(), on="variable", how="inner")
        .filter(~(pl.col("zero_is_missing") & (pl.col("value") == 0)))
        .sort(["teryt", "year", "alias", "priority"])
        .unique(subset=["teryt", "year", "alias"], keep="first", maintain_order=True)
        .select("teryt", "year", "alias", "value")
        .collect()
    )
    # Unit-years whose observations are all missing still get a row (all nulls), so
    # "no data" shows as a null value rather than an absent unit.
    keys = obs.select("teryt", "year").unique()
    if long.is_empty():
        wide = keys
    else:
        wide = keys.join(
            long.pivot(on="alias", index=["teryt", "year"], values="value"),
            on=["teryt", "year"],
            how="left",
        )
    missing = [name for name in aliases if name not in wide.columns]
    wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(name) for name in missing)
    return wide.select("teryt", "year", *aliases).sort(["teryt", "year"])


# --- indicator values ----------------------------------------------------------------


def _finite(expr: pl.Expr) -> pl.Expr:
    # Division by zero gives inf or NaN; an indicator then has no value, not a huge one.
    return pl.when(expr.is_finite()).then(expr)


def _with_year_references(
    wide: pl.DataFrame, refs: set[fx.Ref], base_year: int | None
) -> tuple[pl.DataFrame, int | None]:
    frame = wide
    for offset in sorted({ref.offset for ref in refs if isinstance(ref.offset, int)}):
        names = sorted({ref.alias for ref in refs if ref.offset == offset})
        shifted = wide.select(
            "teryt",
            # offset −1: last year's row lands on this year.
            (pl.col("year") - offset).alias("year"),
            *(pl.col(name).alias(fx.column_name(name, offset)) for name in names),
        )
        frame = frame.join(shifted, on=["teryt", "year"], how="left")
    if base_year is None and frame.height:
        base_year = int(frame["year"].min())  # type: ignore[arg-type]
    if base_year is not None:
        frame = frame.filter(pl.col("year") >= base_year)
    base_names = sorted({ref.alias for ref in refs if ref.offset == "base"})
    if base_names:
        base = wide.filter(pl.col("year") == base_year).select(
            "teryt", *(pl.col(name).alias(fx.column_name(name, "base")) for name in base_names)
        )
        frame = frame.join(base, on="teryt", how="left")
    return frame, base_year


def indicator_values(
    obs: pl.DataFrame,
    catalogue: Catalogue | None = None,
    units: Iterable[str] | None = None,
    *,
    base_year: int | None = None,
    indicators: Iterable[str] | None = None,
) -> pl.DataFrame:
    """Every indicator for every unit and year (long frame, VALUES_SCHEMA).

    `base_year` is the first year of the period (`@base`); by default the first year
    with data. Years before it are left out. `units` restricts the units computed,
    `indicators` the indicators.
    """
    catalogue = catalogue or load_catalogue()
    wide = alias_frame(obs, catalogue)
    if units is not None:
        wide = wide.filter(pl.col("teryt").is_in(list(units)))
    wanted = set(indicators) if indicators is not None else None
    chosen = [
        indicator
        for indicator in catalogue.indicators
        if wanted is None or indicator.code in wanted
    ]
    if not chosen or wide.is_empty():
        return pl.DataFrame(schema=VALUES_SCHEMA)
    refs = set().union(*(indicator.references() for indicator in chosen))
    frame, _ = _with_year_references(wide, refs, base_year)
    parts = []
    for indicator in chosen:
        assert indicator.numerator_ast is not None
        numerator = _finite(fx.to_polars(indicator.numerator_ast))
        if indicator.denominator_ast is not None:
            denominator = _finite(fx.to_polars(indicator.denominator_ast))
            value = _finite(numerator / denominator * indicator.scale)
        else:
            denominator = pl.lit(None, dtype=pl.Float64)
            value = numerator * indicator.scale
        parts.append(
            frame.lazy().select(
                "teryt",
                "year",
                pl.lit(indicator.code).alias("indicator"),
                value.alias("value"),
                numerator.alias("numerator"),
                denominator.alias("denominator"),
                pl.lit(indicator.scale, dtype=pl.Float64).alias("scale"),
                pl.lit(indicator.is_ratio).alias("ratio"),
            )
        )
    frames = pl.collect_all(parts)
    return pl.concat(frames, how="vertical").cast(VALUES_SCHEMA)  # type: ignore[arg-type]


# --- aggregates ------------------------------------------------------------------------


def aggregate(values: pl.DataFrame, groups: pl.DataFrame) -> pl.DataFrame:
    """Indicator values of groups of units: ratios of sums, never means of ratios.

    value = sum(numerator) / sum(denominator) × scale over the group's units that have
    a value in that year (counts: sum(numerator) × scale). `units_with_data` and
    `units_total` say how complete the group is; a sum over an incomplete group
    understates, so show the counts with it.
    """
    members = groups.select(pl.col("teryt").cast(pl.String), pl.col("group").cast(pl.String))
    totals = members.group_by("group").agg(pl.col("teryt").n_unique().alias("units_total"))
    summed = (
        values.lazy()
        .filter(pl.col("value").is_not_null())
        .join(members.lazy(), on="teryt", how="inner")
        .group_by(["group", "year", "indicator"])
        .agg(
            pl.col("numerator").sum(),
            pl.col("denominator").sum(),
            pl.col("scale").first(),
            pl.col("ratio").first(),
            pl.col("teryt").n_unique().alias("units_with_data"),
        )
        .with_columns(
            _finite(
                pl.when(pl.col("ratio"))
                .then(pl.col("numerator") / pl.col("denominator") * pl.col("scale"))
                .otherwise(pl.col("numerator") * pl.col("scale"))
            ).alias("value"),
            pl.when(pl.col("ratio")).then(pl.col("denominator")).alias("denominator"),
        )
        .join(totals.lazy(), on="group", how="left")
        .select(
            "group", "year", "indicator", "value", "numerator", "denominator",
            "units_with_data", "units_total",
        )
        .sort(["group", "indicator", "year"])
        .collect()
    )
    return summed


# --- comparison groups -----------------------------------------------------------------

# Population classes per gmina type: lower bound inclusive, upper exclusive. Chosen so
# that every class holds enough gminas nationally (2019: urban 48/68/103/45/38, rural
# 579/687/240/31, urban-rural 42/238/230/128) — few rural gminas exceed 20,000, few
# towns are under 10,000.
POPULATION_CLASSES: dict[str, tuple[tuple[int, int | None], ...]] = {
    "urban": ((0, 10_000), (10_000, 20_000), (20_000, 50_000), (50_000, 100_000), (100_000, None)),
    "rural": ((0, 5_000), (5_000, 10_000), (10_000, 20_000), (20_000, None)),
    "urban-rural": ((0, 5_000), (5_000, 10_000), (10_000, 20_000), (20_000, None)),
}
GMINA_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "urban": ("gminy miejskie", "urban gminas"),
    "rural": ("gminy wiejskie", "rural gminas"),
    "urban-rural": ("gminy miejsko-wiejskie", "urban-rural gminas"),
}
# TERC "RODZ" digit of a gmina code.
_TYPE_DIGITS = {"1": "urban", "2": "rural", "3": "urban-rural"}


def _class_slug(lower: int, upper: int | None) -> str:
    if upper is None:
        return f"{lower // 1000}k-plus"
    return f"{lower // 1000}-{upper // 1000}k"


def comparison_group_ids() -> list[str]:
    """Every comparison group id, e.g. `rural:5-10k`, in display order."""
    return [
        f"{gmina_type}:{_class_slug(lower, upper)}"
        for gmina_type, classes in POPULATION_CLASSES.items()
        for lower, upper in classes
    ]


def gmina_type_from_teryt(teryt: str) -> str | None:
    """urban / rural / urban-rural from the 7th digit of a gmina TERYT code."""
    return _TYPE_DIGITS.get(teryt[6:7]) if len(teryt) == 7 else None


def comparison_groups(units: pl.DataFrame) -> pl.DataFrame:
    """Group id of each gmina: gmina type × population class.

    `units` has teryt, gmina_type (`urban`, `rural`, `urban-rural`, or the TERC digit
    1/2/3) and population — of one reference year, for ALL gminas in Poland, so that a
    partnership's gminas are compared with every similar gmina. Units without a
    known type or population get no group (no row).
    """
    types = pl.col("gmina_type").cast(pl.String).replace(_TYPE_DIGITS)
    population = pl.col("population").cast(pl.Float64)
    group: pl.Expr = pl.lit(None, dtype=pl.String)
    for gmina_type, classes in POPULATION_CLASSES.items():
        for lower, upper in classes:
            condition = (types == gmina_type) & (population >= lower)
            if upper is not None:
                condition &= population < upper
            group_id = f"{gmina_type}:{_class_slug(lower, upper)}"
            group = pl.when(condition).then(pl.lit(group_id)).otherwise(group)
    return (
        units.select(pl.col("teryt").cast(pl.String), group.alias("group"))
        .filter(pl.col("group").is_not_null())
        .sort("teryt")
    )


def group_label(group_id: str, language: str = "pl") -> str:
    """Label of a group: `rural:5-10k` → "gminy wiejskie, 5–10 tys. mieszkańców"
    (pl) or "rural gminas, 5–10 thousand residents" (en)."""
    english = language.startswith("en")
    gmina_type, _, slug = group_id.partition(":")
    if gmina_type not in POPULATION_CLASSES:
        raise KeyError(f"unknown comparison group {group_id!r}")
    for lower, upper in POPULATION_CLASSES[gmina_type]:
        if _class_slug(lower, upper) == slug:
            break
    else:
        raise KeyError(f"unknown comparison group {group_id!r}")
    kind = GMINA_TYPE_LABELS[gmina_type][1 if english else 0]
    if upper is None:
        size = (f"{lower // 1000} thousand residents or more" if english
                else f"{lower // 1000} tys. mieszkańców i więcej")
    elif lower == 0:
        size = (f"under {upper // 1000} thousand residents" if english
                else f"poniżej {upper // 1000} tys. mieszkańców")
    else:
        size = (f"{lower // 1000}–{upper // 1000} thousand residents" if english
                else f"{lower // 1000}–{upper // 1000} tys. mieszkańców")
    return f"{kind}, {size}"


def units_for_groups(
    values: pl.DataFrame, year: int, types: pl.DataFrame | None = None
) -> pl.DataFrame:
    """teryt, gmina_type, population of `year` from indicator values, ready for comparison_groups.

    Without `types` (teryt, gmina_type) the type comes from the TERYT code's last digit.
    """
    population = values.filter(
        (pl.col("indicator") == "population") & (pl.col("year") == year)
    ).select("teryt", pl.col("value").alias("population"))
    if types is None:
        return population.with_columns(
            pl.col("teryt").str.slice(6, 1)
            .replace_strict(_TYPE_DIGITS, default=None)
            .alias("gmina_type")
        ).select("teryt", "gmina_type", "population")
    return types.select("teryt", "gmina_type").join(population, on="teryt", how="inner")


# --- positions in a group ----------------------------------------------------------------


def _polarity_frame(
    catalogue: Catalogue | None, polarity: Mapping[str, int] | None
) -> pl.DataFrame:
    mapping = dict(polarity) if polarity is not None else (catalogue or load_catalogue()).polarity()
    return pl.DataFrame(
        {"indicator": list(mapping), "polarity": [int(p) for p in mapping.values()]},
        schema={"indicator": pl.String, "polarity": pl.Int64},
    )


def positions(
    values: pl.DataFrame,
    groups: pl.DataFrame,
    year: int,
    catalogue: Catalogue | None = None,
    *,
    polarity: Mapping[str, int] | None = None,
) -> pl.DataFrame:
    """Where each unit stands in each of its groups, per indicator, in `year`.

    rank: 1 = best given the indicator's polarity (ties share the best rank).
    percentile: 100 × (units it beats + ½ × units tied with it) / (group size − 1), so
    100 = best and 0 = worst whatever the polarity; null in a group of one.
    z_score: (value − group mean) / group standard deviation (population formula),
    in the indicator's own direction — not flipped for destimulants.
    Group statistics count only units with a value; indicators not in the catalogue
    are treated as stimulants.
    """
    members = groups.select(pl.col("teryt").cast(pl.String), pl.col("group").cast(pl.String))
    window = ["group", "indicator"]
    value = pl.col("value")
    good = value * pl.col("polarity")
    size = value.count().over(window)
    frame = (
        values.lazy()
        .filter(pl.col("year") == year)
        .select("teryt", "indicator", "value")
        .join(members.lazy(), on="teryt", how="inner")
        .join(_polarity_frame(catalogue, polarity).lazy(), on="indicator", how="left")
        .with_columns(pl.col("polarity").fill_null(1))
        .with_columns(
            size.alias("group_size"),
            value.mean().over(window).alias("group_mean"),
            value.std(ddof=0).over(window).alias("group_sd"),
            value.median().over(window).alias("group_median"),
            value.quantile(0.25, "linear").over(window).alias("group_q1"),
            value.quantile(0.75, "linear").over(window).alias("group_q3"),
            good.rank("min", descending=True).over(window).cast(pl.Int64).alias("rank"),
            pl.when(size > 1)
            .then((good.rank("average").over(window) - 1) / (size - 1) * 100)
            .alias("percentile"),
        )
        .with_columns(
            pl.when(pl.col("group_sd") > 0)
            .then((value - pl.col("group_mean")) / pl.col("group_sd"))
            .when(value.is_not_null() & pl.col("group_sd").is_not_null())
            .then(0.0)
            .alias("z_score")
        )
        .select(
            "teryt", "indicator", "group", "value", "percentile", "z_score", "rank",
            pl.col("group_size").cast(pl.Int64), "group_median", "group_q1", "group_q3",
            "group_mean", "polarity",
        )
        .sort(["group", "indicator", "teryt"])
    )
    return frame.collect()


def group_summary(values: pl.DataFrame, groups: pl.DataFrame, year: int) -> pl.DataFrame:
    """Distribution of unit values per group and indicator in `year`.

    These are statistics of the units' own values (the typical gmina of the group);
    the group's value as one area is `aggregate`.
    """
    members = groups.select(pl.col("teryt").cast(pl.String), pl.col("group").cast(pl.String))
    value = pl.col("value")
    return (
        values.lazy()
        .filter((pl.col("year") == year) & value.is_not_null())
        .join(members.lazy(), on="teryt", how="inner")
        .group_by(["group", "indicator"])
        .agg(
            value.count().cast(pl.Int64).alias("size"),
            value.median().alias("median"),
            value.quantile(0.25, "linear").alias("q1"),
            value.quantile(0.75, "linear").alias("q3"),
            value.mean().alias("mean"),
            value.std(ddof=0).alias("sd"),
            value.min().alias("min"),
            value.max().alias("max"),
        )
        .sort(["group", "indicator"])
        .collect()
    )


# --- change ------------------------------------------------------------------------------


def change(values: pl.DataFrame, from_year: int, to_year: int, key: str = "teryt") -> pl.DataFrame:
    """Absolute and relative change of each indicator between two years.

    Works on unit values (key "teryt") and on aggregates (key "group").
    change_rel = (to − from) / |from| × 100; null when the starting value is 0.
    """
    start = values.filter(pl.col("year") == from_year).select(
        key, "indicator", pl.col("value").alias("value_from")
    )
    end = values.filter(pl.col("year") == to_year).select(
        key, "indicator", pl.col("value").alias("value_to")
    )
    difference = pl.col("value_to") - pl.col("value_from")
    return (
        start.join(end, on=[key, "indicator"], how="inner")
        .with_columns(
            difference.alias("change_abs"),
            pl.when(pl.col("value_from") != 0)
            .then(difference / pl.col("value_from").abs() * 100)
            .alias("change_rel"),
        )
        .sort([key, "indicator"])
    )


# --- synthetic measures ----------------------------------------------------------------------


def prepare_matrix(
    matrix: pl.DataFrame,
    columns: Sequence[str],
    *,
    id_col: str = "teryt",
    max_missing_share: float = MAX_MISSING_SHARE,
    max_unit_missing_share: float = MAX_UNIT_MISSING_SHARE,
    winsorise: float | None = None,
) -> tuple[pl.DataFrame, list[str]]:
    """Apply the missing-values policy; returns (complete matrix of scored units, columns kept).

    1. An indicator missing for more than `max_missing_share` of the units, or with the
       same value for every unit (nothing to standardise), is left out.
    2. A unit missing more than `max_unit_missing_share` of the remaining indicators
       gets no score (it is dropped from the matrix).
    3. Remaining gaps are filled with the indicator's median over the scored units.
    4. With `winsorise` = q, each indicator is clipped to its q and 1 − q quantiles
       over the scored units (linear interpolation).
    """
    units = matrix.height
    if units == 0:
        return matrix.select(id_col, *columns), []
    present = [name for name in columns if name in matrix.columns]
    if not present:
        return matrix.select(id_col).clear(), []
    stats = matrix.select(
        *(pl.col(name).null_count().alias(f"{name}__missing") for name in present),
        *(pl.col(name).drop_nulls().n_unique().alias(f"{name}__values") for name in present),
    ).row(0, named=True)
    kept = [
        name
        for name in present
        if stats[f"{name}__missing"] / units <= max_missing_share and stats[f"{name}__values"] > 1
    ]
    if not kept:
        return matrix.select(id_col).clear(), []
    missing = pl.sum_horizontal(pl.col(name).is_null().cast(pl.Int64) for name in kept)
    scored = matrix.filter(missing <= max_unit_missing_share * len(kept)).select(id_col, *kept)
    filled = scored.with_columns(pl.col(name).fill_null(pl.col(name).median()) for name in kept)
    if winsorise:
        filled = filled.with_columns(
            pl.col(name).clip(
                pl.col(name).quantile(winsorise, "linear"),
                pl.col(name).quantile(1 - winsorise, "linear"),
            )
            for name in kept
        )
    return filled, kept


def _z_scores(frame: pl.DataFrame, columns: Sequence[str]) -> list[pl.Expr]:
    # Population standard deviation, as in Hellwig (1968); a column that became
    # constant after units were dropped carries no information: z = 0.
    out = []
    for name in columns:
        sd = pl.col(name).std(ddof=0)
        out.append(
            pl.when(sd > 0)
            .then((pl.col(name) - pl.col(name).mean()) / sd)
            .otherwise(0.0)
            .alias(name)
        )
    return out


def hellwig(
    matrix: pl.DataFrame,
    polarity: Mapping[str, int],
    *,
    id_col: str = "teryt",
    max_missing_share: float = MAX_MISSING_SHARE,
    max_unit_missing_share: float = MAX_UNIT_MISSING_SHARE,
    winsorise: float | None = None,
) -> pl.DataFrame:
    """Hellwig's taxonomic measure of development for each unit (id_col, hellwig).

    z_ij = (x_ij − mean_j) / sd_j; the pattern of development z0_j is the best
    standardised value (max for stimulants, min for destimulants);
    c_i = sqrt(Σ_j (z_ij − z0_j)²); c0 = mean(c) + 2·sd(c); d_i = 1 − c_i / c0.
    Higher is better; d is at most 1 and below 0 only for extreme laggards.
    `matrix` has id_col and one column per indicator named in `polarity`.
    Units the missing-values policy excludes get null; `winsorise` clips outliers
    first (see prepare_matrix; off by default, on in synthetic_measures).
    """
    columns = [name for name in polarity if name in matrix.columns]
    prepared, kept = prepare_matrix(
        matrix, columns, id_col=id_col, max_missing_share=max_missing_share,
        max_unit_missing_share=max_unit_missing_share, winsorise=winsorise,
    )
    ids = matrix.select(id_col)
    if not kept or prepared.is_empty():
        return ids.with_columns(pl.lit(None, dtype=pl.Float64).alias("hellwig"))
    z = prepared.select(id_col, *_z_scores(prepared, kept))
    pattern = z.select(
        (pl.col(name).max() if polarity[name] > 0 else pl.col(name).min()) for name in kept
    ).row(0, named=True)
    distance = pl.sum_horizontal((pl.col(name) - pattern[name]) ** 2 for name in kept).sqrt()
    scored = z.select(id_col, distance.alias("c"))
    c0 = scored.select(pl.col("c").mean() + 2 * pl.col("c").std(ddof=0)).item()
    scored = scored.select(
        id_col,
        (pl.when(pl.lit(c0) > 0).then(1 - pl.col("c") / c0).otherwise(1.0)).alias("hellwig"),
    )
    return ids.join(scored, on=id_col, how="left")


def standardised_sum(
    matrix: pl.DataFrame,
    polarity: Mapping[str, int],
    *,
    id_col: str = "teryt",
    rescale: bool = True,
    max_missing_share: float = MAX_MISSING_SHARE,
    max_unit_missing_share: float = MAX_UNIT_MISSING_SHARE,
    winsorise: float | None = None,
) -> pl.DataFrame:
    """Mean of z-scores with destimulants negated (id_col, standardised_sum).

    With `rescale` the means are rescaled to 0–1 over the units scored
    ((s − min) / (max − min)), comparable in range with Hellwig's measure.
    Same missing-values and outlier options as `hellwig`.
    """
    columns = [name for name in polarity if name in matrix.columns]
    prepared, kept = prepare_matrix(
        matrix, columns, id_col=id_col, max_missing_share=max_missing_share,
        max_unit_missing_share=max_unit_missing_share, winsorise=winsorise,
    )
    ids = matrix.select(id_col)
    if not kept or prepared.is_empty():
        return ids.with_columns(pl.lit(None, dtype=pl.Float64).alias("standardised_sum"))
    z = prepared.select(id_col, *_z_scores(prepared, kept))
    mean = pl.mean_horizontal(
        (pl.col(name) if polarity[name] > 0 else -pl.col(name)) for name in kept
    ).alias("standardised_sum")
    scored = z.select(id_col, mean)
    if rescale:
        s = pl.col("standardised_sum")
        spread = s.max() - s.min()
        scored = scored.with_columns(
            pl.when(spread > 0).then((s - s.min()) / spread).alias("standardised_sum")
        )
    return ids.join(scored, on=id_col, how="left")


def synthetic_measures(
    values: pl.DataFrame,
    catalogue: Catalogue | None = None,
    year: int | None = None,
    units: Iterable[str] | None = None,
    *,
    max_missing_share: float = MAX_MISSING_SHARE,
    max_unit_missing_share: float = MAX_UNIT_MISSING_SHARE,
    winsorise: float | None = WINSORISE,
) -> pl.DataFrame:
    """Hellwig and standardised sum per unit and dimension (teryt, dimension, hellwig,
    standardised_sum, indicators) in `year`.

    Uses the catalogue's indicators marked `synthetic`; 'overall' pools all of them
    (not a mean of the dimension scores). The measures are relative to the units
    scored: pass `units` (e.g. all gminas in Poland, or one comparison group).
    `indicators` is how many indicators the dimension kept after the missing-values
    policy. Outliers are clipped to the 1st/99th percentiles (`winsorise`; None turns
    it off).
    """
    catalogue = catalogue or load_catalogue()
    if year is None:
        year = int(values["year"].max())  # type: ignore[arg-type]
    chosen = [indicator for indicator in catalogue.indicators if indicator.synthetic]
    codes = [indicator.code for indicator in chosen]
    frame = values.filter((pl.col("year") == year) & pl.col("indicator").is_in(codes))
    if units is not None:
        frame = frame.filter(pl.col("teryt").is_in(list(units)))
    schema = {
        "teryt": pl.String, "dimension": pl.String, "hellwig": pl.Float64,
        "standardised_sum": pl.Float64, "indicators": pl.Int64,
    }
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    matrix = frame.pivot(on="indicator", index="teryt", values="value").sort("teryt")
    parts = []
    policy = {
        "max_missing_share": max_missing_share,
        "max_unit_missing_share": max_unit_missing_share,
        "winsorise": winsorise,
    }
    sets = {dimension: [i for i in chosen if i.dimension == dimension] for dimension in DIMENSIONS}
    sets[OVERALL] = chosen
    for dimension, members in sets.items():
        polarity = {i.code: i.polarity for i in members if i.code in matrix.columns}
        _, kept = prepare_matrix(matrix, list(polarity), **policy)
        measures = hellwig(matrix, polarity, **policy).join(
            standardised_sum(matrix, polarity, **policy), on="teryt", how="left"
        )
        parts.append(
            measures.select(
                "teryt",
                pl.lit(dimension).alias("dimension"),
                "hellwig",
                "standardised_sum",
                pl.lit(len(kept), dtype=pl.Int64).alias("indicators"),
            )
        )
    return pl.concat(parts, how="vertical").cast(schema)  # type: ignore[arg-type]


def synthetic_as_values(
    measures: pl.DataFrame, year: int, measure: str = "hellwig"
) -> pl.DataFrame:
    """Synthetic scores shaped like indicator values (indicator `hellwig_social`, …),
    so `positions` and `group_summary` apply to them too (they count as stimulants)."""
    return measures.select(
        "teryt",
        pl.lit(year, dtype=pl.Int64).alias("year"),
        (pl.lit(f"{measure}_") + pl.col("dimension")).alias("indicator"),
        pl.col(measure).alias("value"),
    )


# --- benchmark -------------------------------------------------------------------------------


def benchmark_compute(
    obs: pl.DataFrame | Iterable[Any], catalogue: Catalogue | None = None
) -> float:
    """Seconds to compute the whole portrait for every unit in `obs`: all catalogue
    indicators for every year, both synthetic measures per year, comparison groups,
    positions and group aggregates for the last year."""
    frame = obs if isinstance(obs, pl.DataFrame) else observations_frame(obs)
    catalogue = catalogue or load_catalogue()
    started = time.perf_counter()
    values = indicator_values(frame, catalogue)
    years = sorted(values["year"].unique().to_list())
    for year in years:
        synthetic_measures(values, catalogue, year)
    if years:
        last = years[-1]
        groups = comparison_groups(units_for_groups(values, last))
        positions(values, groups, last, catalogue)
        aggregate(values, groups)
    return time.perf_counter() - started
