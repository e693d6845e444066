"""Sign-up with capacity and a waiting list; cancellation promotes the first in line."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.volunteers.conftest import PASSWORD, at, make_shift, make_volunteer
from volunteers import notifications, services
from volunteers.models import Signup

pytestmark = pytest.mark.django_db


def refused(message: str, **kwargs):
    before = Signup.objects.count()
    with pytest.raises(ValidationError) as error:
        services.sign_up(**kwargs)
    assert message in " ".join(error.value.messages)
    assert Signup.objects.count() == before


def test_full_shift_puts_volunteers_on_the_waiting_list_in_order(network):
    shift = make_shift(network.community_a1, capacity=2)
    people = [make_volunteer(network.community_a1) for _ in range(4)]
    signups = [services.sign_up(shift=shift, volunteer=v) for v in people]
    assert [s.status for s in signups] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [s.position for s in signups] == [1, 2, 3, 4]


def test_cancellation_promotes_the_first_in_line_and_tells_them(
    network, eager_tasks, django_capture_on_commit_callbacks
):
    shift = make_shift(network.community_a1, capacity=1)
    first = make_volunteer(network.community_a1)
    second = make_volunteer(network.community_a1, email="second@example.org")
    third = make_volunteer(network.community_a1, email="third@example.org")
    signups = [services.sign_up(shift=shift, volunteer=v) for v in (first, second, third)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.cancel_signup(signup=signups[0])
    assert len(callbacks) == 1
    statuses = dict(Signup.objects.values_list("volunteer_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "confirmed", third.pk: "waitlisted"}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["second@example.org"]
    assert "您已获得班次名额" in message.subject and "长者饭堂助餐" in message.body
    promoted = Signup.objects.get(volunteer=second)
    assert promoted.promoted_at is not None and promoted.promotion_notified_at is not None
    # The task is idempotent: running it again sends nothing.
    assert notifications.notify_promotion(signup_id=promoted.pk) is False
    assert len(mail.outbox) == 1


def test_cancelling_a_waitlisted_signup_promotes_nobody(network):
    shift = make_shift(network.community_a1, capacity=1)
    signups = [
        services.sign_up(shift=shift, volunteer=make_volunteer(network.community_a1))
        for _ in range(3)
    ]
    services.cancel_signup(signup=signups[1])
    assert list(Signup.objects.order_by("position").values_list("status", flat=True)) == [
        "confirmed", "cancelled", "waitlisted",
    ]  # fmt: skip
    # Cancelling twice changes nothing.
    services.cancel_signup(signup=signups[1])
    assert Signup.objects.filter(status="confirmed").count() == 1


def test_signing_up_twice_is_refused(network):
    shift = make_shift(network.community_a1)
    volunteer = make_volunteer(network.community_a1)
    services.sign_up(shift=shift, volunteer=volunteer)
    refused("您已报名该班次", shift=shift, volunteer=volunteer)


def test_signing_up_again_after_cancelling_is_allowed(network):
    shift = make_shift(network.community_a1)
    volunteer = make_volunteer(network.community_a1)
    services.cancel_signup(signup=services.sign_up(shift=shift, volunteer=volunteer))
    assert services.sign_up(shift=shift, volunteer=volunteer).status == "confirmed"


def test_a_shift_in_the_past_is_refused(network):
    shift = make_shift(network.community_a1, days=-1)
    refused("该班次已开始或已结束", shift=shift, volunteer=make_volunteer(network.community_a1))


def test_a_risky_shift_needs_insurance_valid_on_the_day(network):
    shift = make_shift(network.community_a1, days=10, is_risky=True)
    uninsured = make_volunteer(network.community_a1)
    refused("须登记服务当天有效的意外险", shift=shift, volunteer=uninsured)
    expiring = make_volunteer(
        network.community_a1,
        insurance_policy_number="PICC-1",
        insurance_valid_until=timezone.localdate() + datetime.timedelta(days=5),
    )
    refused("意外险", shift=shift, volunteer=expiring)
    insured = make_volunteer(
        network.community_a1,
        insurance_policy_number="PICC-2",
        insurance_valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert services.sign_up(shift=shift, volunteer=insured).status == "confirmed"


def test_below_the_minimum_age_is_refused(network):
    shift = make_shift(network.community_a1, minimum_age=16)
    refused("仅限16周岁及以上", shift=shift, volunteer=make_volunteer(network.community_a1, age=13))
    assert services.sign_up(shift=shift, volunteer=make_volunteer(network.community_a1, age=16))


def test_a_volunteer_waiting_for_review_cannot_sign_up(network):
    shift = make_shift(network.community_a1)
    refused(
        "尚未通过审核", shift=shift, volunteer=make_volunteer(network.community_a1, active=False)
    )


def test_a_shift_ending_before_it_starts_is_refused(network):
    from volunteers.models import Opportunity, Shift

    opportunity = services.create_opportunity(
        station=network.community_a1, title="t", description="d", place="p"
    )
    with pytest.raises(ValidationError) as error:
        services.add_shift(
            opportunity=opportunity, starts_at=at(2, 10), ends_at=at(2, 9), capacity=3
        )
    assert "结束时间必须晚于开始时间" in str(error.value)
    with pytest.raises(ValidationError):
        services.add_shift(
            opportunity=opportunity, starts_at=at(2, 9), ends_at=at(2, 10), capacity=0
        )
    assert not Shift.objects.exists() and Opportunity.objects.count() == 1


# --- Pages ---------------------------------------------------------------------------------------


def login(client, volunteer):
    assert (
        client.post(
            "/volunteer/login/", {"mobile": volunteer.mobile, "password": PASSWORD}
        ).status_code
        == 302
    )


def test_sign_up_and_cancel_through_the_pages(client, network, volunteer):
    shift = make_shift(network.community_a1, capacity=1)
    login(client, volunteer)
    page = client.get(f"/volunteer/opportunities/{shift.opportunity.code}/").content.decode()
    assert "剩余 1 个名额" in page
    response = client.post(f"/volunteer/shifts/{shift.code}/sign-up/", follow=True)
    html = response.content.decode()
    assert "报名成功" in html and "您已报名。" in html
    response = client.post(f"/volunteer/shifts/{shift.code}/sign-up/", follow=True)
    assert "您已报名该班次" in response.content.decode()
    assert Signup.objects.filter(volunteer=volunteer).count() == 1
    me = client.get("/volunteer/me/").content.decode()
    assert shift.opportunity.title in me
    response = client.post(f"/volunteer/shifts/{shift.code}/cancel/", {"back": "me"}, follow=True)
    assert "已取消报名" in response.content.decode()
    assert Signup.objects.get().status == "cancelled"


def test_waiting_list_message_gives_the_place_in_line(client, network, volunteer):
    shift = make_shift(network.community_a1, capacity=1)
    services.sign_up(shift=shift, volunteer=make_volunteer(network.community_a1))
    login(client, volunteer)
    html = client.post(f"/volunteer/shifts/{shift.code}/sign-up/", follow=True).content.decode()
    assert "候补第 1 位" in html


def test_signing_up_needs_a_login_and_a_post(client, network):
    shift = make_shift(network.community_a1)
    response = client.post(f"/volunteer/shifts/{shift.code}/sign-up/")
    assert response.status_code == 302 and "/volunteer/login/" in response["Location"]
    assert not Signup.objects.exists()


def test_open_opportunities_by_station_and_date(client, network):
    soon = make_shift(network.community_a1, days=2, title="长者饭堂助餐")
    later = make_shift(network.community_b1, days=5, title="社区清洁日")
    make_shift(network.community_a1, days=-2, title="已结束的活动")
    html = client.get("/volunteer/").content.decode()
    assert soon.opportunity.title in html and later.opportunity.title in html
    assert "已结束的活动" not in html
    network.street_a.offers_volunteer_service = True
    network.street_a.save()
    html = client.get(f"/volunteer/?station={network.street_a.code}").content.decode()
    assert soon.opportunity.title in html and later.opportunity.title not in html
    day = timezone.localtime(later.starts_at).date().isoformat()
    html = client.get(f"/volunteer/?day={day}").content.decode()
    assert later.opportunity.title in html and soon.opportunity.title not in html
