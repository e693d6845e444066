"""Demo data for community funds: the hosts, funds and campaign of /work/briefs/demo-funds.md
(shared with donations/demo.py), committees, a year of ledger history and requests in every
state. Running it again changes nothing."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from projects.models import Project
from projects.services import create_project
from stations.demo import DEMO_PASSWORD
from stations.models import StaffMembership, Station
from stations.services import add_staff_member

from . import services
from .models import (
    Campaign,
    CampaignShare,
    CommitteeMember,
    DisbursementRequest,
    Fund,
    HostCharity,
    LedgerEntry,
)

HOSTS = [
    {
        "credit_code": "53440106MJ0000001F",
        "name": "广州市天河区慈善会",
        "kind": HostCharity.Kind.SOCIAL_ORGANIZATION,
        "receipt_prefix": "TH",
        "contact_name": "黄敏",
        "contact_phone": "020-38621234",
        "address": "广州市天河区天河路490号",
    },
    {
        "credit_code": "53440100MJ0000002U",
        "name": "广州市慈善会",
        "kind": HostCharity.Kind.SOCIAL_ORGANIZATION,
        "receipt_prefix": "GZ",
        "contact_name": "刘洋",
        "contact_phone": "020-83561234",
        "address": "广州市越秀区东风中路437号",
    },
]

FUNDS = [
    ("shipai-fund", "天河区慈善会石牌街社区慈善基金", "shipai", "TH", datetime.date(2024, 3, 1),
     "扶老助残、关爱儿童、社区营造"),
    ("linhe-fund", "天河区慈善会林和街社区慈善基金", "linhe", "TH", datetime.date(2024, 6, 1),
     "困难帮扶与社区发展"),
    ("tianhenan-fund", "广州市慈善会天河南街社区慈善基金", "tianhenan", "GZ",
     datetime.date(2025, 1, 1), "长者关爱与青少年成长"),
]  # fmt: skip

# Projects the demo requests pay for, at communities of each fund's street.
PROJECTS = [
    ("demo-shipai-meals", "shipai-huashi", "华师社区长者饭堂", "assistance", "elderly_care"),
    ("demo-shipai-class", "shipai-jinan", "暨南社区四点半课堂", "development", "children"),
    ("demo-linhe-help", "linhe-linhe", "林和社区困难家庭帮扶", "assistance", "poverty_relief"),
    (
        "demo-tianhenan-care",
        "tianhenan-liuyun",
        "六运社区独居长者探访",
        "assistance",
        "elderly_care",
    ),
]

# Seats of the shipai-fund committee: (username or None, name, role).
SHIPAI_COMMITTEE = [
    ("committee", "周建国", CommitteeMember.Role.CHAIR),
    ("committee-vice", "林慧", CommitteeMember.Role.VICE_CHAIR),
    ("committee-sec", "何静", CommitteeMember.Role.SECRETARY),
    ("committee-m1", "郑海涛", CommitteeMember.Role.MEMBER),
    ("committee-m2", "梁秀英", CommitteeMember.Role.MEMBER),
    ("committee-sup", "冯律师", CommitteeMember.Role.SUPERVISOR),
]
# Named people without accounts: a complete committee for tianhenan, an incomplete one for
# linhe (four voting members), so its admin page shows the composition warning.
NAMED_COMMITTEES = {
    "tianhenan-fund": ["吴志强", "陈美玲", "黄伟", "李桂芳", "赵明"],
    "linhe-fund": ["孙立", "钱芳", "欧阳华", "邓丽"],
}

DONORS = ["李明", "爱心人士", "王芳", "爱心人士", "广州某某科技有限公司", "爱心人士", "张伟"]
TERM_START = datetime.date(2024, 3, 1)


def _user(username: str, name: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "last_name": name[:1],
            "first_name": name[1:],
            "email": f"{username}@example.org",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _hosts() -> dict[str, HostCharity]:
    hosts = {}
    for fields in HOSTS:
        host, _created = HostCharity.objects.get_or_create(
            credit_code=fields["credit_code"], defaults=fields
        )
        hosts[host.receipt_prefix] = host
    return hosts


def _funds(hosts) -> dict[str, Fund]:
    funds = {}
    for code, name, station_code, host_prefix, founded_on, purpose in FUNDS:
        funds[code], _created = Fund.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "station": Station.objects.get(code=station_code),
                "host": hosts[host_prefix],
                "founded_on": founded_on,
                "purpose": purpose,
            },
        )
    return funds


def _projects() -> dict[str, Project]:
    projects = {}
    for code, station_code, title, kind, category in PROJECTS:
        projects[code] = Project.objects.filter(code=code).first() or create_project(
            by=None,
            station=Station.objects.get(code=station_code),
            title=title,
            kind=kind,
            category=category,
            code=code,
        )
    return projects


def _committees(funds) -> list[tuple[str, str]]:
    logins = []
    fund = funds["shipai-fund"]
    for username, name, role in SHIPAI_COMMITTEE:
        user = _user(username, name)
        if not CommitteeMember.objects.filter(committee__fund=fund, user=user).exists():
            services.add_committee_member(fund=fund, user=user, name=name, role=role,
                                          term_start=TERM_START)  # fmt: skip
        logins.append((username, f"{CommitteeMember.Role(role).label} @ {fund.name}"))
    for code, names in NAMED_COMMITTEES.items():
        fund = funds[code]
        roles = [CommitteeMember.Role.CHAIR] + [CommitteeMember.Role.MEMBER] * (len(names) - 1)
        for name, role in zip(names, roles, strict=True):
            if not CommitteeMember.objects.filter(committee__fund=fund, name=name).exists():
                services.add_committee_member(fund=fund, name=name, role=role,
                                              term_start=TERM_START)  # fmt: skip
        if (
            code == "tianhenan-fund"
            and not CommitteeMember.objects.filter(
                committee__fund=fund, role=CommitteeMember.Role.SUPERVISOR
            ).exists()
        ):
            services.add_committee_member(fund=fund, name="郭监督", term_start=TERM_START,
                                          role=CommitteeMember.Role.SUPERVISOR)  # fmt: skip
    return logins


def _campaign(hosts, funds) -> Campaign:
    campaign = Campaign.objects.filter(code="shipai-2026").first()
    if campaign is None:
        campaign = services.create_campaign(
            code="shipai-2026",
            host=hosts["TH"],
            lead_fund=funds["shipai-fund"],
            title="石牌街“暖冬行动”社区募捐",
            goal=Decimal("200000"),
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            filing_number="53440106MJ0000001F-2026-001",
        )
        services.publish_campaign(campaign=campaign)
    assert CampaignShare.objects.filter(campaign=campaign).exists()
    return campaign


def _ledger(funds, projects, campaign) -> None:
    """Fourteen months of gifts, so last year's income and this year's both show."""
    today = timezone.localdate()
    restricted = {
        "shipai-fund": projects["demo-shipai-meals"],
        "linhe-fund": projects["demo-linhe-help"],
        "tianhenan-fund": projects["demo-tianhenan-care"],
    }
    for fund_number, (code, fund) in enumerate(funds.items()):
        month = today.replace(day=1)
        for back in range(14):
            for gift in range(3):
                day = min(3 + gift * 9 + fund_number, 28)
                posted = timezone.make_aware(datetime.datetime(month.year, month.month, day, 10))
                if posted > timezone.now():
                    continue
                amount = Decimal(800 + (back * 137 + gift * 311 + fund_number * 97) % 4200)
                in_campaign = (
                    code == "shipai-fund"
                    and campaign.starts_on <= posted.date() <= campaign.ends_on
                )
                services.post_entry(
                    fund=fund,
                    amount=amount,
                    kind=LedgerEntry.Kind.DONATION if gift < 2 else LedgerEntry.Kind.ADJUSTMENT,
                    project=restricted[code] if gift == 1 else None,
                    campaign=campaign if in_campaign and gift == 0 else None,
                    source=services.Source("funds.demo", f"{code}-{month:%Y-%m}-{gift}"),
                    public_name=DONORS[(back + gift) % len(DONORS)] if gift < 2 else "",
                    memo="" if gift < 2 else "银行利息",
                    posted_at=posted,
                )
            month = (month - datetime.timedelta(days=1)).replace(day=1)


REQUESTS = [
    # (code, fund, project, amount, purpose, payee, administrative, target state)
    ("demo-draft", "shipai-fund", "demo-shipai-class", "1200.00", "四点半课堂文具与绘本",
     "广州市书香文具店", False, "draft"),
    ("demo-submitted", "linhe-fund", "demo-linhe-help", "2000.00", "困难家庭冬季慰问金",
     "林和社区居委会", False, "submitted"),
    ("demo-voting", "shipai-fund", "demo-shipai-meals", "3600.00", "长者饭堂十二月食材",
     "华师长者饭堂", False, "voting"),
    ("demo-approved", "shipai-fund", "demo-shipai-class", "1500.00", "四点半课堂志愿者交通补贴",
     "暨南社区居委会", False, "approved"),
    ("demo-rejected", "shipai-fund", "demo-shipai-class", "9000.00", "购置一体机",
     "广州某电子商行", False, "rejected"),
    ("demo-reviewed", "shipai-fund", "demo-shipai-meals", "2800.00", "长者饭堂餐具更新",
     "广州厨具有限公司", False, "host_reviewed"),
    ("demo-paid", "shipai-fund", "demo-shipai-meals", "4200.00", "长者饭堂十一月食材",
     "华师长者饭堂", False, "paid"),
    ("demo-reconciled", "shipai-fund", "demo-shipai-meals", "3000.00", "长者饭堂十月食材",
     "华师长者饭堂", False, "reconciled"),
    ("demo-admin-cost", "shipai-fund", "demo-shipai-class", "600.00", "基金年度审计费",
     "广州某会计师事务所", True, "reconciled"),
]  # fmt: skip


def _staff():
    worker = _user("shipai-worker", "邓晓敏")
    add_staff_member(
        station=Station.objects.get(code="shipai"),
        user=worker,
        role=StaffMembership.Role.SOCIAL_WORKER,
    )
    linhe_worker = get_user_model().objects.get(username="socialworker")
    return {
        "shipai-fund": worker,
        "linhe-fund": linhe_worker,
        "director": get_user_model().objects.get(username="director"),
        "finance": get_user_model().objects.get(username="finance"),
    }


def _requests(funds, projects) -> None:
    staff = _staff()
    voters = [_user(username, name) for username, name, _role in SHIPAI_COMMITTEE[:5]]
    for code, fund_code, project_code, amount, purpose, payee, admin, target in REQUESTS:
        if DisbursementRequest.objects.filter(code=code).exists():
            continue
        requester = staff[fund_code]
        request = services.request_disbursement(
            fund=funds[fund_code], project=projects[project_code], amount=amount,
            purpose=purpose, payee=payee, by=requester, is_administrative=admin,
            quote_file=ContentFile(b"%PDF-1.4 demo quote", name=f"{code}-quote.pdf"),
        )  # fmt: skip
        DisbursementRequest.objects.filter(pk=request.pk).update(code=code)
        request.code = code
        if target == "draft":
            continue
        request = services.submit_disbursement(request=request, by=requester)
        if target in ("submitted", "voting"):
            if target == "voting":
                services.cast_vote(request=request, by=voters[1], choice="approve",
                                   comment="需求清楚，同意。")  # fmt: skip
            continue
        if target == "rejected":
            for voter in voters[:4]:
                services.cast_vote(request=request, by=voter, choice="reject",
                                   comment="非紧急需求，建议暂缓。")  # fmt: skip
            continue
        services.record_supervisor_opinion(
            request=request, by=_user("committee-sup", "冯律师"), opinion="程序合规。"
        )
        for voter in voters[:4]:
            services.cast_vote(request=request, by=voter, choice="approve", comment="同意")
        if target == "approved":
            continue
        services.review_disbursement(request=request, by=staff["director"], approve=True,
                                     note="票据齐全")  # fmt: skip
        if target == "host_reviewed":
            continue
        services.pay_disbursement(request=request, by=staff["finance"])
        if target == "reconciled":
            services.reconcile_disbursement(
                request=request, by=staff["finance"],
                invoice_file=ContentFile(b"%PDF-1.4 demo invoice", name=f"{code}-invoice.pdf"),
            )  # fmt: skip


def seed(log) -> list[tuple[str, str]]:
    hosts = _hosts()
    funds = _funds(hosts)
    projects = _projects()
    logins = _committees(funds)
    campaign = _campaign(hosts, funds)
    _ledger(funds, projects, campaign)
    _requests(funds, projects)
    worker_role = StaffMembership.Role.SOCIAL_WORKER.label
    logins.append(("shipai-worker", f"{worker_role} @ 石牌街社工站 (fund requests)"))
    log(
        f"funds: {Fund.objects.count()} funds, {LedgerEntry.objects.count()} ledger entries, "
        f"{DisbursementRequest.objects.count()} requests; committee dashboard: "
        "/funds/shipai-fund/dashboard/"
    )
    return logins
