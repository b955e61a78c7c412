"""Population targets for weighting: entered by hand, or from the portrait's BDL data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from django.conf import settings
from django.utils import timezone

from razem.indicators.catalogue import load_catalogue
from razem.indicators.models import Observation, Source, Variable
from razem.surveys import weighting
from razem.surveys.population import (
    AGE_BANDS,
    POST_WORKING,
    WORKING,
    age_band,
    respondent_bands,
    targets_for,
)
from razem.surveys.definition import default_age_groups
from razem.surveys.questionnaires import create_from_template
from razem.territory.models import Unit

LOSICE, HUSZLEW, SARNAKI = "1410023", "1410012", "1410052"


@pytest.fixture
def resident_survey(partnership_a):
    return create_from_template(partnership_a, "resident", slug="test-mieszkancy",
                                opens_on=date(2026, 3, 1), closes_on=date(2026, 4, 15))


@pytest.fixture
def add_population(db):
    """Write {teryt: {alias: {year: value}}} as observations of the catalogue's variables."""
    catalogue = load_catalogue()

    def add(rows):
        units = dict(Unit.objects.values_list("teryt", "pk"))
        observations = []
        for teryt, aliases in rows.items():
            for alias, by_year in aliases.items():
                code = catalogue.aliases[alias].codes[0]
                variable, _ = Variable.objects.get_or_create(
                    code=code, defaults={"source": Source.BDL_CSV, "name": alias})
                observations += [
                    Observation(unit_id=units[teryt], variable=variable, year=year, value=value,
                                source=Source.BDL_CSV, imported_at=timezone.now())
                    for year, value in by_year.items()
                ]
        Observation.objects.bulk_create(observations)

    return add


def _cell(frame: pl.DataFrame, **where) -> float:
    selected = frame
    for column, value in where.items():
        selected = selected.filter(pl.col(column) == value)
    return selected["target"].sum()


def test_age_bands_cover_every_adult_age_group():
    names = {choice.name for choice in default_age_groups()}
    assert set(AGE_BANDS) == names - {"under_18"}
    assert age_band("18_24") == age_band("55_64") == WORKING
    assert age_band("65_plus") == POST_WORKING
    assert age_band("under_18") is None and age_band(None) is None and age_band("x") is None
    frame = respondent_bands(pl.DataFrame({"age_group": ["25_34", "65_plus", "under_18", None]}))
    assert frame["age_group"].to_list() == [WORKING, POST_WORKING, None, None]


def test_targets_from_indicator_data(resident_survey, add_population):
    add_population({
        LOSICE: {"population": {2018: 11000, 2019: 10900}, "pre_working": {2019: 1900},
                 "post_working": {2019: 2300}, "feminisation": {2019: 105}},
        HUSZLEW: {"population": {2018: 3000}, "pre_working": {2018: 500},
                  "post_working": {2018: 700}, "feminisation": {2018: 95}},
        # Incomplete: no feminisation at all, so Sarnaki has no targets.
        SARNAKI: {"population": {2019: 6000}, "pre_working": {2019: 1000},
                  "post_working": {2019: 1400}},
    })
    targets = targets_for(resident_survey)
    assert targets is not None
    assert targets.variables == ("sex", "age_group")
    assert targets.gminas == (HUSZLEW, LOSICE)
    frame = targets.frame
    assert set(frame.columns) == {"gmina", "sex", "age_group", "target"}
    # Adults only: total minus pre-working age, from each gmina's latest complete year.
    assert _cell(frame, gmina=LOSICE) == pytest.approx(10900 - 1900)
    assert _cell(frame, gmina=HUSZLEW) == pytest.approx(3000 - 500)
    assert _cell(frame, gmina=LOSICE, age_group=POST_WORKING) == pytest.approx(2300)
    assert _cell(frame, gmina=LOSICE, age_group=WORKING) == pytest.approx(10900 - 1900 - 2300)
    assert _cell(frame, gmina=LOSICE, sex="female") == pytest.approx(9000 * 105 / 205)
    assert _cell(frame, gmina=HUSZLEW, sex="male") == pytest.approx(2500 * 100 / 195)
    assert "2018–2019" in targets.source
    assert targets.age_band("45_54") == WORKING and targets.age_band("under_18") is None


def test_no_targets_without_data_or_for_other_audiences(partnership_a, resident_survey,
                                                         add_population):
    assert targets_for(resident_survey) is None
    add_population({LOSICE: {"population": {2019: 10900}, "pre_working": {2019: 1900},
                             "post_working": {2019: 2300}, "feminisation": {2019: 105}}})
    leaders = create_from_template(partnership_a, "leader", slug="test-liderzy",
                                   opens_on=date(2026, 3, 1), closes_on=date(2026, 4, 15))
    assert targets_for(leaders) is None


def test_hand_entered_targets_win(resident_survey, add_population):
    add_population({LOSICE: {"population": {2019: 10900}, "pre_working": {2019: 1900},
                             "post_working": {2019: 2300}, "feminisation": {2019: 105}}})
    resident_survey.population_targets = [
        {"gmina": LOSICE, "sex": "female", "age_group": "18_24", "target": 400},
        {"gmina": LOSICE, "sex": "male", "age_group": "18_24", "target": "420"},
        {"gmina": LOSICE, "sex": "female", "age_group": "65_plus", "target": 900.5},
        {"gmina": LOSICE, "sex": "male", "age_group": "65_plus", "target": 600},
        {"gmina": LOSICE, "sex": "male", "age_group": "65_plus", "target": "bad"},
    ]
    targets = targets_for(resident_survey)
    assert targets.variables == ("sex", "age_group")
    assert targets.frame.height == 4 and targets.frame["target"].sum() == pytest.approx(2320.5)
    assert targets.source != "" and "BDL" not in targets.source
    # The survey's own age groups: a respondent's group is the targets' category.
    assert targets.age_band("18_24") == "18_24" and targets.age_band("25_34") is None


