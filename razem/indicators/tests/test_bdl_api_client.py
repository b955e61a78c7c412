"""The BDL API client on recorded responses: unit ids, rate limits, retries, paging, parsing.

No test reaches the network: the client's transport replays recorded responses
and the real HTTP transport is disabled for every test in this module.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from razem.indicators.bdl_api import (
    ANONYMOUS_QUOTAS,
    REGISTERED_QUOTAS,
    BdlApiError,
    BdlClient,
    BdlQuotaError,
    Quota,
    RateLimiter,
    parse_data_page,
    parse_years,
    teryt_from_bdl_id,
)
from razem.indicators.models import Flag
from razem.indicators.tests.recorded.replay import (
    VARIABLE,
    FakeClock,
    Replay,
    Successive,
    client_on,
    load,
    standard_routes,
)

LEVEL6 = f"data/by-variable/{VARIABLE} level=6 page=0"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a test tried the network: {request.url}")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)


def data_pack_file(relative: str) -> Path:
    path = Path(settings.RAZEM_DATA_DIR) / relative
    if not path.is_file():
        pytest.skip(f"data pack file {path} not found (set RAZEM_DATA_DIR to the data pack)")
    return path


# --- BDL unit id → TERYT -------------------------------------------------------------

def test_a_gmina_id_gives_the_seven_digit_teryt_with_its_type() -> None:
    assert teryt_from_bdl_id("071427110023") == "1410023"


def test_a_powiat_id_gives_the_four_digit_teryt() -> None:
    assert teryt_from_bdl_id("071427110000") == "1410"


def test_a_voivodeship_id_gives_the_two_digit_teryt() -> None:
    assert teryt_from_bdl_id("071400000000") == "14"


@pytest.mark.parametrize("bdl_id", [
    "000000000000",          # Poland
    "010000000000",          # macroregion
    "011210000000",          # region
    "011212000000",          # subregion
    "023015706012-0199020",  # statistical locality
    "", "12345", "0714271100231", "07142711002x", "０７１４２７１１００２３",
])
def test_units_without_a_teryt_code_give_none(bdl_id: str) -> None:
    assert teryt_from_bdl_id(bdl_id) is None


def test_the_recorded_unit_list_maps_to_teryt_codes() -> None:
    units = json.loads(data_pack_file("bdl/api-samples/samples_raw_units.json")
                       .read_text(encoding="utf-8"))["list_units"]
    mapped = {unit["name"] + f" ({unit['level']})": teryt_from_bdl_id(unit["id"])
              for unit in units}
    assert mapped["MAŁOPOLSKIE (2)"] == "12"
    assert mapped["Powiat bocheński (5)"] == "1201"
    assert mapped["Drwinia (6)"] == "1201032"
    assert mapped["POLSKA (0)"] is None
    assert mapped["PODREGION KRAKOWSKI (4)"] is None


def test_every_gmina_of_the_boundary_file_maps_to_its_teryt() -> None:
    features = json.loads(data_pack_file("boundaries/gminy_2018_wgs84.geojson")
                          .read_text(encoding="utf-8"))["features"]
    wrong = [f["properties"] for f in features
             if teryt_from_bdl_id(f["properties"]["bdl_id"]) != f["properties"]["teryt"]]
    assert len(features) > 2400
    assert not wrong[:5]


two_digits = st.integers(1, 99).map(lambda n: f"{n:02d}")


@given(macro=two_digits, voivodeship=two_digits, region=st.integers(0, 9),
       subregion=st.integers(0, 99), powiat=two_digits, gmina=two_digits,
       kind=st.integers(1, 9))
def test_a_gmina_id_always_carries_its_teryt_parts(
    macro: str, voivodeship: str, region: int, subregion: int, powiat: str, gmina: str,
    kind: int,
) -> None:
    bdl_id = f"{macro}{voivodeship}{region}{subregion:02d}{powiat}{gmina}{kind}"
    assert teryt_from_bdl_id(bdl_id) == f"{voivodeship}{powiat}{gmina}{kind}"


@given(st.text(max_size=30))
def test_any_text_gives_none_or_a_teryt_shaped_code(text: str) -> None:
    teryt = teryt_from_bdl_id(text)
    assert teryt is None or (len(teryt) in {2, 4, 7} and teryt.isdigit())


# --- rate limiter --------------------------------------------------------------------

def test_the_limiter_waits_a_second_when_five_requests_used_the_second() -> None:
    clock = FakeClock()
    limiter = RateLimiter([Quota(5, 1)], clock, max_wait=60)

    for _ in range(6):
        limiter.acquire()

    assert clock.sleeps == [pytest.approx(1.05)]


def test_the_limiter_waits_for_the_fifteen_minute_window_of_anonymous_clients() -> None:
    clock = FakeClock()
    limiter = RateLimiter(ANONYMOUS_QUOTAS, clock, max_wait=3600)
    start = clock.now()

    for _ in range(101):
        limiter.acquire()

    # 100 requests fit in the first window; the 101st waits until it has passed.
    assert clock.now() - start == pytest.approx(15 * 60 + 0.05)
    assert max(clock.sleeps) > 800


def test_the_limiter_stops_instead_of_waiting_longer_than_allowed() -> None:
    limiter = RateLimiter(ANONYMOUS_QUOTAS, FakeClock(), max_wait=60)
    for _ in range(100):
        limiter.acquire()

    with pytest.raises(BdlQuotaError, match="BDL_API_KEY"):
        limiter.acquire()


def test_a_client_with_a_key_gets_the_registered_limits() -> None:
    assert client_on(Replay({}), api_key="klucz").limiter.quotas == REGISTERED_QUOTAS
    assert client_on(Replay({})).limiter.quotas == ANONYMOUS_QUOTAS


def test_a_full_sync_worth_of_requests_sleeps_on_the_clock_not_for_real() -> None:
    clock = FakeClock()
    client = client_on(Replay(standard_routes()), clock=clock)

    for _ in range(3):
        client.get_json(f"variables/{VARIABLE}")
        client.get_json("subjects/P2392")

    assert clock.sleeps == [pytest.approx(1.05)]


# --- API key -------------------------------------------------------------------------

def test_the_api_key_from_settings_goes_in_the_x_clientid_header(settings) -> None:
    settings.BDL_API_KEY = "klucz-testowy"
    replay = Replay(standard_routes())

    BdlClient.from_settings(transport=httpx.MockTransport(replay),
                            clock=FakeClock()).get_json(f"variables/{VARIABLE}")

    assert replay.requests[0].headers["X-ClientId"] == "klucz-testowy"


def test_without_a_key_no_x_clientid_header_is_sent(settings) -> None:
    settings.BDL_API_KEY = ""
    replay = Replay(standard_routes())

    BdlClient.from_settings(transport=httpx.MockTransport(replay),
                            clock=FakeClock()).get_json(f"variables/{VARIABLE}")

    assert "X-ClientId" not in replay.requests[0].headers


def test_the_real_transport_is_blocked_in_these_tests() -> None:
    with pytest.raises(AssertionError, match="tried the network"):
        BdlClient(clock=FakeClock()).get_json("levels")


# --- paging --------------------------------------------------------------------------

def test_paging_follows_every_page_up_to_total_records() -> None:
    replay = Replay(standard_routes())

    pages = list(client_on(replay).data_by_variable(VARIABLE, level=6, years=[2018, 2019]))

    assert replay.keys() == [LEVEL6, f"data/by-variable/{VARIABLE} level=6 page=1"]
    assert [r.url.params["page-size"] for r in replay.requests] == ["3", "3"]
    assert replay.requests[0].url.params.get_list("year") == ["2018", "2019"]
    assert [row.bdl_id for page in pages for row in page.rows][::2] == [
        "071427110012", "071427110023", "071427110024",
        "071427110025", "071427110032", "011212001011",
    ]


def test_without_total_records_paging_follows_links_next() -> None:
    first, second = load(f"data_{VARIABLE}_level6_page0.json"), \
        load(f"data_{VARIABLE}_level6_page1.json")
    del first["totalRecords"], second["totalRecords"]
    replay = Replay({LEVEL6: first, f"data/by-variable/{VARIABLE} level=6 page=1": second})

    pages = list(client_on(replay).data_by_variable(VARIABLE, level=6, years=None))

    assert len(pages) == 2
    assert "year" not in replay.requests[0].url.params


def test_paging_asks_by_page_number_and_never_follows_a_foreign_link() -> None:
    first = load(f"data_{VARIABLE}_level6_page0.json")
    first["links"]["next"] = "https://example.org/steal?page=1"
    routes = {**standard_routes(), LEVEL6: first}
    replay = Replay(routes)

    list(client_on(replay, api_key="klucz").data_by_variable(VARIABLE, level=6, years=None))

    assert {r.url.host for r in replay.requests} == {"bdl.stat.gov.pl"}


# --- retries -------------------------------------------------------------------------

def test_server_errors_are_retried_with_growing_waits() -> None:
    clock = FakeClock()
    replay = Replay({f"variables/{VARIABLE}": Successive(
        httpx.Response(503), httpx.Response(502), load(f"variable_{VARIABLE}.json"))})

    body = client_on(replay, clock=clock).get_json(f"variables/{VARIABLE}")

    assert body["id"] == 60270
    assert clock.sleeps == [1.0, 2.0]


def test_too_many_requests_waits_as_long_as_retry_after_says() -> None:
    clock = FakeClock()
    replay = Replay({f"variables/{VARIABLE}": Successive(
        httpx.Response(429, headers={"Retry-After": "30"}), load(f"variable_{VARIABLE}.json"))})

    client_on(replay, clock=clock).get_json(f"variables/{VARIABLE}")

    assert clock.sleeps == [30.0]


def test_persistent_429_ends_in_a_polish_error_after_the_retries() -> None:
    clock = FakeClock()
    replay = Replay({f"variables/{VARIABLE}": httpx.Response(429)})

    with pytest.raises(BdlApiError, match=r"nie odpowiedziało poprawnie \(przekroczony limit "
                                          r"zapytań \(HTTP 429\)\).*liczba prób: 5\."):
        client_on(replay, clock=clock).get_json(f"variables/{VARIABLE}")

    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0]
    assert len(replay.requests) == 5


def test_a_retry_after_beyond_the_allowed_wait_stops_at_once() -> None:
    clock = FakeClock()
    replay = Replay({f"variables/{VARIABLE}": httpx.Response(
        429, headers={"Retry-After": "3600"})})

    with pytest.raises(BdlApiError, match="liczba prób: 1"):
        client_on(replay, clock=clock, max_wait=600).get_json(f"variables/{VARIABLE}")

    assert clock.sleeps == []


def test_network_errors_are_retried() -> None:
    def flaky(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    replay = Replay({f"variables/{VARIABLE}": Successive(
        flaky, load(f"variable_{VARIABLE}.json"))})

    assert client_on(replay).get_json(f"variables/{VARIABLE}")["id"] == 60270


def test_an_unknown_variable_is_a_clear_error_without_retries() -> None:
    replay = Replay({"variables/999999999": httpx.Response(404, json={"errors": "not found"})})

    with pytest.raises(BdlApiError, match="nie zna takiego zasobu.*Sprawdź identyfikator"):
        client_on(replay).get_json("variables/999999999")

    assert len(replay.requests) == 1


# --- parsing -------------------------------------------------------------------------

def test_malformed_json_is_a_clear_error() -> None:
    replay = Replay({LEVEL6: b'{"totalRecords": 6, "results": [{"id": "0714'})

    with pytest.raises(BdlApiError, match="niepoprawne dane.*to nie jest JSON"):
        list(client_on(replay).data_by_variable(VARIABLE, level=6, years=None))


def test_a_json_list_instead_of_an_object_is_malformed() -> None:
    replay = Replay({LEVEL6: b"[]"})

    with pytest.raises(BdlApiError, match="oczekiwano obiektu JSON"):
        list(client_on(replay).data_by_variable(VARIABLE, level=6, years=None))


def test_a_value_that_is_not_a_number_is_malformed() -> None:
    body = load(f"data_{VARIABLE}_level6_page0.json")
    body["results"][0]["values"][0]["val"] = "6,2"

    with pytest.raises(BdlApiError, match="niepoprawna wartość 6,2 dla jednostki 071427110012"):
        parse_data_page(body, "https://bdl.stat.gov.pl/api/v1/data/by-variable/60270")


def test_values_keep_four_decimal_places_and_secret_ones_are_missing() -> None:
    page = parse_data_page(load(f"data_{VARIABLE}_level6_page1.json"), "url")
    olszanka = {row.year: row for row in page.rows if row.bdl_id == "071427110032"}

    assert olszanka[2018].value == Decimal("5.3000")
    assert (olszanka[2019].value, olszanka[2019].flag) == (None, Flag.MISSING)
    assert page.last_update == "2024-06-17T09:12:44.127"


def test_the_recorded_data_by_variable_sample_parses() -> None:
    samples = json.loads(data_pack_file("bdl/api-samples/samples_raw_data.json")
                         .read_text(encoding="utf-8"))
    page = parse_data_page({"results": samples["get_data_by_variable"]}, "url")

    assert len(page.rows) == 90
    assert (page.rows[0].bdl_id, page.rows[0].year, page.rows[0].value) == (
        "000000000000", 1995, Decimal(168))
    assert page.last_update == ""


# --- years ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "years"), [
    ("2019", [2019]),
    ("2016-2019", [2016, 2017, 2018, 2019]),
    ("2019, 2016,2017-2018", [2016, 2017, 2018, 2019]),
])
def test_years_are_read_as_a_year_a_range_or_a_list(text: str, years: list[int]) -> None:
    assert parse_years(text) == years


@pytest.mark.parametrize("text", ["16-19", "2019-2016", "abc", "1990", "2016--2019", ""])
def test_bad_years_get_a_polish_message(text: str) -> None:
    with pytest.raises(ValueError, match="Lata podaj jako RRRR"):
        parse_years(text)


@given(st.text(max_size=20))
def test_reading_years_fails_only_with_a_message(text: str) -> None:
    try:
        years = parse_years(text)
    except ValueError:
        return
    assert years == sorted(set(years)) and all(1995 <= y <= 2100 for y in years)
