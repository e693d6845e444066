"""Creating donations: online, offline at a station, from a box opening."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from funds.money import format_yuan, parse_amount

from ..models import (
    MESSAGE_MAX_LENGTH,
    Donation,
    DonationBatch,
    DonationPoint,
)
from ..payments import get_provider
from ..targets import Target, check_open
from .cleaning import check_gift_date, clean_amount, clean_mobile, clean_text
from .confirming import confirm_donation

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
    donor_name = clean_text(donor_name, field="donor_name", max_length=100, label=_("The name"))
    message = clean_text(
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
    received_on = timezone.localdate(received_at) if received_at else timezone.localdate()
    check_gift_date(received_on, field="received_on", campaign=target.campaign)
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
    check_gift_date(opened_on, field="opened_on")
    amounts = [parse_amount(a, field="amounts") for a in amounts]
    total = parse_amount(total, field="total")
    if sum(amounts) != total:
        raise ValidationError(
            {"total": _("The gifts add up to %(sum)s, not the counted total %(total)s.")
             % {"sum": format_yuan(sum(amounts, Decimal(0))), "total": format_yuan(total)}}
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
        witnesses=clean_text(witnesses, field="witnesses", max_length=200, label=_("Witnesses")),
        note=clean_text(note, field="note", max_length=255, label=_("The note")),
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