def test_hand_entered_variables_are_those_given_everywhere(partnership_a):
    youth = create_from_template(partnership_a, "youth", slug="test-mlodziez",
                                 opens_on=date(2026, 3, 1), closes_on=date(2026, 4, 15))
    youth.population_targets = [
        {"gmina": LOSICE, "sex": "female", "age_group": "18_24", "target": 40},
        {"gmina": LOSICE, "sex": "male", "age_group": "", "target": 45},
        {"gmina": HUSZLEW, "sex": "male", "target": 20},
    ]
    targets = targets_for(youth)
    # The youth survey asks no age, and age is missing on some rows anyway.
    assert targets.variables == ("sex",)
    assert _cell(targets.frame, gmina=LOSICE, sex="male") == 45
    margins = targets.margins()
    assert [margin.by for margin in margins] == [("gmina", "sex")]


def test_hand_entered_bands(resident_survey):
    resident_survey.population_targets = [
        {"gmina": LOSICE, "sex": sex, "age_group": band, "target": 100}
        for sex in ("female", "male") for band in (WORKING, POST_WORKING)
    ]
    targets = targets_for(resident_survey)
    assert targets.age_band("35_44") == WORKING


def test_prepared_respondents_rake_to_the_targets(resident_survey, add_population):
    add_population({
        LOSICE: {"population": {2019: 10900}, "pre_working": {2019: 1900},
                 "post_working": {2019: 2300}, "feminisation": {2019: 105}},
        HUSZLEW: {"population": {2019: 3000}, "pre_working": {2019: 500},
                  "post_working": {2019: 700}, "feminisation": {2019: 95}},
    })
    targets = targets_for(resident_survey)
    rows = []
    for number, (gmina, sex, age) in enumerate(
            [(g, s, a) for g in (LOSICE, HUSZLEW) for s in ("female", "male")
             for a in ("25_34", "45_54", "65_plus")] * 3):
        rows.append({"response_id": number, "gmina": gmina, "sex": sex, "age_group": age})
    rows += [
        {"response_id": 100, "gmina": SARNAKI, "sex": "female", "age_group": "25_34"},
        {"response_id": 101, "gmina": LOSICE, "sex": "female", "age_group": "under_18"},
        {"response_id": 102, "gmina": LOSICE, "sex": None, "age_group": "25_34"},
    ]
    respondents = pl.DataFrame(rows)
    prepared = targets.respondents(respondents)
    assert prepared.height == len(rows) - 3
    assert set(prepared["age_group"]) == {WORKING, POST_WORKING}
    raked = weighting.rake(prepared, targets.margins())
    assert raked.converged
    total = raked.respondents.filter(pl.col("gmina") == LOSICE)["weight"].sum()
    assert total == pytest.approx(10900 - 1900)


DATA_DIR = Path(settings.RAZEM_DATA_DIR)
EXPORTS = DATA_DIR / "bdl" / "exports"


@pytest.mark.skipif(not (EXPORTS / "ludnosc_ogol_przed_poprod.csv").is_file(),
                    reason=f"data pack not found under {DATA_DIR} (set RAZEM_DATA_DIR)")
def test_targets_from_the_real_data_pack(resident_survey):
    from razem.indicators.importing import import_paths

    import_paths([EXPORTS / "ludnosc_ogol_przed_poprod.csv", EXPORTS / "feminizacja.csv"])
    targets = targets_for(resident_survey)
    assert targets is not None and "2019" in targets.source
    # All 15 gminas of the demo partnership, each with four cells.
    assert len(targets.gminas) == 15 and targets.frame.height == 60
    losice = targets.frame.filter(pl.col("gmina") == LOSICE)
    # Łosice (urban-rural) had about 11 thousand residents, some 9 thousand adults.
    assert 8000 < losice["target"].sum() < 10000
    women = losice.filter(pl.col("sex") == "female")["target"].sum()
    assert 0.48 < women / losice["target"].sum() < 0.56



@pytest.mark.skipif(not (EXPORTS / "ludnosc_ogol_przed_poprod.csv").is_file(),
                    reason=f"data pack not found under {DATA_DIR} (set RAZEM_DATA_DIR)")
def test_the_demo_residents_survey_rakes_to_the_real_population(partnership_a):
    from razem.indicators.importing import import_paths
    from razem.surveys.models import Survey

    import_paths([EXPORTS / "ludnosc_ogol_przed_poprod.csv", EXPORTS / "feminizacja.csv"])
    survey = Survey.objects.get(partnership=partnership_a, template="resident",
                                results_published=True)
    targets = targets_for(survey)
    respondents = pl.DataFrame(
        [{"response_id": pk, "gmina": answers.get("gmina"), "sex": answers.get("sex"),
          "age_group": answers.get("age_group")}
         for pk, answers in survey.responses.values_list("id", "answers")],
        schema={"response_id": pl.Int64, "gmina": pl.String, "sex": pl.String,
                "age_group": pl.String},
    )
    prepared = targets.respondents(respondents)
    result = weighting.rake(prepared, targets.margins())
    assert result.converged
    assert result.respondents["weight"].sum() == pytest.approx(targets.frame["target"].sum())
