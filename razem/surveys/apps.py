from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "razem.surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from razem.surveys.reports import register_report

        register_report()
