"""Postgres refuses TRUNCATE on this app's append-only tables (core/append_only.py)."""

from django.db import migrations

from core.append_only import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("funds", "0006_rollups")]

    operations = [refuse_truncate("funds_ledgerentry", "funds_attribution")]
