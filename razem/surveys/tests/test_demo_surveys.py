"""Generated responses and the demo partnership's surveys (load_demo)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.utils import timezone

from razem.core.models import AuditLogEntry
from razem.surveys import weighting
from razem.surveys.answers import clean_answers, post_data
from razem.surveys.collection import gmina_choices
from razem.surveys.demo import DEMO_SURVEYS
from razem.surveys.generate import generate_answers, generate_responses
from razem.surveys.models import Channel, OneTimeCode, Response, Survey
from razem.surveys.population import targets_for
from razem.surveys.questionnaires import TEMPLATES, create_from_template
from razem.surveys.tests.factories import small_definition

GMINAS = {"1410012": 3000.0, "1410023": 11000.0, "1410052": 6500.0}
SLUGS = {spec.key: spec.slug for spec in DEMO_SURVEYS}


def _load_demo() -> None:
    call_command("load_demo", data_dir=Path("/nonexistent"), stdout=io.StringIO())


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_generated_answers_pass_the_form_rules(partnership_a, key):
    """Posted as a browser would post them, every generated response is accepted as is:
    skip logic, required answers, constraints, limits and choice names all hold."""
    definition = TEMPLATES[key].definition()
    gminas = gmina_choices(partnership_a)
    teryts = {choice.name: 1.0 for choice in gminas}
    for answers in generate_answers(definition, 150, seed=7, gminas=teryts, audience=key):
        cleaned, errors = clean_answers(definition, post_data(definition, answers), gminas)
        assert errors == {}
        assert cleaned == answers


def test_generated_answers_fit_any_definition(partnership_a):
    definition = small_definition()
    gminas = gmina_choices(partnership_a)
    teryts = {choice.name: 1.0 for choice in gminas}
    for answers in generate_answers(definition, 100, seed=5, gminas=teryts):
        cleaned, errors = clean_answers(definition, post_data(definition, answers), gminas)
        assert errors == {} and cleaned == answers


def test_generation_is_deterministic_and_skewed():
    definition = TEMPLATES["resident"].definition()
    first = generate_answers(definition, 300, seed=1, gminas=GMINAS)
    assert first == generate_answers(definition, 300, seed=1, gminas=GMINAS)
    assert first != generate_answers(definition, 300, seed=2, gminas=GMINAS)
    sexes = Counter(answers.get("sex") for answers in first)
    assert sexes["female"] > 1.3 * sexes["male"]
    ages = Counter(answers["age_group"] for answers in first)
    assert ages["45_54"] > 2 * ages["18_24"]
    gminas = Counter(answers["gmina"] for answers in first)
    assert gminas["1410023"] > gminas["1410052"] > gminas["1410012"]
    # Skip logic: reasons only from those leaving, and some of them do leave.
    leaving = [a for a in first if a["stay_plans"] in ("move_nearby", "move_city", "move_abroad")]
    assert leaving and all("leave_reasons" not in a for a in first if a not in leaving)
    assert all(len(a["priorities"]) <= 3 for a in first)
    assert any("idea" in a for a in first) and any("priorities_other" in a for a in first)


def test_generated_responses_are_marked_and_dated_within_the_period(partnership_a):
    today = timezone.localdate()
    survey = create_from_template(partnership_a, "leader", slug="gen-liderzy",
                                  opens_on=today - timedelta(days=10),
                                  closes_on=today + timedelta(days=30))
    responses = generate_responses(survey, 40, seed=3)
    assert len(responses) == 40 and all(r.pk is None for r in responses)
    assert {r.channel for r in responses} == {Channel.GENERATED}
    assert all(survey.opens_on <= r.submitted_on <= today for r in responses)
    assert all(r.submitted_at is None and r.respondent_id is None for r in responses)
    Response.objects.bulk_create(responses)
    assert survey.responses.count() == 40


def test_demo_has_the_four_template_surveys(partnership_a, partnership_b):
    today = timezone.localdate()
    surveys = {s.template: s for s in Survey.objects.filter(partnership=partnership_a)}
    assert set(surveys) == set(TEMPLATES)
    for key, survey in surveys.items():
        assert survey.slug == SLUGS[key] and survey.audience == TEMPLATES[key].audience
        assert survey.questionnaire == TEMPLATES[key].definition()
        assert "[adres e-mail inspektora ochrony danych]" in survey.gdpr_clause
    residents = surveys["resident"]
    assert residents.closes_on < today and not residents.is_open()
    assert residents.results_published and residents.results_published_at is not None
    assert 380 <= residents.responses.count() <= 420
    for key in ("youth", "leader", "business"):
        assert surveys[key].is_open() and not surveys[key].results_published
        assert 0 <= surveys[key].responses.count() <= 30
    assert set(Response.objects.filter(survey__partnership=partnership_a)
               .values_list("channel", flat=True)) == {Channel.GENERATED}
    assert not Survey.objects.filter(partnership=partnership_b).exists()
    days = residents.responses.values_list("submitted_on", flat=True)
    assert all(residents.opens_on <= day <= residents.closes_on for day in days)
    assert AuditLogEntry.objects.filter(partnership=partnership_a,
                                        action="survey.results_published").count() == 1


def test_demo_youth_survey_needs_codes_of_one_class(partnership_a):
    youth = Survey.objects.get(partnership=partnership_a, slug=SLUGS["youth"])
    assert youth.codes_required
    batch = youth.code_batches.get()
    assert batch.label == "Klasa 4a, LO w Łosicach" and batch.codes.count() == 25
    used = OneTimeCode.objects.filter(survey=youth).exclude(used_on=None).count()
    assert used == youth.responses.count() <= 25


def test_load_demo_twice_adds_nothing(partnership_a):
    before = {s.slug: s.responses.count() for s in Survey.objects.all()}
    codes = OneTimeCode.objects.count()
    _load_demo()
    assert {s.slug: s.responses.count() for s in Survey.objects.all()} == before
    assert OneTimeCode.objects.count() == codes


def test_load_demo_restores_a_deleted_demo_survey_only(partnership_a):
    Survey.objects.filter(partnership=partnership_a, slug=SLUGS["leader"]).delete()
    residents = Survey.objects.get(partnership=partnership_a, slug=SLUGS["resident"])
    _load_demo()
    assert Survey.objects.filter(partnership=partnership_a).count() == 4
    assert Survey.objects.get(pk=residents.pk).responses.count() == residents.responses.count()


def test_demo_responses_are_the_same_every_time(partnership_a):
    residents = Survey.objects.get(partnership=partnership_a, slug=SLUGS["resident"])
    first = list(residents.responses.values_list("answers", flat=True))
    residents.delete()
    _load_demo()
    again = Survey.objects.get(partnership=partnership_a, slug=SLUGS["resident"])
    assert list(again.responses.values_list("answers", flat=True)) == first


def test_weighting_the_demo_survey_changes_the_picture(partnership_a):
    """With population figures the demo's skewed respondents rake to the population, and
    the weighted share of women moves to the population's."""
    residents = Survey.objects.get(partnership=partnership_a, slug=SLUGS["resident"])
    teryts = sorted(partnership_a.units.filter(kind="gmina").values_list("teryt", flat=True))
    residents.population_targets = [
        {"gmina": teryt, "sex": sex, "age_group": band, "target": target}
        for teryt in teryts
        for sex in ("female", "male")
        for band, target in (("working", 1500), ("post_working", 500))
    ]
    targets = targets_for(residents)
    rows = [
        {"response_id": pk, "gmina": a.get("gmina"), "sex": a.get("sex"),
         "age_group": a.get("age_group")}
        for pk, a in residents.responses.values_list("id", "answers")
    ]
    respondents = targets.respondents(pl.DataFrame(rows))
    assert respondents.height > 300
    raked = weighting.rake(respondents, targets.margins()).respondents
    women = raked.filter(pl.col("sex") == "female")
    unweighted = women.height / raked.height
    weighted = women["weight"].sum() / raked["weight"].sum()
    assert unweighted > 0.55 and weighted == pytest.approx(0.5)


def test_an_opening_in_the_future_puts_every_response_on_the_first_day(partnership_a):
    opens = timezone.localdate() + timedelta(days=5)
    survey = create_from_template(partnership_a, "business", slug="gen-firmy",
                                  opens_on=opens, closes_on=opens + timedelta(days=5))
    assert {r.submitted_on for r in generate_responses(survey, 5, seed=1)} == {opens}
    fixed = generate_responses(survey, 5, seed=1, today=date(2030, 1, 1))
    assert all(opens <= r.submitted_on <= survey.closes_on for r in fixed)
