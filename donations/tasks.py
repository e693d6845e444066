"""Celery tasks: thin, take ids, call services, safe to run twice.

The receipt and notification jobs come through the outbox (operations/outbox.py) and are
acknowledged only when done (``acks_late``); a worker killed in the middle gives the message
back (``reject_on_worker_lost``) and the next run finishes the job once: the services they
call lock the row and do nothing when the work is already done.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services
from .models import Donation, Receipt

# The database briefly unavailable (a restart): try again later rather than drop the job.
RELIABLE_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 12,
}


@shared_task(name="donations.tasks.render_receipt_pdf_task", **RELIABLE_TASK)
def render_receipt_pdf_task(receipt_id: int) -> str:
    receipt = Receipt.objects.select_related("host", "donation").filter(pk=receipt_id).first()
    if receipt is None:
        return "missing"
    return services.store_receipt_pdf(receipt=receipt).pdf.name


@shared_task(name="donations.tasks.notify_donor_task", **RELIABLE_TASK)
def notify_donor_task(donation_id: int) -> bool:
    donation = Donation.objects.filter(pk=donation_id).first()
    return donation is not None and services.notify_donor(donation=donation)


@shared_task(name="donations.tasks.expire_pending_donations_task")
def expire_pending_donations_task() -> int:
    return services.expire_pending_donations()
