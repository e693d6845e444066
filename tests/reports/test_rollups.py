"""The monthly roll-ups equal a fresh GROUP BY over the raw rows, whatever happened: random
gifts, back-dated entries, refunds, reversals, verified and corrected hours, a job stopped
half-way and resumed, and a transaction that commits after a later one."""

import datetime
import io
import random
from collections import defaultdict
from decimal import Decimal

import psycopg
import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from donations import services as donation_services
from donations.models import Donation
from donations.targets import Target
from funds import rollups as ledger_rollups
from funds import services as fund_services
from funds.models import (
    Campaign,
    Fund,
    HostCharity,
    HostLedgerMonth,
    LedgerEntry,
    LedgerMonth,
    RollupCursor,
)
from reports import rollups
from reports.models import DonationMonth, FigureChange, ServiceMonth
from stations.models import Station
from tests.factories import make_user
from volunteers import services as volunteer_services
from volunteers.models import ServiceRecord

pytestmark = pytest.mark.postgres
ZERO = Decimal("0.00")
LEDGER_KEY = ["fund", "month", "kind", "reversed_kind", "source_type", "campaign", "project"]


def month_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


# --- Brute force: plain Python over every raw row -----------------------------------------


def ledger_by_python() -> dict:
    sums = defaultdict(lambda: [ZERO, ZERO, 0])
    for e in LedgerEntry.objects.select_related("reverses"):
        key = (e.fund_id, month_of(e.posted_at), e.kind, e.reverses.kind if e.reverses else "",
               e.source_type, e.campaign_id, e.project_id)  # fmt: skip
        sums[key][0 if e.amount > 0 else 1] += e.amount
        sums[key][2] += 1
    return {k: tuple(v) for k, v in sums.items()}


def hosts_by_python() -> dict:
    sums = defaultdict(lambda: [ZERO, ZERO, 0])
    for (fund, month, kind, reversed_kind, *_rest), (
        credit,
        debit,
        n,
    ) in ledger_by_python().items():
        row = sums[(Fund.objects.get(pk=fund).host_id, month, kind, reversed_kind)]
        row[0] += credit
        row[1] += debit
        row[2] += n
    return {k: tuple(v) for k, v in sums.items()}


def donations_by_python() -> dict:
    sums = defaultdict(lambda: [0, ZERO, 0, ZERO])
    for d in Donation.objects.all():
        if d.status == "confirmed" and d.confirmed_at:
            row = sums[(d.fund_id, d.channel, month_of(d.confirmed_at))]
            row[0] += 1
            row[1] += d.amount
        elif d.status == "refunded" and d.refunded_at:
            row = sums[(d.fund_id, d.channel, month_of(d.refunded_at))]
            row[2] += 1
            row[3] += d.amount
    return {k: tuple(v) for k, v in sums.items()}


def service_by_python() -> dict:
    sums = defaultdict(lambda: [0, ZERO])
    for r in ServiceRecord.objects.filter(status="verified"):
        row = sums[(r.station_id, month_of(r.started_at))]
        row[0] += 1
        row[1] += r.hours
    return {k: tuple(v) for k, v in sums.items()}


# --- What the roll-up tables hold, and what readers see -----------------------------------


def nonzero(rows: dict) -> dict:
    return {k: v for k, v in rows.items() if any(v)}


def ledger_table() -> dict:
    return nonzero({
        (m.fund_id, m.month, m.kind, m.reversed_kind, m.source_type, m.campaign_id,
         m.project_id): (m.credit, m.debit, m.entries)
        for m in LedgerMonth.objects.all()
    })  # fmt: skip


def host_table() -> dict:
    return nonzero({
        (m.host_id, m.month, m.kind, m.reversed_kind): (m.credit, m.debit, m.entries)
        for m in HostLedgerMonth.objects.all()
    })  # fmt: skip


def donation_table() -> dict:
    return nonzero({
        (m.fund_id, m.channel, m.month): (m.donations, m.donated, m.refunds, m.refunded)
        for m in DonationMonth.objects.all()
    })  # fmt: skip


