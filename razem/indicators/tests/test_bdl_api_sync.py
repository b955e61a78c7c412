"""Storing BDL API data: incremental, idempotent, changes logged; and `manage.py sync_bdl`.

Every request is answered from razem/indicators/tests/recorded/; the real HTTP
transport is disabled for every test in this module.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from razem.core.models import AuditLogEntry, Partnership
from razem.indicators import catalogue
from razem.indicators.bdl_api import BdlApiError, SyncReport, sync_variables
from razem.indicators.catalogue import Alias
from razem.indicators.management.commands import sync_bdl
from razem.indicators.models import (
    Flag,
    ImportRun,
    Observation,
    ObservationChange,
    Source,
    SyncState,
    Variable,
)
from razem.indicators.tests.recorded.replay import (
    STAMP,
    VARIABLE,
    FakeClock,
    Replay,
    client_on,
    standard_routes,
)

PROBE = f"data/by-variable/{VARIABLE} level=2 page=0"
LEVEL5 = f"data/by-variable/{VARIABLE} level=5 page=0"
LEVEL6 = f"data/by-variable/{VARIABLE} level=6 page=0"
LEVEL6_PAGE1 = f"data/by-variable/{VARIABLE} level=6 page=1"
# Mazowieckie (2) + three powiats (6) + Huszlew, Łosice and Olszanka (6) over 2018-2019.
STORED = 14


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a test tried the network: {request.url}")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)


def sync(replay: Replay, partnership: Partnership | None = None,
         years: list[int] | None = None, variable_ids: list[str] | None = None) -> SyncReport:
    return sync_variables(client=client_on(replay), variable_ids=variable_ids or [VARIABLE],
                          years=years, partnership=partnership)


def value(teryt: str, year: int) -> Observation:
    return Observation.objects.get(variable__code=f"bdl:{VARIABLE}", unit__teryt=teryt,
                                   year=year)


def restamped(routes: dict[str, Any], stamp: str = "2025-01-10T08:00:00") -> dict[str, Any]:
    """The same recordings after GUS republished the variable."""
    for key, body in routes.items():
        if key.startswith("data/"):
            body["lastUpdate"] = stamp
    return routes


# --- storing -------------------------------------------------------------------------

def test_sync_stores_voivodeship_powiat_and_gmina_values(partnership_a: Partnership) -> None:
    sync(Replay(standard_routes()), partnership_a)

    assert Observation.objects.count() == STORED
    assert value("14", 2019).value == Decimal("3.4")
    assert value("1410", 2018).value == Decimal("5.1")
    assert value("1410023", 2019).value == Decimal("4.1")
    assert set(Observation.objects.values_list("source", flat=True)) == {Source.BDL_API}


def test_a_new_variable_is_named_from_the_api_metadata(partnership_a: Partnership) -> None:
    sync(Replay(standard_routes()), partnership_a)

    variable = Variable.objects.get()
    assert (variable.code, variable.source, variable.source_id) == (
        "bdl:60270", Source.BDL_API, "60270")
    assert variable.name == ("Udział bezrobotnych zarejestrowanych w liczbie ludności "
                             "w wieku produkcyjnym: ogółem")
    assert (variable.dimensions, variable.measure_unit) == (["ogółem"], "%")


def test_a_value_under_statistical_secrecy_is_stored_as_missing(
    partnership_a: Partnership,
) -> None:
    sync(Replay(standard_routes()), partnership_a)

    olszanka = value("1410032", 2019)
    assert (olszanka.value, olszanka.flag) == (None, Flag.MISSING)


def test_parts_of_gminas_are_skipped_and_unknown_units_reported(
    partnership_a: Partnership,
) -> None:
    report = sync(Replay(standard_routes()), partnership_a)

    assert not Observation.objects.filter(unit__teryt__in=["1410024", "1410025"]).exists()
    assert sorted(report.unmatched) == ["011212001011 Bochnia", "060600000000 LUBELSKIE"]


def test_the_run_is_recorded_with_counts_and_logged(partnership_a: Partnership) -> None:
    report = sync(Replay(standard_routes()), partnership_a)

    run = ImportRun.objects.get()
    assert run == report.run
    assert (run.source, run.partnership, run.created, run.updated, run.unchanged) == (
        Source.BDL_API, partnership_a, STORED, 0, 0)
    assert run.unmatched == ["011212001011 Bochnia", "060600000000 LUBELSKIE"]
    assert run.finished_at is not None
    entry = AuditLogEntry.objects.get(action="import.bdl_api")
    assert entry.changes == {"variable": "bdl:60270", "created": STORED, "updated": 0}


def test_the_sync_state_keeps_the_api_stamp_and_the_years(partnership_a: Partnership) -> None:
    sync(Replay(standard_routes()), partnership_a, years=[2018, 2019])

    state = SyncState.objects.get()
    assert (state.last_update, state.years, state.all_years) == (STAMP, [2018, 2019], False)


# --- incremental ---------------------------------------------------------------------

def test_a_second_sync_with_an_unchanged_stamp_fetches_only_the_probe(
    partnership_a: Partnership,
) -> None:
    sync(Replay(standard_routes()), partnership_a)
    again = Replay(standard_routes())

    report = sync(again, partnership_a)

    assert again.keys() == [PROBE]
    assert report.outcomes[0].skipped
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert ObservationChange.objects.count() == 0


def test_a_second_sync_asking_for_one_more_year_fetches_only_that_year(
    partnership_a: Partnership,
) -> None:
    sync(Replay(standard_routes()), partnership_a, years=[2018, 2019])
    again = Replay(standard_routes())

    sync(again, partnership_a, years=[2017, 2018, 2019])

    deeper = [r for r in again.requests if r.url.params["unit-level"] != "2"]
    assert {tuple(r.url.params.get_list("year")) for r in deeper} == {("2017",)}
    assert SyncState.objects.get().years == [2017, 2018, 2019]


def test_a_new_stamp_fetches_everything_again_and_keeps_same_values(
    partnership_a: Partnership,
) -> None:
    sync(Replay(standard_routes()), partnership_a)
    again = Replay(restamped(standard_routes()))

    report = sync(again, partnership_a)

    assert again.keys() == [PROBE, LEVEL5, LEVEL6, LEVEL6_PAGE1]
    assert (report.created, report.updated, report.unchanged) == (0, 0, STORED)
    assert ObservationChange.objects.count() == 0
    assert SyncState.objects.get().last_update == "2025-01-10T08:00:00"


def test_a_changed_value_is_updated_and_its_old_value_logged(
    partnership_a: Partnership,
) -> None:
    sync(Replay(standard_routes()), partnership_a)
    routes = restamped(standard_routes())
    routes[LEVEL6]["results"][0]["values"][1]["val"] = 6.0  # Huszlew 2019, was 5.8

    report = sync(Replay(routes), partnership_a)

    assert value("1410012", 2019).value == Decimal("6.0")
    change = ObservationChange.objects.get()
    assert (change.old_value, change.new_value, change.run) == (
        Decimal("5.8"), Decimal("6.0"), report.run)
    assert (report.run.created, report.run.updated, report.run.unchanged) == (0, 1, STORED - 1)


def test_a_value_that_became_secret_is_logged_as_a_flag_change(
    partnership_a: Partnership,
) -> None:
    sync(Replay(standard_routes()), partnership_a)
    routes = restamped(standard_routes())
    routes[LEVEL6]["results"][0]["values"][1]["attrId"] = 4

    sync(Replay(routes), partnership_a)

    change = ObservationChange.objects.get()
    assert (change.old_value, change.new_value, change.old_flag, change.new_flag) == (
        Decimal("5.8"), None, "", Flag.MISSING)


# --- failures ------------------------------------------------------------------------

def test_malformed_json_writes_nothing(partnership_a: Partnership) -> None:
    routes = {**standard_routes(), LEVEL6_PAGE1: b'{"totalRecords": 6, "results": [{'}

    with pytest.raises(BdlApiError, match="niepoprawne dane"):
        sync(Replay(routes), partnership_a)

    assert not Observation.objects.exists()
    assert not Variable.objects.exists()
    assert not ImportRun.objects.exists()
    assert not SyncState.objects.exists()


def test_variables_finished_before_an_error_stay_stored(partnership_a: Partnership) -> None:
    routes = {**standard_routes(), "data/by-variable/72305 level=2 page=0": httpx.Response(500)}

    with pytest.raises(BdlApiError):
        sync(Replay(routes), partnership_a, variable_ids=[VARIABLE, "72305"])

    run = ImportRun.objects.get()
    assert (run.created, run.finished_at is not None) == (STORED, True)
    assert Observation.objects.count() == STORED


# --- the command ---------------------------------------------------------------------

@pytest.fixture
def recorded_command(monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, Any]], Replay]:
    """Point the command's client at recorded responses; returns the replay in use."""

    def use(routes: dict[str, Any]) -> Replay:
        replay = Replay(routes)
        monkeypatch.setattr(sync_bdl.Command, "client_factory", staticmethod(
            lambda **options: client_on(replay, clock=FakeClock(), **options)))
        return replay

    return use


