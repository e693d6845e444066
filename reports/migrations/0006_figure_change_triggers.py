"""Postgres triggers that record every change to a counted donation or service figure in
``reports_figurechange`` (see ``reports.models.FigureChange`` and ``reports/rollups.py``).

A row "counts" when it is a confirmed donation (at ``confirmed_at``), a refunded donation (at
``refunded_at``) or verified service (at ``started_at``). On every insert, update or delete
the trigger takes back what the old row counted and adds what the new row counts, unless
nothing that matters changed. The trigger runs after the row was written, so the writing
transaction already has its id when the change row takes its number: the roll-up's cursor
relies on that (``funds.rollups``). On SQLite nothing is installed: readers use raw rows.
"""

from django.db import migrations

DONATION_FUNCTION = """
CREATE OR REPLACE FUNCTION reports_donation_figures() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.status, OLD.fund_id, OLD.channel, OLD.amount,
                             OLD.confirmed_at, OLD.refunded_at)
            IS NOT DISTINCT FROM (NEW.status, NEW.fund_id, NEW.channel, NEW.amount,
                                  NEW.confirmed_at, NEW.refunded_at) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF OLD.status = 'confirmed' AND OLD.confirmed_at IS NOT NULL THEN
            INSERT INTO reports_figurechange (figure, fund_id, channel, at, count, amount)
            VALUES ('donation', OLD.fund_id, OLD.channel, OLD.confirmed_at, -1, -OLD.amount);
        ELSIF OLD.status = 'refunded' AND OLD.refunded_at IS NOT NULL THEN
            INSERT INTO reports_figurechange (figure, fund_id, channel, at, count, amount)
            VALUES ('refund', OLD.fund_id, OLD.channel, OLD.refunded_at, -1, -OLD.amount);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.status = 'confirmed' AND NEW.confirmed_at IS NOT NULL THEN
            INSERT INTO reports_figurechange (figure, fund_id, channel, at, count, amount)
            VALUES ('donation', NEW.fund_id, NEW.channel, NEW.confirmed_at, 1, NEW.amount);
        ELSIF NEW.status = 'refunded' AND NEW.refunded_at IS NOT NULL THEN
            INSERT INTO reports_figurechange (figure, fund_id, channel, at, count, amount)
            VALUES ('refund', NEW.fund_id, NEW.channel, NEW.refunded_at, 1, NEW.amount);
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

SERVICE_FUNCTION = """
CREATE OR REPLACE FUNCTION reports_service_figures() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.status, OLD.station_id, OLD.hours, OLD.started_at)
            IS NOT DISTINCT FROM (NEW.status, NEW.station_id, NEW.hours, NEW.started_at) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'verified' THEN
        INSERT INTO reports_figurechange (figure, station_id, channel, at, count, amount)
        VALUES ('service', OLD.station_id, '', OLD.started_at, -1, -OLD.hours);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'verified' THEN
        INSERT INTO reports_figurechange (figure, station_id, channel, at, count, amount)
        VALUES ('service', NEW.station_id, '', NEW.started_at, 1, NEW.hours);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

FORWARD = [
    DONATION_FUNCTION,
    SERVICE_FUNCTION,
    "CREATE TRIGGER reports_donation_figures AFTER INSERT OR UPDATE OR DELETE "
    "ON donations_donation FOR EACH ROW EXECUTE FUNCTION reports_donation_figures()",
    "CREATE TRIGGER reports_service_figures AFTER INSERT OR UPDATE OR DELETE "
    "ON volunteers_servicerecord FOR EACH ROW EXECUTE FUNCTION reports_service_figures()",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS reports_service_figures ON volunteers_servicerecord",
    "DROP TRIGGER IF EXISTS reports_donation_figures ON donations_donation",
    "DROP FUNCTION IF EXISTS reports_service_figures()",
    "DROP FUNCTION IF EXISTS reports_donation_figures()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_rollups"),
        ("donations", "0004_goods_role_permissions"),
        ("volunteers", "0003_postgres_record_constraints"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
