"""Emails about disbursement requests, queued after commit. Each task is idempotent: the
service it calls records that the mail went out and does nothing the second time."""

from celery import shared_task

from . import services
from .models import DisbursementRequest


@shared_task(name="funds.notify_vote_requested")
def notify_vote_requested_task(request_id: int) -> int:
    request = DisbursementRequest.objects.filter(pk=request_id).first()
    return services.send_vote_invitations(request=request) if request else 0


@shared_task(name="funds.notify_decision")
def notify_decision_task(request_id: int) -> int:
    request = DisbursementRequest.objects.filter(pk=request_id).first()
    return services.send_decision_notice(request=request) if request else 0
