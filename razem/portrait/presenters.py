"""Tables and charts of the portrait, shared by the pages and the report.

Built from a Portrait (plain data, no ORM). A `DataTable` keeps raw values and
how to format each column, so the page formats them with
razem.portrait.formatting and the report hands them to razem.reports.document
(which formats them its own way); both show the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from razem.indicators import compute
from razem.indicators.catalogue import DIMENSION_LABELS, DIMENSIONS, Indicator
from razem.portrait import charts
from razem.portrait import formatting as fmt
from razem.portrait.data import COUNTRY, OVERALL, PARTNERSHIP, MemberUnit, Portrait

SOURCE_PL = "Źródło: GUS, Bank Danych Lokalnych"
SOURCE_EN = "Source: Statistics Poland (GUS), Local Data Bank (BDL)"
SCORE_DECIMALS = 3


def source_text(language: str) -> str:
    return SOURCE_EN if language.startswith("en") else SOURCE_PL


def dimension_label(dimension: str, language: str) -> str:
    labels = DIMENSION_LABELS.get(dimension)
    if labels is None:
        return dimension
    return labels[1] if language.startswith("en") else labels[0]


def group_label(group: str | None, language: str) -> str:
    return compute.group_label(group, language) if group else "–"


def kind_label(member: MemberUnit) -> str:
    if member.kind == "gmina":
        if member.is_city:
            return _("city with powiat rights")
        return {"urban": _("urban gmina"), "rural": _("rural gmina"),
                "urban-rural": _("urban-rural gmina")}.get(member.gmina_type, _("gmina"))
    return _("powiat") if member.kind == "powiat" else _("voivodeship")


# --- tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    label: str
    decimals: int | None = None  # set: a numeric column
    suffix: str = ""
    signed: bool = False

    @property
    def numeric(self) -> bool:
        return self.decimals is not None


@dataclass
class Row:
    cells: list[Any]
    href: str = ""  # link of the first cell (the row's header)
    emphasis: bool = False  # an aggregate row


@dataclass
class DataTable:
    caption: str
    columns: list[Col]
    rows: list[Row]
    note: str = ""

    def formatted(self, language: str) -> list[dict[str, Any]]:
        """Rows for templates: header cell, then {"text", "numeric"} cells."""
        out = []
        for row in self.rows:
            cells = []
            for value, column in zip(row.cells[1:], self.columns[1:]):
                cells.append({"text": _format(value, column, language), "numeric": column.numeric})
            out.append({"header": row.cells[0], "href": row.href, "emphasis": row.emphasis,
                        "cells": cells})
        return out


@dataclass(frozen=True)
class _Numeric:
    """A value with its own number of decimals, in a column of mixed indicators."""

    value: float | None
    decimals: int
    signed: bool = False

    def text(self, language: str) -> str:
        if self.signed:
            return fmt.signed(self.value, self.decimals, language)
        return fmt.number(self.value, self.decimals, language)

    @property
    def raw(self) -> float | None:
        return self.value


def _format(value: Any, column: Col, language: str) -> str:
    if isinstance(value, _Numeric):
        return value.text(language)
    if column.numeric and (value is None or isinstance(value, int | float)):
        if column.signed:
            return fmt.signed(value, column.decimals, language) + (
                column.suffix if not fmt.is_missing(value) else "")
        text = fmt.number(value, column.decimals, language)
        return text + column.suffix if text != fmt.MISSING else text
    return fmt.MISSING if value is None else str(value)


@dataclass
class Figure:
    """A chart and the table with its numbers (every chart has one)."""

    id: str
    title: str
    description: str
    spec: dict[str, Any]
    table: DataTable
    source: str = ""


# --- figures of the pages -----------------------------------------------------------------


Url = Callable[..., str]


def _unit_name(indicator: Indicator, language: str) -> str:
    unit = indicator.unit(language)
    return f"{indicator.name(language)} [{unit}]" if unit else indicator.name(language)


def key_figures_table(portrait: Portrait, language: str, unit_url: Url | None = None, *,
                      kind: bool = True, figures: bool = True, scores: bool = True,
                      codes: list[str] | None = None) -> DataTable:
    """Members × key figures and synthetic scores, with the partnership's row.

    The page shows one table; the report, narrower on paper, one without the
    scores and one of the scores alone.
    """
    codes = key_codes(portrait) if codes is None else codes
    indicators = [portrait.catalogue.get(code) for code in codes] if figures else []
    dimensions = [*DIMENSIONS, OVERALL] if scores else []
    members = portrait.members if figures else portrait.gminas
    columns = [Col(_("Unit"))] + ([Col(_("Kind"))] if kind else [])
    columns += [Col(_unit_name(i, language), i.decimals) for i in indicators]
    columns += [Col(_("Score: %(dimension)s") % {"dimension": dimension_label(d, language)},
                    SCORE_DECIMALS) for d in dimensions]
    rows = []
    for member in members:
        cells: list[Any] = [member.name] + ([kind_label(member)] if kind else [])
        cells += [portrait.value(member.key, i.code) for i in indicators]
        cells += [_score(portrait, member.teryt, d) if member.is_gmina else None
                  for d in dimensions]
        rows.append(Row(cells, href=unit_url(member.teryt) if unit_url else ""))
    cells = [_("Partnership (member gminas together)")] + ([_("partnership")] if kind else [])
    cells += [portrait.value(PARTNERSHIP, i.code) for i in indicators]
    cells += [_score(portrait, PARTNERSHIP, d) for d in dimensions]
    rows.append(Row(cells, emphasis=True))
    if figures and scores:
        caption = _("Key figures and synthetic scores, %(year)s")
    elif figures:
        caption = _("Key figures, %(year)s")
    else:
        caption = _("Synthetic scores of the dimensions, %(year)s")
    notes = []
    if figures:
        notes.append(_("A powiat's figures are those of all its gminas together; the "
                       "partnership's are those of its member gminas (a member powiat is not "
                       "counted twice)."))
    if scores:
        notes.append(_("Scores: Hellwig's measure of development against all gminas of Poland "
                       "(higher is better)."))
    return DataTable(caption=caption % {"year": portrait.year}, columns=columns, rows=rows,
                     note=" ".join(notes))


def key_codes(portrait: Portrait) -> list[str]:
    from razem.portrait.data import KEY_FIGURES

    return [code for code in KEY_FIGURES if code in portrait.catalogue]


def _score(portrait: Portrait, teryt: str, dimension: str) -> float | None:
    found = portrait.synthetic.get((teryt, dimension))
    return found.hellwig if found else None


def comparison_table(portrait: Portrait, language: str) -> DataTable:
    """Key figures of the areas the partnership is compared with."""
    indicators = [portrait.catalogue.get(code) for code in key_codes(portrait)]
    columns = [Col(_("Area"))] + [Col(_unit_name(i, language), i.decimals) for i in indicators]
    rows = [
        Row([_area_name(portrait, area.key, language)]
            + [portrait.value(area.key, i.code) for i in indicators],
            emphasis=area.key == PARTNERSHIP)
        for area in portrait.areas
    ]
    return DataTable(
        caption=_("The partnership among the areas it is compared with, %(year)s")
        % {"year": portrait.year},
        columns=columns, rows=rows,
        note=_("Areas are aggregates of their gminas: sums of numerators over sums of "
               "denominators, never means of ratios."),
    )


def _area_name(portrait: Portrait, key: str, language: str) -> str:
    area = portrait.area(key)
    if area is None:
        return key
    if area.kind == "group":
        return _("Comparison group: %(group)s") % {"group": group_label(area.code, language)}
    if area.kind == "country":
        return _("Poland")
    if area.kind == "partnership":
        return _("Partnership (member gminas together)")
    return area.name


def score_map(portrait: Portrait, language: str, dimension: str = OVERALL,
              unit_url: Url | None = None) -> Figure:
    """Choropleth of a synthetic score by member gmina, with its table."""
    label = dimension_label(dimension, language)
    title = _("Hellwig's measure of development (%(dimension)s) of the member gminas, %(year)s") % {
        "dimension": label, "year": portrait.year}
    features, rows = [], []
    for member in portrait.gminas:
        value = _score(portrait, member.teryt, dimension)
        found = portrait.synthetic.get((member.teryt, dimension))
        rows.append(Row([member.name, value, found.percentile if found else None,
                         _rank_text(found.rank if found else None,
                                    found.group_size if found else None)],
                        href=unit_url(member.teryt) if unit_url else ""))
        if member.teryt in portrait.boundaries:
            features.append(_feature(portrait, member, value))
    spec = charts.choropleth(
        features, description=title, value_title=_("Score"), unit_title=_("Gmina"),
        decimals=SCORE_DECIMALS, scheme="blues",
    )
    table = DataTable(
        caption=title,
        columns=[Col(_("Gmina")), Col(_("Score"), SCORE_DECIMALS),
                 Col(_("Percentile in the comparison group"), 0), Col(_("Rank in the group"))],
        rows=rows,
    )
    return Figure(f"map-{dimension}", title, _("Map: %(title)s. The numbers are in the table "
                                                "beside it.") % {"title": title}, spec, table,
                  source_text(language))


def _feature(portrait: Portrait, member: MemberUnit, value: float | None) -> dict[str, Any]:
    return {"type": "Feature", "geometry": portrait.boundaries[member.teryt],
            "properties": {"teryt": member.teryt, "name": member.name, "value": value}}


def _rank_text(rank: int | None, size: int | None) -> str | None:
    if rank is None or not size:
        return None
    return _("%(rank)d of %(size)d") % {"rank": rank, "size": size}


def dimension_scores(portrait: Portrait, dimension: str, language: str,
                     unit_url: Url | None = None) -> Figure:
    label = dimension_label(dimension, language)
    title = _("Synthetic scores (%(dimension)s), %(year)s") % {"dimension": label,
                                                                 "year": portrait.year}
    rows, bars = [], []
    for member in portrait.gminas:
        found = portrait.synthetic.get((member.teryt, dimension))
        hellwig = found.hellwig if found else None
        rows.append(Row([member.name, hellwig, found.standardised_sum if found else None,
                         found.percentile if found else None,
                         _rank_text(found.rank if found else None,
                                    found.group_size if found else None)],
                        href=unit_url(member.teryt) if unit_url else ""))
        if hellwig is not None:
            bars.append({"label": member.name, "value": round(hellwig, SCORE_DECIMALS)})
    partnership = portrait.synthetic.get((PARTNERSHIP, dimension))
    rows.append(Row([_("Partnership (member gminas together)"),
                     partnership.hellwig if partnership else None,
                     partnership.standardised_sum if partnership else None, None, None],
                    emphasis=True))
    spec = charts.bars(bars, description=title, category_title=_("Gmina"),
                       value_title=_("Hellwig's measure"), decimals=SCORE_DECIMALS)
    table = DataTable(
        caption=title,
        columns=[Col(_("Gmina")), Col(_("Hellwig's measure"), SCORE_DECIMALS),
                 Col(_("Standardised sum"), SCORE_DECIMALS),
                 Col(_("Percentile in the comparison group"), 0), Col(_("Rank in the group"))],
        rows=rows,
        note=_("Both measures are computed against all gminas of Poland; higher is better. "
               "The percentile and rank compare a gmina with its comparison group."),
    )
    return Figure(f"scores-{dimension}", title, _("Bar chart: %(title)s. The numbers are in "
                                                  "the table beside it.") % {"title": title},
                  spec, table, source_text(language))


def dimension_matrix(portrait: Portrait, dimension: str, language: str,
                     indicator_url: Url | None = None) -> DataTable:
    """Members × the dimension's indicators in the reference year."""
    indicators = portrait.catalogue.by_dimension().get(dimension, [])
    columns = [Col(_("Unit"))] + [Col(_unit_name(i, language), i.decimals) for i in indicators]
    rows = [Row([member.name] + [portrait.value(member.key, i.code) for i in indicators])
            for member in portrait.members]
    for key in (PARTNERSHIP, *[a.key for a in portrait.areas if a.kind == "voivodeship"], COUNTRY):
        rows.append(Row([_area_name(portrait, key, language)]
                        + [portrait.value(key, i.code) for i in indicators], emphasis=True))
    return DataTable(
        caption=_("Indicators of the %(dimension)s dimension, %(year)s") % {
            "dimension": dimension_label(dimension, language), "year": portrait.year},
        columns=columns, rows=rows,
    )


