"""The disclosure calendar: what each fund, campaign, project and host charity must publish,
by when (DOMAIN.md).

Cadences are settings (``REPORTS_DISCLOSURE_RULES``):
- a campaign or project running longer than ``long_running_months`` publishes progress at
  least every ``progress_every_months`` while it runs: there must be a publication after the
  start of each such window; and its full results within ``final_report_within_months`` after
  it ends (for a project: the use of the money and what was left);
- every fund publishes its annual financial statement for a year, and every host charity its
  annual work report, by ``annual_due`` (month, day) of the next year.

Obligations are met by publishing (on ``/disclosure/``) a disclosure report: of the fund (for a
campaign: of its organising fund), of the project (its progress or final report; a public
progress update of the project also counts as progress), or the host's work report.
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

from funds.models import Campaign, Fund, HostCharity
from projects.models import ProgressUpdate, Project
from stations.scoping import scope_queryset, visible_stations

from .models import Report
from .periods import add_months, format_date, year
from .registry import disclosure_kind_keys
from .selectors import host_stations

PROJECT_REPORT_KINDS = ("project_progress_quarterly", "project_final")
HOST_REPORT_KIND = "host_annual_work_report"
# Projects that have started and may owe the public something.
STARTED = (
    Project.Status.FUNDRAISING,
    Project.Status.ACTIVE,
    Project.Status.CLOSED,
    Project.Status.EVALUATED,
)
ENDED = (Project.Status.CLOSED, Project.Status.EVALUATED)


class ItemStatus(StrEnum):
    DONE = "done"
    UPCOMING = "upcoming"
    DUE = "due"  # due within REPORTS_DISCLOSURE_RULES["due_soon_days"]
    OVERDUE = "overdue"


@dataclass(frozen=True)
class DisclosureItem:
    subject: str  # "fund", "campaign", "project" or "host"
    fund: Fund | None
    campaign: Campaign | None
    what: str
    due_on: datetime.date
    status: ItemStatus
    published_on: datetime.date | None = None
    project: Project | None = None
    host: HostCharity | None = None
    host_station: object | None = None  # the station above all the host's funds

    @property
    def subject_name(self) -> str:
        if self.campaign is not None:
            return self.campaign.title
        if self.project is not None:
            return self.project.title
        if self.host is not None:
            return self.host.name
        return self.fund.name

    @property
    def subject_label(self) -> str:
        return {
            "fund": _("fund"),
            "campaign": _("campaign"),
            "project": _("project"),
            "host": _("host charity"),
        }[self.subject]

    @property
    def station(self):
        if self.project is not None:
            return self.project.station
        if self.host is not None:
            return self.host_station
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


def _project_publications(project_ids: list[int]) -> dict[int, list[_Publication]]:
    """Per project: its published reports and its public progress updates; two queries."""
    by_project: dict[int, list[_Publication]] = defaultdict(list)
    reports = (
        Report.objects.published()
        .filter(project_id__in=project_ids, kind__in=PROJECT_REPORT_KINDS)
        .values_list("project_id", "kind", "period_start", "period_end", "published_at")
    )
    for project_id, kind, start, end, published_at in reports:
        by_project[project_id].append(
            _Publication(kind, start, end, timezone.localdate(published_at))
        )
    updates = ProgressUpdate.objects.filter(project_id__in=project_ids).values_list(
        "project_id", "published_at"
    )
    for project_id, published_at in updates:
        day = timezone.localdate(published_at)
        by_project[project_id].append(_Publication("progress_update", day, day, day))
    for publications in by_project.values():
        publications.sort(key=lambda p: p.published_on)
    return by_project


def _progress_windows(start, end, today):
    """(number, window start, due date) of each progress window that has opened by ``today``;
    ``end`` (None while a project runs with no end known) closes the series."""
    every = _rules()["progress_every_months"]
    window_start, number = start, 1
    while window_start <= today:
        due_on = add_months(start, every * number)
        if end is not None and due_on >= end:
            return
        yield number, window_start, due_on
        window_start, number = due_on, number + 1


def project_items(project: Project, publications: list[_Publication], today: datetime.date):
    """A project running longer than ``long_running_months`` (by its planned or actual end,
    or, with no end known, by today) publishes progress every ``progress_every_months`` while
    it runs; a project that ended publishes its final report within
    ``final_report_within_months``."""
    rules = _rules()
    start = project.start_date
    if start is None or start > today or project.status not in STARTED:
        return
    ended = project.status in ENDED
    end = project.end_date if ended else None
    runs_until = project.end_date if ended else max(project.end_date or today, today)
    if runs_until is not None and add_months(start, rules["long_running_months"]) < runs_until:
        for number, window_start, due_on in _progress_windows(start, end, today):
            published = next(
                (p.published_on for p in publications if p.published_on > window_start), None
            )
            yield DisclosureItem(
                subject="project",
                fund=None,
                campaign=None,
                project=project,
                what=_("Progress report %(number)s (publish by %(date)s)")
                % {"number": number, "date": format_date(due_on)},
                due_on=due_on,
                status=_status(due_on, published is not None, today),
                published_on=published,
            )
    if ended and project.end_date is not None:
        due_on = add_months(project.end_date, rules["final_report_within_months"])
        published = next((p.published_on for p in publications if p.kind == "project_final"), None)
        yield DisclosureItem(
            subject="project",
            fund=None,
            campaign=None,
            project=project,
            what=_("Final report: use of the money and what was left"),
            due_on=due_on,
            status=_status(due_on, published is not None, today),
            published_on=published,
        )


def _host_publications(host_ids: list[int]) -> dict[int, list[_Publication]]:
    by_host: dict[int, list[_Publication]] = defaultdict(list)
    rows = (
        Report.objects.published()
        .filter(host_id__in=host_ids, kind=HOST_REPORT_KIND)
        .values_list("host_id", "kind", "period_start", "period_end", "published_at")
    )
    for host_id, kind, start, end, published_at in rows:
        by_host[host_id].append(_Publication(kind, start, end, timezone.localdate(published_at)))
    return by_host


def host_items(host: HostCharity, first_year: int, station, publications, today):
    """The host's annual work report for each year it had funds here, by ``annual_due``."""
    rules = _rules()
    month, day = rules["annual_due"]
    for report_year in range(max(first_year, today.year - rules["lookback_years"]), today.year):
        period = year(report_year)
        due_on = datetime.date(report_year + 1, month, day)
        published = next(
            (
                p.published_on
                for p in publications
                if p.period_start == period.start and p.period_end == period.end
            ),
            None,
        )
        yield DisclosureItem(
            subject="host",
            fund=None,
            campaign=None,
            host=host,
            host_station=station,
            what=_("Annual work report for %(year)s") % {"year": report_year},
            due_on=due_on,
            status=_status(due_on, published is not None, today),
            published_on=published,
        )


