"""Shared builders for tests: a small station network, the fixed cast of users, and the host
charity, funds, projects and donation points that many tests stand on."""

import datetime
import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from donations.models import DonationPoint
from funds.models import Campaign, CampaignShare, Fund, HostCharity
from projects.models import Project
from stations.models import StaffMembership, Station
from stations.services import add_staff_member, create_station

_counter = itertools.count(1)


def make_station(*, level: str, parent: Station | None = None, **fields) -> Station:
    number = next(_counter)
    fields.setdefault("name", f"{Station.Level(level).label} {number}")
    fields.setdefault("code", f"st-{number}")
    return create_station(level=level, parent=parent, **fields)


def make_user(username: str | None = None, **fields):
    username = username or f"user{next(_counter)}"
    user = get_user_model().objects.create_user(
        username=username, password="pw-Secret-123", **fields
    )
    return user


def make_staff(station: Station, role: str, username: str | None = None):
    user = make_user(username)
    add_staff_member(station=station, user=user, role=role)
    user.refresh_from_db()
    return user


Role = StaffMembership.Role


# --- Charity: the host, funds, projects and donation points ----------------------------------


def make_host(**fields) -> HostCharity:
    """The district's charity federation, which holds the street funds."""
    fields.setdefault("name", "广州市天河区慈善会")
    fields.setdefault("credit_code", "53440106MJ0000001F")
    fields.setdefault("kind", HostCharity.Kind.SOCIAL_ORGANIZATION)
    fields.setdefault("receipt_prefix", "TH")
    return HostCharity.objects.create(**fields)


def make_fund(station: Station, host: HostCharity, name: str, **fields) -> Fund:
    fields.setdefault("founded_on", datetime.date(2024, 3, 1))
    return Fund.objects.create(station=station, host=host, name=name, **fields)


def make_campaign(
    host: HostCharity, lead_fund: Fund, *, shares=None, public: bool = True, **fields
) -> Campaign:
    """A campaign of ``host`` led by ``lead_fund``; ``shares`` are (fund, percent, project)
    triples, by default 100 % to the lead fund. Born a draft, its shares written, then public
    (unless ``public=False``), as the database requires."""
    fields.setdefault("title", "石牌街“暖冬行动”社区募捐")
    fields.setdefault("goal", 50000)
    fields.setdefault("starts_on", datetime.date.today() - datetime.timedelta(days=1))
    fields.setdefault("ends_on", datetime.date.today() + datetime.timedelta(days=60))
    fields.setdefault("filing_number", f"53440106MJ0000001F-2026-{next(_counter):03d}")
    campaign = Campaign.objects.create(host=host, lead_fund=lead_fund, **fields)
    for fund, percent, project in shares or [(lead_fund, 100, None)]:
        CampaignShare.objects.create(campaign=campaign, fund=fund, percent=percent, project=project)
    if public:
        publish(campaign)
    return campaign


def publish(*campaigns: Campaign) -> None:
    """Make campaigns whose shares are in place public, without the services' other checks
    (fixtures stand on them; the services' own tests publish through the service)."""
    Campaign.objects.filter(pk__in=[c.pk for c in campaigns]).update(status=Campaign.Status.PUBLIC)
    for campaign in campaigns:
        campaign.status = Campaign.Status.PUBLIC


def make_project(station: Station, title: str = "长者饭堂", **fields) -> Project:
    """A project, by default an elderly-care assistance project raising money."""
    fields.setdefault("kind", Project.Kind.ASSISTANCE)
    fields.setdefault("category", Project.Category.ELDERLY_CARE)
    fields.setdefault("status", Project.Status.FUNDRAISING)
    return Project.objects.create(station=station, title=title, **fields)


def make_point(station: Station, *, funds=(), projects=(), **fields) -> DonationPoint:
    """A donation point at ``station`` (which is marked as offering one) for ``funds`` and
    ``projects``."""
    if not station.offers_donation_point:
        station.offers_donation_point = True
        station.save()
    fields.setdefault("name", f"{station.name}社工站捐赠点")
    fields.setdefault("place", "石牌东路38号一楼")
    point = DonationPoint.objects.create(station=station, **fields)
    point.funds.add(*funds)
    point.projects.add(*projects)
    return point


@dataclass
class Charity:
    host: HostCharity
    fund: Fund  # at street A
    project: Project  # at community A1, below street A, raising money
    point: DonationPoint  # at street A, for the fund and the project


def make_charity(network) -> Charity:
    """The host, street A's fund, a project at community A1 and street A's donation point
    (``network`` is the ``network`` fixture of tests/conftest.py)."""
    host = make_host()
    fund = make_fund(network.street_a, host, "石牌街社区慈善基金")
    project = make_project(network.community_a1)
    point = make_point(
        network.street_a,
        funds=[fund],
        projects=[project],
        name="石牌街社工站捐赠点",
        opening_hours="周一至周五 9:00–17:30",
    )
    return Charity(host=host, fund=fund, project=project, point=point)
