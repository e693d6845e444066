"""Project reports, one report per project (published on ``/disclosure/`` by project):

- the progress disclosure, quarterly, of projects running longer than six months;
- the final report of a project that closed in the period (published within three months after
  the close): use of money and what is left.

The quarterly schedule produces the progress report of every project that is long-running at
the end of the quarter, and the final report of every project that closed during it.

Money comes from the ledger: money given restricted to a project, and disbursements paid for it
(restricted money, or unrestricted money paid for one of its disbursement requests). Counts of
people only, never their names.
"""

from decimal import Decimal

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funds.dashboard import PAID
from funds.models import DisbursementRequest, LedgerEntry
from funds.money import round_money
from projects.models import AssistanceRecord, Project

from ..periods import Period, add_months, period_label
from ..registry import KindContext, Scope, register_kind
from ..structure import ReportResult, Section, Table
from .funds import with_attributed_project
from .ledger_figures import SPENDING_KINDS, ZERO, in_period, money_sum, of_kinds, through

LONG_RUNNING_MONTHS = 6
ENDED = (Project.Status.CLOSED, Project.Status.EVALUATED)


def long_running(period: Period) -> list[Project]:
    """Active projects that had started six months or more before the period ends."""
    started_by = add_months(period.end, -LONG_RUNNING_MONTHS)
    return list(
        Project.objects.filter(status=Project.Status.ACTIVE, start_date__lte=started_by)
        .select_related("station")
        .order_by("start_date", "pk")
    )


def closed_in(period: Period) -> list[Project]:
    return list(
        Project.objects.filter(
            status__in=ENDED, end_date__gte=period.start, end_date__lte=period.end
        )
        .select_related("station")
        .order_by("end_date", "pk")
    )


def money_by_project(project_ids: list[int], period: Period) -> dict[int, dict[str, Decimal]]:
    """Per project: money given restricted to it and money spent on it, in the period and up
    to its end, and its restricted balance at the end: one query."""
    here = in_period(period)
    given = Q(kind=LedgerEntry.Kind.DONATION, project__in=project_ids)
    spent = of_kinds(SPENDING_KINDS)
    rows = (
        with_attributed_project(LedgerEntry.objects.all())
        .filter(project_id_attributed__in=project_ids)
        .values("project_id_attributed")
        .annotate(
            given_period=money_sum(here & given),
            given_total=money_sum(through(period) & given),
            spent_period=money_sum(here & spent),
            spent_total=money_sum(through(period) & spent),
            left=money_sum(through(period) & Q(project__in=project_ids)),
        )
        .order_by()
    )
    result = {}
    for row in rows:
        result[row["project_id_attributed"]] = {
            "given_period": round_money(row["given_period"]),
            "given_total": round_money(row["given_total"]),
            "spent_period": round_money(-row["spent_period"]),
            "spent_total": round_money(-row["spent_total"]),
            "left": round_money(row["left"]),
        }
    return result


def people_by_project(project_ids: list[int], period: Period | None) -> dict[int, dict]:
    """Per project: different people helped and assistance records (in the period, or ever)."""
    condition = Q(date__gte=period.start, date__lte=period.end) if period else Q()
    rows = (
        AssistanceRecord.objects.filter(condition, project__in=project_ids)
        .values("project")
        .annotate(people=Count("beneficiary", distinct=True), times=Count("pk"))
        .order_by()
    )
    return {row["project"]: row for row in rows}


def paid_requests(project_ids: list[int], period: Period) -> dict[int, Decimal]:
    start, end = period.bounds()
    rows = (
        DisbursementRequest.objects.filter(
            project__in=project_ids, status__in=PAID, paid_at__lt=end
        )
        .values("project")
        .annotate(total=money_sum())
        .order_by()
    )
    return {row["project"]: round_money(row["total"]) for row in rows}


NO_MONEY = {"given_period": ZERO, "given_total": ZERO, "spent_period": ZERO,
            "spent_total": ZERO, "left": ZERO}  # fmt: skip
