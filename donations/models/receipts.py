"""Donation receipts and their gapless number sequences."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from funds.models import HostCharity
from funds.money import MONEY
from stations.scoping import scoped_by

from .common import new_check_code
from .donations import Donation


class ReceiptSequence(models.Model):
    """The last receipt number used in one series and year; locked while numbering."""

    series = models.CharField(_("series"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("receipt number sequence")
        verbose_name_plural = _("receipt number sequences")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="receipt_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last_number}"


class ReceiptQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # A receipt is never edited after issue; only its voiding and its rendered file change.
        allowed = {"status", "voided_at", "voided_by", "void_reason", "pdf"}
        if set(kwargs) - allowed:
            raise TypeError("A receipt is never edited after issue: void it and reissue.")
        return super().update(**kwargs)


@scoped_by("donation__fund__station")
class Receipt(models.Model):
    """A donation receipt (捐赠票据). Numbered without gaps per series and year; never edited,
    only voided (keeping its number) and reissued under a new number."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        VOID = "void", _("Void")

    donation = models.ForeignKey(
        Donation, verbose_name=_("donation"), on_delete=models.PROTECT, related_name="receipts"
    )
    host = models.ForeignKey(
        HostCharity,
        verbose_name=_("receiving organisation"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    series = models.CharField(_("series"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("receipt number"), max_length=32, unique=True)
    check_code = models.CharField(_("check code"), max_length=16, default=new_check_code)
    issued_at = models.DateTimeField(_("issued at"))
    payer_name = models.CharField(_("payer"), max_length=100)
    purpose = models.CharField(_("project / purpose"), max_length=255)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    handler = models.CharField(_("handler"), max_length=100)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("reissue of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reissued_as",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.VALID
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    void_reason = models.CharField(_("reason voided"), max_length=255, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="receipts/%Y/", blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-issued_at", "-pk"]
        permissions = [("void_receipt", _("Can void and reissue receipts"))]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "sequence"], name="receipt_unique_sequence"
            ),
            models.UniqueConstraint(
                fields=["donation"],
                condition=models.Q(status="valid"),
                name="receipt_one_valid_per_donation",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="receipt_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("A receipt is never edited after issue: void it and reissue.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "donations:receipt", kwargs={"number": self.number, "check_code": self.check_code}
        )

    def delete(self, *args, **kwargs):
        raise TypeError("A receipt is never deleted: void it.")
