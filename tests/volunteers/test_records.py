"""Check-in, check-out, service records and their verification; records are truthful."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.volunteers.conftest import at, make_shift, make_volunteer
from volunteers import services
from volunteers.models import ServiceRecord, Signup

pytestmark = pytest.mark.django_db


@pytest.fixture
def signup(network):
    shift = make_shift(network.community_a1, days=0, hours=3)
    # A shift tonight: signed up for in the morning, then checked in and out at its times
    # (the sign-up's moment is given, so the test holds at any hour it runs).
    shift.starts_at = at(0, 23)
    shift.ends_at = at(1, 2)
    shift.save()
    return services.sign_up(
        shift=shift, volunteer=make_volunteer(network.community_a1), now=at(0, 8)
    )


def refused(message: str, call, **kwargs):
    records = ServiceRecord.objects.count()
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert message in " ".join(error.value.messages)
    assert ServiceRecord.objects.count() == records


def test_check_in_and_out_create_a_pending_record_with_the_hours(signup, coordinator):
    services.check_in(signup=signup, by=coordinator, at=at(0, 22, 50))
    record = services.check_out(signup=signup, by=coordinator, at=at(1, 1, 35))
    assert record.hours == Decimal("2.75")
    assert record.status == "pending" and record.source == "shift"
    assert record.station == signup.shift.opportunity.station
    assert record.description == signup.shift.opportunity.title
    # Checking out twice returns the same record.
    assert services.check_out(signup=signup, by=coordinator, at=at(1, 2)) == record
    assert ServiceRecord.objects.count() == 1


def test_checking_out_before_checking_in_is_refused(signup, coordinator):
    refused("尚未签到", services.check_out, signup=signup, by=coordinator, at=at(1, 1))
    assert Signup.objects.get(pk=signup.pk).checked_out_at is None


def test_check_in_too_early_or_for_a_waitlisted_volunteer_is_refused(signup, coordinator, network):
    refused("前一小时", services.check_in, signup=signup, by=coordinator, at=at(0, 21))
    signup.shift.capacity = 1
    signup.shift.save()
    waiting = services.sign_up(
        shift=signup.shift, volunteer=make_volunteer(network.community_a1), now=at(0, 8)
    )
    refused("已确认名额", services.check_in, signup=waiting, by=coordinator, at=at(0, 23))


def report(volunteer, station, start, end, hours):
    return services.report_hours(
        volunteer=volunteer,
        station=station,
        description="社区探访",
        started_at=start,
        ended_at=end,
        hours=Decimal(hours),
    )


def test_overlapping_records_are_refused(network):
    volunteer = make_volunteer(network.community_a1)
    report(volunteer, network.community_a1, at(-2, 9), at(-2, 12), "3")
    refused(
        "重叠", report, volunteer=volunteer, station=network.community_a1,
        start=at(-2, 11), end=at(-2, 13), hours="2",
    )  # fmt: skip
    # Back to back is fine; another volunteer at the same time is fine.
    report(volunteer, network.community_a1, at(-2, 12), at(-2, 13), "1")
    report(make_volunteer(network.community_a1), network.community_a1, at(-2, 9), at(-2, 12), "3")


def test_a_rejected_record_does_not_block_the_time(network, coordinator):
    volunteer = make_volunteer(network.community_a1)
    record = report(volunteer, network.community_a1, at(-2, 9), at(-2, 12), "3")
    services.reject_record(record=record, by=coordinator, reason="当天未到场")
    report(volunteer, network.community_a1, at(-2, 10), at(-2, 11), "1")


def test_a_25_hour_record_is_refused(network):
    volunteer = make_volunteer(network.community_a1)
    refused(
        "最多24小时", report, volunteer=volunteer, station=network.community_a1,
        start=at(-3, 8), end=at(-2, 9), hours="24",
    )  # fmt: skip


def test_hours_beyond_the_span_are_refused_because_travel_does_not_count(network):
    volunteer = make_volunteer(network.community_a1)
    refused(
        "路途时间不计入", report, volunteer=volunteer, station=network.community_a1,
        start=at(-2, 9), end=at(-2, 11), hours="3",
    )  # fmt: skip


def test_a_day_has_at_most_24_hours(network):
    volunteer = make_volunteer(network.community_a1)
    report(volunteer, network.community_a1, at(-3, 0), at(-3, 20), "20")
    refused(
        "24小时", report, volunteer=volunteer, station=network.community_a1,
        start=at(-3, 20, 30), end=at(-2, 1), hours="4.5",
    )  # fmt: skip


def test_future_hours_cannot_be_reported(network):
    volunteer = make_volunteer(network.community_a1)
    refused(
        "服务结束后", report, volunteer=volunteer, station=network.community_a1,
        start=at(1, 9), end=at(1, 10), hours="1",
    )  # fmt: skip


def test_verification_and_correction_with_a_reason(network, coordinator):
    volunteer = make_volunteer(network.community_a1)
    record = report(volunteer, network.community_a1, at(-2, 9), at(-2, 12), "3")
    refused_fields = pytest.raises(ValidationError)
    with refused_fields as error:
        services.verify_record(record=record, by=coordinator, hours=Decimal("2"))
    assert "更正时长的理由" in str(error.value)
    record.refresh_from_db()
    assert record.status == "pending" and record.hours == Decimal("3")
    record = services.verify_record(
        record=record, by=coordinator, hours=Decimal("2.50"), reason="中途离开半小时"
    )
    assert record.status == "verified" and record.hours == Decimal("2.50")
    assert record.reported_hours == Decimal("3.00") and record.review_note == "中途离开半小时"
    assert record.verified_by == coordinator


@pytest.mark.postgres
def test_the_database_refuses_overlaps_that_skip_the_service(network):
    volunteer = make_volunteer(network.community_a1)
    report(volunteer, network.community_a1, at(-2, 9), at(-2, 12), "3")
    for start, end, hours in (
        (at(-2, 10), at(-2, 11), "1"),  # overlap
        (at(-4, 8), at(-3, 9), "1"),  # 25 hours long
        (at(-5, 9), at(-5, 10), "2"),  # more hours than the span
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ServiceRecord.objects.create(
                volunteer=volunteer,
                station=network.community_a1,
                source="self_reported",
                description="x",
                started_at=start,
                ended_at=end,
                hours=Decimal(hours),
            )


def test_the_database_refuses_a_record_ending_before_it_starts(network):
    volunteer = make_volunteer(network.community_a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRecord.objects.create(
            volunteer=volunteer,
            station=network.community_a1,
            source="self_reported",
            description="x",
            started_at=at(-2, 9),
            ended_at=at(-2, 9) - datetime.timedelta(minutes=1),
            hours=Decimal(1),
        )


def test_staff_check_in_and_out_on_the_roster_page(client, signup, coordinator, coordinator_b):
    shift = signup.shift
    client.force_login(coordinator)
    page = client.get(f"/volunteer/staff/shifts/{shift.code}/")
    html = page.content.decode()
    assert page.status_code == 200 and signup.volunteer.real_name in html
    assert signup.volunteer.mobile not in html and signup.volunteer.mobile_masked in html
    assert "<svg" in html and shift.check_in_code in html
    response = client.post(
        f"/volunteer/staff/shifts/{shift.code}/{signup.pk}/check-out/", follow=True
    )
    assert "尚未签到" in response.content.decode()
    assert not ServiceRecord.objects.exists()
    # Another street's coordinator cannot see the shift at all.
    client.force_login(coordinator_b)
    assert client.get(f"/volunteer/staff/shifts/{shift.code}/").status_code == 404
    assert (
        client.post(f"/volunteer/staff/shifts/{shift.code}/{signup.pk}/check-in/").status_code
        == 404
    )


def test_volunteer_checks_in_by_scanning_the_shift_qr_code(client, network):
    from tests.volunteers.conftest import PASSWORD

    shift = make_shift(network.community_a1, days=0)
    shift.starts_at = at(0, 0)
    shift.ends_at = at(0, 23, 59)
    shift.save()
    volunteer = make_volunteer(network.community_a1, password=PASSWORD)
    signup = Signup.objects.create(shift=shift, volunteer=volunteer, status="confirmed", position=1)
    client.post("/volunteer/login/", {"mobile": volunteer.mobile, "password": PASSWORD})
    assert client.get(f"/volunteer/shifts/{shift.code}/check-in/wrong-token/").status_code == 404
    url = f"/volunteer/shifts/{shift.code}/check-in/{shift.check_in_code}/"
    assert "我已到场" in client.get(url).content.decode()
    assert "签到成功" in client.post(url, follow=True).content.decode()
    assert Signup.objects.get(pk=signup.pk).checked_in_at is not None
