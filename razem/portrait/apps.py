from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortraitConfig(AppConfig):
    name = "razem.portrait"
    verbose_name = _("Partnership portrait")

    def ready(self) -> None:
        from razem.portrait.reports import register_report

        register_report()
