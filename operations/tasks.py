"""Beat's outbox job: publish what a broker outage left pending, and forget old sent rows."""

from core.tasks import task

from . import outbox


@task(
    "operations.dispatch_outbox", formerly=("operations.dispatch_outbox_task",), ignore_result=True
)
def dispatch_outbox_task() -> int:
    sent = outbox.dispatch()
    outbox.purge_sent()
    return sent
