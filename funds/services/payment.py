"""The host's part: the supervisor's opinion, review, payment and reconciliation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    CommitteeMember,
    DisbursementRequest,
    LedgerEntry,
    Vote,
)
from .disbursements import Status, _check_may_act_at, _lock_request, _record, _status_error
from .ledger import Source, spend_for_project


@transaction.atomic
def record_supervisor_opinion(
    *, request: DisbursementRequest, by, opinion: str
) -> DisbursementRequest:
    """The supervisor (who does not vote) records an opinion; it goes into the minutes."""
    request = _lock_request(request)
    seat = CommitteeMember.objects.filter(
        committee__fund=request.fund, user=by, role=CommitteeMember.Role.SUPERVISOR
    ).first()
    if seat is None:
        raise PermissionDenied(_("Only the committee's supervisor records an opinion."))
    if not opinion.strip():
        raise ValidationError({"opinion": _("Write the opinion.")})
    entry = f"{seat.name}：{opinion.strip()}"
    request.supervisor_opinion = "\n".join(filter(None, [request.supervisor_opinion, entry]))
    request.save(update_fields=["supervisor_opinion"])
    return request


@transaction.atomic
def review_disbursement(
    *, request: DisbursementRequest, by, approve: bool, note: str = ""
) -> DisbursementRequest:
    """The host charity's review of an approved request: passed on to payment, or refused."""
    request = _lock_request(request)
    _check_may_act_at(by, request.fund.station, permission="funds.review_disbursementrequest")
    if request.status != Status.APPROVED:
        raise _status_error(request, Status.APPROVED)
    if by is not None and by.pk == request.requested_by_id:
        raise ValidationError(_("The person who made the request cannot review it."))
    if by is not None and _approved_by(request, by):
        raise ValidationError(_("A committee member who approved the request cannot review it."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the host refuses the payment.")})
    request.status = Status.HOST_REVIEWED if approve else Status.REJECTED
    request.host_reviewed_by = by
    request.host_reviewed_at = timezone.now()
    request.host_review_note = note.strip()
    request.save(
        update_fields=["status", "host_reviewed_by", "host_reviewed_at", "host_review_note"]
    )
    _record(request, by, note.strip())
    return request


@transaction.atomic
def pay_disbursement(*, request: DisbursementRequest, by) -> list[LedgerEntry]:
    """Pay a host-reviewed request: the project's restricted money first, then unrestricted,
    attributed to earlier gifts first in, first out. The payer is neither the requester, nor
    an approving voter, nor the host's reviewer. Paying twice is refused; the debits are linked by their source."""
    request = _lock_request(request)
    _check_may_act_at(by, request.fund.station, permission="funds.pay_disbursementrequest")
    if request.status in (Status.PAID, Status.RECONCILED):
        raise ValidationError(_("This request has already been paid."))
    if request.status != Status.HOST_REVIEWED:
        raise ValidationError(
            _("Only a request approved by the committee and reviewed by the host can be paid; "
              "this one is %(status)s.")
            % {"status": request.get_status_display()}
        )  # fmt: skip
    if by is not None:
        if by.pk == request.requested_by_id:
            raise ValidationError(_("The person who made the request cannot pay it."))
        if _approved_by(request, by):
            raise ValidationError(_("A committee member who approved the request cannot pay it."))
        if by.pk == request.host_reviewed_by_id:
            raise ValidationError(_("The person who reviewed the request cannot also pay it."))
    source_type, source_id = request.ledger_source
    entries = spend_for_project(
        fund=request.fund,
        project=request.project,
        amount=request.amount,
        source=Source(source_type, source_id),
        public_name=request.project.title[:100],
        memo=request.purpose[:255],
        by=by,
    )
    request.status = Status.PAID
    request.paid_by = by
    request.paid_at = timezone.now()
    request.save(update_fields=["status", "paid_by", "paid_at"])
    _record(request, by)
    return entries


def _approved_by(request: DisbursementRequest, user) -> bool:
    """Separation of duties: who voted for a request neither reviews nor pays it."""
    return request.votes.filter(member__user=user, choice=Vote.Choice.APPROVE).exists()


@transaction.atomic
def reconcile_disbursement(
    *, request: DisbursementRequest, by, invoice_file
) -> DisbursementRequest:
    """Attach the invoice after payment; the request is then complete."""
    request = _lock_request(request)
    _check_may_act_at(by, request.fund.station, permission="funds.pay_disbursementrequest")
    if request.status != Status.PAID:
        raise _status_error(request, Status.PAID)
    if not invoice_file:
        raise ValidationError({"invoice_file": _("Attach the invoice.")})
    request.invoice_file = invoice_file
    request.status = Status.RECONCILED
    request.reconciled_at = timezone.now()
    request.save(update_fields=["invoice_file", "status", "reconciled_at"])
    _record(request, by)
    return request