NO_PEOPLE = {"people": 0, "times": 0}


def _date(day) -> str:
    return date_format(day, "DATE_FORMAT") if day else "—"


def _title(context: KindContext, what: str) -> ReportResult:
    return _("%(project)s: %(what)s for %(period)s") % {
        "project": context.project.title,
        "what": what,
        "period": period_label(context.period_start, context.period_end),
    }


@register_kind(
    "project_progress_quarterly",
    label=gettext_lazy("Project progress disclosure"),
    scope=Scope.PROJECT,
    period_unit="quarter",
    disclosure=True,
    scheduled_subjects=long_running,
)
def project_progress(context: KindContext) -> ReportResult:
    context.progress(10, _("Projects"))
    projects = [context.project]
    ids = [p.pk for p in projects]
    context.progress(40, _("Use of money"))
    money = money_by_project(ids, context.period)
    people = people_by_project(ids, context.period)
    rows = []
    for p in projects:
        m, n = money.get(p.pk, NO_MONEY), people.get(p.pk, NO_PEOPLE)
        rows.append(
            [p.title, p.station.name, _date(p.start_date),
             m["given_period"], m["spent_period"], m["given_total"], m["spent_total"],
             m["left"], n["people"], n["times"]]
        )  # fmt: skip
    headers = [
        _("Project"), _("Station"), _("Started on"), _("Given in the period (yuan)"),
        _("Spent in the period (yuan)"), _("Given to date (yuan)"), _("Spent to date (yuan)"),
        _("Restricted balance (yuan)"), _("People helped"), _("Assistance given (times)"),
    ]  # fmt: skip
    return ReportResult(
        title=_title(context, _("project progress")),
        subtitle=_(
            "A project of %(station)s; projects running longer than %(months)s months "
            "publish their progress every quarter"
        )
        % {"months": LONG_RUNNING_MONTHS, "station": context.project.station.name},
        sections=[
            Section(
                "progress",
                _("Progress of long-running projects"),
                Table(headers, rows),
                note=_(
                    "Money given: gifts restricted to the project. Money spent: disbursements "
                    "for it, from its restricted money or from unrestricted money paid for one of "
                    "its disbursement requests. People are counted, never named."
                ),
            )
        ],
    )


@register_kind(
    "project_final",
    label=gettext_lazy("Project final report"),
    scope=Scope.PROJECT,
    period_unit="quarter",
    disclosure=True,
    scheduled_subjects=closed_in,
)
def project_final(context: KindContext) -> ReportResult:
    context.progress(10, _("Projects"))
    projects = [context.project]
    ids = [p.pk for p in projects]
    context.progress(40, _("Use of money"))
    money = money_by_project(ids, context.period)
    people = people_by_project(ids, None)
    paid = paid_requests(ids, context.period)
    rows = []
    for p in projects:
        m, n = money.get(p.pk, NO_MONEY), people.get(p.pk, NO_PEOPLE)
        rows.append(
            [p.title, p.station.name, _date(p.end_date),
             m["given_total"], m["spent_total"], paid.get(p.pk, ZERO), m["left"],
             n["people"], n["times"]]
        )  # fmt: skip
    headers = [
        _("Project"), _("Station"), _("Closed on"), _("Given (yuan)"), _("Spent (yuan)"),
        _("Paid disbursement requests (yuan)"), _("Money left (yuan)"), _("People helped"),
        _("Assistance given (times)"),
    ]  # fmt: skip
    return ReportResult(
        title=_title(context, _("final report")),
        subtitle=_("A project of %(station)s; money given and spent up to the end of the period")
        % {"station": context.project.station.name},
        sections=[
            Section(
                "final",
                _("Use of money and results"),
                Table(headers, rows),
                note=_(
                    "Money left is the project's restricted balance when the period ends. Goods "
                    "left over are not yet recorded here."
                ),
            )
        ],
    )
