"""The station monthly report: a station and everything below it, for one month, with the same
month last year and the year to date beside it.

Money figures are the credits (money in) of the ledgers of the funds at those stations, and the
confirmed money donations by channel. People figures are counts only (no personal data): people
helped and assistance given, volunteers and their verified hours, needs assessments.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from donations.models import Donation
from funds import rollups
from funds.models import LedgerEntry
from projects.models import AssistanceRecord, NeedsAssessment, Project
from volunteers.models import ServiceRecord

from ..periods import Period, day_start, month, period_label, same_period_last_year, year_to_date
from ..registry import KindContext, Scope, register_kind
from ..rollups import DONATIONS, SERVICE
from ..structure import Chart, ReportResult, Section, Table
from .ledger_figures import KIND_ORDER, ZERO, in_period, kind_label, no_campaign_label, sums_by

COLUMNS = ("month", "last_year", "year_to_date")

PROJECT_RUNNING = (Project.Status.ACTIVE, Project.Status.CLOSED, Project.Status.EVALUATED)
PROJECT_ENDED = (Project.Status.CLOSED, Project.Status.EVALUATED)


@dataclass
class StationFigures:
    station: object
    periods: dict[str, Period]
    by_kind: list[dict]
    by_fund: list[dict]
    by_campaign: list[dict]
    projects: dict[str, int]
    by_channel: list[dict]  # channel, count_<column>, amount_<column>
    people: dict[str, int | Decimal]  # <measure>_<column>

    @classmethod
    def read(cls, station, period: Period, progress) -> "StationFigures":
        periods = {
            "month": period,
            "last_year": same_period_last_year(period),
            "year_to_date": year_to_date(period),
        }
        if use_rollups(periods):
            with rollups.reading(rollups.LEDGER, DONATIONS):
                progress(10, _("Money in by kind"))
                by_kind, by_fund, by_campaign = credits_from_rollups(station, periods)
                progress(55, _("Projects"))
                projects = project_figures(station, periods)
                progress(65, _("Donations by channel"))
                by_channel = donations_by_channel_from_rollups(station, periods)
                progress(75, _("People served and volunteers"))
                people = people_figures(station, periods, hours_from_rollups=True)
            return cls(
                station, periods, by_kind, by_fund, by_campaign, projects, by_channel, people
            )
        credits = LedgerEntry.objects.filter(
            fund__station__path__startswith=station.path, amount__gt=0
        )
        columns = {name: in_period(p) for name, p in periods.items()}
        progress(10, _("Money in by kind"))
        by_kind = sorted(sums_by(credits, ["kind"], **columns), key=lambda r: KIND_ORDER[r["kind"]])
        progress(25, _("Money in by fund"))
        by_fund = sums_by(credits, ["fund", "fund__name", "fund__station__name"], **columns)
        progress(40, _("Money in by campaign"))
        by_campaign = sums_by(credits, ["campaign", "campaign__title"], **columns)
        by_campaign.sort(key=lambda r: (r["campaign"] is None, r["campaign"] or 0))
        progress(55, _("Projects"))
        projects = project_figures(station, periods)
        progress(65, _("Donations by channel"))
        by_channel = donations_by_channel(station, periods)
        progress(75, _("People served and volunteers"))
        people = people_figures(station, periods)
        return cls(station, periods, by_kind, by_fund, by_campaign, projects, by_channel, people)


def project_figures(station, periods: dict[str, Period]) -> dict[str, int]:
    """Projects started, active and closed: one query over the (small) project table, which
    holds each project's current status rather than a history to roll up."""
    return Project.objects.filter(station__path__startswith=station.path).aggregate(
        **{
            f"{measure}_{name}": Count("pk", filter=condition(p))
            for name, p in periods.items()
            for measure, condition in PROJECT_MEASURES.items()
        }
    )


# --- From the monthly roll-ups (funds/rollups.py, reports/rollups.py) -----------------------


def use_rollups(periods: dict[str, Period]) -> bool:
    """Roll-ups hold whole months: a period that starts or ends mid-month reads raw rows."""
    return rollups.enabled() and all(
        p.start.day == 1 and p.end == month(p.end.year, p.end.month).end for p in periods.values()
    )


def _in_months(p: Period) -> Q:
    return Q(month__gte=p.start, month__lte=p.end)


