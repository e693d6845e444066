"""Every write of the donations app. Each function is one transaction and raises Django's
ValidationError with a message a donor or a staff member can act on.

Money rules (ARCHITECTURE.md): only ``confirm_donation`` credits the ledger and numbers
receipts, inside one transaction with the donation row locked, so whatever the channel and
however many times a confirmation arrives, a donation is credited and numbered once.
"""

import datetime
import logging
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from audit.bulk import audited_update
from core.locks import lock
from core.people import display_name
from core.personal_data import mask_phone
from core.validators import is_mainland_mobile, normalize_phone
from funds.models import LedgerEntry
from funds.money import format_yuan, parse_amount, split_by_percent
from funds.services import Source, post_entry, reverse_entry
from operations import outbox

from . import receipt_numbers
from .models import (
    MESSAGE_MAX_LENGTH,
    Donation,
    DonationBatch,
    DonationPoint,
    Donor,
    LookupCode,
    Receipt,
)
from .payments import PaymentNotification, get_provider
from .targets import Target, check_open

logger = logging.getLogger(__name__)
sms_logger = logging.getLogger("donations.sms")

SOURCE_TYPE = "donations.donation"
LOOKUP_MAX_ATTEMPTS = 5


# --- checking what people type ----------------------------------------------------------------


def _clean_text(value: str, *, field: str, max_length: int, label: str) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: _("%(label)s contains a character that is not allowed.")
                               % {"label": label}})  # fmt: skip
    if len(value) > max_length:
        raise ValidationError(
            {field: _("%(label)s may have at most %(max)d characters (it has %(length)d).")
             % {"label": label, "max": max_length, "length": len(value)}}
        )  # fmt: skip
    return value


def clean_mobile(value: str, *, field: str = "mobile") -> str:
    """A normalised mainland mobile number, "" when none was given."""
    value = (value or "").strip()
    if not value:
        return ""
    if "\x00" in value or not is_mainland_mobile(value):
        raise ValidationError(
            {field: _("Enter a mainland mobile number of 11 digits, such as 13812345678.")}
        )
    return normalize_phone(value).replace("-", "")


def online_limits() -> tuple[Decimal, Decimal]:
    return (
        Decimal(str(settings.DONATIONS_ONLINE_MIN_AMOUNT)),
        Decimal(str(settings.DONATIONS_ONLINE_MAX_AMOUNT)),
    )


def clean_amount(value, *, online: bool) -> Decimal:
    """A positive amount of yuan with at most two decimals (within the online limits)."""
    amount = parse_amount(value)
    if online:
        low, high = online_limits()
        if amount < low or amount > high:
            raise ValidationError(
                {"amount": _("An online gift is between %(min)s and %(max)s.")
                 % {"min": format_yuan(low), "max": format_yuan(high)}}
            )  # fmt: skip
    return amount


# --- creating donations ----------------------------------------------------------------------


def create_donation(
    *,
    target: Target,
    amount,
    provider: str,
    point: DonationPoint | None = None,
    donor_name: str = "",
    is_anonymous: bool = False,
    mobile: str = "",
    message: str = "",
    receipt_wanted: bool = True,
    form_token: str | None = None,
    online: bool = True,
    by=None,
) -> tuple[Donation, bool]:
    """Create a pending donation; returns ``(donation, created)``.

    The same ``form_token`` returns the first donation made with it and creates nothing, also
    when both requests arrive at the same moment (the token is unique in the database).
    """
    if form_token is not None:
        existing = Donation.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing, False
    try:
        get_provider(provider)
    except KeyError:
        raise ValidationError({"provider": _("Choose how you want to pay.")}) from None
    amount = clean_amount(amount, online=online)
    donor_name = _clean_text(donor_name, field="donor_name", max_length=100, label=_("The name"))
    message = _clean_text(
        message, field="message", max_length=MESSAGE_MAX_LENGTH, label=_("The message")
    )
    mobile = clean_mobile(mobile)
    if not donor_name and not is_anonymous:
        is_anonymous = True  # no name given: shown as 爱心人士
    if point is not None and not point.is_active:
        raise ValidationError(_("This donation point is not taking donations now."))
    check_open(target)
    donation = Donation(
        point=point,
        fund=target.fund,
        campaign=target.campaign,
        project=target.project,
        amount=amount,
        provider=provider,
        donor_name=donor_name,
        is_anonymous=is_anonymous,
        mobile=mobile,
        message=message,
        receipt_wanted=receipt_wanted,
        form_token=form_token,
        created_by=by,
    )
    if form_token is None:
        donation.save()
        return donation, True
    try:
        with transaction.atomic():
            donation.save()
    except IntegrityError:
        existing = Donation.objects.filter(form_token=form_token).first()
        if existing is None:
            raise
        return existing, False
    return donation, True


