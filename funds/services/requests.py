"""A station asks for money: a disbursement request is drafted and submitted."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    DisbursementRequest,
    Fund,
)
from ..selectors import (
    composition_problems,
)
from .disbursements import (
    Status,
    _lock_request,
    _record,
    _status_error,
    check_disbursement_request,
)
from .ledger import check_covered
from .voting import _open_voting


@transaction.atomic
def request_disbursement(
    *,
    fund: Fund,
    project,
    amount,
    purpose: str,
    payee: str,
    by,
    budget_line=None,
    is_administrative: bool = False,
    quote_file=None,
) -> DisbursementRequest:
    """A draft request that ``fund`` pay ``amount`` for ``project`` (in the fund's station
    subtree) to ``payee``. Refuses bad amounts and amounts the fund cannot cover now."""
    amount = check_disbursement_request(
        fund=fund, project=project, amount=amount, purpose=purpose, payee=payee, by=by,
        budget_line=budget_line,
    )  # fmt: skip
    request = DisbursementRequest(
        fund=fund,
        project=project,
        budget_line=budget_line,
        amount=amount,
        purpose=purpose.strip(),
        payee=payee.strip(),
        is_administrative=is_administrative,
        requested_by=by,
    )
    if quote_file:
        request.quote_file = quote_file
    request.save()
    _record(request, by)
    return request


@transaction.atomic
def submit_disbursement(*, request: DisbursementRequest, by) -> DisbursementRequest:
    """Send a draft to the committee; voting opens at once when the committee is complete."""
    request = _lock_request(request)
    if request.status != Status.DRAFT:
        raise _status_error(request, Status.DRAFT)
    if by is not None and by.pk != request.requested_by_id and not by.is_superuser:
        raise PermissionDenied(_("Only the person who made the request can submit it."))
    check_covered(request.fund, request.project, request.amount)
    request.status = Status.SUBMITTED
    request.submitted_at = timezone.now()
    request.save(update_fields=["status", "submitted_at"])
    _record(request, by)
    if not composition_problems(request.fund):
        _open_voting(request, by)
    return request