def _months_spanned(periods: dict[str, Period]) -> Q:
    return Q(
        month__gte=min(p.start for p in periods.values()),
        month__lte=max(p.end for p in periods.values()),
    )


def credits_from_rollups(station, periods: dict[str, Period]) -> tuple[list, list, list]:
    """Money in by kind, fund and campaign: one roll-up query, grouped three ways here."""
    rows = rollups.grouped_sums(
        rollups.LEDGER,
        where=Q(fund__station__path__startswith=station.path, credit__gt=0)
        & _months_spanned(periods),
        group=["kind", "fund", "fund__name", "fund__station__name", "campaign", "campaign__title"],
        sums={
            name: (lambda p=p: rollups.money("credit", _in_months(p)))
            for name, p in periods.items()
        },
    )

    def regroup(fields: list[str]) -> list[dict]:
        grouped: dict[tuple, dict] = {}
        for row in rows:
            key = tuple(row[f] for f in fields)
            item = grouped.setdefault(
                key, {**{f: row[f] for f in fields}, **dict.fromkeys(COLUMNS, ZERO)}
            )
            for name in COLUMNS:
                item[name] += row[name]
        ordered = [grouped[key] for key in sorted(grouped, key=rollups.sort_key)]
        return [r for r in ordered if any(r[name] for name in COLUMNS)]

    by_kind = sorted(regroup(["kind"]), key=lambda r: KIND_ORDER[r["kind"]])
    by_fund = regroup(["fund", "fund__name", "fund__station__name"])
    by_campaign = regroup(["campaign", "campaign__title"])
    return by_kind, by_fund, by_campaign


def donations_by_channel_from_rollups(station, periods: dict[str, Period]) -> list[dict]:
    """As ``donations_by_channel``, from ``DonationMonth`` (gifts since refunded are taken
    back out of the month they were confirmed in)."""
    rows = rollups.grouped_sums(
        DONATIONS,
        where=Q(fund__station__path__startswith=station.path) & _months_spanned(periods),
        group=["channel"],
        sums={
            **{
                f"count_{name}": (lambda p=p: Coalesce(Sum("donations", filter=_in_months(p)), 0))
                for name, p in periods.items()
            },
            **{
                f"amount_{name}": (lambda p=p: rollups.money("donated", _in_months(p)))
                for name, p in periods.items()
            },
        },
    )
    order = {channel: index for index, channel in enumerate(Donation.Channel.values)}
    rows = [r for r in rows if any(r[f"count_{name}"] for name in periods)]
    return sorted(rows, key=lambda r: order.get(r["channel"], len(order)))


HOURS = DecimalField(max_digits=14, decimal_places=2)


def _day_range(prefix: str, p: Period) -> Q:
    return Q(**{f"{prefix}__gte": p.start, f"{prefix}__lte": p.end})


def _time_range(prefix: str, p: Period) -> Q:
    start, end = p.bounds()
    return Q(**{f"{prefix}__gte": start, f"{prefix}__lt": end})


def donations_by_channel(station, periods: dict[str, Period]) -> list[dict]:
    """Confirmed money donations to the funds of these stations, by channel: one query.

    A donation counts in the month it was confirmed; a donation since refunded is not counted
    (its refund shows in the ledger figures).
    """
    rows = (
        Donation.objects.filter(
            fund__station__path__startswith=station.path, status=Donation.Status.CONFIRMED
        )
        .values("channel")
        .annotate(
            **{
                f"count_{name}": Count("pk", filter=_time_range("confirmed_at", p))
                for name, p in periods.items()
            },
            **{
                f"amount_{name}": Coalesce(
                    Sum("amount", filter=_time_range("confirmed_at", p)),
                    Value(ZERO),
                    output_field=HOURS,
                )
                for name, p in periods.items()
            },
        )
        .order_by()
    )
    order = {channel: index for index, channel in enumerate(Donation.Channel.values)}
    rows = [r for r in rows if any(r[f"count_{name}"] for name in periods)]
    return sorted(rows, key=lambda r: order.get(r["channel"], len(order)))


