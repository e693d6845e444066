"""A project's lifecycle: review, approval, start, close, evaluation."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.models import StaffMembership
from stations.scoping import roles_at

from ..models import (
    Evaluation,
    IndicatorResult,
    Project,
    ServiceActivity,
)
from ..selectors import beneficiaries_served_count
from .checks import Status, _check_lead, _check_scope, _lock, _move
from .disclosure import _check_disclosure_allows_fundraising

# --- projects: the lifecycle -------------------------------------------------------------------


@transaction.atomic
def submit_for_review(*, project: Project, by) -> Project:
    """design → review, by the lead. Needs at least one objective and a budget."""
    _check_scope(by=by, station=project.station)
    project = _lock(project)
    _check_lead(by=by, project=project)
    _move(project, Status.REVIEW)
    problems = []
    if not project.objective_list:
        problems.append(_("write at least one objective"))
    if not project.budget_lines.exists():
        problems.append(_("add at least one budget line"))
    if problems:
        raise ValidationError(
            _("Before review, %(todo)s.") % {"todo": _("; ").join(str(p) for p in problems)},
            code="not_ready_for_review",
        )
    project.save(update_fields=["status", "status_changed_at", "updated_at"])
    return project


def _check_director(*, by, project: Project, doing: str) -> None:
    if by is None or by.is_superuser:
        return
    if StaffMembership.Role.DIRECTOR not in roles_at(by, project.station):
        raise PermissionDenied(
            _("Only a director of %(station)s or a station above it can %(doing)s.")
            % {"station": project.station.name, "doing": doing}
        )


@transaction.atomic
def approve_project(*, project: Project, by) -> Project:
    """review → fundraising, by a director of the project's station or above."""
    _check_scope(by=by, station=project.station)
    project = _lock(project)
    _check_director(by=by, project=project, doing=_("approve a project"))
    _move(project, Status.FUNDRAISING)
    _check_disclosure_allows_fundraising(project)
    project.approved_by = by
    project.approved_at = timezone.now()
    project.save(
        update_fields=["status", "status_changed_at", "approved_by", "approved_at", "updated_at"]
    )
    return project


@transaction.atomic
def return_to_design(*, project: Project, by) -> Project:
    """review → design: the director sends the plan back for changes."""
    _check_scope(by=by, station=project.station)
    project = _lock(project)
    _check_director(by=by, project=project, doing=_("send a project back to design"))
    _move(project, Status.DESIGN)
    project.save(update_fields=["status", "status_changed_at", "updated_at"])
    return project


@transaction.atomic
def start_project(*, project: Project, by) -> Project:
    """fundraising → active, by the lead. Needs a start date and a lead."""
    _check_scope(by=by, station=project.station)
    project = _lock(project)
    _check_lead(by=by, project=project)
    _move(project, Status.ACTIVE)
    problems = []
    if project.start_date is None:
        problems.append(_("set the start date"))
    if project.lead_id is None:
        problems.append(_("choose the lead social worker"))
    if problems:
        raise ValidationError(
            _("Before the project starts, %(todo)s.")
            % {"todo": _("; ").join(str(p) for p in problems)},
            code="not_ready_to_start",
        )
    project.save(update_fields=["status", "status_changed_at", "updated_at"])
    return project


@transaction.atomic
def reopen_fundraising(*, project: Project, by) -> Project:
    """active → fundraising again, by the lead; refused while disclosure is long overdue."""
    _check_scope(by=by, station=project.station)
    project = _lock(project)
    _check_lead(by=by, project=project)
    _move(project, Status.FUNDRAISING)
    _check_disclosure_allows_fundraising(project)
    project.save(update_fields=["status", "status_changed_at", "updated_at"])
    return project


