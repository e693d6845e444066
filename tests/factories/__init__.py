"""Shared builders for tests: a small station network and the fixed cast of users."""

import itertools

from django.contrib.auth import get_user_model

from stations.models import StaffMembership, Station
from stations.services import add_staff_member, create_station

_counter = itertools.count(1)


def make_station(*, level: str, parent: Station | None = None, **fields) -> Station:
    number = next(_counter)
    fields.setdefault("name", f"{Station.Level(level).label} {number}")
    fields.setdefault("code", f"st-{number}")
    return create_station(level=level, parent=parent, **fields)


def make_user(username: str | None = None, **fields):
    username = username or f"user{next(_counter)}"
    user = get_user_model().objects.create_user(
        username=username, password="pw-Secret-123", **fields
    )
    return user


def make_staff(station: Station, role: str, username: str | None = None):
    user = make_user(username)
    add_staff_member(station=station, user=user, role=role)
    user.refresh_from_db()
    return user


Role = StaffMembership.Role