def people_figures(station, periods: dict[str, Period], *, hours_from_rollups=False) -> dict:
    """Counts of people served, assistance, volunteers and assessments: four queries.

    With ``hours_from_rollups`` the verified hours come from ``ServiceMonth``. The other
    figures stay on raw rows: "different people" and "different volunteers" are distinct
    counts, which do not add up across months or stations (a volunteer active in January and
    March is one volunteer in the year), so a monthly roll-up cannot give them; and
    assistance records and needs assessments are entered one by one by staff, a small table
    next to the ledger. The volunteer count reads only the months the report spans.
    """
    below = station.path
    figures: dict = {}
    figures |= AssistanceRecord.objects.filter(project__station__path__startswith=below).aggregate(
        **{
            f"beneficiaries_{name}": Count(
                "beneficiary", distinct=True, filter=_day_range("date", p)
            )
            for name, p in periods.items()
        },
        **{
            f"assistance_{name}": Count("pk", filter=_day_range("date", p))
            for name, p in periods.items()
        },
    )
    first = min(p.start for p in periods.values())
    last = max(p.end for p in periods.values())
    service = ServiceRecord.objects.filter(
        station__path__startswith=below,
        status=ServiceRecord.Status.VERIFIED,
        started_at__gte=day_start(first),
        started_at__lt=day_start(last + datetime.timedelta(days=1)),
    )
    figures |= service.aggregate(
        **{
            f"volunteers_{name}": Count(
                "volunteer", distinct=True, filter=_time_range("started_at", p)
            )
            for name, p in periods.items()
        },
        **(
            {}
            if hours_from_rollups
            else {
                f"hours_{name}": Coalesce(
                    Sum("hours", filter=_time_range("started_at", p)),
                    Value(ZERO),
                    output_field=HOURS,
                )
                for name, p in periods.items()
            }
        ),
    )
    if hours_from_rollups:
        figures |= rollups.totals(
            SERVICE,
            where=Q(station__path__startswith=below) & _months_spanned(periods),
            sums={
                f"hours_{name}": (lambda p=p: rollups.money("hours", _in_months(p)))
                for name, p in periods.items()
            },
        )
    figures |= NeedsAssessment.objects.filter(station__path__startswith=below).aggregate(
        **{
            f"assessments_{name}": Count("pk", filter=_day_range("date", p))
            for name, p in periods.items()
        }
    )
    return figures


def _started(p: Period) -> Q:
    return Q(status__in=PROJECT_RUNNING, start_date__gte=p.start, start_date__lte=p.end)


def _active(p: Period) -> Q:
    return Q(status__in=PROJECT_RUNNING, start_date__lte=p.end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=p.start)
    )


def _closed(p: Period) -> Q:
    return Q(status__in=PROJECT_ENDED, end_date__gte=p.start, end_date__lte=p.end)


PROJECT_MEASURES: dict[str, Callable[[Period], Q]] = {
    "started": _started,
    "active": _active,
    "closed": _closed,
}


def _headers(figures: StationFigures, first: str) -> list[str]:
    p = figures.periods
    return [
        first,
        period_label(p["month"].start, p["month"].end),
        _("Same month last year (%(period)s)")
        % {"period": period_label(p["last_year"].start, p["last_year"].end)},
        _("Year to date"),
    ]


def _money_table(figures: StationFigures, first: str, rows: list[list]) -> Table:
    if rows:
        rows = [*rows, [_("Total"), *(sum((r[i] for r in rows), ZERO) for i in (1, 2, 3))]]
    return Table(_headers(figures, first), rows)


def _values(row: dict) -> list:
    return [row[name] for name in COLUMNS]


def credits_by_kind_section(figures: StationFigures) -> Section:
    rows = [[kind_label(r["kind"]), *_values(r)] for r in figures.by_kind]
    return Section(
        "credits_by_kind",
        _("Money in by kind (yuan)"),
        _money_table(figures, _("Kind"), rows),
        chart=_chart(_("Money in by kind (yuan)"), figures, rows),
    )


def credits_by_fund_section(figures: StationFigures) -> Section:
    rows = [
        [f"{r['fund__name']}（{r['fund__station__name']}）", *_values(r)] for r in figures.by_fund
    ]
    return Section(
        "credits_by_fund",
        _("Money in by fund (yuan)"),
        _money_table(figures, _("Fund"), rows),
        chart=_chart(_("Money in by fund (yuan)"), figures, rows, horizontal=True),
    )


