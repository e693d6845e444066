"""Every list of the API costs the same number of queries for one row as for fifty: read on
the demo data, the same list asked a page of one row and a page of fifty. A new list endpoint
is checked without being named (the router's registry is read)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.pagination import PageNumberPagination
from rest_framework.test import APIClient

from config.urls import router
from funds import services
from funds.models import Campaign
from reports.services import request_report
from stations.models import StaffMembership
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(response.json()["results"]), len(queries)


def _second_campaign_and_report() -> None:
    """The demo has one campaign and no report: one more of each, so a page holds two."""
    campaign = Campaign.objects.select_related("host", "lead_fund").first()
    services.create_campaign(
        host=campaign.host, lead_fund=campaign.lead_fund, title="第二期联合劝募",
        goal=Decimal("5000"), starts_on=campaign.starts_on, ends_on=campaign.ends_on,
    )  # fmt: skip
    director = StaffMembership.objects.get(
        user__username="director", role=StaffMembership.Role.DIRECTOR
    )
    for month in (1, 2):
        request_report(
            kind="station_monthly", by=director.user, station=director.station,
            period_start=datetime.date(2026, month, 1),
            period_end=datetime.date(2026, month + 1, 1) - datetime.timedelta(days=1),
        )  # fmt: skip


def test_every_api_list_costs_the_same_for_one_row_and_for_fifty(monkeypatch):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    _second_campaign_and_report()
    # Everyone's rows at once: the superuser is the one reader who sees every street's.
    client = APIClient()
    client.force_authenticate(make_user("query-counter", is_staff=True, is_superuser=True))
    measured, too_few = {}, []
    for _prefix, _viewset, basename in router.registry:
        url = reverse(f"{basename}-list")
        monkeypatch.setattr(PageNumberPagination, "page_size", 1)
        one = _queries(client, url)
        monkeypatch.setattr(PageNumberPagination, "page_size", 50)
        many = _queries(client, url)
        if many[0] < 2:
            too_few.append(url)
        measured[url] = (one, many)
    assert too_few == [], f"the demo has fewer than two rows for {too_few}"
    growing = {url: m for url, m in measured.items() if m[0][1] != m[1][1]}
    assert growing == {}, "(rows, queries) for one row and for many: " + repr(growing)
