"""The import_teryt and import_boundaries management commands."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from razem.territory.management.commands import import_teryt as import_teryt_command
from razem.territory.tests.conftest import LOSICE_ROWS, collection, feature, square


def _run(name: str, path: Path) -> str:
    out = io.StringIO()
    call_command(name, str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_teryt_prints_the_report(write_terc: Callable[..., Path]) -> None:
    output = _run("import_teryt", write_terc(LOSICE_ROWS))

    assert "utworzono 4" in output
    assert "pominięto 2" in output


@pytest.mark.django_db
def test_import_teryt_raises_command_error_with_the_polish_message(
    write_terc: Callable[..., Path],
) -> None:
    path = write_terc([*LOSICE_ROWS, "14;10;03"])

    with pytest.raises(CommandError, match=r"Wiersz 8: .*ucięty"):
        _run("import_teryt", path)


def test_import_teryt_exits_with_status_1_on_a_malformed_file(
    write_terc: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_terc(LOSICE_ROWS, header="WOJ,POW,GMI,RODZ,NAZWA,NAZWA_DOD,STAN_NA")
    command = import_teryt_command.Command()

    # run_from_argv is what manage.py calls: CommandError becomes exit status 1.
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", "import_teryt", "--skip-checks", str(path)])

    assert exit_info.value.code == 1
    assert "zamiast średnika" in capsys.readouterr().err


def test_import_boundaries_raises_command_error_for_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Nie znaleziono pliku"):
        _run("import_boundaries", tmp_path / "brak.geojson")


@pytest.mark.django_db
def test_import_boundaries_lists_the_first_unmatched_units(
    write_json: Callable[..., Path],
) -> None:
    features = [feature(f"02010{i:02d}", square(15.0 + i / 10, 51.0), name=f"G{i}")
                for i in range(12)]

    output = _run("import_boundaries", write_json(collection(*features)))

    assert "niedopasowanych 12" in output
    assert "0201000 G0" in output
    assert "0201011 G11" not in output
    assert "… i 2 więcej" in output