def time_series(portrait: Portrait, indicator: Indicator, language: str) -> Figure:
    """Members, the partnership and the comparison groups' medians over the years."""
    title = _("%(indicator)s over the years") % {"indicator": indicator.name(language)}
    role_labels = {"member": _("member gmina"), "partnership": _("partnership"),
                   "median": _("group median")}
    points, rows = [], []
    series: list[tuple[str, str, list[tuple[int, float | None]]]] = []
    for member in portrait.gminas:
        series.append((member.name, "member", portrait.series(member.teryt, indicator.code)))
    series.append((_("Partnership (member gminas together)"), "partnership",
                   portrait.series(PARTNERSHIP, indicator.code)))
    for group in portrait.groups:
        medians = []
        for year in portrait.years:
            stats = portrait.group_stat(group, indicator.code, year)
            medians.append((year, stats.median if stats else None))
        series.append((_("Median: %(group)s") % {"group": group_label(group, language)},
                       "median", medians))
    for name, role, values in series:
        rows.append(Row([name] + [value for _year, value in values],
                        emphasis=role != "member"))
        if role == "partnership" and not indicator.is_ratio:
            continue  # a sum over fifteen gminas would flatten every other line
        points += [{"series": name, "role": role, "role_label": role_labels[role], "year": year,
                    "value": round(value, 6)} for year, value in values if value is not None]
    spec = charts.time_series(
        points, description=title, value_title=indicator.unit(language) or _("Value"),
        year_title=_("Year"), series_title=_("Series"), decimals=indicator.decimals,
        role_labels=role_labels,
    )
    table = DataTable(
        caption=title + f" [{indicator.unit(language)}]",
        columns=[Col(_("Series"))]
        + [Col(str(year), indicator.decimals) for year in portrait.years],
        rows=rows,
        note=_("Comparison groups are fixed by the population of %(year)s; their medians are "
               "of the gminas' own values.") % {"year": portrait.year},
    )
    return Figure("series", title, _("Line chart: %(title)s. The numbers are in the table "
                                     "below it.") % {"title": title}, spec, table,
                  source_text(language))


