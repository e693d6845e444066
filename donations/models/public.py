"""What the public side keeps: idempotency keys of the donations API and look-up codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.personal_data import mask_phone

from .donations import Donation


class IdempotencyKey(models.Model):
    """One ``Idempotency-Key`` of the public donations API, with the first answer given.

    The unique key is the guard: the row is inserted with its answer in the donation's own
    transaction, so a second request with the key gets the stored answer (422 with another
    body); see ``donations.idempotency``.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    key = models.CharField(_("key"), max_length=100, unique=True)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    state = models.CharField(_("state"), max_length=8, choices=State.choices)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    donation = models.ForeignKey(
        Donation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return self.key


class LookupCode(models.Model):
    """A one-time code sent to a mobile number so its owner can look up their gifts."""

    mobile = models.CharField(_("mobile"), max_length=20, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("look-up code")
        verbose_name_plural = _("look-up codes")

    def __str__(self) -> str:
        return mask_phone(self.mobile)
