"""The station monthly report: a station and everything below it, for one month, with the same
month last year and the year to date beside it.

Money figures are the credits (money in) of the ledgers of the funds at those stations. More
sections (donations by channel, goods, volunteers, beneficiaries) join when their apps land.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funds.models import LedgerEntry
from projects.models import Project

from ..periods import Period, period_label, same_period_last_year, year_to_date
from ..registry import KindContext, Scope, register_kind
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

    @classmethod
    def read(cls, station, period: Period, progress) -> "StationFigures":
        periods = {
            "month": period,
            "last_year": same_period_last_year(period),
            "year_to_date": year_to_date(period),
        }
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
        projects = Project.objects.filter(station__path__startswith=station.path).aggregate(
            **{
                f"{measure}_{name}": Count("pk", filter=condition(p))
                for name, p in periods.items()
                for measure, condition in PROJECT_MEASURES.items()
            }
        )
        return cls(station, periods, by_kind, by_fund, by_campaign, projects)


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
