"""`manage.py import_bdl_csv PATH...`: import GUS BDL web exports ("Tablica" CSV)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from razem.indicators.bdl_csv import BdlCsvError, check_dataset
from razem.indicators.importing import BdlFilesError, expand_paths, import_paths

UNMATCHED_SHOWN = 10


class Command(BaseCommand):
    help = (
        "Importuje eksporty „Tablica” z Banku Danych Lokalnych GUS (CSV rozdzielany "
        "średnikami). Katalog oznacza wszystkie pliki *.csv w nim. Najpierw sprawdzane są "
        "wszystkie pliki; błąd w którymkolwiek przerywa import bez zapisywania czegokolwiek."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="pliki CSV lub katalogi z nimi")
        parser.add_argument(
            "--dataset",
            help="nazwa zbioru danych (pierwsza część kodu zmiennej) dla wszystkich plików; "
                 "domyślnie nazwa pliku bez sufiksu z latami",
        )
        parser.add_argument("--no-progress", action="store_true",
                            help="bez paska postępu (domyślnie tylko w terminalu)")

    def handle(self, *args: Any, **options: Any) -> None:
        dataset: str | None = options["dataset"]
        if dataset is not None:
            try:
                check_dataset(dataset)
            except BdlCsvError as error:
                raise CommandError(error.message) from None
        paths: list[Path] = options["paths"]
        missing = [path for path in paths if not path.exists()]
        if missing:
            raise CommandError(_("File or directory not found: %(paths)s")
                               % {"paths": ", ".join(map(str, missing))})
        if not expand_paths(paths):
            raise CommandError(_("No CSV files to import."))
        stream = getattr(self.stderr, "_out", sys.stderr)
        show_progress = not options["no_progress"] and stream.isatty()
        try:
            runs = import_paths(paths, dataset=dataset,
                                progress_file=stream if show_progress else None)
        except BdlFilesError as error:
            lines = [_("Nothing was imported. Fix the files and run the import again:")]
            lines += [f"{path}: {failure.message}" for path, failure in error.failures]
            raise CommandError("\n".join(lines)) from None
        for run in runs:
            self._summary(run)

    def _summary(self, run) -> None:
        self.stdout.write(self.style.SUCCESS(
            _("%(file)s: created %(created)d, updated %(updated)d, unchanged %(unchanged)d, "
              "unmatched units %(unmatched)d (%(seconds).1f s).") % {
                "file": run.file_name, "created": run.created, "updated": run.updated,
                "unchanged": run.unchanged, "unmatched": len(run.unmatched),
                "seconds": getattr(run, "seconds", 0.0),
            }
        ))
        renumbered = getattr(run, "renumbered", [])
        if renumbered:
            self.stdout.write(
                _("  Matched by the gmina number (the type digit has changed): %(codes)s")
                % {"codes": ", ".join(f"{old} → {new}" for old, new in renumbered[:UNMATCHED_SHOWN])
                   + (", …" if len(renumbered) > UNMATCHED_SHOWN else "")}
            )
        if run.unmatched:
            self.stdout.write(_("  Not matched to any unit:"))
            for line in run.unmatched[:UNMATCHED_SHOWN]:
                self.stdout.write(f"    {line}")
            if len(run.unmatched) > UNMATCHED_SHOWN:
                self.stdout.write(_("    … and %(count)d more")
                                  % {"count": len(run.unmatched) - UNMATCHED_SHOWN})
