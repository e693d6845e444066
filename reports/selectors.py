"""Reads of reports: what staff may see, and what the public disclosure page shows."""

from django.db.models import Exists, OuterRef, QuerySet

from funds.models import Fund
from stations.models import Station
from stations.scoping import scope_queryset, visible_stations

from .models import Report
from .registry import disclosure_kind_keys


def reports_for(user) -> QuerySet[Report]:
    """Reports at the stations ``user`` may see, with what the lists show, newest first."""
    return scope_queryset(Report.objects.all(), user).select_related(
        "station", "fund", "requested_by"
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


def published_disclosures(*, station: Station | None = None) -> QuerySet[Report]:
    """Published disclosure reports for the public page, by station and fund; one query.

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
        .select_related("station", "fund")
        .annotate(is_corrected=Exists(newer_published))
    )
    if station is not None:
        reports = reports.filter(station__path__startswith=station.path)
    return reports.order_by("station__path", "fund__name", "-period_end", "kind", "-version")


def published_report(code: str) -> Report:
    return (
        Report.objects.published()
        .filter(kind__in=disclosure_kind_keys())
        .select_related("station", "fund")
        .get(code=code)
    )
