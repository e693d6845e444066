import datetime

import pytest

from funds.models import Fund, HostCharity
from projects.models import Project


@pytest.fixture
def host(db) -> HostCharity:
    return HostCharity.objects.create(
        name="广州市天河区慈善会",
        credit_code="91350100M000100Y43",
        kind=HostCharity.Kind.SOCIAL_ORGANIZATION,
        receipt_prefix="TH",
    )


@pytest.fixture
def fund(network, host) -> Fund:
    return Fund.objects.create(
        station=network.street_a,
        host=host,
        name="天河区慈善会石牌街社区慈善基金",
        founded_on=datetime.date(2025, 1, 1),
    )


@pytest.fixture
def project(network) -> Project:
    return Project.objects.create(
        station=network.community_a1,
        title="长者饭堂",
        kind=Project.Kind.ASSISTANCE,
        category=Project.Category.ELDERLY_CARE,
    )


@pytest.fixture
def other_project(network) -> Project:
    return Project.objects.create(
        station=network.community_a2,
        title="四点半课堂",
        kind=Project.Kind.DEVELOPMENT,
        category=Project.Category.CHILDREN,
    )
