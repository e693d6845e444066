"""A project in design: its plan, team, budget and indicators."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stations.models import Station

from .. import personal_data
from ..models import (
    BudgetLine,
    NeedsAssessment,
    OutcomeIndicator,
    Project,
)
from ..rules import ANYTIME_FIELDS, PLAN_FIELDS, PLANNING_STATUSES
from .checks import Status, _check_scope, _lock, _positive_amount

# --- projects: design --------------------------------------------------------------------------


@transaction.atomic
def create_project(
    *,
    by,
    station: Station,
    title: str,
    kind: str,
    category: str,
    budget_lines: Sequence[dict] = (),
    indicators: Sequence[dict] = (),
    team: Iterable = (),
    assessments: Iterable[NeedsAssessment] = (),
    **fields,
) -> Project:
    """Design a project at ``station`` (status design), with its budget lines and indicators.

    The assessments it builds on must be of the same station tree and in the user's scope.
    """
    _check_scope(by=by, station=station)
    project = Project(station=station, title=title, kind=kind, category=category, **fields)
    if project.lead_id is None and by is not None and not by.is_superuser:
        project.lead = by
    project.full_clean()
    project.save()
    _set_team_and_assessments(project=project, by=by, team=team, assessments=assessments)
    for line in budget_lines:
        add_budget_line(project=project, by=by, **line)
    for indicator in indicators:
        add_indicator(project=project, by=by, **indicator)
    return project


def _set_team_and_assessments(*, project: Project, by, team: Iterable, assessments: Iterable):
    team = list(team)
    assessments = list(assessments)
    for assessment in assessments:
        if personal_data.tree_root_of(assessment.station) != personal_data.tree_root_of(
            project.station
        ):
            raise ValidationError(
                {"assessments": _("A needs assessment of another station network was chosen.")}
            )
        _check_scope(by=by, station=assessment.station)
    project.team.set(team)
    project.assessments.set(assessments)


@transaction.atomic
def update_project(
    *, project: Project, by, team: Iterable | None = None, assessments=None, **changes
) -> Project:
    """Change a project's fields. The plan is fixed once approved; dates, lead, summary and team
    may change until the project is evaluated. The status changes only through transitions."""
    _check_scope(by=by, station=project.station)
    project = _lock(project)
    if project.status == Status.EVALUATED:
        raise ValidationError(_("An evaluated project can no longer be changed."))
    unknown = set(changes) - PLAN_FIELDS - ANYTIME_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    locked = {
        name for name in set(changes) - ANYTIME_FIELDS if getattr(project, name) != changes[name]
    }
    if locked and project.status not in PLANNING_STATUSES:
        raise ValidationError(
            _(
                "The plan of an approved project cannot be changed; only its dates, lead, team and summary."
            )
        )
    for name, value in changes.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if team is not None or assessments is not None:
        _set_team_and_assessments(
            project=project,
            by=by,
            team=project.team.all() if team is None else team,
            assessments=project.assessments.all() if assessments is None else assessments,
        )
    return project


def _check_planning(project: Project) -> None:
    if project.status not in PLANNING_STATUSES:
        raise ValidationError(
            _("The budget and indicators of a project in status “%(status)s” cannot change.")
            % {"status": project.get_status_display()}
        )


@transaction.atomic
def add_budget_line(
    *, project: Project, by, category: str, amount, description: str = ""
) -> BudgetLine:
    _check_scope(by=by, station=project.station)
    _check_planning(project)
    line = BudgetLine(
        project=project,
        category=category,
        amount=_positive_amount(amount, field="amount"),
        description=description,
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def add_indicator(
    *, project: Project, by, name: str, planned_value, unit: str = ""
) -> OutcomeIndicator:
    _check_scope(by=by, station=project.station)
    _check_planning(project)
    indicator = OutcomeIndicator(
        project=project,
        name=name,
        unit=unit,
        planned_value=_positive_amount(planned_value, field="planned_value"),
    )
    indicator.full_clean()
    indicator.save()
    return indicator
