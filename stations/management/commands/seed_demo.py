from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Load demo data (stations, staff, and each app's own demo data). "
        "Idempotent: running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off (never on a real deployment: demo passwords).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates users with a known password; it runs only with DEBUG on "
                "(or --force on a throwaway database)."
            )
        logins: list[tuple[str, str]] = []
        with transaction.atomic():
            # Each app may ship a demo module; apps are seeded in INSTALLED_APPS order, which
            # follows the dependency order (stations before projects before funds ...).
            for app_config in apps.get_app_configs():
                try:
                    demo = import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app_config.name}.demo":
                        raise
                    continue
                logins += demo.seed(lambda line: self.stdout.write(f"  {line}")) or []

        from stations.demo import DEMO_PASSWORD

        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):")
        )
        for username, description in logins:
            self.stdout.write(f"  {username:<14} {description}")
