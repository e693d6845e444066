"""Backups with pg_dump, restores with pg_restore, and the figures that prove a restore.

``backup`` dumps the database in pg_dump's custom format and, from the very same snapshot,
writes a summary next to it (``<file>.summary.json``): the row count of every table, each
fund's ledger total, every receipt number and every volunteer service hour (as totals and a
digest). ``restore`` loads a dump into an empty database with plain pg_restore (the dump holds
the schema and Django's migration history: nothing else is needed there) and compares the
restored figures with the summary; any difference fails the restore loudly.
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
from django.conf import settings
from django.db import connections

SUMMARY_SUFFIX = ".summary.json"


class BackupError(Exception):
    pass


def libpq_env(params: dict) -> dict:
    """Environment for pg_dump / pg_restore / psycopg: the password never goes on a command
    line (where ``ps`` would show it)."""
    env = {**os.environ}
    for key, variable in (
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("dbname", "PGDATABASE"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    return env


def params_from_settings(alias: str = "default") -> dict:
    conn = connections[alias].settings_dict
    if conn["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("backup and restore need PostgreSQL (DATABASE_URL=postgres://...).")
    return {
        "host": conn.get("HOST") or "",
        "port": conn.get("PORT") or "",
        "user": conn.get("USER") or "",
        "password": conn.get("PASSWORD") or "",
        "dbname": conn["NAME"],
    }


def params_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise BackupError(f"not a PostgreSQL address: {parts.scheme}://...")
    return {
        "host": unquote(parts.hostname or ""),
        "port": parts.port or "",
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "dbname": unquote(parts.path.lstrip("/")),
    }


def _connect(params: dict) -> psycopg.Connection:
    return psycopg.connect(
        **{key: value for key, value in params.items() if value}, connect_timeout=10
    )


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


# --- the figures ------------------------------------------------------------------------------


def _digest(rows) -> str:
    sha = hashlib.sha256()
    for row in rows:
        sha.update("|".join("" if value is None else str(value) for value in row).encode())
        sha.update(b"\n")
    return sha.hexdigest()


def summarize(cursor) -> dict:
    """The figures a restore must reproduce, read through ``cursor`` (one snapshot)."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [name for (name,) in cursor.fetchall()]
    summary: dict = {"tables": {}}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from pg_tables)
        summary["tables"][table] = cursor.fetchone()[0]
    if "funds_ledgerentry" in tables:
        cursor.execute(
            "SELECT fund_id, sum(amount), count(*) FROM funds_ledgerentry "
            "GROUP BY fund_id ORDER BY fund_id"
        )
        summary["ledger_totals"] = {
            str(fund): {"total": str(total), "entries": count}
            for fund, total, count in cursor.fetchall()
        }
    if "donations_receipt" in tables:
        cursor.execute("SELECT number, amount, status FROM donations_receipt ORDER BY number")
        receipts = cursor.fetchall()
        summary["receipts"] = {
            "count": len(receipts),
            "first": receipts[0][0] if receipts else None,
            "last": receipts[-1][0] if receipts else None,
            "digest": _digest(receipts),
        }
    if "volunteers_servicerecord" in tables:
        cursor.execute(
            "SELECT id, volunteer_id, hours, status FROM volunteers_servicerecord ORDER BY id"
        )
        records = cursor.fetchall()
        summary["service_hours"] = {
            "records": len(records),
            "total": str(sum((hours for _id, _volunteer, hours, _status in records), 0)),
            "digest": _digest(records),
        }
    return summary


def summary_of(params: dict) -> dict:
    with _connect(params) as conn, conn.cursor() as cursor:
        return summarize(cursor)


def summary_path(dump: Path) -> Path:
    return dump.with_name(dump.name + SUMMARY_SUFFIX)


# --- backup and restore -----------------------------------------------------------------------


def default_backup_path() -> Path:
    from django.utils import timezone

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"shegong-{stamp}.dump"


def backup(*, output: Path, params: dict) -> dict:
    """Dump the database to ``output`` (custom format) and its summary next to it, both from
    one snapshot, so the figures are exactly those of the dump. Returns the summary."""
    pg_dump = _tool("pg_dump")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with _connect(params) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        (snapshot,) = conn.execute("SELECT pg_export_snapshot()").fetchone()
        with conn.cursor() as cursor:
            summary = summarize(cursor)
        # pg_dump reads the snapshot this transaction holds open.
        result = subprocess.run(  # noqa: S603
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={snapshot}", f"--file={partial}"],
            env=libpq_env(params), capture_output=True, text=True, check=False,
        )  # fmt: skip
        conn.execute("COMMIT")
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, output)
    summary_path(output).write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary


def is_empty(params: dict) -> bool:
    with _connect(params) as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
            "AND n.nspname NOT LIKE 'pg_temp%%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
        ).fetchone()
    return count == 0


def restore(*, dump: Path, params: dict) -> dict:
    """Load ``dump`` into the (empty) database ``params`` in one transaction and compare it
    with the dump's summary when there is one. Returns the restored database's summary."""
    pg_restore = _tool("pg_restore")
    if not dump.is_file():
        raise BackupError(f"no such backup file: {dump}")
    if not is_empty(params):
        raise BackupError(
            f"the database {params['dbname']} is not empty: restore into a new, empty "
            "database (createdb), never over live data."
        )
    result = subprocess.run(  # noqa: S603
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={params['dbname']}", str(dump)],
        env=libpq_env(params), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    restored = summary_of(params)
    expected_path = summary_path(dump)
    if expected_path.is_file():
        expected = json.loads(expected_path.read_text())
        differences = compare(expected, restored)
        if differences:
            raise BackupError(
                "the restored database differs from the backup's summary:\n"
                + "\n".join(differences)
            )
    return restored


def compare(expected: dict, actual: dict) -> list[str]:
    """Human-readable differences between two summaries (empty when equal)."""
    differences = []
    for section in sorted(set(expected) | set(actual)):
        left, right = expected.get(section), actual.get(section)
        if left == right:
            continue
        if isinstance(left, dict) and isinstance(right, dict):
            for key in sorted(set(left) | set(right)):
                if left.get(key) != right.get(key):
                    differences.append(
                        f"{section}.{key}: backup {left.get(key)!r}, restored {right.get(key)!r}"
                    )
        else:
            differences.append(f"{section}: backup {left!r}, restored {right!r}")
    return differences
