"""Bulk updates that keep the audit history.

``QuerySet.update()`` sends no signals, so auditlog would not see it. Services that change
audited rows in bulk call ``audited_update`` instead: it locks the rows, updates them in one
statement and writes one history entry per row with the values before and after (masked like
any other entry), marked ``{"bulk_update": true}``.
"""

import copy

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import QuerySet


def audited_update(queryset: QuerySet, **changes) -> int:
    model = queryset.model
    with transaction.atomic():
        rows = list(queryset.select_for_update(of=("self",)).order_by("pk"))
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