def ranking(portrait: Portrait, indicator: Indicator, language: str,
            unit_url: Url | None = None, *, compact: bool = False) -> Figure:
    """Each member gmina's place in its comparison group (`compact`: fewer columns, for paper)."""
    title = _("Position of the member gminas in their comparison groups, %(year)s") % {
        "year": portrait.year}
    rows, bars = [], []
    for member in portrait.gminas:
        position = portrait.positions.get((member.teryt, indicator.code))
        if position is None:
            rows.append(Row([member.name, portrait.value(member.teryt, indicator.code),
                             group_label(member.group, language), None, None, None, None, None,
                             None], href=unit_url(member.teryt) if unit_url else ""))
            continue
        rows.append(Row([
            member.name, position.value, group_label(position.group, language),
            position.group_median, position.group_q1, position.group_q3, position.percentile,
            position.z_score, _rank_text(position.rank, position.group_size),
        ], href=unit_url(member.teryt) if unit_url else ""))
        if position.percentile is not None:
            bars.append({"label": member.name, "value": round(position.percentile, 1)})
    spec = charts.bars(bars, description=title, category_title=_("Gmina"),
                       value_title=_("Percentile (100 = best in the group)"), decimals=0,
                       domain=(0, 100))
    d = indicator.decimals
    if compact:
        keep = (0, 1, 3, 6, 8)  # gmina, value, median, percentile, rank
        rows = [Row([row.cells[i] for i in keep], row.href) for row in rows]
        table = DataTable(
            caption=title,
            columns=[Col(_("Gmina")), Col(_("Value"), d), Col(_("Group median"), d),
                     Col(_("Percentile"), 0), Col(_("Rank in the group"))],
            rows=rows,
            note=_("Percentile: the share of the other gminas of the group that the gmina does "
                   "better than (100 = best). Rank 1 = best."),
        )
        return Figure("ranking", title, title, spec, table, source_text(language))
    table = DataTable(
        caption=title,
        columns=[Col(_("Gmina")), Col(_("Value"), d), Col(_("Comparison group")),
                 Col(_("Group median"), d), Col(_("Lower quartile"), d),
                 Col(_("Upper quartile"), d), Col(_("Percentile"), 0), Col(_("z-score"), 2),
                 Col(_("Rank in the group"))],
        rows=rows,
        note=_("Percentile: the share of the other gminas of the group that the gmina does "
               "better than (100 = best, whether more or less is better for this indicator). "
               "z-score: distance from the group's mean in standard deviations, in the "
               "indicator's own direction. Rank 1 = best."),
    )
    return Figure("ranking", title, _("Bar chart: %(title)s. The numbers are in the table "
                                      "below it.") % {"title": title}, spec, table,
                  source_text(language))


