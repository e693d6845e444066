from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and disclosure")

    def ready(self) -> None:
        # The report kinds register themselves in the registry when their modules load.
        from . import registry

        registry.load_kind_modules()