def service_table() -> dict:
    return nonzero(
        {(m.station_id, m.month): (m.records, m.hours) for m in ServiceMonth.objects.all()}
    )


def ledger_read() -> dict:
    rows = ledger_rollups.grouped_sums(
        ledger_rollups.LEDGER,
        where=Q(),
        group=LEDGER_KEY,
        sums={
            "credit": lambda: ledger_rollups.money("credit"),
            "debit": lambda: ledger_rollups.money("debit"),
        },
    )
    return nonzero({tuple(r[k] for k in LEDGER_KEY): (r["credit"], r["debit"]) for r in rows})


def donations_read() -> dict:
    from django.db.models import Sum

    rows = ledger_rollups.grouped_sums(
        rollups.DONATIONS,
        where=Q(),
        group=["fund", "channel", "month"],
        sums={
            "donations": lambda: Sum("donations"),
            "donated": lambda: ledger_rollups.money("donated"),
            "refunds": lambda: Sum("refunds"),
            "refunded": lambda: ledger_rollups.money("refunded"),
        },
    )
    return nonzero({
        (r["fund"], r["channel"], r["month"]):
            (r["donations"], r["donated"], r["refunds"], r["refunded"])
        for r in rows
    })  # fmt: skip


def service_read() -> dict:
    from django.db.models import Sum

    rows = ledger_rollups.grouped_sums(
        rollups.SERVICE,
        where=Q(),
        group=["station", "month"],
        sums={"records": lambda: Sum("records"), "hours": lambda: ledger_rollups.money("hours")},
    )
    return nonzero({(r["station"], r["month"]): (r["records"], r["hours"]) for r in rows})


def hosts_read() -> dict:
    key = ["host", "month", "kind", "reversed_kind"]
    rows = ledger_rollups.grouped_sums(
        ledger_rollups.HOST_LEDGER,
        where=Q(),
        group=key,
        sums={
            "credit": lambda: ledger_rollups.money("credit"),
            "debit": lambda: ledger_rollups.money("debit"),
        },
    )
    return nonzero({tuple(r[k] for k in key): (r["credit"], r["debit"]) for r in rows})


def assert_readers_equal_brute_force():
    assert ledger_read() == {k: v[:2] for k, v in ledger_by_python().items()}
    assert hosts_read() == {k: v[:2] for k, v in hosts_by_python().items()}
    assert donations_read() == nonzero(donations_by_python())
    assert service_read() == service_by_python()


def assert_tables_equal_brute_force():
    assert ledger_table() == ledger_by_python()
    assert host_table() == hosts_by_python()
    assert donation_table() == nonzero(donations_by_python())
    assert service_table() == service_by_python()


# --- The story ----------------------------------------------------------------------------


@pytest.fixture
def city(db, settings):
    settings.ROLLUPS_SETTLE_SECONDS = 0
    settings.ROLLUPS_WAIT_SECONDS = 0.5
    call_command(
        "seed_scale", districts=1, streets=3, communities=9, donations=300, volunteers=20,
        service_records=120, years=2, stdout=io.StringIO(),
    )  # fmt: skip
    return random.Random(7)


def random_moment(rng: random.Random, *, days: int = 700) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(
        days=rng.randint(0, days), minutes=rng.randint(0, 1440)
    )


