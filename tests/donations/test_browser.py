"""The public pages on a phone in real Chromium, with a full give → sandbox pay → receipt flow."""

import pytest

from donations.models import Donation
from tests.conftest import assert_fits_phone_width, save_screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_give_pay_and_verify_the_receipt_on_a_phone(phone_page, live_server, point, campaign):
    page = phone_page
    page.goto(f"{live_server.url}/d/{point.code}/")
    assert page.locator("h1").inner_text() == point.name
    assert campaign.filing_number in page.content()
    assert_fits_phone_width(page)
    # The give button stays at the bottom of the screen, thumb-sized.
    button = page.get_by_role("button", name="我要捐款")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["y"] + box["height"] <= 740 + 1
    font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 16
    save_screenshot(page, "donations-point-phone")

    page.get_by_label(campaign.title).check()
    page.get_by_label("¥100").check()
    page.get_by_label("您的姓名").fill("王小明")
    page.get_by_label("手机号（选填）").fill("13812345678")
    page.get_by_label("留言（选填）").fill("<script>alert(1)</script>")
    page.get_by_label("在线支付（演示）").check()
    button.click()

    page.wait_for_url("**/pay/sandbox/**")
    assert "¥100.00" in page.content()
    assert_fits_phone_width(page)
    save_screenshot(page, "donations-sandbox-gateway-phone")
    page.get_by_role("button", name="支付 ¥100.00").click()

    page.wait_for_url("**/donate/g/**")
    assert "感谢您的爱心捐赠" in page.content()
    donation = Donation.objects.get()
    assert donation.status == "confirmed" and donation.campaign == campaign
    receipt = donation.receipts.get()
    assert receipt.number in page.locator(".receipt-number").inner_text()
    assert_fits_phone_width(page)
    save_screenshot(page, "donations-thank-you-phone")

    page.get_by_role("link", name="查看并验证收据").click()
    page.wait_for_url(f"**/r/{receipt.number}/{receipt.check_code}/")
    assert "有效收据" in page.content() and "¥100.00" in page.content()
    assert "13812345678" not in page.content()
    assert_fits_phone_width(page)
    save_screenshot(page, "donations-receipt-phone")


def test_browse_lookup_and_404_pages_fit_a_phone(phone_page, live_server, point, campaign):
    page = phone_page
    for path in ("/donate/", "/donate/lookup/", f"/donate/give/c-{campaign.code}/", "/d/nosuchpt/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status in (200, 404)
        assert_fits_phone_width(page)
    assert "没有找到" in page.content()


def test_the_point_page_works_without_javascript(browser, live_server, point):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 700}, locale="zh-CN"
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/d/{point.code}/")
        page.get_by_label(point.funds.get().name).check()
        page.get_by_label("¥50").check()
        page.get_by_label("到站点付款或银行转账").check()
        page.get_by_role("button", name="我要捐款").click()
        page.wait_for_url("**/donate/g/**")
        assert Donation.objects.get().reference in page.content()
    finally:
        context.close()
