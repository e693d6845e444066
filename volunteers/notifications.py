"""Messages to volunteers: email when they gave an address, otherwise the log, where an SMS
gateway can pick them up (the platform has no SMS provider yet)."""

import logging

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.personal_data import mask_phone

from .models import Volunteer

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