def credits_by_campaign_section(figures: StationFigures) -> Section:
    rows = [[r["campaign__title"] or no_campaign_label(), *_values(r)] for r in figures.by_campaign]
    return Section(
        "credits_by_campaign",
        _("Money in by campaign (yuan)"),
        _money_table(figures, _("Campaign"), rows),
    )


def projects_section(figures: StationFigures) -> Section:
    labels = {
        "started": _("Projects started"),
        "active": _("Projects active"),
        "closed": _("Projects closed"),
    }
    rows = [
        [label, *(figures.projects[f"{measure}_{name}"] for name in COLUMNS)]
        for measure, label in labels.items()
    ]
    return Section(
        "projects",
        _("Projects"),
        Table(_headers(figures, _("Measure")), rows),
        note=_(
            "Counted from each project's start and end dates and its current status; projects "
            "still in design, review or fundraising are not counted."
        ),
    )


def donations_by_channel_section(figures: StationFigures) -> Section:
    labels = dict(Donation.Channel.choices)
    rows = []
    for r in figures.by_channel:
        label = str(labels.get(r["channel"], r["channel"] or _("Not recorded")))
        rows.append([label, *(r[f"count_{name}"] for name in COLUMNS)])
        rows.append(
            [_("%(channel)s: amount (yuan)") % {"channel": label},
             *(r[f"amount_{name}"] for name in COLUMNS)]
        )  # fmt: skip
    if rows:
        rows.append(
            [_("All channels: number of gifts"),
             *(sum(r[f"count_{name}"] for r in figures.by_channel) for name in COLUMNS)]
        )  # fmt: skip
        rows.append(
            [_("All channels: amount (yuan)"),
             *(sum((r[f"amount_{name}"] for r in figures.by_channel), ZERO) for name in COLUMNS)]
        )  # fmt: skip
    return Section(
        "donations_by_channel",
        _("Money donations by channel"),
        Table(_headers(figures, _("Channel")), rows),
        note=_(
            "Confirmed money donations, counted in the month they were confirmed; donations "
            "since refunded are not counted. Goods in and out are not yet recorded here."
        ),
    )


def people_section(figures: StationFigures) -> Section:
    labels = {
        "beneficiaries": _("People helped"),
        "assistance": _("Assistance given (times)"),
        "volunteers": _("Active volunteers"),
        "hours": _("Verified volunteer hours"),
        "assessments": _("Needs assessments"),
    }
    rows = [
        [label, *(figures.people[f"{measure}_{name}"] for name in COLUMNS)]
        for measure, label in labels.items()
    ]
    return Section(
        "people",
        _("People served and volunteers"),
        Table(_headers(figures, _("Measure")), rows),
        note=_(
            "Counts only. People helped: different people with assistance recorded; active "
            "volunteers: different volunteers with verified service that started in the period. "
            "Year-to-date counts people once however many months they appear."
        ),
    )


def _chart(title: str, figures: StationFigures, rows: list[list], *, horizontal=False):
    if not rows:
        return None
    headers = _headers(figures, "")
    return Chart(
        title=title,
        categories=[str(r[0]) for r in rows],
        series=[(headers[1], [r[1] for r in rows]), (headers[2], [r[2] for r in rows])],
        horizontal=horizontal,
    )


STATION_MONTHLY_SECTIONS: list[Callable[[StationFigures], Section]] = [
    credits_by_kind_section,
    credits_by_fund_section,
    credits_by_campaign_section,
    projects_section,
    donations_by_channel_section,
    people_section,
    # Goods in and out: a section joins here when donations' in-kind goods land on main.
]


@register_kind(
    "station_monthly",
    label=gettext_lazy("Station monthly report"),
    scope=Scope.STATION,
    period_unit="month",
)
def station_monthly(context: KindContext) -> ReportResult:
    station = context.station
    figures = StationFigures.read(station, context.period, context.progress)
    return ReportResult(
        title=_("%(station)s: monthly report for %(period)s")
        % {
            "station": station.name,
            "period": period_label(context.period_start, context.period_end),
        },
        subtitle=_("%(station)s and every station below it") % {"station": station.name},
        sections=[build(figures) for build in STATION_MONTHLY_SECTIONS],
    )
