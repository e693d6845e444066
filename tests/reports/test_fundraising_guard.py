"""A fund, campaign or project with an overdue disclosure cannot start new fundraising: the
reports calendar is called through funds' FUNDRAISING_GUARDS hook from the three places that
start fundraising (publishing a campaign, the donations app's check of what is open for giving,
and a project's move to fundraising)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from donations.targets import Target, check_open
from funds.models import Campaign, CampaignShare
from funds.services import publish_campaign
from projects.models import Project
from projects.services import approve_project
from tests.factories import publish
from tests.projects.conftest import make_project

pytestmark = pytest.mark.django_db

# The dataset's campaign (from September 2025) has published no progress report: it is late
# (the calendar's own tests check the dates).


def test_a_fund_with_a_late_campaign_cannot_publish_another(dataset, settings):
    second = Campaign.objects.create(
        host=dataset.host, lead_fund=dataset.fund_a, title="冬季送温暖", goal=50000,
        starts_on=datetime.date.today(), ends_on=datetime.date.today() + datetime.timedelta(90),
        filing_number="53440000MJ0000000X-2026-009",
    )  # fmt: skip
    CampaignShare.objects.create(campaign=second, fund=dataset.fund_a, percent=100)
    with pytest.raises(ValidationError, match="逾期未公开"):
        publish_campaign(campaign=second)
    second.refresh_from_db()
    assert second.status == Campaign.Status.DRAFT

    settings.FUNDRAISING_GUARDS = []  # the hook is what refuses
    assert publish_campaign(campaign=second).status == Campaign.Status.PUBLIC


def test_gifts_to_a_late_campaign_are_refused(dataset, settings):
    # The campaign runs to the end of next year and has published no progress report.
    Campaign.objects.filter(pk=dataset.campaign.pk).update(
        ends_on=datetime.date(datetime.date.today().year + 1, 12, 31)
    )
    campaign = Campaign.objects.get(pk=dataset.campaign.pk)
    with pytest.raises(ValidationError) as error:
        check_open(Target(fund=dataset.fund_a, campaign=campaign))
    assert "逾期未公开" in " ".join(error.value.message_dict["target"])
    check_open(Target(fund=dataset.fund_a))  # the fund's plain gifts stay open

    settings.FUNDRAISING_GUARDS = []  # the hook is what refuses
    check_open(Target(fund=dataset.fund_a, campaign=campaign))


def test_a_project_of_a_late_campaign_cannot_move_to_fundraising(dataset, network, settings):
    project = make_project(network.community_a1, status=Project.Status.REVIEW)
    # The campaign raises half for the project: shares are set while it is a draft.
    Campaign.objects.filter(pk=dataset.campaign.pk).update(status=Campaign.Status.DRAFT)
    dataset.campaign.shares.update(percent=50)
    CampaignShare.objects.create(
        campaign=dataset.campaign, fund=dataset.fund_a, project=project, percent=50
    )
    publish(dataset.campaign)
    with pytest.raises(ValidationError, match="逾期未公开"):
        approve_project(project=project, by=None)
    project.refresh_from_db()
    assert project.status == Project.Status.REVIEW

    other = make_project(network.community_a1, status=Project.Status.FUNDRAISING)
    assert other.status == Project.Status.FUNDRAISING  # no late campaign: allowed

    settings.FUNDRAISING_GUARDS = []
    assert approve_project(project=project, by=None).status == Project.Status.FUNDRAISING
