"""The 志愿服务证明: a real PDF read back, only verified hours, and its public verification."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import Role, make_staff
from tests.pdf import assert_fonts_embedded
from tests.volunteers.conftest import (
    PASSWORD,
    at,
    birth_for_age,
    make_volunteer,
    valid_id_number,
    verified_record,
)
from volunteers import services
from volunteers.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(network, coordinator):
    coordinator.last_name, coordinator.first_name = "张", "协调"
    coordinator.save()
    director = make_staff(network.street_a, Role.DIRECTOR, "director-cert")
    director.last_name, director.first_name = "陈", "站长"
    director.save()
    network.community_a1.contact_phone = "020-85211234"
    network.community_a1.save()
    birth = birth_for_age(40)
    volunteer = make_volunteer(
        network.community_a1,
        real_name="林小红",
        birth_date=birth,
        id_number=valid_id_number(birth),
        password=PASSWORD,
    )
    verified_record(
        volunteer, network.community_a1, days_ago=3, hours=Decimal("2.5"), by=coordinator
    )
    verified_record(volunteer, network.community_a1, days_ago=4, hours=Decimal("3"), by=coordinator)
    # Pending hours are not certified.
    services.report_hours(
        volunteer=volunteer, station=network.community_a1, description="未认证的服务",
        started_at=at(-5, 8), ended_at=at(-5, 18), hours=Decimal(10),
    )  # fmt: skip
    return volunteer


def period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=30), today


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_volunteer_downloads_a_certificate_with_only_verified_hours(client, served):
    client.post("/volunteer/login/", {"mobile": served.mobile, "password": PASSWORD})
    start, end = period()
    response = client.post(
        "/volunteer/me/certificate/",
        {"period_start": start.isoformat(), "period_end": end.isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    certificate = Certificate.objects.get()
    text = pdf_text(response.content)
    assert "志愿服务证明" in text
    assert "林小红" in text and served.number in text
    assert served.id_number_masked in text and served.id_number not in text
    assert "5.50 小时" in text and "未认证的服务" not in text
    assert "社区探访" in text
    assert certificate.number in text
    assert "负责人：陈站长" in text and "联系电话：020-85211234" in text
    assert "出具单位：华师社区" in text
    assert f"{end.year}年" in text
    assert certificate.total_hours == Decimal("5.50") and certificate.record_count == 2


def test_the_certificate_form_fills_its_dates_in_the_browsers_format(client, served):
    # A date field shows only an ISO 8601 value; in Chinese "2026/01/01" showed as empty and
    # the required fields kept the form from being sent.
    client.post("/volunteer/login/", {"mobile": served.mobile, "password": PASSWORD})
    html = client.get("/volunteer/me/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    today = timezone.localdate()
    assert f'name="period_start" value="{today.year}-01-01"' in html
    assert f'name="period_end" value="{today.isoformat()}"' in html


def test_the_same_period_twice_gives_the_same_certificate(served):
    start, end = period()
    first = services.issue_certificate(volunteer=served, period_start=start, period_end=end)
    second = services.issue_certificate(volunteer=served, period_start=start, period_end=end)
    assert first == second and Certificate.objects.count() == 1


def test_no_verified_hours_no_certificate(network):
    volunteer = make_volunteer(network.community_a1)
    start, end = period()
    with pytest.raises(ValidationError, match="没有已认证的服务时长"):
        services.issue_certificate(volunteer=volunteer, period_start=start, period_end=end)
    assert not Certificate.objects.exists()


def test_the_qr_code_points_to_the_verification_page(served):
    from volunteers.certificate_pdf import render_certificate_pdf

    start, end = period()
    certificate = services.issue_certificate(volunteer=served, period_start=start, period_end=end)
    url = f"https://station.example.org{certificate.get_verification_url()}"
    content = render_certificate_pdf(certificate, url)
    assert certificate.number in url and certificate.check_code in url
    page = PdfReader(io.BytesIO(content)).pages[0]
    links = [annotation.get_object()["/A"]["/URI"] for annotation in page["/Annots"]]
    assert links == [url]
    assert url in page.extract_text()
    assert_fonts_embedded(content)


def test_verification_page_for_a_genuine_certificate_shows_totals_only(client, served):
    start, end = period()
    certificate = services.issue_certificate(volunteer=served, period_start=start, period_end=end)
    response = client.get(certificate.get_verification_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "此证明真实有效" in html and certificate.number in html and "5.50" in html
    for personal in (served.real_name, served.number, served.mobile, served.id_number_masked):
        assert personal not in html


def test_verification_page_for_a_forged_certificate(client, served):
    start, end = period()
    certificate = services.issue_certificate(volunteer=served, period_start=start, period_end=end)
    for url in (
        f"/volunteer/certificates/{certificate.number}/forged-code/",
        f"/volunteer/certificates/ZM20260101000000/{certificate.check_code}/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "查无此证明" in response.content.decode()


def test_the_certificate_speaks_the_active_language_chinese_by_default(served):
    from django.utils import translation

    from volunteers.certificate_pdf import render_certificate_pdf

    start, end = period()
    certificate = services.issue_certificate(volunteer=served, period_start=start, period_end=end)
    chinese = pdf_text(render_certificate_pdf(certificate, "https://example.org/v/1"))
    for line in (
        f"证明编号：{certificate.number}",
        f"证件类型及号码：居民身份证 {served.id_number_masked}",
        f"服务时段：{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日",
        "累计服务时长：5.50 小时（共 2 次，已认证）",
        "兹证明 林小红 同志在上述时段内参加志愿服务",
        "扫码核验真伪",
        "本证明免费出具，仅统计经服务站认证的服务时长。",
    ):
        assert line in chinese
    with translation.override("en"):
        english = pdf_text(render_certificate_pdf(certificate, "https://example.org/v/1"))
    assert "Volunteer service certificate" in english and "志愿服务证明" not in english
    assert "Total hours of service: 5.50 hours (2 times, verified)" in english
    assert f"Period of service: {start.month}/{start.day}/{start.year} to" in english
