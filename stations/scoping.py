"""The one rule of who may see what: a staff member sees the stations of their memberships and
everything below them, nothing beside or above; superusers see everything.

Every model whose rows belong to a station registers how to reach the station
(``@scoped_by("project__station")``). Admin, API, staff pages and reports filter through
``scope_queryset``, so a forgotten filter is not possible.
"""

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.db.models.functions import Length, Substr

from .models import StaffMembership, Station

_STATION_LOOKUPS: dict[type[Model], str] = {Station: "", StaffMembership: "station"}


def scoped_by(station_lookup: str):
    """Class decorator: rows of this model belong to the station at ``station_lookup``."""

    def register(model: type[Model]) -> type[Model]:
        _STATION_LOOKUPS[model] = station_lookup
        return model

    return register


def station_lookup_for(model: type[Model]) -> str | None:
    return _STATION_LOOKUPS.get(model)


def visible_stations(user) -> QuerySet[Station]:
    """The stations ``user`` may see, as one lazy query (no query until it is evaluated)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Station.objects.none()
    if user.is_superuser:
        return Station.objects.all()
    # A membership covers a station when the membership station's path is a prefix of it.
    covering = StaffMembership.objects.filter(
        user=user,
        station__path=Substr(OuterRef("path"), 1, Length("station__path")),
    )
    return Station.objects.filter(Exists(covering))


def scope_queryset(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` narrowed to rows at the stations ``user`` may see."""
    lookup = station_lookup_for(queryset.model)
    if lookup is None:
        raise LookupError(f"{queryset.model.__name__} is not registered with @scoped_by")
    if getattr(user, "is_superuser", False) and user.is_active:
        return queryset
    if lookup == "":
        return queryset.filter(pk__in=visible_stations(user).values("pk"))
    condition = {f"{lookup}__in": visible_stations(user).values("pk")}
    if _crosses_many(queryset.model, lookup):
        # Filtering across a to-many relation would repeat a row once per related row.
        return queryset.filter(pk__in=queryset.model._base_manager.filter(**condition).values("pk"))
    return queryset.filter(**condition)


def _crosses_many(model: type[Model], lookup: str) -> bool:
    for name in lookup.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def can_see_station(user, station: Station) -> bool:
    return visible_stations(user).filter(pk=station.pk).exists()


def roles_at(user, station: Station) -> set[str]:
    """The roles ``user`` holds at ``station`` or at any station above it."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        StaffMembership.objects.filter(
            user=user, station__path__in=_ancestor_paths(station)
        ).values_list("role", flat=True)
    )


def _ancestor_paths(station: Station) -> list[str]:
    parts = station.path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
