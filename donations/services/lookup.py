"""A donor finds their gifts: a one-time code to their mobile."""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.locks import lock
from core.personal_data import mask_phone

from ..models import (
    LookupCode,
)
from .cleaning import clean_mobile

sms_logger = logging.getLogger("donations.sms")

LOOKUP_MAX_ATTEMPTS = 5

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