def indicator_map(portrait: Portrait, indicator: Indicator, language: str,
                  unit_url: Url | None = None) -> Figure:
    title = _("%(indicator)s in the member gminas, %(year)s") % {
        "indicator": indicator.name(language), "year": portrait.year}
    features, rows = [], []
    for member in portrait.gminas:
        value = portrait.value(member.teryt, indicator.code)
        rows.append(Row([member.name, value], href=unit_url(member.teryt) if unit_url else ""))
        if member.teryt in portrait.boundaries:
            features.append(_feature(portrait, member, value))
    spec = charts.choropleth(
        features, description=title, value_title=indicator.unit(language) or _("Value"),
        unit_title=_("Gmina"), decimals=indicator.decimals,
        scheme="blues" if indicator.polarity > 0 else "oranges",
    )
    table = DataTable(caption=title, columns=[Col(_("Gmina")),
                                              Col(indicator.unit(language) or _("Value"),
                                                  indicator.decimals)], rows=rows)
    return Figure("map", title, _("Map: %(title)s. The numbers are in the table beside it.")
                  % {"title": title}, spec, table, source_text(language))


def areas_table(portrait: Portrait, indicator: Indicator, language: str) -> DataTable:
    """The indicator for every area of comparison over the years, with coverage."""
    columns = [Col(_("Area"))] + [Col(str(y), indicator.decimals) for y in portrait.years]
    columns.append(Col(_("Gminas with data, %(year)s") % {"year": portrait.year}))
    rows = []
    for area in portrait.areas:
        with_data, total = portrait.coverage.get((area.key, indicator.code, portrait.year),
                                                 (0, 0))
        rows.append(Row(
            [_area_name(portrait, area.key, language)]
            + [value for _y, value in portrait.series(area.key, indicator.code)]
            + [_("%(with)d of %(total)d") % {"with": with_data, "total": total} if total else None],
            emphasis=area.key == PARTNERSHIP,
        ))
    return DataTable(
        caption=_("%(indicator)s in the areas of comparison [%(unit)s]") % {
            "indicator": indicator.name(language), "unit": indicator.unit(language)},
        columns=columns, rows=rows,
        note=_("Aggregates are over the gminas with data; where some gminas lack data, a sum "
               "understates the area."),
    )


