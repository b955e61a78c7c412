"""The methodology pages render the catalogue and state the policies the code applies."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from razem.indicators import compute
from razem.indicators.catalogue import load_catalogue


def render(language: str, **context: object) -> str:
    catalogue = load_catalogue()
    with translation.override(language):
        return render_to_string(
            f"portrait/methodology_{language}.html",
            {"indicators": list(catalogue.indicators), "partnership": None,
             "LANGUAGE_CODE": language, **context},
        )


@pytest.mark.parametrize("language", ["pl", "en"])
def test_methodology_lists_every_indicator_with_its_formula(language):
    html = render(language)
    for indicator in load_catalogue().indicators:
        assert f"<code>{indicator.code}</code>" in html
        assert indicator.name(language) in html
    assert "post_working / (population − pre_working − post_working) × 100" in html


def test_polish_methodology_names_polarity_and_dimension_in_polish():
    html = render("pl")
    assert "destymulanta" in html and "środowiskowo-przestrzenny" in html
    assert "Źródło: GUS, Bank Danych Lokalnych" in html


@pytest.mark.parametrize("language", ["pl", "en"])
def test_methodology_names_the_partnership_when_given(language):
    html = render(language, partnership=SimpleNamespace(name="Razem dla Rozwoju"))
    assert "Razem dla Rozwoju" in html


@pytest.mark.parametrize("language", ["pl", "en"])
def test_methodology_lists_variables_when_the_view_passes_them(language):
    html = render(language, aliases=list(load_catalogue().aliases.values()))
    assert "ludnosc_ogol_przed_poprod|ogółem;ogółem|osoba" in html
    assert "bdl:72305" in html


def test_stated_missing_value_limits_match_the_code():
    # The pages say "more than 25%" and "more than half"; keep the constants in step.
    assert compute.MAX_MISSING_SHARE == 0.25
    assert compute.MAX_UNIT_MISSING_SHARE == 0.5
    assert "więcej niż 25%" in render("pl") and "more than 25%" in render("en")
    assert compute.WINSORISE == 0.01
    assert "1. i 99. percentyla" in render("pl") and "1st and 99th percentiles" in render("en")


def test_stated_population_classes_match_the_code():
    assert compute.comparison_group_ids() == [
        "urban:0-10k", "urban:10-20k", "urban:20-50k", "urban:50-100k", "urban:100k-plus",
        "rural:0-5k", "rural:5-10k", "rural:10-20k", "rural:20k-plus",
        "urban-rural:0-5k", "urban-rural:5-10k", "urban-rural:10-20k", "urban-rural:20k-plus",
    ]
