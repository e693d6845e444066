"""Reads of the station network for pages and APIs; query counts do not grow with rows."""

from django.db.models import QuerySet

from .models import Station


def public_stations() -> QuerySet[Station]:
    """Active stations in tree order (parents before their children)."""
    return Station.objects.filter(is_active=True).order_by("path")


def public_station(code: str) -> Station:
    """The active station with this public code; raises ``Station.DoesNotExist``."""
    return Station.objects.select_related("parent").get(code=code, is_active=True)


def breadcrumb(station: Station) -> list[Station]:
    """The station's ancestors from the top down, then the station itself: one query."""
    ancestors = {s.pk: s for s in Station.objects.filter(pk__in=station.ancestor_ids)}
    return [ancestors[pk] for pk in station.ancestor_ids if pk in ancestors] + [station]


def public_children(station: Station) -> QuerySet[Station]:
    return station.children.filter(is_active=True).order_by("name")
