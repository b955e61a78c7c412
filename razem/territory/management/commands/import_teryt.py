"""`manage.py import_teryt PATH`: load voivodeships, powiats and gminas from a TERC file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from razem.territory.importers import ImportFileError, ImportReport, import_teryt


class Command(BaseCommand):
    help = "Importuje jednostki z pliku TERC rejestru TERYT (CSV rozdzielany średnikami, UTF-8)."
    # import_boundaries reuses this command with its own importer.
    importer: Callable[[Path], ImportReport] = staticmethod(import_teryt)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help=_("ścieżka do pliku"))

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            report = self.importer(path)
        except ImportFileError as error:
            raise CommandError(_("%(path)s: %(error)s") % {"path": path, "error": error}) from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
        if report.unmatched:
            self.stdout.write(_("Niedopasowane:"))
            for line in report.unmatched_preview():
                self.stdout.write(f"  {line}")
