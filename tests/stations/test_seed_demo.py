import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from stations.models import StaffMembership, Station

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    User = get_user_model()
    return {
        "stations": list(Station.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values("pk", "username", "password", "is_staff")),
        "memberships": list(
            StaffMembership.objects.order_by("pk").values("pk", "user", "station", "role")
        ),
        "groups": list(User.groups.through.objects.order_by("pk").values("user", "group")),
    }


def test_seed_demo_twice_equals_once(capsys):
    call_command("seed_demo", force=True)
    first = snapshot()
    out = capsys.readouterr().out
    assert "director" in out and "demo-pass-2026" in out
    call_command("seed_demo", force=True)
    assert snapshot() == first


def test_seed_demo_builds_a_realistic_network():
    call_command("seed_demo", force=True)
    assert Station.objects.filter(level=Station.Level.DISTRICT).count() == 1
    assert Station.objects.filter(level=Station.Level.STREET).count() == 3
    assert Station.objects.filter(level=Station.Level.COMMUNITY).count() == 12
    assert set(StaffMembership.objects.values_list("role", flat=True)) == set(
        StaffMembership.Role.values
    )
    assert Group.objects.get(name="站长").user_set.filter(username="director").exists()
    # One staff user per role, on different stations.
    assert StaffMembership.objects.values("station").distinct().count() == 4


def test_seed_demo_refuses_without_debug_unless_forced(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
