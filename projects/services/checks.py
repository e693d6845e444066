"""Checks the project services share: scope, lead, the lifecycle's moves, amounts."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import lock
from core.people import display_name
from stations.models import Station
from stations.scoping import visible_stations

from ..models import (
    Project,
)
from ..rules import TRANSITIONS

Status = Project.Status


# --- checks shared by the services -------------------------------------------------------------


def _check_scope(*, by, station: Station) -> None:
    if by is None or by.is_superuser:
        return
    if not visible_stations(by).filter(pk=station.pk).exists():
        raise ValidationError(_("This record belongs to a station outside your stations."))


def _check_lead(*, by, project: Project) -> None:
    if by is None or by.is_superuser:
        return
    if project.lead_id != by.pk:
        raise PermissionDenied(
            _("Only the project's lead social worker can do this (lead: %(lead)s).")
            % {"lead": display_name(project.lead) if project.lead_id else _("none yet")}
        )


def _lock(project: Project) -> Project:
    return lock(Project.objects).get(pk=project.pk)


def _move(project: Project, target: str) -> None:
    if target not in TRANSITIONS[project.status]:
        raise ValidationError(
            _("A project in status “%(current)s” cannot move to “%(target)s”.")
            % {"current": project.get_status_display(), "target": Status(target).label},
            code="transition_not_allowed",
        )
    project.status = target
    project.status_changed_at = timezone.now()


def _positive_amount(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter an amount in yuan, such as 1200.50.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("Enter an amount greater than zero.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Amounts have at most two decimal places (fen).")})
    return amount
