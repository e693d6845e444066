"""The funds API: permission basics, scoping, the request flow through actions, one error shape."""

import pytest
from rest_framework.test import APIClient

from funds.models import DisbursementRequest, LedgerEntry

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/hosts/", "/api/v1/funds/", "/api/v1/ledger-entries/", "/api/v1/campaigns/",
         "/api/v1/disbursement-requests/"]  # fmt: skip


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize("url", LISTS)
def test_anonymous_users_get_nothing(url, funded):
    assert api().get(url).status_code in (401, 403)


@pytest.mark.parametrize("url", LISTS[:4])
def test_a_user_without_a_role_is_refused(url, funded, cast):
    assert api(cast.outsider).get(url).status_code == 403


def test_funds_and_ledger_are_scoped_to_the_users_stations(funded, cast):
    director = api(cast.director)
    assert [f["code"] for f in director.get("/api/v1/funds/").json()["results"]] == [funded.code]
    assert director.get(f"/api/v1/ledger-entries/?fund={funded.code}").json()["count"] == 2
    other = api(cast.social_worker)  # a social worker of another street
    assert other.get("/api/v1/funds/").json()["results"] == []
    assert other.get(f"/api/v1/funds/{funded.code}/").status_code == 404
    assert other.get("/api/v1/ledger-entries/").json()["count"] == 0


def test_the_ledger_is_read_only(funded, cast):
    entry = LedgerEntry.objects.first()
    client = api(cast.superuser)
    assert client.post("/api/v1/ledger-entries/", {"amount": "1"}).status_code == 405
    assert client.patch(f"/api/v1/ledger-entries/{entry.pk}/", {"amount": "1"}).status_code == 405
    assert client.delete(f"/api/v1/ledger-entries/{entry.pk}/").status_code == 405


def test_the_request_flow_through_the_api(funded, project, committee, requester, reviewer, payer):
    created = api(requester).post(
        "/api/v1/disbursement-requests/",
        {"fund": funded.code, "project": project.code, "amount": "300.00",
         "purpose": "食材", "payee": "饭堂"},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    base = f"/api/v1/disbursement-requests/{code}"
    assert api(requester).post(f"{base}/submit/").json()["status"] == "voting"
    # Committee members are not staff: they reach the requests of their own fund.
    for user in committee.voters[:4]:
        response = api(user).post(f"{base}/vote/", {"choice": "approve", "comment": "同意"})
        assert response.status_code == 200, response.json()
    body = api(committee.chair).get(f"{base}/").json()
    assert body["status"] == "approved" and len(body["votes"]) == 4
    assert api(reviewer).post(f"{base}/review/", {"approve": True}).json()["status"] == (
        "host_reviewed"
    )
    assert api(payer).post(f"{base}/pay/").json()["status"] == "paid"
    again = api(payer).post(f"{base}/pay/")
    assert (
        again.status_code == 422
        and "已经支付" in again.json()["error"]["fields"]["non_field_errors"][0]
    )


def test_bad_input_answers_400_in_one_shape_and_saves_nothing(funded, project, requester):
    response = api(requester).post(
        "/api/v1/disbursement-requests/",
        {"fund": funded.code, "project": project.code, "amount": "0.001", "purpose": "x",
         "payee": "y"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["amount"] == [
        "请输入以元为单位的金额，如 100 或 12.50。"
    ]
    assert not DisbursementRequest.objects.exists()


def test_a_vote_by_a_non_member_is_refused(make_request, committee, cast, network):
    request = make_request()
    response = api(cast.director).post(
        f"/api/v1/disbursement-requests/{request.code}/vote/", {"choice": "approve"}
    )
    assert response.status_code == 403
    # Outside the station network and the committee: the request does not exist.
    response = api(cast.social_worker).post(
        f"/api/v1/disbursement-requests/{request.code}/vote/", {"choice": "approve"}
    )
    assert response.status_code == 404


def test_paying_needs_the_finance_role(make_request, committee, reviewer, cast):
    request = make_request()
    for user in committee.voters[:4]:
        api(user).post(f"/api/v1/disbursement-requests/{request.code}/vote/", {"choice": "approve"})
    api(reviewer).post(f"/api/v1/disbursement-requests/{request.code}/review/", {"approve": True})
    response = api(cast.director).post(f"/api/v1/disbursement-requests/{request.code}/pay/")
    assert response.status_code == 403
    assert not LedgerEntry.objects.filter(kind="disbursement").exists()


def test_campaign_create_and_publish(funded, host, cast):
    client = api(cast.director)
    response = client.post(
        "/api/v1/campaigns/",
        {"title": "暖冬", "host": host.pk, "lead_fund": funded.code, "goal": "1000.00",
         "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    code = response.json()["code"]
    refused = client.post(f"/api/v1/campaigns/{code}/publish/", {}, format="json")
    assert refused.status_code == 422
    published = client.post(
        f"/api/v1/campaigns/{code}/publish/", {"filing_number": "F-1"}, format="json"
    )
    assert published.json()["status"] == "public" and published.json()["raised"] == "0.00"


def test_the_schema_lists_the_funds_endpoints(client, db):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/hosts/", "/api/v1/ledger-entries/", "/api/v1/campaigns/",
                 "/api/v1/disbursement-requests/{code}/vote/"):  # fmt: skip
        assert path in schema
