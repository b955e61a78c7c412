"""What the portrait pages show, and what they refuse."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from razem.conftest import client_for
from razem.core.models import AuditLogEntry
from razem.portrait import actions
from razem.portrait.models import PortraitSettings
from razem.portrait.tests.conftest import SARNAKI

SOURCE = "Źródło: GUS, Bank Danych Lokalnych"


def _get(user, name, partnership, *args, **query):
    url = reverse(f"portrait:{name}", args=[partnership.slug, *args])
    return client_for(user).get(url, query)


def _specs(response) -> list[dict]:
    """The Vega-Lite specs a page embeds with json_script."""
    return [json.loads(m) for m in re.findall(
        r'<script id="[^"]+-spec" type="application/json">(.*?)</script>',
        response.content.decode(), re.DOTALL)]


@pytest.mark.parametrize("name,args", [
    ("indicator", ["no_such_indicator"]),
    ("dimension", ["cultural"]),
    ("unit", ["1433011"]),  # Węgrów: a gmina of the other partnership
    ("unit", ["9999999"]),
])
def test_unknown_or_foreign_things_are_not_found(small_data, partnership_a, coordinator, name,
                                                 args):
    assert _get(coordinator, name, partnership_a, *args).status_code == 404


def test_a_foreign_unit_is_not_found_even_without_data(partnership_a, coordinator):
    assert _get(coordinator, "unit", partnership_a, "1433011").status_code == 404


@pytest.mark.parametrize("year", ["2010", "dwa", "20199"])
def test_a_year_without_data_is_not_found(small_data, partnership_a, coordinator, year):
    assert _get(coordinator, "overview", partnership_a, rok=year).status_code == 404


def test_another_year_with_data_can_be_shown(small_data, partnership_a, coordinator):
    response = _get(coordinator, "overview", partnership_a, rok="2018")

    assert response.status_code == 200
    assert "Najważniejsze dane i miary syntetyczne, 2018" in response.content.decode()


def test_the_overview_shows_the_partnership_row_and_numbers_in_polish(small_data, partnership_a,
                                                                      observer):
    text = _get(observer, "overview", partnership_a).content.decode()

    assert "Partnerstwo (gminy członkowskie łącznie)" in text
    # 15 gminas of 3000 + 50·n residents: a five-digit sum with a thin space.
    assert re.search(r"\d{2}\u202f\d{3}</td>", text)
    assert SOURCE in text


def test_every_chart_has_its_data_table(small_data, boundaries, partnership_a, observer):
    for name, args in [("overview", []), ("dimension", ["economic"]),
                       ("indicator", ["unemployment_rate"]), ("unit", [SARNAKI])]:
        response = _get(observer, name, partnership_a, *args)
        text = response.content.decode()
        containers = re.findall(r'data-spec-id="([^"]+)"', text)
        assert containers, name
        for spec_id in containers:
            figure = spec_id.removesuffix("-spec")
            assert f'id="{figure}-table-caption"' in text, (name, figure)


def test_the_indicator_page_has_a_series_a_ranking_and_a_map(small_data, boundaries,
                                                              partnership_a, observer):
    response = _get(observer, "indicator", partnership_a, "unemployment_rate")

    marks = [spec["mark"]["type"] if isinstance(spec["mark"], dict) else spec["mark"]
             for spec in _specs(response)]
    assert marks == ["line", "bar", "geoshape"]
    series = _specs(response)[0]["data"]["values"]
    assert {row["role"] for row in series} == {"member", "partnership", "median"}


def test_without_boundaries_the_map_says_why_it_is_empty(small_data, partnership_a, observer):
    text = _get(observer, "overview", partnership_a).content.decode()

    assert "Granice jednostek nie zostały jeszcze zaimportowane" in text
    assert 'data-spec-id="map-overall-spec"' not in text


def test_the_ranking_shows_the_group_and_the_rank(small_data, partnership_a, observer):
    text = _get(observer, "indicator", partnership_a, "unemployment_rate").content.decode()

    row = re.search(r'<tr><th scope="row"><a href="[^"]+/1410052/">Sarnaki</a></th>(.*?)</tr>',
                    text).group(1)
    assert "12,0" in row and "gminy wiejskie, poniżej 5 tys. mieszkańców" in row
    assert "20 z 20" in row  # the highest unemployment: last of 20


def test_the_unit_profile_shows_population_and_group(small_data, partnership_a, observer):
    text = _get(observer, "unit", partnership_a, SARNAKI).content.decode()

    assert "Sarnaki" in text and "Gminy wiejskie, poniżej 5 tys. mieszkańców" in text
    assert "Liczba ludności w 2019 r." in text


def test_a_member_powiat_has_a_profile_of_its_gminas_together(small_data, partnership_a,
                                                               observer):
    text = _get(observer, "unit", partnership_a, "1410").content.decode()

    assert "Powiat łosicki" in text
    assert "Dane powiatu to dane wszystkich jego gmin łącznie" in text


def test_the_methodology_page_is_in_the_interface_language(partnership_a, observer):
    client = client_for(observer)
    polish = client.get(reverse("portrait:methodology", args=[partnership_a.slug]))
    client.cookies["django_language"] = "en"
    english = client.get(reverse("portrait:methodology", args=[partnership_a.slug]))

    assert "Metodologia portretu" in polish.content.decode()
    assert "Metodologia portretu" not in english.content.decode()


def test_publishing_is_logged_and_opens_the_portrait(small_data, partnership_a, coordinator):
    response = client_for(coordinator).post(
        reverse("portrait:publication", args=[partnership_a.slug]), {"published": "1"})

    settings = PortraitSettings.objects.get(partnership=partnership_a)
    assert response.status_code == 302
    assert settings.published and settings.published_by == coordinator
    assert AuditLogEntry.objects.filter(action="portrait.published").exists()
    assert _get(None, "overview", partnership_a).status_code == 200


def test_withdrawing_closes_the_portrait_again(small_data, partnership_a, coordinator):
    actions.set_published(partnership=partnership_a, by=coordinator, published=True)

    client_for(coordinator).post(reverse("portrait:publication", args=[partnership_a.slug]),
                                 {"published": "0"})

    assert AuditLogEntry.objects.filter(action="portrait.unpublished").exists()
    assert _get(None, "overview", partnership_a).status_code == 302


def test_a_bad_publication_request_is_refused(partnership_a, coordinator):
    response = client_for(coordinator).post(
        reverse("portrait:publication", args=[partnership_a.slug]), {"published": "tak"})

    assert response.status_code == 400
    assert "Wybierz, czy opublikować portret" in response.content.decode()
    assert not PortraitSettings.objects.exists()


def test_the_reference_year_is_saved_and_used(small_data, partnership_a, coordinator):
    client = client_for(coordinator)
    client.post(reverse("portrait:reference_year", args=[partnership_a.slug]), {"year": "2018"})

    text = client.get(reverse("portrait:overview", args=[partnership_a.slug])).content.decode()

    assert PortraitSettings.objects.get().reference_year == 2018
    assert "Najważniejsze dane i miary syntetyczne, 2018" in text
    assert AuditLogEntry.objects.filter(action="portrait.year_changed").exists()


def test_a_reference_year_without_data_is_refused(small_data, partnership_a, coordinator):
    response = client_for(coordinator).post(
        reverse("portrait:reference_year", args=[partnership_a.slug]), {"year": "2011"})

    assert response.status_code == 400
    assert "Brak danych za rok 2011" in response.content.decode()
