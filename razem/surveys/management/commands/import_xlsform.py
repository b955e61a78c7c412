"""`manage.py import_xlsform SLUG PATH`: create a survey of a partnership from an XLSForm."""

from __future__ import annotations

from argparse import ArgumentTypeError
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_slug
from django.utils import timezone
from django.utils.translation import gettext as _

from razem.core.models import Partnership
from razem.surveys import actions, qr, questionnaires
from razem.surveys.forms import DEFAULT_OPEN_DAYS, suggest_slug
from razem.surveys.models import Audience
from razem.surveys.xlsform import MAX_BYTES, XlsFormError, read_xlsform


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(_("“%(value)s” is not a date in the form YYYY-MM-DD.")
                                % {"value": value}) from None


class Command(BaseCommand):
    help = (
        "Tworzy ankietę partnerstwa z pliku XLSForm (.xlsx, arkusze survey, choices i "
        "settings). Gdy plik ma błędy, nic nie jest zapisywane, a wszystkie błędy są "
        "wypisywane z nazwą arkusza, numerem wiersza i kolumną."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="krótka nazwa partnerstwa (z adresu /p/<slug>/)")
        parser.add_argument("path", type=Path, help="plik XLSForm (.xlsx)")
        parser.add_argument("--audience", choices=Audience.values, default=Audience.RESIDENT,
                            help="adresaci ankiety (domyślnie resident)")
        parser.add_argument("--survey-slug",
                            help="krótka nazwa ankiety w adresie /p/<slug>/s/<nazwa>/; "
                                 "domyślnie z form_id lub nazwy pliku")
        parser.add_argument("--title", help="tytuł; domyślnie form_title z arkusza settings")
        parser.add_argument("--opens", type=_date, help="otwarta od (RRRR-MM-DD; domyślnie dziś)")
        parser.add_argument("--closes", type=_date,
                            help=f"otwarta do (RRRR-MM-DD; domyślnie {DEFAULT_OPEN_DAYS} dni "
                                 "od otwarcia)")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(slug=options["slug"]).first()
        if partnership is None:
            raise CommandError(_("There is no partnership with the short name “%(slug)s”.")
                               % {"slug": options["slug"]})
        path: Path = options["path"]
        opens_on = options["opens"] or timezone.localdate()
        closes_on = options["closes"] or opens_on + timedelta(days=DEFAULT_OPEN_DAYS)
        if closes_on < opens_on:
            raise CommandError(_("The closing date cannot be earlier than the opening date."))
        definition = self._definition(path)
        survey_slug = options["survey_slug"] or suggest_slug(definition.settings.form_id
                                                             or path.stem)
        self._check_slug(partnership, survey_slug)
        title = options["title"] or definition.title.pl or definition.title.en or path.stem
        survey = actions.import_survey(
            partnership=partnership, by=None, definition=definition,
            audience=options["audience"], slug=survey_slug, title=title[:200],
            opens_on=opens_on, closes_on=closes_on,
            gdpr_clause=questionnaires.default_gdpr_clause(partnership),
        )
        self.stdout.write(self.style.SUCCESS(
            _("Created the survey “%(title)s” (id %(id)s) of %(partnership)s with %(count)s "
              "questions, open from %(opens)s to %(closes)s.") % {
                "title": survey.title, "id": survey.pk, "partnership": partnership.name,
                "count": len(definition.questions), "opens": opens_on.isoformat(),
                "closes": closes_on.isoformat(),
            }
        ))
        self.stdout.write(_("Public address: %(url)s") % {"url": qr.public_url(survey)})
        self.stdout.write(_("Check the GDPR information clause on the survey's settings page "
                            "before sharing the address."))

    def _read(self, path: Path) -> bytes:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(_("The file is larger than %(mb)s MB.")
                                   % {"mb": MAX_BYTES // (1024 * 1024)})
            return path.read_bytes()
        except OSError as error:
            raise CommandError(_("The file %(path)s cannot be read: %(error)s")
                               % {"path": path, "error": error.strerror or error}) from None

    def _definition(self, path: Path):
        try:
            return read_xlsform(self._read(path))
        except XlsFormError as error:
            lines = [_("Nothing was imported. Correct the file and run the import again:")]
            lines += [f"  {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from None

    def _check_slug(self, partnership: Partnership, survey_slug: str) -> None:
        try:
            validate_slug(survey_slug)
            if len(survey_slug) > 60:
                raise ValidationError("too long")
        except ValidationError:
            raise CommandError(_("“%(slug)s” cannot be a survey's short name: use up to 60 "
                                 "lower-case letters without Polish characters, digits and "
                                 "hyphens (--survey-slug).") % {"slug": survey_slug}) from None
        if partnership.surveys.filter(slug=survey_slug).exists():
            raise CommandError(_("The partnership already has a survey with the short name "
                                 "“%(slug)s”; choose another with --survey-slug.")
                               % {"slug": survey_slug})
