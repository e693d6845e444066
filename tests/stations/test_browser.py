import pytest

from tests.conftest import assert_fits_phone_width, save_screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_home_and_station_page_on_a_phone(phone_page, live_server, network):
    page = phone_page
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "社工站网络"
    assert_fits_phone_width(page)
    page.get_by_role("link", name=network.community_a1.name).click()
    page.wait_for_url(f"**/stations/{network.community_a1.code}/")
    assert page.locator("h1").inner_text() == network.community_a1.name
    assert_fits_phone_width(page)
    # The language switch works without JavaScript-only tricks: a plain form post.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert "Services" in page.content()
    save_screenshot(page, "station-page-phone")
