"""Confirming a gift: the donor, the ledger, the receipt number, payment notifications, expiry."""

import datetime
import logging
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.bulk import audited_update
from core.locks import lock
from core.people import display_name
from funds.models import Campaign, LedgerEntry
from funds.money import format_yuan, split_by_percent
from funds.services import Source, post_entry
from operations import outbox

from .. import receipt_numbers
from ..models import (
    Donation,
    Donor,
    Receipt,
)
from ..payments import PaymentNotification, get_provider
from .cleaning import SOURCE_TYPE, clean_text

logger = logging.getLogger("donations.services")

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
        assert donation.campaign is not None
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
        host=cast(Campaign, donation.campaign).host if donation.campaign_id else donation.fund.host,
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
    reference = clean_text(
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
    from ..payments import PROVIDERS

    cutoff = (now or timezone.now()) - datetime.timedelta(
        hours=settings.DONATIONS_PENDING_EXPIRY_HOURS
    )
    online = [name for name, provider in PROVIDERS.items() if provider.expires_unpaid]
    expired = Donation.objects.filter(
        status=Donation.Status.PENDING, provider__in=online, created_at__lt=cutoff
    )
    return audited_update(expired, status=Donation.Status.EXPIRED)
