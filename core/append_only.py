"""``TRUNCATE`` refused on the append-only tables, in Postgres, whoever asks.

The row triggers of each app refuse ``UPDATE`` and ``DELETE``; ``TRUNCATE`` fires no row
trigger, so a statement-level trigger refuses it. The only way through is a transaction that
says it means it (``SET LOCAL platform.allow_truncate = 'on'``): the test suite's flush between
transactional tests does, nothing in the platform does.

Use in a migration: ``operations = [refuse_truncate("funds_ledgerentry", ...)]``.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION platform_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('platform.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '%% is append-only: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""

ALLOW = "SET LOCAL platform.allow_truncate = 'on'"


def _trigger(table: str) -> str:
    return f"{table}_no_truncate"


def refuse_truncate(*tables: str) -> migrations.RunPython:
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(FUNCTION)
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER {_trigger(table)} BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION platform_refuse_truncate();"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table};")

    return migrations.RunPython(forwards, backwards)
