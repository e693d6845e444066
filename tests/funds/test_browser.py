"""The public fund page and the committee dashboard on a phone, in real Chromium."""

import pytest

from funds.models import Vote
from tests.conftest import assert_fits_phone_width, save_screenshot
from tests.factories import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def requester(db):
    # Transactional tests flush the role groups made by data migrations.
    return make_user("browser-requester", is_superuser=True, is_staff=True)


def test_public_page_and_a_two_tap_vote_on_a_phone(
    phone_page, live_server, make_request, committee
):
    request = make_request()
    fund = request.fund
    page = phone_page
    page.goto(f"{live_server.url}/funds/{fund.code}/")
    assert page.locator("h1").inner_text() == fund.name
    assert_fits_phone_width(page)
    save_screenshot(page, "fund-page-phone")

    committee.member_1.set_password("pw-Secret-123")
    committee.member_1.save()
    page.goto(f"{live_server.url}/funds/{fund.code}/dashboard/")
    page.fill("#id_username", "cm-member_1")
    page.fill("#id_password", "pw-Secret-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**/funds/{fund.code}/dashboard/")
    assert_fits_phone_width(page)
    assert page.locator("svg").count() >= 1
    page.fill(f"#comment-{request.code}", "同意")
    page.get_by_role("button", name="同意").click()
    page.wait_for_load_state()
    assert "您对长者饭堂的投票已记录" in page.content()
    assert_fits_phone_width(page)
    save_screenshot(page, "fund-dashboard-phone")
    vote = Vote.objects.get()
    assert vote.choice == "approve" and vote.comment == "同意"
