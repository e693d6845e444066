"""Journey 3: a disbursement from request to the donor's trace page. Committee members follow
the link in their invitation email and vote on their phones until the request is approved,
the host's reviewer passes it on in the admin, a finance officer pays it there, and the donor
who gave earlier sees on the receipt page where the gift went."""

import datetime
import re
from decimal import Decimal

import pytest

from donations import services as donation_services
from donations.targets import Target
from funds import services as fund_services
from funds.models import CommitteeMember, DisbursementRequest, LedgerEntry
from funds.selectors import fund_balances
from tests.conftest import assert_fits_phone_width
from tests.factories import Role, make_staff, make_user

from .conftest import PASSWORD, sign_in_to_admin

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

MEMBERS = [  # (username, name, role): five voting members and a supervisor
    ("cm-chair", "张建国", CommitteeMember.Role.CHAIR),
    ("cm-vice", "李秀英", CommitteeMember.Role.VICE_CHAIR),
    ("cm-secretary", "王芳", CommitteeMember.Role.SECRETARY),
    ("cm-member-1", "刘伟", CommitteeMember.Role.MEMBER),
    ("cm-member-2", "陈静", CommitteeMember.Role.MEMBER),
    ("cm-supervisor", "杨明", CommitteeMember.Role.SUPERVISOR),
]


@pytest.fixture
def committee(charity):
    users = {}
    for username, name, role in MEMBERS:
        users[username] = make_user(username, first_name=name, email=f"{username}@example.org")
        fund_services.add_committee_member(
            fund=charity.fund, user=users[username], role=role, term_start=datetime.date(2025, 1, 1)
        )
    return users


@pytest.fixture
def donors_gift(charity):
    """A resident's ¥500 to the fund, paid online before the request was made."""
    donation, _created = donation_services.create_donation(
        target=Target(fund=charity.fund),
        amount=Decimal("500.00"),
        provider="sandbox",
        point=charity.point,
        donor_name="陈阿姨",
        mobile="13912345678",
    )
    donation = donation_services.confirm_donation(
        donation=donation, by=None, channel="online_sandbox", reference="SBX-0001"
    )
    return donation.receipts.get()


def test_members_vote_the_host_reviews_finance_pays_and_the_donor_sees_where_it_went(
    open_page, live_server, settings, mailoutbox, charity, committee, donors_gift, cast,
    network, eager_tasks, screenshot,
):  # fmt: skip
    settings.SITE_URL = live_server.url
    requester = make_staff(network.community_a1, Role.SOCIAL_WORKER, "worker-a1")
    request = fund_services.request_disbursement(
        fund=charity.fund,
        project=charity.project,
        amount="300.00",
        purpose="长者饭堂十二月食材",
        payee="华师长者饭堂",
        by=requester,
    )
    fund_services.submit_disbursement(request=request, by=requester)

    # Every voting member is invited by email, with the link to the dashboard.
    invitations = {message.to[0]: message.body for message in mailoutbox}
    voters = [username for username, _name, role in MEMBERS if role != "supervisor"]
    assert sorted(invitations) == sorted(f"{username}@example.org" for username in voters)

    # Four of the five vote on their phones: the quorum (two thirds) and a majority.
    for number, username in enumerate(voters[:4], start=1):
        link = re.search(r"https?://\S+/dashboard/", invitations[f"{username}@example.org"])
        page = open_page("phone")
        page.goto(link.group(0))
        page.wait_for_url("**/login/**")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"**/funds/{charity.fund.code}/dashboard/")
        card = page.locator("#waiting article", has_text=charity.project.title)
        assert "¥300.00" in card.inner_text() and "华师长者饭堂" in card.inner_text()
        card.locator("textarea").fill(f"同意，第{number}票")
        card.get_by_role("button", name="同意").click()
        page.wait_for_load_state()
        assert (
            f"您对{charity.project.title}的投票已记录。" in page.locator(".messages").inner_text()
        )
        assert_fits_phone_width(page)
    request.refresh_from_db()
    assert request.status == DisbursementRequest.Status.APPROVED
    assert request.votes.count() == 4 and "同意，第4票" in request.minutes
    assert "暂无待表决的申请。" in page.content()  # the last voter's dashboard, after the vote

    # The host's review, by the street's director, on its own admin page.
    reviewer = open_page("desktop")
    sign_in_to_admin(reviewer, live_server, cast.director.username)
    reviewer.goto(f"{live_server.url}/admin/funds/disbursementrequest/")
    row = reviewer.locator("#result_list tbody tr", has_text=charity.project.title)
    assert "已批准" in row.inner_text()
    row.get_by_role("link", name="慈善组织审核").click()
    reviewer.wait_for_url(f"**/disbursementrequest/{request.pk}/review/")
    assert "同意，第4票" in reviewer.locator("pre").inner_text()  # the minutes, to read first
    reviewer.get_by_label("通过，转支付").check()
    reviewer.get_by_label("备注").fill("票据齐全，同意支付")
    reviewer.get_by_role("button", name="慈善组织审核").click()
    reviewer.wait_for_url(f"**/disbursementrequest/{request.pk}/change/")
    request.refresh_from_db()
    assert request.status == DisbursementRequest.Status.HOST_REVIEWED
    assert request.host_reviewed_by == cast.director

    # The finance officer pays it.
    finance = open_page("desktop")
    sign_in_to_admin(finance, live_server, cast.finance_officer.username)
    finance.goto(f"{live_server.url}/admin/funds/disbursementrequest/")
    finance.locator("#result_list tbody tr", has_text=charity.project.title).get_by_role(
        "link", name="支付"
    ).click()
    finance.wait_for_url(f"**/disbursementrequest/{request.pk}/pay/")
    finance.get_by_role("button", name="支付").click()
    finance.wait_for_url(f"**/disbursementrequest/{request.pk}/change/")
    assert "已完成" in finance.locator("ul.messagelist").inner_text()
    request.refresh_from_db()
    assert (
        request.status == DisbursementRequest.Status.PAID
        and request.paid_by == cast.finance_officer
    )
    debit = LedgerEntry.objects.get(kind=LedgerEntry.Kind.DISBURSEMENT)
    assert debit.amount == Decimal("-300.00") and debit.memo == "长者饭堂十二月食材"
    assert fund_balances(charity.fund)["total"] == Decimal("200.00")

    # The donor opens the receipt link kept from the thank-you page.
    donor = open_page("phone")
    donor.goto(f"{live_server.url}{donors_gift.get_absolute_url()}")
    trace = donor.locator("section", has_text="我的善款去哪了")
    spent = trace.locator("table tbody tr")
    assert spent.count() == 1
    cells = spent.first.locator("td").all_inner_texts()
    assert cells[1:] == [charity.project.title, "¥300.00"]
    assert "¥200.00" in trace.inner_text()  # still waiting to be used
    assert_fits_phone_width(donor)
    screenshot(donor, "journey-3-donor-trace-shows-the-payment")
