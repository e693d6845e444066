from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit history")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import registry, signals  # noqa: F401  (registers the models and receivers)
