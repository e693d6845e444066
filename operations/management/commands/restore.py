from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an EMPTY PostgreSQL database with pg_restore, "
        "then check its ledger totals, receipt numbers and service hours against the backup's "
        "summary. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="The .dump file written by `backup`.")
        parser.add_argument(
            "--into",
            metavar="DATABASE_URL",
            help="postgres://user:password@host:port/name of the empty database "
            "(default: the configured DATABASE_URL).",
        )

    def handle(self, *args, dump: Path, into: str | None = None, **options):
        try:
            params = backups.params_from_url(into) if into else backups.params_from_settings()
            summary = backups.restore(dump=dump, params=params)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        checked = backups.summary_path(dump).is_file()
        self.stdout.write(
            f"restored {dump} into {params['dbname']}: {len(summary['tables'])} tables; "
            + (
                "ledger totals, receipt numbers and service hours equal the backup's."
                if checked
                else f"no {backups.SUMMARY_SUFFIX} next to the dump: figures not compared."
            )
        )
