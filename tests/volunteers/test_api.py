"""The API: opportunities and shifts are public with public fields only; volunteers, sign-ups and
records are for staff of the station, masked, and 404 outside their stations."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.volunteers.conftest import (
    birth_for_age,
    make_shift,
    make_volunteer,
    valid_id_number,
    verified_record,
)
from volunteers import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def data(network, coordinator):
    birth = birth_for_age(33)
    volunteer = make_volunteer(
        network.community_a1,
        mobile="13812345678",
        birth_date=birth,
        id_number=valid_id_number(birth),
    )
    shift = make_shift(network.community_a1, capacity=3)
    signup = services.sign_up(shift=shift, volunteer=volunteer)
    record = verified_record(
        volunteer, network.community_a1, days_ago=2, hours=Decimal(3), by=coordinator
    )
    other = make_volunteer(network.community_b1)
    other_shift = make_shift(network.community_b1)
    services.sign_up(shift=other_shift, volunteer=other)
    return volunteer, shift, signup, record, other


def test_public_opportunities_and_shifts_show_public_fields_only(api, data):
    volunteer, shift, *_ = data
    response = api.get("/api/v1/opportunities/")
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert set(first) == {
        "code", "title", "description", "place", "station", "station_name", "project",
        "skills_wanted", "minimum_age", "is_risky", "url",
    }  # fmt: skip
    response = api.get(f"/api/v1/shifts/?opportunity={shift.opportunity.code}")
    [item] = response.json()["results"]
    assert item == {
        "code": shift.code,
        "opportunity": shift.opportunity.code,
        "starts_at": item["starts_at"],
        "ends_at": item["ends_at"],
        "capacity": 3,
        "places_taken": 1,
    }
    assert volunteer.real_name not in response.content.decode()
    assert api.post("/api/v1/opportunities/", {}).status_code in (401, 403, 405)


def test_staff_see_their_stations_volunteers_masked(api, data, coordinator):
    volunteer, _shift, _signup, _record, other = data
    api.force_authenticate(coordinator)
    response = api.get("/api/v1/volunteers/")
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["number"] == volunteer.number
    assert item["mobile"] == "138****5678"
    assert item["id_number"] == volunteer.id_number_masked
    assert item["verified_hours"] == "3.00" and item["star_level"] == 0
    assert "13812345678" not in response.content.decode()
    assert volunteer.id_number not in response.content.decode()
    assert api.get(f"/api/v1/volunteers/{other.number}/").status_code == 404


def test_signups_and_records_are_scoped(api, data, coordinator, coordinator_b):
    volunteer, _shift, signup, record, other = data
    api.force_authenticate(coordinator)
    assert [s["id"] for s in api.get("/api/v1/signups/").json()["results"]] == [signup.pk]
    assert [r["id"] for r in api.get("/api/v1/service-records/").json()["results"]] == [record.pk]
    api.force_authenticate(coordinator_b)
    assert api.get(f"/api/v1/service-records/{record.pk}/").status_code == 404
    assert api.get(f"/api/v1/signups/{signup.pk}/").status_code == 404


def test_staff_endpoints_refuse_anonymous_and_roles_without_the_permission(api, data, cast):
    for url in ("/api/v1/volunteers/", "/api/v1/signups/", "/api/v1/service-records/"):
        assert api.get(url).status_code in (401, 403)
    api.force_authenticate(cast.finance_officer)
    assert api.get("/api/v1/volunteers/").status_code == 403


def test_coordinator_verifies_and_corrects_a_record_through_the_api(
    api, data, coordinator, network
):
    volunteer = data[0]
    pending = services.report_hours(
        volunteer=volunteer, station=network.community_a1, description="整理物资",
        started_at=verified_start(), ended_at=verified_start(hours=2), hours=Decimal(2),
    )  # fmt: skip
    api.force_authenticate(coordinator)
    url = f"/api/v1/service-records/{pending.pk}/verify/"
    response = api.post(url, {"hours": "1.50"}, format="json")
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["reason"] == ["请填写更正时长的理由。"]
    response = api.post(url, {"hours": "1.50", "reason": "提前离开"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "verified" and response.json()["hours"] == "1.50"


def verified_start(hours: int = 0):
    import datetime

    from tests.volunteers.conftest import at

    return at(-6, 9) + datetime.timedelta(hours=hours)


def test_coordinator_reviews_registrations_through_the_api(api, network, coordinator):
    pending = make_volunteer(network.community_a1, active=False)
    api.force_authenticate(coordinator)
    response = api.post(
        f"/api/v1/volunteers/{pending.number}/reject/", {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    response = api.post(f"/api/v1/volunteers/{pending.number}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "active"


def test_openapi_schema_has_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    schema = (tmp_path / "s.yml").read_text()
    for path in ("/api/v1/opportunities/", "/api/v1/shifts/", "/api/v1/volunteers/",
                 "/api/v1/signups/", "/api/v1/service-records/"):  # fmt: skip
        assert path in schema
