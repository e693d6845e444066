"""Postgres refuses TRUNCATE on this app's append-only tables (core/append_only.py)."""

from django.db import migrations

from core.append_only import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("donations", "0004_goods_role_permissions")]

    operations = [refuse_truncate("donations_receipt")]
