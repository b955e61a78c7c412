"""`manage.py sync_bdl --partnership SLUG [--variables ALIAS...] [--variable-id ID...] [--years 2016-2019]`.

Fetches catalogue variables from the GUS BDL API for every voivodeship, powiat and
gmina (the partnership's units, any comparison group and the aggregates alike),
storing only what changed since the last sync. Without --variables or
--variable-id: every catalogue alias that has a `bdl_id`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from razem.core.models import Partnership
from razem.indicators.bdl_api import (
    BdlApiError,
    BdlClient,
    VariableOutcome,
    parse_years,
    sync_variables,
    variable_code,
)
from razem.indicators.models import Observation


class Command(BaseCommand):
    help = "Synchronises catalogue variables from the GUS BDL API (incremental, rate-limited)."
    # Tests put a client on recorded responses here.
    client_factory: Callable[..., BdlClient] = staticmethod(BdlClient.from_settings)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", required=True, help="partnership slug")
        parser.add_argument("--variables", nargs="+", default=[], metavar="ALIAS",
                            help="catalogue aliases (default: all aliases with a bdl_id)")
        parser.add_argument("--variable-id", nargs="+", default=[], metavar="ID",
                            dest="variable_ids", help="BDL API variable ids")
        parser.add_argument("--years", help="e.g. 2019, 2016-2019 or 2016,2018 (default: all)")
        parser.add_argument("--max-wait", type=float, default=15 * 60, metavar="SECONDS",
                            help="stop instead of waiting longer than this for the rate limit")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["partnership"]
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            raise CommandError(_("There is no partnership with the short name “%(slug)s”.")
                               % {"slug": slug})
        try:
            years = parse_years(options["years"]) if options["years"] else None
        except ValueError as error:
            raise CommandError(str(error)) from None
        variable_ids = self._variable_ids(options["variables"], options["variable_ids"])

        client = self.client_factory(max_wait=options["max_wait"])
        if not client.registered:
            self.stdout.write(_("Anonymous access (no BDL_API_KEY): the lower rate limits apply."))
        try:
            with client:
                report = sync_variables(client=client, variable_ids=variable_ids, years=years,
                                        partnership=partnership, on_variable=self._print_outcome)
        except BdlApiError as error:
            raise CommandError(_("Sync stopped: %(error)s") % {"error": error}) from None

        self.stdout.write(self.style.SUCCESS(_(
            "BDL API sync finished: %(requests)d requests, created %(created)d, updated "
            "%(updated)d, unchanged %(unchanged)d, unmatched units %(unmatched)d."
        ) % {"requests": report.requests, "created": report.created, "updated": report.updated,
             "unchanged": report.unchanged, "unmatched": len(report.unmatched)}))
        if report.unmatched:
            self.stdout.write(_("Unmatched units:"))
            unmatched = sorted(report.unmatched)
            for line in unmatched[:10]:
                self.stdout.write(f"  {line}")
            if len(unmatched) > 10:
                self.stdout.write("  " + _("… and %(count)d more") % {"count": len(unmatched) - 10})
        self._warn_missing_members(partnership, variable_ids, years)

    def _variable_ids(self, aliases: list[str], ids: list[str]) -> list[str]:
        for variable_id in ids:
            if not variable_id.isascii() or not variable_id.isdigit():
                raise CommandError(_("A BDL variable id is a number, not “%(id)s”.")
                                   % {"id": variable_id})
        if aliases or not ids:
            ids = [*ids, *self._catalogue_ids(aliases)]
        if not ids:
            raise CommandError(_("Nothing to sync: give --variable-id or --variables, or add "
                                 "bdl_id to the catalogue aliases."))
        return list(dict.fromkeys(ids))

    def _catalogue_ids(self, aliases: list[str]) -> list[str]:
        from razem.indicators.catalogue import CatalogueError, load_catalogue

        try:
            known = load_catalogue().aliases
        except (CatalogueError, OSError) as error:
            raise CommandError(_("The indicator catalogue cannot be read: %(error)s")
                               % {"error": error}) from None
        if not aliases:
            return [alias.bdl_id for alias in known.values() if alias.bdl_id]
        unknown = [name for name in aliases if name not in known]
        if unknown:
            raise CommandError(_("Unknown catalogue aliases: %(aliases)s")
                               % {"aliases": ", ".join(unknown)})
        without_id = [name for name in aliases if not known[name].bdl_id]
        if without_id:
            raise CommandError(_("These catalogue aliases have no BDL API variable id: "
                                 "%(aliases)s") % {"aliases": ", ".join(without_id)})
        return [known[name].bdl_id for name in aliases]

    def _print_outcome(self, outcome: VariableOutcome) -> None:
        label = f"{outcome.code} {outcome.name}".strip()
        if outcome.skipped:
            self.stdout.write(_("%(variable)s: unchanged in BDL since the last sync, nothing "
                                "fetched.") % {"variable": label})
        else:
            self.stdout.write(_("%(variable)s: created %(created)d, updated %(updated)d, "
                                "unchanged %(unchanged)d.")
                              % {"variable": label, "created": outcome.created,
                                 "updated": outcome.updated, "unchanged": outcome.unchanged})

    def _warn_missing_members(self, partnership: Partnership, variable_ids: list[str],
                              years: list[int] | None) -> None:
        """Name member units that got no value at all: a unit the API numbers differently."""
        members = list(partnership.units.order_by("teryt"))
        for variable_id in variable_ids:
            found = Observation.objects.filter(variable__code=variable_code(variable_id),
                                               unit__in=members, value__isnull=False)
            if years:
                found = found.filter(year__in=years)
            have = set(found.values_list("unit_id", flat=True))
            missing = [unit.display_name for unit in members if unit.pk not in have]
            if missing:
                self.stdout.write(self.style.WARNING(_(
                    "Member units without any value of %(variable)s: %(units)s"
                ) % {"variable": variable_code(variable_id), "units": ", ".join(missing)}))
