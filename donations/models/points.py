"""Donation points, donors and the openings of donation boxes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.personal_data import mask_phone
from funds.models import Campaign, Fund
from funds.money import MONEY
from projects.models import Project
from stations.models import Station, new_public_code
from stations.scoping import scoped_by

from .common import ANONYMOUS_NAME


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
