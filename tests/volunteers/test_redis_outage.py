"""The cache (Redis) stopped: a resident still joins, a volunteer still signs in and checks in.

The public forms' rate limits count in the cache; while it is down they are skipped with a
logged warning (core.security.over_rate_limit), never a server error. The cache is a real
Redis of the test's own, stopped before the requests."""

import datetime
import logging

import pytest
from django.core.cache import caches
from django.utils import timezone

from stations.models import Station
from tests.operations.servers import PrivateRedis
from tests.volunteers.conftest import PASSWORD, birth_for_age, valid_id_number
from volunteers import services
from volunteers.models import Signup, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(settings, tmp_path):
    """Django's cache on a private Redis that has been stopped."""
    redis = PrivateRedis(tmp_path)
    redis.start()
    shared = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ReusingRedisCache",
            "LOCATION": redis.url(1),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    caches["default"].set("probe", 1)  # really on that Redis while it runs
    assert caches["default"].get("probe") == 1
    redis.stop()
    yield redis
    settings.CACHES = shared  # before other fixtures clear the shared cache on teardown


def _skipped_limits(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno == logging.WARNING and "not counted, cache unavailable" in record.msg
    ]


def test_a_resident_joins_while_the_cache_is_down(client, network, cache_down, caplog):
    Station.objects.filter(pk=network.community_a1.pk).update(offers_volunteer_service=True)
    birth = birth_for_age(35)
    response = client.post(
        "/volunteer/join/",
        {
            "real_name": "陈晓明",
            "gender": "male",
            "birth_date": birth.isoformat(),
            "mobile": "13812345678",
            "password": PASSWORD,
            "id_number": valid_id_number(birth),
            "home_station": network.community_a1.pk,
            "availability": ["weekend"],
            "emergency_contact_name": "陈太太",
            "emergency_contact_phone": "13900001111",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Volunteer.objects.get().mobile == "13812345678"
    [warning] = _skipped_limits(caplog)
    assert warning.startswith("rate limit of volunteers-public-post not counted")


def test_a_volunteer_signs_in_and_checks_in_while_the_cache_is_down(
    client, network, volunteer, cache_down, caplog
):
    opportunity = services.create_opportunity(
        station=network.community_a1, title="长者饭堂助餐", description="分餐", place="饭堂"
    )
    start = timezone.now() + datetime.timedelta(minutes=30)
    shift = services.add_shift(
        opportunity=opportunity,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        capacity=3,
    )
    signup = services.sign_up(shift=shift, volunteer=volunteer)

    wrong = client.post("/volunteer/login/", {"mobile": volunteer.mobile, "password": "nope-1"})
    assert wrong.status_code == 400
    assert "手机号或密码不正确" in wrong.content.decode()
    signed_in = client.post("/volunteer/login/", {"mobile": volunteer.mobile, "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/volunteer/me/"
    assert client.get("/volunteer/me/").status_code == 200

    check_in = f"/volunteer/shifts/{shift.code}/check-in/{shift.check_in_code}/"
    assert client.get(check_in).status_code == 200
    checked_in = client.post(check_in)
    assert checked_in.status_code == 302
    signup.refresh_from_db()
    assert signup.checked_in_at is not None
    assert signup.status == Signup.Status.CONFIRMED
    assert len(_skipped_limits(caplog)) == 2  # the two sign-in POSTs, each logged
