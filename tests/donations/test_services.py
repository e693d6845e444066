"""confirm_donation, refunds, receipts and donors: the money promises of the issue."""

import datetime
import logging
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from donations import notifications, services
from donations.models import Donation, DonationBatch, Donor, Receipt
from funds.models import LedgerEntry
from funds.selectors import fund_balances, restricted_balances
from funds.services import Source, spend_for_project
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def confirm(donation, **kwargs):
    kwargs.setdefault("by", None)
    kwargs.setdefault("channel", Donation.Channel.ONLINE_SANDBOX)
    kwargs.setdefault("reference", "TX1")
    return services.confirm_donation(donation=donation, **kwargs)


def credits(donation):
    return LedgerEntry.objects.filter(
        source_type="donations.donation", source_id=str(donation.pk)
    ).order_by("source_part")


def test_confirming_credits_the_fund_and_numbers_a_receipt(fund, donation_factory):
    donation = donation_factory(amount="1050.00", donor_name="王小明")
    confirmed = confirm(donation)
    assert confirmed.status == Donation.Status.CONFIRMED
    [entry] = credits(donation)
    assert entry.amount == Decimal("1050.00") and entry.fund == fund and entry.project is None
    assert entry.public_name == "王小明"
    receipt = Receipt.objects.get(donation=donation)
    year = timezone.localdate().year
    assert receipt.number == f"TH-{year}-000001"
    assert receipt.payer_name == "王小明" and receipt.amount == Decimal("1050.00")
    assert receipt.host == fund.host
    assert fund_balances(fund)["total"] == Decimal("1050.00")


def test_confirming_twice_changes_nothing(fund, donation_factory):
    donation = donation_factory()
    confirm(donation)
    confirm(donation)
    confirm(donation, channel=Donation.Channel.CASH, reference="other")
    assert credits(donation).count() == 1
    assert Receipt.objects.filter(donation=donation).count() == 1
    donation.refresh_from_db()
    assert (
        donation.channel == Donation.Channel.ONLINE_SANDBOX and donation.payment_reference == "TX1"
    )


def test_a_gift_restricted_to_a_project_is_credited_to_it(fund, project, donation_factory):
    donation = donation_factory(project=project, amount="80")
    confirm(donation)
    assert restricted_balances(fund) == {project.pk: Decimal("80.00")}
    assert Receipt.objects.get(donation=donation).purpose == project.title


def test_a_joint_campaign_is_split_by_its_shares_exactly(
    fund, other_fund, project, joint_campaign, donation_factory
):
    donation = donation_factory(campaign=joint_campaign, amount="100.01")
    confirm(donation)
    parts = [(e.fund_id, e.project_id, e.amount, e.source_part) for e in credits(donation)]
    assert parts == [
        (fund.pk, project.pk, Decimal("50.01"), 0),
        (fund.pk, None, Decimal("30.00"), 1),
        (other_fund.pk, None, Decimal("20.00"), 2),
    ]
    assert sum(p[2] for p in parts) == Decimal("100.01")
    assert all(e.campaign == joint_campaign for e in credits(donation))
    # One receipt for the whole gift.
    assert Receipt.objects.get(donation=donation).amount == Decimal("100.01")


def test_anonymous_gifts_are_public_as_aixinrenshi(donation_factory):
    donation = donation_factory(donor_name="李四", is_anonymous=True)
    confirm(donation)
    assert credits(donation).get().public_name == "爱心人士"
    assert Receipt.objects.get(donation=donation).payer_name == "爱心人士"
    nameless = donation_factory()
    assert nameless.public_name == "爱心人士" and nameless.is_anonymous


def test_waived_receipt_takes_no_number(donation_factory):
    waived = donation_factory(receipt_wanted=False)
    confirm(waived)
    assert not Receipt.objects.exists()
    wanted = donation_factory()
    confirm(wanted)
    assert Receipt.objects.get().sequence == 1


def test_receipt_numbers_run_per_series_and_year(fund, other_fund, donation_factory):
    other_fund.receipt_series_prefix = "LH"
    other_fund.save()
    last_year = timezone.now() - datetime.timedelta(days=366)
    a = confirm(donation_factory(), at=last_year)
    b = confirm(donation_factory())
    c = confirm(donation_factory(fund=other_fund))
    d = confirm(donation_factory())
    numbers = [x.receipts.get().number for x in (a, b, c, d)]
    year = timezone.localdate().year
    assert numbers == [
        f"TH-{last_year.year}-000001",
        f"TH-{year}-000001",
        f"LH-{year}-000001",
        f"TH-{year}-000002",
    ]


def test_a_failed_confirmation_leaves_no_gap_in_the_numbers(fund, donation_factory):
    first = donation_factory()
    broken = donation_factory()
    Donation.objects.filter(pk=broken.pk).update(status=Donation.Status.REFUNDED)
    with pytest.raises(ValidationError):
        confirm(broken)
    confirm(first)
    assert Receipt.objects.get().sequence == 1


