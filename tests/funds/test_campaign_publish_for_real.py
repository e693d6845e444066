"""Publishing a campaign, for real: outside any test transaction, through the admin action a
director clicks and the API, as in production. ``publish_campaign`` once locked the campaign
row with no transaction of its own: a 500 on Postgres from both, while the tests passed
inside their own transaction."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from funds import services
from funds.models import Campaign

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
DATES = {"starts_on": datetime.date(2026, 1, 1), "ends_on": datetime.date(2026, 12, 31)}


@pytest.fixture
def draft(fund, host) -> Campaign:
    campaign = services.create_campaign(
        host=host, lead_fund=fund, title="暖冬行动", goal="20000", **DATES
    )
    campaign.filing_number = "53440106-2026-001"
    campaign.save(update_fields=["filing_number"])
    return campaign


def test_a_director_publishes_a_campaign_from_the_admin(client, cast, draft):
    client.force_login(cast.director)
    response = client.post(
        reverse("admin:funds_campaign_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "暖冬行动" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.PUBLIC


def test_a_director_publishes_a_campaign_through_the_api(cast, draft):
    client = APIClient()
    client.force_authenticate(cast.director)
    response = client.post(f"/api/v1/campaigns/{draft.code}/publish/", {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "public"
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.PUBLIC
