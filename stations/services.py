"""Writes to the station network. Admin, API and commands call these; each is one transaction."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import StaffMembership, Station
from .roles import ROLE_GROUP_NAMES
from .scoping import roles_at, visible_stations


def _check_may_place_under(*, by, parent: Station | None) -> None:
    if by is None or by.is_superuser:
        return
    if parent is None:
        raise ValidationError(
            {"parent": _("Only a platform administrator can create a station at the top.")}
        )
    if not visible_stations(by).filter(pk=parent.pk).exists():
        raise ValidationError(
            {"parent": _("You can only create stations inside your own station network.")}
        )


@transaction.atomic
def create_station(*, by=None, **fields) -> Station:
    """Create a station after checking its level, its parent's level and the creator's scope.

    ``by`` is the acting user; ``None`` is the system (commands, migrations).
    """
    station = Station(**fields)
    _check_may_place_under(by=by, parent=station.parent)
    station.full_clean()
    station.save()
    return station


@transaction.atomic
def update_station(*, station: Station, by=None, **changes) -> Station:
    """Change a station's fields; a new parent must be inside the user's scope too."""
    for name, value in changes.items():
        setattr(station, name, value)
    if "parent" in changes:
        _check_may_place_under(by=by, parent=station.parent)
    station.full_clean()
    station.save()
    return station


def sync_role_groups(user) -> None:
    """Keep ``user``'s role groups and staff flag equal to what their memberships say."""
    roles = set(StaffMembership.objects.filter(user=user).values_list("role", flat=True))
    role_groups = Group.objects.filter(name__in=ROLE_GROUP_NAMES.values())
    wanted = [group for group in role_groups if group.name in {ROLE_GROUP_NAMES[r] for r in roles}]
    user.groups.remove(*[group for group in role_groups if group not in wanted])
    user.groups.add(*wanted)
    if roles and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def _check_may_manage_staff(*, by, station: Station) -> None:
    if by is None or by.is_superuser:
        return
    if StaffMembership.Role.DIRECTOR not in roles_at(by, station):
        raise PermissionDenied(_("Only the director of this station can manage its staff."))


@transaction.atomic
def add_staff_member(*, station: Station, user, role: str, by=None) -> StaffMembership:
    """Give ``user`` a role at ``station``; idempotent for the same (user, station, role)."""
    _check_may_manage_staff(by=by, station=station)
    membership, created = StaffMembership.objects.get_or_create(
        user=user, station=station, role=role
    )
    if created:
        membership.full_clean()
    sync_role_groups(user)
    return membership


@transaction.atomic
def remove_staff_member(*, membership: StaffMembership, by=None) -> None:
    _check_may_manage_staff(by=by, station=membership.station)
    user = membership.user
    membership.delete()
    sync_role_groups(user)
