"""Population targets for weighting a survey's respondents (razem.surveys.weighting).

Where the numbers come from, in order:

1. `Survey.population_targets`, entered by hand: rows {"gmina", "sex", "age_group",
   "target"}. They are cells of one table: the variables are those of sex and age_group
   filled in on every row (a variable left blank on some row is summed over). Age groups
   are the survey's own (`18_24` ... `65_plus`), or the two bands below.
2. Otherwise, for resident surveys only, the portrait's GUS BDL data of each gmina, for
   its latest year with all four figures: total population, population of pre-working
   and post-working age, and women per 100 men. Youth, leader and business surveys are
   not weighted to the population unless targets are entered by hand: the general
   population is not their population.

Honest mapping of ages (also in docs/methodology.md). BDL publishes economic age groups,
not five-year bands: pre-working age is 0–17, working age is 18–59 for women and 18–64
for men, post-working age is 60+ for women and 65+ for men. The survey's age groups are
mapped onto two adult bands:

    working       18_24, 25_34, 35_44, 45_54, 55_64   target: working-age population
    post_working  65_plus                             target: post-working population
    (none)        under_18                            not weighted (pre-working age)

so women aged 60–64, who answer "55–64", are counted by BDL in the post-working band:
the post-working target is too large by roughly their number (some 4% of adults) and
the working-age target too small by the same amount. The sex split
applies each gmina's women-per-100-men ratio of the whole population to both bands
(BDL gives no ratio per age group here), which understates women among the oldest.
`Targets.source` names the data on the results page; docs/methodology.md explains
both approximations.

Consumers: build the respondent frame (response_id, gmina, sex, age_group), pass it
through `Targets.respondents()` (maps age groups onto the targets' categories and drops
respondents who cannot be weighted: a gmina without targets, under 18, sex or age group
not answered), then `weighting.rake(prepared, targets.margins())`. Respondents dropped
there are reported as not weighted, never silently counted with weight 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import polars as pl
from django.utils.translation import gettext as _

from razem.surveys.definition import QuestionType, Text
from razem.surveys.weighting import TARGET, Margin, margins_by_gmina

VARIABLES = ("sex", "age_group")
SEXES = ("female", "male")
WORKING, POST_WORKING = "working", "post_working"
BANDS = (WORKING, POST_WORKING)
AGE_BANDS: dict[str, str] = {
    "18_24": WORKING,
    "25_34": WORKING,
    "35_44": WORKING,
    "45_54": WORKING,
    "55_64": WORKING,
    "65_plus": POST_WORKING,
}
# Aliases of razem/indicators/catalogue.toml read for the targets.
POPULATION_ALIASES = ("population", "pre_working", "post_working", "feminisation")


BAND_LABELS = {
    WORKING: Text("w wieku produkcyjnym (18–59 lat kobiety, 18–64 lata mężczyźni)",
                  "working age (women 18–59, men 18–64)"),
    POST_WORKING: Text("w wieku poprodukcyjnym (kobiety 60+, mężczyźni 65+)",
                       "post-working age (women 60+, men 65+)"),
}


def age_band(age_group: str | None) -> str | None:
    """The BDL-based band of a survey age group: "working", "post_working", or None for
    under-18s and unknown groups (they are not weighted)."""
    return AGE_BANDS.get(age_group or "")


@dataclass(frozen=True)
class Targets:
    """Population totals to rake to.

    `frame` has the columns gmina (TERYT), the `variables` (a subset of sex, age_group)
    and target (float). `age_bands` maps the respondents' age groups onto the frame's
    age_group values; None when they are the same names.
    """

    frame: pl.DataFrame
    variables: tuple[str, ...]
    source: str
    age_bands: Mapping[str, str] | None = None

    def age_band(self, age_group: str | None) -> str | None:
        """The frame's age_group category a respondent's age group counts in (None: not
        covered, e.g. under 18)."""
        if not age_group:
            return None
        if self.age_bands is not None:
            return self.age_bands.get(age_group)
        if "age_group" in self.frame.columns and age_group in set(self.frame["age_group"]):
            return age_group
        return None

    @property
    def gminas(self) -> tuple[str, ...]:
        return tuple(sorted(self.frame["gmina"].unique().to_list()))

    def margins(self) -> list[Margin]:
        """Margins gmina × variable for razem.surveys.weighting.rake (gmina alone when the
        targets have no variable)."""
        if not self.variables:
            return [Margin(by=("gmina",), targets=self.frame.group_by("gmina").agg(
                pl.col(TARGET).sum()))]
        return margins_by_gmina(self.frame, self.variables)

    def respondents(self, respondents: pl.DataFrame) -> pl.DataFrame:
        """The respondents that can be weighted, with age_group mapped onto the targets'
        categories (a frame with the columns gmina and the variables; others are kept)."""
        prepared = respondents
        if "age_group" in self.variables:
            known = respondents["age_group"].drop_nulls().unique().to_list()
            prepared = prepared.with_columns(pl.col("age_group").replace_strict(
                {code: self.age_band(code) for code in known}, default=None,
                return_dtype=pl.String,
            ))
        keys = self.frame.select("gmina", *self.variables).unique()
        casts = [pl.col(name).cast(pl.String) for name in ("gmina", *self.variables)]
        return prepared.with_columns(casts).join(
            keys, on=["gmina", *self.variables], how="semi"
        )


def respondent_bands(respondents: pl.DataFrame) -> pl.DataFrame:
    """The respondents with their age_group replaced by its BDL band (None under 18)."""
    return respondents.with_columns(
        pl.col("age_group").replace_strict(AGE_BANDS, default=None, return_dtype=pl.String)
    )


def targets_for(survey) -> Targets | None:
    """Targets for weighting the survey's respondents, or None when there are none.

    Hand-entered targets win; then, for resident surveys, the portrait's population data
    of the partnership's gminas (only gminas with data are included: respondents from
    others are not weighted). None when the survey has no gmina question.
    """
    asked = _asked_variables(survey)
    if asked is None:
        return None
    if survey.population_targets:
        return _hand_entered(survey.population_targets, asked)
    if survey.audience != "resident":
        return None
    teryts = list(
        survey.partnership.units.filter(kind="gmina").values_list("teryt", flat=True)
    )
    return _from_indicators(teryts, asked)


def _asked_variables(survey) -> tuple[str, ...] | None:
    types = {question.type for question in survey.questionnaire.questions}
    if QuestionType.GMINA not in types:
        return None
    by_type = {"sex": QuestionType.SEX, "age_group": QuestionType.AGE_GROUP}
    return tuple(name for name in VARIABLES if by_type[name] in types)


def _number(value: object) -> float | None:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return float(number) if number.is_finite() and number >= 0 else None


def _hand_entered(rows: list[dict], asked: tuple[str, ...]) -> Targets | None:
    clean = []
    for row in rows:
        target = _number(row.get("target"))
        gmina = str(row.get("gmina") or "").strip()
        if target is None or not gmina:
            continue  # the entry form refuses these; never guess a number
        clean.append({
            "gmina": gmina,
            **{name: str(row.get(name) or "").strip() or None for name in VARIABLES},
            TARGET: target,
        })
    if not clean:
        return None
    frame = pl.DataFrame(clean, schema={"gmina": pl.String, "sex": pl.String,
                                        "age_group": pl.String, TARGET: pl.Float64})
    variables = tuple(name for name in asked if frame[name].null_count() == 0)
    frame = frame.group_by("gmina", *variables).agg(pl.col(TARGET).sum()).sort(
        "gmina", *variables)
    age_bands = None
    if "age_group" in variables and set(frame["age_group"]) <= set(BANDS):
        age_bands = AGE_BANDS
    return Targets(frame=frame, variables=variables, source=_("entered by the coordinator"),
                   age_bands=age_bands)


def population_frame(teryts: list[str]) -> pl.DataFrame:
    """Per gmina its latest year with all four BDL figures: teryt, year, population,
    pre_working, post_working, feminisation (women per 100 men)."""
    from razem.indicators import compute
    from razem.indicators.catalogue import load_catalogue
    from razem.indicators.models import Observation

    catalogue = load_catalogue()
    codes = [code for name in POPULATION_ALIASES
             for code in catalogue.aliases[name].lookup_codes]
    rows = Observation.objects.filter(
        unit__teryt__in=teryts, variable__code__in=codes, value__isnull=False
    ).values_list("unit__teryt", "variable__code", "year", "value")
    observations = compute.observations_frame(rows)
    if observations.is_empty():
        return pl.DataFrame(schema={"teryt": pl.String, "year": pl.Int64,
                                    **{name: pl.Float64 for name in POPULATION_ALIASES}})
    wide = compute.alias_frame(observations, catalogue)
    return (
        wide.select("teryt", "year", *POPULATION_ALIASES)
        .drop_nulls()
        .filter((pl.col("population") > 0) & (pl.col("feminisation") > 0))
        .sort("teryt", "year")
        .group_by("teryt", maintain_order=True)
        .last()
    )


def _from_indicators(teryts: list[str], asked: tuple[str, ...]) -> Targets | None:
    data = population_frame(teryts)
    if data.is_empty():
        return None
    women_share = pl.col("feminisation") / (pl.col("feminisation") + 100)
    bands = data.select(
        pl.col("teryt").alias("gmina"),
        (pl.col("population") - pl.col("pre_working") - pl.col("post_working"))
        .clip(lower_bound=0).alias(WORKING),
        pl.col("post_working").alias(POST_WORKING),
        women_share.alias("female"),
        (1 - women_share).alias("male"),
    )
    cells = (
        bands.unpivot(index=["gmina", "female", "male"], on=list(BANDS),
                      variable_name="age_group", value_name="band_total")
        .unpivot(index=["gmina", "age_group", "band_total"], on=list(SEXES),
                 variable_name="sex", value_name="share")
        .select("gmina", "sex", "age_group",
                (pl.col("band_total") * pl.col("share")).alias(TARGET))
    )
    frame = cells.group_by("gmina", *asked).agg(pl.col(TARGET).sum()).sort("gmina", *asked)
    years = sorted(set(data["year"].to_list()))
    year_text = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return Targets(
        frame=frame,
        variables=asked,
        source=_(
            "GUS Local Data Bank (BDL), %(years)s: adult population by sex (from the number "
            "of women per 100 men) and economic age groups (working age, post-working age)"
        ) % {"years": year_text},
        age_bands=AGE_BANDS if "age_group" in asked else None,
    )

