"""The "Wyniki ankiety" report: one survey's results as a Document (PDF and DOCX).

Registered with razem.reports in SurveysConfig.ready() as a report about one survey
(the registry's `subject`). Who may request it: the partnership's members
(`surveys.view_internal_results`, checked against the survey), like every report job,
which only members can see and download. The document is meant to be passed on, so it
always uses the public, suppressed figures (no cell of fewer than 5 respondents,
no open-answer texts), whether or not the results are published yet.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from razem.core.models import Partnership
from razem.reports import document as doc
from razem.reports.registry import Progress, ReportError, register
from razem.surveys import results_present as present
from razem.surveys.models import Survey
from razem.surveys.results import SurveyResults, comparison_for, public_results_for

KIND = "survey"
TITLE = gettext_lazy("Survey results")
PERMISSION = "surveys.view_internal_results"


def load_subject(partnership: Partnership, subject_id: int) -> Survey | None:
    return (Survey.objects.select_related("partnership")
            .filter(partnership=partnership, pk=subject_id).first())


def register_report() -> None:
    register(KIND, title=TITLE, builder=build_survey_document, permission=PERMISSION,
             subject=load_subject)


def build_survey_document(partnership: Partnership, *, language: str, progress: Progress,
                          subject: Survey) -> doc.Document:
    survey = subject
    progress(10, _("Computing the results"))
    results = public_results_for(survey)
    english = language.startswith("en")
    lang = "en" if english else "pl"
    document = doc.Document(
        title=str(TITLE),
        subtitle=_("%(title)s, %(name)s") % {"title": survey.title, "name": partnership.name},
        meta=doc.Meta(publisher=partnership.name, date=timezone.localdate()),
        language=lang,
    )
    document.sections.append(_summary(survey, results, lang))
    document.sections.append(_weighting(results, lang))
    if results.summary.responses is None or results.summary.responses == 0:
        raise ReportError(_("Fewer than 5 people have answered the survey, so a report that "
                            "protects the respondents cannot be made yet."))
    progress(40, _("Preparing the questions"))
    document.sections.extend(_questions(results, lang))
    numbers = _numbers(results, lang)
    if numbers:
        document.sections.append(numbers)
    comparison = present.comparison_blocks(comparison_for(survey, public=True), True, lang)
    if comparison:
        document.sections.append(doc.Section(
            heading=_("The same questions asked of other audiences"), level=1,
            blocks=[doc.Paragraph(_(
                "Percentages of each audience's respondents (unweighted), from the latest "
                "published survey of each audience."))]
            + [_breakdown_table(block, _("Answer")) for block in comparison]))
    tags = _open(results, lang)
    if tags:
        document.sections.append(tags)
    document.sections.append(_method())
    progress(80, _("Drawing the charts"))
    return document


def _summary(survey: Survey, results: SurveyResults, language: str) -> doc.Section:
    summary = results.summary
    responses = (str(summary.responses) if summary.responses is not None
                 else _("fewer than 5"))
    blocks: list[Any] = [doc.Paragraph(_(
        "Audience: %(audience)s. Open from %(opens)s to %(closes)s. Responses: %(n)s.") % {
        "audience": survey.get_audience_display(), "opens": survey.opens_on.isoformat(),
        "closes": survey.closes_on.isoformat(), "n": responses})]
    channels = present.channel_rows(results, language)
    if channels:
        blocks.append(doc.Table(
            caption=_("Responses by how they were collected"),
            columns=[doc.Column(_("Channel")), doc.Column(_("Responses"), 0)],
            rows=[[row["label"], summary.channels.get(code)]
                  for row, code in zip(channels, sorted(summary.channels), strict=True)]))
    blocks.append(doc.Note(_(
        "To protect the respondents, no figure about fewer than 5 people is shown; a few more "
        "are hidden so that such a number cannot be worked out. Hidden figures are shown as "
        "a dash.")))
    return doc.Section(heading=_("Summary"), level=1, blocks=blocks)


def _weighting(results: SurveyResults, language: str) -> doc.Section:
    facts = present.weighting_facts(results, language)
    info = results.weighting
    if info.is_weighted:
        blocks: list[Any] = [doc.Paragraph(_(
            "The weighted figures adjust the respondents of each gmina to its population by "
            "%(variables)s (raking). Respondents weighted: %(weighted)s of %(respondents)s. "
            "Effective sample size: %(n_eff)s; design effect of weighting: %(deff)s.") % {
            "variables": facts["variables"], "weighted": facts["weighted"],
            "respondents": facts["respondents"], "n_eff": facts["n_eff"],
            "deff": facts["design_effect"]})]
        if facts["source"]:
            blocks.append(doc.Source(_("Population figures: %(source)s") % {
                "source": facts["source"]}))
        for variable, names in facts["collapsed"]:
            blocks.append(doc.Paragraph(_(
                "In these gminas nobody answered in some %(variable)s category, so there the "
                "respondents are weighted to the gmina's total instead of by %(variable)s: "
                "%(names)s.") % {"variable": variable, "names": names}))
        if facts["gminas_left_out"]:
            blocks.append(doc.Paragraph(_("Gminas without weighted respondents: %(names)s.")
                                        % {"names": facts["gminas_left_out"]}))
    else:
        blocks = [doc.Paragraph(_("The results are not weighted.") + " " + info.reason)]
    if facts["excluded"]:
        blocks.append(doc.Paragraph(_("Left out of the weighted figures (they count in the "
                                      "unweighted ones):")))
        blocks.append(doc.BulletList([f"{label}: {n}" for label, n in facts["excluded"]]))
    return doc.Section(heading=_("Weighting"), level=1, blocks=blocks)


def _question_table(block: present.QuestionBlock, weighted: bool) -> doc.Table:
    columns = [doc.Column(_("Answer")), doc.Column("n", 0), doc.Column("%", 1),
               doc.Column(_("95%% interval") % {})]
    if weighted:
        columns += [doc.Column(_("weighted %%") % {}, 1),
                    doc.Column(_("weighted 95%% interval") % {})]
    rows = []
    for row in block.rows:
        raw = row.raw
        cells: list[Any] = [row.label, raw.get("n"), raw.get("pct"), row.ci]
        if weighted:
            cells += [raw.get("w_pct"), row.w_ci]
        rows.append(cells)
    return doc.Table(caption=_("Answers: %(question)s") % {"question": block.title},
                     columns=columns, rows=rows)


def _questions(results: SurveyResults, language: str) -> list[doc.Section]:
    weighted = results.weighting.is_weighted
    sections = [doc.Section(heading=_("Answers to the questions"), level=1, blocks=[
        doc.Paragraph(_("Percentages of the respondents who answered each question, with 95%% "
                        "intervals (Wilson).") % {})])]
    for block in present.question_blocks(results, language):
        heading = f"{block.group}: {block.title}" if block.group else block.title
        blocks: list[Any] = []
        if block.all_masked:
            blocks.append(doc.Note(_("Fewer than 5 respondents answered this question, so its "
                                     "results are not published.")))
            sections.append(doc.Section(heading=heading, level=2, blocks=blocks))
            continue
        base = _("Respondents who answered: %(base)s.") % {"base": block.base}
        if weighted and block.weighted_base != doc.MISSING:
            base += " " + _("Effective sample size of the weighted figures: %(n_eff)s.") % {
                "n_eff": block.weighted_base}
        blocks.append(doc.Paragraph(base))
        if block.note:
            blocks.append(doc.Note(block.note))
        table = _question_table(block, weighted)
        if block.spec:
            blocks.append(doc.Chart(title=block.title, vega_lite_spec=block.spec, table=table,
                                    description=block.description))
        else:
            blocks.append(table)
        if block.ranking:
            columns = [doc.Column(_("Option")), doc.Column(_("ranked by")),
                       doc.Column(_("mean rank"))]
            if weighted:
                columns.append(doc.Column(_("weighted mean rank")))
            blocks.append(doc.Table(
                caption=_("Mean rank: %(question)s") % {"question": block.title},
                columns=columns,
                rows=[[r["label"], r["n"], r["mean"], *([r["w_mean"]] if weighted else [])]
                      for r in block.ranking]))
        sections.append(doc.Section(heading=heading, level=2, blocks=blocks))
    return sections


def _numbers(results: SurveyResults, language: str) -> doc.Section | None:
    rows = present.number_rows(results, language)
    if not rows:
        return None
    weighted = results.weighting.is_weighted
    columns = [doc.Column(_("Question")), doc.Column("n"), doc.Column(_("mean")),
               doc.Column(_("median"))]
    if weighted:
        columns.append(doc.Column(_("weighted mean")))
    return doc.Section(heading=_("Questions answered with a number"), level=1, blocks=[
        doc.Table(caption=_("Answers given as numbers"), columns=columns,
                  rows=[[r["label"], r["n"], r["mean"], r["median"],
                         *([r["w_mean"]] if weighted else [])] for r in rows])])


def _breakdown_table(block: present.Breakdown, row_title: str) -> doc.Table:
    return doc.Table(
        caption=block.title,
        columns=[doc.Column(row_title), *(doc.Column(f"{choice} (%)") for choice in block.choices)],
        rows=[[row["label"], *(doc.MISSING if cell["masked"] else f"{cell['pct']} (n = {cell['n']})"
                               for cell in row["cells"])] for row in block.rows])


def _open(results: SurveyResults, language: str) -> doc.Section | None:
    if not results.open_questions:
        return None
    blocks: list[Any] = [doc.Paragraph(_(
        "The answers themselves are not published. Staff assign tags to them; these are the "
        "tags given to at least 5 answers."))]
    labels = {q.name: present.text(q.label, language) for q in results.open_questions}
    for question in results.open_questions:
        rows = results.tags.filter(results.tags["question"] == question.name).to_dicts()
        if not rows:
            continue
        blocks.append(doc.Table(
            caption=_("Tags: %(question)s") % {"question": labels[question.name]},
            columns=[doc.Column(_("Tag")), doc.Column("n", 0),
                     doc.Column(_("%% of answers") % {}, 1)],
            rows=[[row["tag"], row["n"], row["pct"]] for row in rows]))
    return doc.Section(heading=_("Open questions"), level=1, blocks=blocks)


def _method() -> doc.Section:
    return doc.Section(heading=_("How the figures are computed"), level=1, blocks=[
        doc.BulletList([
            _("Percentages are of the respondents who answered the question; those who skipped "
              "it or were not shown it are left out. Where several answers could be chosen, the "
              "percentages may add up to more than 100."),
            # %% and "% {}": the same message as the pages' template (templates double %).
            _("The 95%% interval (Wilson score interval) is the range in which the share in the "
              "whole surveyed group most likely lies; the fewer the answers, the wider it is. "
              "The survey is not a random sample, so the interval shows only the uncertainty "
              "that comes from the number of answers.") % {},
            _("Weighting (raking) adjusts the respondents of each gmina to its population by "
              "sex and age group. Respondents who did not give their gmina, sex or age group "
              "are left out of the weighted figures only."),
            _("Publicly, no figure about fewer than 5 respondents is ever shown; a few more "
              "cells are hidden so that such a number cannot be worked out from the others. "
              "Hidden cells are shown as a dash."),
        ]),
    ])
