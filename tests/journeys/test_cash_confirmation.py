"""Journey 2: a resident promises a gift at a point and pays cash at the desk; the finance
officer finds the pending donation in the admin and confirms it; the receipt number appears,
in the admin and on the resident's page."""

import pytest

from donations.models import Donation
from funds.selectors import fund_balances
from tests.conftest import assert_fits_phone_width

from .conftest import run_admin_action, sign_in_to_admin

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_finance_officer_confirms_a_cash_donation_in_the_admin(
    open_page, live_server, charity, cast, eager_tasks, screenshot
):
    # The resident chooses to pay at the point and is given a reference code.
    resident = open_page("phone")
    resident.goto(f"{live_server.url}/d/{charity.point.code}/")
    resident.get_by_label(charity.fund.name).check()
    resident.get_by_role("radio", name="其他金额").check()
    resident.get_by_role("textbox", name="其他金额（元）").fill("200")
    resident.get_by_label("您的姓名").fill("林伯")
    resident.get_by_label("到站点付款或银行转账").check()
    resident.get_by_role("button", name="我要捐款").click()
    resident.wait_for_url("**/donate/g/**")
    reference = resident.locator(".reference").inner_text().strip()
    donation = Donation.objects.get()
    assert reference == donation.reference and donation.status == Donation.Status.PENDING
    assert not donation.receipts.exists()

    # At the desk: the finance officer of street A looks the reference up in the admin.
    desk = open_page("desktop")
    sign_in_to_admin(desk, live_server, cast.finance_officer.username)
    desk.goto(f"{live_server.url}/admin/donations/donation/")
    desk.fill("#searchbar", reference)
    desk.press("#searchbar", "Enter")
    desk.wait_for_load_state()
    row = desk.locator("#result_list tbody tr", has_text=reference)
    assert row.count() == 1 and "待付款" in row.inner_text()
    row.locator("input.action-select").check()
    run_admin_action(desk, "confirm_selected")

    # The action asks how the money came in before it confirms.
    assert desk.locator("h1").inner_text() == "确认捐赠"
    desk.select_option("#id_channel", "cash")
    desk.fill("#id_reference", "前台现金，王会计收")
    desk.get_by_role("button", name="确认捐赠").click()
    desk.wait_for_url("**/admin/donations/donation/**")
    assert "已确认 1 笔捐赠。" in desk.locator("ul.messagelist").inner_text()

    donation.refresh_from_db()
    receipt = donation.receipts.get()
    assert donation.status == Donation.Status.CONFIRMED and donation.channel == "cash"
    assert donation.confirmed_by == cast.finance_officer
    assert donation.payment_reference == "前台现金，王会计收"
    assert fund_balances(charity.fund)["total"] == 200
    row = desk.locator("#result_list tbody tr", has_text=reference)
    assert receipt.number in row.inner_text() and "已确认" in row.inner_text()
    # The donation's own page in the admin: confirmed, by whom, with its receipt.
    row.locator("th a").click()
    desk.wait_for_url(f"**/admin/donations/donation/{donation.pk}/**")
    assert desk.locator(".field-receipt_numbers .readonly").inner_text() == receipt.number
    assert desk.locator(".field-status .readonly").inner_text() == "已确认"
    assert desk.locator(".field-channel .readonly").inner_text() == "现金"
    screenshot(desk, "journey-2-finance-officer-confirmed")

    # The resident's page, opened again, now shows the receipt.
    resident.reload()
    assert resident.locator("h1").inner_text() == "感谢您的爱心捐赠！"
    assert resident.locator(".receipt-number").inner_text().strip() == receipt.number
    assert_fits_phone_width(resident)
    screenshot(resident, "journey-2-resident-receipt")