def random_changes(rng: random.Random, boss) -> None:
    """Gifts (back-dated), refunds, ledger reversals and back-dated entries, verified,
    rejected and corrected service records: each through the services staff use."""
    funds = list(Fund.objects.order_by("pk"))
    campaigns = list(Campaign.objects.order_by("pk"))
    for _ in range(12):
        fund = rng.choice(funds)
        donation_services.record_offline_donation(
            by=boss, target=Target(fund=fund), amount=Decimal(rng.randint(1, 500)),
            channel=rng.choice(Donation.OFFLINE_CHANNELS), receipt_wanted=False,
            received_at=random_moment(rng),
        )  # fmt: skip
    for donation in rng.sample(list(Donation.objects.filter(status="confirmed")), 5):
        donation_services.refund_donation(donation=donation, by=boss, reason="捐赠人申请退款")
    for _ in range(6):
        campaign = rng.choice(campaigns)
        fund_services.post_entry(
            fund=campaign.lead_fund, amount=Decimal(rng.randint(1, 900)),
            kind=LedgerEntry.Kind.TRANSFER, campaign=campaign, by=boss,
            posted_at=random_moment(rng, days=1000), memo="补记",
        )  # fmt: skip
    credits = list(LedgerEntry.objects.filter(kind="transfer", reversed_by__isnull=True))
    for entry in rng.sample(credits, min(2, len(credits))):
        fund_services.reverse_entry(entry=entry, by=boss, memo="冲正")
    pending = list(ServiceRecord.objects.filter(status="pending").order_by("pk"))
    for record in pending[:3]:
        volunteer_services.verify_record(record=record, by=boss)
    for record in pending[3:5]:
        volunteer_services.reject_record(record=record, by=boss, reason="未到岗")
    for record in rng.sample(list(ServiceRecord.objects.filter(status="verified")), 2):
        volunteer_services.verify_record(
            record=record, by=boss, hours=Decimal("1.50"), reason="按签到时间更正"
        )


def test_seeded_rollups_equal_a_fresh_group_by(city):
    assert Station.objects.count() == 1 + 1 + 3 + 9
    assert Donation.objects.count() == 300
    assert ServiceRecord.objects.count() == 120
    assert (
        LedgerEntry.objects.filter(kind="refund").count()
        == Donation.objects.filter(status="refunded").count()
    )
    assert_tables_equal_brute_force()
    assert not FigureChange.objects.exists()


def test_after_random_changes_and_an_interrupted_run_the_rollups_equal_a_group_by(city):
    rng = city
    boss = make_user("boss", is_superuser=True, is_staff=True)
    random_changes(rng, boss)
    # Nothing rolled up yet: the readers add the new rows themselves.
    assert FigureChange.objects.exists()
    assert_readers_equal_brute_force()

    # A run that stops after two small batches ...
    rollups.update_all(batch_size=3, max_batches=2)
    cursor = RollupCursor.objects.get(name=ledger_rollups.LEDGER_CURSOR)
    assert cursor.position < LedgerEntry.objects.latest("pk").pk
    assert_readers_equal_brute_force()

    # ... and one that fails after its first batch (the batch it finished stays).
    def crash(position):
        raise RuntimeError("worker lost")

    before = RollupCursor.objects.get(name=rollups.FIGURES_CURSOR).position
    with pytest.raises(RuntimeError):
        rollups.update_figure_rollups(batch_size=4, after_batch=crash)
    assert RollupCursor.objects.get(name=rollups.FIGURES_CURSOR).position == before + 4
    assert_readers_equal_brute_force()

    random_changes(rng, boss)  # more happens meanwhile
    assert_readers_equal_brute_force()

    rollups.update_all(batch_size=7)  # resumes where each stopped
    assert_tables_equal_brute_force()
    assert_readers_equal_brute_force()
    assert not FigureChange.objects.exists()
    # Running again changes nothing.
    rollups.update_all()
    assert_tables_equal_brute_force()


def test_a_backdated_entry_and_a_refund_land_in_their_own_months(city):
    boss = make_user("boss", is_superuser=True, is_staff=True)
    rollups.update_all()
    fund = Fund.objects.order_by("pk").first()
    long_ago = timezone.make_aware(datetime.datetime(2025, 2, 10, 12, 0))
    donation = donation_services.record_offline_donation(
        by=boss, target=Target(fund=fund), amount=Decimal("88.00"), channel="cash",
        receipt_wanted=False, received_at=long_ago,
    )  # fmt: skip
    donation_services.refund_donation(donation=donation, by=boss, reason="重复捐赠")
    rollups.update_all()
    feb = DonationMonth.objects.get(fund=fund, channel="cash", month=datetime.date(2025, 2, 1))
    refunded_in = month_of(Donation.objects.get(pk=donation.pk).refunded_at)
    refunds = DonationMonth.objects.get(fund=fund, channel="cash", month=refunded_in)
    assert refunds.refunds >= 1 and refunds.refunded >= Decimal("88.00")
    assert (feb.donations, feb.donated) == (
        Donation.objects.filter(
            fund=fund, channel="cash", status="confirmed",
            confirmed_at__gte=long_ago.replace(day=1, hour=0),
            confirmed_at__lt=long_ago.replace(month=3, day=1, hour=0),
        ).count(),
        sum(
            (d.amount for d in Donation.objects.filter(
                fund=fund, channel="cash", status="confirmed",
                confirmed_at__gte=long_ago.replace(day=1, hour=0),
                confirmed_at__lt=long_ago.replace(month=3, day=1, hour=0),
            )), ZERO,
        ),
    )  # fmt: skip
    entries = LedgerMonth.objects.get(
        fund=fund, month=datetime.date(2025, 2, 1), kind="donation", source_type="donations.donation",
        campaign=None, project=None,
    )  # fmt: skip
    assert entries.credit >= Decimal("88.00")
    assert_tables_equal_brute_force()


