"""Postgres refuses UPDATE and DELETE on the audit history, whoever asks.

One change is let through: when a user account is deleted, its entries keep their
``actor_email`` and only ``actor_id`` is set to NULL (the foreign key's SET_NULL).
On SQLite (quick local runs) nothing enforces it.
"""

from django.db import migrations

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_history_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit history is append-only: %% on %% refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(
        "CREATE TRIGGER auditlog_logentry_append_only BEFORE UPDATE OR DELETE "
        "ON auditlog_logentry FOR EACH ROW EXECUTE FUNCTION audit_refuse_history_change();"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS auditlog_logentry_append_only ON auditlog_logentry;"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_refuse_history_change();")


class Migration(migrations.Migration):
    dependencies = [("auditlog", "0017_add_actor_email")]

    operations = [migrations.RunPython(forwards, backwards)]
