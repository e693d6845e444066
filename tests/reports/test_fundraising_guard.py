"""A fund, campaign or project with an overdue disclosure cannot start new fundraising: the
reports calendar is called through funds' FUNDRAISING_GUARDS hook from the three places that
start fundraising (publishing a campaign, the donations app's check of what is open for giving,
and a project's move to fundraising)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from donations.targets import Target, check_open
from funds.models import Campaign, Fund
from funds.services import publish_campaign
from projects.models import Project
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db

# The dataset's funds were founded in 2024 and 2025; no annual statement is published, so on
# any day after 31 May 2026 they are overdue (the calendar's own tests check the dates).


def test_publishing_a_campaign_is_refused_while_a_disclosure_is_overdue(dataset, settings):
    Campaign.objects.filter(pk=dataset.campaign.pk).update(status=Campaign.Status.DRAFT)
    with pytest.raises(ValidationError, match="逾期未公开"):
        publish_campaign(campaign=dataset.campaign)
    dataset.campaign.refresh_from_db()
    assert dataset.campaign.status == Campaign.Status.DRAFT

    settings.FUNDRAISING_GUARDS = []  # the hook is what refuses
    assert publish_campaign(campaign=dataset.campaign).status == Campaign.Status.PUBLIC


def test_gifts_are_refused_while_a_disclosure_is_overdue(dataset, network, settings):
    with pytest.raises(ValidationError) as error:
        check_open(Target(fund=dataset.fund_b))
    assert "逾期未公开" in " ".join(error.value.message_dict["target"])

    new_fund = Fund.objects.create(
        station=network.community_b1, host=dataset.host, name="林和社区基金",
        founded_on=datetime.date.today().replace(month=1, day=1),
    )  # fmt: skip
    check_open(Target(fund=new_fund))  # nothing due yet: open

    settings.FUNDRAISING_GUARDS = []
    check_open(Target(fund=dataset.fund_b))


def test_a_project_cannot_move_to_fundraising_under_a_late_fund(dataset, network, settings):
    # Community A1's nearest fund is fund A1 (founded 2025: its 2025 statement is overdue).
    with pytest.raises(ValidationError, match="逾期未公开"):
        make_project(network.community_a1, status=Project.Status.FUNDRAISING)

    settings.FUNDRAISING_GUARDS = []
    project = make_project(network.community_a1, status=Project.Status.FUNDRAISING)
    assert project.status == Project.Status.FUNDRAISING