def record_offline_donation(
    *,
    by,
    target: Target,
    amount,
    channel: str,
    point: DonationPoint | None = None,
    donor_name: str = "",
    is_anonymous: bool = False,
    mobile: str = "",
    message: str = "",
    receipt_wanted: bool = True,
    reference: str = "",
    received_at: datetime.datetime | None = None,
    confirm: bool = True,
) -> Donation:
    """Staff record a gift taken at the point (cash or a transfer), confirmed at once when
    ``confirm`` (the recorder then needs the right to confirm)."""
    if channel not in Donation.OFFLINE_CHANNELS:
        raise ValidationError({"channel": _("Choose cash, bank, WeChat or Alipay transfer.")})
    with transaction.atomic():
        donation, _created = create_donation(
            target=target,
            amount=amount,
            provider="offline",
            point=point,
            donor_name=donor_name,
            is_anonymous=is_anonymous,
            mobile=mobile,
            message=message,
            receipt_wanted=receipt_wanted,
            online=False,
            by=by,
        )
        if confirm:
            donation = confirm_donation(
                donation=donation, by=by, channel=channel, reference=reference, at=received_at
            )
        return donation


@transaction.atomic
def record_box_opening(
    *,
    by,
    point: DonationPoint,
    target: Target,
    opened_on: datetime.date,
    amounts: list[Decimal],
    total: Decimal,
    witnesses: str = "",
    note: str = "",
) -> DonationBatch:
    """One opening of a donation box: each counted gift becomes an anonymous box donation
    (receipt waived), confirmed; the counted ``total`` must equal the sum of the gifts."""
    if not amounts:
        raise ValidationError({"amounts": _("Enter the amount of each gift found in the box.")})
    amounts = [parse_amount(a, field="amounts") for a in amounts]
    total = parse_amount(total, field="total")
    if sum(amounts) != total:
        raise ValidationError(
            {"total": _("The gifts add up to %(sum)s, not the counted total %(total)s.")
             % {"sum": format_yuan(sum(amounts)), "total": format_yuan(total)}}
        )  # fmt: skip
    point_path, fund_path = point.station.path, target.fund.station.path
    if not point_path.startswith(fund_path) and not fund_path.startswith(point_path):
        raise ValidationError({"fund": _("This fund is not collected at this point.")})
    batch = DonationBatch.objects.create(
        point=point,
        fund=target.fund,
        opened_on=opened_on,
        total=total,
        count=len(amounts),
        witnesses=_clean_text(witnesses, field="witnesses", max_length=200, label=_("Witnesses")),
        note=_clean_text(note, field="note", max_length=255, label=_("The note")),
        created_by=by,
    )
    received_at = timezone.make_aware(datetime.datetime.combine(opened_on, datetime.time(12)))
    for amount in amounts:
        donation, _created = create_donation(
            target=target,
            amount=amount,
            provider="offline",
            point=point,
            is_anonymous=True,
            receipt_wanted=False,
            online=False,
            by=by,
        )
        donation.batch = batch
        donation.save(update_fields=["batch"])
        confirm_donation(
            donation=donation,
            by=by,
            channel=Donation.Channel.BOX,
            reference=_("Box opening %(date)s") % {"date": opened_on.isoformat()},
            at=received_at,
        )
    return batch


# --- confirming -------------------------------------------------------------------------------


def match_donor(*, mobile: str, name: str) -> Donor | None:
    """One donor per person: the same normalised mobile finds the same donor (money and goods).
    ``mobile`` must already be normalised (``clean_mobile``)."""
    if mobile:
        donor, _created = Donor.objects.get_or_create(mobile=mobile, defaults={"name": name})
        if name and donor.name != name:
            donor.name = name
            donor.save(update_fields=["name"])
        return donor
    if name:
        return Donor.objects.create(name=name)
    return None


def _match_donor(donation: Donation) -> Donor | None:
    return match_donor(mobile=donation.mobile, name=donation.donor_name)


