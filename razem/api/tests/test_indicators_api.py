"""The indicator API on the demo cast; values on real data are tested in razem/portrait."""

from __future__ import annotations

from razem.conftest import client_for
from razem.indicators.catalogue import load_catalogue


def test_catalogue_lists_every_indicator_with_the_required_codes(partnership_a):
    data = client_for(None).get("/api/v1/partnerships/razem-dla-rozwoju/indicators/").json()
    codes = {i["code"] for i in data}
    assert len(codes) == len(load_catalogue().indicators) >= 25
    assert {"population", "population_change", "old_age_dependency", "net_migration_per_1000",
            "unemployment_rate", "revenue_per_capita", "expenditure_per_capita"} <= codes


def test_unpublished_portrait_values_are_hidden_from_outsiders(partnership_a, outsider):
    url = "/api/v1/partnerships/razem-dla-rozwoju/indicators/population/"
    assert client_for(None).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


def test_bad_year_parameter_is_a_400_in_polish(partnership_a, coordinator):
    response = client_for(coordinator).get(
        "/api/v1/partnerships/razem-dla-rozwoju/indicators/population/?year=abc")
    assert response.status_code == 400
    assert "Niepoprawne" in response.json()["detail"]


def test_unknown_partnership_or_indicator_is_404(partnership_a, coordinator):
    client = client_for(coordinator)
    assert client.get("/api/v1/partnerships/nie-ma/indicators/").status_code == 404
    assert client.get("/api/v1/partnerships/razem-dla-rozwoju/indicators/nie-ma/").status_code == 404
