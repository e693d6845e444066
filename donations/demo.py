"""Demo data for donations: donation points with posters, a few hundred donors and about a
thousand donations over twelve months across channels, all confirmed through
``confirm_donation`` so the ledger and the receipts are real. Idempotent: a second run finds
the demo donations and changes nothing.

Uses the demo host charities and funds of /work/briefs/demo-funds.md (get_or_create by their
keys with exactly those values, whichever demo runs first) and the ``shipai-2026`` campaign
when funds/demo.py has created it.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from funds import demo as funds_demo
from funds.models import Campaign, Fund
from projects.models import Project
from projects.rules import RUNNING_STATUSES
from stations.models import Station

from . import goods_services, services
from .goods_services import ItemLine
from .models import Donation, DonationPoint, Donor, GoodsDonation, GoodsItem
from .targets import Target

OPENING_HOURS = "周一至周五 9:00–17:30，周六 9:00–12:00"
DONATIONS = 1000
DONORS = 300
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
         "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "晓华", "志明", "建国", "美玲",
         "子轩", "雨涵", "浩然", "欣怡"]  # fmt: skip
MESSAGES = ["祝社区越来越好！", "一点心意，希望帮到老人家。", "邻里守望，温暖同行。",
            "给孩子们买点书。", "加油！", "感谢社工们的付出。"]  # fmt: skip
AMOUNTS = [10, 20, 20, 50, 50, 50, 66, 88, 100, 100, 100, 200, 200, 300, 500, 1000, 2000]
CHANNELS = [
    (Donation.Channel.ONLINE_SANDBOX, 50),
    (Donation.Channel.CASH, 20),
    (Donation.Channel.BANK_TRANSFER, 12),
    (Donation.Channel.WECHAT_TRANSFER, 12),
    (Donation.Channel.ALIPAY_TRANSFER, 6),
]


def _funds() -> dict[str, Fund]:
    """The demo funds by station code; funds/demo.py (seeded before this app) creates them."""
    codes = [code for code, *_rest in funds_demo.FUNDS]
    return {
        fund.station.code: fund
        for fund in Fund.objects.filter(code__in=codes).select_related("station", "host")
    }


def _points(funds) -> list[DonationPoint]:
    campaign = Campaign.objects.filter(code="shipai-2026").first()
    points = []
    for fund in funds.values():
        street = fund.station
        stations = [
            street,
            *street.subtree().filter(offers_donation_point=True).exclude(pk=street.pk),
        ]
        for station in stations:
            if not station.offers_donation_point:
                continue
            point, created = DonationPoint.objects.get_or_create(
                code=f"{station.code}-jz"[:32],
                defaults={
                    "station": station,
                    "name": f"{station.name}慈善捐赠站点",
                    "place": station.address,
                    "opening_hours": OPENING_HOURS,
                },
            )
            if created:
                point.funds.add(fund)
                if campaign is not None and campaign.lead_fund_id == fund.pk:
                    point.campaigns.add(campaign)
                projects = Project.objects.filter(
                    station__path__startswith=station.path, status__in=RUNNING_STATUSES
                )
                point.projects.add(*projects)
            points.append(point)
    return points


def _donor_people(rng: random.Random) -> list[tuple[str, str]]:
    people = []
    for index in range(DONORS):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        mobile = f"1{rng.choice('3578')}{rng.randrange(10)}{20000000 + index * 7919 % 79999999:08d}"
        people.append((name, mobile))
    return people


def _targets(point: DonationPoint) -> list[Target]:
    from .targets import open_targets

    return open_targets(point) or [Target(fund=point.funds.first())]


def seed(log) -> list[tuple[str, str]]:
    funds = _funds()
    if not funds:
        log("donations: no demo funds, skipped")
        return []
    points = _points(funds)
    _goods(points, log)
    if Donation.objects.filter(form_token__startswith="demo-").exists():  # noqa: S106
        log(f"donations: {DonationPoint.objects.count()} points, demo donations already there")
        return []

    rng = random.Random(2026)  # the same demo every time
    finance = get_user_model().objects.filter(username="finance").first()
    people = _donor_people(rng)
    targets = {point.pk: _targets(point) for point in points}
    now = timezone.now()
    plan = []
    for index in range(DONATIONS):
        at = now - datetime.timedelta(
            days=rng.randrange(365), hours=rng.randrange(9, 20), minutes=rng.randrange(60)
        )
        plan.append((at, index))
    plan.sort()
    channels, weights = zip(*CHANNELS, strict=True)
    # Donors and pending donations are plain rows: written in bulk. Confirming (ledger credit,
    # receipt number) goes through the service, one donation at a time, as in production.
    Donor.objects.bulk_create(
        [Donor(name=name, mobile=mobile) for name, mobile in people], ignore_conflicts=True
    )
    donors = {d.mobile: d for d in Donor.objects.filter(mobile__in=[m for _n, m in people])}
    rows = []
    for at, index in plan:
        point = rng.choice(points)
        target = rng.choice(targets[point.pk])
        channel = rng.choices(channels, weights)[0]
        name, mobile = rng.choice(people)
        roll = rng.random()
        person = {"donor_name": name, "mobile": mobile, "donor": donors[mobile]}
        if roll < 0.2:
            person = {"is_anonymous": True}
        elif roll < 0.3:
            person["is_anonymous"] = True
        online = channel == Donation.Channel.ONLINE_SANDBOX
        donation = Donation(
            point=point,
            fund=target.fund,
            campaign=target.campaign,
            project=target.project,
            amount=Decimal(rng.choice(AMOUNTS)),
            provider="sandbox" if online else "offline",
            message=rng.choice(MESSAGES) if rng.random() < 0.15 else "",
            receipt_wanted=rng.random() < 0.85,
            form_token=f"demo-{index:04d}",
            **person,
        )
        rows.append((donation, at, channel, online, index))
    Donation.objects.bulk_create([row[0] for row in rows], batch_size=500)
    for donation, at, channel, online, index in rows:
        services.confirm_donation(
            donation=donation,
            by=None if online else finance,
            channel=channel,
            reference=f"SBX{index:06d}" if online else f"{donation.point.station.name} 收款",
            at=at,
            notify=False,
        )
        donation.created_at = at - datetime.timedelta(minutes=3)
    Donation.objects.bulk_update([row[0] for row in rows], ["created_at"], batch_size=500)

    # Box openings: one per street each quarter, a batch of small gifts.
    for fund in funds.values():
        point = next((p for p in points if p.station_id == fund.station_id), None)
        if point is None:
            continue
        for quarter in range(4):
            opened_on = (now - datetime.timedelta(days=30 + 90 * quarter)).date()
            amounts = [
                Decimal(rng.choice([1, 5, 10, 10, 20, 50, 100]))
                for _ in range(rng.randrange(8, 20))
            ]
            services.record_box_opening(
                by=finance,
                point=point,
                target=Target(fund=fund),
                opened_on=opened_on,
                amounts=amounts,
                total=sum(amounts),
                witnesses="陈志明、王丽娟",
            )

    # A few still waiting: transfers for the finance officer to confirm, online ones unpaid.
    for index in range(6):
        point = points[index % len(points)]
        services.create_donation(
            target=targets[point.pk][0],
            amount=Decimal(rng.choice([100, 200, 500])),
            provider="offline" if index % 2 else "sandbox",
            point=point,
            donor_name=people[index][0],
            mobile=people[index][1],
            form_token=f"demo-pending-{index}",
        )
    log(
        f"donations: {len(points)} points, {Donor.objects.count()} donors, "
        f"{Donation.objects.count()} donations"
    )
    return []


# --- in-kind goods -----------------------------------------------------------------------------

GOODS_NOTE = "演示数据"
GOODS = [
    ("food", "大米", "袋", 40, "new", 120, None),
    ("food", "食用油", "箱", 12, "new", 25, Decimal("1440.00")),
    ("food", "牛奶", "箱", 20, "new", 20, None),
    ("clothing", "羽绒服", "件", 30, "good", None, None),
    ("clothing", "棉被", "床", 15, "new", None, Decimal("2250.00")),
    ("daily", "洗衣液", "瓶", 48, "new", 400, None),
    ("medical", "医用口罩", "盒", 60, "new", 10, None),
    ("stationery", "书包", "个", 25, "new", None, Decimal("1250.00")),
    ("equipment", "轮椅", "台", 2, "usable", None, None),
]
GOODS_DONORS = [
    ("天河爱心企业有限公司", ""),
    ("华师后勤集团", ""),
    ("李明", "13800138001"),
    ("", ""),
]


def _goods(points, log) -> None:
    """Goods in at each demo point (some expiring soon) and out to projects and beneficiaries
    of the same line of stations. Skipped when the demo goods are already there."""
    from projects.models import Beneficiary

    if GoodsDonation.objects.filter(note=GOODS_NOTE).exists():
        log(f"donations: {GoodsDonation.objects.count()} goods donations already there")
        return
    staff = (
        get_user_model().objects.filter(username="finance").first()
        or get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    )
    if staff is None or not points:
        log("donations: no demo staff, goods skipped")
        return
    rng = random.Random(2027)
    today = timezone.localdate()
    for index, point in enumerate(points):
        for round_ in range(3):
            lines = [
                ItemLine(
                    category=category,
                    name=name,
                    quantity=Decimal(quantity),
                    unit=unit,
                    condition=condition,
                    expiry_date=today + datetime.timedelta(days=days - 30 * round_)
                    if days
                    else None,
                    value=value,
                )
                for category, name, unit, quantity, condition, days, value in rng.sample(GOODS, 3)
            ]
            name, mobile = GOODS_DONORS[(index + round_) % len(GOODS_DONORS)]
            goods_services.record_goods_donation(
                by=staff,
                point=point,
                items=lines,
                donor_name=name,
                mobile=mobile,
                received_at=timezone.now() - datetime.timedelta(days=60 - 20 * round_),
                note=GOODS_NOTE,
            )
        line = Station.objects.filter(path__startswith=point.station.path)
        project = (
            Project.objects.filter(station__in=line, status__in=RUNNING_STATUSES)
            .order_by("pk")
            .first()
        )
        if project is None:
            continue
        people = list(Beneficiary.objects.filter(station__in=line).order_by("pk")[:3])
        for lot in GoodsItem.objects.filter(donation__point=point).order_by("pk")[:6]:
            share = (lot.quantity / 4).quantize(Decimal("1")) or Decimal(1)
            beneficiary = people[lot.pk % len(people)] if people else None
            try:
                goods_services.distribute_goods(
                    by=staff, lot=lot, quantity=share, project=project, beneficiary=beneficiary
                )
            except ValidationError as error:  # a project the demo cannot give through
                log(f"donations: goods not given out ({'; '.join(error.messages)})")
                break
    log(f"donations: {GoodsDonation.objects.count()} goods donations")
