"""Postgres refuses TRUNCATE on this app's append-only tables (core/append_only.py)."""

from django.db import migrations

from core.append_only import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_figure_change_triggers")]

    operations = [refuse_truncate("reports_report")]
