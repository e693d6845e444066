"""Row locks: every ``SELECT ... FOR UPDATE`` of the project goes through :func:`lock`.

A row lock lives as long as the transaction that took it. Outside a transaction there is none
to hold it: Postgres refuses the statement (Django raises ``TransactionManagementError``, a 500
for whoever clicked), and SQLite ignores the lock silently. Tests run inside a transaction,
so neither shows there. :func:`lock` refuses to run outside an atomic block on every database,
so a service that forgets ``@transaction.atomic`` fails the first time it is called for real.

The order in which services take locks is written in ``docs/architecture.md``.
"""

from django.db import transaction


class LockOutsideTransaction(RuntimeError):
    """A row lock was asked for with no transaction to hold it."""


def lock(queryset, **options):
    """``queryset.select_for_update(**options)``, inside the caller's transaction only.

    ``queryset`` may be a manager (``Fund.objects``) or a queryset.
    """
    queryset = queryset.all()
    if not transaction.get_connection(queryset.db).in_atomic_block:
        raise LockOutsideTransaction(
            f"Rows of {queryset.model._meta.label} are locked only inside a transaction: "
            "the calling service must run under transaction.atomic."
        )
    return queryset.select_for_update(**options)
