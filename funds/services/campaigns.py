"""Campaigns: creating one with its shares (联合劝募) and publishing it."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.bulk import audited_bulk_create
from core.locks import lock
from projects.services import run_fundraising_guards

from ..models import (
    Campaign,
    CampaignShare,
    Fund,
    HostCharity,
)
from ..money import parse_amount
from .ledger import _check_project_belongs_to_fund

if TYPE_CHECKING:
    from projects.models import Project

# --- Campaigns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """One part of a (joint) campaign: the fund, optionally a project, and its percent."""

    fund: Fund
    percent: Decimal
    project: "Project | None" = None


def _check_shares(host: HostCharity, shares: list[Share]) -> None:
    if not shares:
        raise ValidationError({"shares": _("A campaign needs at least one fund to raise for.")})
    seen = set()
    for share in shares:
        if share.fund.host_id != host.pk:
            raise ValidationError(
                {
                    "shares": _(
                        "%(fund)s is held by another host; a campaign raises only for funds "
                        "held by the host whose filing it runs under."
                    )
                    % {"fund": share.fund}
                }
            )
        if not (Decimal("0") < Decimal(share.percent) <= Decimal("100")):
            raise ValidationError({"shares": _("Each share is more than 0% and at most 100%.")})
        _check_project_belongs_to_fund(share.fund, share.project)
        key = (share.fund.pk, share.project.pk if share.project else None)
        if key in seen:
            raise ValidationError({"shares": _("The same fund or project is listed twice.")})
        seen.add(key)
    check_shares_add_up([share.percent for share in shares])


def check_shares_add_up(percents) -> None:
    """A campaign's shares add up to exactly 100 % (the admin's share forms check it too)."""
    total = sum((Decimal(percent) for percent in percents), Decimal("0"))
    if total != Decimal("100"):
        raise ValidationError(
            {
                "shares": _("The shares add up to %(total)s%%; they must add up to exactly 100%%.")
                % {"total": f"{total.normalize():f}"}
            }
        )


@transaction.atomic
def create_campaign(
    *,
    host: HostCharity,
    lead_fund: Fund,
    title: str,
    goal: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date,
    shares: list[Share] | None = None,
    filing_number: str = "",
    description: str = "",
    code: str | None = None,
    by=None,
) -> Campaign:
    """A draft campaign under ``host``'s filing. Without ``shares`` it raises 100% for the
    lead fund; a joint campaign (联合劝募) lists several shares adding up to exactly 100%."""
    goal = parse_amount(goal, field="goal")
    shares = shares or [Share(fund=lead_fund, percent=Decimal("100"))]
    if lead_fund.host_id != host.pk:
        raise ValidationError({"lead_fund": _("The organising fund must be held by this host.")})
    if lead_fund.pk not in {share.fund.pk for share in shares}:
        raise ValidationError({"shares": _("The organising fund must have a share.")})
    _check_shares(host, shares)
    campaign = Campaign(
        host=host,
        lead_fund=lead_fund,
        title=title,
        goal=goal,
        starts_on=starts_on,
        ends_on=ends_on,
        filing_number=filing_number.strip(),
        description=description,
    )
    if code:
        campaign.code = code
    campaign.full_clean()
    campaign.save()
    audited_bulk_create(
        CampaignShare,
        (
            CampaignShare(campaign=campaign, fund=s.fund, project=s.project, percent=s.percent)
            for s in shares
        ),
    )
    return campaign


@transaction.atomic
def publish_campaign(*, campaign: Campaign, filing_number: str | None = None, by=None) -> Campaign:
    """Make a campaign public: it needs the host's filing number and shares adding to 100%."""
    campaign = lock(Campaign.objects).select_related("host").get(pk=campaign.pk)
    if filing_number is not None:
        campaign.filing_number = filing_number.strip()
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("A closed campaign cannot be made public again."))
    if not campaign.filing_number:
        raise ValidationError(
            {"filing_number": _("A campaign needs the host's filing number before it goes public.")}
        )
    shares = [
        Share(fund=s.fund, project=s.project, percent=s.percent)
        for s in campaign.shares.select_related("fund", "project", "project__station")
    ]
    _check_shares(campaign.host, shares)
    run_fundraising_guards(campaign=campaign)
    campaign.status = Campaign.Status.PUBLIC
    campaign.full_clean()
    campaign.save(update_fields=["status", "filing_number"])
    return campaign
