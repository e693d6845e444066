"""The report figures recomputed with plain Python loops over every ledger row."""

from collections import defaultdict
from decimal import Decimal

from funds.models import LedgerEntry
from reports.periods import Period, same_period_last_year, year, year_to_date

ZERO = Decimal("0.00")
KIND_ORDER = list(LedgerEntry.Kind.values)
LABELS = {"donation": "捐赠收入", "refund": "退款", "disbursement": "项目拨付", "transfer": "转账",
          "adjustment": "调整", "reversal": "冲正"}  # fmt: skip


def rows() -> list[LedgerEntry]:
    return list(LedgerEntry.objects.select_related("reverses", "project", "campaign", "fund"))


def within(entry, period: Period) -> bool:
    start, end = period.bounds()
    return start <= entry.posted_at < end


def with_total(rows_: list[list]) -> list[list]:
    if not rows_:
        return []
    columns = len(rows_[0])
    return [*rows_, ["合计", *(sum((r[i] for r in rows_), ZERO) for i in range(1, columns))]]


def is_of(entry, kinds) -> bool:
    return entry.kind in kinds or (
        entry.kind == "reversal" and entry.reverses is not None and entry.reverses.kind in kinds
    )


def _requests() -> dict:
    from funds.models import DisbursementRequest

    return {str(r.pk): r for r in DisbursementRequest.objects.select_related("project", "fund")}


def attributed_project(entry, requests: dict):
    """The entry's project, else its paying request's, else (reversal) the reversed entry's."""
    for e in (entry, entry.reverses):
        if e is None:
            continue
        if e.project is not None:
            return e.project
        if e.source_type == "funds.disbursementrequest" and e.source_id in requests:
            return requests[e.source_id].project
    return None


def fund_figures(fund, period: Period) -> dict:
    requests = _requests()
    mine = [e for e in rows() if e.fund_id == fund.pk]
    here = [e for e in mine if within(e, period)]
    start, end = period.bounds()
    money_in = defaultdict(lambda: ZERO)
    money_out = defaultdict(lambda: ZERO)
    for e in here:
        (money_in if e.amount > 0 else money_out)[e.kind] += abs(e.amount)
    by_campaign = defaultdict(lambda: ZERO)
    for e in here:
        if e.amount > 0:
            by_campaign[e.campaign] += e.amount
    out_by_project = defaultdict(lambda: ZERO)
    disbursed = defaultdict(lambda: ZERO)
    for e in here:
        project = attributed_project(e, requests)
        if e.amount < 0:
            out_by_project[project] -= e.amount
        if is_of(e, ["disbursement"]):
            disbursed[project] -= e.amount
    restricted = defaultdict(lambda: ZERO)
    for e in mine:
        if e.project is not None and e.posted_at < end:
            restricted[e.project] += e.amount

    def by_pk_nulls_last(d):
        return sorted(d.items(), key=lambda kv: (kv[0] is None, kv[0].pk if kv[0] else 0))

    return {
        "opening": sum((e.amount for e in mine if e.posted_at < start), ZERO),
        "closing": sum((e.amount for e in mine if e.posted_at < end), ZERO),
        "in": sum((e.amount for e in here if e.amount > 0), ZERO),
        "out": -sum((e.amount for e in here if e.amount < 0), ZERO),
        "income_by_kind": [[LABELS[k], money_in[k]] for k in KIND_ORDER if money_in[k]],
        "out_by_kind": [[LABELS[k], money_out[k]] for k in KIND_ORDER if money_out[k]],
        "income_by_campaign": [
            [c.title if c else "未通过募捐活动", v] for c, v in by_pk_nulls_last(by_campaign) if v
        ],
        "spending_by_project": [
            [p.title if p else "非定向资金（未指定项目）", v]
            for p, v in by_pk_nulls_last(out_by_project)
            if v
        ],
        "disbursed_by_project": [
            [p.title if p else "非定向资金（未指定项目）", v]
            for p, v in by_pk_nulls_last(disbursed)
            if v
        ],
        "restricted": [[p.title, v] for p, v in by_pk_nulls_last(restricted) if v],
    }


def host_ratio(host, period: Period) -> dict:
    """Last year's income: every entry but disbursements and their reversals; this year's
    spending: paid requests, charitable or administrative."""
    mine = [e for e in rows() if e.fund.host_id == host.pk]
    previous = year(period.start.year - 1)
    income = sum(
        (e.amount for e in mine if within(e, previous) and not is_of(e, ["disbursement"])), ZERO
    )
    paid = [
        r
        for r in _requests().values()
        if r.fund.host_id == host.pk and r.status in ("paid", "reconciled")
        and r.paid_at and r.paid_at.astimezone(period.bounds()[0].tzinfo).year == period.start.year
    ]  # fmt: skip
    charitable = sum((r.amount for r in paid if not r.is_administrative), ZERO)
    admin = sum((r.amount for r in paid if r.is_administrative), ZERO)
    return {"previous_income": income, "spending": charitable, "admin": admin}


