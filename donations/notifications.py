"""The donor's thank-you, sent by a Celery task queued through the outbox after the
confirmation commits. No row is locked while the message goes out: its ``send_once`` key
makes a task delivered twice send nothing the second time."""

import logging

from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from core.personal_data import mask_phone
from funds.money import format_yuan
from operations.outbox import send_once

from .models import Donation, Receipt

sms_logger = logging.getLogger("donations.sms")


def notify_donor(*, donation_id: int) -> bool:
    """Tell the donor their gift arrived: by email when known, else an SMS line in the log.
    Once per donation; returns whether a message went out now."""
    donation = Donation.objects.select_related("donor", "fund").filter(pk=donation_id).first()
    if donation is None or donation.status != Donation.Status.CONFIRMED:
        return False
    if donation.notified_at is not None:
        return False
    email = donation.donor.email if donation.donor else ""
    if not email and not donation.mobile:
        return False
    receipt = donation.receipts.filter(status=Receipt.Status.VALID).first()
    text = _("Thank you: your gift of %(amount)s to %(purpose)s has arrived.") % {
        "amount": format_yuan(donation.amount),
        "purpose": donation.purpose,
    }
    if receipt is not None:
        text += " " + _("Receipt %(number)s.") % {"number": receipt.number}
    with send_once(f"donations.thanks:{donation.pk}") as first:
        if not first:
            return False
        if email:
            send_mail(_("Your donation"), text, None, [email])
        else:
            sms_logger.info("SMS to %s: %s", mask_phone(donation.mobile), text)
        Donation.objects.filter(pk=donation.pk).update(notified_at=timezone.now())
    return True
