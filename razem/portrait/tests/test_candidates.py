"""Candidate conclusions: indicators far from the comparison group, with a sentence saying why."""

from __future__ import annotations

from django.urls import reverse

from razem.conftest import client_for
from razem.indicators.catalogue import load_catalogue
from razem.portrait import candidates, data
from razem.portrait.models import DiagnosisConclusion
from razem.portrait.tests.conftest import SARNAKI


def _portrait(partnership):
    return data.portrait_for(partnership)


def test_a_gmina_far_above_its_group_is_a_candidate_weakness(small_data, partnership_a):
    found = candidates.find(_portrait(partnership_a), f"unemployment_rate:{SARNAKI}")

    assert found is not None
    assert found.kind == "weakness" and found.dimension == "economic"


def test_the_sentence_says_how_far_and_from_which_group(small_data, partnership_a):
    found = candidates.find(_portrait(partnership_a), f"unemployment_rate:{SARNAKI}")

    assert found.sentence == (
        "Udział bezrobotnych zarejestrowanych w ludności w wieku produkcyjnym w gminie Sarnaki "
        "(12,0%) jest wyższy niż w 100% gmin wiejskich poniżej 5 tys. mieszkańców "
        "(mediana 5,2%)."
    )


def test_the_english_sentence_says_the_same(small_data, partnership_a):
    found = candidates.find(_portrait(partnership_a), f"unemployment_rate:{SARNAKI}", "en")

    assert found.sentence == (
        "Registered unemployed as % of the working-age population in Sarnaki (12.0%) is higher "
        "than in 100% of rural gminas with under 5 thousand residents (median 5.2%)."
    )


def test_gminas_close_to_their_group_are_not_candidates(small_data, partnership_a):
    keys = {c.key for c in candidates.candidates(_portrait(partnership_a))}

    # Przesmyki is in the middle of the rural group on unemployment.
    assert "unemployment_rate:1426072" not in keys


def test_a_group_too_small_to_compare_gives_no_candidates(small_data, partnership_a):
    # The demo has three urban-rural gminas under 5,000 residents: Łosice's group.
    found = candidates.candidates(_portrait(partnership_a))

    assert not [c for c in found if c.teryt == "1410023"]


def test_counts_are_never_candidates(small_data, partnership_a):
    counts = {i.code for i in load_catalogue().indicators if not i.is_ratio}

    assert not [c for c in candidates.candidates(_portrait(partnership_a))
                if c.indicator in counts]


def test_far_means_outer_decile_or_one_and_a_half_standard_deviations():
    assert candidates.is_far(10.0, 0.2) and candidates.is_far(90.0, None)
    assert candidates.is_far(50.0, -1.5)
    assert not candidates.is_far(11.0, 1.49)


def test_polish_sentences_agree_with_the_gender_of_the_indicator_name():
    assert candidates._gender_pl("Stopa bezrobocia") == "f"
    assert candidates._gender_pl("Saldo migracji") == "n"
    assert candidates._gender_pl("Udział bezrobotnych") == "m"
    assert candidates._gender_pl("Dochody budżetu") == "pl"
    assert candidates._gender_pl("Gęstość zaludnienia") == "f"
    # No agreement is safe: the sentence speaks of the indicator's value instead.
    assert candidates._gender_pl("Mieszkańcy bez dostępu do sieci") == ""


def test_a_candidate_becomes_a_conclusion_in_one_click(small_data, partnership_a, coordinator):
    response = client_for(coordinator).post(
        reverse("portrait:candidate_accept", args=[partnership_a.slug]),
        {"key": f"unemployment_rate:{SARNAKI}"})

    conclusion = DiagnosisConclusion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portrait:conclusion_edit",
                                           args=[partnership_a.slug, conclusion.pk])
    assert (conclusion.kind, conclusion.dimension, conclusion.indicator_codes) == (
        "weakness", "economic", ["unemployment_rate"])
    assert conclusion.text.startswith("Udział bezrobotnych")
    assert "Sarnaki (12,0%)" in conclusion.text


def test_an_unknown_candidate_is_refused_with_a_polish_message(small_data, partnership_a,
                                                                coordinator):
    response = client_for(coordinator).post(
        reverse("portrait:candidate_accept", args=[partnership_a.slug]),
        {"key": "unemployment_rate:1426072"})

    assert response.status_code == 400
    assert "Tego kandydata nie ma już na liście" in response.content.decode()
    assert not DiagnosisConclusion.objects.exists()


def test_the_candidates_page_lists_the_sentence(small_data, partnership_a, observer):
    page = client_for(observer).get(reverse("portrait:candidates", args=[partnership_a.slug]))

    assert "w gminie Sarnaki (12,0%) jest wyższy" in page.content.decode()
