from __future__ import annotations

from razem.conftest import client_for


def test_partnership_list_names_every_partnership(partnership_a, partnership_b):
    data = client_for(None).get("/api/v1/partnerships/").json()
    assert {p["slug"] for p in data} == {"razem-dla-rozwoju", "ziemia-wegrowska"}


def test_partnership_detail_lists_its_16_units_with_codes(partnership_a):
    data = client_for(None).get("/api/v1/partnerships/razem-dla-rozwoju/").json()
    units = {u["teryt"]: u for u in data["units"]}
    assert len(units) == 16
    assert units["1410"] == {"teryt": "1410", "name": "Powiat łosicki", "kind": "powiat"}
    assert units["1410023"]["kind"] == "gmina"
    assert data["legal_form"] == "agreement"


def test_openapi_schema_describes_the_partnership_endpoints(db):
    schema = client_for(None).get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/partnerships/" in schema["paths"]
    assert "/api/v1/partnerships/{slug}/" in schema["paths"]


def test_api_detail_uses_a_fixed_number_of_queries(partnership_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client_for(None).get("/api/v1/partnerships/razem-dla-rozwoju/")