def test_a_closed_fund_refuses_the_confirmation_and_nothing_is_saved(fund, donation_factory):
    donation = donation_factory()
    fund.status = fund.Status.CLOSED
    fund.save()
    with pytest.raises(ValidationError):
        confirm(donation)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING
    assert not LedgerEntry.objects.exists() and not Receipt.objects.exists()


def test_one_donor_per_mobile_with_history_and_total(donation_factory):
    confirm(donation_factory(mobile="138 1234 5678", donor_name="张三", amount="10"))
    confirm(donation_factory(mobile="+86 13812345678", amount="20", is_anonymous=True))
    confirm(donation_factory(donor_name="无手机", amount="5"))
    donor = Donor.objects.get(mobile="13812345678")
    assert donor.name == "张三"
    assert donor.donations.count() == 2
    from donations.selectors import with_donor_totals

    assert with_donor_totals(Donor.objects.filter(pk=donor.pk)).get().total_given == Decimal("30")
    assert Donor.objects.count() == 2


def test_refund_reverses_the_credit_and_voids_the_receipt(fund, donation_factory, cast):
    donation = confirm(donation_factory(amount="60"))
    refunded = services.refund_donation(
        donation=donation, by=cast.finance_officer, reason="重复捐赠"
    )
    assert refunded.status == Donation.Status.REFUNDED
    assert fund_balances(fund)["total"] == Decimal("0.00")
    refund = LedgerEntry.objects.get(kind=LedgerEntry.Kind.REFUND)
    assert refund.amount == Decimal("-60.00") and refund.reverses == credits(donation).get()
    receipt = donation.receipts.get()
    assert receipt.status == Receipt.Status.VOID and receipt.number.endswith("000001")


def test_refund_is_refused_when_the_money_is_spent(fund, project, donation_factory, cast):
    donation = confirm(donation_factory(amount="100", project=project))
    spend_for_project(fund=fund, project=project, amount=Decimal("70"), source=Source("test", 1))
    with pytest.raises(ValidationError) as refused:
        services.refund_donation(donation=donation, by=cast.finance_officer, reason="捐赠人要求")
    assert "¥100.00" in str(refused.value) and "¥30.00" in str(refused.value)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.CONFIRMED
    assert donation.receipts.get().status == Receipt.Status.VALID
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND).exists()


def test_refund_needs_a_reason_and_a_confirmed_donation(donation_factory, cast):
    pending = donation_factory()
    with pytest.raises(ValidationError):
        services.refund_donation(donation=pending, by=cast.finance_officer, reason="x")
    confirmed = confirm(donation_factory())
    with pytest.raises(ValidationError):
        services.refund_donation(donation=confirmed, by=cast.finance_officer, reason="  ")


def test_void_keeps_the_number_and_reissue_takes_the_next(donation_factory, cast):
    donation = confirm(donation_factory())
    receipt = donation.receipts.get()
    voided = services.void_receipt(receipt=receipt, by=cast.finance_officer, reason="抬头写错")
    assert voided.status == Receipt.Status.VOID and voided.number == receipt.number
    new = services.reissue_receipt(receipt=voided, by=cast.finance_officer)
    assert new.sequence == receipt.sequence + 1 and new.replaces == voided
    with pytest.raises(ValidationError):
        services.reissue_receipt(receipt=voided, by=cast.finance_officer)


def test_a_receipt_is_never_edited(donation_factory):
    receipt = confirm(donation_factory()).receipts.get()
    receipt.payer_name = "改名"
    with pytest.raises(TypeError):
        receipt.save()
    with pytest.raises(TypeError):
        Receipt.objects.filter(pk=receipt.pk).update(amount=1)
    with pytest.raises(TypeError):
        receipt.delete()


def test_pending_online_donations_expire_after_24_hours(donation_factory):
    old = donation_factory()
    fresh = donation_factory()
    offline = donation_factory(provider="offline")
    day_ago = timezone.now() - datetime.timedelta(hours=25)
    Donation.objects.filter(pk__in=[old.pk, offline.pk]).update(created_at=day_ago)
    assert services.expire_pending_donations() == 1
    statuses = dict(Donation.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "expired", fresh.pk: "pending", offline.pk: "pending"}


def test_expire_task_runs_the_service(donation_factory):
    from donations.tasks import expire_pending_donations_task

    old = donation_factory()
    Donation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert expire_pending_donations_task.delay().get() == 1


