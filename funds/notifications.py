"""E-mails about disbursement requests, sent by Celery tasks queued through the outbox after
the commit of the step that calls for them. No row is locked while a message is sent: each
message has its ``send_once`` key, so a task delivered twice sends nothing the second time."""

from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.site import absolute_url
from operations.outbox import send_once

from .models import DisbursementRequest, Fund
from .money import format_yuan
from .selectors import committee_members, eligible_voters

Status = DisbursementRequest.Status


def _dashboard_url(fund: Fund) -> str:
    return absolute_url(reverse("funds:dashboard", args=[fund.code]))


def _request(request_id: int) -> DisbursementRequest | None:
    return (
        DisbursementRequest.objects.select_related("fund", "project", "requested_by")
        .filter(pk=request_id)
        .first()
    )


def send_vote_invitations(*, request_id: int) -> int:
    """Email every member who may vote on the request and has not yet; once per member and
    request. Returns the number sent now."""
    request = _request(request_id)
    if request is None or request.status != Status.VOTING:
        return 0
    members = committee_members(request.fund)
    eligible, _recused = eligible_voters(members, request, on=timezone.localdate())
    voted = set(request.votes.values_list("member_id", flat=True))
    subject = _("%(fund)s: a request awaits your vote") % {"fund": request.fund.name}
    body = _(
        "%(project)s asks for %(amount)s: %(purpose)s\nPayee: %(payee)s\n\n"
        "Vote on your committee dashboard: %(url)s"
    ) % {
        "project": request.project.title,
        "amount": format_yuan(request.amount),
        "purpose": request.purpose,
        "payee": request.payee,
        "url": _dashboard_url(request.fund),
    }
    sent = 0
    for member in eligible:
        if member.pk in voted or not member.contact_email:
            continue
        with send_once(f"funds.vote_invitation:{request.pk}:{member.pk}") as first:
            if first:
                sent += send_mail(subject, body, None, [member.contact_email])
    DisbursementRequest.objects.filter(pk=request.pk, vote_invitations_sent_at__isnull=True).update(
        vote_invitations_sent_at=timezone.now()
    )
    return sent


def send_decision_notice(*, request_id: int) -> int:
    """Email the requester the committee's decision, with the minutes; once per request."""
    request = _request(request_id)
    if request is None or request.decided_at is None:
        return 0
    requester = request.requested_by
    sent = 0
    if requester.email:
        subject = _("%(fund)s: your request for %(project)s was %(status)s") % {
            "fund": request.fund.name,
            "project": request.project.title,
            "status": request.get_status_display(),
        }
        with send_once(f"funds.decision:{request.pk}") as first:
            if first:
                sent = send_mail(subject, request.minutes, None, [requester.email])
    DisbursementRequest.objects.filter(pk=request.pk, decision_notified_at__isnull=True).update(
        decision_notified_at=timezone.now()
    )
    return sent
