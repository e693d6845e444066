"""Messages to volunteers: email when they gave an address, otherwise the log, where an SMS
gateway can pick them up (the platform has no SMS provider yet).

Sent by Celery tasks (the promotion queued through the outbox after the commit that freed the
place, the reminders by beat). No row is locked while a message goes out: each has its
``send_once`` key, so a task delivered twice sends nothing the second time."""

import datetime
import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.personal_data import mask_phone
from operations.outbox import send_once

from .models import Signup, Volunteer

logger = logging.getLogger(__name__)

SUBJECTS = {
    "promoted": lambda: _("You have a place on the shift"),
    "reminder": lambda: _("Reminder: your volunteer shift is tomorrow"),
}


def send_to_volunteer(volunteer: Volunteer, kind: str, context: dict) -> None:
    # Messages go out in Chinese: the language of the residents, whatever the worker's default.
    with translation.override("zh-hans"):
        subject = str(SUBJECTS[kind]())
        body = render_to_string(
            f"volunteers/messages/{kind}.txt", {"volunteer": volunteer, **context}
        )
    if volunteer.email:
        send_mail(subject, body, None, [volunteer.email])
    logger.info(
        "volunteer message %s to %s (%s): %s",
        kind,
        volunteer.number,
        mask_phone(volunteer.mobile),
        subject,
    )


def notify_promotion(*, signup_id: int) -> bool:
    """Tell a volunteer who moved off the waiting list; at most once. True if sent now."""
    signup = (
        Signup.objects.select_related("shift__opportunity", "volunteer")
        .filter(pk=signup_id)
        .first()
    )
    if (
        signup is None
        or signup.promotion_notified_at is not None
        or signup.status != Signup.Status.CONFIRMED
    ):
        return False
    with send_once(f"volunteers.promoted:{signup.pk}") as first:
        if not first:
            return False
        send_to_volunteer(signup.volunteer, "promoted", {"signup": signup, "shift": signup.shift})
        Signup.objects.filter(pk=signup.pk).update(promotion_notified_at=timezone.now())
    return True


def send_shift_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind every confirmed volunteer of tomorrow's shifts (local time); each at most once."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    pending = Signup.objects.filter(
        status=Signup.Status.CONFIRMED,
        reminded_at__isnull=True,
        shift__starts_at__gte=start,
        shift__starts_at__lt=start + datetime.timedelta(days=1),
    ).select_related("shift__opportunity", "volunteer")
    sent = 0
    for signup in pending:
        with send_once(f"volunteers.reminder:{signup.pk}") as first:
            if not first:
                continue
            send_to_volunteer(
                signup.volunteer, "reminder", {"signup": signup, "shift": signup.shift}
            )
            Signup.objects.filter(pk=signup.pk).update(reminded_at=now)
            sent += 1
    return sent
