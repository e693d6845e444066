"""Beat's outbox job: publish what a broker outage left pending, and forget old sent rows."""

from celery import shared_task

from . import outbox


@shared_task(name="operations.dispatch_outbox_task", ignore_result=True)
def dispatch_outbox_task() -> int:
    sent = outbox.dispatch()
    outbox.purge_sent()
    return sent
