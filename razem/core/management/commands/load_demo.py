from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from razem.core import demo
from razem.core.actions import log_action
from razem.core.models import LegalForm, Membership, Partnership, User
from razem.indicators.importing import import_paths
from razem.indicators.models import Observation
from razem.portrait.actions import create_conclusion, set_published
from razem.territory.models import Unit, UnitKind

TERC = "teryt/TERC_2020-01-01.csv"
BDL_EXPORTS = "bdl/exports"
BOUNDARIES = ["boundaries/gminy_2018_wgs84.geojson", "boundaries/partnership_16_units_wgs84.geojson"]
PARTNERSHIPS = [
    {
        "slug": "razem-dla-rozwoju",
        "name": "Partnerstwo „Razem dla Rozwoju”",
        "legal_form": LegalForm.AGREEMENT,
        "description": (
            "Powiat łosicki i 15 gmin z powiatów łosickiego, siedleckiego i sokołowskiego "
            "(województwo mazowieckie) planują wspólnie rozwój na lata 2021-2027, "
            "z doradztwem Związku Miast Polskich."
        ),
        "units": demo.RAZEM_DLA_ROZWOJU,
        "leader": "1410",
    },
    {
        "slug": "ziemia-wegrowska",
        "name": "Partnerstwo Ziemi Węgrowskiej (demonstracyjne)",
        "legal_form": LegalForm.AGREEMENT,
        "description": "Partnerstwo wymyślone na potrzeby demonstracji: powiat węgrowski i jego gminy.",
        "units": demo.ZIEMIA_WEGROWSKA,
        "leader": "1433",
    },
]


# Written by the demo coordinator; they cite indicators so readers can check them.
DEMO_CONCLUSIONS = [
    ("strength", "environmental_spatial",
     "Niemal wszyscy mieszkańcy korzystają z sieci wodociągowej; to dobra podstawa do "
     "wspólnych inwestycji w kanalizację.", ["water_supply_share"]),
    ("weakness", "social",
     "Liczba mieszkańców spada, a udział osób w wieku poprodukcyjnym rośnie szybciej niż w "
     "podobnych gminach wiejskich.", ["population_change", "old_age_dependency"]),
    ("weakness", "environmental_spatial",
     "Sieć gazowa i kanalizacyjna obejmuje niewielką część mieszkańców.",
     ["gas_share", "sewage_share"]),
    ("challenge", "economic",
     "Zatrzymać odpływ młodych mieszkańców: miejsca pracy poza rolnictwem i lepszy dojazd "
     "do Siedlec i Białej Podlaskiej.", ["net_migration_per_1000", "unemployment_rate"]),
]


