from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "razem.consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from razem.consultations.reports import register_report

        register_report()
