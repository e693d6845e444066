"""The disclosure calendar: what each fund and campaign must publish, by when (DOMAIN.md).

Cadences are settings (``REPORTS_DISCLOSURE_RULES``):
- a campaign running longer than ``long_running_months`` publishes progress at least every
  ``progress_every_months`` while it runs: there must be a publication after the start of
  each such window; and its full results within ``final_report_within_months`` after it ends;
- every fund publishes its annual financial statement for a year by ``annual_due`` (month,
  day) of the next year.

A fund's or campaign's obligations are met by publishing (on ``/disclosure/``) a disclosure
report of the fund (for a campaign: of its organising fund) as described on each item.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from funds.models import Campaign, Fund
from stations.scoping import scope_queryset

from .models import Report
from .periods import add_months, format_date, year
from .registry import disclosure_kind_keys


class ItemStatus(StrEnum):
    DONE = "done"
    UPCOMING = "upcoming"
    DUE = "due"  # due within REPORTS_DISCLOSURE_RULES["due_soon_days"]
    OVERDUE = "overdue"


@dataclass(frozen=True)
class DisclosureItem:
    subject: str  # "fund" or "campaign"
    fund: Fund
    campaign: Campaign | None
    what: str
    due_on: datetime.date
    status: ItemStatus
    published_on: datetime.date | None = None

    @property
    def subject_name(self) -> str:
        return self.campaign.title if self.campaign else self.fund.name

    @property
    def station(self):
        return self.fund.station

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.due_on).days


def _rules() -> dict:
    return settings.REPORTS_DISCLOSURE_RULES


def _status(due_on: datetime.date, met: bool, today: datetime.date) -> ItemStatus:
    if met:
        return ItemStatus.DONE
    if today > due_on:
        return ItemStatus.OVERDUE
    if (due_on - today).days <= _rules()["due_soon_days"]:
        return ItemStatus.DUE
    return ItemStatus.UPCOMING


@dataclass(frozen=True)
class _Publication:
    kind: str
    period_start: datetime.date
    period_end: datetime.date
    published_on: datetime.date


def _publications(fund_ids: Iterable[int]) -> dict[int, list[_Publication]]:
    """Published disclosure reports per fund, oldest first: one query."""
    by_fund: dict[int, list[_Publication]] = defaultdict(list)
    rows = (
        Report.objects.published()
        .filter(fund_id__in=list(fund_ids), kind__in=disclosure_kind_keys())
        .order_by("published_at")
        .values_list("fund_id", "kind", "period_start", "period_end", "published_at")
    )
    for fund_id, kind, start, end, published_at in rows:
        by_fund[fund_id].append(_Publication(kind, start, end, timezone.localdate(published_at)))
    return by_fund


def fund_items(fund: Fund, publications: list[_Publication], today: datetime.date):
    rules = _rules()
    month, day = rules["annual_due"]
    first_year = (fund.founded_on or timezone.localdate(fund.created_at)).year
    first_year = max(first_year, today.year - rules["lookback_years"])
    for statement_year in range(first_year, today.year):
        period = year(statement_year)
        due_on = datetime.date(statement_year + 1, month, day)
        published = next(
            (
                p.published_on
                for p in publications
                if p.kind == "fund_annual_statement"
                and p.period_start == period.start
                and p.period_end == period.end
            ),
            None,
        )
        yield DisclosureItem(
            subject="fund",
            fund=fund,
            campaign=None,
            what=_("Annual financial statement for %(year)s") % {"year": statement_year},
            due_on=due_on,
            status=_status(due_on, published is not None, today),
            published_on=published,
        )


def campaign_items(campaign: Campaign, publications: list[_Publication], today: datetime.date):
    rules = _rules()
    start, end = campaign.starts_on, campaign.ends_on
    if start > today or campaign.status == Campaign.Status.DRAFT:
        return
    if add_months(start, rules["long_running_months"]) < end:
        every = rules["progress_every_months"]
        window_start, number = start, 1
        while True:
            due_on = add_months(start, every * number)
            if due_on >= end or window_start > today:
                break
            # Met by any publication after the window opened (late ones close the gap too).
            published = next(
                (p.published_on for p in publications if p.published_on > window_start), None
            )
            yield DisclosureItem(
                subject="campaign",
                fund=campaign.lead_fund,
                campaign=campaign,
                what=_("Progress report %(number)s (publish by %(date)s)")
                % {"number": number, "date": format_date(due_on)},
                due_on=due_on,
                status=_status(due_on, published is not None, today),
                published_on=published,
            )
            window_start, number = due_on, number + 1
    if end < today or campaign.status == Campaign.Status.CLOSED:
        due_on = add_months(end, rules["final_report_within_months"])
        published = next(
            (p.published_on for p in publications if p.published_on > end and p.period_end >= end),
            None,
        )
        yield DisclosureItem(
            subject="campaign",
            fund=campaign.lead_fund,
            campaign=campaign,
            what=_("Full results and use of the money"),
            due_on=due_on,
            status=_status(due_on, published is not None, today),
            published_on=published,
        )


def disclosure_calendar(
    *,
    funds: QuerySet[Fund] | None = None,
    campaigns: QuerySet[Campaign] | None = None,
    today: datetime.date | None = None,
) -> list[DisclosureItem]:
    """Every disclosure item of these funds and campaigns, soonest first; three queries."""
    today = today or timezone.localdate()
    funds = list(
        (funds if funds is not None else Fund.objects.all()).select_related("station", "host")
    )
    campaigns = list(
        (campaigns if campaigns is not None else Campaign.objects.all()).select_related(
            "lead_fund__station", "lead_fund__host"
        )
    )
    publications = _publications({f.pk for f in funds} | {c.lead_fund_id for c in campaigns})
    items: list[DisclosureItem] = []
    for fund in funds:
        items.extend(fund_items(fund, publications[fund.pk], today))
    for campaign in campaigns:
        items.extend(campaign_items(campaign, publications[campaign.lead_fund_id], today))
    return sorted(items, key=lambda item: (item.due_on, item.subject_name))


def due_and_overdue(*, user=None, today: datetime.date | None = None) -> list[DisclosureItem]:
    """What must be published soon or is late, for the funds and campaigns ``user`` may see
    (all of them when ``user`` is None: the daily reminder job)."""
    funds, campaigns = Fund.objects.all(), Campaign.objects.all()
    if user is not None:
        funds, campaigns = scope_queryset(funds, user), scope_queryset(campaigns, user)
    return [
        item
        for item in disclosure_calendar(funds=funds, campaigns=campaigns, today=today)
        if item.status in (ItemStatus.DUE, ItemStatus.OVERDUE)
    ]


def ensure_no_overdue_disclosure(
    *, fund: Fund | None = None, campaign: Campaign | None = None, project=None, today=None
) -> None:
    """Raise ValidationError when the fund or campaign is late with a disclosure.

    New fundraising calls this first (through ``funds.services.run_fundraising_guards``, listed
    in ``settings.FUNDRAISING_GUARDS``): a fund or campaign that owes the public a report may
    not raise more money until it is published. A fund's check covers the campaigns it leads.
    A campaign is refused while it or another campaign of the same organising fund is late.
    A project's own progress updates are the projects app's rule; here a project is refused
    while a campaign that raises money for it is late.
    """
    campaigns = Campaign.objects.none()
    if fund is not None:
        campaigns = Campaign.objects.filter(lead_fund=fund)
    if campaign is not None:
        # The organiser owes the public the late report: none of its campaigns may raise more.
        campaigns = campaigns | Campaign.objects.filter(
            Q(pk=campaign.pk) | Q(lead_fund_id=campaign.lead_fund_id)
        )
    if project is not None:
        campaigns = campaigns | Campaign.objects.filter(shares__project=project)
    if fund is None and campaign is None and project is None:
        return
    items = disclosure_calendar(
        funds=Fund.objects.filter(pk=fund.pk) if fund is not None else Fund.objects.none(),
        campaigns=campaigns.distinct(),
        today=today,
    )
    overdue = [item for item in items if item.status == ItemStatus.OVERDUE]
    if overdue:
        first = overdue[0]
        raise ValidationError(
            _(
                "%(subject)s has an overdue disclosure (%(what)s, due %(date)s): publish it "
                "before raising more money."
            )
            % {
                "subject": first.subject_name,
                "what": first.what,
                "date": format_date(first.due_on),
            },
            code="overdue_disclosure",
        )
