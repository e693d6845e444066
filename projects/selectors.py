"""Reads for pages, the admin and the API. Query counts do not grow with the number of rows."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from stations.models import StaffMembership, Station
from stations.scoping import visible_stations

from .models import (
    PUBLIC_STATUSES,
    AssistanceRecord,
    Beneficiary,
    IndicatorResult,
    ProgressUpdate,
    Project,
)
from .rules import RUNNING_STATUSES


def _served_subquery():
    served = (
        AssistanceRecord.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(count=Count("beneficiary", distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(served, output_field=IntegerField()), Value(0))


def with_beneficiaries_served(queryset: QuerySet[Project]) -> QuerySet[Project]:
    """Each project with ``served_count``: distinct people with an assistance record."""
    return queryset.annotate(served_count=_served_subquery())


def projects_for_staff(queryset: QuerySet[Project]) -> QuerySet[Project]:
    return with_beneficiaries_served(
        queryset.select_related("station", "lead").prefetch_related(
            "budget_lines", "indicators", "team", "assessments"
        )
    )


def public_projects(
    *, station: Station | None = None, category: str | None = None
) -> QuerySet[Project]:
    """Projects open to the public (approved for fundraising or later) at active stations,
    optionally within one station's subtree and of one category."""
    queryset = Project.objects.filter(status__in=PUBLIC_STATUSES, station__is_active=True)
    if station is not None:
        queryset = queryset.filter(station__path__startswith=station.path)
    if category:
        queryset = queryset.filter(category=category)
    return with_beneficiaries_served(queryset.select_related("station")).order_by(
        "status", "-created_at"
    )


def public_project(code: str) -> Project:
    """One public project with its updates, photos and evaluation; raises DoesNotExist."""
    queryset = with_beneficiaries_served(
        Project.objects.filter(status__in=PUBLIC_STATUSES, station__is_active=True)
        .select_related("station", "evaluation")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.prefetch_related("photos").order_by(
                    "-published_at", "-pk"
                ),
            ),
            Prefetch(
                "evaluation__results",
                queryset=IndicatorResult.objects.select_related("indicator"),
            ),
        )
    )
    return queryset.get(code=code)


def public_project_stations() -> QuerySet[Station]:
    """Stations for the public list's station filter: active stations in tree order."""
    return Station.objects.filter(is_active=True).order_by("path")


def beneficiaries_for_staff(queryset: QuerySet[Beneficiary]) -> QuerySet[Beneficiary]:
    return queryset.select_related("station").prefetch_related(
        "categories", Prefetch("projects", queryset=Project.objects.only("pk", "code", "title"))
    )


def staff_users_visible_to(user) -> QuerySet:
    """Users who work at the stations ``user`` may see: the choices for lead, team, staff."""
    User = get_user_model()
    if user.is_superuser:
        return User.objects.filter(is_active=True, is_staff=True)
    memberships = StaffMembership.objects.filter(station__in=visible_stations(user))
    return User.objects.filter(is_active=True, pk__in=memberships.values("user"))


# --- one project's numbers ----------------------------------------------------------------


def beneficiaries_served_count(*, project: Project) -> int:
    """Distinct people with at least one assistance record in the project."""
    return AssistanceRecord.objects.filter(project=project).values("beneficiary").distinct().count()


def last_disclosure_day(project: Project) -> datetime.date | None:
    if project.last_public_update_at:
        return timezone.localdate(project.last_public_update_at)
    return project.start_date


def is_long_running(project: Project, today: datetime.date) -> bool:
    start = project.start_date
    return start is not None and (today - start).days >= settings.PROJECT_LONG_RUNNING_DAYS


def days_without_update(project: Project, today: datetime.date | None = None) -> int | None:
    """Days since the last public update (or since the start); None when not running."""
    today = today or timezone.localdate()
    last = last_disclosure_day(project)
    return None if last is None else (today - last).days


def is_disclosure_overdue(project: Project, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        project.status in RUNNING_STATUSES
        and is_long_running(project, today)
        and days_without_update(project, today) >= settings.PROJECT_UPDATE_FLAG_DAYS
    )
