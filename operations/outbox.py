"""The transactional outbox: Celery jobs that survive a broker outage.

A service calls ``enqueue(task, *args)`` inside its transaction. The job is a row
(``OutboxMessage``) committed with the change itself, so it cannot be lost: right after the
commit this process tries to publish it (a short attempt that never makes a page wait for a
broker that is down), and ``dispatch_outbox_task``, run by Celery beat every
``OUTBOX_DISPATCH_INTERVAL`` seconds, publishes whatever is still pending once the broker is
back. Publishing and marking the row sent happen under the row's lock; a crash between the
two can publish a row twice, so every task sent this way is idempotent (``send_once`` helps
tasks that send messages).
"""

import datetime
import logging
import time
from contextlib import contextmanager

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.locks import lock

from .models import OutboxMessage, SentMessage

logger = logging.getLogger(__name__)

# After a failed publication, this process stops publishing right after commit for a while and
# leaves the rows to beat: a page must not wait on a broker that is down, request after request.
_inline_paused_until = 0.0


def enqueue(task, *args, queue: str = "", **kwargs) -> OutboxMessage:
    """Queue ``task(*args, **kwargs)`` as part of the current transaction (``task`` is a Celery
    task or its name). Arguments must be JSON: ids, not rows."""
    name = task if isinstance(task, str) else task.name
    message = OutboxMessage.objects.create(task=name, args=list(args), kwargs=kwargs, queue=queue)
    message_id = message.pk
    transaction.on_commit(lambda: dispatch(ids=[message_id], inline=True))
    return message


def dispatch(*, ids: list[int] | None = None, limit: int = 200, inline: bool = False) -> int:
    """Publish pending outbox rows (only ``ids`` when given), oldest first; returns how many
    went out. Rows another process is publishing are skipped, never sent twice at once. Stops
    at the first failure: the broker is down, the rest waits for the next run."""
    global _inline_paused_until
    if inline and time.monotonic() < _inline_paused_until:
        return 0
    sent = 0
    with transaction.atomic():
        pending = (
            lock(OutboxMessage.objects, skip_locked=True)
            .filter(sent_at__isnull=True)
            .order_by("pk")
        )
        if ids is not None:
            pending = pending.filter(pk__in=ids)
        for message in pending[:limit]:
            message.attempts += 1
            try:
                _publish(message)
            except Exception as error:  # whatever the transport raises: keep the row pending
                message.last_error = f"{type(error).__name__}: {error}"[:500]
                message.save(update_fields=["attempts", "last_error"])
                if inline:
                    _inline_paused_until = time.monotonic() + settings.OUTBOX_INLINE_PAUSE
                logger.warning(
                    "outbox: could not publish %s (%s); it stays pending", message, error
                )
                break
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["attempts", "last_error", "sent_at"])
            sent += 1
    if sent and inline:
        _inline_paused_until = 0.0
    return sent


def _publish(message: OutboxMessage) -> None:
    app = current_app  # the project's Celery app (config.celery), set as current at start-up
    options = {"task_id": message.task_id, "ignore_result": True, "retry": False}
    if message.queue:
        options["queue"] = message.queue
    task = app.tasks.get(message.task)
    if task is None:  # its module not imported yet in this process
        app.loader.import_default_modules()
        task = app.tasks.get(message.task)
    if task is not None:  # also honours task_always_eager (development and tests)
        task.apply_async(args=message.args, kwargs=message.kwargs, **options)
    else:
        app.send_task(message.task, args=message.args, kwargs=message.kwargs, **options)


def purge_sent(*, older_than_days: int | None = None) -> int:
    """Delete rows sent more than ``OUTBOX_KEEP_DAYS`` ago; pending rows are never deleted."""
    days = settings.OUTBOX_KEEP_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


@contextmanager
def send_once(key: str):
    """Send a message at most once per ``key``, for tasks that may be delivered twice::

        with send_once(f"reports.ready:{report_id}") as first:
            if first:
                send_mail(...)

    The key is recorded in the same transaction as the sending; if sending fails, the record
    goes too and the next delivery tries again. A second delivery waits for the first and then
    finds the key taken.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentMessage.objects.create(key=key)
        except IntegrityError:
            yield False
            return
        yield True
