"""Postgres triggers that refuse UPDATE and DELETE on a table, whoever asks (append-only).

Migrations that make a table append-only use this instead of writing the function and the
trigger out by hand::

    from config.triggers import append_only

    class Migration(migrations.Migration):
        operations = [
            append_only(
                "funds_grant",
                function="funds_refuse_grant_change",
                message="grants are append-only: % on % refused",
            )
        ]

The migrations written before this module (audit 0001, funds 0002, reports 0002) keep their
own SQL: an applied migration's text is its history, and they behave as this SQL does.
On SQLite (quick local runs) nothing is created; the models' own guards apply there.
"""

from dataclasses import dataclass

from django.db import migrations


@dataclass(frozen=True)
class TriggerSQL:
    """Statements for ``schema_editor.execute``: ``create`` installs, ``drop`` removes."""

    create: tuple[str, ...]
    drop: tuple[str, ...]


def _literal(text: str) -> str:
    """A SQL string literal for a statement run with ``schema_editor.execute``, which passes
    it through the driver's parameter formatting: ``%`` is doubled."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def append_only_sql(
    tables: str | tuple[str, ...],
    *,
    function: str,
    message: str,
    message_args: tuple[str, ...] = ("TG_OP", "TG_TABLE_NAME"),
    unless: str | None = None,
) -> TriggerSQL:
    """A plpgsql ``function`` raising ``message`` (``restrict_violation``) and a BEFORE UPDATE
    OR DELETE trigger ``<table>_append_only`` on each of ``tables``.

    ``message`` uses plpgsql's ``%`` placeholders, filled from ``message_args`` (the operation
    and the table by default). ``unless`` is a SQL condition on ``OLD``/``NEW``/``TG_OP``
    under which the change goes through, e.g. ``"OLD.published_at IS NULL"`` for rows that
    are frozen only once published."""
    tables = (tables,) if isinstance(tables, str) else tuple(tables)
    let_through = ""
    if unless:
        let_through = (
            f"    IF {unless} THEN\n"
            "        IF TG_OP = 'DELETE' THEN\n"
            "            RETURN OLD;\n"
            "        END IF;\n"
            "        RETURN NEW;\n"
            "    END IF;\n"
        )
    args = "".join(f", {arg}" for arg in message_args)
    create_function = (
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$\n"
        "BEGIN\n"
        f"{let_through}"
        f"    RAISE EXCEPTION {_literal(message)}{args}\n"
        "        USING ERRCODE = 'restrict_violation';\n"
        "END;\n"
        "$$ LANGUAGE plpgsql;"
    )
    triggers = tuple(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}();"
        for table in tables
    )
    drops = tuple(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in tables)
    return TriggerSQL(
        create=(create_function, *triggers),
        drop=(*drops, f"DROP FUNCTION IF EXISTS {function}();"),
    )


def append_only(tables: str | tuple[str, ...], **options) -> migrations.RunPython:
    """A migration operation installing ``append_only_sql(tables, **options)`` on Postgres
    (and removing it when the migration is reversed)."""
    sql = append_only_sql(tables, **options)

    def run(statements):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            for statement in statements:
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(sql.create), run(sql.drop))