def unit_profile_table(portrait: Portrait, member: MemberUnit, dimension: str, language: str,
                       indicator_url: Url | None = None) -> DataTable:
    """One unit's indicators of a dimension: value, change, position in its group."""
    indicators = portrait.catalogue.by_dimension().get(dimension, [])
    rows = []
    for indicator in indicators:
        value = portrait.value(member.key, indicator.code)
        start = portrait.value(member.key, indicator.code, portrait.base_year)
        change = value - start if value is not None and start is not None else None
        position = portrait.positions.get((member.teryt, indicator.code)) if member.is_gmina \
            else None
        rows.append(Row([
            indicator.name(language), indicator.unit(language), _Numeric(value, indicator.decimals),
            _Numeric(change, indicator.decimals, signed=True),
            _Numeric(position.group_median if position else None, indicator.decimals),
            position.percentile if position else None, position.z_score if position else None,
            _rank_text(position.rank, position.group_size) if position else None,
        ], href=indicator_url(indicator.code) if indicator_url else ""))
    return DataTable(
        caption=_("%(unit)s: the %(dimension)s dimension, %(year)s") % {
            "unit": member.name, "dimension": dimension_label(dimension, language),
            "year": portrait.year},
        columns=[Col(_("Indicator")), Col(_("Unit of measure")), Col(_("Value"), 0),
                 Col(_("Change since %(year)s") % {"year": portrait.base_year}, 0),
                 Col(_("Group median"), 0), Col(_("Percentile"), 0), Col(_("z-score"), 2),
                 Col(_("Rank in the group"))],
        rows=rows,
    )


def unit_positions(portrait: Portrait, member: MemberUnit, language: str) -> Figure:
    """A gmina's percentile on every indicator: where it is strong and where weak."""
    title = _("%(unit)s in its comparison group: percentile of each indicator, %(year)s") % {
        "unit": member.name, "year": portrait.year}
    bars, rows = [], []
    for indicator in portrait.catalogue.indicators:
        position = portrait.positions.get((member.teryt, indicator.code))
        if position is None or position.percentile is None:
            continue
        bars.append({"label": indicator.name(language), "value": round(position.percentile, 1)})
        rows.append(Row([indicator.name(language), position.percentile]))
    spec = charts.bars(bars, description=title, category_title=_("Indicator"),
                       value_title=_("Percentile (100 = best in the group)"), decimals=0,
                       domain=(0, 100))
    table = DataTable(caption=title, columns=[Col(_("Indicator")), Col(_("Percentile"), 0)],
                      rows=rows)
    return Figure("positions", title, _("Bar chart: %(title)s. The numbers are in the table "
                                        "beside it.") % {"title": title}, spec, table,
                  source_text(language))


def dimension_list(portrait: Portrait, language: str) -> list[dict[str, Any]]:
    by_dimension = portrait.catalogue.by_dimension()
    return [{"code": d, "label": dimension_label(d, language), "indicators": by_dimension[d]}
            for d in DIMENSIONS if by_dimension.get(d)]
