"""A survey's results: Response rows -> polars frames -> razem.surveys.analysis and weighting.

The one place that reads responses for analysis. Pages, the report and the API all
start from `results_for(survey)` (members: every count) or `public_results_for(survey)`
(anyone: small cells suppressed), so they always show the same numbers.

Policies, stated on the pages and in the report:

* Closed items are the choice questions, each row of a Likert matrix (on the matrix's
  scale) and, for a ranking, the first choice; a ranking also gets the mean rank of
  every option among the respondents who ranked it.
* Answers that are not among a question's choices (a gmina no longer in the
  partnership, an edited choice list) are left out and counted for members.
* Weighting rakes respondents to the population of their gmina by sex (and age group
  where the targets have it). Respondents without a gmina of the targets, without sex,
  or in an age group the targets do not cover are left out of the weighted estimates
  (weighted figures describe the others); gminas without any such respondent are left
  out of the targets, so the weighted figures describe the population of the gminas
  that answered. Unweighted figures always use every respondent. When raking fails the
  page shows the unweighted figures and the reason.
* Public outputs go through analysis.suppress: no cell of fewer than 5 respondents is
  ever shown; a weighted share is shown only where the weighted respondents in its
  cell pass the same rule.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import polars as pl
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from razem.surveys import analysis, weighting
from razem.surveys.definition import QuestionType, SurveyDefinition, Text
from razem.surveys.models import Audience, Survey

MIN_COUNT = analysis.MIN_COUNT
# Breakdowns offered on the pages; a survey has one audience, compared in `comparison`.
DIMENSIONS = ("gmina", "age_group", "sex")
OTHER = "other"
CACHE_SECONDS = 24 * 3600
CHUNK = 2000

_ALL = "\0all"  # a merged category (see _collapse)
_ROLE_TYPES = {QuestionType.GMINA: "gmina", QuestionType.AGE_GROUP: "age_group",
               QuestionType.SEX: "sex"}
_TEXT_TYPES = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}
_MEASURES = ["n", "base", "pct", "ci_low", "ci_high"]
_WEIGHTED = ["w_count", "w_count_base", "w_pct", "w_ci_low", "w_ci_high", "w_base", "n_eff"]


# ------------------------------------------------------------------ what is analysed


@dataclass(frozen=True)
class Item:
    """One closed item: a question, a row of a Likert matrix or a ranking's first choice.

    `name` is its key in the frames (the answer name); `group` the matrix or ranking
    it belongs to (empty for a plain question)."""

    name: str
    label: Text
    kind: analysis.Kind
    choices: tuple[tuple[str, Text], ...]
    qtype: str
    group: Text = Text()
    question: str = ""

    def analysis_question(self) -> analysis.Question:
        return analysis.Question(self.name, self.kind, tuple(code for code, _l in self.choices))


@dataclass(frozen=True)
class OpenQuestion:
    """A text question, or the "other (specify)" texts of a choice question."""

    name: str  # the key in the answers (`<question>_other` for other texts)
    label: Text
    answered: int | None = None  # None: suppressed


@dataclass(frozen=True)
class Plan:
    """What to read from each response, derived from the definition once."""

    items: tuple[Item, ...]
    rankings: tuple[Item, ...]  # first-choice items of rankings (also in items)
    numbers: tuple[tuple[str, Text], ...]
    texts: tuple[OpenQuestion, ...]
    roles: dict[str, str]  # "gmina"/"age_group"/"sex" -> the answer name that gives it
    labels: dict[str, dict[str, Text]]  # dimension -> code -> label


def _other_label() -> Text:
    return Text("inne", "other")


def plan_for(definition: SurveyDefinition, gminas: Sequence[tuple[str, str]]) -> Plan:
    """`gminas`: (TERYT, name) of the partnership's gminas, the gmina question's choices."""
    lists = definition.choice_lists
    gmina_choices = tuple((code, Text(name, name)) for code, name in gminas)
    items: list[Item] = []
    rankings: list[Item] = []
    numbers: list[tuple[str, Text]] = []
    texts: list[OpenQuestion] = []
    roles: dict[str, str] = {}
    labels: dict[str, dict[str, Text]] = {"gmina": dict(gmina_choices)}
    for question in definition.questions:
        qtype = question.type
        if qtype == QuestionType.GMINA:
            choices = gmina_choices
        else:
            choices = tuple((c.name, c.label) for c in lists.get(question.choice_list, ()))
        if question.or_other and OTHER not in {code for code, _l in choices}:
            choices += ((OTHER, _other_label()),)
        if qtype in _ROLE_TYPES:
            role = _ROLE_TYPES[qtype]
            if role not in roles:
                roles[role] = question.name
                labels[role] = dict(choices)
        if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.GMINA, QuestionType.AGE_GROUP,
                     QuestionType.SEX):
            items.append(Item(question.name, question.label, analysis.Kind.SINGLE, choices,
                              str(qtype), question=question.name))
        elif qtype == QuestionType.MULTIPLE_CHOICE:
            items.append(Item(question.name, question.label, analysis.Kind.MULTIPLE, choices,
                              str(qtype), question=question.name))
        elif qtype == QuestionType.LIKERT:
            items.append(Item(question.name, question.label, analysis.Kind.LIKERT, choices,
                              str(qtype), question=question.name))
        elif qtype == QuestionType.LIKERT_MATRIX:
            items.extend(Item(row.name, row.label, analysis.Kind.LIKERT, choices, str(qtype),
                              group=question.label, question=question.name)
                         for row in question.items)
        elif qtype == QuestionType.RANKING:
            first = Item(question.name, question.label, analysis.Kind.SINGLE, choices,
                         str(qtype), question=question.name)
            items.append(first)
            rankings.append(first)
        elif qtype == QuestionType.NUMBER:
            numbers.append((question.name, question.label))
        elif qtype in _TEXT_TYPES:
            texts.append(OpenQuestion(question.name, question.label))
        if question.or_other:
            texts.append(OpenQuestion(
                f"{question.name}_other",
                Text(f"{question.label.pl} – inne (jakie?)",
                     f"{question.label.en or question.label.pl} – other (specify)")))
    return Plan(tuple(items), tuple(rankings), tuple(numbers), tuple(texts), roles, labels)


def _gminas(survey: Survey) -> list[tuple[str, str]]:
    return list(survey.partnership.units.filter(kind="gmina").order_by("name")
                .values_list("teryt", "name"))


# ------------------------------------------------------------------ reading the responses


@dataclass
class Frames:
    """The responses of one survey as the frames analysis reads (see its docstring)."""

    responses: pl.DataFrame  # response_id, question, value
    respondents: pl.DataFrame  # response_id, weight, audience, gmina, age_group, sex, channel
    ranks: pl.DataFrame  # response_id, question, choice, rank
    numbers: pl.DataFrame  # response_id, question, value (float)
    texts: pl.DataFrame  # response_id, question, text
    days: tuple[date | None, date | None]
    ignored: dict[str, int]


def read_frames(survey: Survey, plan: Plan, *, names: set[str] | None = None,
                with_texts: bool = True) -> Frames:
    """One query, streamed: the answers of every response as frames.

    `names` limits the closed items read (the audience comparison needs a few)."""
    items = [item for item in plan.items if names is None or item.name in names]
    valid = {item.name: frozenset(code for code, _l in item.choices) for item in items}
    multiple = {item.name for item in items if item.kind is analysis.Kind.MULTIPLE}
    ranking = {item.name for item in plan.rankings if item.name in valid}
    # Every respondent gets the three columns, empty where the survey does not ask.
    roles = [(role, plan.roles.get(role, ""), frozenset(plan.labels.get(role, {})))
             for role in ("gmina", "age_group", "sex")]
    number_names = [name for name, _l in plan.numbers] if names is None else []
    text_names = [q.name for q in plan.texts] if with_texts and names is None else []

    r_id: list[int] = []
    r_q: list[str] = []
    r_v: list[str] = []
    k_id: list[int] = []
    k_q: list[str] = []
    k_c: list[str] = []
    k_r: list[int] = []
    n_id: list[int] = []
    n_q: list[str] = []
    n_v: list[float] = []
    t_id: list[int] = []
    t_q: list[str] = []
    t_t: list[str] = []
    people: dict[str, list[Any]] = {"response_id": [], "channel": [], "gmina": [],
                                    "age_group": [], "sex": []}
    ignored: Counter[str] = Counter()
    first_day: date | None = None
    last_day: date | None = None

    rows = survey.responses.order_by().values_list("id", "answers", "channel", "submitted_on")
    for pk, answers, channel, day in rows.iterator(chunk_size=CHUNK):
        answers = answers if isinstance(answers, dict) else {}
        people["response_id"].append(pk)
        people["channel"].append(channel)
        for role, name, codes in roles:
            value = answers.get(name)
            people[role].append(value if isinstance(value, str) and value in codes else None)
        if day is not None:
            first_day = day if first_day is None or day < first_day else first_day
            last_day = day if last_day is None or day > last_day else last_day
        for name, codes in valid.items():
            value = answers.get(name)
            if value is None or value == "" or value == []:
                continue
            if name in ranking:
                order = value if isinstance(value, list) else str(value).split()
                order = [str(c) for c in order]
                if not order or any(c not in codes for c in order) or len(set(order)) < len(order):
                    ignored[name] += 1
                    continue
                r_id.append(pk)
                r_q.append(name)
                r_v.append(order[0])
                for rank, choice in enumerate(order, start=1):
                    k_id.append(pk)
                    k_q.append(name)
                    k_c.append(choice)
                    k_r.append(rank)
            elif name in multiple:
                chosen = value if isinstance(value, list) else str(value).split()
                kept = [str(c) for c in chosen if str(c) in codes]
                if len(kept) < len(chosen):
                    ignored[name] += 1
                for choice in kept:
                    r_id.append(pk)
                    r_q.append(name)
                    r_v.append(choice)
            else:
                text = str(value) if not isinstance(value, list) else None
                if text is None or text not in codes:
                    ignored[name] += 1
                    continue
                r_id.append(pk)
                r_q.append(name)
                r_v.append(text)
        for name in number_names:
            number = _number(answers.get(name))
            if number is not None:
                n_id.append(pk)
                n_q.append(name)
                n_v.append(number)
        for name in text_names:
            value = answers.get(name)
            if isinstance(value, str) and value.strip():
                t_id.append(pk)
                t_q.append(name)
                t_t.append(value)

    respondents = pl.DataFrame(people, schema={
        "response_id": pl.Int64, "channel": pl.String, "gmina": pl.String,
        "age_group": pl.String, "sex": pl.String,
    }).with_columns(pl.lit(survey.audience, pl.String).alias("audience"),
                    pl.lit(1.0).alias(weighting.WEIGHT))
    return Frames(
        responses=pl.DataFrame({"response_id": r_id, "question": r_q, "value": r_v},
                               schema={"response_id": pl.Int64, "question": pl.String,
                                       "value": pl.String}),
        respondents=respondents,
        ranks=pl.DataFrame({"response_id": k_id, "question": k_q, "choice": k_c, "rank": k_r},
                           schema={"response_id": pl.Int64, "question": pl.String,
                                   "choice": pl.String, "rank": pl.Int64}),
        numbers=pl.DataFrame({"response_id": n_id, "question": n_q, "value": n_v},
                             schema={"response_id": pl.Int64, "question": pl.String,
                                     "value": pl.Float64}),
        texts=pl.DataFrame({"response_id": t_id, "question": t_q, "text": t_t},
                           schema={"response_id": pl.Int64, "question": pl.String,
                                   "text": pl.String}),
        days=(first_day, last_day),
        ignored=dict(ignored),
    )


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool | list | dict):
        return None
    try:
        number = float(str(value).replace(",", ".").strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# ------------------------------------------------------------------ weighting


@dataclass(frozen=True)
class WeightingInfo:
    """How (and whether) the weighted figures were made; shown with every result."""

    status: str  # "weighted", "unavailable" (no targets) or "failed" (see reason)
    reason: str = ""
    source: str = ""
    variables: tuple[str, ...] = ()
    respondents: int = 0
    weighted: int = 0
    excluded: dict[str, int] = field(default_factory=dict)  # reason label -> count
    gminas_left_out: tuple[str, ...] = ()
    # variable -> gmina names where its categories were merged (see _collapse)
    collapsed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    n_eff: float | None = None
    design_effect: float | None = None

    @property
    def is_weighted(self) -> bool:
        return self.status == "weighted"


def _targets(survey: Survey):
    """razem.surveys.population.targets_for(survey), or None where it is missing."""
    try:
        from razem.surveys import population
    except ImportError:  # pragma: no cover - the module is written alongside
        return None, None
    targets = population.targets_for(survey)
    if targets is None:
        return None, None
    band = getattr(targets, "age_band", None) or getattr(population, "age_band", None)
    return targets, band


def weigh(survey: Survey, respondents: pl.DataFrame,
          gmina_names: dict[str, Text]) -> tuple[pl.DataFrame | None, WeightingInfo]:
    """The weighted respondents (only those that could be weighted) and the story."""
    n = respondents.height
    targets, age_band = _targets(survey)
    if targets is None:
        return None, WeightingInfo(
            "unavailable", respondents=n,
            reason=_("There are no population figures for weighting: neither the portrait's "
                     "population data nor figures entered by hand."))
    variables = tuple(targets.variables)
    source = str(getattr(targets, "source", "") or "")
    frame: pl.DataFrame = targets.frame
    gmina_codes = set(frame["gmina"].cast(pl.String).unique().to_list())
    people = respondents.select("response_id", "gmina", "sex", "age_group")
    if "age_group" in variables:
        bands = {code: (age_band(code) if age_band else code)
                 for code in people["age_group"].drop_nulls().unique().to_list()}
        people = people.with_columns(pl.col("age_group").replace_strict(
            bands, default=None, return_dtype=pl.String).alias("_band"))
    checks = [
        (pl.col("gmina").is_null(), _("no gmina given")),
        (~pl.col("gmina").is_in(list(gmina_codes)), _("a gmina without population figures")),
    ]
    if "sex" in variables:
        checks.append((pl.col("sex").is_null(), _("no sex given")))
    if "age_group" in variables:
        checks.append((pl.col("age_group").is_null(), _("no age group given")))
        checks.append((pl.col("_band").is_null(),
                       _("an age group outside the population figures")))
    excluded: dict[str, int] = {}
    keep = people
    for condition, label in checks:
        out = keep.filter(condition.fill_null(True))
        if out.height:
            excluded[label] = out.height
        keep = keep.filter(~condition.fill_null(True))
    info = WeightingInfo("failed", source=source, variables=variables, respondents=n,
                         weighted=keep.height, excluded=excluded)
    if keep.height == 0:
        return None, replace(info, reason=_("No respondent can be weighted."))
    present = set(keep["gmina"].unique().to_list())
    left_out = sorted(gmina_names.get(code, Text(code, code)).pl
                      for code in gmina_codes - present)
    population = frame.filter(pl.col("gmina").cast(pl.String).is_in(list(present)))
    rake_frame = keep.select("response_id", "gmina", "sex",
                             *([pl.col("_band").alias("age_group")]
                               if "age_group" in variables else []))
    rake_frame, population, collapsed = _collapse(rake_frame, population, variables)
    info = replace(info, collapsed={
        variable: tuple(sorted(gmina_names.get(code, Text(code, code)).pl for code in codes))
        for variable, codes in collapsed.items()})
    if variables:
        margins = weighting.margins_by_gmina(population, variables)
    else:
        margins = [weighting.Margin(("gmina",), population.group_by("gmina").agg(
            pl.col(weighting.TARGET).sum()))]
    try:
        raked = weighting.rake(rake_frame, margins, tolerance=1e-8,
                               max_iterations=500).respondents
    except weighting.WeightingError as error:
        return None, replace(info, reason=str(error), gminas_left_out=tuple(left_out))
    weights = raked[weighting.WEIGHT]
    weighted = respondents.drop(weighting.WEIGHT).join(
        raked.select("response_id", weighting.WEIGHT), on="response_id", how="inner")
    return weighted, replace(
        info, status="weighted", gminas_left_out=tuple(left_out),
        n_eff=weighting.effective_sample_size(weights),
        design_effect=weighting.design_effect(weights))


def _collapse(people: pl.DataFrame, population: pl.DataFrame,
              variables: Sequence[str]) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, set]]:
    """Merge the categories of a variable within a gmina where one of them cannot be
    raked to (a target but no respondent, or respondents but no target).

    A few hundred respondents over fifteen gminas always leave some gmina without, say,
    a man over 65. Raking to that empty cell is impossible; dropping the gmina would
    lose its respondents. So in that gmina the variable is not weighted separately:
    its respondents are raked to the gmina's total (and to the other variables). The
    pages list the gminas where this happened."""
    collapsed: dict[str, set] = {}
    for variable in variables:
        counts = people.group_by("gmina", variable).agg(pl.len().alias("_n"))
        totals = population.group_by("gmina", variable).agg(pl.col(weighting.TARGET).sum())
        both = counts.join(totals, on=["gmina", variable], how="full", coalesce=True)
        target = pl.col(weighting.TARGET).fill_null(0)
        unusable = both.filter((pl.col("_n").is_null() & (target > 0))
                               | (pl.col("_n").is_not_null() & ~(target > 0)))
        gminas = set(unusable["gmina"].to_list())
        if not gminas:
            continue
        collapsed[variable] = gminas
        merge = pl.when(pl.col("gmina").is_in(list(gminas))).then(pl.lit(_ALL)) \
            .otherwise(pl.col(variable).cast(pl.String)).alias(variable)
        people = people.with_columns(merge)
        population = population.with_columns(merge)
    return people, population, collapsed


# ------------------------------------------------------------------ the results


@dataclass(frozen=True)
class Summary:
    responses: int | None  # None: suppressed (fewer than 5)
    channels: dict[str, int | None]
    first_day: date | None
    last_day: date | None


@dataclass
class SurveyResults:
    """Everything the pages, the report and the API show; picklable, so it is cached.

    tables: "all" and one per DIMENSIONS entry, analysis frequency tables with the
    unweighted measures of every respondent (n, base, pct, ci_low, ci_high) and the
    weighted ones of the weighted respondents (w_count, w_count_base, w_pct, w_ci_low,
    w_ci_high, w_base, n_eff; null when not weighted), plus `small` (n under 5) and,
    when public, `suppressed` and `w_suppressed`.
    """

    survey_id: int
    public: bool
    summary: Summary
    items: tuple[Item, ...]
    tables: dict[str, pl.DataFrame]
    rankings: pl.DataFrame  # question, choice, order, n, mean_rank, w_mean_rank
    numbers: pl.DataFrame  # question, n, mean, median, min, max, w_mean
    numbers_labels: tuple[tuple[str, Text], ...]
    tags: pl.DataFrame  # question, tag, n, base, pct
    open_questions: tuple[OpenQuestion, ...]
    weighting: WeightingInfo
    labels: dict[str, dict[str, Text]]
    ignored: dict[str, int] = field(default_factory=dict)

    def item(self, name: str) -> Item | None:
        return next((item for item in self.items if item.name == name), None)

    def table(self, dimension: str = "all") -> pl.DataFrame:
        return self.tables[dimension]

    def rows(self, name: str, dimension: str = "all") -> list[dict[str, Any]]:
        return self.tables[dimension].filter(pl.col("question") == name).to_dicts()


def _frequency(frames: Frames, plan: Plan, respondents: pl.DataFrame | None) -> list[pl.DataFrame]:
    questions = [item.analysis_question() for item in plan.items]
    breakdowns = [(), *((d,) for d in DIMENSIONS)]
    if not questions:
        return [pl.DataFrame() for _b in breakdowns]
    people = frames.respondents if respondents is None else respondents
    responses = frames.responses
    if respondents is not None:
        responses = responses.join(people.select("response_id"), on="response_id", how="semi")
    return analysis.frequency_tables(responses, people, questions, breakdowns)


def _merge(plain: pl.DataFrame, weighted: pl.DataFrame | None, by: list[str]) -> pl.DataFrame:
    if plain.is_empty():
        return _empty_table(by)
    keys = ["question", *by, "choice"]
    table = plain.select("question", *by, "choice", "order", *_MEASURES)
    if weighted is None:
        table = table.with_columns(*(pl.lit(None, pl.Float64).alias(c) for c in _WEIGHTED))
    else:
        table = table.join(
            weighted.select(*keys, pl.col("n").alias("w_count"),
                            pl.col("base").alias("w_count_base"), "w_pct", "w_ci_low",
                            "w_ci_high", "w_base", "n_eff"),
            on=keys, how="left", nulls_equal=True)
    return table.with_columns((pl.col("n") < MIN_COUNT).alias("small"))


def _empty_table(by: list[str]) -> pl.DataFrame:
    schema: dict[str, Any] = {"question": pl.String, **{c: pl.String for c in by},
                              "choice": pl.String, "order": pl.Int32, "n": pl.Int64,
                              "base": pl.Int64, "pct": pl.Float64, "ci_low": pl.Float64,
                              "ci_high": pl.Float64}
    schema.update({c: pl.Float64 for c in _WEIGHTED})
    schema["small"] = pl.Boolean
    return pl.DataFrame(schema=schema)


def _rankings(frames: Frames, plan: Plan, weighted: pl.DataFrame | None) -> pl.DataFrame:
    order = pl.DataFrame(
        [(item.name, code, i) for item in plan.rankings for i, (code, _l) in
         enumerate(item.choices)],
        schema={"question": pl.String, "choice": pl.String, "order": pl.Int64}, orient="row")
    stats = frames.ranks.group_by("question", "choice").agg(
        pl.len().alias("n"), pl.col("rank").mean().alias("mean_rank"))
    table = order.join(stats, on=["question", "choice"], how="left")
    if weighted is not None:
        w = frames.ranks.join(weighted.select("response_id", weighting.WEIGHT),
                              on="response_id", how="inner")
        w_stats = w.group_by("question", "choice").agg(
            pl.len().alias("w_count"),
            ((pl.col("rank") * pl.col(weighting.WEIGHT)).sum()
             / pl.col(weighting.WEIGHT).sum()).alias("w_mean_rank"))
        table = table.join(w_stats, on=["question", "choice"], how="left")
    else:
        table = table.with_columns(pl.lit(None, pl.Int64).alias("w_count"),
                                   pl.lit(None, pl.Float64).alias("w_mean_rank"))
    return table.with_columns(pl.col("n").fill_null(0)).sort("question", "order")


def _numbers(frames: Frames, weighted: pl.DataFrame | None) -> pl.DataFrame:
    values = frames.numbers
    table = values.group_by("question", maintain_order=True).agg(
        pl.len().alias("n"), pl.col("value").mean().alias("mean"),
        pl.col("value").median().alias("median"), pl.col("value").min().alias("min"),
        pl.col("value").max().alias("max"))
    if weighted is not None and values.height:
        w = values.join(weighted.select("response_id", weighting.WEIGHT), on="response_id")
        table = table.join(w.group_by("question").agg(
            pl.len().alias("w_count"),
            ((pl.col("value") * pl.col(weighting.WEIGHT)).sum()
             / pl.col(weighting.WEIGHT).sum()).alias("w_mean")), on="question", how="left")
    else:
        table = table.with_columns(pl.lit(None, pl.Int64).alias("w_count"),
                                   pl.lit(None, pl.Float64).alias("w_mean"))
    return table


def _tags(survey: Survey, frames: Frames) -> pl.DataFrame:
    from razem.surveys.models import AnswerTag

    rows = AnswerTag.objects.filter(response__survey=survey).order_by().values_list(
        "response_id", "question", "tag")
    tags = pl.DataFrame(list(rows.iterator(chunk_size=CHUNK)), schema={
        "response_id": pl.Int64, "question": pl.String, "tag": pl.String}, orient="row")
    # A tag whose text was since emptied is not counted: it has no answer to describe.
    answered = frames.texts.filter(pl.col("text").str.strip_chars().str.len_chars() > 0)
    tags = tags.join(answered, on=["response_id", "question"], how="semi")
    return analysis.tag_counts(frames.texts, tags)


def compute(survey: Survey) -> SurveyResults:
    """The members' results, every count shown (uncached; see results_for)."""
    gminas = _gminas(survey)
    plan = plan_for(survey.questionnaire, gminas)
    frames = read_frames(survey, plan)
    weighted, info = weigh(survey, frames.respondents, plan.labels["gmina"])
    plain_tables = _frequency(frames, plan, None)
    weighted_tables = (_frequency(frames, plan, weighted) if weighted is not None
                       else [None] * len(plain_tables))
    tables = {
        name: _merge(plain, w, by)
        for name, by, plain, w in zip(["all", *DIMENSIONS], [[], *([d] for d in DIMENSIONS)],
                                      plain_tables, weighted_tables, strict=True)
    }
    channels = Counter(frames.respondents["channel"].to_list())
    answered = Counter(frames.texts["question"].to_list())
    return SurveyResults(
        survey_id=survey.pk,
        public=False,
        summary=Summary(frames.respondents.height, dict(channels), *frames.days),
        items=plan.items,
        tables=tables,
        rankings=_rankings(frames, plan, weighted),
        numbers=_numbers(frames, weighted),
        numbers_labels=plan.numbers,
        tags=_tags(survey, frames),
        open_questions=tuple(replace(q, answered=answered.get(q.name, 0)) for q in plan.texts),
        weighting=info,
        labels=plan.labels,
        ignored=frames.ignored,
    )


