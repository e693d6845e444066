"""The join and sign-up pages on a phone-sized screen in headless Chromium."""

import pytest

from stations.models import Station
from tests.conftest import assert_fits_phone_width, save_screenshot
from tests.volunteers.conftest import PASSWORD, birth_for_age, make_shift, make_volunteer
from volunteers.models import Signup, Volunteer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_join_on_a_phone(phone_page, live_server, network):
    Station.objects.filter(pk=network.community_a1.pk).update(offers_volunteer_service=True)
    page = phone_page
    page.goto(f"{live_server.url}/volunteer/join/")
    assert page.locator("h1").inner_text() == "成为志愿者"
    assert_fits_phone_width(page)
    font_size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#id_real_name')).fontSize)"
    )
    assert font_size >= 16
    button_height = page.locator("button.vol-submit").bounding_box()["height"]
    assert button_height >= 44

    page.fill("#id_real_name", "黄小丽")
    page.get_by_label("女").check()
    page.fill("#id_birth_date", birth_for_age(15).isoformat())
    page.fill("#id_mobile", "13866668888")
    page.fill("#id_password", PASSWORD)
    page.select_option("#id_home_station", str(network.community_a1.pk))
    page.get_by_label("助老陪伴").check()
    page.fill("#id_emergency_contact_name", "黄妈妈")
    page.fill("#id_emergency_contact_phone", "13866669999")
    page.get_by_label("我已阅读并同意隐私政策").check()
    page.locator("button.vol-submit").click()
    page.wait_for_load_state()
    # A minor without guardian consent: refused with a clear message, nothing saved.
    assert "未满18周岁的志愿者需要登记监护人" in page.content()
    assert not Volunteer.objects.exists()
    assert_fits_phone_width(page)
    save_screenshot(page, "volunteer-join-refused-phone")

    page.fill("#id_password", PASSWORD)
    page.fill("#id_guardian_name", "黄爸爸")
    page.fill("#id_guardian_phone", "13866667777")
    page.get_by_label("监护人同意我参加志愿服务").check()
    page.locator("button.vol-submit").click()
    page.wait_for_url("**/volunteer/join/done/")
    assert page.locator("h1").inner_text() == "登记已提交"
    assert Volunteer.objects.get().guardian_consent_at is not None
    assert_fits_phone_width(page)
    save_screenshot(page, "volunteer-join-done-phone")


def test_sign_up_on_a_phone(phone_page, live_server, network):
    shift = make_shift(network.community_a1, capacity=1)
    volunteer = make_volunteer(network.community_a1, password=PASSWORD)
    page = phone_page
    page.goto(f"{live_server.url}{shift.opportunity.get_absolute_url()}")
    assert_fits_phone_width(page)
    page.get_by_role("link", name="登录后报名").click()
    page.fill("#id_mobile", volunteer.mobile)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{shift.opportunity.get_absolute_url()}")
    page.get_by_role("button", name="报名", exact=True).click()
    page.wait_for_load_state()
    assert "报名成功" in page.content()
    assert Signup.objects.get().status == "confirmed"
    assert_fits_phone_width(page)
    save_screenshot(page, "volunteer-signup-phone")
    page.goto(f"{live_server.url}/volunteer/me/")
    assert shift.opportunity.title in page.content()
    assert_fits_phone_width(page)
    save_screenshot(page, "volunteer-my-page-phone")