def _host_first_years(funds: list[Fund]) -> dict[int, int]:
    first: dict[int, int] = {}
    for fund in funds:
        founded = (fund.founded_on or timezone.localdate(fund.created_at)).year
        first[fund.host_id] = min(first.get(fund.host_id, founded), founded)
    return first


def disclosure_calendar(
    *,
    funds: QuerySet[Fund] | None = None,
    campaigns: QuerySet[Campaign] | None = None,
    projects: QuerySet[Project] | None = None,
    hosts: QuerySet[HostCharity] | None = None,
    today: datetime.date | None = None,
) -> list[DisclosureItem]:
    """Every disclosure item of these funds, campaigns, projects and hosts (all of each when
    not given), soonest first; a fixed number of queries however many there are."""
    today = today or timezone.localdate()
    funds = list(
        (funds if funds is not None else Fund.objects.all()).select_related("station", "host")
    )
    campaigns = list(
        (campaigns if campaigns is not None else Campaign.objects.all()).select_related(
            "lead_fund__station", "lead_fund__host"
        )
    )
    projects = list(
        (projects if projects is not None else Project.objects.all())
        .filter(status__in=STARTED, start_date__lte=today)
        .select_related("station", "lead")
    )
    hosts = list(hosts if hosts is not None else HostCharity.objects.all())
    publications = _publications({f.pk for f in funds} | {c.lead_fund_id for c in campaigns})
    items: list[DisclosureItem] = []
    for fund in funds:
        items.extend(fund_items(fund, publications[fund.pk], today))
    for campaign in campaigns:
        items.extend(campaign_items(campaign, publications[campaign.lead_fund_id], today))
    if projects:
        by_project = _project_publications([p.pk for p in projects])
        for project in projects:
            items.extend(project_items(project, by_project[project.pk], today))
    if hosts:
        host_ids = [host.pk for host in hosts]
        host_funds = list(
            Fund.objects.filter(host_id__in=host_ids).only("host", "founded_on", "created_at")
        )
        first_years = _host_first_years(host_funds)
        stations = host_stations(host_ids)
        by_host = _host_publications(host_ids)
        for host in hosts:
            if host.pk in first_years and stations[host.pk] is not None:
                items.extend(host_items(host, first_years[host.pk], stations[host.pk],
                                        by_host[host.pk], today))  # fmt: skip
    return sorted(items, key=lambda item: (item.due_on, item.subject_name))


def due_and_overdue(*, user=None, today: datetime.date | None = None) -> list[DisclosureItem]:
    """What must be published soon or is late, for the funds, campaigns, projects and hosts
    ``user`` may see (all of them when ``user`` is None: the daily reminder job)."""
    funds, campaigns, projects = Fund.objects.all(), Campaign.objects.all(), Project.objects.all()
    if user is not None:
        funds, campaigns = scope_queryset(funds, user), scope_queryset(campaigns, user)
        projects = scope_queryset(projects, user)
    items = disclosure_calendar(funds=funds, campaigns=campaigns, projects=projects, today=today)
    if user is not None:
        # A host's item belongs to the station above all its funds: only who sees that station.
        host_station_ids = {item.station.pk for item in items if item.subject == "host"}
        visible = set(
            visible_stations(user).filter(pk__in=host_station_ids).values_list("pk", flat=True)
        )
        items = [item for item in items if item.subject != "host" or item.station.pk in visible]
    return [item for item in items if item.status in (ItemStatus.DUE, ItemStatus.OVERDUE)]


def ensure_no_overdue_disclosure(
    *, fund: Fund | None = None, campaign: Campaign | None = None, project=None, today=None
) -> None:
    """Raise ValidationError when the fund, campaign or project is late with a disclosure.

    New fundraising calls this first (through ``projects.services.run_fundraising_guards``, listed
    in ``settings.FUNDRAISING_GUARDS``): a fund, campaign or project that owes the public a
    report may not raise more money until it is published. A fund's check covers the campaigns
    it leads. A campaign is refused while it or another campaign of the same organising fund is
    late. A project is refused while its own progress or final report is late, or a campaign
    that raises money for it is.
    """
    if fund is None and campaign is None and project is None:
        return
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
    items = disclosure_calendar(
        funds=Fund.objects.filter(pk=fund.pk) if fund is not None else Fund.objects.none(),
        campaigns=campaigns.distinct(),
        projects=Project.objects.filter(pk=project.pk) if project is not None
        else Project.objects.none(),
        hosts=HostCharity.objects.none(),
        today=today,
    )  # fmt: skip
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
