"""Postgres refuses TRUNCATE on this app's append-only tables (core/append_only.py)."""

from django.db import migrations

from core.append_only import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_role_permissions")]

    operations = [refuse_truncate("auditlog_logentry")]
