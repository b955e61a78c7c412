"""Survey results computed from Response rows: counts, percentages, weighting,
suppression, rankings, matrices, comparison across audiences, caching."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from razem.surveys import analysis, results
from razem.surveys.models import AnswerTag, Response, Survey
from razem.surveys.tests.factories import make_survey


@dataclass(frozen=True)
class StubTargets:
    frame: pl.DataFrame
    variables: tuple[str, ...]
    source: str = "stub"

    def age_band(self, age_group):
        return age_group if age_group in set(self.frame["age_group"]) else None


@pytest.fixture(autouse=True)
def _clean(cast, partnership_a):
    cache.clear()
    # The demo's surveys would join the audience comparison; each test builds its own.
    Survey.objects.filter(partnership=partnership_a).delete()
    with translation.override("pl"):
        yield
    cache.clear()


@pytest.fixture
def gminas(partnership_a) -> list[str]:
    return list(partnership_a.units.filter(kind="gmina").order_by("teryt")
                .values_list("teryt", flat=True))


@pytest.fixture
def no_targets(monkeypatch):
    monkeypatch.setattr("razem.surveys.population.targets_for", lambda survey: None)


def add(survey, *answer_sets, channel="web") -> None:
    Response.objects.bulk_create(
        [Response(survey=survey, answers=answers, channel=channel) for answers in answer_sets])


def test_known_counts_give_known_percentages_and_wilson_intervals(partnership_a, gminas,
                                                                   no_targets):
    survey = make_survey(partnership_a)
    add(survey, *([{"gmina": gminas[0], "lives_here": "yes"}] * 7
                  + [{"gmina": gminas[0], "lives_here": "no"}] * 3))

    found = results.results_for(survey)

    rows = {row["choice"]: row for row in found.rows("lives_here")}
    assert (rows["yes"]["n"], rows["yes"]["base"], rows["yes"]["pct"]) == (7, 10, 70.0)
    assert rows["no"]["pct"] == 30.0
    low, high = analysis.wilson_interval(7, 10)
    assert rows["yes"]["ci_low"] == pytest.approx(low * 100)
    assert rows["yes"]["ci_high"] == pytest.approx(high * 100)
    assert found.summary.responses == 10 and found.summary.channels == {"web": 10}
    assert found.weighting.status == "unavailable"
    assert rows["yes"]["w_pct"] is None


def test_multiple_choice_is_a_share_of_respondents_and_other_counts(partnership_a, gminas,
                                                                    no_targets):
    survey = make_survey(partnership_a)
    add(survey,
        {"needs": ["roads", "jobs"]}, {"needs": ["roads"]},
        {"needs": ["other"], "needs_other": "Chodniki"}, {"lives_here": "yes"})

    found = results.results_for(survey)

    rows = {row["choice"]: row for row in found.rows("needs")}
    assert rows["roads"]["n"] == 2 and rows["roads"]["base"] == 3
    assert rows["roads"]["pct"] == pytest.approx(200 / 3)
    assert rows["other"]["n"] == 1 and rows["health"]["n"] == 0
    open_names = {q.name: q.answered for q in found.open_questions}
    assert open_names["needs_other"] == 1


def test_matrix_rows_are_items_on_the_matrix_scale(partnership_a, no_targets):
    survey = make_survey(partnership_a)
    add(survey, {"svc_school": "5", "svc_clinic": "2"}, {"svc_school": "4", "svc_clinic": "2"})

    found = results.results_for(survey)

    school = found.item("svc_school")
    assert school.kind is analysis.Kind.LIKERT
    assert [code for code, _label in school.choices] == ["1", "2", "3", "4", "5"]
    assert school.group.pl == "Oceń usługi"
    clinic = {row["choice"]: row["pct"] for row in found.rows("svc_clinic")}
    assert clinic["2"] == 100.0 and clinic["5"] == 0.0


def test_ranking_reports_first_choice_shares_and_mean_rank(partnership_a, no_targets):
    survey = make_survey(partnership_a)
    add(survey,
        {"priority": ["roads", "jobs", "culture"]},
        {"priority": ["jobs", "roads"]},
        {"priority": ["roads", "health"]})

    found = results.results_for(survey)

    first = {row["choice"]: row for row in found.rows("priority")}
    assert first["roads"]["n"] == 2 and first["roads"]["pct"] == pytest.approx(200 / 3)
    ranks = {row["choice"]: row for row in found.rankings.to_dicts()}
    assert ranks["roads"]["mean_rank"] == pytest.approx(4 / 3)
    assert ranks["jobs"]["mean_rank"] == pytest.approx(1.5)
    assert ranks["culture"]["n"] == 1 and ranks["culture"]["mean_rank"] == 3.0


def test_numbers_are_summarised(partnership_a, no_targets):
    survey = make_survey(partnership_a)
    add(survey, {"household": "2"}, {"household": "3,5"}, {"household": "4"},
        {"household": "nie wiem"})

    found = results.results_for(survey)

    row = found.numbers.to_dicts()[0]
    assert (row["question"], row["n"], row["mean"], row["median"]) == ("household", 3,
                                                                       pytest.approx(19 / 6),
                                                                       3.5)


def test_answers_outside_the_choices_are_left_out_and_counted(partnership_a, gminas, no_targets):
    survey = make_survey(partnership_a)
    add(survey, {"lives_here": "yes", "gmina": gminas[0]}, {"lives_here": "maybe"},
        {"gmina": "9999999"})

    found = results.results_for(survey)

    assert found.ignored == {"lives_here": 1, "gmina": 1}
    assert [row["n"] for row in found.rows("lives_here")] == [1, 0]


def _weighting_survey(partnership_a, gminas, monkeypatch, population):
    survey = make_survey(partnership_a)
    # Women answer four times as eagerly as men, and like the new road more.
    sample = ([{"gmina": gminas[0], "sex": "female", "age": "25_34", "lives_here": "yes"}] * 30
              + [{"gmina": gminas[0], "sex": "female", "age": "25_34", "lives_here": "no"}] * 10
              + [{"gmina": gminas[0], "sex": "male", "age": "25_34", "lives_here": "yes"}] * 2
              + [{"gmina": gminas[0], "sex": "male", "age": "25_34", "lives_here": "no"}] * 8)
    add(survey, *sample)
    targets = StubTargets(pl.DataFrame(population, schema={
        "gmina": pl.String, "sex": pl.String, "age_group": pl.String, "target": pl.Float64},
        orient="row"), ("sex", "age_group"))
    monkeypatch.setattr("razem.surveys.population.targets_for", lambda s: targets)
    return survey


def test_weighting_moves_shares_toward_the_population(partnership_a, gminas, monkeypatch):
    survey = _weighting_survey(partnership_a, gminas, monkeypatch, [
        (gminas[0], "female", "25_34", 500.0), (gminas[0], "male", "25_34", 500.0)])

    found = results.results_for(survey)

    yes = next(row for row in found.rows("lives_here") if row["choice"] == "yes")
    assert yes["pct"] == pytest.approx(64.0)  # 32 of 50
    # Weighted: women and men count equally: (75% + 20%) / 2.
    assert yes["w_pct"] == pytest.approx(47.5)
    assert found.weighting.is_weighted
    assert found.weighting.n_eff < 50 and found.weighting.design_effect > 1
    assert yes["n_eff"] == pytest.approx(found.weighting.n_eff)
    sexes = {row["choice"]: row["w_pct"] for row in found.rows("sex")}
    assert sexes == {"female": pytest.approx(50.0), "male": pytest.approx(50.0)}


def test_respondents_who_cannot_be_weighted_are_left_out_of_weighted_figures_only(
        partnership_a, gminas, monkeypatch):
    survey = _weighting_survey(partnership_a, gminas, monkeypatch, [
        (gminas[0], "female", "25_34", 500.0), (gminas[0], "male", "25_34", 500.0)])
    add(survey, {"gmina": gminas[0], "lives_here": "yes"},  # no sex, no age
        {"gmina": gminas[1], "sex": "male", "age": "25_34", "lives_here": "yes"})  # no targets

    found = results.results_for(survey)

    assert found.weighting.respondents == 52 and found.weighting.weighted == 50
    assert sum(found.weighting.excluded.values()) == 2
    yes = next(row for row in found.rows("lives_here") if row["choice"] == "yes")
    assert yes["base"] == 52 and yes["w_count_base"] == 50


def test_an_empty_category_is_merged_within_its_gmina_not_fatal(partnership_a, gminas,
                                                                 monkeypatch):
    # A target for older women, none of whom answered: raking cannot reach it, so in
    # this gmina age is not weighted separately; sex still is.
    survey = _weighting_survey(partnership_a, gminas, monkeypatch, [
        (gminas[0], "female", "25_34", 500.0), (gminas[0], "male", "25_34", 500.0),
        (gminas[0], "female", "65_plus", 300.0)])

    found = results.results_for(survey)

    assert found.weighting.is_weighted
    name = partnership_a.units.get(teryt=gminas[0]).name
    assert found.weighting.collapsed == {"age_group": (name,)}
    sexes = {row["choice"]: row["w_pct"] for row in found.rows("sex")}
    assert sexes["female"] == pytest.approx(800 / 13)  # (500 + 300) of 1300


def test_raking_failure_shows_unweighted_figures_with_the_reason(partnership_a, gminas,
                                                                 monkeypatch):
    # Respondents from a gmina whose population figures are all zero: nothing to rake to.
    survey = _weighting_survey(partnership_a, gminas, monkeypatch, [
        (gminas[0], "female", "25_34", 0.0), (gminas[0], "male", "25_34", 0.0)])

    found = results.results_for(survey)

    assert found.weighting.status == "failed"
    assert gminas[0] in found.weighting.reason
    assert all(row["w_pct"] is None for row in found.rows("lives_here"))
    assert [row["pct"] for row in found.rows("lives_here")] == [pytest.approx(64.0),
                                                                pytest.approx(36.0)]


def test_public_results_never_show_a_cell_of_fewer_than_5(partnership_a, gminas, no_targets):
    survey = make_survey(partnership_a)
    add(survey, *([{"lives_here": "yes", "needs": ["roads"]}] * 20
                  + [{"lives_here": "no", "needs": ["jobs"]}] * 3))

    public = results.public_results_for(survey)

    rows = {row["choice"]: row for row in public.rows("lives_here")}
    assert rows["no"]["n"] is None and rows["no"]["pct"] is None and rows["no"]["suppressed"]
    # Its complement would give it away by subtraction from the base.
    assert rows["yes"]["n"] is None
    for table in public.tables.values():
        counts = table["n"].drop_nulls()
        assert counts.filter(counts < 5).is_empty()
    members = results.results_for(survey)
    assert {row["choice"]: row["n"] for row in members.rows("lives_here")} == {"yes": 20, "no": 3}
    assert next(r for r in members.rows("lives_here") if r["choice"] == "no")["small"]


def test_public_tag_counts_pass_the_same_rule(partnership_a, no_targets):
    survey = make_survey(partnership_a)
    add(survey, *([{"idea": "Ścieżka rowerowa"}] * 8 + [{"idea": "Basen"}] * 3))
    responses = list(survey.responses.order_by("id"))
    AnswerTag.objects.bulk_create(
        [AnswerTag(response=r, question="idea", tag="rower") for r in responses[:8]]
        + [AnswerTag(response=r, question="idea", tag="sport") for r in responses[8:]])

    members = results.results_for(survey)
    public = results.public_results_for(survey)

    assert dict(zip(members.tags["tag"], members.tags["n"], strict=True)) == {"rower": 8,
                                                                             "sport": 3}
    assert "sport" not in public.tags["tag"].to_list()


def test_same_question_is_compared_across_audiences(partnership_a, no_targets):
    residents = make_survey(partnership_a, slug="mieszkancy")
    youth = make_survey(partnership_a, slug="mlodziez", audience="youth")
    add(residents, *([{"lives_here": "yes"}] * 6 + [{"lives_here": "no"}] * 4))
    add(youth, *([{"lives_here": "yes"}] * 2 + [{"lives_here": "no"}] * 8))

    comparison = results.comparison_for(residents, public=False)

    table = comparison.table.filter(pl.col("question") == "lives_here")
    yes = {row["audience"]: row["pct"] for row in table.filter(pl.col("choice") == "yes")
           .to_dicts()}
    assert yes == {"resident": 60.0, "youth": 20.0}
    # The public comparison uses published surveys only.
    assert results.comparison_for(residents, public=True) is None


def test_results_are_cached_until_a_response_arrives(partnership_a, no_targets,
                                                      django_assert_max_num_queries):
    survey = make_survey(partnership_a)
    add(survey, {"lives_here": "yes"})
    results.results_for(survey)

    with django_assert_max_num_queries(3):
        again = results.results_for(survey)
    assert again.summary.responses == 1

    add(survey, {"lives_here": "no"})
    assert results.results_for(survey).summary.responses == 2


def test_reading_responses_takes_a_bounded_number_of_queries(partnership_a, gminas,
                                                              no_targets):
    survey = make_survey(partnership_a)
    add(survey, *([{"gmina": gminas[0], "lives_here": "yes", "idea": "x"}] * 300))
    with CaptureQueriesContext(connection) as few:
        results.compute(survey)
    add(survey, *([{"gmina": gminas[1], "lives_here": "no", "idea": "y"}] * 300))
    with CaptureQueriesContext(connection) as more:
        results.compute(survey)
    assert len(more) == len(few) <= 8


def test_a_survey_without_gmina_age_or_sex_questions(partnership_a, no_targets):
    from razem.surveys.definition import (
        Choice,
        Question,
        QuestionType,
        Settings,
        SurveyDefinition,
        Text,
    )

    definition = SurveyDefinition(
        title=Text("Firmy", "Businesses"), settings=Settings(form_id="b", version="1"),
        questions=(Question("size", QuestionType.SINGLE_CHOICE, Text("Wielkość", "Size"),
                            choice_list="size"),),
        choice_lists={"size": (Choice("small", Text("mała", "small")),
                               Choice("large", Text("duża", "large")))})
    survey = make_survey(partnership_a, slug="firmy", audience="business", definition=definition)
    add(survey, {"size": "small"}, {"size": "large"}, {"size": "small"})

    found = results.results_for(survey)

    assert [row["n"] for row in found.rows("size")] == [2, 1]
    assert found.table("sex")["sex"].is_null().all()