class Command(BaseCommand):
    help = "Loads the demo partnerships and users (idempotent; real data where the pack is found)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--data-dir", type=Path, default=settings.RAZEM_DATA_DIR)
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "razem-demo-2026"))

    def handle(self, *args, data_dir: Path, password: str, **options) -> None:
        self._import_data_pack(data_dir)
        with transaction.atomic():
            self._ensure_demo_units()
            for spec in PARTNERSHIPS:
                self._ensure_partnership(spec)
            self._ensure_users(password)
            self._ensure_surveys()
            self._ensure_consultations()
            if Observation.objects.exists():
                self._ensure_portrait()
            # After the portrait: the strategy's goals cite its conclusions.
            self._ensure_strategy()
        self._print_logins(password)

    def _import_data_pack(self, data_dir: Path) -> None:
        terc = data_dir / TERC
        if terc.exists():
            call_command("import_teryt", str(terc), stdout=self.stdout)
        else:
            self.stdout.write(self.style.WARNING(
                f"Brak rejestru TERYT ({terc}): wczytuję tylko jednostki demonstracyjne. "
                "Ustaw RAZEM_DATA_DIR na katalog pakietu danych, aby wczytać cały rejestr."
            ))
        missing = [name for name in BOUNDARIES if not (data_dir / name).exists()]
        for name in BOUNDARIES:
            if (data_dir / name).exists():
                call_command("import_boundaries", str(data_dir / name), stdout=self.stdout)
        if missing:
            self.stdout.write(self.style.WARNING(
                "Brak plików granic: " + ", ".join(missing) + ". Mapa partnerstwa będzie pusta."
            ))
        exports = data_dir / BDL_EXPORTS
        if terc.exists() and exports.is_dir():
            # Imported before the partnerships exist, so only the statistics are loaded here;
            # a re-run finds every value unchanged and writes nothing.
            runs = import_paths([exports])
            changed = sum(run.created + run.updated for run in runs)
            self.stdout.write(f"Dane GUS BDL: {len(runs)} plików, nowych lub zmienionych wartości: "
                              f"{changed}.")
        else:
            self.stdout.write(self.style.WARNING(
                f"Brak eksportów GUS BDL ({exports}): portret partnerstwa będzie bez danych."
            ))

    def _ensure_demo_units(self) -> None:
        voivodeship, _ = Unit.objects.get_or_create(
            teryt=demo.VOIVODESHIP.teryt,
            defaults={"name": demo.VOIVODESHIP.name, "kind": UnitKind.VOIVODESHIP},
        )
        for powiat in demo.POWIATS:
            Unit.objects.get_or_create(teryt=powiat.teryt, defaults={
                "name": powiat.name, "kind": UnitKind.POWIAT, "parent": voivodeship,
            })
        for spec in demo.RAZEM_DLA_ROZWOJU + demo.ZIEMIA_WEGROWSKA:
            if spec.kind == UnitKind.GMINA:
                Unit.objects.get_or_create(teryt=spec.teryt, defaults={
                    "name": spec.name, "kind": UnitKind.GMINA, "gmina_type": spec.gmina_type,
                    "parent": Unit.objects.get(teryt=spec.teryt[:4]),
                })

    def _ensure_partnership(self, spec: dict) -> Partnership:
        partnership, created = Partnership.objects.get_or_create(slug=spec["slug"], defaults={
            "name": spec["name"], "legal_form": spec["legal_form"],
            "description": spec["description"],
            "leader_unit": Unit.objects.get(teryt=spec["leader"]),
        })
        if created:
            partnership.units.set(Unit.objects.filter(teryt__in=[u.teryt for u in spec["units"]]))
            log_action(actor=None, partnership=partnership, action="partnership.created",
                       obj=partnership, changes={"name": [None, partnership.name]})
            self.stdout.write(f"Utworzono partnerstwo: {partnership.name}")
        return partnership

    def _ensure_users(self, password: str) -> None:
        for spec in demo.DEMO_USERS:
            user = User.objects.filter(email=spec.email).first()
            if user is None:
                user = User.objects.create_user(spec.email, password, full_name=spec.full_name)
            partnership = Partnership.objects.get(slug=spec.partnership)
            Membership.objects.get_or_create(user=user, partnership=partnership, defaults={
                "role": spec.role,
                "unit": Unit.objects.get(teryt=spec.unit) if spec.unit else None,
            })

    def _ensure_surveys(self) -> None:
        """The four template surveys of the demo, one closed with published results."""
        from razem.surveys.demo import ensure_demo_surveys

        ensure_demo_surveys(Partnership.objects.get(slug="razem-dla-rozwoju"),
                            User.objects.get(email="koordynator@razem.demo"))

    def _ensure_consultations(self) -> None:
        """A concluded consultation of the diagnosis draft (report public) and an open one."""
        from razem.consultations.demo import ensure_consultations

        ensure_consultations(Partnership.objects.get(slug="razem-dla-rozwoju"),
                             User.objects.get(email="koordynator@razem.demo"),
                             User.objects.get(email="urzednik.losice@razem.demo"))

    def _ensure_strategy(self) -> None:
        """A published strategy draft with goals, results, a dozen ranked project cards and
        an advisor's opinion."""
        from razem.strategy.demo import ensure_strategy

        ensure_strategy(Partnership.objects.get(slug="razem-dla-rozwoju"),
                        User.objects.get(email="koordynator@razem.demo"),
                        User.objects.get(email="urzednik.losice@razem.demo"),
                        User.objects.get(email="doradca@razem.demo"))

    def _ensure_portrait(self) -> None:
        """Publish the demo portrait with a first set of conclusions (once)."""
        partnership = Partnership.objects.get(slug="razem-dla-rozwoju")
        coordinator = User.objects.get(email="koordynator@razem.demo")
        if not partnership.diagnosis_conclusions.exists():
            for kind, dimension, text, codes in DEMO_CONCLUSIONS:
                create_conclusion(partnership=partnership, by=coordinator, kind=kind,
                                  dimension=dimension, text=text, indicator_codes=codes)
        set_published(partnership=partnership, by=coordinator, published=True)

    def _print_logins(self, password: str) -> None:
        self.stdout.write(self.style.SUCCESS("\nKonta demonstracyjne (hasło: %s):" % password))
        for spec in demo.DEMO_USERS:
            self.stdout.write(f"  {spec.email:32} {spec.role:12} {spec.partnership}")
        self.stdout.write("\nPartnerstwo: http://127.0.0.1:%s/p/razem-dla-rozwoju/\n"
                          % os.environ.get("PORT", "8000"))
