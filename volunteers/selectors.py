"""Reads for pages, APIs, exports and certificates; query counts do not grow with rows."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from stations.models import Station
from stations.scoping import scope_queryset

from .models import Certificate, Opportunity, ServiceRecord, Shift, Signup, Volunteer

ZERO_HOURS = Value(Decimal(0), output_field=DecimalField(max_digits=10, decimal_places=2))


def star_level(hours: Decimal | int | float) -> int:
    """Stars (0–5) for a total of verified hours; thresholds in VOLUNTEERS_STAR_THRESHOLDS."""
    return sum(1 for threshold in settings.VOLUNTEERS_STAR_THRESHOLDS if hours >= threshold)


def _day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """The first moment of ``start`` and the first moment after ``end``, local time."""
    begin = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return begin, after


# --- Public ---------------------------------------------------------------------------------


def open_shifts(
    *, station: Station | None = None, day: datetime.date | None = None
) -> QuerySet[Shift]:
    """Shifts still to come of published opportunities at active stations, soonest first,
    with the number of confirmed places taken (``taken``)."""
    shifts = (
        Shift.objects.filter(
            starts_at__gt=timezone.now(),
            opportunity__is_published=True,
            opportunity__station__is_active=True,
        )
        .select_related("opportunity__station")
        .annotate(taken=Count("signups", filter=Q(signups__status=Signup.Status.CONFIRMED)))
        .order_by("starts_at", "pk")
    )
    if station is not None:
        shifts = shifts.filter(opportunity__station__path__startswith=station.path)
    if day is not None:
        shifts = shifts.filter(starts_at__range=_day_bounds(day, day))
    return shifts


def public_opportunity(code: str) -> Opportunity:
    """A published opportunity at an active station; raises ``Opportunity.DoesNotExist``."""
    return Opportunity.objects.select_related("station", "project").get(
        code=code, is_published=True, station__is_active=True
    )


def shifts_of(opportunity: Opportunity) -> QuerySet[Shift]:
    return (
        opportunity.shifts.annotate(
            taken=Count("signups", filter=Q(signups__status=Signup.Status.CONFIRMED)),
            waiting=Count("signups", filter=Q(signups__status=Signup.Status.WAITLISTED)),
        )
        .select_related("opportunity__station")
        .order_by("starts_at")
    )


def volunteer_stations() -> QuerySet[Station]:
    """Stations a resident may choose as home: active and offering volunteer service."""
    return Station.objects.filter(is_active=True, offers_volunteer_service=True).order_by("path")


# --- A volunteer's own page --------------------------------------------------------------------


@dataclass
class Hours:
    verified: Decimal
    pending: Decimal

    @property
    def stars(self) -> int:
        return star_level(self.verified)

    @property
    def star_symbols(self) -> str:
        return "★" * self.stars


def hours_of(volunteer: Volunteer) -> Hours:
    totals = volunteer.service_records.aggregate(
        verified=Coalesce(Sum("hours", filter=Q(status=ServiceRecord.Status.VERIFIED)), ZERO_HOURS),
        pending=Coalesce(Sum("hours", filter=Q(status=ServiceRecord.Status.PENDING)), ZERO_HOURS),
    )
    return Hours(verified=totals["verified"], pending=totals["pending"])


def signups_of(volunteer: Volunteer) -> QuerySet[Signup]:
    return (
        volunteer.signups.exclude(status=Signup.Status.CANCELLED)
        .select_related("shift__opportunity__station")
        .order_by("-shift__starts_at")
    )


def records_of(volunteer: Volunteer) -> QuerySet[ServiceRecord]:
    return volunteer.service_records.select_related("station").order_by("-started_at")


def signup_for(*, shift: Shift, volunteer: Volunteer) -> Signup | None:
    return (
        Signup.objects.filter(shift=shift, volunteer=volunteer)
        .exclude(status=Signup.Status.CANCELLED)
        .first()
    )


def waiting_number(signup: Signup) -> int:
    """1 for the first in line on the shift's waiting list."""
    return Signup.objects.filter(
        shift_id=signup.shift_id,
        status=Signup.Status.WAITLISTED,
        position__lte=signup.position,
    ).count()


