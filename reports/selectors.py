"""Reads of reports: what staff may see, and what the public disclosure page shows."""

from typing import cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from funds.models import CommitteeMember, Fund, HostCharity
from projects.models import Project
from stations.models import Station
from stations.scoping import scope_queryset, visible_stations

from .models import Report
from .registry import disclosure_kind_keys


def committee_funds(user) -> QuerySet[Fund]:
    """Funds whose committee ``user`` sits on today (any seat, supervisor included)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Fund.objects.none()
    today = timezone.localdate()
    seats = CommitteeMember.objects.filter(user=user, term_start__lte=today).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )
    return Fund.objects.filter(pk__in=seats.values("committee__fund"))


def reports_for(user) -> QuerySet[Report]:
    """Reports at the stations ``user`` may see, and the reports of the funds whose committee
    the user sits on; with what the lists show, newest first. Anything else is not there."""
    scoped = scope_queryset(Report.objects.all(), user)
    reports = Report.objects.filter(
        Q(pk__in=scoped.values("pk")) | Q(fund__in=committee_funds(user))
    )
    return reports.select_related("station", "fund", "project", "host", "requested_by")


def fund_reports(fund: Fund) -> QuerySet[Report]:
    """A fund's finished reports, newest period first: what its committee reads."""
    return (
        Report.objects.filter(fund=fund, status=Report.Status.DONE)
        .select_related("station", "fund")
        .order_by("-period_end", "kind", "-version")
    )


def report_for(user, *, pk=None, code=None) -> Report:
    """One report ``user`` may see; Report.DoesNotExist otherwise (a 404, never a 403)."""
    lookup = {"pk": pk} if pk is not None else {"code": code}
    return reports_for(user).get(**lookup)


def funds_for(user) -> QuerySet[Fund]:
    return scope_queryset(Fund.objects.select_related("station"), user).order_by(
        "station__path", "name"
    )


def stations_for(user) -> QuerySet[Station]:
    return visible_stations(user).order_by("path")


def projects_for(user) -> QuerySet[Project]:
    return scope_queryset(Project.objects.select_related("station"), user).order_by(
        "station__path", "title"
    )


def host_stations(host_ids) -> dict[int, Station | None]:
    """Per host, the lowest station above (or at) every station holding one of its funds: the
    station a host's report belongs to, so whoever sees all its funds sees the report. None
    when the funds sit in separate trees. Two queries."""
    paths: dict[int, list[list[str]]] = {}
    for host_id, path in Fund.objects.filter(host_id__in=list(host_ids)).values_list(
        "host_id", "station__path"
    ):
        paths.setdefault(host_id, []).append(path.strip("/").split("/"))
    common: dict[int, int | None] = {}
    for host_id, host_paths in paths.items():
        prefix = host_paths[0]
        for other in host_paths[1:]:
            length = 0
            while length < min(len(prefix), len(other)) and prefix[length] == other[length]:
                length += 1
            prefix = prefix[:length]
        common[host_id] = int(prefix[-1]) if prefix else None
    stations = Station.objects.in_bulk([pk for pk in common.values() if pk is not None])
    return {
        host_id: stations.get(common.get(host_id)) if common.get(host_id) else None
        for host_id in host_ids
    }


def host_station(host: HostCharity) -> Station | None:
    return host_stations([host.pk])[host.pk]


def hosts_for(user) -> list[HostCharity]:
    """Hosts whose report station ``user`` may see."""
    hosts = list(HostCharity.objects.filter(funds__isnull=False).distinct().order_by("name"))
    stations = host_stations([host.pk for host in hosts])
    visible = set(
        visible_stations(user)
        .filter(pk__in=[s.pk for s in stations.values() if s])
        .values_list("pk", flat=True)
    )
    return [host for host in hosts if (station := stations[host.pk]) and station.pk in visible]


def published_disclosures(
    *, station: Station | None = None, fund: Fund | None = None, project: Project | None = None
) -> QuerySet[Report]:
    """Published disclosure reports for the public page, by station, then fund, project or
    host; one query.

    ``is_corrected`` marks versions a published correction has replaced.
    """
    newer_published = Report.objects.published().filter(
        kind=OuterRef("kind"),
        scope_key=OuterRef("scope_key"),
        period_start=OuterRef("period_start"),
        period_end=OuterRef("period_end"),
        version__gt=OuterRef("version"),
    )
    reports = (
        Report.objects.published()
        .filter(kind__in=disclosure_kind_keys())
        .select_related("station", "fund", "project", "host")
        .annotate(is_corrected=Exists(newer_published))
    )
    if station is not None:
        reports = reports.filter(station__path__startswith=station.path)
    if fund is not None:
        reports = reports.filter(fund=fund)
    if project is not None:
        reports = reports.filter(project=project)
    # scope_key keeps each subject's reports together (the page groups by it). The cast: the
    # model's ``published()`` is annotated as a bare ReportQuerySet, which loses the model.
    return cast(
        "QuerySet[Report]",
        reports.order_by("station__path", "scope_key", "-period_end", "kind", "-version"),
    )


def published_report(code: str) -> Report:
    return (
        Report.objects.published()
        .filter(kind__in=disclosure_kind_keys())
        .select_related("station", "fund", "project", "host")
        .get(code=code)
    )
