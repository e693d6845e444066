"""The committee dashboard: who may see it, its figures, voting from it, constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from funds import services
from funds.models import DisbursementRequest, LedgerEntry, Vote

pytestmark = pytest.mark.django_db


def url(fund) -> str:
    return f"/funds/{fund.code}/dashboard/"


def test_committee_members_and_station_staff_see_it(client, funded, committee, cast):
    for user in (committee.member_1, committee.supervisor, cast.director, cast.finance_officer):
        client.force_login(user)
        response = client.get(url(funded))
        assert response.status_code == 200, user
        assert funded.name in response.content.decode()


def test_others_get_404_and_anonymous_users_are_asked_to_sign_in(client, funded, cast):
    for user in (cast.social_worker, cast.outsider):
        client.force_login(user)
        assert client.get(url(funded)).status_code == 404
    client.logout()
    response = client.get(url(funded))
    assert response.status_code == 302
    assert response["Location"].startswith(f"/funds/{funded.code}/login/")


def test_a_committee_member_signs_in_on_the_fund_login_page(client, funded, committee):
    committee.member_1.set_password("pw-Secret-123")
    committee.member_1.save()
    login = f"/funds/{funded.code}/login/"
    assert "管委会委员登录" in client.get(login).content.decode()
    response = client.post(login, {"username": "cm-member_1", "password": "pw-Secret-123"})
    assert response.status_code == 302 and response["Location"] == url(funded)


def test_the_figures(client, funded, committee, project, cast):
    client.force_login(committee.member_1)
    html = client.get(url(funded)).content.decode()
    assert "¥1,500.00" in html  # total balance
    assert "¥1,000.00" in html and "¥500.00" in html  # unrestricted, restricted
    assert project.title in html
    assert "<svg" in html and "<script" not in html
    assert "近 12 个月收支" in html


def test_a_member_votes_from_the_dashboard_in_one_tap(client, make_request, committee):
    request = make_request()
    client.force_login(committee.member_1)
    html = client.get(url(request.fund)).content.decode()
    assert "1 项申请等待您投票" in html
    assert f"/requests/{request.code}/vote/" in html
    response = client.post(
        f"/funds/{request.fund.code}/requests/{request.code}/vote/",
        {"choice": "approve", "comment": "同意，食材价格合理"},
    )
    assert response.status_code == 302
    vote = Vote.objects.get()
    assert vote.member.user == committee.member_1 and vote.comment == "同意，食材价格合理"
    html = client.get(url(request.fund)).content.decode()
    assert "您已投票" in html and "0 项申请等待您投票" in html
    # A second vote is refused with a clear message, not an error page.
    response = client.post(
        f"/funds/{request.fund.code}/requests/{request.code}/vote/",
        {"choice": "reject"},
        follow=True,
    )
    assert "已经投过票" in response.content.decode()
    assert Vote.objects.count() == 1


def test_a_recused_member_sees_why_and_no_vote_form(client, make_request, committee, project):
    committee.seats["member_1"].tied_projects.add(project)
    request = make_request()
    client.force_login(committee.member_1)
    html = client.get(url(request.fund)).content.decode()
    assert "您须回避" in html and f"/requests/{request.code}/vote/" not in html


def test_the_supervisor_records_an_opinion_from_the_dashboard(client, make_request, committee):
    request = make_request()
    client.force_login(committee.supervisor)
    response = client.post(
        f"/funds/{request.fund.code}/requests/{request.code}/opinion/", {"opinion": "合规"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert "合规" in request.supervisor_opinion


def test_a_broken_committee_shows_a_warning(client, funded, committee):
    from funds.models import CommitteeMember

    CommitteeMember.objects.filter(user=committee.member_2).delete()
    client.force_login(committee.member_1)
    assert "投票暂停" in client.get(url(funded)).content.decode()


def add_history(fund, project, committee, requester, reviewer, payer, *, months: int):
    """Credits every month, paid requests, campaigns: the data the dashboard aggregates."""
    now = timezone.now()
    campaign = services.create_campaign(
        host=fund.host, lead_fund=fund, title=f"活动{months}", goal=Decimal("10000"),
        starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2027, 1, 1),
        filing_number="F-1",
    )  # fmt: skip
    for back in range(months):
        for gift in range(3):
            services.post_entry(
                fund=fund, amount=Decimal("100.00"), kind=LedgerEntry.Kind.DONATION,
                project=project if gift == 1 else None, campaign=campaign if gift == 2 else None,
                posted_at=now - datetime.timedelta(days=30 * back + gift), public_name="爱心人士",
                source=services.Source("tests.history", f"{months}-{back}-{gift}"),
            )  # fmt: skip
    for number in range(months // 4):
        request = services.request_disbursement(
            fund=fund, project=project, amount="50.00", purpose=f"第{number}批", payee="饭堂",
            by=requester, is_administrative=number % 2 == 1,
        )  # fmt: skip
        request = services.submit_disbursement(request=request, by=requester)
        for user in committee.voters[:4]:
            services.cast_vote(request=request, by=user, choice="approve")
        services.review_disbursement(request=request, by=reviewer, approve=True)
        services.pay_disbursement(request=request, by=payer)
    # One request waiting for votes.
    waiting = services.request_disbursement(
        fund=fund, project=project, amount="10.00", purpose="待表决", payee="x", by=requester
    )
    services.submit_disbursement(request=waiting, by=requester)


@pytest.mark.parametrize("months", [4, 24])
def test_the_query_count_does_not_grow_with_the_ledger(
    client, fund, project, committee, requester, reviewer, payer, months,
    django_assert_num_queries,
):  # fmt: skip
    add_history(fund, project, committee, requester, reviewer, payer, months=months)
    assert LedgerEntry.objects.count() >= months * 3
    client.force_login(committee.member_1)
    client.get(url(fund))  # warm the session and content types
    with django_assert_num_queries(QUERIES):
        response = client.get(url(fund))
    assert response.status_code == 200
    assert DisbursementRequest.objects.filter(status="paid").count() == months // 4


# The same number at both sizes: the parametrised test above fails if it grows. One of them
# is the reports app's panel of the fund's reports (FUNDS_DASHBOARD_PANELS).
QUERIES = 16
