"""Builders for the volunteers tests: volunteers, opportunities and shifts at the `network`."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.validators import resident_id_check_char
from tests.factories import Role, make_staff
from volunteers import services
from volunteers.models import Volunteer

_numbers = itertools.count(1)
PASSWORD = "Volunteer-Pass-2026"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Public POSTs are rate limited per address; every test starts with a clean count.
    cache.clear()
    yield
    cache.clear()


def valid_id_number(birth: datetime.date, sequence: int = 1) -> str:
    first17 = f"110105{birth:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


def birth_for_age(age: int, *, on: datetime.date | None = None) -> datetime.date:
    on = on or timezone.localdate()
    return on.replace(year=on.year - age) - datetime.timedelta(days=30)


def make_volunteer(station, *, age: int = 30, active: bool = True, **overrides) -> Volunteer:
    number = next(_numbers)
    birth = overrides.pop("birth_date", None) or birth_for_age(age)
    minor = age < 18
    data = {
        "real_name": f"志愿者{number}",
        "gender": Volunteer.Gender.FEMALE,
        "birth_date": birth,
        "mobile": f"135{number:08d}",
        "home_station": station,
        "emergency_contact_name": "李四",
        "emergency_contact_phone": "13700000000",
        "privacy_consent": True,
        "guardian_name": "王监护" if minor else "",
        "guardian_phone": "13600000000" if minor else "",
        "guardian_consent": minor,
        "guardian_data_consent": age < 14,
        "password": None,
        **overrides,
    }
    volunteer = services.register_volunteer(**data)
    if active:
        volunteer = services.approve_volunteer(volunteer=volunteer, by=None)
    return volunteer


def at(days: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """A local time ``days`` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return midnight + datetime.timedelta(hours=hour, minutes=minute)


def make_shift(station, *, days: int = 3, capacity: int = 5, hours: float = 3, **opportunity):
    opportunity.setdefault("title", "长者饭堂助餐")
    opportunity.setdefault("description", "分餐、送餐、陪长者聊天")
    opportunity.setdefault("place", "华师社区长者饭堂")
    opp = services.create_opportunity(station=station, **opportunity)
    start = at(days)
    return services.add_shift(
        opportunity=opp,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        capacity=capacity,
    )


def verified_record(volunteer, station, *, days_ago: int, hours: Decimal, by, hour: int = 8):
    start = at(-days_ago, hour)
    record = services.report_hours(
        volunteer=volunteer,
        station=station,
        description="社区探访",
        started_at=start,
        ended_at=start + datetime.timedelta(hours=float(hours)),
        hours=Decimal(hours),
    )
    return services.verify_record(record=record, by=by)


@pytest.fixture
def coordinator(network):
    """Volunteer coordinator of street A (sees A, A1, A2; not street B)."""
    return make_staff(network.street_a, Role.VOLUNTEER_COORDINATOR, "coordinator-a")


@pytest.fixture
def coordinator_b(network):
    return make_staff(network.community_b1, Role.VOLUNTEER_COORDINATOR, "coordinator-b1")


@pytest.fixture
def volunteer(network):
    return make_volunteer(network.community_a1, password=PASSWORD, email="vol@example.org")
