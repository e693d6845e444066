"""The donations API: public points and create with Idempotency-Key; scoped staff lists."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from donations import services
from donations.models import Donation, IdempotencyKey

pytestmark = pytest.mark.django_db

URL = "/api/v1/donations/"


@pytest.fixture
def api():
    return APIClient()


def body(fund, **overrides):
    return {"target": f"f-{fund.code}", "amount": "88.80", "donor_name": "王小明",
            "mobile": "13812345678", "provider": "sandbox", **overrides}  # fmt: skip


def post(api, data, key="key-00000001"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.post(URL, data, format="json", headers=headers)


def test_donation_points_are_public(api, point, fund, campaign):
    response = api.get("/api/v1/donation-points/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["code"] == point.code and row["url"].endswith(f"/d/{point.code}/")
    assert row["funds"] == [{"code": fund.code, "name": fund.name, "target": f"f-{fund.code}"}]
    assert row["campaigns"][0]["filing_number"] == campaign.filing_number
    assert api.post("/api/v1/donation-points/", {}).status_code in (401, 403, 405)


def test_public_create_returns_the_payment_url(api, fund):
    response = post(api, body(fund))
    assert response.status_code == 201, response.json()
    data = response.json()
    donation = Donation.objects.get()
    assert data["code"] == donation.code and data["amount"] == "88.80"
    assert data["payment_url"].endswith(f"/pay/sandbox/{donation.code}/")
    assert "mobile" not in data


def test_missing_key_is_400(api, fund):
    response = post(api, body(fund), key=None)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "idempotency_key_required"
    assert not Donation.objects.exists()


def test_same_key_again_returns_the_first_answer(api, fund):
    first = post(api, body(fund))
    second = post(api, body(fund))
    assert second.status_code == 201 and second.json() == first.json()
    assert Donation.objects.count() == 1


def test_same_key_with_a_different_body_is_422(api, fund):
    post(api, body(fund))
    response = post(api, body(fund, amount="99"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Donation.objects.count() == 1


def test_a_key_left_running_by_the_earlier_two_step_claim_answers_409(api, fund):
    from donations.api import _fingerprint

    class Stub:
        path = URL
        data = body(fund)

    IdempotencyKey.objects.create(
        key="key-00000001", fingerprint=_fingerprint(Stub), state="running"
    )
    response = post(api, body(fund))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_in_use"
    assert not Donation.objects.exists()


def test_a_retry_gets_the_first_answer_even_when_the_fund_has_closed_since(api, fund):
    first = post(api, body(fund))
    assert first.status_code == 201
    fund.status = fund.Status.CLOSED
    fund.save(update_fields=["status"])
    assert post(api, body(fund), key="key-00000002").status_code == 422  # closed: refused
    retry = post(api, body(fund))
    assert retry.status_code == 201 and retry.json() == first.json()
    assert Donation.objects.count() == 1
    assert post(api, body(fund, amount="99")).status_code == 422  # another body: refused


def test_invalid_data_is_refused_and_frees_the_key(api, fund):
    # Not a number of yuan with at most two decimals: the schema says so (400).
    for bad in ("-1", "0.001", "abc", "1e3", " 5"):
        response = post(api, body(fund, amount=bad))
        assert response.status_code == 400 and "amount" in response.json()["error"]["fields"]
    # Well formed, refused by the rules of giving (422).
    for bad in ("0", "50000.01"):
        response = post(api, body(fund, amount=bad))
        assert response.status_code == 422 and "amount" in response.json()["error"]["fields"]
    assert post(api, body(fund, mobile="123")).status_code == 422
    assert post(api, body(fund, target="f-nosuch")).status_code == 422
    assert post(api, body(fund, target="x")).status_code == 400
    assert post(api, body(fund, message="x" * 201)).status_code == 400
    assert post(api, {**body(fund), "amout": "5"}).status_code == 400  # no such field
    assert not Donation.objects.exists()
    assert post(api, body(fund)).status_code == 201


def test_public_api_create_is_rate_limited(api, fund, settings):
    settings.DONATIONS_PUBLIC_POST_RATE = "2/m"
    assert post(api, body(fund), key="key-aaaaaaaa").status_code == 201
    assert post(api, body(fund), key="key-bbbbbbbb").status_code == 201
    assert post(api, body(fund), key="key-cccccccc").status_code == 429


def test_staff_lists_are_scoped_and_mask_phones(api, cast, fund, other_fund, donation_factory):
    mine = donation_factory(mobile="13812345678", donor_name="甲")
    services.confirm_donation(donation=mine, by=None, channel="online_sandbox", reference="T")
    theirs = donation_factory(fund=other_fund, mobile="13900001111", donor_name="乙")
    services.confirm_donation(donation=theirs, by=None, channel="online_sandbox", reference="T")
    assert api.get(URL).status_code in (401, 403)
    api.force_authenticate(cast.finance_officer)
    rows = api.get(URL).json()["results"]
    assert [r["code"] for r in rows] == [mine.code]
    assert rows[0]["mobile"] == "138****5678"
    assert api.get(f"{URL}{theirs.code}/").status_code == 404
    donors = api.get("/api/v1/donors/").json()["results"]
    assert [(d["name"], d["mobile"], d["total_given"]) for d in donors] == [
        ("甲", "138****5678", "100.00")
    ]
    receipts = api.get("/api/v1/receipts/").json()["results"]
    assert [r["number"] for r in receipts] == [mine.receipts.get().number]
    assert api.get(f"/api/v1/receipts/{theirs.receipts.get().number}/").status_code == 404
    assert api.get(URL, {"search": mine.receipts.get().number}).json()["count"] == 1
    assert api.get(URL, {"status": "pending"}).json()["count"] == 0


def test_outsiders_and_roles_without_the_permission_see_nothing(api, cast, donation_factory):
    donation_factory()
    api.force_authenticate(cast.outsider)
    assert api.get(URL).status_code == 403
    api.force_authenticate(cast.social_worker)  # no view_donation permission
    assert api.get(URL).status_code == 403
    api.force_authenticate(cast.superuser)
    assert api.get(URL).json()["count"] == 1


def test_list_query_count_does_not_grow(api, cast, donation_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api.force_authenticate(cast.superuser)
    for _ in range(2):
        services.confirm_donation(donation=donation_factory(), by=None, channel="cash")
    with CaptureQueriesContext(connection) as small:
        assert api.get(URL).json()["count"] == 2
    for _ in range(10):
        services.confirm_donation(donation=donation_factory(), by=None, channel="cash")
    with CaptureQueriesContext(connection) as large:
        assert api.get(URL).json()["count"] == 12
    assert len(large.captured_queries) == len(small.captured_queries)


def test_openapi_schema_has_no_warnings(tmp_path):
    call_command(
        "spectacular", "--file", str(tmp_path / "schema.yml"), "--validate", "--fail-on-warn"
    )
    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/donations/" in schema and "Idempotency-Key" in schema
