"""What the steps of a disbursement request share: its lock, its history, the checks."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.locks import lock
from stations.scoping import can_see_station

from ..models import (
    DisbursementEvent,
    DisbursementRequest,
    Fund,
)
from ..money import parse_amount
from .ledger import _check_project_belongs_to_fund, check_covered

# --- Disbursement requests ------------------------------------------------------------------

Status = DisbursementRequest.Status


def _record(request: DisbursementRequest, by, note: str = "") -> None:
    DisbursementEvent.objects.create(request=request, status=request.status, by=by, note=note)


def _lock_request(request: DisbursementRequest) -> DisbursementRequest:
    return (
        lock(DisbursementRequest.objects, of=("self",))
        .select_related("fund", "project", "project__station", "fund__station")
        .get(pk=request.pk)
    )


def _check_may_act_at(by, station, *, permission: str | None = None) -> None:
    if by is None or by.is_superuser:
        return
    if not can_see_station(by, station):
        raise PermissionDenied(_("This is not at one of your stations."))
    if permission and not by.has_perm(permission):
        raise PermissionDenied(_("Your role does not allow this."))


def _status_error(request: DisbursementRequest, expected: str) -> ValidationError:
    return ValidationError(
        _("This request is %(status)s; it must be %(expected)s for this step.")
        % {"status": request.get_status_display(), "expected": Status(expected).label}
    )


def check_disbursement_request(
    *, fund: Fund, project, amount, purpose: str, payee: str, by, budget_line=None
) -> Decimal:
    """The checks of ``request_disbursement``, for forms that show errors before saving."""
    amount = parse_amount(amount)
    if fund.status != Fund.Status.ACTIVE:
        raise ValidationError({"fund": _("This fund is closed.")})
    _check_project_belongs_to_fund(fund, project)
    _check_may_act_at(by, project.station, permission="funds.add_disbursementrequest")
    if budget_line is not None and budget_line.project_id != project.pk:
        raise ValidationError({"budget_line": _("This budget line belongs to another project.")})
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say what the money is for.")})
    if not payee.strip():
        raise ValidationError({"payee": _("Say who will be paid.")})
    check_covered(fund, project, amount)
    return amount
