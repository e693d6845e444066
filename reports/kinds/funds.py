"""Fund reports: the quarterly disclosure (public) and the annual financial statement.

Every figure comes from the append-only ledger (``funds.LedgerEntry``). Debits are shown as
positive amounts of money out. Rows whose figures are all zero are left out.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funds.models import Fund, LedgerEntry
from funds.money import round_money

from ..periods import Period, period_label
from ..periods import year as year_period
from ..registry import KindContext, Scope, register_kind
from ..structure import Chart, ReportResult, Section, Table
from .ledger_figures import (
    INCOME_KINDS,
    KIND_ORDER,
    SPENDING_KINDS,
    ZERO,
    balances,
    in_period,
    kind_label,
    money_sum,
    no_campaign_label,
    of_kinds,
    sums_by,
    through,
    unrestricted_label,
)


@dataclass
class FundFigures:
    """The ledger figures of one fund for one period, read once and shared by the sections."""

    fund: Fund
    period: Period
    balances: dict[str, Decimal]
    by_kind: list[dict]  # kind, money_in, money_out (positive)
    by_campaign: list[dict]  # campaign, campaign__title, money_in
    by_project: list[dict]  # project, project__title, money_out, disbursed net (positive)
    restricted: list[dict]  # project, project__title, balance at the end of the period

    @classmethod
    def read(cls, fund: Fund, period: Period, progress) -> "FundFigures":
        entries = LedgerEntry.objects.filter(fund=fund)
        here = in_period(period)
        progress(10, _("Balances"))
        totals = balances(entries, period)
        progress(25, _("Income"))
        by_kind = sums_by(
            entries,
            ["kind"],
            money_in=here & Q(amount__gt=0),
            money_out=here & Q(amount__lt=0),
        )
        for row in by_kind:
            row["money_out"] = -row["money_out"]
        by_kind.sort(key=lambda row: KIND_ORDER[row["kind"]])
        by_campaign = sums_by(
            entries, ["campaign", "campaign__title"], money_in=here & Q(amount__gt=0)
        )
        progress(40, _("Spending"))
        by_project = sums_by(
            entries,
            ["project", "project__title"],
            money_out=here & Q(amount__lt=0),
            # Net of reversed disbursements: a payment made by mistake and reversed is no payment.
            disbursed=here & of_kinds(SPENDING_KINDS),
        )
        for row in by_project:
            row["money_out"], row["disbursed"] = -row["money_out"], -row["disbursed"]
        restricted = sums_by(
            entries.filter(project__isnull=False),
            ["project", "project__title"],
            balance=through(period),
        )
        totals_out = -totals["money_out"]
        return cls(
            fund=fund,
            period=period,
            balances={**totals, "money_out": totals_out},
            by_kind=by_kind,
            by_campaign=_nulls_last(by_campaign, "campaign"),
            by_project=_nulls_last(by_project, "project"),
            restricted=restricted,
        )


def _nulls_last(rows: list[dict], key: str) -> list[dict]:
    return sorted(rows, key=lambda row: (row[key] is None, row[key] or 0))


def _total_row(label: str, rows: list[list], columns: int) -> list:
    return [label, *(sum((row[i] for row in rows), ZERO) for i in range(1, columns))]


def _with_total(headers: list[str], rows: list[list]) -> Table:
    if rows:
        rows = [*rows, _total_row(_("Total"), rows, len(headers))]
    return Table(headers, rows)


# --- sections ---------------------------------------------------------------------------------


def balance_section(figures: FundFigures) -> Section:
    b = figures.balances
    table = Table(
        [_("Item"), _("Amount (yuan)")],
        [
            [_("Balance at the start of the period"), b["opening"]],
            [_("Money in during the period"), b["money_in"]],
            [_("Money out during the period"), b["money_out"]],
            [_("Balance at the end of the period"), b["closing"]],
        ],
    )
    return Section("balance", _("Balance"), table)


def income_by_kind_section(figures: FundFigures) -> Section:
    rows = [[kind_label(r["kind"]), r["money_in"]] for r in figures.by_kind if r["money_in"]]
    return Section(
        "income_by_kind",
        _("Income by kind"),
        _with_total([_("Kind"), _("Money in (yuan)")], rows),
        chart=_bar_chart(_("Income by kind"), rows),
    )


def income_by_campaign_section(figures: FundFigures) -> Section:
    rows = [
        [r["campaign__title"] or no_campaign_label(), r["money_in"]] for r in figures.by_campaign
    ]
    return Section(
        "income_by_campaign",
        _("Income by campaign"),
        _with_total([_("Campaign"), _("Money in (yuan)")], rows),
    )


def disbursements_by_project_section(figures: FundFigures) -> Section:
    rows = [
        [r["project__title"] or unrestricted_label(), r["disbursed"]]
        for r in figures.by_project
        if r["disbursed"]
    ]
    return Section(
        "disbursements_by_project",
        _("Disbursements by project"),
        _with_total([_("Project"), _("Disbursed (yuan)")], rows),
        chart=_bar_chart(_("Disbursements by project"), rows, horizontal=True),
        note=_(
            "Money paid from unrestricted funds is shown without a project when the ledger "
            "entry names none."
        ),
    )


def restricted_balances_section(figures: FundFigures) -> Section:
    rows = [[r["project__title"], r["balance"]] for r in figures.restricted]
    return Section(
        "restricted_balances",
        _("Restricted balances by project"),
        _with_total([_("Project"), _("Balance at the end of the period (yuan)")], rows),
        note=_("Money given for a named project is spent only on that project."),
    )


def spending_by_project_section(figures: FundFigures) -> Section:
    rows = [
        [r["project__title"] or unrestricted_label(), r["money_out"]] for r in figures.by_project
    ]
    return Section(
        "spending_by_project",
        _("Spending by project"),
        _with_total([_("Project"), _("Money out (yuan)")], rows),
        chart=_bar_chart(_("Spending by project"), rows, horizontal=True),
    )


def spending_by_category_section(figures: FundFigures) -> Section:
    rows = [[kind_label(r["kind"]), r["money_out"]] for r in figures.by_kind if r["money_out"]]
    return Section(
        "spending_by_category",
        _("Spending by category"),
        _with_total([_("Category"), _("Money out (yuan)")], rows),
    )


def _bar_chart(title: str, rows: list[list], *, horizontal: bool = False) -> Chart | None:
    if not rows:
        return None
    return Chart(
        title=title,
        categories=[str(row[0]) for row in rows],
        series=[(_("Amount (yuan)"), [row[1] for row in rows])],
        horizontal=horizontal,
    )


# Later apps append sections here (e.g. the committee's decisions when funds gets committees).
DISCLOSURE_SECTIONS: list[Callable[[FundFigures], Section]] = [
    balance_section,
    income_by_kind_section,
    income_by_campaign_section,
    disbursements_by_project_section,
    restricted_balances_section,
]

STATEMENT_SECTIONS: list[Callable[[FundFigures], Section]] = [
    balance_section,
    income_by_kind_section,
    spending_by_project_section,
    spending_by_category_section,
]


@register_kind(
    "fund_quarterly_disclosure",
    label=gettext_lazy("Fund quarterly disclosure"),
    scope=Scope.FUND,
    period_unit="quarter",
    disclosure=True,
)
def fund_quarterly_disclosure(context: KindContext) -> ReportResult:
    fund = context.fund
    figures = FundFigures.read(fund, context.period, context.progress)
    return ReportResult(
        title=_("%(fund)s: disclosure for %(period)s")
        % {"fund": fund.name, "period": period_label(context.period_start, context.period_end)},
        subtitle=_("Held by %(host)s · station: %(station)s")
        % {"host": fund.host.name, "station": fund.station.name},
        sections=[build(figures) for build in DISCLOSURE_SECTIONS],
    )


@register_kind(
    "fund_annual_statement",
    label=gettext_lazy("Fund annual financial statement"),
    scope=Scope.FUND,
    period_unit="year",
    disclosure=True,
)
def fund_annual_statement(context: KindContext) -> ReportResult:
    fund = context.fund
    figures = FundFigures.read(fund, context.period, context.progress)
    context.progress(70, _("Spending ratios"))
    sections = [build(figures) for build in STATEMENT_SECTIONS]
    sections.append(host_ratios_section(fund, context.period))
    return ReportResult(
        title=_("%(fund)s: financial statement for %(period)s")
        % {"fund": fund.name, "period": period_label(context.period_start, context.period_end)},
        subtitle=_("Held by %(host)s · station: %(station)s")
        % {"host": fund.host.name, "station": fund.station.name},
        sections=sections,
    )


def host_ratio_figures(host_id: int, period: Period) -> dict[str, Decimal]:
    """The host's net donation income last year and charitable spending this year, over all
    its funds on the platform: one query."""
    previous = year_period(period.start.year - 1)
    totals = LedgerEntry.objects.filter(fund__host_id=host_id).aggregate(
        previous_income=money_sum(in_period(previous) & of_kinds(INCOME_KINDS)),
        spending=money_sum(in_period(period) & of_kinds(SPENDING_KINDS)),
    )
    return {
        "previous_income": round_money(totals["previous_income"]),
        "spending": round_money(-totals["spending"]),
    }


def host_ratios_section(fund: Fund, period: Period) -> Section:
    """Charitable spending against last year's income, for the host's funds on the platform.

    The administrative-cost ratio needs the host's administrative costs, which the ledger does
    not record: that row is left out rather than invented.
    """
    rules = settings.REPORTS_HOST_RATIO_RULES[fund.host.kind]
    figures = host_ratio_figures(fund.host_id, period)
    minimum = rules["min_charitable_spending_percent"]
    rows = [
        [_("Host's net donation income in the previous year"), figures["previous_income"], "", ""],
        [_("Host's charitable spending in the year"), figures["spending"], "", ""],
    ]
    if figures["previous_income"] > 0:
        percent = round_money(figures["spending"] * 100 / figures["previous_income"])
        rows.append(
            [
                _("Charitable spending as a share of the previous year's income (%)"),
                percent,
                _("at least %(percent)s%%") % {"percent": minimum},
                _("meets the limit") if percent >= minimum else _("below the limit"),
            ]
        )
    return Section(
        "host_ratios",
        _("Host's spending ratios"),
        Table([_("Item"), _("Figure"), _("Requirement"), _("Result")], rows),
        note=_(
            "Computed from the ledger of the host's funds on this platform. The administrative "
            "cost ratio is not shown: the platform does not record administrative costs."
        ),
    )