@transaction.atomic
def close_project(*, project: Project, by) -> Project:
    """active → closed, by the lead. No activity may still be planned."""
    _check_scope(by=by, station=project.station)
    project = _lock(project)
    _check_lead(by=by, project=project)
    _move(project, Status.CLOSED)
    open_count = project.activities.filter(status=ServiceActivity.Status.PLANNED).count()
    if open_count:
        raise ValidationError(
            _(
                "%(count)s service activities are still open: mark each done or cancelled "
                "before closing the project."
            )
            % {"count": open_count},
            code="open_activities",
        )
    if project.end_date is None:
        project.end_date = max(timezone.localdate(), project.start_date or timezone.localdate())
    project.disclosure_overdue_since = None
    project.save(
        update_fields=[
            "status",
            "status_changed_at",
            "end_date",
            "disclosure_overdue_since",
            "updated_at",
        ]
    )
    return project


@transaction.atomic
def record_evaluation(
    *,
    project: Project,
    by,
    narrative: str,
    results: dict[int, Decimal] | None = None,
    satisfaction_percent: Decimal | None = None,
    satisfaction_respondents: int | None = None,
) -> Evaluation:
    """The lead's evaluation of a closed project: achieved value per indicator (by indicator
    id), narrative and satisfaction. Beneficiaries served is counted from the assistance
    records. Recording it again replaces the previous one until the project is evaluated."""
    project = _lock(project)
    check_can_evaluate(project=project, by=by)
    results = results or {}
    indicators = {indicator.pk: indicator for indicator in project.indicators.all()}
    missing = [ind.name for pk, ind in indicators.items() if pk not in results]
    if missing:
        raise ValidationError(
            {"results": _("Enter the achieved value of: %s") % "、".join(missing)}
        )
    if set(results) - set(indicators):
        raise ValidationError({"results": _("An indicator of another project was given.")})
    evaluation = Evaluation.objects.filter(project=project).first() or Evaluation(project=project)
    evaluation.narrative = narrative
    evaluation.satisfaction_percent = satisfaction_percent
    evaluation.satisfaction_respondents = satisfaction_respondents
    evaluated_by = by or project.lead
    if evaluated_by is None:
        raise ValidationError(_("The project needs a lead before it is evaluated."))
    evaluation.evaluated_by = evaluated_by
    evaluation.beneficiaries_served = beneficiaries_served_count(project=project)
    evaluation.full_clean()
    evaluation.save()
    evaluation.results.all().delete()
    for pk, value in results.items():
        result = IndicatorResult(evaluation=evaluation, indicator=indicators[pk])
        try:
            result.achieved_value = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError({"results": _("Enter numbers as achieved values.")}) from None
        result.full_clean()
        result.save()
    return evaluation


def check_can_evaluate(*, project: Project, by) -> None:
    """The lead evaluates a closed project (the admin's evaluation form checks this too)."""
    _check_scope(by=by, station=project.station)
    _check_lead(by=by, project=project)
    if project.status != Status.CLOSED:
        raise ValidationError(
            _("Only a closed project can be evaluated; this one is “%(status)s”.")
            % {"status": project.get_status_display()}
        )


@transaction.atomic
def complete_evaluation(*, project: Project, by) -> Project:
    """closed → evaluated, by the lead. Needs a recorded evaluation."""
    _check_scope(by=by, station=project.station)
    project = _lock(project)
    _check_lead(by=by, project=project)
    _move(project, Status.EVALUATED)
    evaluation = Evaluation.objects.filter(project=project).first()
    if evaluation is None:
        raise ValidationError(
            _("Record the evaluation first: indicators achieved, narrative and satisfaction."),
            code="no_evaluation",
        )
    missing = project.indicators.exclude(pk__in=evaluation.results.values("indicator")).values_list(
        "name", flat=True
    )
    if missing:
        raise ValidationError(
            _("The evaluation lacks the achieved value of: %s") % "、".join(missing),
            code="evaluation_incomplete",
        )
    # The count is taken again at the end, from the records, never typed.
    evaluation.beneficiaries_served = beneficiaries_served_count(project=project)
    evaluation.save(update_fields=["beneficiaries_served"])
    project.save(update_fields=["status", "status_changed_at", "updated_at"])
    return project