@pytest.fixture
def small_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two aliases, one with a BDL API id: the tests do not depend on the real catalogue."""
    aliases = {
        "unemployment_share": Alias("unemployment_share", ("bezrobocie|ogółem|%",),
                                    bdl_id=VARIABLE),
        "area": Alias("area", ("powierzchnia|ogółem w km2|km2",)),
    }
    monkeypatch.setattr(catalogue, "load_catalogue", lambda: SimpleNamespace(aliases=aliases))


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("sync_bdl", *args, stdout=out)
    return out.getvalue()


def test_the_command_reports_each_variable_and_the_totals(
    partnership_a: Partnership, recorded_command: Callable[..., Replay],
) -> None:
    recorded_command(standard_routes())

    output = run_command("--partnership", "razem-dla-rozwoju", "--variable-id", VARIABLE,
                         "--years", "2018-2019")

    assert "Dostęp anonimowy (bez BDL_API_KEY)" in output
    assert ("bdl:60270 Udział bezrobotnych zarejestrowanych w liczbie ludności w wieku "
            f"produkcyjnym: ogółem: utworzono {STORED}, zaktualizowano 0, bez zmian 0.") in output
    assert (f"Synchronizacja z API BDL zakończona: zapytań 6, utworzono {STORED}, "
            "zaktualizowano 0, bez zmian 0, niedopasowanych jednostek 2.") in output
    assert "Niedopasowane jednostki:\n  011212001011 Bochnia\n" in output
    # The recordings hold 3 of the 15 member gminas: the others are named.
    assert "Jednostki partnerstwa bez żadnej wartości bdl:60270: Platerów, Sarnaki," in output


def test_the_command_says_when_nothing_changed(
    partnership_a: Partnership, recorded_command: Callable[..., Replay],
) -> None:
    recorded_command(standard_routes())
    run_command("--partnership", "razem-dla-rozwoju", "--variable-id", VARIABLE)
    replay = recorded_command(standard_routes())

    output = run_command("--partnership", "razem-dla-rozwoju", "--variable-id", VARIABLE)

    assert "bez zmian w BDL od ostatniej synchronizacji, nic nie pobrano." in output
    assert replay.keys() == [PROBE]


def test_the_command_finds_the_variable_id_of_a_catalogue_alias(
    partnership_a: Partnership, recorded_command: Callable[..., Replay], small_catalogue: None,
) -> None:
    replay = recorded_command(standard_routes())

    run_command("--partnership", "razem-dla-rozwoju", "--variables", "unemployment_share")

    assert replay.keys()[0] == PROBE


def test_without_variables_the_command_syncs_every_alias_with_an_id(
    partnership_a: Partnership, recorded_command: Callable[..., Replay], small_catalogue: None,
) -> None:
    replay = recorded_command(standard_routes())

    run_command("--partnership", "razem-dla-rozwoju")

    assert {r.url.path for r in replay.requests if "data/" in r.url.path} == {
        f"/api/v1/data/by-variable/{VARIABLE}"}


def test_an_unknown_partnership_exits_with_status_1(
    db: None, capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        sync_bdl.Command().run_from_argv(
            ["manage.py", "sync_bdl", "--skip-checks", "--partnership", "nie-ma-takiego",
             "--variable-id", VARIABLE])

    assert exit_info.value.code == 1
    assert "Nie ma partnerstwa o skrócie „nie-ma-takiego”." in capsys.readouterr().err


@pytest.mark.parametrize(("args", "message"), [
    (["--variables", "no_such_alias"], "Nieznane aliasy katalogu: no_such_alias"),
    (["--variables", "area"], "nie mają identyfikatora zmiennej API BDL: area"),
    (["--variable-id", "60270a"], "Identyfikator zmiennej BDL to liczba"),
    (["--variable-id", VARIABLE, "--years", "2019-2016"], "Lata podaj jako RRRR"),
])
def test_bad_arguments_are_refused_in_polish(
    partnership_a: Partnership, recorded_command: Callable[..., Replay], small_catalogue: None,
    args: list[str], message: str,
) -> None:
    replay = recorded_command(standard_routes())

    with pytest.raises(CommandError, match=message):
        run_command("--partnership", "razem-dla-rozwoju", *args)

    assert replay.requests == []


def test_api_failures_stop_the_command_with_a_polish_message(
    partnership_a: Partnership, recorded_command: Callable[..., Replay],
) -> None:
    recorded_command({**standard_routes(), PROBE: httpx.Response(503)})

    with pytest.raises(CommandError, match="Synchronizacja przerwana: API BDL nie odpowiedziało "
                                           r"poprawnie \(HTTP 503\)"):
        run_command("--partnership", "razem-dla-rozwoju", "--variable-id", VARIABLE)

    assert not ImportRun.objects.exists()
