"""What one public gift costs the database: a fixed, small number of statements."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from donations.models import Donation, IdempotencyKey
from tests.donations.test_public_pages import give

pytestmark = pytest.mark.django_db


def test_a_gift_through_the_api_at_a_point_costs_a_fixed_few_queries(point, fund):
    api = APIClient()
    data = {"target": f"f-{fund.code}", "point": point.code, "amount": "20.00",
            "provider": "sandbox"}  # fmt: skip
    ContentType.objects.get_for_model(Donation)  # cached for the life of a web process
    with CaptureQueriesContext(connection) as queries:
        response = api.post(
            "/api/v1/donations/", data, format="json", headers={"Idempotency-Key": "cost-0001"}
        )
    assert response.status_code == 201, response.json()
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    work = [s for s in statements if s not in ("SAVEPOINT", "RELEASE")]
    # read the point and its funds, save the donation and its audit history entry, store the
    # key with its answer: one transaction (a savepoint here, inside the test's transaction),
    # and no savepoint of its own around anything
    assert statements.count("SAVEPOINT") == 1
    assert work == ["SELECT", "SELECT", "INSERT", "INSERT", "INSERT"], [
        q["sql"][:120] for q in queries.captured_queries
    ]
    donation = Donation.objects.get()
    assert donation.point == point and donation.fund == fund
    key = IdempotencyKey.objects.get(key="cost-0001")
    assert key.state == IdempotencyKey.State.DONE and key.donation == donation


def test_a_fund_not_collected_at_the_point_is_refused(point, other_fund):
    response = APIClient().post(
        "/api/v1/donations/",
        {
            "target": f"f-{other_fund.code}",
            "point": point.code,
            "amount": "20.00",
            "provider": "sandbox",
        },  # fmt: skip
        format="json",
        headers={"Idempotency-Key": "cost-0002"},
    )
    assert response.status_code == 422
    assert not Donation.objects.exists() and not IdempotencyKey.objects.exists()


GUARD_CALLS: list = []


def counting_guard(*, fund=None, campaign=None, project=None) -> None:
    """Added to settings.FUNDRAISING_GUARDS below: counts the times a gift asks the guards."""
    GUARD_CALLS.append((campaign, project))


@pytest.mark.parametrize("kind", ["c", "p"])
def test_a_gift_runs_the_fundraising_guards_once(settings, client, point, campaign, project, kind):
    settings.FUNDRAISING_GUARDS = [*settings.FUNDRAISING_GUARDS, f"{__name__}.counting_guard"]
    target = f"{kind}-{campaign.code if kind == 'c' else project.code}"
    GUARD_CALLS.clear()
    response = APIClient().post(
        "/api/v1/donations/",
        {"target": target, "point": point.code, "amount": "20.00", "provider": "sandbox"},
        format="json",
        headers={"Idempotency-Key": f"guards-{kind}-01"},
    )
    assert response.status_code == 201, response.json()
    assert len(GUARD_CALLS) == 1
    GUARD_CALLS.clear()
    assert give(client, point, target=target).status_code == 302
    assert len(GUARD_CALLS) == 1
    assert Donation.objects.count() == 2
