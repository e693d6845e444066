"""Money donations: donation points, donors, donations, box-opening batches and receipts.

Rules kept here are the ones that belong to one row (named database constraints); flows such
as confirming, refunding and numbering receipts live in ``services.py``.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.personal_data import mask_phone
from funds.models import Campaign, Fund, HostCharity
from funds.money import MONEY
from projects.models import Project
from stations.models import Station, new_public_code
from stations.scoping import scoped_by

MESSAGE_MAX_LENGTH = 200
# What the public sees instead of the name of a donor who gives anonymously (UX.md).
ANONYMOUS_NAME = "爱心人士"

# Reference and check codes are read aloud and typed from paper: no 0/O, 1/I/L.
_READABLE = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_donation_code() -> str:
    """The secret part of a donation's public page address (the donor's "link to keep")."""
    return secrets.token_urlsafe(15)


def new_reference_code() -> str:
    """What a donor writes in the remark of a bank transfer so staff can match it."""
    return "JZ" + "".join(secrets.choice(_READABLE) for _ in range(8))


def new_check_code() -> str:
    return "".join(secrets.choice(_READABLE) for _ in range(8))


@scoped_by("station")
class DonationPoint(models.Model):
    """A place where residents give (社区慈善捐赠站点), with a QR poster to /d/<code>/."""

    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="donation_points",
    )
    name = models.CharField(_("name"), max_length=100)
    place = models.CharField(_("place"), max_length=255, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    funds = models.ManyToManyField(
        Fund, verbose_name=_("funds collected for"), blank=True, related_name="donation_points"
    )
    campaigns = models.ManyToManyField(
        Campaign,
        verbose_name=_("campaigns collected for"),
        blank=True,
        related_name="donation_points",
    )
    projects = models.ManyToManyField(
        Project,
        verbose_name=_("projects collected for"),
        blank=True,
        related_name="donation_points",
    )
    is_active = models.BooleanField(_("active"), default=True)
    code = models.SlugField(_("public code"), max_length=32, unique=True, default=new_public_code)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donation point")
        verbose_name_plural = _("donation points")
        ordering = ["station__path", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("donations:point", kwargs={"code": self.code})

    def clean(self) -> None:
        super().clean()
        if self.station_id and not self.station.offers_donation_point:
            raise ValidationError(
                {
                    "station": _(
                        "This station does not offer the donation service; turn on "
                        "“donation point” for the station first."
                    )
                }
            )


@scoped_by("donations__fund__station")
class Donor(models.Model):
    """One person who gives; matched by normalised mobile number when they give one.

    Scoped through the funds they gave to, so a query over donors may repeat a row:
    ``selectors.donors_for`` and the admin add ``distinct()``.
    """

    name = models.CharField(_("name"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"], condition=~models.Q(mobile=""), name="donor_unique_mobile"
            )
        ]

    def __str__(self) -> str:
        return self.name or mask_phone(self.mobile) or str(ANONYMOUS_NAME)

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)


@scoped_by("fund__station")
class DonationBatch(models.Model):
    """One opening of a donation box: counted together, recorded as one batch of gifts."""

    point = models.ForeignKey(
        DonationPoint,
        verbose_name=_("donation point"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="donation_batches"
    )
    opened_on = models.DateField(_("opened on"))
    total = models.DecimalField(_("total (yuan)"), **MONEY)
    count = models.PositiveIntegerField(_("number of gifts"))
    witnesses = models.CharField(_("witnesses"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("box opening")
        verbose_name_plural = _("box openings")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gt=0),
                name="batch_total_positive",
                violation_error_message=_("The total must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(count__gt=0),
                name="batch_count_positive",
                violation_error_message=_("A box opening has at least one gift."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.opened_on}"


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


# --- in-kind goods (物资捐赠) -------------------------------------------------------------------

QUANTITY = {"max_digits": 12, "decimal_places": 3}


def goods_receipt_series(station: Station) -> str:
    """The goods receipt series of a station (物资 WZ + the station's number): gapless per year."""
    return f"WZ{station.pk}"


@scoped_by("point__station")
class GoodsDonation(models.Model):
    """Goods received at a donation point; each item becomes a stock lot of the station."""

    point = models.ForeignKey(
        DonationPoint,
        verbose_name=_("donation point"),
        on_delete=models.PROTECT,
        related_name="goods_donations",
    )
    donor = models.ForeignKey(
        Donor,
        verbose_name=_("donor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goods_donations",
    )
    donor_name = models.CharField(
        _("donor name"),
        max_length=100,
        blank=True,
        help_text=_("A person's or an organisation's name; empty for an anonymous gift."),
    )
    is_anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("Shown as 爱心人士 everywhere public.")
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    receipt_series = models.CharField(_("series"), max_length=8, editable=False)
    receipt_year = models.PositiveSmallIntegerField(_("year"), editable=False)
    receipt_sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    receipt_number = models.CharField(
        _("goods receipt number"), max_length=32, unique=True, editable=False
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("goods donation")
        verbose_name_plural = _("goods donations")
        ordering = ["-received_at", "-pk"]
        permissions = [("export_goodsdonation", _("Can export goods donations"))]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt_series", "receipt_year", "receipt_sequence"],
                name="goods_receipt_unique_sequence",
            )
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def public_name(self) -> str:
        if self.is_anonymous or not self.donor_name.strip():
            return ANONYMOUS_NAME
        return self.donor_name


@scoped_by("station")
class GoodsItem(models.Model):
    """One line of a goods donation, and the stock lot it became in the station's store.

    ``remaining`` is what is left in the store; it only changes through a ``GoodsMovement``
    written by the services, with the lot row locked, and never goes below zero.
    """

    class Category(models.TextChoices):
        FOOD = "food", _("Food")
        CLOTHING = "clothing", _("Clothing")
        DAILY = "daily", _("Daily necessities")
        MEDICAL = "medical", _("Medical supplies")
        STATIONERY = "stationery", _("Stationery")
        EQUIPMENT = "equipment", _("Equipment")
        OTHER = "other", _("Other")

    class Condition(models.TextChoices):
        NEW = "new", _("New")
        GOOD = "good", _("Good")
        USABLE = "usable", _("Usable")

    donation = models.ForeignKey(
        GoodsDonation, verbose_name=_("goods donation"), on_delete=models.PROTECT,
        related_name="items",
    )  # fmt: skip
    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="goods_lots"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    name = models.CharField(_("item"), max_length=100)
    quantity = models.DecimalField(_("quantity received"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=10, help_text=_("件, 箱, 袋, 公斤 …"))
    condition = models.CharField(
        _("condition"), max_length=8, choices=Condition.choices, default=Condition.NEW
    )
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    value = models.DecimalField(
        _("confirmed value (yuan)"),
        null=True,
        blank=True,
        help_text=_("Only when the value is confirmed (an invoice or an appraisal)."),
        **MONEY,
    )
    remaining = models.DecimalField(_("in stock"), editable=False, **QUANTITY)

    class Meta:
        verbose_name = _("stock lot")
        verbose_name_plural = _("stock lots")
        ordering = ["station__path", "expiry_date", "pk"]
        permissions = [("distribute_goodsitem", _("Can distribute goods"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0),
                name="goods_item_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(remaining__gte=0),
                name="goods_item_stock_not_negative",
                violation_error_message=_("The stock of a lot never goes below zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gt=0),
                name="goods_item_value_positive",
                violation_error_message=_("A confirmed value must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity.normalize():f}{self.unit}"


@scoped_by("lot__station")
class GoodsMovement(models.Model):
    """Every change of a lot's stock: in on receipt, out to a beneficiary, an activity or a
    project, or an adjustment with its reason. ``change`` is signed (+ in, − out)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        TO_BENEFICIARY = "beneficiary", _("Given to a beneficiary")
        TO_ACTIVITY = "activity", _("Used at an activity")
        TO_PROJECT = "project", _("Given to a project")
        ADJUSTMENT = "adjustment", _("Adjustment")

    OUT_KINDS = (Kind.TO_BENEFICIARY, Kind.TO_ACTIVITY, Kind.TO_PROJECT)

    lot = models.ForeignKey(
        GoodsItem, verbose_name=_("stock lot"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    change = models.DecimalField(_("change"), **QUANTITY)
    beneficiary = models.ForeignKey(
        "projects.Beneficiary", verbose_name=_("beneficiary"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="goods_movements",
    )  # fmt: skip
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="goods_movements",
    )  # fmt: skip
    activity = models.ForeignKey(
        "projects.ServiceActivity", verbose_name=_("activity"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="goods_movements",
    )  # fmt: skip
    assistance = models.OneToOneField(
        "projects.AssistanceRecord", verbose_name=_("assistance record"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="goods_movement",
    )  # fmt: skip
    reason = models.CharField(_("reason / note"), max_length=255, blank=True)
    moved_on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(change=0), name="goods_movement_change_not_zero"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["beneficiary", "activity", "project"])
                | models.Q(change__lt=0),
                name="goods_movement_out_is_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="received") | models.Q(change__gt=0),
                name="goods_movement_in_is_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="adjustment") | ~models.Q(reason=""),
                name="goods_movement_adjustment_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.change.normalize():f}"
