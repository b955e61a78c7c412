"""TERC import: the real register, re-imports, and every kind of rejected file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from razem.core.models import Partnership
from razem.territory.importers import ImportFileError, import_teryt
from razem.territory.models import GminaType, Unit
from razem.territory.tests.conftest import LOSICE_ROWS

pytestmark = pytest.mark.django_db

WriteTerc = Callable[..., Path]


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_real_terc_creates_16_voivodeships_380_powiats_and_2477_gminas(terc_path: Path) -> None:
    report = import_teryt(terc_path)

    assert Unit.objects.voivodeships().count() == 16
    assert Unit.objects.powiats().count() == 380
    assert Unit.objects.gminas().count() == 2477
    assert report.created == 16 + 380 + 2477
    assert report.unmatched == []


def test_real_terc_marks_66_cities_with_powiat_rights(real_terc: None) -> None:
    cities = Unit.objects.powiats().filter(is_city_with_powiat_rights=True)

    assert cities.count() == 66
    assert cities.filter(teryt="1465", name="Warszawa").exists()


def test_real_terc_skips_parts_of_gminas_districts_and_delegations(terc_path: Path) -> None:
    report = import_teryt(terc_path)

    # 642 towns + 642 rural areas of urban-rural gminas, 18 Warsaw districts, 19 delegations.
    assert report.skipped == 642 + 642 + 18 + 19


def test_real_terc_links_gminas_to_powiats_and_powiats_to_voivodeships(real_terc: None) -> None:
    losice = Unit.objects.get(teryt="1410023")

    assert losice.name == "Łosice"
    assert losice.gmina_type == GminaType.URBAN_RURAL
    assert losice.parent.teryt == "1410"
    assert losice.parent.parent.name == "MAZOWIECKIE"


def test_reimporting_the_real_terc_reports_all_unchanged_and_writes_nothing(
    real_terc: None, terc_path: Path
) -> None:
    with CaptureQueriesContext(connection) as queries:
        report = import_teryt(terc_path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2873)
    assert _writes(queries) == []


def test_changed_name_is_updated_on_reimport(write_terc: WriteTerc) -> None:
    import_teryt(write_terc(LOSICE_ROWS))
    renamed = [row.replace("Huszlew;", "Huszlew Nowy;") for row in LOSICE_ROWS]

    report = import_teryt(write_terc(renamed, name="renamed.csv"))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert Unit.objects.get(teryt="1410012").name == "Huszlew Nowy"


def test_bom_and_crlf_line_endings_are_accepted(write_terc: WriteTerc) -> None:
    path = write_terc(LOSICE_ROWS, encoding="utf-8-sig", newline="\r\n")

    report = import_teryt(path)

    assert report.created == 4
    assert Unit.objects.get(teryt="14").name == "MAZOWIECKIE"


def test_gmina_whose_powiat_is_missing_is_reported_unmatched_and_not_created(
    write_terc: WriteTerc,
) -> None:
    rows = [*LOSICE_ROWS, "14;99;01;2;Nigdzie;gmina wiejska;2020-01-01"]

    report = import_teryt(write_terc(rows))

    assert len(report.unmatched) == 1
    assert report.unmatched[0].startswith("1499012 Nigdzie")
    assert "1499" in report.unmatched[0]
    assert not Unit.objects.filter(teryt="1499012").exists()


def test_row_with_too_few_fields_is_rejected_and_nothing_is_written(write_terc: WriteTerc) -> None:
    path = write_terc([*LOSICE_ROWS, "14;10;03;2;Olszanka"])

    with pytest.raises(ImportFileError, match=r"Wiersz 8: .*ucięty") as error:
        import_teryt(path)

    assert error.value.line == 8
    assert Unit.objects.count() == 0


def test_row_cut_in_the_middle_of_the_date_is_rejected(write_terc: WriteTerc) -> None:
    path = write_terc([*LOSICE_ROWS, "14;10;03;2;Olszanka;gmina wiejska;2020-0"])

    with pytest.raises(ImportFileError, match=r"Wiersz 8, kolumna STAN_NA"):
        import_teryt(path)

    assert Unit.objects.count() == 0


def test_file_cut_inside_a_multibyte_character_is_reported_as_incomplete(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes("WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n14;10;02;3;Ł".encode()[:-1])

    with pytest.raises(ImportFileError, match=r"Wiersz 2: .*niekompletny"):
        import_teryt(path)


def test_file_with_only_the_header_is_rejected(write_terc: WriteTerc) -> None:
    with pytest.raises(ImportFileError, match="nie zawiera żadnych jednostek"):
        import_teryt(write_terc([]))


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(ImportFileError, match="pusty"):
        import_teryt(path)


def test_comma_separated_file_is_rejected_naming_the_delimiter(write_terc: WriteTerc) -> None:
    rows = [row.replace(";", ",") for row in LOSICE_ROWS]
    path = write_terc(rows, header="WOJ,POW,GMI,RODZ,NAZWA,NAZWA_DOD,STAN_NA")

    with pytest.raises(ImportFileError, match=r"Wiersz 1: .*','.* zamiast średnika"):
        import_teryt(path)

    assert Unit.objects.count() == 0


def test_unexpected_header_is_rejected(write_terc: WriteTerc) -> None:
    path = write_terc(LOSICE_ROWS, header="KOD;NAZWA;TYP")

    with pytest.raises(ImportFileError, match=r"Wiersz 1: nieoczekiwany nagłówek"):
        import_teryt(path)


def test_cp1250_copy_of_the_real_file_is_rejected_naming_the_line(
    terc_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "terc_cp1250.csv"
    copy.write_bytes(terc_path.read_text(encoding="utf-8").encode("cp1250"))

    # Line 2 is "02;;;;DOLNOŚLĄSKIE;…", the first with a Polish letter.
    with pytest.raises(ImportFileError, match=r"Wiersz 2: .*UTF-8") as error:
        import_teryt(copy)

    assert error.value.line == 2
    assert Unit.objects.count() == 0


def test_non_digit_code_is_rejected_naming_line_and_column(write_terc: WriteTerc) -> None:
    path = write_terc([*LOSICE_ROWS, "14;10;O3;2;Olszanka;gmina wiejska;2020-01-01"])

    with pytest.raises(ImportFileError, match=r"Wiersz 8, kolumna GMI: niepoprawny kod") as error:
        import_teryt(path)

    assert (error.value.line, error.value.column) == (8, "GMI")
    assert Unit.objects.count() == 0


def test_code_of_wrong_length_is_rejected(write_terc: WriteTerc) -> None:
    path = write_terc(["140;;;;MAZOWIECKIE;województwo;2020-01-01"])

    with pytest.raises(ImportFileError, match=r"Wiersz 2, kolumna WOJ: .*2 cyfr"):
        import_teryt(path)


def test_gmina_code_without_rodz_is_rejected(write_terc: WriteTerc) -> None:
    path = write_terc([*LOSICE_ROWS[:2], "14;10;01;;Huszlew;gmina wiejska;2020-01-01"])

    with pytest.raises(ImportFileError, match=r"Wiersz 4, kolumna RODZ: brak kodu"):
        import_teryt(path)


def test_unknown_rodz_is_rejected(write_terc: WriteTerc) -> None:
    path = write_terc([*LOSICE_ROWS[:2], "14;10;01;7;Huszlew;gmina wiejska;2020-01-01"])

    with pytest.raises(ImportFileError, match=r"Wiersz 4, kolumna RODZ: nieznany rodzaj"):
        import_teryt(path)


def test_duplicate_code_is_rejected_naming_both_lines(write_terc: WriteTerc) -> None:
    path = write_terc([*LOSICE_ROWS, LOSICE_ROWS[2]])

    with pytest.raises(ImportFileError, match=r"Wiersz 8: .*1410012.*wierszu 4"):
        import_teryt(path)


def test_rejected_file_leaves_previously_imported_units_untouched(write_terc: WriteTerc) -> None:
    import_teryt(write_terc(LOSICE_ROWS))
    renamed_then_cut = [LOSICE_ROWS[0].replace("MAZOWIECKIE", "INNE"), *LOSICE_ROWS[1:], "14;1"]

    with pytest.raises(ImportFileError):
        import_teryt(write_terc(renamed_then_cut, name="bad.csv"))

    assert Unit.objects.get(teryt="14").name == "MAZOWIECKIE"
    assert Unit.objects.count() == 4


def test_missing_file_is_rejected_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="Nie znaleziono pliku .*brak.csv"):
        import_teryt(tmp_path / "brak.csv")


def test_import_that_changes_units_bumps_partnership_updated_at(write_terc: WriteTerc) -> None:
    partnership = Partnership.objects.create(name="P", slug="p", legal_form="agreement")
    before = partnership.updated_at

    import_teryt(write_terc(LOSICE_ROWS))

    partnership.refresh_from_db()
    assert partnership.updated_at > before


def test_import_that_changes_nothing_keeps_partnership_updated_at(write_terc: WriteTerc) -> None:
    path = write_terc(LOSICE_ROWS)
    import_teryt(path)
    partnership = Partnership.objects.create(name="P", slug="p", legal_form="agreement")
    before = partnership.updated_at

    import_teryt(path)

    partnership.refresh_from_db()
    assert partnership.updated_at == before


def test_summary_is_a_polish_sentence_with_all_counts(write_terc: WriteTerc) -> None:
    report = import_teryt(write_terc(LOSICE_ROWS))

    assert report.summary() == (
        "Import zakończony: utworzono 4, zaktualizowano 0, bez zmian 0, pominięto 2, "
        "niedopasowanych 0."
    )
