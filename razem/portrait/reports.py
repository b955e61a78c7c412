"""The "Portret partnerstwa" report: the portrait as a Document (PDF and DOCX).

Registered with razem.reports in PortraitConfig.ready(). The builder runs in a
background worker under the requested language; it reuses the pages'
presenters, so the report shows the same tables and the same Vega-Lite specs.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from razem.core.models import Partnership
from razem.indicators.catalogue import DIMENSIONS
from razem.portrait import data, presenters
from razem.portrait.models import ConclusionKind
from razem.portrait.survey_questions import attach_cited_questions
from razem.reports import document as doc
from razem.reports.registry import Progress, ReportError, register

KIND = "portrait"
TITLE = gettext_lazy("Partnership portrait")
BOUNDARIES_SOURCE_PL = ("Granice: GUS, jednostki mapowe Banku Danych Lokalnych "
                        "(z Państwowego Rejestru Granic, GUGiK)")
BOUNDARIES_SOURCE_EN = ("Boundaries: Statistics Poland, map units of the Local Data Bank "
                        "(from the national boundary register PRG, GUGiK)")


KEY_FIGURES_PER_TABLE = 3


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def register_report() -> None:
    register(KIND, title=TITLE, builder=build_portrait_document, permission="portrait.view")


def _table(table: presenters.DataTable, language: str) -> doc.Table:
    """A presenter table as a document table (cells with their own decimals become text)."""
    columns = [doc.Column(c.label, c.decimals) if c.numeric else doc.Column(c.label)
               for c in table.columns]
    rows = []
    for row in table.rows:
        cells: list[Any] = []
        for value, column in zip(row.cells, table.columns):
            if hasattr(value, "text") and callable(value.text):
                cells.append(value.text(language))
            elif column.numeric and value is not None and not isinstance(value, int | float):
                cells.append(str(value))
            else:
                cells.append(value)
        rows.append(cells)
    # Mixed-indicator columns hold text: keep them as text columns.
    for index, column in enumerate(columns):
        if column.numeric and any(isinstance(r[index], str) for r in rows):
            columns[index] = doc.Column(column.label)
    return doc.Table(caption=table.caption, columns=columns, rows=rows)


def _chart(figure: presenters.Figure, language: str) -> doc.Chart:
    return doc.Chart(title=figure.title, vega_lite_spec=figure.spec,
                     table=_table(figure.table, language), description=figure.description)


def build_portrait_document(partnership: Partnership, *, language: str,
                            progress: Progress) -> doc.Document:
    progress(5, _("Computing the indicators"))
    try:
        portrait = data.portrait_for(partnership)
    except data.NoData:
        raise ReportError(_("No statistical data have been imported yet, so the portrait "
                            "cannot be computed.")) from None
    english = language.startswith("en")
    source = presenters.source_text(language)
    document = doc.Document(
        title=str(TITLE),
        subtitle=_("%(name)s, %(year)s") % {"name": partnership.name, "year": portrait.year},
        meta=doc.Meta(publisher=partnership.name, date=timezone.localdate()),
        language="en" if english else "pl",
    )
    document.sections.append(_overview(partnership, portrait, language, source))
    progress(20, _("Preparing the dimensions"))
    for number, dimension in enumerate(DIMENSIONS):
        document.sections.extend(_dimension(portrait, dimension, language, source))
        progress(20 + 15 * (number + 1), _("Preparing the dimensions"))
    document.sections.append(_conclusions(partnership, language))
    document.sections.append(_methodology(portrait, language))
    document.sections.append(_sources(language))
    progress(80, _("Drawing the charts"))
    return document


def _overview(partnership: Partnership, portrait: data.Portrait, language: str,
              source: str) -> doc.Section:
    gminas = len(portrait.gminas)
    powiats = sum(1 for m in portrait.members if m.kind == "powiat")
    blocks: list[Any] = [
        doc.Paragraph(_(
            "The partnership brings together %(gminas)d gminas and %(powiats)d powiats. The "
            "portrait describes their situation in %(year)s (data from %(first)s) and compares "
            "every gmina with similar gminas across Poland: those of the same type (urban, "
            "rural, urban-rural) and population class."
        ) % {"gminas": gminas, "powiats": powiats, "year": portrait.year,
             "first": portrait.base_year}),
        doc.Paragraph(_(
            "Figures of the partnership are computed over its member gminas; a member powiat is "
            "shown with the figures of all its gminas and is not counted twice."
        )),
        # Paper is narrow: the key figures in tables of a few columns each.
        *[_table(presenters.key_figures_table(portrait, language, kind=False, scores=False,
                                              codes=codes), language)
          for codes in _chunks(presenters.key_codes(portrait), KEY_FIGURES_PER_TABLE)],
        doc.Source(source),
        _table(presenters.key_figures_table(portrait, language, kind=False, figures=False),
               language),
    ]
    figure = presenters.score_map(portrait, language)
    if figure.spec["data"]["values"]:
        blocks.append(_chart(figure, language))
        blocks.append(doc.Source(f"{source}; "
                                 + (BOUNDARIES_SOURCE_EN if language.startswith("en")
                                    else BOUNDARIES_SOURCE_PL)))
    blocks.append(_table(presenters.comparison_table(portrait, language), language))
    return doc.Section(heading=_("The partnership at a glance"), level=1, blocks=blocks)


def _dimension(portrait: data.Portrait, dimension: str, language: str,
               source: str) -> list[doc.Section]:
    label = presenters.dimension_label(dimension, language)
    sections = [doc.Section(
        heading=_("Dimension: %(dimension)s") % {"dimension": label}, level=1,
        blocks=[_chart(presenters.dimension_scores(portrait, dimension, language), language),
                doc.Source(source)],
    )]
    for indicator in portrait.catalogue.by_dimension().get(dimension, []):
        unit = indicator.unit(language)
        blocks: list[Any] = [
            doc.Paragraph(indicator.description(language)),
            doc.Paragraph(_("Unit of measure: %(unit)s. Direction: %(direction)s.") % {
                "unit": unit,
                "direction": _("more is better") if indicator.polarity > 0
                else _("less is better")}),
            _chart(presenters.time_series(portrait, indicator, language), language),
            _table(presenters.ranking(portrait, indicator, language, compact=True).table,
                   language),
            doc.Source(indicator.source_en if language.startswith("en") else indicator.source_pl),
        ]
        sections.append(doc.Section(heading=indicator.name(language), level=2, blocks=blocks))
    return sections


def _conclusions(partnership: Partnership, language: str) -> doc.Section:
    labels = {ConclusionKind.STRENGTH: _("Strengths"), ConclusionKind.WEAKNESS: _("Weaknesses"),
              ConclusionKind.CHALLENGE: _("Challenges")}
    grouped: dict[str, list[str]] = {kind: [] for kind in labels}
    for conclusion in attach_cited_questions(partnership.diagnosis_conclusions.all()):
        text = conclusion.text
        if conclusion.cited_questions:
            text += "\n" + _("Survey questions: %(questions)s") % {
                "questions": "; ".join(q["label"] for q in conclusion.cited_questions)}
        grouped.setdefault(conclusion.kind, []).append(text)
    blocks: list[Any] = []
    for kind, label in labels.items():
        blocks.append(doc.Paragraph(str(label)))
        blocks.append(doc.BulletList(grouped[kind]) if grouped[kind]
                      else doc.Note(_("None written yet.")))
    return doc.Section(heading=_("Conclusions of the diagnosis"), level=1, blocks=blocks)


def _methodology(portrait: data.Portrait, language: str) -> doc.Section:
    return doc.Section(heading=_("Methodology"), level=1, blocks=[
        doc.Paragraph(_(
            "Indicators are computed from the variables of the GUS Local Data Bank for every "
            "gmina in Poland. The value of an area (the partnership, a powiat, a voivodeship, "
            "Poland, a comparison group) is the sum of the numerators over the sum of the "
            "denominators of its gminas, never a mean of their ratios."
        )),
        doc.Paragraph(_(
            "Comparison groups join gminas of the same type (urban, rural, urban-rural) and "
            "population class in %(year)s. A gmina's percentile is the share of the other "
            "gminas of its group that it does better than (100 = best), taking into account "
            "whether more or less is better; the z-score is its distance from the group's mean "
            "in standard deviations."
        ) % {"year": portrait.year}),
        doc.Paragraph(_(
            "Synthetic measures summarise each dimension: Hellwig's taxonomic measure of "
            "development (the distance from a pattern made of the best values, 1 = the "
            "pattern) and the standardised sum (the mean of z-scores, rescaled to 0–1). Both "
            "are computed against all gminas of Poland; descriptive indicators and those with "
            "partial coverage are left out."
        )),
        doc.Paragraph(_(
            "Notable indicators proposed as candidates for conclusions are those on which a "
            "gmina is in the top or bottom tenth of its group or 1.5 standard deviations from "
            "its mean, and those on which the partnership as a whole stands so against all "
            "gminas of Poland."
        )),
    ])


def _sources(language: str) -> doc.Section:
    english = language.startswith("en")
    return doc.Section(heading=_("Sources"), level=1, blocks=[
        doc.Source(presenters.source_text(language)),
        doc.Source("Statistics Poland (GUS), TERYT register" if english else "GUS, TERYT"),
        doc.Source(BOUNDARIES_SOURCE_EN if english else BOUNDARIES_SOURCE_PL),
        doc.Paragraph(_("Own calculations of the partnership on the platform Razem.")),
    ])
