from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Station network")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.log_masking import install

        from .signals import restore_role_grants

        install()
        post_migrate.connect(restore_role_grants, dispatch_uid="stations.restore_role_grants")