def test_after_commit_the_pdf_is_rendered_and_the_donor_told(
    donation_factory, django_capture_on_commit_callbacks, caplog
):
    donation = donation_factory(mobile="13912345678")
    with (
        caplog.at_level(logging.INFO, logger="donations.sms"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        confirm(donation)
    assert len(callbacks) == 2
    receipt = donation.receipts.get()
    receipt.refresh_from_db()
    assert receipt.pdf.name.endswith(".pdf") and receipt.pdf.size > 1000
    sms = [r.getMessage() for r in caplog.records if r.name == "donations.sms"]
    assert len(sms) == 1 and "139****5678" in sms[0] and receipt.number in sms[0]
    donation.refresh_from_db()
    assert donation.notified_at is not None
    # The task again: nothing new is sent, the file stays.
    assert notifications.notify_donor(donation_id=donation.pk) is False


def test_donors_with_email_get_an_email(donation_factory, django_capture_on_commit_callbacks):
    donation = donation_factory(mobile="13912345678")
    Donor.objects.create(mobile="13912345678", email="donor@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        confirm(donation)
    assert [m.to for m in mail.outbox] == [["donor@example.org"]]


def test_staff_record_a_cash_gift_confirmed_at_once(fund, point, cast):
    from donations.targets import Target

    donation = services.record_offline_donation(
        by=cast.finance_officer,
        target=Target(fund=fund),
        amount="200",
        channel=Donation.Channel.CASH,
        point=point,
        donor_name="赵六",
        reference="现金 收款人 王丽娟",
    )
    assert (
        donation.status == Donation.Status.CONFIRMED
        and donation.confirmed_by == cast.finance_officer
    )
    assert donation.receipts.get().handler == cast.finance_officer.get_username()
    with pytest.raises(ValidationError):
        services.record_offline_donation(
            by=cast.finance_officer, target=Target(fund=fund), amount="1", channel="online_sandbox"
        )


def test_a_box_opening_is_one_batch_with_total_and_count(fund, point, cast):
    from donations.targets import Target

    batch = services.record_box_opening(
        by=cast.finance_officer,
        point=point,
        target=Target(fund=fund),
        opened_on=timezone.localdate(),
        amounts=[Decimal("50"), Decimal("20.5"), Decimal("100")],
        total=Decimal("170.50"),
        witnesses="陈志明、王丽娟",
    )
    assert batch.count == 3 and batch.total == Decimal("170.50")
    assert batch.donations.filter(status="confirmed", channel="box").count() == 3
    assert fund_balances(fund)["total"] == Decimal("170.50")
    assert not Receipt.objects.exists()  # box gifts are anonymous: no receipt
    with pytest.raises(ValidationError) as wrong_total:
        services.record_box_opening(
            by=cast.finance_officer,
            point=point,
            target=Target(fund=fund),
            opened_on=timezone.localdate(),
            amounts=[Decimal("50")],
            total=Decimal("60"),
        )
    assert "¥50.00" in str(wrong_total.value)
    assert Donation.objects.count() == 3


def test_confirm_records_who_confirmed(donation_factory):
    user = make_user("fo", first_name="丽娟", last_name="王")
    donation = confirm(donation_factory(provider="offline"), by=user, channel="bank_transfer")
    assert donation.confirmed_by == user
    assert donation.receipts.get().handler == "王丽娟"


def test_no_gift_is_dated_in_the_future(fund, point, cast):
    from donations.targets import Target

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as box:
        services.record_box_opening(
            by=cast.finance_officer, point=point, target=Target(fund=fund), opened_on=tomorrow,
            amounts=[Decimal("50")], total=Decimal("50"),
        )  # fmt: skip
    assert box.value.message_dict == {"opened_on": ["日期不能晚于今天。"]}
    noon = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(12)))
    with pytest.raises(ValidationError) as gift:
        services.record_offline_donation(
            by=cast.finance_officer, target=Target(fund=fund), amount="100", channel="cash",
            received_at=noon,
        )  # fmt: skip
    assert gift.value.message_dict == {"received_on": ["日期不能晚于今天。"]}
    assert not Donation.objects.exists() and not DonationBatch.objects.exists()


def test_a_gift_outside_the_campaigns_dates_is_refused_for_it(fund, campaign, cast):
    """The campaign ran from 30 days ago: a cash gift entered now but received 40 days ago
    is not the campaign's; the same gift to the fund alone is taken."""
    from donations.targets import Target

    before = timezone.make_aware(
        datetime.datetime.combine(
            campaign.starts_on - datetime.timedelta(days=10), datetime.time(12)
        )
    )
    with pytest.raises(ValidationError) as refused:
        services.record_offline_donation(
            by=cast.finance_officer, target=Target(fund=fund, campaign=campaign), amount="100",
            channel="cash", received_at=before,
        )  # fmt: skip
    assert "募捐期为" in refused.value.message_dict["received_on"][0]
    assert not Donation.objects.exists()
    donation = services.record_offline_donation(
        by=cast.finance_officer, target=Target(fund=fund), amount="100", channel="cash",
        received_at=before,
    )  # fmt: skip
    assert donation.status == Donation.Status.CONFIRMED and donation.campaign is None
