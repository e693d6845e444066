"""One small world for the security tests: two streets, each with a fund, a project, people and
money, and the fixed cast of users extended by a committee member and a volunteer."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache

from config.celery import app as celery_app
from donations import services as donation_services
from donations.models import DonationPoint
from donations.targets import Target
from funds import services as fund_services
from funds.models import CommitteeMember, Fund, HostCharity
from projects.models import Project
from tests.factories import make_charity, make_fund, make_project, make_user
from tests.projects.conftest import register, valid_id
from tests.volunteers.conftest import make_volunteer

PASSWORD = "pw-Secret-123"


@pytest.fixture(autouse=True)
def _eager_tasks_and_fresh_counters():
    """Tasks run in this process; rate-limit and login-failure counters start empty."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield
    celery_app.conf.task_always_eager = eager
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_FILES_DIR = tmp_path / "reports"


@dataclass
class World:
    network: object
    cast: object
    host: HostCharity
    fund: Fund  # street A
    other_fund: Fund  # street B
    project: Project  # community A1
    other_project: Project  # community B1
    point: DonationPoint  # street A
    committee_member: object  # on fund A's committee
    other_committee_member: object  # on fund B's committee only
    volunteer_user: object  # a volunteer's login (community A1)
    volunteer: object
    beneficiary: object  # community A1
    other_beneficiary: object  # community B1
    donation: object  # confirmed, to fund A
    other_donation: object  # confirmed, to fund B


@pytest.fixture
def world(network, cast) -> World:
    charity = make_charity(network)
    host, fund, project, point = charity.host, charity.fund, charity.project, charity.point
    other_fund = make_fund(network.street_b, host, "林和街社区慈善基金")
    other_project = make_project(
        network.community_b1,
        "四点半课堂",
        kind=Project.Kind.DEVELOPMENT,
        category=Project.Category.CHILDREN,
    )
    network.street_b.offers_donation_point = True  # its point is made by the tests needing it
    network.street_b.save()

    term = datetime.date(2025, 1, 1)
    committee_member = make_user("cm-a", email="cm-a@example.org")
    committee_member.set_password(PASSWORD)
    committee_member.save()
    fund_services.add_committee_member(
        fund=fund, user=committee_member, role=CommitteeMember.Role.CHAIR, term_start=term
    )
    other_committee_member = make_user("cm-b", email="cm-b@example.org")
    fund_services.add_committee_member(
        fund=other_fund,
        user=other_committee_member,
        role=CommitteeMember.Role.CHAIR,
        term_start=term,
    )

    volunteer = make_volunteer(network.community_a1, password=PASSWORD, mobile="13500009999")
    beneficiary = register(
        network.community_a1, by=cast.superuser, recorder=cast.superuser, project=None
    )
    other_beneficiary = register(
        network.community_b1,
        by=cast.superuser,
        recorder=cast.superuser,
        id_number=valid_id(),
        phone="13912345678",
        name="陈志强",
    )

    def confirmed(fund_, mobile):
        donation, _ = donation_services.create_donation(
            target=Target(fund=fund_, project=None, campaign=None),
            amount=Decimal("100.00"),
            provider="offline",
            donor_name="李明",
            mobile=mobile,
        )
        return donation_services.confirm_donation(
            donation=donation, by=cast.superuser, channel="cash", notify=False
        )

    return World(
        network=network,
        cast=cast,
        host=host,
        fund=fund,
        other_fund=other_fund,
        project=project,
        other_project=other_project,
        point=point,
        committee_member=committee_member,
        other_committee_member=other_committee_member,
        volunteer_user=volunteer.user,
        volunteer=volunteer,
        beneficiary=beneficiary,
        other_beneficiary=other_beneficiary,
        donation=confirmed(fund, "13800001111"),
        other_donation=confirmed(other_fund, "13800002222"),
    )
