"""Fund reports: the quarterly disclosure (public) and the annual financial statement.

Every figure comes from the append-only ledger (``funds.LedgerEntry``). Debits are shown as
positive amounts of money out. Rows whose figures are all zero are left out.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import BigIntegerField, Case, CharField, Count, OuterRef, Q, Subquery, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from funds.dashboard import host_spending_ratios
from funds.models import DisbursementRequest, Fund, HostCharity, LedgerEntry, Vote
from funds.money import round_money

from ..periods import Period, period_label
from ..registry import KindContext, Scope, register_kind
from ..structure import Chart, ReportResult, Section, Table
from .ledger_figures import (
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
    decisions: list[dict]  # the committee's decisions during the period

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
            with_attributed_project(entries),
            ["project_id_attributed", "project_title_attributed"],
            money_out=here & Q(amount__lt=0),
            # Net of reversed disbursements: a payment made by mistake and reversed is no payment.
            disbursed=here & of_kinds(SPENDING_KINDS),
        )
        for row in by_project:
            row["money_out"], row["disbursed"] = -row["money_out"], -row["disbursed"]
            row["project"] = row.pop("project_id_attributed")
            row["project__title"] = row.pop("project_title_attributed")
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
            decisions=committee_decisions(fund, period),
        )


# DisbursementRequest.ledger_source: the source_type of the debits that paid a request.
REQUEST_SOURCE = "funds.disbursementrequest"


def _request_project(prefix: str, field: str):
    """``field`` of the disbursement request that posted an entry (its ledger source).

    ``source_id`` is text: the request's key is compared as text so no other source's id is
    ever cast to a number."""
    requests = DisbursementRequest.objects.annotate(
        pk_text=Cast("pk", output_field=CharField())
    ).filter(pk_text=OuterRef(f"{prefix}source_id"))
    return Case(
        When(
            **{f"{prefix}source_type": REQUEST_SOURCE},
            then=Subquery(requests.values(field)[:1]),
        ),
        default=None,
    )


def with_attributed_project(entries):
    """Entries with the project they paid for: their own restriction, else the project of the
    disbursement request that posted them (unrestricted money paid for a request), else, for a
    reversal, the same for the entry it reverses."""
    return entries.annotate(
        project_id_attributed=Coalesce(
            "project",
            _request_project("", "project"),
            "reverses__project",
            _request_project("reverses__", "project"),
            output_field=BigIntegerField(),
        ),
        project_title_attributed=Coalesce(
            "project__title",
            _request_project("", "project__title"),
            "reverses__project__title",
            _request_project("reverses__", "project__title"),
            output_field=CharField(),
        ),
    )


DECIDED = (
    DisbursementRequest.Status.APPROVED,
    DisbursementRequest.Status.REJECTED,
    DisbursementRequest.Status.HOST_REVIEWED,
    DisbursementRequest.Status.PAID,
    DisbursementRequest.Status.RECONCILED,
)


def committee_decisions(fund: Fund, period: Period) -> list[dict]:
    """Requests the committee decided during the period, with their votes: one query."""
    start, end = period.bounds()
    choice = Vote.Choice
    return list(
        DisbursementRequest.objects.filter(
            fund=fund, status__in=DECIDED, decided_at__gte=start, decided_at__lt=end
        )
        .annotate(
            approve=Count("votes", filter=Q(votes__choice=choice.APPROVE)),
            reject=Count("votes", filter=Q(votes__choice=choice.REJECT)),
            abstain=Count("votes", filter=Q(votes__choice=choice.ABSTAIN)),
        )
        .values(
            "pk", "code", "project__title", "amount", "status", "decided_at",
            "decided_by_chair_alone", "approve", "reject", "abstain",
        )
        .order_by("decided_at", "pk")
    )  # fmt: skip


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
    # Context: another app's plain "Balance" would win over this catalog's wording.
    return Section("balance", pgettext("report section", "Balance"), table)


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
            "Unrestricted money paid for a disbursement request is shown under the request's "
            "project; only entries posted without a request (e.g. adjustments) have no project."
        ),
    )


def committee_decisions_section(figures: FundFigures) -> Section:
    from ..periods import format_date

    rows = []
    for r in figures.decisions:
        approved = r["status"] != DisbursementRequest.Status.REJECTED
        rows.append(
            [
                r["code"],
                r["project__title"],
                r["amount"],
                pgettext("committee decision", "Approved")
                if approved
                else pgettext("committee decision", "Rejected"),
                format_date(timezone.localdate(r["decided_at"])),
                _("chair alone (urgent)") if r["decided_by_chair_alone"]
                else _("%(approve)s for, %(reject)s against, %(abstain)s abstained") % r,
            ]
        )  # fmt: skip
    return Section(
        "committee_decisions",
        _("Committee decisions"),
        Table(
            [
                pgettext("disbursement", "Request"),
                _("Project"),
                _("Amount (yuan)"),
                pgettext("committee", "Decision"),
                _("Date"),
                _("Votes"),
            ],
            rows,
        ),  # fmt: skip
        note=_("Disbursement requests the fund's committee decided during the period."),
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
    committee_decisions_section,
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
    sections.append(host_ratios_section(fund.host, context.period))
    return ReportResult(
        title=_("%(fund)s: financial statement for %(period)s")
        % {"fund": fund.name, "period": period_label(context.period_start, context.period_end)},
        subtitle=_("Held by %(host)s · station: %(station)s")
        % {"host": fund.host.name, "station": fund.station.name},
        sections=sections,
    )


def _percent(ratio: Decimal | None) -> Decimal | None:
    return None if ratio is None else round_money(ratio * 100)


def host_ratios_section(host: HostCharity, period: Period) -> Section:
    """The host's charitable-spending and administrative-cost ratios for the statement's year,
    as funds computes them for the committee dashboard (``funds.dashboard``): over all the
    host's funds on the platform, spending from paid disbursement requests, which record
    whether a payment is administrative."""
    ratios = host_spending_ratios(host, year=period.start.year)
    minimum = round_money(settings.FUNDS_MIN_CHARITABLE_SPENDING_RATIO * 100)
    rows = [
        [_("Host's net donation income in the previous year"), ratios.income_last_year, "", ""],
        [_("Host's charitable spending in the year"), ratios.charitable_spending, "", ""],
        [_("Host's administrative costs in the year"), ratios.admin_cost, "", ""],
    ]
    charitable = _percent(ratios.charitable_ratio)
    if charitable is not None:
        rows.append(
            [
                _("Charitable spending as a share of the previous year's income (%)"),
                charitable,
                _("at least %(percent)s%%") % {"percent": minimum},
                _("meets the limit") if ratios.charitable_ok else _("below the limit"),
            ]
        )
    admin = _percent(ratios.admin_ratio)
    if admin is not None:
        limit = round_money(ratios.admin_limit * 100)
        if ratios.admin_exempt:
            result = _("exempt: administrative costs below %(amount)s yuan") % {
                "amount": ratios.admin_exempt_below
            }
        else:
            result = _("meets the limit") if ratios.admin_ok else _("above the limit")
        rows.append(
            [
                _("Administrative costs as a share of the year's spending (%)"),
                admin,
                _("at most %(percent)s%%") % {"percent": limit},
                result,
            ]
        )
    return Section(
        "host_ratios",
        _("Host's spending ratios"),
        Table([_("Item"), _("Figure"), _("Requirement"), _("Result")], rows),
        note=_(
            "Computed over the host's funds on this platform: income from the ledger, spending "
            "from paid disbursement requests, each marked charitable or administrative."
        ),
    )


def host_funds(host_id: int, period: Period) -> list[dict]:
    """Opening and closing balance, money in and out of each of the host's funds: one query."""
    rows = (
        LedgerEntry.objects.filter(fund__host_id=host_id)
        .values("fund", "fund__name", "fund__station__name")
        .annotate(
            opening=money_sum(Q(posted_at__lt=period.bounds()[0])),
            money_in=money_sum(in_period(period) & Q(amount__gt=0)),
            money_out=money_sum(in_period(period) & Q(amount__lt=0)),
            closing=money_sum(through(period)),
        )
        .order_by("fund")
    )
    return [
        {**row, **{k: round_money(row[k]) for k in ("opening", "money_in", "closing")},
         "money_out": round_money(-row["money_out"])}
        for row in rows
    ]  # fmt: skip


