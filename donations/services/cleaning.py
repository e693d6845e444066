"""Checking what people type: text, mobiles, amounts within the online limits."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.validators import is_mainland_mobile, normalize_phone
from funds.money import format_yuan, parse_amount

# What a donation's ledger entries name as their source (``funds.services.Source``).
SOURCE_TYPE = "donations.donation"


# --- checking what people type ----------------------------------------------------------------


def check_gift_date(day: datetime.date, *, field: str, campaign=None) -> None:
    """The day a gift was received (at the point, in a box, by transfer): never in the future,
    and within the campaign's dates when it is given to a campaign."""
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if campaign is not None and not campaign.starts_on <= day <= campaign.ends_on:
        raise ValidationError(
            {
                field: _(
                    "“%(campaign)s” runs from %(start)s to %(end)s: a gift received on "
                    "%(day)s cannot go to it."
                )
                % {
                    "campaign": campaign.title,
                    "start": campaign.starts_on.isoformat(),
                    "end": campaign.ends_on.isoformat(),
                    "day": day.isoformat(),
                }
            }
        )


def clean_text(value: str, *, field: str, max_length: int, label: str) -> str:
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
