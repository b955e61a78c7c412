"""Survey results over polars frames: frequencies with Wilson intervals, weighted
and unweighted side by side, breakdowns, suppression of small cells, coded open
answers. Pure functions, no ORM.

Frames:

* responses (long): response_id, question, value — one row per answer; a
  multiple-choice answer is one row per chosen option, or one row with the
  options separated by spaces (the XLSForm `select_multiple` form)
* respondents: response_id, weight (1.0 when unweighted, or raked by
  razem.surveys.weighting), and the breakdown columns audience, gmina (TERYT),
  age_group, sex
* open texts: response_id, question, text; tags: response_id, question, tag

Policies (the results page and report explain them to readers):

* The base of a question is the respondents who answered it (skipped or not shown
  are left out). Percentages are of respondents, so the options of a multiple-
  choice question may sum to more than 100%.
* Percentages and interval bounds are 0–100. Intervals are 95% Wilson score
  intervals. For weighted shares the interval uses Kish's effective sample size
  n_eff = (Σw)² / Σw² of the base in place of n, the usual approximation that
  widens the interval by the design effect of weighting.
* Public tables go through `suppress` (its docstring states the rule).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

from razem.surveys import weighting

Z95 = 1.959963984540054  # standard normal quantile for 95% two-sided
BREAKDOWNS = ("gmina", "audience", "age_group", "sex")
MIN_COUNT = 5

_KEYS = ("question", "choice", "order")
# Columns a frequency table may hold besides its breakdown columns; suppress()
# treats every other column as a breakdown.
_CELL_MEASURES = ("n", "pct", "ci_low", "ci_high", "w_n", "w_pct", "w_ci_low", "w_ci_high")
_GROUP_MEASURES = ("base", "w_base", "n_eff")
_TABLE_COLUMNS = {*_KEYS, *_CELL_MEASURES, *_GROUP_MEASURES, "suppressed"}


class AnalysisError(ValueError):
    """The responses cannot be analysed as given."""


class Kind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    LIKERT = "likert"


@dataclass(frozen=True)
class Question:
    """A closed question: its name in the responses and its choice codes in display
    order (for Likert, the scale points from lowest to highest)."""

    name: str
    kind: Kind
    choices: tuple[str, ...]


# ---------------------------------------------------------------- Wilson interval


def wilson_interval(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for the proportion successes / n, as shares 0–1.

    `n` may be an effective sample size (not an integer) for weighted shares.
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def _wilson(p: pl.Expr, n: pl.Expr, z: float) -> tuple[pl.Expr, pl.Expr]:
    """The same interval as polars expressions, in percent."""
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt() / denominator
    low = pl.when(n > 0).then((centre - half).clip(0.0, 1.0) * 100)
    high = pl.when(n > 0).then((centre + half).clip(0.0, 1.0) * 100)
    return low, high


# ---------------------------------------------------------------- frequencies


@dataclass(frozen=True)
class _Answers:
    """Closed answers joined to their respondents, in integer codes so that 100,000
    responses to 30 questions group in well under a second.

    rows: _q (question index), order (choice index), _r (respondent index), weight,
    breakdown columns — one row per respondent, question and chosen option.
    pairs: one row per respondent and multiple-choice question answered (their
    base; a single-choice question's base is the sum of its counts).
    """

    rows: pl.DataFrame
    pairs: pl.DataFrame
    choices: pl.DataFrame


def frequencies(
    responses: pl.DataFrame,
    respondents: pl.DataFrame,
    questions: Sequence[Question],
    by: Sequence[str] = (),
    *,
    z: float = Z95,
) -> pl.DataFrame:
    """Counts, percentages and Wilson intervals of every choice of every question,
    per group of the `by` columns (none: the whole sample; several: a cross-tab).

    Columns: question, *by, choice, order, n, base, pct, ci_low, ci_high, w_n,
    w_base, w_pct, n_eff, w_ci_low, w_ci_high. Every choice appears in every group
    that answered the question, with n = 0 when nobody chose it.
    """
    return frequency_tables(responses, respondents, questions, [by], z=z)[0]


def frequency_tables(
    responses: pl.DataFrame,
    respondents: pl.DataFrame,
    questions: Sequence[Question],
    breakdowns: Sequence[Sequence[str]],
    *,
    z: float = Z95,
) -> list[pl.DataFrame]:
    """`frequencies` for several breakdowns at once, preparing the answers once."""
    columns = list(dict.fromkeys(c for by in breakdowns for c in by))
    _require_columns(respondents, ["response_id", weighting.WEIGHT, *columns])
    answers = _prepare_answers(responses, respondents, questions, columns)
    return [_table(answers, list(by), respondents.schema, z) for by in breakdowns]


def breakdowns(
    responses: pl.DataFrame,
    respondents: pl.DataFrame,
    questions: Sequence[Question],
    dimensions: Sequence[str] = BREAKDOWNS,
) -> dict[str, pl.DataFrame]:
    """The whole-sample table ("all") and one table per breakdown column."""
    tables = frequency_tables(responses, respondents, questions, [(), *((d,) for d in dimensions)])
    return dict(zip(["all", *dimensions], tables, strict=True))


def compare_audiences(
    responses: pl.DataFrame, respondents: pl.DataFrame, questions: Sequence[Question]
) -> pl.DataFrame:
    """The questions answered by more than one audience (the shared core), broken
    down by audience so the same choice sits side by side for each."""
    table = frequencies(responses, respondents, questions, ["audience"])
    shared = table.group_by("question").agg(pl.col("audience").n_unique().alias("_a"))
    return table.join(shared.filter(pl.col("_a") > 1).select("question"), on="question", how="semi")


def _table(answers: _Answers, by: list[str], schema: pl.Schema, z: float) -> pl.DataFrame:
    weight = pl.col(weighting.WEIGHT)
    cells = answers.rows.group_by("_q", *by, "order").agg(
        pl.len().alias("n"), weight.sum().alias("w_n"), (weight * weight).sum().alias("_w2")
    )
    multiple = answers.choices.filter(pl.col("_multiple"))["_q"].unique()
    single_bases = (
        cells.filter(~pl.col("_q").is_in(multiple.implode()))
        .group_by("_q", *by)
        .agg(
            pl.col("n").sum().alias("base"),
            pl.col("w_n").sum().alias("w_base"),
            pl.col("_w2").sum(),
        )
    )
    multiple_bases = answers.pairs.group_by("_q", *by).agg(
        pl.len().alias("base"), weight.sum().alias("w_base"), (weight * weight).sum().alias("_w2")
    )
    bases = pl.concat([single_bases, multiple_bases.cast(single_bases.schema)])
    table = bases.join(answers.choices, on="_q").join(
        cells.drop("_w2"), on=["_q", *by, "order"], how="left", nulls_equal=True
    )
    table = _with_shares(
        table.with_columns(pl.col("n").fill_null(0), pl.col("w_n").fill_null(0.0)), z
    )
    return (
        table.sort("_q", *by, "order", nulls_last=True)
        .select(
            "question", *(pl.col(c).cast(schema[c]) for c in by), "choice", "order", *_MEASURE_ORDER
        )
        .with_columns(pl.col("base").cast(pl.Int64), pl.col("n").cast(pl.Int64))
    )


_MEASURE_ORDER = (
    "n", "base", "pct", "ci_low", "ci_high", "w_n", "w_base", "w_pct", "n_eff", "w_ci_low", "w_ci_high"
)  # fmt: skip


def _prepare_answers(
    responses: pl.DataFrame, respondents: pl.DataFrame, questions: Sequence[Question], by: list[str]
) -> _Answers:
    choices = _choice_frame(questions)
    names = [q.name for q in questions]
    answers = responses.select(
        "response_id",
        pl.col("question")
        .cast(pl.String)
        .replace_strict(names, range(len(names)), default=None, return_dtype=pl.Int32)
        .alias("_q"),
        pl.col("value").cast(pl.String),
    ).filter(pl.col("_q").is_not_null() & pl.col("value").is_not_null())
    multiple = [k for k, q in enumerate(questions) if q.kind is Kind.MULTIPLE]
    is_multiple = pl.col("_q").is_in(multiple)
    # Split only multiple-choice rows: XLSForm choice codes never contain spaces.
    split = (
        answers.filter(is_multiple)
        .with_columns(pl.col("value").str.split(" "))
        .explode("value")
        .filter(pl.col("value") != "")
    )
    answers = pl.concat([answers.filter(~is_multiple), split]).with_columns(_choice_order(choices))
    _check_choices(answers, names)
    people = _people(respondents, by)
    joined = answers.join(people.select("response_id", "_r"), on="response_id", how="inner")
    if joined.height != answers.height:
        raise AnalysisError(
            _("Responses without a matching respondent: %(count)s.")
            % {"count": answers.height - joined.height}
        )
    single = joined.filter(~is_multiple).select("_r", "_q", "order")
    _check_single(single, names)
    chosen, answered = _multiple_choices(joined.filter(is_multiple), len(names), choices)
    rows = pl.concat([single, chosen])
    attributes = people.drop("response_id", "_r")
    return _Answers(
        pl.concat([rows, attributes[rows["_r"]]], how="horizontal"),
        pl.concat([answered, attributes[answered["_r"]]], how="horizontal"),
        choices,
    )


def _people(respondents: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    people = respondents.select(
        "response_id",
        pl.col(weighting.WEIGHT).cast(pl.Float64),
        # Categorical keys group as integers; _table casts them back.
        *(
            pl.col(c).cast(pl.Categorical) if respondents.schema[c] == pl.String else pl.col(c)
            for c in by
        ),
    ).with_row_index("_r")
    invalid = people.filter(~(pl.col(weighting.WEIGHT) > 0) | pl.col(weighting.WEIGHT).is_null())
    if invalid.height:
        raise AnalysisError(
            _("Initial weights must be positive numbers (%(count)s are not).")
            % {"count": invalid.height}
        )
    return people


def _check_single(single: pl.DataFrame, names: list[str]) -> None:
    """Two answers to a single-choice question would push its percentages past 100."""
    pair = single.select(pl.col("_r").cast(pl.Int64) * len(names) + pl.col("_q"))["_r"]
    if pair.n_unique() != pair.len():
        question = int(pair.filter(pair.is_duplicated()).min() % len(names))
        raise AnalysisError(
            _(
                "Question %(question)s is single choice but some respondents gave more than one answer."
            )
            % {"question": names[question]}
        )


def _multiple_choices(
    multiple: pl.DataFrame, n_questions: int, choices: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Distinct (respondent, question, option) rows and distinct (respondent, question)
    pairs of multiple-choice answers. One sort of a packed integer key gives both:
    pairs are the keys divided by the number of options, already in order."""
    width = int(choices["order"].max() or 0) + 1
    key = (
        multiple["_r"].cast(pl.Int64).to_numpy() * n_questions + multiple["_q"].to_numpy()
    ) * width + multiple["order"].to_numpy()
    # Sort and drop repeats by hand: np.unique hashes first, ten times slower here.
    key.sort()
    distinct = np.ones(len(key), dtype=bool)
    distinct[1:] = key[1:] != key[:-1]
    key = key[distinct]
    pair = key // width
    first = np.ones(len(pair), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    chosen = pl.DataFrame(
        {"_r": pair // n_questions, "_q": pair % n_questions, "order": key % width},
        schema={"_r": pl.UInt32, "_q": pl.Int32, "order": pl.Int32},
    )
    answered = chosen.filter(pl.Series(first)).select("_r", "_q")
    return chosen, answered


def _choice_frame(questions: Sequence[Question]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            (k, q.name, choice, i, q.kind is Kind.MULTIPLE)
            for k, q in enumerate(questions)
            for i, choice in enumerate(q.choices)
        ],
        schema={
            "_q": pl.Int32,
            "question": pl.String,
            "choice": pl.String,
            "order": pl.Int32,
            "_multiple": pl.Boolean,
        },
        orient="row",
    )


def _choice_order(choices: pl.DataFrame) -> pl.Expr:
    """The choice's index within its question (null when not one of its choices),
    looked up through integer codes: replace_strict on a small map is far faster
    than joining millions of rows on two string columns."""
    codes = choices["choice"].unique().sort()
    code = pl.col("value").replace_strict(
        codes, range(len(codes)), default=None, return_dtype=pl.Int64
    )
    code_of = dict(zip(codes.to_list(), range(len(codes)), strict=True))
    keys = [
        q * len(codes) + code_of[c] for q, c in zip(choices["_q"], choices["choice"], strict=True)
    ]
    return (
        (pl.col("_q").cast(pl.Int64) * len(codes) + code)
        .replace_strict(keys, choices["order"], default=None, return_dtype=pl.Int32)
        .alias("order")
    )


def _check_choices(answers: pl.DataFrame, names: list[str]) -> None:
    unknown = answers.filter(pl.col("order").is_null())
    if unknown.height:
        row = unknown.sort("_q", "value").row(0, named=True)
        raise AnalysisError(
            _("Question %(question)s has the answer %(value)s, which is not one of its choices.")
            % {"question": names[row["_q"]], "value": row["value"]}
        )


def _with_shares(table: pl.DataFrame, z: float) -> pl.DataFrame:
    n, base = pl.col("n"), pl.col("base")
    w_n, w_base, n_eff = pl.col("w_n"), pl.col("w_base"), pl.col("n_eff")
    share, w_share = n / base, w_n / w_base
    low, high = _wilson(share, base.cast(pl.Float64), z)
    w_low, w_high = _wilson(w_share, n_eff, z)
    return table.with_columns(
        (w_base * w_base / pl.col("_w2")).alias("n_eff"),
    ).with_columns(
        (share * 100).alias("pct"),
        low.alias("ci_low"),
        high.alias("ci_high"),
        (w_share * 100).alias("w_pct"),
        w_low.alias("w_ci_low"),
        w_high.alias("w_ci_high"),
    )


def _require_columns(frame: pl.DataFrame, columns: Sequence[str]) -> None:
    for column in columns:
        if column not in frame.columns:
            raise AnalysisError(
                _("The respondent frame lacks the column %(column)s.") % {"column": column}
            )


# ---------------------------------------------------------------- suppression


def suppress(table: pl.DataFrame, min_count: int = MIN_COUNT) -> pl.DataFrame:
    """Mask small cells of a frequency table for public output.

    Rule:

    1. Primary: a cell whose count of respondents is under `min_count` (zero
       included) is masked, and so is a whole group whose base is under
       `min_count`.
    2. Complementary, so a masked cell cannot be recovered by subtraction from a
       published total: along every line of the table — the choices of one group
       (whose total is the base) and, for each breakdown column, the groups of one
       choice (whose total is the choice's count in the coarser table, published
       too) — a line with exactly one masked cell gets its smallest unmasked cell
       masked as well (ties: first in display order). Group bases are a line of
       their own across groups; a masked base masks its whole group.
       Complementary cells are never small (all small ones are already masked),
       so the masked cells of a line always hide at least `min_count` respondents.
    3. Repeat until nothing changes (masking along one direction can leave a
       single masked cell in another).

    Lines of one cell (a breakdown with a single group) have nothing to pair with;
    their cell equals the coarser total, which is masked there by the same rule.
    The rule is applied to multiple-choice questions too, though their options do
    not add up to the base: harmless over-suppression, one rule to explain.

    Masked values become null; the `suppressed` column says which cells were masked.
    """
    by = [c for c in table.columns if c not in _TABLE_COLUMNS]
    frame = _suppression_frame(table, by, min_count)
    masked = int(frame["_m"].sum())
    while True:
        frame = _suppression_pass(frame, by)
        now = int(frame["_m"].sum())
        if now == masked:
            break
        masked = now
    cell_mask = frame.filter(~pl.col("_base")).select("_i", "_m")
    group_mask = frame.filter(pl.col("_base")).select("question", *by, pl.col("_m").alias("_g"))
    marked = (
        table.with_row_index("_i")
        .join(cell_mask, on="_i", how="left")
        .join(group_mask, on=["question", *by], how="left", nulls_equal=True)
        .sort("_i")
    )
    cell, group = pl.col("_m"), pl.col("_g")
    return marked.with_columns(
        *(pl.when(~cell).then(pl.col(c)).alias(c) for c in _CELL_MEASURES if c in table.columns),
        *(pl.when(~group).then(pl.col(c)).alias(c) for c in _GROUP_MEASURES if c in table.columns),
        cell.alias("suppressed"),
    ).drop("_i", "_m", "_g")


def _suppression_frame(table: pl.DataFrame, by: list[str], min_count: int) -> pl.DataFrame:
    """Cells plus one pseudo-cell per group holding its base, so the bases take part
    in the column rule like any choice; `_k` is the line key (choice or base)."""
    order = table["order"] if "order" in table.columns else pl.Series([0] * table.height)
    cells = table.with_row_index("_i").select(
        "_i",
        "question",
        *by,
        pl.col("choice").cast(pl.String).alias("_k"),
        pl.Series("_o", order, dtype=pl.Int64),
        pl.col("n").cast(pl.Float64),
        pl.lit(False).alias("_base"),
    )
    bases = (
        table.group_by("question", *by, maintain_order=True)
        .agg(pl.col("base").first())
        .select(
            pl.lit(None, pl.UInt32).alias("_i"),
            "question",
            *by,
            pl.lit("\0base").alias("_k"),
            pl.lit(-1, pl.Int64).alias("_o"),
            pl.col("base").cast(pl.Float64).alias("n"),
            pl.lit(True).alias("_base"),
        )
    )
    frame = pl.concat([cells, bases]).sort("question", *by, "_o", nulls_last=True)
    return frame.with_columns((pl.col("n") < min_count).alias("_m"))


def _suppression_pass(frame: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    group = ["question", *by]
    # A masked base hides its group; every cell of it goes.
    frame = frame.with_columns(
        (pl.col("_m") | (pl.col("_m") & pl.col("_base")).any().over(group)).alias("_m")
    )
    frame = _complement(frame, [*group, "_base"], only=~pl.col("_base"))
    for column in by:
        others = [c for c in by if c != column]
        frame = _complement(frame, ["question", "_k", *others], only=pl.lit(True))
    return frame


def _complement(frame: pl.DataFrame, line: list[str], only: pl.Expr) -> pl.DataFrame:
    """In every line with exactly one masked cell, mask its smallest unmasked cell."""
    masked = pl.col("_m")
    lonely = (masked.cast(pl.Int64).sum().over(line) == 1) & only
    candidate = pl.when(~masked & only).then(pl.col("n"))
    first = candidate.rank("ordinal").over(line) == 1
    return frame.with_columns((masked | (lonely & first).fill_null(False)).alias("_m"))


# ---------------------------------------------------------------- open answers


def open_answers(texts: pl.DataFrame, tags: pl.DataFrame) -> pl.DataFrame:
    """Every non-empty open answer with the staff's tags (sorted, empty list when
    untagged): question, response_id, text, tags."""
    answered = _answered(texts)
    _check_tags(answered, tags)
    grouped = (
        tags.unique(["response_id", "question", "tag"])
        .group_by("response_id", "question")
        .agg(pl.col("tag").sort().alias("tags"))
    )
    return (
        answered.join(grouped, on=["response_id", "question"], how="left")
        .with_columns(pl.col("tags").fill_null(pl.lit([], pl.List(pl.String))))
        .select("question", "response_id", "text", "tags")
        .sort("question", "response_id")
    )


def tag_counts(texts: pl.DataFrame, tags: pl.DataFrame) -> pl.DataFrame:
    """Per question and tag: n respondents whose answer carries it, base (non-empty
    answers to the question), pct of the base. Ordered by question, most used first.
    Columns suit `suppress(..., )` after renaming tag to choice."""
    answered = _answered(texts)
    _check_tags(answered, tags)
    bases = answered.group_by("question").agg(pl.len().alias("base"))
    counts = (
        tags.unique(["response_id", "question", "tag"])
        .group_by("question", "tag")
        .agg(pl.len().alias("n"))
    )
    return (
        counts.join(bases, on="question")
        .with_columns((pl.col("n") / pl.col("base") * 100).alias("pct"))
        .sort(["question", "n", "tag"], descending=[False, True, False])
        .select("question", "tag", "n", "base", "pct")
    )


def _answered(texts: pl.DataFrame) -> pl.DataFrame:
    return texts.filter(pl.col("text").str.strip_chars().str.len_chars() > 0)


def _check_tags(answered: pl.DataFrame, tags: pl.DataFrame) -> None:
    orphans = tags.join(answered, on=["response_id", "question"], how="anti").height
    if orphans:
        raise AnalysisError(
            _("Tags attached to answers that do not exist: %(count)s.") % {"count": orphans}
        )


# ---------------------------------------------------------------- benchmark


def synthetic_survey(
    n_responses: int, n_questions: int, *, seed: int = 4, n_gminas: int = 20
) -> tuple[pl.DataFrame, pl.DataFrame, list[Question], pl.DataFrame]:
    """Seeded synthetic respondents, responses, questions and population targets
    (gmina, sex, age_group, target): a third Likert, a sixth multiple choice."""
    rng = np.random.default_rng(seed)
    gminas = [f"02010{i:02d}" for i in range(n_gminas)]
    sexes, ages = ["K", "M"], ["15-24", "25-44", "45-64", "65+"]
    respondents = pl.DataFrame(
        {
            "response_id": np.arange(n_responses),
            "audience": rng.choice(["resident", "youth", "leader", "business"], n_responses),
            "gmina": rng.choice(gminas, n_responses),
            "age_group": rng.choice(ages, n_responses, p=[0.4, 0.2, 0.2, 0.2]),
            "sex": rng.choice(sexes, n_responses, p=[0.6, 0.4]),
            "weight": np.ones(n_responses),
        }
    )
    questions = [_synthetic_question(k) for k in range(n_questions)]
    frames = [_synthetic_answers(q, rng, n_responses) for q in questions]
    population = pl.DataFrame(
        [(g, s, a, float(rng.integers(200, 2000))) for g in gminas for s in sexes for a in ages],
        schema={"gmina": pl.String, "sex": pl.String, "age_group": pl.String, "target": pl.Float64},
        orient="row",
    )
    return respondents, pl.concat(frames), questions, population


def _synthetic_question(k: int) -> Question:
    if k % 3 == 2:
        return Question(f"q{k}", Kind.LIKERT, ("1", "2", "3", "4", "5"))
    if k % 6 == 1:
        return Question(f"q{k}", Kind.MULTIPLE, tuple(f"o{i}" for i in range(6)))
    return Question(f"q{k}", Kind.SINGLE, tuple(f"c{i}" for i in range(5)))


def _synthetic_answers(question: Question, rng: np.random.Generator, n: int) -> pl.DataFrame:
    choices = np.array(question.choices)
    if question.kind is Kind.MULTIPLE:
        picked = rng.random((n, len(choices))) < 0.3
        ids, options = np.nonzero(picked)
    else:
        ids = np.flatnonzero(rng.random(n) < 0.9)  # a tenth skip the question
        options = rng.integers(0, len(choices), len(ids))
    return pl.DataFrame(
        {"response_id": ids.astype(np.int64), "question": question.name, "value": choices[options]}
    )


def benchmark_analysis(n_responses: int = 100_000, n_questions: int = 30) -> float:
    """Seconds to rake synthetic respondents to gmina × sex and gmina × age margins
    and tabulate every question for the whole sample and by gmina, weighted and
    unweighted, suppressed for publication. Data generation is not timed."""
    respondents, responses, questions, population = synthetic_survey(n_responses, n_questions)
    started = time.perf_counter()
    raked = weighting.rake(respondents, weighting.margins_by_gmina(population)).respondents
    overall, by_gmina = frequency_tables(responses, raked, questions, [(), ("gmina",)])
    suppress(overall)
    suppress(by_gmina)
    return time.perf_counter() - started
