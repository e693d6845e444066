"""In-kind goods (物资捐赠): goods donations, the stock lots they become and stock movements."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from funds.money import MONEY
from projects.models import Project
from stations.models import Station
from stations.scoping import scoped_by

from .common import ANONYMOUS_NAME
from .points import DonationPoint, Donor

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
