from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations import backups


class Command(BaseCommand):
    help = (
        "Back up the database with pg_dump (custom format) and write the figures a restore "
        "must reproduce next to it (<file>.summary.json). See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the dump (default: BACKUP_DIR/shegong-<date>-<time>.dump).",
        )

    def handle(self, *args, output: Path | None = None, **options):
        output = output or backups.default_backup_path()
        try:
            summary = backups.backup(output=output, params=backups.params_from_settings())
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"backup written: {output} ({output.stat().st_size} bytes, "
            f"{len(summary['tables'])} tables)\n"
            f"summary: {backups.summary_path(output)}"
        )