def committee_decisions(fund, period: Period) -> list[list]:
    from funds.models import DisbursementRequest
    from reports.periods import format_date

    decided = sorted(
        (
            r
            for r in DisbursementRequest.objects.select_related("project").prefetch_related("votes")
            if r.fund_id == fund.pk and r.decided_at and within_time(r.decided_at, period)
            and r.status not in ("draft", "submitted", "voting")
        ),
        key=lambda r: (r.decided_at, r.pk),
    )  # fmt: skip
    table = []
    for r in decided:
        votes = [v.choice for v in r.votes.all()]
        table.append([
            r.code, r.project.title, r.amount, "不同意" if r.status == "rejected" else "同意",
            format_date(r.decided_at.astimezone(period.bounds()[0].tzinfo).date()),
            "主任委员紧急决定" if r.decided_by_chair_alone else
            f"同意{votes.count('approve')}票，反对{votes.count('reject')}票，弃权{votes.count('abstain')}票",
        ])  # fmt: skip
    return table


def station_credits(station, period: Period) -> dict:
    periods = [period, same_period_last_year(period), year_to_date(period)]
    credits = [e for e in rows() if e.amount > 0 and e.fund.station.path.startswith(station.path)]

    def table(key, label, order):
        groups = defaultdict(lambda: [ZERO, ZERO, ZERO])
        for e in credits:
            for i, p in enumerate(periods):
                if within(e, p):
                    groups[key(e)][i] += e.amount
        ordered = sorted(((k, v) for k, v in groups.items() if any(v)), key=lambda kv: order(kv[0]))
        return with_total([[label(k), *v] for k, v in ordered])

    return {
        "by_kind": table(lambda e: e.kind, lambda k: LABELS[k], KIND_ORDER.index),
        "by_fund": table(
            lambda e: e.fund, lambda f: f"{f.name}（{f.station.name}）", lambda f: f.pk
        ),
        "by_campaign": table(
            lambda e: e.campaign,
            lambda c: c.title if c else "未通过募捐活动",
            lambda c: (c is None, c.pk if c else 0),
        ),
    }


def station_projects(station, period: Period) -> list[list]:
    from projects.models import Project

    periods = [period, same_period_last_year(period), year_to_date(period)]
    running = {"active", "closed", "evaluated"}
    projects = [
        p
        for p in Project.objects.select_related("station")
        if p.station.path.startswith(station.path)
    ]

    def started(p, q):
        return p.status in running and p.start_date and q.start <= p.start_date <= q.end

    def active(p, q):
        return (
            p.status in running
            and p.start_date
            and p.start_date <= q.end
            and (p.end_date is None or p.end_date >= q.start)
        )

    def closed(p, q):
        return p.status in {"closed", "evaluated"} and p.end_date and q.start <= p.end_date <= q.end

    return [
        [label, *(sum(1 for p in projects if test(p, q)) for q in periods)]
        for label, test in (
            ("已开始的项目", started),
            ("进行中的项目", active),
            ("已结项的项目", closed),
        )
    ]


def _periods(period: Period) -> list[Period]:
    return [period, same_period_last_year(period), year_to_date(period)]


def _below(station, other) -> bool:
    return other.path.startswith(station.path)


CHANNEL_LABELS = {"online_sandbox": "在线支付（沙箱）", "cash": "现金", "bank_transfer": "银行转账",
                  "wechat_transfer": "微信转账", "alipay_transfer": "支付宝转账", "box": "捐款箱"}  # fmt: skip


def station_channels(station, period: Period) -> list[list]:
    from donations.models import Donation

    periods = _periods(period)
    gifts = [
        d
        for d in Donation.objects.select_related("fund__station")
        if d.status == "confirmed" and _below(station, d.fund.station)
    ]
    counts = defaultdict(lambda: [0, 0, 0])
    amounts = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for d in gifts:
        for i, p in enumerate(periods):
            if within_time(d.confirmed_at, p):
                counts[d.channel][i] += 1
                amounts[d.channel][i] += d.amount
    table = []
    order = list(CHANNEL_LABELS)
    channels = sorted((c for c in counts if any(counts[c])), key=order.index)
    for c in channels:
        table.append([CHANNEL_LABELS[c], *counts[c]])
        table.append([f"{CHANNEL_LABELS[c]}：金额（元）", *amounts[c]])
    if channels:
        table.append(
            ["全部渠道：捐赠笔数", *(sum(counts[c][i] for c in channels) for i in range(3))]
        )
        table.append(
            [
                "全部渠道：金额（元）",
                *(sum((amounts[c][i] for c in channels), ZERO) for i in range(3)),
            ]
        )
    return table


def within_time(moment, period: Period) -> bool:
    start, end = period.bounds()
    return moment is not None and start <= moment < end