@pytest.mark.django_db(transaction=True)
def test_an_id_committed_after_a_higher_one_is_not_skipped(settings, test_database_url):
    """Transaction A takes an id and commits late; B takes the next id and commits first. The
    job must not move its cursor past A's id while A is running."""
    settings.ROLLUPS_SETTLE_SECONDS = 0
    settings.ROLLUPS_WAIT_SECONDS = 0.3
    station = Station.objects.create(name="区", level=Station.Level.DISTRICT)
    host = HostCharity.objects.create(
        name="慈善会", credit_code="91350100M000100Y43", kind="foundation", receipt_prefix="T"
    )
    fund = Fund.objects.create(station=station, host=host, name="基金")
    with psycopg.connect(test_database_url) as slow:
        with slow.cursor() as cursor:
            cursor.execute(
                "INSERT INTO funds_ledgerentry (fund_id, amount, kind, source_type, source_id, "
                "source_part, public_name, memo, posted_at, created_at) VALUES "
                "(%s, 10, 'adjustment', '', '', 0, '', 'late', now(), now()) RETURNING id",
                [fund.pk],
            )
            late_id = cursor.fetchone()[0]
        early = fund_services.post_entry(fund=fund, amount=Decimal("5.00"), kind="adjustment")
        assert early.pk > late_id

        ledger_rollups.update_ledger_rollup()
        cursor_row = RollupCursor.objects.get(name=ledger_rollups.LEDGER_CURSOR)
        assert cursor_row.position < late_id  # a cursor at max(id) would have skipped it
        assert cursor_row.pending_position == early.pk
        assert fund_total(fund) == Decimal("5.00")  # A's entry is not visible yet
        slow.commit()

    assert fund_total(fund) == Decimal("15.00")
    ledger_rollups.update_ledger_rollup()
    assert RollupCursor.objects.get(name=ledger_rollups.LEDGER_CURSOR).position == early.pk
    assert LedgerMonth.objects.get(fund=fund).credit == Decimal("15.00")
    assert fund_total(fund) == Decimal("15.00")


def fund_total(fund) -> Decimal:
    return ledger_rollups.totals(
        ledger_rollups.LEDGER, where=Q(fund=fund), sums={"total": ledger_rollups.net}
    )["total"]


def test_seed_scale_refuses_a_database_with_other_data(network):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not made by seed_scale"):
        call_command("seed_scale", communities=3, streets=1, districts=1, donations=1,
                     volunteers=1, service_records=1, stdout=io.StringIO())  # fmt: skip
    assert Station.objects.filter(pk=network.district.pk).exists()


def test_the_beat_job_folds_new_changes_on_the_reports_queue(city, settings):
    from reports.tasks import update_rollups_task

    entry = settings.CELERY_BEAT_SCHEDULE["reports-update-rollups"]
    assert entry["task"] == "reports.update_rollups"
    assert settings.CELERY_TASK_ROUTES[entry["task"]] == {"queue": "reports"}
    boss = make_user("boss", is_superuser=True, is_staff=True)
    random_changes(city, boss)
    assert FigureChange.objects.exists()
    timings = update_rollups_task.apply().get()
    assert set(timings) == {"ledger", "figures"}
    assert not FigureChange.objects.exists()
    assert_tables_equal_brute_force()
