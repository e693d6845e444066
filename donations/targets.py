"""What a gift can go to: a fund, a campaign (possibly joint) or a project, and whether it is
open for giving now.

A target is written ``f-<fund code>``, ``c-<campaign code>`` or ``p-<project code>`` in forms
and the API, so public pages never show database ids.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from funds.models import Campaign, CampaignShare, Fund, HostCharity
from projects import services as projects_services
from projects.models import Project
from projects.rules import RUNNING_STATUSES
from projects.services import run_fundraising_guards

from .models import DonationPoint

KIND_FUND, KIND_CAMPAIGN, KIND_PROJECT = "f", "c", "p"


@dataclass(frozen=True)
class Target:
    fund: Fund
    campaign: Campaign | None = None
    project: Project | None = None

    @property
    def key(self) -> str:
        if self.campaign is not None:
            return f"{KIND_CAMPAIGN}-{self.campaign.code}"
        if self.project is not None:
            return f"{KIND_PROJECT}-{self.project.code}"
        return f"{KIND_FUND}-{self.fund.code}"

    @property
    def kind_label(self) -> str:
        if self.campaign is not None:
            return _("Campaign")
        if self.project is not None:
            return _("Project")
        return _("Community fund")

    @property
    def title(self) -> str:
        if self.campaign is not None:
            return self.campaign.title
        if self.project is not None:
            return self.project.title
        return self.fund.name

    @property
    def host(self) -> HostCharity:
        return self.campaign.host if self.campaign is not None else self.fund.host

    @property
    def filing_number(self) -> str:
        return self.campaign.filing_number if self.campaign is not None else ""


def ensure_can_fundraise(project: Project) -> None:
    """Refuse gifts to a project that is not raising money now: the projects app's rule
    (fundraising or active, and its progress disclosure not long overdue)."""
    try:
        projects_services.ensure_can_fundraise(project=project)
    except ValidationError as error:
        raise ValidationError({"target": error.messages}) from None


def _campaign_is_open(campaign: Campaign, today) -> bool:
    return (
        campaign.status == Campaign.Status.PUBLIC
        and campaign.starts_on <= today <= campaign.ends_on
    )


def covering_fund(project: Project, funds: list[Fund]) -> Fund | None:
    """The active fund nearest above ``project``'s station (its own station first)."""
    path = project.station.path
    candidates = [
        fund
        for fund in funds
        if fund.status == Fund.Status.ACTIVE and path.startswith(fund.station.path)
    ]
    return max(candidates, key=lambda fund: len(fund.station.path), default=None)


def check_open(target: Target) -> None:
    """Raise a ValidationError saying why ``target`` takes no gifts now."""
    today = timezone.localdate()
    if target.fund.status != Fund.Status.ACTIVE:
        raise ValidationError(
            {"target": _("The fund “%(name)s” is closed and takes no more donations.")
             % {"name": target.fund.name}}
        )  # fmt: skip
    if target.campaign is not None and not _campaign_is_open(target.campaign, today):
        raise ValidationError(
            {"target": _("The campaign “%(title)s” is not raising money now.")
             % {"title": target.campaign.title}}
        )  # fmt: skip
    if target.project is not None:
        ensure_can_fundraise(target.project)  # the projects app runs the guards for it
        if not target.project.station.path.startswith(target.fund.station.path):
            raise ValidationError({"target": _("This project does not belong to this fund.")})
    if target.campaign is not None:
        try:
            # The campaign is checked (as the project is above), not the fund's own annual
            # statement: a late campaign or project cannot raise money (issue 7); the fund's
            # plain gifts stay open.
            run_fundraising_guards(campaign=target.campaign)
        except ValidationError as error:
            raise ValidationError({"target": error.messages}) from None


def _funds():
    return Fund.objects.select_related("station", "host")


def _campaigns():
    shares = CampaignShare.objects.select_related("fund", "project").order_by("pk")
    return Campaign.objects.select_related(
        "host", "lead_fund__station", "lead_fund__host"
    ).prefetch_related(Prefetch("shares", queryset=shares))


def _projects():
    return Project.objects.select_related("station")


def resolve_target(key: str, *, point: DonationPoint | None = None) -> Target:
    """The target named by ``key`` (among ``point``'s targets when given), or a
    ValidationError with a message a donor understands. Whether it takes gifts now is
    ``check_open``'s question, which ``services.create_donation`` asks itself."""
    unknown = ValidationError({"target": _("Choose what you want to give to.")})
    kind, _sep, code = (key or "").partition("-")
    if not code or len(code) > 32 or not code.replace("-", "").isalnum():
        raise unknown
    if kind == KIND_FUND:
        if point is not None:  # the point's funds, usually prefetched (selectors.public_point)
            fund = next((f for f in point.funds.all() if f.code == code), None)
        else:
            fund = _funds().filter(code=code).first()
        if fund is None:
            raise unknown
        target = Target(fund=fund)
    elif kind == KIND_CAMPAIGN:
        campaign = _campaigns().filter(code=code).first()
        if campaign is None or (point and not point.campaigns.filter(pk=campaign.pk).exists()):
            raise unknown
        target = Target(fund=campaign.lead_fund, campaign=campaign)
    elif kind == KIND_PROJECT:
        project = _projects().filter(code=code).first()
        if project is None or (point and not point.projects.filter(pk=project.pk).exists()):
            raise unknown
        funds = list(point.funds.select_related("station", "host")) if point else []
        fund = covering_fund(project, funds) or covering_fund(project, list(_funds()))
        if fund is None:
            raise ValidationError(
                {"target": _("This project has no community fund to receive gifts yet.")}
            )
        target = Target(fund=fund, project=project)
    else:
        raise unknown
    return target


def open_targets(point: DonationPoint | None = None) -> list[Target]:
    """Everything open for giving (at ``point``, or everywhere), funds first. A fixed number
    of queries whatever the number of rows."""
    today = timezone.localdate()
    all_funds = list(_funds().filter(status=Fund.Status.ACTIVE))
    if point is not None:
        funds = [f for f in point.funds.all() if f.status == Fund.Status.ACTIVE]
        campaigns = list(_campaigns().filter(donation_points=point))
        projects = list(_projects().filter(donation_points=point))
        point_funds = funds
    else:
        funds = all_funds
        campaigns = list(_campaigns().filter(status=Campaign.Status.PUBLIC))
        # A project takes gifts while it is raising money or running (the projects app's rule).
        projects = list(_projects().filter(status__in=RUNNING_STATUSES))
        point_funds = []
    targets = [Target(fund=fund) for fund in funds]
    targets += [
        Target(fund=c.lead_fund, campaign=c)
        for c in campaigns
        if _campaign_is_open(c, today) and c.lead_fund.status == Fund.Status.ACTIVE
    ]
    for project in projects:
        if project.status not in RUNNING_STATUSES:
            continue
        fund = covering_fund(project, point_funds) or covering_fund(project, all_funds)
        if fund is not None:
            targets.append(Target(fund=fund, project=project))
    return targets