def station_people(station, period: Period) -> list[list]:
    from projects.models import AssistanceRecord, NeedsAssessment
    from volunteers.models import ServiceRecord

    periods = _periods(period)
    assistance = [
        a
        for a in AssistanceRecord.objects.select_related("project__station")
        if _below(station, a.project.station)
    ]
    service = [
        s
        for s in ServiceRecord.objects.select_related("station")
        if s.status == "verified" and _below(station, s.station)
    ]
    assessments = [
        n for n in NeedsAssessment.objects.select_related("station") if _below(station, n.station)
    ]
    return [
        ["受助人数", *(len({a.beneficiary_id for a in assistance if p.contains(a.date)})
                      for p in periods)],
        ["救助次数", *(sum(1 for a in assistance if p.contains(a.date)) for p in periods)],
        ["活跃志愿者", *(len({s.volunteer_id for s in service if within_time(s.started_at, p)})
                       for p in periods)],
        ["已核实服务时长（小时）",
         *(sum((s.hours for s in service if within_time(s.started_at, p)), ZERO)
           for p in periods)],
        ["需求评估", *(sum(1 for n in assessments if p.contains(n.date)) for p in periods)],
    ]  # fmt: skip


def volunteer_hours(station, period: Period) -> list[list]:
    from volunteers.models import ServiceRecord

    groups = defaultdict(list)
    for s in ServiceRecord.objects.select_related("station"):
        if (
            s.status == "verified"
            and _below(station, s.station)
            and within_time(s.started_at, period)
        ):
            groups[s.station].append(s)
    rows_ = [
        [
            st.name,
            len({s.volunteer_id for s in recs}),
            len(recs),
            sum((s.hours for s in recs), ZERO),
        ]
        for st, recs in sorted(groups.items(), key=lambda kv: kv[0].path)
    ]
    if rows_:
        rows_.append(["合计", *(sum(r[i] for r in rows_) for i in (1, 2)),
                      sum((r[3] for r in rows_), ZERO)])  # fmt: skip
    return rows_


def project_money(project, period: Period) -> dict:
    requests = _requests()
    start, end = period.bounds()
    mine = [e for e in rows() if attributed_project(e, requests) == project]
    given = [e for e in mine if e.kind == "donation" and e.project == project]
    spent = [e for e in mine if is_of(e, ["disbursement"])]
    return {
        "given_period": sum((e.amount for e in given if within(e, period)), ZERO),
        "given_total": sum((e.amount for e in given if e.posted_at < end), ZERO),
        "spent_period": -sum((e.amount for e in spent if within(e, period)), ZERO),
        "spent_total": -sum((e.amount for e in spent if e.posted_at < end), ZERO),
        "left": sum((e.amount for e in mine if e.project == project and e.posted_at < end), ZERO),
        "paid": sum(
            (
                r.amount
                for r in requests.values()
                if r.project == project
                and r.status in ("paid", "reconciled")
                and r.paid_at
                and r.paid_at < end
            ),
            ZERO,
        ),  # fmt: skip
    }


def project_people(project, period: Period | None) -> tuple[int, int]:
    from projects.models import AssistanceRecord

    records = [
        a for a in AssistanceRecord.objects.all()
        if a.project_id == project.pk and (period is None or period.contains(a.date))
    ]  # fmt: skip
    return len({a.beneficiary_id for a in records}), len(records)


def long_running(period: Period) -> list:
    """Active projects started six months or more before the period ends."""
    from projects.models import Project
    from reports.periods import add_months

    started_by = add_months(period.end, -6)
    return sorted(
        (p for p in Project.objects.select_related("station")
         if p.status == "active" and p.start_date and p.start_date <= started_by),
        key=lambda p: (p.start_date, p.pk),
    )  # fmt: skip


def closed_in(period: Period) -> list:
    from projects.models import Project

    return sorted(
        (p for p in Project.objects.select_related("station")
         if p.status in ("closed", "evaluated") and p.end_date and period.contains(p.end_date)),
        key=lambda p: (p.end_date, p.pk),
    )  # fmt: skip


def _day(day) -> str:
    from reports.periods import format_date

    return format_date(day) if day else "—"


def project_progress(project, period: Period) -> list[list]:
    table = []
    for p in [project]:
        m = project_money(p, period)
        table.append([p.title, p.station.name, _day(p.start_date), m["given_period"],
                      m["spent_period"], m["given_total"], m["spent_total"], m["left"],
                      *project_people(p, period)])  # fmt: skip
    return table


def project_final(project, period: Period) -> list[list]:
    table = []
    for p in [project]:
        m = project_money(p, period)
        table.append([p.title, p.station.name, _day(p.end_date), m["given_total"],
                      m["spent_total"], m["paid"], m["left"], *project_people(p, None)])  # fmt: skip
    return table