# --- Certificates ------------------------------------------------------------------------------


@dataclass
class ServiceSummary:
    total_hours: Decimal = Decimal(0)
    record_count: int = 0
    content_lines: list[str] = field(default_factory=list)


def service_summary(
    *, volunteer: Volunteer, start: datetime.date, end: datetime.date
) -> ServiceSummary:
    """Verified hours over the period, grouped by service content and station: two queries."""
    records = volunteer.service_records.filter(
        status=ServiceRecord.Status.VERIFIED, started_at__range=_day_bounds(start, end)
    )
    rows = (
        records.values("description", "station__name")
        .annotate(hours=Sum("hours"), times=Count("pk"))
        .order_by("-hours", "description")
    )
    summary = ServiceSummary()
    for row in rows:
        summary.total_hours += row["hours"]
        summary.record_count += row["times"]
        summary.content_lines.append(
            f"{row['description']}（{row['station__name']}）"
            f" {row['times']}次 {row['hours']:.2f}小时"
        )
    return summary


def certificate_by_number(number: str, check_code: str) -> Certificate | None:
    """The certificate with this number and check code, or None for a forged one."""
    return (
        Certificate.objects.select_related("station")
        .filter(number=number, check_code=check_code)
        .first()
    )


# --- Staff -------------------------------------------------------------------------------------


def staff_volunteers(user, *, station: Station | None = None) -> QuerySet[Volunteer]:
    """Volunteers at the user's stations (or below ``station``), with verified hours."""
    volunteers = scope_queryset(Volunteer.objects.all(), user).select_related("home_station")
    if station is not None:
        volunteers = volunteers.filter(home_station__path__startswith=station.path)
    verified = (
        ServiceRecord.objects.filter(volunteer=OuterRef("pk"), status=ServiceRecord.Status.VERIFIED)
        .values("volunteer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return volunteers.annotate(verified_hours=Coalesce(Subquery(verified), ZERO_HOURS)).order_by(
        "home_station__path", "number"
    )


def staff_records(user, *, station: Station | None = None) -> QuerySet[ServiceRecord]:
    records = scope_queryset(ServiceRecord.objects.all(), user).select_related(
        "volunteer", "station", "verified_by"
    )
    if station is not None:
        records = records.filter(station__path__startswith=station.path)
    return records.order_by("-started_at")


def station_ranking(
    user, *, station: Station, start: datetime.date, end: datetime.date, limit: int = 100
) -> list[Volunteer]:
    """A station's volunteers (the station and below) ranked by verified hours served in the
    period; one query whatever the number of volunteers or records."""
    in_period = Q(
        service_records__status=ServiceRecord.Status.VERIFIED,
        service_records__started_at__range=_day_bounds(start, end),
    )
    volunteers = (
        scope_queryset(Volunteer.objects.all(), user)
        .filter(home_station__path__startswith=station.path)
        .select_related("home_station")
        .annotate(
            period_hours=Coalesce(Sum("service_records__hours", filter=in_period), ZERO_HOURS),
            period_services=Count("service_records", filter=in_period),
        )
        .filter(period_hours__gt=0)
        .order_by("-period_hours", "number")[:limit]
    )
    return list(volunteers)


def shift_roster(shift: Shift) -> QuerySet[Signup]:
    return (
        shift.signups.exclude(status=Signup.Status.CANCELLED)
        .select_related("volunteer", "service_record")
        .order_by("status", "position")
    )


def staff_shifts(user, *, upcoming_only: bool = True) -> QuerySet[Shift]:
    shifts = scope_queryset(Shift.objects.all(), user).select_related("opportunity__station")
    if upcoming_only:
        shifts = shifts.filter(ends_at__gte=timezone.now() - datetime.timedelta(days=1))
    return shifts.annotate(
        taken=Count("signups", filter=Q(signups__status=Signup.Status.CONFIRMED))
    ).order_by("starts_at")
