"""Postgres refuses any UPDATE or DELETE of a published report, whoever asks.

A correction is a new row (the next version). On SQLite (quick local runs) the model's guard
applies.
"""

from django.db import migrations

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION reports_refuse_published_change() RETURNS trigger AS $$
BEGIN
    IF OLD.published_at IS NOT NULL THEN
        RAISE EXCEPTION 'report %% is published: %% refused; publish a correction instead',
            OLD.id, TG_OP
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(
        "CREATE TRIGGER reports_report_published_immutable BEFORE UPDATE OR DELETE "
        "ON reports_report FOR EACH ROW EXECUTE FUNCTION reports_refuse_published_change();"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS reports_report_published_immutable ON reports_report;"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS reports_refuse_published_change();")


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
