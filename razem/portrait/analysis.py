"""Comparisons the portrait adds to razem.indicators.compute; pure polars, no ORM.

compute.positions gives percentiles "100 = best" for ranking. Sentences such
as "higher than in 92% of rural gminas" need plain shares of the group with a
lower and with a higher value, whatever the polarity; they are computed here.
"""

from __future__ import annotations

import polars as pl

COUNTRY = "country"


def shares(values: pl.DataFrame, groups: pl.DataFrame, year: int) -> pl.DataFrame:
    """For each unit, indicator and group in `year`: the share (0–100) of the *other*
    units of the group with a lower and with a higher value.

    Columns: teryt, indicator, group, lower, higher, others.
    """
    members = groups.select(pl.col("teryt").cast(pl.String), pl.col("group").cast(pl.String))
    frame = (
        values.lazy()
        .filter((pl.col("year") == year) & pl.col("value").is_not_null())
        .select("teryt", "indicator", "value")
        .join(members.lazy(), on="teryt", how="inner")
    )
    window = ["group", "indicator"]
    value = pl.col("value")
    size = value.count().over(window)
    # rank("min") − 1 = units strictly below; rank("max") = units at or below.
    below = value.rank("min").over(window) - 1
    at_or_below = value.rank("max").over(window)
    others = size - 1
    return (
        frame.with_columns(
            pl.when(others > 0).then(below / others * 100).alias("lower"),
            pl.when(others > 0).then((size - at_or_below) / others * 100).alias("higher"),
            others.cast(pl.Int64).alias("others"),
        )
        .select("teryt", "indicator", "group", "lower", "higher", "others")
        .collect()
    )


def against_distribution(
    area_values: pl.DataFrame, values: pl.DataFrame, year: int
) -> pl.DataFrame:
    """Where an area's aggregate value lies among the values of all gminas in `values`.

    `area_values`: indicator, value (one area, one year). Returns indicator, value,
    lower, higher (shares 0–100 of gminas below/above), median, q1, q3, size,
    z_score (against the gminas' mean and population standard deviation).
    """
    distribution = (
        values.lazy()
        .filter((pl.col("year") == year) & pl.col("value").is_not_null())
        .select("indicator", pl.col("value").alias("other"))
    )
    area = area_values.lazy().filter(pl.col("value").is_not_null()).select("indicator", "value")
    other = pl.col("other")
    return (
        area.join(distribution, on="indicator", how="inner")
        .group_by("indicator")
        .agg(
            pl.col("value").first(),
            (other < pl.col("value")).sum().alias("n_lower"),
            (other > pl.col("value")).sum().alias("n_higher"),
            other.count().alias("size"),
            other.median().alias("median"),
            other.quantile(0.25, "linear").alias("q1"),
            other.quantile(0.75, "linear").alias("q3"),
            other.mean().alias("mean"),
            other.std(ddof=0).alias("sd"),
        )
        .with_columns(
            (pl.col("n_lower") / pl.col("size") * 100).alias("lower"),
            (pl.col("n_higher") / pl.col("size") * 100).alias("higher"),
            pl.when(pl.col("sd") > 0)
            .then((pl.col("value") - pl.col("mean")) / pl.col("sd"))
            .alias("z_score"),
            pl.col("size").cast(pl.Int64),
        )
        .select("indicator", "value", "lower", "higher", "median", "q1", "q3", "size", "z_score")
        .sort("indicator")
        .collect()
    )
