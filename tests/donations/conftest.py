import datetime
from decimal import Decimal

import pytest
from celery._state import _set_task_join_will_block
from django.core.cache import cache

from config.celery import app as celery_app
from donations import services
from donations.models import DonationPoint
from donations.targets import Target
from funds.models import Campaign, Fund, HostCharity
from projects.models import Project
from tests.factories import make_campaign, make_fund, make_host, make_project


@pytest.fixture(autouse=True)
def _tasks_run_inline_and_fresh_rate_limits():
    """Tasks queued after commit run in this process (a test of the real worker says so), and
    every test starts with empty rate-limit counters."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield
    celery_app.conf.task_always_eager = eager
    # Eager tasks run by several threads at once (the race tests) can leave Celery's global
    # "a join would block" guard set; clear it for the tests that wait on a real worker.
    _set_task_join_will_block(False)
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def host(db) -> HostCharity:
    return make_host()


@pytest.fixture
def fund(network, host) -> Fund:
    network.street_a.offers_donation_point = True
    network.street_a.save()
    return make_fund(network.street_a, host, "天河区慈善会石牌街社区慈善基金")


@pytest.fixture
def other_fund(network, host) -> Fund:
    return make_fund(network.street_b, host, "林和街社区慈善基金")


@pytest.fixture
def project(network) -> Project:
    return make_project(network.community_a1)


@pytest.fixture
def campaign(fund, host) -> Campaign:
    today = datetime.date.today()
    return make_campaign(
        host,
        fund,
        title="石牌街“暖冬行动”社区募捐",
        goal=Decimal("200000"),
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=300),
        filing_number="53440106MJ0000001F-2026-001",
    )


@pytest.fixture
def joint_campaign(fund, other_fund, project, host) -> Campaign:
    """A joint campaign: 50% to the fund restricted to the project, 30% fund, 20% other fund."""
    today = datetime.date.today()
    return make_campaign(
        host,
        fund,
        shares=[(fund, 50, project), (fund, 30, None), (other_fund, 20, None)],
        title="联合劝募·邻里守望",
        goal=Decimal("50000"),
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=60),
        filing_number="53440106MJ0000001F-2026-002",
    )


@pytest.fixture
def point(fund, project, campaign, network) -> DonationPoint:
    point = DonationPoint.objects.create(
        station=network.street_a,
        name="石牌街社工站捐赠点",
        place="石牌东路38号一楼",
        opening_hours="周一至周五 9:00–17:30",
    )
    point.funds.add(fund)
    point.projects.add(project)
    point.campaigns.add(campaign)
    return point


def make_donation(fund, *, amount="100.00", provider="sandbox", project=None, campaign=None,
                  **fields):  # fmt: skip
    fund = campaign.lead_fund if campaign else fund
    donation, _created = services.create_donation(
        target=Target(fund=fund, project=project, campaign=campaign),
        amount=Decimal(amount),
        provider=provider,
        **fields,
    )
    return donation


@pytest.fixture
def donation_factory(fund):
    def build(**fields):
        return make_donation(fields.pop("fund", fund), **fields)

    return build


# --- in-kind goods ---------------------------------------------------------------------------


def receive_goods(point, by, *items, **fields):
    """Goods received at ``point``; items default to 10 bags of rice expiring in 20 days."""
    from donations.goods_services import ItemLine, record_goods_donation

    lines = items or (
        ItemLine(
            category="food",
            name="大米",
            quantity=Decimal("10"),
            unit="袋",
            expiry_date=datetime.date.today() + datetime.timedelta(days=20),
        ),
    )
    return record_goods_donation(by=by, point=point, items=list(lines), **fields)


@pytest.fixture
def lot(point, cast):
    return receive_goods(point, cast.director).items.get()


@pytest.fixture
def beneficiary(network, cast):
    from tests.projects.conftest import register

    return register(network.community_a1, recorder=cast.director)
