"""Journey 1: a resident scans a donation point's QR code, gives through the sandbox gateway,
gets the receipt and verifies it, all on a phone."""

import io

import pytest
from pypdf import PdfReader

from donations.models import Donation
from funds.selectors import fund_balances
from tests.conftest import assert_fits_phone_width

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_resident_gives_at_a_point_and_verifies_the_receipt(
    open_page, live_server, charity, eager_tasks, screenshot
):
    page = open_page("phone")
    # The QR poster at the point encodes /d/<code>/.
    page.goto(f"{live_server.url}/d/{charity.point.code}/")
    assert page.locator("h1").inner_text() == charity.point.name
    assert charity.host.name in page.content()
    page.get_by_label(charity.fund.name).check()
    page.get_by_label("¥50", exact=True).check()
    page.get_by_label("您的姓名").fill("陈阿姨")
    page.get_by_label("手机号（选填）").fill("13912345678")
    page.get_by_label("留言（选填）").fill("祝长者们身体健康")
    page.get_by_label("在线支付（演示）").check()
    page.get_by_role("button", name="我要捐款").click()

    # The gateway shows the order and takes the payment.
    page.wait_for_url("**/pay/sandbox/**")
    assert "¥50.00" in page.content()
    assert_fits_phone_width(page)
    page.get_by_role("button", name="支付 ¥50.00").click()

    # Back on the platform: thanks, and the receipt number.
    page.wait_for_url("**/donate/g/**")
    assert page.locator("h1").inner_text() == "感谢您的爱心捐赠！"
    shown_number = page.locator(".receipt-number").inner_text().strip()
    donation = Donation.objects.get()
    receipt = donation.receipts.get()
    assert shown_number == receipt.number
    assert donation.status == Donation.Status.CONFIRMED and donation.channel == "online_sandbox"
    assert fund_balances(charity.fund)["total"] == donation.amount == 50

    # The link the resident keeps: the verification page says the receipt is valid.
    page.get_by_role("link", name="查看并验证收据").click()
    page.wait_for_url(f"**/r/{receipt.number}/{receipt.check_code}/")
    assert page.locator(".status-valid").inner_text() == "有效收据"
    assert page.locator(".receipt-number").inner_text() == receipt.number
    content = page.content()
    assert "¥50.00" in content and "陈阿姨" in content and charity.host.name in content
    assert "13912345678" not in content  # the phone number is never on a public page
    assert charity.fund.name in page.locator("section", has_text="我的善款去哪了").inner_text()
    assert_fits_phone_width(page)

    # The receipt itself, as the PDF the resident downloads from that page.
    href = page.locator(f"a[href$='/r/{receipt.number}/{receipt.check_code}/pdf/']").get_attribute(
        "href"
    )
    pdf = page.context.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert receipt.number in text and "伍拾元整" in text

    screenshot(page, "journey-1-resident-receipt-verified")
