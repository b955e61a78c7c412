"""Public pages: content, language and the cost of the partnership page."""

from __future__ import annotations

from django.urls import reverse

from razem.conftest import client_for


def test_home_lists_partnerships(partnership_a, partnership_b):
    html = client_for(None).get(reverse("home")).content.decode()
    assert "Razem dla Rozwoju" in html and "Ziemi Węgrowskiej" in html


def test_partnership_page_lists_member_units_and_links_accessibility_statement(partnership_a):
    html = client_for(None).get(reverse("partnership", args=[partnership_a.slug])).content.decode()
    for name in ["Powiat łosicki", "Łosice", "Sterdyń", "1429092"]:
        assert name in html
    assert reverse("accessibility") in html and reverse("privacy") in html
    assert 'id="partnership-map-spec"' in html


def test_pages_are_polish_by_default_and_english_on_request(partnership_a):
    client = client_for(None)
    assert 'lang="pl"' in client.get(reverse("home")).content.decode()
    response = client.get(reverse("switch_language", args=["en"]), {"next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    html = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in html and "Development partnerships" in html


def test_language_switch_refuses_unknown_languages_and_foreign_redirects(db):
    client = client_for(None)
    assert client.get(reverse("switch_language", args=["xx"])).status_code == 404
    response = client.get(reverse("switch_language", args=["en"]), {"next": "https://evil.example"})
    assert response["Location"] == "/"


def test_anonymous_partnership_page_carries_no_csrf_token_so_it_can_be_cached(partnership_a):
    response = client_for(None).get(reverse("partnership", args=[partnership_a.slug]))
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies


def test_logged_in_visitor_sees_own_header_not_a_cached_anonymous_page(partnership_a, coordinator):
    url = reverse("partnership", args=[partnership_a.slug])
    client_for(None).get(url)
    html = client_for(coordinator).get(url).content.decode()
    assert reverse("logout") in html


def test_partnership_page_is_served_from_cache_with_few_queries(
    partnership_a, django_assert_max_num_queries
):
    client = client_for(None)
    url = reverse("partnership", args=[partnership_a.slug])
    client.get(url)
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200


def test_partnership_page_shows_a_renamed_unit_at_once(partnership_a):
    client = client_for(None)
    url = reverse("partnership", args=[partnership_a.slug])
    client.get(url)
    unit = partnership_a.units.get(teryt="1410052")
    unit.name = "Sarnaki Nowe"
    unit.save()
    partnership_a.touch()
    assert "Sarnaki Nowe" in client.get(url).content.decode()


def test_map_data_is_geojson(partnership_a):
    data = client_for(None).get(reverse("partnership_map", args=[partnership_a.slug])).json()
    assert data["type"] == "FeatureCollection"


def test_browser_language_does_not_override_the_polish_default(db):
    response = client_for(None).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="pl"' in response.content.decode()
    assert response["Content-Language"] == "pl"
