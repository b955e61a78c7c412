from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "razem.strategy"
    verbose_name = _("Strategy and key projects")

    def ready(self) -> None:
        from razem.strategy.document import register_report

        register_report()
