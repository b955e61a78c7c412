"""Survey results as rows, cells and chart specs in the reader's language.

Shared by the results pages and the report, so both show the same tables and the
same Vega-Lite specs. Numbers are formatted here (razem.reports.document's
format_number: "12,3" in Polish); a suppressed cell is None, shown as a dash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from razem.reports.document import MISSING, format_number
from razem.surveys import charts
from razem.surveys.analysis import Kind
from razem.surveys.definition import Text
from razem.surveys.models import Audience, Channel
from razem.surveys.results import Comparison, Item, SurveyResults


def text(value: Text, language: str) -> str:
    return (value.en if language == "en" and value.en else value.pl) or value.pl


def number(value: float | None, decimals: int, language: str) -> str:
    if value is None or value != value:  # None or NaN
        return MISSING
    return format_number(value, decimals, language)


def interval(low: float | None, high: float | None, language: str) -> str:
    if low is None or high is None or low != low or high != high:
        return MISSING
    return f"{number(low, 1, language)}–{number(high, 1, language)}"


def dimension_label(dimension: str) -> str:
    return {"gmina": _("gmina"), "age_group": _("age group"), "sex": _("sex"),
            "audience": _("audience")}[dimension]


def group_label(results: SurveyResults, dimension: str, code: str | None, language: str) -> str:
    if code is None:
        return _("not given")
    label = results.labels.get(dimension, {}).get(code)
    return text(label, language) if label else code


def channel_label(code: str) -> str:
    try:
        return str(Channel(code).label)
    except ValueError:
        return code


def audience_label(code: str) -> str:
    try:
        return str(Audience(code).label)
    except ValueError:
        return code


# ------------------------------------------------------------------ one question


@dataclass
class Row:
    label: str
    n: str
    pct: str
    ci: str
    w_pct: str
    w_ci: str
    small: bool = False  # under 5 respondents (members' pages mark it)
    suppressed: bool = False  # masked on public outputs
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class QuestionBlock:
    name: str
    id: str
    title: str
    group: str
    kind: str
    base: str
    weighted_base: str
    note: str
    rows: list[Row]
    spec: dict[str, Any] | None
    description: str
    ranking: list[dict[str, str]] = field(default_factory=list)
    all_masked: bool = False  # public, and too few answered to show anything

    @property
    def spec_id(self) -> str:
        return f"{self.id}-spec"

    @property
    def table_id(self) -> str:
        return f"{self.id}-table"


def _kind_note(item: Item) -> str:
    if item.kind is Kind.MULTIPLE:
        return _("More than one answer could be chosen, so the percentages may add up to "
                 "more than 100.")
    if item.qtype == "ranking":
        return _("The percentages are of the options ranked first.")
    return ""


def question_block(results: SurveyResults, item: Item, language: str) -> QuestionBlock:
    weighted = results.weighting.is_weighted
    labels = dict(item.choices)
    raw_rows = results.rows(item.name)
    rows: list[Row] = []
    chart_rows: list[dict[str, Any]] = []
    plain, weight = _("unweighted"), _("weighted")
    series = [plain, weight] if weighted else [plain]
    for row in raw_rows:
        label = text(labels[row["choice"]], language) if row["choice"] in labels else row["choice"]
        n = row["n"]
        rows.append(Row(
            label=label,
            n=number(n, 0, language) if n is not None else MISSING,
            pct=number(row["pct"], 1, language),
            ci=interval(row["ci_low"], row["ci_high"], language),
            w_pct=number(row.get("w_pct"), 1, language),
            w_ci=interval(row.get("w_ci_low"), row.get("w_ci_high"), language),
            small=bool(row.get("small")) and not results.public,
            suppressed=bool(row.get("suppressed")),
            raw=row,
        ))
        if row["pct"] is not None:
            chart_rows.append({"label": label, "series": plain, "value": row["pct"],
                               "low": row["ci_low"], "high": row["ci_high"],
                               "interval": interval(row["ci_low"], row["ci_high"], language)})
        if weighted and row.get("w_pct") is not None:
            chart_rows.append({"label": label, "series": weight, "value": row["w_pct"],
                               "low": row.get("w_ci_low"), "high": row.get("w_ci_high"),
                               "interval": interval(row.get("w_ci_low"), row.get("w_ci_high"),
                                                    language)})
    title = text(item.label, language)
    group = text(item.group, language) if item.group.pl else ""
    first = raw_rows[0] if raw_rows else {}
    description = _("Bar chart: percentages of respondents choosing each answer to the "
                    "question “%(question)s”, with 95%% intervals.") % {"question": title}
    spec = charts.choice_bars(
        chart_rows, description=description, category_title=_("Answer"),
        value_title=_("%% of respondents") % {}, series_title=_("Figures"),
        interval_title=_("95%% interval") % {}, series=series,
    ) if chart_rows else None
    block = QuestionBlock(
        name=item.name, id=f"q-{item.name}", title=title, group=group,
        kind=item.qtype, note=_kind_note(item),
        base=number(first.get("base"), 0, language) if first.get("base") is not None
        else MISSING,
        weighted_base=number(first.get("n_eff"), 1, language)
        if weighted and first.get("n_eff") is not None else MISSING,
        rows=rows, spec=spec, description=description,
        all_masked=results.public and (not raw_rows or first.get("base") is None),
    )
    if item.qtype == "ranking":
        block.ranking = _ranking_rows(results, item, language)
    return block


def _ranking_rows(results: SurveyResults, item: Item, language: str) -> list[dict[str, str]]:
    labels = dict(item.choices)
    table = results.rankings.filter(results.rankings["question"] == item.name)
    return [{
        "label": text(labels[row["choice"]], language) if row["choice"] in labels
        else row["choice"],
        "n": number(row["n"], 0, language),
        "mean": number(row["mean_rank"], 2, language),
        "w_mean": number(row.get("w_mean_rank"), 2, language),
    } for row in table.to_dicts()]


def question_blocks(results: SurveyResults, language: str) -> list[QuestionBlock]:
    return [question_block(results, item, language) for item in results.items]


def number_rows(results: SurveyResults, language: str) -> list[dict[str, str]]:
    labels = dict(results.numbers_labels)
    return [{
        "label": text(labels[row["question"]], language) if row["question"] in labels
        else row["question"],
        "n": number(row["n"], 0, language),
        "mean": number(row["mean"], 1, language),
        "median": number(row["median"], 1, language),
        "min": number(row["min"], 1, language),
        "max": number(row["max"], 1, language),
        "w_mean": number(row.get("w_mean"), 1, language),
    } for row in results.numbers.to_dicts()]


# ------------------------------------------------------------------ breakdowns


@dataclass
class Breakdown:
    """One item broken down: groups as rows, its choices as columns."""

    name: str
    id: str
    title: str
    choices: list[str]
    # {"label", "base", "cells": [{"pct", "n", "w_pct", "small", "masked"}]}
    rows: list[dict[str, Any]]


def breakdown_blocks(results: SurveyResults, dimension: str,
                     language: str) -> list[Breakdown]:
    table = results.table(dimension)
    by_question: dict[str, list[dict[str, Any]]] = {}
    for row in table.to_dicts():
        by_question.setdefault(row["question"], []).append(row)
    blocks = []
    weighted = results.weighting.is_weighted
    for item in results.items:
        rows = by_question.get(item.name)
        if not rows:
            continue
        labels = dict(item.choices)
        groups: dict[Any, dict[str, Any]] = {}
        for row in rows:
            key = row[dimension]
            group = groups.setdefault(key, {
                "label": group_label(results, dimension, key, language),
                "base": number(row["base"], 0, language),
                "cells": [],
            })
            group["cells"].append({
                "pct": number(row["pct"], 1, language),
                "n": number(row["n"], 0, language),
                "w_pct": number(row.get("w_pct"), 1, language) if weighted else "",
                "small": bool(row.get("small")) and not results.public,
                "masked": bool(row.get("suppressed")),
            })
        blocks.append(Breakdown(
            name=item.name, id=f"b-{dimension}-{item.name}", title=text(item.label, language),
            choices=[text(labels[code], language) for code, _l in item.choices],
            rows=list(groups.values()),
        ))
    return blocks


def comparison_blocks(comparison: Comparison | None, public: bool,
                      language: str) -> list[Breakdown]:
    """Per shared item: choices as rows, audiences as columns (percent and n)."""
    if comparison is None:
        return []
    audiences = [code for code, _pk, _t in comparison.surveys]
    blocks = []
    for item in comparison.items:
        rows = comparison.table.filter(comparison.table["question"] == item.name).to_dicts()
        cells = {(row["choice"], row["audience"]): row for row in rows}
        present = [a for a in audiences if any(r["audience"] == a for r in rows)]
        table_rows = []
        for code, label in item.choices:
            row_cells = []
            for audience in present:
                cell = cells.get((code, audience))
                row_cells.append({
                    "pct": number(cell["pct"], 1, language) if cell else MISSING,
                    "n": number(cell["n"], 0, language) if cell else MISSING,
                    "w_pct": "",
                    "small": bool(cell and cell.get("small")) and not public,
                    "masked": bool(cell and cell.get("suppressed")),
                })
            table_rows.append({"label": text(label, language), "base": "", "cells": row_cells})
        bases = {row["audience"]: row["base"] for row in rows}
        blocks.append(Breakdown(
            name=item.name, id=f"c-{item.name}", title=text(item.label, language),
            choices=[f"{audience_label(a)} (n = {number(bases.get(a), 0, language)})"
                     for a in present],
            rows=table_rows,
        ))
    return blocks


# ------------------------------------------------------------------ summary


def channel_rows(results: SurveyResults, language: str) -> list[dict[str, str]]:
    return [{"label": channel_label(code), "n": number(n, 0, language)}
            for code, n in sorted(results.summary.channels.items())]


def weighting_facts(results: SurveyResults, language: str) -> dict[str, Any]:
    info = results.weighting
    variables = ", ".join(dimension_label(v) for v in info.variables)
    return {
        "status": info.status,
        "reason": info.reason,
        "source": info.source,
        "variables": variables,
        "respondents": number(info.respondents, 0, language) if not results.public
        or info.respondents >= 5 else MISSING,
        "weighted": number(info.weighted, 0, language) if not results.public
        or info.weighted >= 5 else MISSING,
        "excluded": [(label, number(n, 0, language) if n is not None else MISSING)
                     for label, n in info.excluded.items()],
        "gminas_left_out": ", ".join(info.gminas_left_out),
        "collapsed": [(dimension_label(variable), ", ".join(names))
                      for variable, names in info.collapsed.items()],
        "n_eff": number(info.n_eff, 1, language),
        "design_effect": number(info.design_effect, 2, language),
    }
