"""Admin: scoped lists, the composition warning, requests made with the service's checks, and
the host review and payment on their own pages with permissions."""

import pytest

from funds import services
from funds.models import CommitteeMember, DisbursementRequest, LedgerEntry

pytestmark = pytest.mark.django_db
LIST = "/admin/funds/disbursementrequest/"


def test_the_committee_page_warns_while_the_rule_is_broken(client, fund, committee, cast):
    client.force_login(cast.director)
    page = f"/admin/funds/committee/{committee.seats['chair'].committee_id}/change/"
    assert "投票暂停" not in client.get(page).content.decode()
    CommitteeMember.objects.filter(user=committee.member_2).delete()
    html = client.get(page).content.decode()
    assert "须为单数" in html and "至少需要 5 人" in html


def test_requests_are_listed_with_status_filters_and_scoped(client, make_request, committee, cast):
    request = make_request()
    client.force_login(cast.director)
    html = client.get(f"{LIST}?status__exact=voting").content.decode()
    assert request.project.title in html
    client.force_login(cast.social_worker)  # another street
    assert request.project.title not in client.get(LIST).content.decode()
    assert client.get(f"{LIST}{request.pk}/change/").status_code == 404


def test_a_request_made_in_the_admin_goes_through_the_checks(client, funded, project, requester):
    client.force_login(requester)
    data = {"fund": funded.pk, "project": project.pk, "amount": "99999.00", "purpose": "x",
            "payee": "y", "votes-TOTAL_FORMS": "0", "votes-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}  # fmt: skip
    response = client.post(f"{LIST}add/", data)
    assert response.status_code == 200 and "基金无法支付" in response.content.decode()
    assert not DisbursementRequest.objects.exists()
    data["amount"] = "120.00"
    response = client.post(f"{LIST}add/", data)
    assert response.status_code == 302
    created = DisbursementRequest.objects.get()
    assert created.requested_by == requester and created.events.count() == 1


def test_save_and_continue_editing_opens_the_new_request(client, funded, project, requester):
    """「保存并继续编辑」 lands on the request just made (it was a 404 on /None/change/)."""
    client.force_login(requester)
    data = {"fund": funded.pk, "project": project.pk, "amount": "120.00", "purpose": "x",
            "payee": "y", "votes-TOTAL_FORMS": "0", "votes-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0", "_continue": "1"}  # fmt: skip
    response = client.post(f"{LIST}add/", data)
    created = DisbursementRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}{created.pk}/change/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and created.payee in page.content.decode()


def test_paying_happens_on_its_own_page_for_finance_only(
    client, make_request, committee, reviewer, payer, cast
):
    request = make_request()
    for user in committee.voters[:4]:
        services.cast_vote(request=request, by=user, choice="approve")
    client.force_login(reviewer)
    review = f"{LIST}{request.pk}/review/"
    assert client.get(review).status_code == 200
    client.post(review, {"decision": "approve", "note": "齐全"})
    request.refresh_from_db()
    assert request.status == "host_reviewed"
    pay = f"{LIST}{request.pk}/pay/"
    assert client.get(pay).status_code == 403  # the director has no pay permission
    client.force_login(payer)
    response = client.post(pay)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "paid"
    response = client.post(pay, follow=True)  # twice: a message, nothing changed
    assert "已经支付" in response.content.decode()
    assert LedgerEntry.objects.filter(kind="disbursement").count() == 1


def test_the_generic_change_form_cannot_change_money_or_status(client, make_request, cast):
    request = make_request()
    client.force_login(cast.director)
    html = client.get(f"{LIST}{request.pk}/change/").content.decode()
    assert 'name="amount"' not in html and 'name="status"' not in html
