"""Reminders the day before a shift, from Celery beat; each volunteer is reminded once."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from tests.volunteers.conftest import at, make_shift, make_volunteer
from volunteers import notifications, services
from volunteers.models import Signup
from volunteers.tasks import send_shift_reminders_task

pytestmark = pytest.mark.django_db


def test_beat_schedules_the_reminders_every_evening():
    entry = settings.CELERY_BEAT_SCHEDULE["volunteers-shift-reminders"]
    assert entry["task"] == send_shift_reminders_task.name
    assert entry["schedule"].hour == {18} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_confirmed_volunteers_of_tomorrows_shifts_are_reminded_once(network):
    tomorrow = make_shift(network.community_a1, days=1, capacity=1)
    later = make_shift(network.community_a1, days=3)
    going = make_volunteer(network.community_a1, email="going@example.org")
    waiting = make_volunteer(network.community_a1, email="waiting@example.org")
    services.sign_up(shift=tomorrow, volunteer=going)
    services.sign_up(shift=tomorrow, volunteer=waiting)
    services.sign_up(
        shift=later, volunteer=make_volunteer(network.community_a1, email="later@example.org")
    )
    assert send_shift_reminders_task.apply().get() == 1
    assert [message.to for message in mail.outbox] == [["going@example.org"]]
    assert "明天" in mail.outbox[0].subject and tomorrow.opportunity.place in mail.outbox[0].body
    assert Signup.objects.get(volunteer=going).reminded_at is not None
    assert notifications.send_shift_reminders() == 0
    assert len(mail.outbox) == 1


def test_reminders_use_the_local_day(network):
    # 23:30 local time tonight is "today"; tomorrow starts at local midnight.
    shift = make_shift(network.community_a1, days=1)
    shift.starts_at = at(1, 0, 30)
    shift.ends_at = at(1, 2)
    shift.save()
    services.sign_up(shift=shift, volunteer=make_volunteer(network.community_a1))
    now = at(0, 18)
    assert notifications.send_shift_reminders(now=now) == 1
    assert (
        timezone.localtime(now).date() + datetime.timedelta(days=1)
        == timezone.localtime(shift.starts_at).date()
    )