@register_kind(
    "host_annual_work_report",
    label=gettext_lazy("Host's annual work report (draft)"),
    scope=Scope.HOST,
    period_unit="year",
    disclosure=True,
)
def host_annual_work_report(context: KindContext) -> ReportResult:
    """A draft for the host's annual work report (due 31 May of the next year), one per host
    charity: the figures of all the host's funds on the platform and its spending ratios.
    Staff complete the narrative parts before filing it with the civil affairs department."""
    host = context.host
    context.progress(20, _("Funds"))
    rows = [
        [f"{r['fund__name']}（{r['fund__station__name']}）", r["opening"], r["money_in"],
         r["money_out"], r["closing"]]
        for r in host_funds(host.pk, context.period)
    ]  # fmt: skip
    context.progress(60, _("Spending ratios"))
    return ReportResult(
        title=_("%(host)s: annual work report draft for %(period)s")
        % {
            "host": host.name,
            "period": period_label(context.period_start, context.period_end),
        },
        subtitle=_("Draft from the platform's records: staff add the narrative before filing."),
        sections=[
            Section(
                "host_funds",
                _("The host's funds on the platform"),
                _with_total(
                    [
                        _("Fund"),
                        _("Balance at the start of the period"),
                        _("Money in during the period"),
                        _("Money out during the period"),
                        _("Balance at the end of the period"),
                    ],
                    rows,
                ),  # fmt: skip
            ),
            host_ratios_section(host, context.period),
        ],
    )
