"""Importing parsed exports: matching units, creating, comparing, logging; and the command."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from razem.core.models import AuditLogEntry, Partnership
from razem.indicators.bdl_csv import parse_bdl_csv
from razem.indicators.importing import import_bdl_table, import_paths
from razem.indicators.models import ImportRun, Observation, ObservationChange, Variable
from razem.indicators.tests.bdl_samples import ROWS, export

DATASET = "ludnosc_ogol_przed_poprod"
CODE = "ludnosc_ogol_przed_poprod|ogółem;ogółem|osoba"


def run_import(data: bytes, **kwargs) -> ImportRun:
    return import_bdl_table(parse_bdl_csv(data, dataset=DATASET), source_name="test.csv",
                            **kwargs)


def value(teryt: str, year: int, code: str = CODE) -> Observation:
    return Observation.objects.get(unit__teryt=teryt, year=year, variable__code=code)


def test_import_creates_the_variable_and_every_value(cast):
    run = run_import(export())

    variable = Variable.objects.get(code=CODE)
    assert (variable.source, variable.measure_unit, variable.dimensions) == (
        "bdl_csv", "osoba", ["ogółem", "ogółem"])
    assert (run.created, run.updated, run.unchanged, run.unmatched) == (6, 0, 0, [])
    assert value("1410023", 2019).value == Decimal(10787)
    assert value("1410012", 2018).value == Decimal(2870)


def test_missing_values_are_stored_with_the_missing_flag(cast):
    run_import(export('1410023;"Łosice (3)";-;;'))

    observation = value("1410023", 2019)
    assert (observation.value, observation.flag) == (None, "missing")


def test_reimport_writes_nothing(cast):
    run_import(export())
    before = list(Observation.objects.values_list("pk", "value", "flag", "imported_at"))

    with CaptureQueriesContext(connection) as queries:
        run = run_import(export())

    assert (run.created, run.updated, run.unchanged) == (0, 0, 6)
    assert list(Observation.objects.values_list("pk", "value", "flag", "imported_at")) == before
    assert not ObservationChange.objects.exists()
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert all("indicators_importrun" in sql for sql in writes), writes


def test_changed_value_is_updated_and_logged(cast):
    first = run_import(export())
    run = run_import(export('1410023;"Łosice (3)";10837;10790;', *ROWS[1:]))

    assert (run.created, run.updated, run.unchanged) == (0, 1, 5)
    change = ObservationChange.objects.get()
    assert (change.run, change.observation, change.old_value, change.new_value) == (
        run, value("1410023", 2019), Decimal(10787), Decimal(10790))
    assert value("1410023", 2019).value == Decimal(10790)
    assert first.changes.count() == 0


def test_value_becoming_missing_is_logged_with_its_flags(cast):
    run_import(export())
    run_import(export('1410023;"Łosice (3)";10837;-;', *ROWS[1:]))

    change = ObservationChange.objects.get()
    assert (change.old_value, change.old_flag, change.new_value, change.new_flag) == (
        Decimal(10787), "", None, "missing")


def test_unknown_codes_are_reported_not_fatal(cast):
    run = run_import(export(ROWS[0], '0201011;"Bolesławiec (1)";1;2;', '0000000;"POLSKA";1;2;'))

    assert run.created == 2
    assert run.unmatched == ["0201011 Bolesławiec (wiersz 3)", "0000000 POLSKA (wiersz 4)"]


def test_powiat_and_voivodeship_codes_match_in_both_forms(cast):
    run_import(export('1410000;"Powiat łosicki";1;2;', '1429;"Powiat sokołowski";3;4;',
                      '1400000;"MAZOWIECKIE";5;6;'))

    assert value("1410", 2019).value == 2
    assert value("1429", 2019).value == 4
    assert value("14", 2019).value == 6


def test_gmina_under_its_former_type_digit_matches_by_number(cast):
    # 1410022: Łosice as a rural gmina; the register knows it as urban-rural 1410023.
    run = run_import(export('1410022;"Łosice (2)";1;2;'))

    assert value("1410023", 2019).value == 2
    assert run.renumbered == [("1410022", "1410023")]


def test_two_codes_of_one_unit_keep_the_first(cast):
    run = run_import(export('1410;"łosicki";1;2;', '1410000;"Powiat łosicki";3;4;'))

    assert value("1410", 2019).value == 2
    assert run.unmatched == ["1410000 Powiat łosicki (wiersz 3): ta sama jednostka co w wierszu 2"]


def test_import_for_a_partnership_is_in_its_audit_log(cast, coordinator):
    partnership = Partnership.objects.get(slug="razem-dla-rozwoju")

    run = run_import(export(), user=coordinator, partnership=partnership)

    entry = AuditLogEntry.objects.get(action="indicators.imported")
    assert (entry.partnership, entry.actor, entry.object_id) == (partnership, coordinator,
                                                                 str(run.pk))
    assert entry.changes == {"file": [None, "test.csv"], "created": [None, 6],
                             "updated": [None, 0], "unchanged": [None, 0], "unmatched": [None, 0]}


def test_import_without_a_partnership_is_not_in_any_audit_log(cast):
    run_import(export())

    assert not AuditLogEntry.objects.filter(action="indicators.imported").exists()


def test_changes_bump_the_partnerships_cache_version_and_reimports_do_not(cast):
    before = Partnership.objects.get(slug="razem-dla-rozwoju").updated_at
    run_import(export())
    after_import = Partnership.objects.get(slug="razem-dla-rozwoju").updated_at
    run_import(export())

    assert after_import > before
    assert Partnership.objects.get(slug="razem-dla-rozwoju").updated_at == after_import


def test_progress_counts_every_value(cast):
    counted: list[int] = []
    run_import(export(), progress=counted.append)
    run_import(export(), progress=counted.append)

    assert sum(counted) == 12


# --- files and the command -----------------------------------------------------------------


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    (tmp_path / "ludnosc_ogol_przed_poprod.csv").write_bytes(export())
    (tmp_path / "bezrobocie18.csv").write_bytes(export(
        '1410023;"Łosice (3)";5,5;', header='"Kod";"Nazwa";"ogółem;2018;[%]";'))
    (tmp_path / "notatki.txt").write_text("not an export")
    return tmp_path


def command(*args: str, stderr: io.StringIO | None = None) -> str:
    out = io.StringIO()
    call_command("import_bdl_csv", *args, stdout=out, stderr=stderr or io.StringIO())
    return out.getvalue()


def test_command_imports_a_directory_of_exports_with_datasets_from_file_names(cast, exports):
    output = command(str(exports), "--no-progress")

    assert value("1410023", 2018, "bezrobocie|ogółem|%").value == Decimal("5.5")
    assert value("1410023", 2019).value == Decimal(10787)
    assert "bezrobocie18.csv: utworzono 1, zaktualizowano 0, bez zmian 0" in output
    assert "ludnosc_ogol_przed_poprod.csv: utworzono 6" in output
    assert ImportRun.objects.count() == 2


def test_command_dataset_option_names_the_variables(cast, exports):
    command(str(exports / "bezrobocie18.csv"), "--dataset", "stopa", "--no-progress")

    assert Variable.objects.get().code == "stopa|ogółem|%"


def test_command_rejects_an_invalid_dataset_name(cast, exports):
    with pytest.raises(CommandError, match="zbioru danych"):
        command(str(exports), "--dataset", "a|b")


def test_command_lists_unmatched_units(cast, tmp_path):
    path = tmp_path / "dane.csv"
    path.write_bytes(export(ROWS[0], '0201011;"Bolesławiec (1)";1;2;'))

    output = command(str(path), "--no-progress")

    assert "Niedopasowane do żadnej jednostki" in output and "0201011 Bolesławiec" in output


def test_command_rejects_a_malformed_file_naming_line_and_column_and_writes_nothing(
        cast, exports):
    (exports / "zly.csv").write_bytes(export(ROWS[0], '1410012;"Huszlew (2)";2870;abc;'))

    with pytest.raises(CommandError) as caught:
        command(str(exports), "--no-progress")

    message = str(caught.value)
    assert "zly.csv" in message and "Wiersz 3, kolumna 4" in message
    assert "Niczego nie zaimportowano" in message
    assert not Observation.objects.exists() and not ImportRun.objects.exists()
    assert not Variable.objects.exists()


def test_command_fails_on_a_missing_path(cast, tmp_path):
    with pytest.raises(CommandError, match="Nie znaleziono"):
        command(str(tmp_path / "brak.csv"))


def test_command_fails_on_a_directory_without_csv_files(cast, tmp_path):
    with pytest.raises(CommandError, match="Brak plików CSV"):
        command(str(tmp_path))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_command_draws_a_progress_bar_on_a_terminal(cast, exports):
    terminal = _Terminal()
    command(str(exports), stderr=terminal)

    assert "ludnosc_ogol_przed_poprod.csv" in terminal.getvalue()
    assert "100%" in terminal.getvalue()


def test_command_draws_no_progress_bar_when_asked_not_to(cast, exports):
    terminal = _Terminal()
    command(str(exports), "--no-progress", stderr=terminal)

    assert terminal.getvalue() == ""


def test_command_draws_no_progress_bar_into_a_file(cast, exports):
    stderr = io.StringIO()
    command(str(exports), stderr=stderr)

    assert stderr.getvalue() == ""


def test_import_paths_returns_one_run_per_file(cast, exports):
    runs = import_paths([exports])

    assert [run.file_name for run in runs] == ["bezrobocie18.csv", "ludnosc_ogol_przed_poprod.csv"]
