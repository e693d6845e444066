"""E-mails about disbursement requests, queued through the outbox after commit. Each task is
idempotent: every message has its ``send_once`` key (funds/notifications.py)."""

from core.tasks import task

from . import notifications


@task("funds.notify_vote_requested")
def notify_vote_requested_task(request_id: int) -> int:
    return notifications.send_vote_invitations(request_id=request_id)


@task("funds.notify_decision")
def notify_decision_task(request_id: int) -> int:
    return notifications.send_decision_notice(request_id=request_id)