def _credit_ledger(donation: Donation, *, by, posted_at) -> list[LedgerEntry]:
    """The donation's credit(s): one per campaign share (split exactly), else one."""
    common = {
        "kind": LedgerEntry.Kind.DONATION,
        "public_name": donation.public_name,
        "by": by,
        "posted_at": posted_at,
    }
    if donation.campaign_id is not None:
        shares = list(donation.campaign.shares.select_related("fund", "project").order_by("pk"))
        if not shares:
            raise ValidationError(_("This campaign has no shares: it cannot receive gifts yet."))
        parts = split_by_percent(donation.amount, [share.percent for share in shares])
        return [
            post_entry(
                fund=share.fund,
                amount=part_amount,
                project=share.project,
                campaign=donation.campaign,
                source=Source(SOURCE_TYPE, donation.pk, part),
                memo=_("Donation %(reference)s") % {"reference": donation.reference},
                **common,
            )
            for part, (share, part_amount) in enumerate(zip(shares, parts, strict=True))
            if part_amount > 0
        ]
    return [
        post_entry(
            fund=donation.fund,
            amount=donation.amount,
            project=donation.project,
            source=Source(SOURCE_TYPE, donation.pk, 0),
            memo=_("Donation %(reference)s") % {"reference": donation.reference},
            **common,
        )
    ]


def _handler_name(by) -> str:
    if by is None:
        return _("Online payment system")
    return display_name(by)


def _issue_receipt(*, donation: Donation, by, issued_at, replaces: Receipt | None = None):
    series = donation.fund.receipt_series
    year = timezone.localtime(issued_at).year
    sequence = receipt_numbers.next_sequence(series=series, year=year)
    return Receipt.objects.create(
        donation=donation,
        host=donation.campaign.host if donation.campaign_id else donation.fund.host,
        series=series,
        year=year,
        sequence=sequence,
        number=receipt_numbers.format_number(series, year, sequence),
        issued_at=issued_at,
        payer_name=donation.public_name,
        purpose=donation.purpose,
        amount=donation.amount,
        handler=_handler_name(by),
        replaces=replaces,
    )


