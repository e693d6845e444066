"""Money donations."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.personal_data import mask_phone
from funds.models import Campaign, Fund
from funds.money import MONEY
from projects.models import Project
from stations.scoping import scoped_by

from .common import ANONYMOUS_NAME, MESSAGE_MAX_LENGTH, new_donation_code, new_reference_code
from .points import DonationBatch, DonationPoint, Donor


@scoped_by("fund__station")
class Donation(models.Model):
    """A gift of money to a fund, optionally through a campaign or restricted to a project."""

    class Channel(models.TextChoices):
        ONLINE_SANDBOX = "online_sandbox", _("Online (sandbox gateway)")
        CASH = "cash", _("Cash")
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        WECHAT_TRANSFER = "wechat_transfer", _("WeChat transfer")
        ALIPAY_TRANSFER = "alipay_transfer", _("Alipay transfer")
        BOX = "box", _("Donation box")

    # Channels a finance officer confirms by hand in the admin.
    OFFLINE_CHANNELS = (
        Channel.CASH,
        Channel.BANK_TRANSFER,
        Channel.WECHAT_TRANSFER,
        Channel.ALIPAY_TRANSFER,
    )

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        CONFIRMED = "confirmed", _("Confirmed")
        EXPIRED = "expired", _("Expired")
        REFUNDED = "refunded", _("Refunded")
        FLAGGED = "flagged", _("Flagged for staff")

    code = models.CharField(
        _("public code"), max_length=32, unique=True, default=new_donation_code, editable=False
    )
    reference = models.CharField(
        _("reference code"),
        max_length=16,
        unique=True,
        default=new_reference_code,
        editable=False,
        help_text=_("The donor writes it in the remark of a transfer."),
    )
    # The one-time token of the public form: a double click or a reload finds the same row.
    form_token = models.CharField(
        _("form token"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    point = models.ForeignKey(
        DonationPoint,
        verbose_name=_("donation point"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="donations"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("restricted to project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
    )
    batch = models.ForeignKey(
        DonationBatch,
        verbose_name=_("box opening"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    provider = models.CharField(_("payment provider"), max_length=32, default="offline")
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    donor = models.ForeignKey(
        Donor,
        verbose_name=_("donor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
    )
    donor_name = models.CharField(_("donor name"), max_length=100, blank=True)
    is_anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("Shown as 爱心人士 everywhere public.")
    )
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    message = models.CharField(_("message"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    receipt_wanted = models.BooleanField(_("receipt wanted"), default=True)
    payment_reference = models.CharField(
        _("payment reference"),
        max_length=100,
        blank=True,
        help_text=_("Bank or gateway transaction number, or where the cash was received."),
    )
    provider_data = models.JSONField(_("payment provider data"), default=dict, blank=True)
    flag_reason = models.CharField(_("reason flagged"), max_length=255, blank=True)
    refund_reason = models.CharField(_("refund reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, db_index=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("donor notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("confirm_donation", _("Can confirm donations")),
            ("refund_donation", _("Can refund donations")),
            ("export_donation", _("Can export donations")),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="donation_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="donation_amount_positive",
                violation_error_message=_("The amount must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | ~models.Q(channel=""),
                name="donation_confirmed_has_channel",
                violation_error_message=_("A confirmed donation needs its channel."),
            ),
            models.CheckConstraint(
                condition=models.Q(project__isnull=True) | models.Q(campaign__isnull=True),
                name="donation_project_or_campaign",
                violation_error_message=_(
                    "Choose a campaign or a project, not both: a campaign says itself where "
                    "its gifts go."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_name} ¥{self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("donations:donation", kwargs={"code": self.code})

    @property
    def public_name(self) -> str:
        """The donor's name if they agreed to show it, else 爱心人士."""
        if self.is_anonymous or not self.donor_name.strip():
            return ANONYMOUS_NAME
        return self.donor_name

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)

    @property
    def purpose(self) -> str:
        """What the gift is for, as printed on the receipt."""
        if self.project_id:
            return self.project.title
        if self.campaign_id:
            return self.campaign.title
        return self.fund.name
