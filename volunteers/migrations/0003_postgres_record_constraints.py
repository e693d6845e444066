"""Constraints only PostgreSQL can express; on other databases the services' checks stand alone.

- One volunteer's service records (except rejected ones) never overlap in time: an exclusion
  constraint over the time range (needs btree_gist for the equality on volunteer_id).
- A record spans at most 24 hours and its hours fit between its start and end, so travel
  time cannot be added on top.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE volunteers_servicerecord ADD CONSTRAINT service_record_no_overlap
       EXCLUDE USING gist (volunteer_id WITH =, tstzrange(started_at, ended_at, '[)') WITH &&)
       WHERE (status <> 'rejected')""",
    """ALTER TABLE volunteers_servicerecord ADD CONSTRAINT service_record_at_most_a_day
       CHECK (ended_at - started_at <= interval '24 hours')""",
    """ALTER TABLE volunteers_servicerecord ADD CONSTRAINT service_record_hours_fit_span
       CHECK (hours * interval '1 hour' <= ended_at - started_at + interval '36 seconds')""",
]
BACKWARD = [
    "ALTER TABLE volunteers_servicerecord DROP CONSTRAINT IF EXISTS service_record_hours_fit_span",
    "ALTER TABLE volunteers_servicerecord DROP CONSTRAINT IF EXISTS service_record_at_most_a_day",
    "ALTER TABLE volunteers_servicerecord DROP CONSTRAINT IF EXISTS service_record_no_overlap",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0002_role_permissions")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
