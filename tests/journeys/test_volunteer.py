"""Journey 4: a resident joins as a volunteer on a phone, the coordinator approves the
registration, the volunteer signs up for a shift and checks in by scanning the shift's QR
code, the coordinator checks them out and verifies the hours, and the volunteer downloads
the certificate of service."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from stations.models import Station
from tests.conftest import assert_fits_phone_width
from tests.factories import Role, make_staff
from volunteers import services
from volunteers.models import ServiceRecord, Signup, Volunteer

from .conftest import run_admin_action, sign_in_to_admin

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

VOLUNTEER_PASSWORD = "Volunteer-Pass-2026"


@pytest.fixture
def shift(network, server_clock):
    """A three-hour shift at community A1 that starts in half an hour."""
    Station.objects.filter(pk=network.community_a1.pk).update(offers_volunteer_service=True)
    opportunity = services.create_opportunity(
        station=network.community_a1,
        title="长者饭堂助餐",
        description="分餐、送餐、陪长者聊天",
        place="华师社区长者饭堂",
    )
    start = server_clock.now + datetime.timedelta(minutes=30)
    return services.add_shift(
        opportunity=opportunity,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        capacity=5,
    )


def test_a_volunteer_joins_serves_a_shift_and_downloads_the_certificate(
    open_page, live_server, network, shift, server_clock, eager_tasks, screenshot
):
    coordinator = make_staff(network.street_a, Role.VOLUNTEER_COORDINATOR, "coordinator-a")

    # The resident joins on a phone.
    phone = open_page("phone")
    phone.goto(f"{live_server.url}/volunteer/")
    phone.get_by_role("link", name="成为志愿者").click()
    phone.wait_for_url("**/volunteer/join/")
    phone.fill("#id_real_name", "黄丽华")
    phone.get_by_label("女").check()
    phone.fill("#id_birth_date", "1990-05-17")
    phone.fill("#id_mobile", "13866668888")
    phone.fill("#id_password", VOLUNTEER_PASSWORD)
    phone.select_option("#id_home_station", str(network.community_a1.pk))
    phone.get_by_label("助老陪伴").check()
    phone.fill("#id_emergency_contact_name", "黄先生")
    phone.fill("#id_emergency_contact_phone", "13866669999")
    phone.get_by_label("我已阅读并同意隐私政策").check()
    phone.locator("button.vol-submit").click()
    phone.wait_for_url("**/volunteer/join/done/")
    volunteer = Volunteer.objects.get()
    assert volunteer.status == Volunteer.Status.PENDING and volunteer.number in phone.content()

    # The coordinator approves the registration in the admin.
    desk = open_page("desktop")
    sign_in_to_admin(desk, live_server, coordinator.username)
    desk.goto(f"{live_server.url}/admin/volunteers/volunteer/")
    desk.locator("#result_list tbody tr", has_text=volunteer.number).locator(
        "input.action-select"
    ).check()
    run_admin_action(desk, "approve")
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.ACTIVE and volunteer.reviewed_by == coordinator

    # The volunteer, still signed in, finds the shift and signs up.
    phone.goto(f"{live_server.url}/volunteer/")
    phone.get_by_role("link", name="长者饭堂助餐").first.click()
    phone.wait_for_url(f"**{shift.opportunity.get_absolute_url()}")
    phone.get_by_role("button", name="报名", exact=True).click()
    phone.wait_for_load_state()
    assert "报名成功，谢谢您！" in phone.content()
    signup = Signup.objects.get()
    assert signup.volunteer == volunteer and signup.status == Signup.Status.CONFIRMED

    # The day comes. At the place, the coordinator's roster shows the check-in QR code; the
    # volunteer scans it (its address is printed under it) and checks in.
    server_clock.advance(minutes=35)
    desk.goto(f"{live_server.url}/volunteer/staff/")
    desk.get_by_role("link", name="长者饭堂助餐").click()
    desk.wait_for_url(f"**/volunteer/staff/shifts/{shift.code}/")
    assert desk.locator(".vol-qr-image svg").count() == 1
    check_in_url = desk.locator(".vol-link").inner_text().strip()
    phone.goto(check_in_url)
    phone.get_by_role("button", name="我已到场，签到").click()
    phone.wait_for_load_state()
    assert "签到成功，感谢您的到来！" in phone.content()
    assert_fits_phone_width(phone)

    # Two and a half hours of service later, the coordinator checks the volunteer out.
    server_clock.advance(hours=2, minutes=30)
    desk.reload()
    desk.locator(".vol-roster li", has_text="黄丽华").get_by_role("button", name="签退").click()
    desk.wait_for_load_state()
    assert "黄丽华 已签退：2.50 小时，待认证。" in desk.content()
    record = ServiceRecord.objects.get()
    assert record.hours == Decimal("2.50") and record.status == ServiceRecord.Status.PENDING

    # ... and verifies the record in the admin, so the hours count.
    desk.goto(f"{live_server.url}/admin/volunteers/servicerecord/")
    desk.locator("#result_list tbody tr", has_text="黄丽华").locator("input.action-select").check()
    run_admin_action(desk, "verify")
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.VERIFIED and record.verified_by == coordinator

    # The volunteer downloads the certificate for the period of the shift.
    phone.goto(f"{live_server.url}/volunteer/me/")
    served_on = timezone.localtime(record.started_at).date().isoformat()
    phone.fill("#id_period_start", served_on)
    # A download raises no response event: note the response's headers on the way through.
    answers = []

    def pass_through(route):
        response = route.fetch()
        answers.append((response.status, response.headers))
        route.fulfill(response=response)

    phone.route("**/volunteer/me/certificate/", pass_through)
    with phone.expect_download() as download:
        phone.get_by_role("button", name="下载证明（PDF）").click()
    [(status, headers)] = answers
    assert status == 200 and headers["content-type"] == "application/pdf"
    certificate = volunteer.certificates.get()
    assert download.value.suggested_filename == f"certificate-{certificate.number}.pdf"
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "志愿服务证明" in text and "黄丽华" in text and volunteer.number in text
    assert "2.50 小时" in text and "长者饭堂助餐" in text
    assert certificate.total_hours == Decimal("2.50") and certificate.number in text

    # The certificate's own QR link says it is genuine.
    phone.goto(f"{live_server.url}{certificate.get_verification_url()}")
    assert certificate.number in phone.content() and "2.50" in phone.content()
    assert_fits_phone_width(phone)
    screenshot(phone, "journey-4-volunteer-certificate-verified")
