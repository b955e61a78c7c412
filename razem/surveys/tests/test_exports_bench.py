"""The survey parts of the benchmark harness (bench/survey_submit.py, bench/survey_data.py,
the summed figures in bench/run.py); the timing itself is `make bench`'s business."""

from __future__ import annotations

import csv
import io

import pytest

from bench import survey_data, survey_submit
from bench.run import SCENARIOS, median_figures, scenario_keys, stale_keys
from razem.surveys import answers as answer_rules
from razem.surveys import exports
from razem.surveys.collection import gmina_choices
from razem.surveys.definition import validate
from razem.surveys.models import Response
from razem.surveys.questionnaires import TEMPLATES
from razem.surveys.tests.factories import make_survey, small_definition

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:41235/p/razem-dla-rozwoju/s/przedsiebiorcy/
  2 threads and 50 connections
  Latency Distribution
     50%   30.12ms
     99%  120.50ms
  4021 requests in 10.01s, 1.20MB read
Requests/sec:    401.70
Transfer/sec:    122.80KB
survey_submit: acknowledged 4021, other 0
"""


def test_counts_are_read_from_the_script_output() -> None:
    assert survey_submit.parse_counts(WRK_OUTPUT) == (4021, 0)
    assert survey_submit.parse_counts(
        WRK_OUTPUT.replace("acknowledged 4021, other 0", "acknowledged 7, other 12")) == (7, 12)


def test_missing_counts_are_none_not_zero() -> None:
    # A script that never ran must not pass as "nothing lost".
    assert survey_submit.parse_counts(WRK_OUTPUT.splitlines()[0]) is None


@pytest.mark.parametrize(("acknowledged", "stored", "lost"), [
    (100, 100, 0),
    (100, 97, 3),
    (100, 103, 0),  # stored for requests wrk stopped waiting for: not a loss
])
def test_lost_responses(acknowledged: int, stored: int, lost: int) -> None:
    assert survey_submit.lost_responses(acknowledged, stored) == lost


def test_lost_responses_are_added_up_over_rounds_not_medianed() -> None:
    rounds = [{"survey_submit_rps": 400.0, "survey_lost_responses": 0.0},
              {"survey_submit_rps": 420.0, "survey_lost_responses": 2.0},
              {"survey_submit_rps": 410.0, "survey_lost_responses": 0.0}]
    assert median_figures(rounds) == {"survey_submit_rps": 410.0, "survey_lost_responses": 2.0}


def test_a_failed_submit_scenario_drops_its_old_lost_count() -> None:
    scenarios = [s for s in SCENARIOS if s.name in ("survey_submit", "empty_view_c50")]
    assert "survey_lost_responses" in scenario_keys(scenarios)
    stale = stale_keys(scenarios, {"empty_view_c50_rps": 1.0})
    assert {"survey_lost_responses", "survey_submit_rps", "survey_submit_ratio"} <= stale


@pytest.mark.django_db
def test_the_sample_response_is_valid_for_the_test_survey(partnership_a) -> None:
    gminas = gmina_choices(partnership_a)
    definition = small_definition()
    sample = survey_submit.sample_answers(definition, gminas)
    cleaned, errors = answer_rules.clean_answers(
        definition, answer_rules.post_data(definition, sample), gminas)
    assert errors == {}
    assert cleaned == sample
    assert sample["gmina"] in {g.name for g in gminas}


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_the_sample_response_is_valid_for_every_template(partnership_a, key) -> None:
    # The scenario posts to a template survey: its sample must pass the form's checks.
    definition = TEMPLATES[key].definition()
    sample = survey_submit.sample_answers(definition, gmina_choices(partnership_a))
    assert len(sample) >= 10


def test_the_export_benchmark_survey_is_valid_and_has_every_type() -> None:
    definition = survey_data.definition(30)
    validate(definition)
    assert len(definition.questions) == 30
    assert {q.type for q in definition.questions} >= {
        "single_choice", "multiple_choice", "likert", "likert_matrix", "ranking", "number",
        "short_text", "long_text", "gmina", "age_group", "sex"}


def test_generated_responses_are_reproducible() -> None:
    definition = survey_data.definition(12)
    first = list(survey_data.answers(definition, ["1403011"], 5))
    assert first == list(survey_data.answers(definition, ["1403011"], 5))
    assert all(row["gmina"] == "1403011" for row in first)


@pytest.mark.django_db
def test_generated_responses_export_in_full(partnership_a) -> None:
    gminas = list(partnership_a.units.filter(kind="gmina").values_list("teryt", flat=True))
    survey = make_survey(partnership_a, definition=survey_data.definition(30))
    Response.objects.bulk_create(
        Response(survey=survey, answers=row)
        for row in survey_data.answers(survey.questionnaire, gminas, 50))
    text = b"".join(exports.csv_chunks(survey)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 51
    assert len({len(row) for row in rows}) == 1