# ------------------------------------------------------------------ public (suppressed)


def _masked(value: int | None) -> int | None:
    return value if value is not None and value >= MIN_COUNT else None


def suppress_table(table: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """analysis.suppress for the unweighted measures and, separately, for the weighted
    ones (on the counts of weighted respondents); adds `suppressed`, `w_suppressed`."""
    if table.is_empty():
        return table.with_columns(pl.lit(None, pl.Boolean).alias("suppressed"),
                                  pl.lit(None, pl.Boolean).alias("w_suppressed"))
    plain = analysis.suppress(table.select("question", *by, "choice", "order", *_MEASURES))
    out = table.drop(*_MEASURES).with_columns(*(plain[c] for c in [*_MEASURES, "suppressed"]))
    if table["w_count"].is_null().all():
        return out.with_columns(pl.lit(True).alias("w_suppressed"))
    weighted = analysis.suppress(table.select(
        "question", *by, "choice", "order", pl.col("w_count").fill_null(0).alias("n"),
        pl.col("w_count_base").fill_null(0).alias("base"), "w_pct", "w_ci_low", "w_ci_high",
        "w_base", "n_eff"))
    hidden = weighted["suppressed"] | plain["suppressed"]
    columns = ["w_pct", "w_ci_low", "w_ci_high", "w_base", "n_eff"]
    return out.with_columns(
        *(pl.when(~hidden).then(weighted[c]).alias(c) for c in columns),
        pl.when(~hidden).then(weighted["n"]).alias("w_count"),
        pl.when(~hidden).then(weighted["base"]).alias("w_count_base"),
        hidden.alias("w_suppressed"),
    )


def make_public(results: SurveyResults) -> SurveyResults:
    """The same results with every small cell suppressed (analysis.suppress)."""
    tables = {name: suppress_table(table, [] if name == "all" else [name])
              for name, table in results.tables.items()}
    rankings = results.rankings.with_columns(
        pl.when(pl.col("n") >= MIN_COUNT).then(pl.col("mean_rank")).alias("mean_rank"),
        pl.when(pl.col("w_count").fill_null(0) >= MIN_COUNT).then(pl.col("w_mean_rank"))
        .alias("w_mean_rank"),
        pl.when(pl.col("n") >= MIN_COUNT).then(pl.col("n")).alias("n"),
    )
    numbers = results.numbers.filter(pl.col("n") >= MIN_COUNT).with_columns(
        # Extremes are single respondents' answers: never public.
        pl.lit(None, pl.Float64).alias("min"), pl.lit(None, pl.Float64).alias("max"),
        pl.when(pl.col("w_count").fill_null(0) >= MIN_COUNT).then(pl.col("w_mean"))
        .alias("w_mean"))
    tags = results.tags
    if tags.height:
        masked = analysis.suppress(tags.rename({"tag": "choice"}))
        tags = masked.rename({"choice": "tag"}).filter(~pl.col("suppressed")).drop("suppressed")
    summary = results.summary
    return replace(
        results, public=True, tables=tables, rankings=rankings, numbers=numbers, tags=tags,
        summary=Summary(_masked(summary.responses),
                        {k: _masked(v) for k, v in summary.channels.items()},
                        summary.first_day, summary.last_day),
        open_questions=tuple(replace(q, answered=_masked(q.answered))
                             for q in results.open_questions),
        weighting=replace(results.weighting,
                          excluded={k: _masked(v) for k, v in results.weighting.excluded.items()}),
        ignored={},
    )


# ------------------------------------------------------------------ caching


def version(survey: Survey) -> str:
    """Changes whenever the results could: responses added or removed, the survey or
    the partnership (population imports touch it) saved, tags changed."""
    from razem.surveys.models import AnswerTag

    stats = survey.responses.order_by().aggregate(n=Count("id"), last=Max("id"))
    tags = AnswerTag.objects.filter(response__survey=survey).count()
    targets = hashlib.sha1(repr(survey.population_targets).encode()).hexdigest()[:12]
    return ":".join(str(part) for part in (
        survey.pk, stats["n"], stats["last"], survey.updated_at.timestamp(), tags,
        survey.partnership.updated_at.timestamp(), targets, get_language() or "pl"))


def results_for(survey: Survey) -> SurveyResults:
    return _cached(survey, public=False)


def public_results_for(survey: Survey) -> SurveyResults:
    return _cached(survey, public=True)


def _cached(survey: Survey, *, public: bool) -> SurveyResults:
    key = f"survey-results:v1:{version(survey)}"
    entry = cache.get(key)
    if entry is None:
        full = compute(survey)
        entry = {"full": full, "public": make_public(full)}
        cache.set(key, entry, CACHE_SECONDS)
    return entry["public" if public else "full"]


# ------------------------------------------------------------------ across audiences


@dataclass
class Comparison:
    """The closed items this survey shares (by name) with the partnership's latest survey
    of each other audience, broken down by audience (unweighted: each survey would need
    its own targets). table: analysis.compare_audiences columns plus `small`."""

    surveys: list[tuple[str, int, str]]  # (audience, survey id, title) in column order
    items: tuple[Item, ...]
    table: pl.DataFrame


def _partners(survey: Survey, public: bool) -> list[Survey]:
    others = (Survey.objects.filter(partnership_id=survey.partnership_id)
              .exclude(pk=survey.pk).exclude(audience=survey.audience)
              .order_by("-opens_on", "-pk"))
    if public:
        others = others.filter(results_published=True)
    latest: dict[str, Survey] = {}
    for other in others:
        latest.setdefault(other.audience, other)
    return list(latest.values())


def comparison_for(survey: Survey, *, public: bool) -> Comparison | None:
    partners = _partners(survey, public)
    if not partners:
        return None
    versions = ":".join([str(public)] + [version(s) for s in [survey, *partners]])
    key = f"survey-comparison:v1:{survey.pk}:{hashlib.sha256(versions.encode()).hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = _compare(survey, partners, public=public)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _compare(survey: Survey, partners: Iterable[Survey], *, public: bool) -> Comparison | None:
    gminas = _gminas(survey)
    plan = plan_for(survey.questionnaire, gminas)
    own = {item.name: item for item in plan.items}
    shared: dict[str, Item] = {}
    used: list[Survey] = []
    other_frames: list[Frames] = []
    for other in partners:
        other_plan = plan_for(other.questionnaire, gminas)
        common = {item.name for item in other_plan.items
                  if item.name in own and item.kind is own[item.name].kind}
        if not common:
            continue
        # Read the other survey with this survey's choices: answers outside them are
        # left out, as they would be here.
        reading = replace(other_plan, items=tuple(own[n] for n in common),
                          rankings=tuple(own[n] for n in common if own[n] in plan.rankings))
        other_frames.append(read_frames(other, reading, names=common, with_texts=False))
        used.append(other)
        shared.update((n, own[n]) for n in common)
    if not shared:
        return None
    mine = read_frames(survey, replace(plan, items=tuple(shared.values())),
                       names=set(shared), with_texts=False)
    frames = [mine, *other_frames]
    responses = pl.concat([f.responses for f in frames])
    respondents = pl.concat([f.respondents for f in frames])
    items = tuple(item for item in plan.items if item.name in shared)
    table = analysis.compare_audiences(responses, respondents,
                                       [item.analysis_question() for item in items])
    table = table.select("question", "audience", "choice", "order", *_MEASURES).with_columns(
        (pl.col("n") < MIN_COUNT).alias("small"))
    if public and table.height:
        masked = analysis.suppress(table.drop("small"))
        table = table.drop(*_MEASURES).with_columns(
            *(masked[c] for c in [*_MEASURES, "suppressed"]))
    kept = set(table["question"].unique().to_list())
    order = [Audience(s.audience) for s in [survey, *used]]
    return Comparison(
        surveys=[(str(a.value), s.pk, s.title) for a, s in zip(order, [survey, *used],
                                                               strict=True)],
        items=tuple(item for item in items if item.name in kept),
        table=table,
    )

