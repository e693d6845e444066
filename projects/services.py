"""Every write of the projects app. Admin actions, the API, demo data and tasks call these.

Each function is keyword-only and runs in one transaction. Refusals raise Django's
``ValidationError`` (bad data, a guard of the lifecycle) or ``PermissionDenied`` (the wrong
person), always with a message a social worker can act on. ``by=None`` means the system
(commands, tasks, demo data): no person to check.
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from audit.bulk import audited_bulk_create, audited_update
from core.locks import lock
from core.validators import normalize_phone, validate_resident_id
from stations.models import StaffMembership, Station
from stations.scoping import roles_at, visible_stations

from . import personal_data
from .models import (
    AssessedNeed,
    AssistanceRecord,
    Beneficiary,
    BeneficiaryCategory,
    BeneficiaryViewLog,
    BudgetLine,
    Evaluation,
    IndicatorResult,
    NeedsAssessment,
    OutcomeIndicator,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ServiceActivity,
)

Status = Project.Status

# The lifecycle: which status may follow which. Everything else is refused with one message.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DESIGN: (Status.REVIEW,),
    Status.REVIEW: (Status.FUNDRAISING, Status.DESIGN),
    Status.FUNDRAISING: (Status.ACTIVE,),
    Status.ACTIVE: (Status.CLOSED, Status.FUNDRAISING),
    Status.CLOSED: (Status.EVALUATED,),
    Status.EVALUATED: (),
}
# A project's plan (budget, indicators) may change only before it is approved.
PLANNING_STATUSES = (Status.DESIGN, Status.REVIEW)
# Assistance, activities and progress updates belong to a project that is under way.
RUNNING_STATUSES = (Status.FUNDRAISING, Status.ACTIVE)


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
            % {"lead": _display_user(project.lead) if project.lead_id else _("none yet")}
        )


def _display_user(user) -> str:
    # Chinese names read family name first, without a space.
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


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


# --- needs assessments -------------------------------------------------------------------------


@transaction.atomic
def create_needs_assessment(
    *,
    by,
    station: Station,
    title: str,
    method: str,
    date: datetime.date,
    findings: str,
    respondents_count: int = 0,
    respondents: str = "",
    needs: Sequence[dict] = (),
) -> NeedsAssessment:
    """Record an assessment and the needs it found (each: category, description, priority)."""
    _check_scope(by=by, station=station)
    assessment = NeedsAssessment(
        station=station,
        title=title,
        method=method,
        date=date,
        findings=findings,
        respondents_count=respondents_count,
        respondents=respondents,
        recorded_by=by,
    )
    assessment.full_clean()
    assessment.save()
    for need in needs:
        row = AssessedNeed(assessment=assessment, **need)
        row.full_clean()
        row.save()
    return assessment


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


_PLAN_FIELDS = {
    "title",
    "kind",
    "category",
    "summary",
    "objectives",
    "target_group",
    "target_beneficiaries",
    "fundraising_goal",
}
_ANYTIME_FIELDS = {"summary", "start_date", "end_date", "lead"}


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
    unknown = set(changes) - _PLAN_FIELDS - _ANYTIME_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    locked = {
        name for name in set(changes) - _ANYTIME_FIELDS if getattr(project, name) != changes[name]
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
    evaluation.evaluated_by = by or project.lead
    if evaluation.evaluated_by is None:
        raise ValidationError(_("The project needs a lead before it is evaluated."))
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


def beneficiaries_served_count(*, project: Project) -> int:
    """Distinct people with at least one assistance record in the project."""
    return AssistanceRecord.objects.filter(project=project).values("beneficiary").distinct().count()


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


# --- disclosure cadence ------------------------------------------------------------------------


def _last_disclosure_day(project: Project) -> datetime.date | None:
    if project.last_public_update_at:
        return timezone.localdate(project.last_public_update_at)
    return project.start_date


def _is_long_running(project: Project, today: datetime.date) -> bool:
    start = project.start_date
    return start is not None and (today - start).days >= settings.PROJECT_LONG_RUNNING_DAYS


def days_without_update(project: Project, today: datetime.date | None = None) -> int | None:
    """Days since the last public update (or since the start); None when not running."""
    today = today or timezone.localdate()
    last = _last_disclosure_day(project)
    return None if last is None else (today - last).days


def is_disclosure_overdue(project: Project, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        project.status in RUNNING_STATUSES
        and _is_long_running(project, today)
        and days_without_update(project, today) >= settings.PROJECT_UPDATE_FLAG_DAYS
    )


def run_fundraising_guards(*, fund=None, campaign=None, project=None) -> None:
    """Run every check in ``settings.FUNDRAISING_GUARDS`` before new fundraising starts; each
    raises ValidationError to refuse. Imported by path at the call: the guards (e.g. the
    reports app's disclosure calendar) read the apps above this one."""
    for path in getattr(settings, "FUNDRAISING_GUARDS", ()):
        import_string(path)(fund=fund, campaign=campaign, project=project)


def _check_disclosure_allows_fundraising(
    project: Project, today: datetime.date | None = None
) -> None:
    run_fundraising_guards(project=project)
    today = today or timezone.localdate()
    if not _is_long_running(project, today):
        return
    days = days_without_update(project, today)
    if days >= settings.PROJECT_FUNDRAISING_BLOCK_DAYS:
        raise ValidationError(
            _(
                "This project has published no progress update for %(days)s days (the limit is "
                "%(limit)s): publish one before it raises money again."
            )
            % {"days": days, "limit": settings.PROJECT_FUNDRAISING_BLOCK_DAYS},
            code="disclosure_overdue",
        )


def ensure_can_fundraise(*, project: Project) -> None:
    """For funds and donations: raise ``ValidationError`` unless the project may receive
    donations now: it is fundraising or active, and its disclosure is not long overdue."""
    if project.status not in RUNNING_STATUSES:
        raise ValidationError(
            _("The project “%(title)s” is not raising money now (status: %(status)s).")
            % {"title": project.title, "status": project.get_status_display()},
            code="not_fundraising",
        )
    _check_disclosure_allows_fundraising(project)


def flag_overdue_disclosures(*, today: datetime.date | None = None) -> list[Project]:
    """Mark long-running projects with no progress update for too long and tell each lead once
    (by email after commit); clear the mark of projects no longer overdue. Idempotent: a second
    run the same day changes nothing and sends nothing."""
    today = today or timezone.localdate()
    long_running_since = today - datetime.timedelta(days=settings.PROJECT_LONG_RUNNING_DAYS)
    candidates = Project.objects.filter(
        status__in=RUNNING_STATUSES,
        start_date__lte=long_running_since,
        disclosure_overdue_since__isnull=True,
    ).values_list("pk", flat=True)
    flagged = []
    for pk in candidates:
        with transaction.atomic():
            project = lock(Project.objects, of=("self",)).select_related("lead").get(pk=pk)
            if project.disclosure_overdue_since or not is_disclosure_overdue(project, today):
                continue
            project.disclosure_overdue_since = today
            project.save(update_fields=["disclosure_overdue_since", "updated_at"])
            transaction.on_commit(lambda p=project: _tell_lead_overdue(p))
            flagged.append(project)
    stale = Project.objects.filter(disclosure_overdue_since__isnull=False)
    for project in stale:
        if not is_disclosure_overdue(project, today):
            audited_update(Project.objects.filter(pk=project.pk), disclosure_overdue_since=None)
    return flagged


def _tell_lead_overdue(project: Project) -> None:
    if project.lead is None or not project.lead.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        days = days_without_update(project)
        send_mail(
            subject=_("Progress update overdue: %(title)s") % {"title": project.title},
            message=_(
                "Dear %(name)s,\n\nthe project “%(title)s” has published no progress update for "
                "%(days)s days. Projects running longer than six months publish progress at least "
                "every %(flag)s days; after %(block)s days without an update the project cannot "
                "raise money again.\n\nPlease publish a progress update in the admin."
            )
            % {
                "name": _display_user(project.lead),
                "title": project.title,
                "days": days,
                "flag": settings.PROJECT_UPDATE_FLAG_DAYS,
                "block": settings.PROJECT_FUNDRAISING_BLOCK_DAYS,
            },
            from_email=None,
            recipient_list=[project.lead.email],
        )


# --- progress updates, activities, assistance --------------------------------------------------


@transaction.atomic
def publish_progress_update(
    *,
    project: Project,
    by,
    title: str,
    body: str,
    photos: Sequence[tuple[File, str]] = (),
) -> ProgressUpdate:
    """Publish a progress update (text and photos with captions) on the project's public page;
    clears the project's overdue mark."""
    _check_scope(by=by, station=project.station)
    project = _lock(project)
    if project.status not in (*RUNNING_STATUSES, Status.CLOSED, Status.EVALUATED):
        raise ValidationError(
            _("Progress updates are published once the project is approved for fundraising.")
        )
    author = by or project.lead
    if author is None:
        raise ValidationError(_("The project needs a lead before it publishes updates."))
    update = ProgressUpdate(project=project, title=title, body=body, author=author)
    update.full_clean()
    update.save()
    for image, caption in photos:
        photo = ProgressPhoto(update=update, image=image, caption=caption)
        photo.full_clean()
        photo.save()
    project.last_public_update_at = update.published_at
    project.disclosure_overdue_since = None
    project.save(update_fields=["last_public_update_at", "disclosure_overdue_since", "updated_at"])
    return update


@transaction.atomic
def record_activity(
    *,
    project: Project,
    by,
    date: datetime.date,
    place: str,
    description: str,
    participants: int = 0,
    status: str = ServiceActivity.Status.PLANNED,
) -> ServiceActivity:
    _check_scope(by=by, station=project.station)
    if project.status in (Status.CLOSED, Status.EVALUATED):
        raise ValidationError(_("A closed project takes no new activities."))
    activity = ServiceActivity(
        project=project,
        date=date,
        place=place,
        description=description,
        participants=participants,
        status=status,
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def finish_activity(
    *, activity: ServiceActivity, by, participants: int | None = None, cancelled: bool = False
) -> ServiceActivity:
    """Mark a planned activity done (with how many took part) or cancelled."""
    _check_scope(by=by, station=activity.project.station)
    activity = lock(ServiceActivity.objects).get(pk=activity.pk)
    if activity.status != ServiceActivity.Status.PLANNED:
        return activity
    activity.status = ServiceActivity.Status.CANCELLED if cancelled else ServiceActivity.Status.DONE
    if participants is not None:
        activity.participants = participants
    activity.full_clean()
    activity.save(update_fields=["status", "participants"])
    return activity


@transaction.atomic
def record_assistance(
    *,
    project: Project,
    beneficiary: Beneficiary,
    by,
    date: datetime.date,
    kind: str,
    amount=None,
    description: str = "",
    staff=None,
) -> AssistanceRecord:
    """Record what a beneficiary received from a running project; enrolls them in it."""
    _check_scope(by=by, station=project.station)
    _check_scope(by=by, station=beneficiary.station)
    if project.status not in RUNNING_STATUSES:
        raise ValidationError(
            _("Assistance is recorded while a project is fundraising or active; it is “%(s)s”.")
            % {"s": project.get_status_display()}
        )
    if beneficiary.tree_root_id != personal_data.tree_root_of(project.station):
        raise ValidationError(
            {"beneficiary": _("This beneficiary is registered in another station network.")}
        )
    record = AssistanceRecord(
        project=project,
        beneficiary=beneficiary,
        date=date,
        kind=kind,
        amount=None if amount in (None, "") else _positive_amount(amount, field="amount"),
        description=description,
        staff=staff or by or project.lead,
    )
    record.full_clean()
    record.save()
    beneficiary.projects.add(project)
    return record


# --- beneficiaries -----------------------------------------------------------------------------


def _check_consent(beneficiary: Beneficiary) -> None:
    errors = {}
    today = timezone.localdate()
    if beneficiary.consent_date is None:
        errors["consent_date"] = _(
            "Record when the person consented to the processing of their data; "
            "without consent nothing is saved."
        )
    elif beneficiary.consent_date > today:
        errors["consent_date"] = _("The consent date cannot be in the future.")
    if not beneficiary.consent_method:
        errors["consent_method"] = _("Record how the consent was given.")
    day = beneficiary.consent_date or today
    if (
        beneficiary.birth_date
        and beneficiary.age_on(day) < settings.PROJECT_GUARDIAN_CONSENT_AGE
        and not (
            beneficiary.guardian_consent
            and beneficiary.guardian_name.strip()
            and beneficiary.guardian_relationship.strip()
        )
    ):
        errors["guardian_name"] = _(
            "This child is under %(age)s: record the guardian's name, relationship and consent."
        ) % {"age": settings.PROJECT_GUARDIAN_CONSENT_AGE}
    if errors:
        raise ValidationError(errors)


def _check_not_registered(beneficiary: Beneficiary) -> None:
    existing = (
        Beneficiary.objects.filter(
            tree_root_id=beneficiary.tree_root_id, id_number_hash=beneficiary.id_number_hash
        )
        .exclude(pk=beneficiary.pk)
        .select_related("station")
        .first()
    )
    if existing is not None:
        raise _duplicate_error(existing.station)


def _duplicate_error(station: Station) -> ValidationError:
    # Names the station inside the same network only: the hash is unique per tree, so a
    # registration in another network is never found, let alone named.
    return ValidationError(
        {
            "id_number": _(
                "A person with this ID number is already registered at %(station)s. Ask that "
                "station's social workers to add them to your project instead."
            )
            % {"station": station.name}
        },
        code="duplicate_beneficiary",
    )


def _apply_id_number(beneficiary: Beneficiary, id_number: str) -> None:
    id_number = personal_data.normalize_resident_id(id_number)
    try:
        validate_resident_id(id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    beneficiary.set_id_number(id_number)


def validate_beneficiary(
    *, beneficiary: Beneficiary, by, id_number: str | None = None
) -> Beneficiary:
    """Check a new or changed (unsaved) beneficiary without writing: scope, ID number (needed
    for a new one; validated, encrypted, deduplicated within the network), consent rules.
    Admin forms call it to show every refusal next to its field."""
    _check_scope(by=by, station=beneficiary.station)
    beneficiary.name = (beneficiary.name or "").strip()
    beneficiary.phone = normalize_phone(beneficiary.phone)
    root = personal_data.tree_root_of(beneficiary.station)
    if beneficiary.pk is None:
        beneficiary.tree_root_id = root
        beneficiary.registered_by = beneficiary.registered_by or by
        if beneficiary.consent_recorded_by_id is None and by is not None:
            beneficiary.consent_recorded_by = by
        if not id_number:
            raise ValidationError({"id_number": _("Enter the person's resident ID number.")})
    elif root != beneficiary.tree_root_id:
        raise ValidationError({"station": _("A beneficiary stays in their station network.")})
    if id_number:
        _apply_id_number(beneficiary, id_number)
    _check_consent(beneficiary)
    if beneficiary.consent_recorded_by_id is None:
        raise ValidationError({"consent_recorded_by": _("Record who took the consent.")})
    beneficiary.full_clean(exclude=["tree_root", "projects"], validate_constraints=False)
    _check_not_registered(beneficiary)
    return beneficiary


@transaction.atomic
def save_beneficiary(
    *,
    beneficiary: Beneficiary,
    by,
    id_number: str | None = None,
    categories: Iterable[str] | None = None,
) -> Beneficiary:
    """Validate (``validate_beneficiary``) and save a new or changed beneficiary and its
    categories. Two registrations of one person at once: the database constraint decides and
    the loser gets the same message as a sequential duplicate."""
    validate_beneficiary(beneficiary=beneficiary, by=by, id_number=id_number)
    try:
        with transaction.atomic():
            beneficiary.save()
    except IntegrityError:
        existing = Beneficiary.objects.select_related("station").get(
            tree_root_id=beneficiary.tree_root_id, id_number_hash=beneficiary.id_number_hash
        )
        raise _duplicate_error(existing.station) from None
    if categories is not None:
        categories = set(categories)
        invalid = categories - set(BeneficiaryCategory.Category.values)
        if invalid:
            raise ValidationError({"categories": _("Unknown category: %s") % ", ".join(invalid)})
        # One row at a time out, in bulk in, both with their audit history entries: which
        # categories a person falls into is sensitive personal data.
        have = set()
        for row in beneficiary.categories.all():
            if row.category in categories:
                have.add(row.category)
            else:
                row.delete()
        audited_bulk_create(
            BeneficiaryCategory,
            (
                BeneficiaryCategory(beneficiary=beneficiary, category=c)
                for c in sorted(categories - have)
            ),
        )
    return beneficiary


def register_beneficiary(
    *,
    by,
    station: Station,
    name: str,
    id_number: str,
    consent_date: datetime.date | None,
    consent_method: str,
    consent_recorded_by=None,
    phone: str = "",
    address: str = "",
    household_registration: str = "",
    categories: Iterable[str] = (),
    guardian_name: str = "",
    guardian_relationship: str = "",
    guardian_consent: bool = False,
    project: Project | None = None,
) -> Beneficiary:
    """Register a person once per station network, with their recorded consent.

    The ID number is validated (GB 11643), stored encrypted, and must not already be registered
    in the same network; gender and birth date come from it. Under 14 (configurable) a
    guardian's consent is required. Nothing is saved when anything is refused.
    """
    with transaction.atomic():
        beneficiary = save_beneficiary(
            beneficiary=Beneficiary(
                station=station,
                name=name,
                phone=phone,
                address=address,
                household_registration=household_registration,
                consent_date=consent_date,
                consent_method=consent_method or "",
                consent_recorded_by=consent_recorded_by,
                guardian_name=guardian_name,
                guardian_relationship=guardian_relationship,
                guardian_consent=guardian_consent,
            ),
            by=by,
            id_number=id_number,
            categories=categories,
        )
        if project is not None:
            enroll_beneficiary(beneficiary=beneficiary, project=project, by=by)
    return beneficiary


_BENEFICIARY_FIELDS = {
    "name",
    "phone",
    "address",
    "household_registration",
    "station",
    "consent_date",
    "consent_method",
    "consent_recorded_by",
    "guardian_name",
    "guardian_relationship",
    "guardian_consent",
}


@transaction.atomic
def update_beneficiary(
    *,
    beneficiary: Beneficiary,
    by,
    id_number: str | None = None,
    categories: Iterable[str] | None = None,
    **changes,
) -> Beneficiary:
    """Change a beneficiary's data; a new ID number is validated and deduplicated again. The
    station may move only within the same network and the user's scope."""
    _check_scope(by=by, station=beneficiary.station)
    unknown = set(changes) - _BENEFICIARY_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    beneficiary = lock(Beneficiary.objects).get(pk=beneficiary.pk)
    for name, value in changes.items():
        setattr(beneficiary, name, value)
    return save_beneficiary(
        beneficiary=beneficiary, by=by, id_number=id_number, categories=categories
    )


@transaction.atomic
def enroll_beneficiary(*, beneficiary: Beneficiary, project: Project, by) -> None:
    _check_scope(by=by, station=project.station)
    if beneficiary.tree_root_id != personal_data.tree_root_of(project.station):
        raise ValidationError(
            {"project": _("This beneficiary is registered in another station network.")}
        )
    beneficiary.projects.add(project)


def log_personal_data_access(
    *, beneficiaries: Iterable[Beneficiary], by, action: str
) -> list[BeneficiaryViewLog]:
    """One log row per beneficiary whose full values ``by`` saw or exported."""
    now = timezone.now()
    return BeneficiaryViewLog.objects.bulk_create(
        BeneficiaryViewLog(beneficiary=b, user=by, action=action, viewed_at=now)
        for b in beneficiaries
    )


@transaction.atomic
def reveal_personal_data(
    *, beneficiary: Beneficiary, by, action: str = BeneficiaryViewLog.Action.VIEW
) -> dict[str, str]:
    """The full ID number and phone for a user whose role needs them, logged; refused for
    everyone else."""
    if not personal_data.access_for(by).may_see_full(beneficiary):
        raise PermissionDenied(
            _(
                "Full ID numbers and phones are shown only to the station's director and the "
                "social workers of the person's projects."
            )
        )
    log_personal_data_access(beneficiaries=[beneficiary], by=by, action=action)
    return {"id_number": beneficiary.id_number, "phone": beneficiary.phone}
