"""Bulk writes that keep the audit history.

``QuerySet.update()`` and ``bulk_create()`` send no signals, so auditlog would not see them.
Services that change audited rows in bulk call ``audited_update`` instead: it locks the rows,
updates them in one statement and writes one history entry per row with the values before and
after (masked like any other entry), marked ``{"bulk_update": true}``. Services that create
audited rows in bulk call ``audited_bulk_create``: one creation entry per row, as ``save()``
would write, marked ``{"bulk_create": true}``.
"""

import copy

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Model, QuerySet

from core.locks import lock


def audited_update(queryset: QuerySet, **changes) -> int:
    model = queryset.model
    with transaction.atomic():
        rows = list(lock(queryset, of=("self",)).order_by("pk"))
        if not rows:
            return 0
        count = model._base_manager.filter(pk__in=[row.pk for row in rows]).update(**changes)
        for before in rows:
            after = copy.copy(before)
            for name, value in changes.items():
                setattr(after, name, value)
            diff = model_instance_diff(before, after, fields_to_check=list(changes))
            if diff:
                LogEntry.objects.log_create(
                    after,
                    action=LogEntry.Action.UPDATE,
                    changes=diff,
                    additional_data={"bulk_update": True},
                )
    return count


def audited_bulk_create(model: type[Model], rows, **options) -> list[Model]:
    """``model.objects.bulk_create(rows, **options)`` and one history entry per created row.

    The rows must come back with their primary keys (PostgreSQL and SQLite give them), so
    ``ignore_conflicts`` is refused: a row skipped by a conflict would be logged as created.
    Callers that may race an identical insert read back what they created and log that with
    ``log_created``."""
    if options.get("ignore_conflicts") or options.get("update_conflicts"):
        raise ValueError("audited_bulk_create cannot tell created rows from skipped ones")
    with transaction.atomic():
        created = model._default_manager.bulk_create(list(rows), **options)
        log_created(created)
    return created


def log_created(rows) -> None:
    """A creation entry for each of ``rows`` (saved without signals), like ``save()`` writes."""
    for row in rows:
        LogEntry.objects.log_create(
            row,
            action=LogEntry.Action.CREATE,
            changes=model_instance_diff(None, row),
            additional_data={"bulk_create": True},
        )
