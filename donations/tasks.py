"""Celery tasks: thin, take ids, call services, safe to run twice.

The receipt and notification jobs come through the outbox (operations/outbox.py) and are
acknowledged only when done (``acks_late``); a worker killed in the middle gives the message
back (``reject_on_worker_lost``) and the next run finishes the job once: the services they
call lock the row and do nothing when the work is already done.
"""

from django.db import InterfaceError, OperationalError

from core.tasks import task

from . import notifications, services
from .models import Receipt

# The database briefly unavailable (a restart): try again later rather than drop the job.
RELIABLE_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 12,
}


@task(
    "donations.render_receipt_pdf",
    formerly=("donations.tasks.render_receipt_pdf_task",),
    **RELIABLE_TASK,
)
def render_receipt_pdf_task(receipt_id: int) -> str:
    receipt = Receipt.objects.select_related("host", "donation").filter(pk=receipt_id).first()
    if receipt is None:
        return "missing"
    return services.store_receipt_pdf(receipt=receipt).pdf.name


@task("donations.notify_donor", formerly=("donations.tasks.notify_donor_task",), **RELIABLE_TASK)
def notify_donor_task(donation_id: int) -> bool:
    return notifications.notify_donor(donation_id=donation_id)


@task(
    "donations.expire_pending_donations",
    formerly=("donations.tasks.expire_pending_donations_task",),
)
def expire_pending_donations_task() -> int:
    return services.expire_pending_donations()
