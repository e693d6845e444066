"""One worker at a time per report, and a way to tell a live run from a dead one.

On Postgres the running worker holds a session advisory lock keyed by the report id. If the
worker dies, its connection closes and Postgres releases the lock, so a redelivered job finds
the report "running" with the lock free and restarts it; a duplicate delivery that arrives
while the first worker is still alive finds the lock taken and leaves the report alone.

SQLite (a development machine with one worker) has no such locks: a run is always allowed.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

LOCK_NAMESPACE = 7_402_001  # first key of pg_advisory_lock(int, int): "reports"


@contextmanager
def report_run_lock(report_id: int) -> Iterator[bool]:
    """Yield True when this process may run the report, False when another one is running it."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, report_id])
        (acquired,) = cursor.fetchone()
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, report_id])