def confirm_donation(
    *,
    donation: Donation,
    by,
    channel: str,
    reference: str = "",
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Donation:
    """Confirm a donation, whatever the channel, in one transaction.

    Locks the donation row and returns at once if it is already confirmed (idempotent); else
    marks it confirmed, credits the fund's ledger (restricted to the project when the donor
    chose one; a joint campaign split by its shares), matches the donor and takes the next
    receipt number unless the receipt was waived. After commit the receipt PDF is rendered
    and the donor is told (when ``notify``).
    """
    if channel not in Donation.Channel.values:
        raise ValidationError({"channel": _("Choose the channel the money came through.")})
    reference = _clean_text(
        reference, field="reference", max_length=100, label=_("The payment reference")
    )
    with transaction.atomic():
        donation = (
            lock(Donation.objects, of=("self",))
            .select_related("fund__host", "fund__station", "campaign__host", "project")
            .get(pk=donation.pk)
        )
        if donation.status == Donation.Status.CONFIRMED:
            return donation
        if donation.status == Donation.Status.REFUNDED:
            raise ValidationError(_("This donation was refunded; it cannot be confirmed again."))
        confirmed_at = at or timezone.now()
        donation.status = Donation.Status.CONFIRMED
        donation.channel = channel
        donation.payment_reference = reference
        donation.confirmed_at = confirmed_at
        donation.confirmed_by = by if getattr(by, "pk", None) else None
        donation.flag_reason = ""
        donation.donor = donation.donor or _match_donor(donation)
        donation.save(
            update_fields=[
                "status",
                "channel",
                "payment_reference",
                "confirmed_at",
                "confirmed_by",
                "flag_reason",
                "donor",
            ]
        )
        _credit_ledger(donation, by=donation.confirmed_by, posted_at=confirmed_at)
        receipt = None
        if donation.receipt_wanted:
            receipt = _issue_receipt(donation=donation, by=by, issued_at=confirmed_at)
        if notify:
            _after_commit(donation, receipt)
    return donation


def _after_commit(donation: Donation, receipt: Receipt | None) -> None:
    """The receipt PDF and the donor's notification, through the outbox: written in this
    transaction, so a broker outage delays them but never loses them."""
    if receipt is not None:
        outbox.enqueue("donations.render_receipt_pdf", receipt.pk)
    outbox.enqueue("donations.notify_donor", donation.pk)


def apply_payment_notification(*, provider: str, notification: PaymentNotification) -> str:
    """What a verified gateway notification does; returns the outcome.

    ``confirmed`` (also when it was confirmed before: a replay changes nothing), ``flagged``
    (the paid amount differs from the order: refused and left for staff), ``unknown`` (no
    such order), ``ignored`` (a failed payment).
    """
    donation = Donation.objects.filter(code=notification.donation_code, provider=provider).first()
    if donation is None:
        return "unknown"
    if not notification.paid:
        return "ignored"
    if notification.amount != donation.amount:
        flag_donation(
            donation=donation,
            reason=_("The gateway reported %(paid)s paid for an order of %(ordered)s.")
            % {"paid": format_yuan(notification.amount), "ordered": format_yuan(donation.amount)},
            data={"notification": notification.data},
        )
        return "flagged"
    confirm_donation(
        donation=donation,
        by=None,
        channel=get_provider(provider).channel,
        reference=notification.transaction_id,
    )
    return "confirmed"


@transaction.atomic
def flag_donation(*, donation: Donation, reason: str, data: dict | None = None) -> Donation:
    """Set a donation aside for staff (a payment that does not match its order)."""
    donation = lock(Donation.objects).get(pk=donation.pk)
    if donation.status in (Donation.Status.CONFIRMED, Donation.Status.REFUNDED):
        logger.warning("donation %s: %s (already %s)", donation.pk, reason, donation.status)
        return donation
    donation.status = Donation.Status.FLAGGED
    donation.flag_reason = reason[:255]
    if data:
        donation.provider_data = {**donation.provider_data, **data}
    donation.save(update_fields=["status", "flag_reason", "provider_data"])
    logger.warning("donation %s flagged: %s", donation.pk, reason)
    return donation


def expire_pending_donations(*, now: datetime.datetime | None = None) -> int:
    """Mark online donations still unpaid after DONATIONS_PENDING_EXPIRY_HOURS as expired.

    One UPDATE: a donation being confirmed at the same moment is locked by its confirmation
    and re-checked by Postgres after it, so a paid donation never expires.
    """
    from .payments import PROVIDERS

    cutoff = (now or timezone.now()) - datetime.timedelta(
        hours=settings.DONATIONS_PENDING_EXPIRY_HOURS
    )
    online = [name for name, provider in PROVIDERS.items() if provider.expires_unpaid]
    expired = Donation.objects.filter(
        status=Donation.Status.PENDING, provider__in=online, created_at__lt=cutoff
    )
    return audited_update(expired, status=Donation.Status.EXPIRED)


# --- refunds and receipts --------------------------------------------------------------------


@transaction.atomic
def refund_donation(*, donation: Donation, by, reason: str) -> Donation:
    """Give a confirmed donation back: reverse each of its credits and void its receipt.

    Refused, with the ledger's message naming the amounts, when the money is already spent and
    the fund cannot cover the refund; then nothing changes.
    """
    reason = _clean_text(reason, field="reason", max_length=255, label=_("The reason"))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the refund.")})
    donation = lock(Donation.objects).get(pk=donation.pk)
    if donation.status != Donation.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed donation can be refunded."))
    credits = LedgerEntry.objects.filter(
        source_type=SOURCE_TYPE, source_id=str(donation.pk), kind=LedgerEntry.Kind.DONATION
    ).order_by("source_part")
    for credit in credits:
        reverse_entry(
            entry=credit,
            kind=LedgerEntry.Kind.REFUND,
            by=by,
            memo=_("Refund of donation %(reference)s: %(reason)s")
            % {"reference": donation.reference, "reason": reason},
        )
    for receipt in donation.receipts.filter(status=Receipt.Status.VALID):
        _void(receipt, by=by, reason=_("Refunded: %(reason)s") % {"reason": reason})
    donation.status = Donation.Status.REFUNDED
    donation.refund_reason = reason
    donation.refunded_at = timezone.now()
    donation.save(update_fields=["status", "refund_reason", "refunded_at"])
    return donation


def _void(receipt: Receipt, *, by, reason: str) -> None:
    audited_update(
        Receipt.objects.filter(pk=receipt.pk),
        status=Receipt.Status.VOID,
        voided_at=timezone.now(),
        voided_by=by if getattr(by, "pk", None) else None,
        void_reason=reason[:255],
    )


@transaction.atomic
def void_receipt(*, receipt: Receipt, by, reason: str) -> Receipt:
    """Void a receipt. It keeps its number (the series stays gapless) and may be reissued."""
    reason = _clean_text(reason, field="reason", max_length=255, label=_("The reason"))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for voiding the receipt.")})
    receipt = lock(Receipt.objects).get(pk=receipt.pk)
    if receipt.status == Receipt.Status.VOID:
        return receipt
    _void(receipt, by=by, reason=reason)
    return Receipt.objects.get(pk=receipt.pk)


@transaction.atomic
def reissue_receipt(*, receipt: Receipt, by, reason: str = "") -> Receipt:
    """Void ``receipt`` (if still valid) and issue a new one, under the next number, for the
    same confirmed donation."""
    donation = (
        lock(Donation.objects, of=("self",))
        .select_related("fund__host", "campaign__host", "project")
        .get(pk=receipt.donation_id)
    )
    if donation.status != Donation.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed donation gets a receipt."))
    receipt = lock(Receipt.objects).get(pk=receipt.pk)
    if hasattr(receipt, "reissued_as"):
        raise ValidationError(_("This receipt was already reissued as %(number)s.")
                              % {"number": receipt.reissued_as.number})  # fmt: skip
    if receipt.status == Receipt.Status.VALID:
        _void(receipt, by=by, reason=reason or _("Reissued"))
    new = _issue_receipt(donation=donation, by=by, issued_at=timezone.now(), replaces=receipt)
    outbox.enqueue("donations.render_receipt_pdf", new.pk)
    return new


def store_receipt_pdf(*, receipt: Receipt) -> Receipt:
    """Render the receipt's PDF once and keep it; later calls change nothing.

    The receipt row is locked while rendering, so two deliveries of the job never render at
    once, and the file has one fixed name: a run that died after writing it (a worker killed
    mid-task) leaves a file no row points to, which the next run replaces. One receipt, one
    file.
    """
    from .documents import receipt_pdf

    if receipt.pdf:
        return receipt
    with transaction.atomic():
        receipt = (
            lock(Receipt.objects, of=("self",))
            .select_related("host", "donation")
            .get(pk=receipt.pk)
        )
        if receipt.pdf:
            return receipt
        content = ContentFile(receipt_pdf(receipt), name=f"{receipt.number}.pdf")
        path = Receipt._meta.get_field("pdf").generate_filename(receipt, content.name)
        storage = receipt.pdf.storage
        if storage.exists(path):  # left by a run that died before recording it
            storage.delete(path)
        stored = storage.save(path, content)
        Receipt.objects.filter(pk=receipt.pk, pdf="").update(pdf=stored)
    return Receipt.objects.get(pk=receipt.pk)


# --- donor look-up ----------------------------------------------------------------------------


def _code_hash(mobile: str, code: str) -> str:
    return salted_hmac("donations.lookup", f"{mobile}:{code}").hexdigest()


@transaction.atomic
def start_donor_lookup(*, mobile: str) -> None:
    """Send a one-time code to ``mobile`` (logged as an SMS line here). The answer is the same
    whether or not the number ever gave, so nobody learns who gave."""
    mobile = clean_mobile(mobile)
    if not mobile:
        raise ValidationError({"mobile": _("Enter your mobile number.")})
    code = f"{secrets.randbelow(1_000_000):06d}"
    LookupCode.objects.filter(mobile=mobile, used_at__isnull=True).update(used_at=timezone.now())
    LookupCode.objects.create(
        mobile=mobile,
        code_hash=_code_hash(mobile, code),
        expires_at=timezone.now()
        + datetime.timedelta(minutes=settings.DONATIONS_LOOKUP_CODE_MINUTES),
    )
    sms_logger.info(
        "SMS to %s: %s",
        mask_phone(mobile),
        _("Your code to look up your donations is %(code)s (valid %(minutes)d minutes).")
        % {"code": code, "minutes": settings.DONATIONS_LOOKUP_CODE_MINUTES},
    )


def verify_donor_lookup(*, mobile: str, code: str) -> str:
    """Check the one-time code; returns the normalised mobile, or raises ValidationError.
    A code works once, for a few minutes, and for at most a few wrong tries."""
    mobile = clean_mobile(mobile)
    code = (code or "").strip()
    wrong = ValidationError({"code": _("The code is wrong or has expired; ask for a new one.")})
    if not mobile or not code.isdigit() or len(code) != 6:
        raise wrong
    # The wrong try is counted in a transaction that commits, then the error is raised.
    with transaction.atomic():
        lookup = (
            lock(LookupCode.objects)
            .filter(mobile=mobile, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if lookup is None or lookup.attempts >= LOOKUP_MAX_ATTEMPTS:
            ok = False
        elif constant_time_compare(lookup.code_hash, _code_hash(mobile, code)):
            LookupCode.objects.filter(pk=lookup.pk).update(used_at=timezone.now())
            ok = True
        else:
            LookupCode.objects.filter(pk=lookup.pk).update(attempts=lookup.attempts + 1)
            ok = False
    if not ok:
        raise wrong
    return mobile
