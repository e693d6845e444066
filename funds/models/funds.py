"""Host charities and the community funds they hold."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import (
    normalize_credit_code,
    normalize_phone,
    validate_credit_code,
    validate_mainland_phone,
)
from stations.models import Station, new_public_code
from stations.scoping import scoped_by

from ..money import MONEY


class HostCharity(models.Model):
    """A registered charity with public fundraising qualification that holds community funds."""

    class Kind(models.TextChoices):
        FOUNDATION = "foundation", _("Foundation")
        SOCIAL_ORGANIZATION = "social_organization", _("Social organisation (charity federation)")

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    has_public_fundraising_qualification = models.BooleanField(
        _("public fundraising qualification"), default=True
    )
    receipt_prefix = models.CharField(
        _("receipt series prefix"),
        max_length=8,
        help_text=_("Letters that start every receipt number of this host, such as YX."),
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=32, blank=True, validators=[validate_mainland_phone]
    )
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("host charity")
        verbose_name_plural = _("host charities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.credit_code = normalize_credit_code(self.credit_code)
        if self.contact_phone:
            self.contact_phone = normalize_phone(self.contact_phone)


@scoped_by("station")
class Fund(models.Model):
    """A community fund (社区基金): money raised for one station, held in the host's accounts."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="funds"
    )
    host = models.ForeignKey(
        HostCharity, verbose_name=_("host charity"), on_delete=models.PROTECT, related_name="funds"
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("public code"), max_length=32, unique=True, default=new_public_code)
    purpose = models.TextField(_("purpose"), blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    agreement_file = models.FileField(_("agreement"), upload_to="funds/agreements/", blank=True)
    agreement_start = models.DateField(_("agreement start"), null=True, blank=True)
    agreement_end = models.DateField(_("agreement end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    receipt_series_prefix = models.CharField(
        _("receipt series prefix"),
        max_length=8,
        blank=True,
        help_text=_("Leave empty to use the host charity's series."),
    )
    # Committee rules (DOMAIN.md: configurable per fund, these are the defaults).
    min_voting_members = models.PositiveSmallIntegerField(_("minimum voting members"), default=5)
    require_odd_voting_members = models.BooleanField(
        _("odd number of voting members"), default=True
    )
    require_supervisor = models.BooleanField(_("supervisor seat required"), default=True)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    small_amount_limit = models.DecimalField(
        _("chair-alone approval limit (yuan)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Requests below this amount may be approved by the chair alone."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("community fund")
        verbose_name_plural = _("community funds")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum_denominator__gt=0)
                & models.Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="fund_quorum_fraction_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(agreement_start__isnull=True)
                | models.Q(agreement_end__isnull=True)
                | models.Q(agreement_end__gte=models.F("agreement_start")),
                name="fund_agreement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def receipt_series(self) -> str:
        return self.receipt_series_prefix or self.host.receipt_prefix
