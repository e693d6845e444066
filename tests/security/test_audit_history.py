"""The audit history: who changed what and when, before and after, personal data masked,
bulk changes and admin actions included, scoped in the admin, append-only in Postgres."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from donations import services as donation_services
from donations.targets import Target
from funds import services as fund_services
from funds.models import Attribution, CampaignShare, LedgerEntry, Vote
from projects import services as project_services
from projects.models import Beneficiary, BeneficiaryCategory, Project
from reports import services as report_services
from tests.factories import Role, make_staff, make_user
from tests.projects.conftest import valid_id
from tests.volunteers.conftest import make_volunteer

pytestmark = pytest.mark.django_db

FULL_MOBILE = re.compile(r"1[3-9]\d{9}")
FULL_ID = re.compile(r"\d{17}[\dXx]")
OUR_APPS = ("stations", "projects", "funds", "volunteers", "donations", "reports")


def history(obj):
    return LogEntry.objects.get_for_object(obj).order_by("pk")


def assert_no_full_personal_data(entries):
    for entry in entries:
        text = f"{entry.changes} {entry.changes_text} {entry.object_repr}"
        assert not FULL_MOBILE.search(text), text
        assert not FULL_ID.search(text), text


def test_every_model_with_money_status_or_personal_data_keeps_a_history():
    """A new model with an amount, a status or a phone is refused until it is registered."""
    personal = {"mobile", "phone", "id_number", "real_name", "donor_name"}
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        names = {f.name for f in model._meta.concrete_fields}
        money = any(isinstance(f, models.DecimalField) for f in model._meta.concrete_fields)
        if (money or "status" in names or names & personal) and not auditlog.contains(model):
            missing.append(model._meta.label)
    # Counters and one-time codes, not records of anyone's act; and the monthly roll-ups with
    # their change queue: sums derived from audited rows, rebuilt from them at any time.
    assert set(missing) <= {
        "donations.ReceiptSequence",
        "donations.LookupCode",
        "funds.LedgerMonth",
        "funds.HostLedgerMonth",
        "reports.FigureChange",
        "reports.DonationMonth",
        "reports.ServiceMonth",
    }, missing


def test_a_confirmed_donation_records_who_when_and_the_money(world):
    finance = world.cast.finance_officer
    donation, _ = donation_services.create_donation(
        target=Target(fund=world.fund, project=None, campaign=None),
        amount=Decimal("88.00"),
        provider="offline",
        donor_name="王小明",
        mobile="13812345678",
    )
    before = timezone.now()
    with set_actor(finance):
        donation_services.confirm_donation(
            donation=donation, by=finance, channel="cash", notify=False
        )
    entries = list(history(donation))
    assert entries[0].action == LogEntry.Action.CREATE
    update = entries[-1]
    assert update.action == LogEntry.Action.UPDATE
    assert update.actor == finance and update.timestamp >= before
    assert update.changes["status"] == ["pending", "confirmed"]
    created = entries[0].changes
    assert created["amount"][1] == "88.00"
    assert created["mobile"][1] == "138****5678"
    assert created["donor_name"][1] == "王**"
    assert "form_token" not in created
    credit = LedgerEntry.objects.get(source_id=str(donation.pk))
    ledger = history(credit).get()
    assert ledger.action == LogEntry.Action.CREATE and ledger.actor == finance
    assert ledger.changes["amount"][1] == "88.00"
    receipt = donation.receipts.get()
    assert history(receipt).get().changes["number"][1] == receipt.number
    assert_no_full_personal_data(entries)


@pytest.mark.parametrize("behind_proxy", [False, True])
def test_an_admin_action_is_recorded_with_the_signed_in_user(client, world, settings, behind_proxy):
    """With the address of the rate limits and login throttling (core.security.client_ip):
    behind a proxy, the header the proxy sets."""
    headers = {}
    if behind_proxy:
        settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
        headers = {"HTTP_X_REAL_IP": "203.0.113.7"}
    finance = world.cast.finance_officer
    donation, _ = donation_services.create_donation(
        target=Target(fund=world.fund, project=None, campaign=None),
        amount=Decimal("20.00"),
        provider="offline",
    )
    client.force_login(finance)
    response = client.post(
        "/admin/donations/donation/",
        {
            "action": "confirm_selected",
            "_selected_action": [donation.pk],
            "apply": "1",
            "channel": "cash",
            "reference": "站内现金",
        },
        **headers,
    )
    assert response.status_code == 302
    update = history(donation).filter(action=LogEntry.Action.UPDATE).get()
    assert update.actor == finance
    assert update.changes["status"] == ["pending", "confirmed"]
    assert update.remote_addr == ("203.0.113.7" if behind_proxy else "127.0.0.1")


def test_refund_and_receipt_void_are_recorded(world):
    director = world.cast.director
    donation = world.donation
    with set_actor(director):
        donation_services.refund_donation(donation=donation, by=director, reason="捐赠人要求退回")
    assert history(donation).last().changes["status"] == ["confirmed", "refunded"]
    receipt = donation.receipts.get()
    void = history(receipt).last()
    assert void.changes["status"] == ["valid", "void"]
    assert void.additional_data == {"bulk_update": True}
    assert void.actor == director
    refund = LedgerEntry.objects.get(kind=LedgerEntry.Kind.REFUND)
    assert history(refund).get().changes["amount"][1] == "-100.00"


def test_a_bulk_expiry_writes_one_entry_per_donation(world):
    pending = [
        donation_services.create_donation(
            target=Target(fund=world.fund, project=None, campaign=None),
            amount=Decimal("10.00"),
            provider="sandbox",
        )[0]
        for _ in range(3)
    ]
    later = timezone.now() + datetime.timedelta(days=3)
    assert donation_services.expire_pending_donations(now=later) == 3
    for donation in pending:
        entry = history(donation).last()
        assert entry.changes["status"] == ["pending", "expired"]
        assert entry.additional_data == {"bulk_update": True}
        assert entry.actor is None  # the beat job, not a person


def test_rows_created_in_bulk_are_recorded(world, network):
    """Attributions of a payment, the shares of a joint campaign and scheduled reports are
    inserted with bulk_create (no signals): each still gets its creation entry."""
    director = world.cast.director
    gift = LedgerEntry.objects.get(fund=world.fund)  # world.donation's 100.00
    with set_actor(director):
        more = fund_services.post_entry(
            fund=world.fund, amount=Decimal("60.00"), kind=LedgerEntry.Kind.DONATION
        )
        debit = fund_services.post_entry(
            fund=world.fund, amount=Decimal("-130.00"), kind=LedgerEntry.Kind.DISBURSEMENT
        )
        campaign = fund_services.create_campaign(
            host=world.host,
            lead_fund=world.fund,
            title="联合劝募",
            goal=Decimal("1000"),
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 3, 31),
            shares=[
                fund_services.Share(fund=world.fund, percent=Decimal("70")),
                fund_services.Share(fund=world.other_fund, percent=Decimal("30")),
            ],
        )
    split = {a.credit_id: a for a in Attribution.objects.filter(debit=debit)}
    assert {pk: a.amount for pk, a in split.items()} == {
        gift.pk: Decimal("100.00"),
        more.pk: Decimal("30.00"),
    }
    shares = list(CampaignShare.objects.filter(campaign=campaign).order_by("-percent"))
    assert [share.percent for share in shares] == [Decimal("70"), Decimal("30")]
    for row in [*split.values(), *shares]:
        entry = history(row).get()
        assert entry.action == LogEntry.Action.CREATE
        assert entry.actor == director
        assert entry.additional_data == {"bulk_create": True}
    assert history(split[more.pk]).get().changes["amount"] == ["None", "30.00"]
    assert history(shares[1]).get().changes["percent"] == ["None", "30"]

    reports = report_services.schedule_reports(
        kind="station_monthly", today=datetime.date(2026, 5, 3)
    )
    assert {report.station for report in reports} >= {network.street_a, network.street_b}
    for report in reports:
        entry = history(report).get()
        assert entry.action == LogEntry.Action.CREATE and entry.actor is None  # the beat job
        assert entry.changes["status"] == ["None", "queued"]


def test_no_audited_model_is_created_in_bulk_without_its_history():
    """``Model.objects.bulk_create`` skips auditlog: audited models go through
    ``audit.bulk.audited_bulk_create`` (or log what they created with ``log_created``)."""
    exempt = {
        "donations/demo.py: Donor": "the demo data of seed_demo, nobody's act",
        "donations/demo.py: Donation": "the demo data of seed_demo, nobody's act",
        # ignore_conflicts (a concurrent beat): the reports really created are read back and
        # logged with log_created.
        "reports/services.py: Report": "logged with log_created",
    }
    call = re.compile(r"(\w+)\.objects\.bulk_create\(")
    models_by_name = {
        model.__name__: model
        for model in apps.get_models()
        if model._meta.app_label in (*OUR_APPS, "audit", "operations")
    }
    root = Path(__file__).resolve().parents[2]
    found = []
    for app in (*OUR_APPS, "audit", "operations"):
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative:
                continue
            for name in call.findall(path.read_text()):
                model = models_by_name.get(name)
                where = f"{relative}: {name}"
                if model is not None and auditlog.contains(model) and where not in exempt:
                    found.append(where)
    assert not found, found


def test_a_vote_and_a_project_status_are_recorded(world, network):
    requester = make_staff(network.community_a1, Role.SOCIAL_WORKER, "requester-audit")
    fund_services.post_entry(
        fund=world.fund, amount=Decimal("500.00"), kind=LedgerEntry.Kind.DONATION
    )
    request = fund_services.request_disbursement(
        fund=world.fund,
        project=world.project,
        amount="100.00",
        by=requester,
        purpose="食材",
        payee="饭堂",
    )
    for n, role in enumerate(["vice_chair", "secretary", "member", "member", "supervisor"]):
        fund_services.add_committee_member(
            fund=world.fund,
            user=make_user(f"seat-{n}"),
            role=role,
            term_start=datetime.date(2025, 1, 1),
        )
    request = fund_services.submit_disbursement(request=request, by=requester)
    with set_actor(world.committee_member):
        fund_services.cast_vote(
            request=request, by=world.committee_member, choice="approve", comment="同意"
        )
    vote = Vote.objects.get()
    entry = history(vote).get()
    assert entry.actor == world.committee_member
    assert entry.changes["choice"][1] == "approve"
    assert history(request).filter(action=LogEntry.Action.UPDATE).exists()

    project = Project.objects.get(pk=world.project.pk)
    director = world.cast.director
    with set_actor(director):
        project.status = Project.Status.ACTIVE
        project.save()
    assert history(project).last().changes["status"] == ["fundraising", "active"]


def test_personal_data_is_masked_in_the_history_itself(world):
    beneficiary = world.beneficiary
    created = history(beneficiary).get(action=LogEntry.Action.CREATE)
    assert "id_number_encrypted" not in created.changes
    assert "id_number_hash" not in created.changes
    assert created.changes["phone"][1] == "138****5678"
    assert created.changes["name"][1] == "王**"
    assert "王秀英" not in created.object_repr
    project_services.update_beneficiary(
        beneficiary=Beneficiary.objects.get(pk=beneficiary.pk),
        by=world.cast.superuser,
        phone="13987654321",
        id_number=valid_id(datetime.date(1951, 4, 2)),
    )
    change = history(beneficiary).last()
    assert change.changes["phone"] == ["138****5678", "139****4321"]
    birth = datetime.date(1990, 1, 1)
    volunteer = make_volunteer(
        world.network.community_a1, birth_date=birth, id_number=valid_id(birth)
    )
    entries = list(history(volunteer))
    assert entries and volunteer.real_name not in "".join(e.object_repr for e in entries)
    assert entries[0].changes["real_name"][1] == volunteer.real_name[0] + "*" * (
        len(volunteer.real_name) - 1
    )
    assert_no_full_personal_data(LogEntry.objects.all())


def test_a_beneficiarys_categories_added_and_removed_are_recorded(world):
    """Which categories a person falls into (低保, 残疾 …) is sensitive: each one added or
    removed has its entry, naming the beneficiary by id only."""
    beneficiary = Beneficiary.objects.get(pk=world.beneficiary.pk)
    director = world.cast.superuser
    with set_actor(director):
        project_services.update_beneficiary(
            beneficiary=beneficiary, by=director, categories=["disabled", "elderly_alone"]
        )
        project_services.update_beneficiary(
            beneficiary=beneficiary, by=director, categories=["disabled", "unemployed"]
        )
    rows = {row.category: row for row in BeneficiaryCategory.objects.filter(
        beneficiary=beneficiary)}  # fmt: skip
    assert set(rows) == {"disabled", "unemployed"}
    entries = LogEntry.objects.get_for_model(BeneficiaryCategory).order_by("pk")
    made = [(e.action, e.changes.get("category", [None, None])[1]) for e in entries]
    assert (LogEntry.Action.CREATE, "elderly_alone") in made
    assert (LogEntry.Action.CREATE, "unemployed") in made
    removed = entries.get(action=LogEntry.Action.DELETE)
    assert removed.changes["category"][0] == "elderly_alone"
    assert removed.changes["beneficiary"][0] == str(beneficiary.pk)
    assert all(e.actor == director for e in entries)
    assert beneficiary.name not in "".join(e.object_repr for e in entries)


def test_directors_read_the_history_of_their_stations_only(client, world):
    director = world.cast.director
    client.force_login(director)
    response = client.get("/admin/auditlog/logentry/")
    assert response.status_code == 200
    own = history(world.donation).first()
    other = history(world.other_donation).first()
    html = response.content.decode()
    assert f"/admin/auditlog/logentry/{own.pk}/change/" in html
    assert f"/admin/auditlog/logentry/{other.pk}/change/" not in html
    assert client.get(f"/admin/auditlog/logentry/{own.pk}/change/").status_code == 200
    assert client.get(f"/admin/auditlog/logentry/{other.pk}/change/").status_code == 404
    # Read-only: no add, no change, no delete.
    assert client.get("/admin/auditlog/logentry/add/").status_code == 403
    assert client.get(f"/admin/auditlog/logentry/{own.pk}/delete/").status_code == 403
    assert client.post(f"/admin/auditlog/logentry/{own.pk}/change/", {}).status_code == 403
    # A social worker has no access; the superuser sees both.
    client.force_login(world.cast.social_worker)
    assert client.get("/admin/auditlog/logentry/").status_code == 403
    client.force_login(world.cast.superuser)
    html = client.get("/admin/auditlog/logentry/?all=").content.decode()
    assert f"/admin/auditlog/logentry/{other.pk}/change/" in html


@pytest.mark.postgres
def test_the_history_refuses_update_and_delete_in_the_database(world):
    entry = LogEntry.objects.first()
    for statement in (
        "UPDATE auditlog_logentry SET changes_text = 'x' WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert LogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_deleting_a_user_keeps_their_entries_with_the_email(world):
    temp = make_user("temp-staff", email="temp@example.org")
    with set_actor(temp):
        fund_services.post_entry(
            fund=world.fund, amount=Decimal("1.00"), kind=LedgerEntry.Kind.DONATION
        )
    entry = LogEntry.objects.filter(actor=temp).get()
    temp.delete()
    entry = LogEntry.objects.get(pk=entry.pk)
    assert entry.actor is None and entry.actor_email == "temp@example.org"
