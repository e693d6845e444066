from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.models import Station, new_public_code
from stations.scoping import scoped_by
from stations.validators import validate_credit_code, validate_mainland_phone

MONEY = {"max_digits": 14, "decimal_places": 2}


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


@scoped_by("lead_fund__station")
class Campaign(models.Model):
    """A fundraising drive under the host's public fundraising filing (备案).

    A joint campaign (联合劝募) raises for several funds or projects; its ``shares`` say how
    each gift is split. A campaign for one fund has one share of 100%.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLIC = "public", _("Public")
        CLOSED = "closed", _("Closed")

    host = models.ForeignKey(
        HostCharity,
        verbose_name=_("host charity"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    lead_fund = models.ForeignKey(
        Fund,
        verbose_name=_("organising fund"),
        on_delete=models.PROTECT,
        related_name="led_campaigns",
    )
    code = models.SlugField(_("public code"), max_length=32, unique=True, default=new_public_code)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    goal = models.DecimalField(_("goal (yuan)"), **MONEY)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    filing_number = models.CharField(
        _("filing number"),
        max_length=64,
        blank=True,
        help_text=_("The host's public fundraising filing number (备案编号)."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(goal__gt=0), name="campaign_goal_positive"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_end_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="public") | ~models.Q(filing_number=""),
                name="campaign_public_needs_filing_number",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.status == self.Status.PUBLIC and not self.filing_number:
            raise ValidationError(
                {
                    "filing_number": _(
                        "A campaign needs the host's filing number before it goes public."
                    )
                }
            )


@scoped_by("campaign__lead_fund__station")
class CampaignShare(models.Model):
    """The part of each gift to a campaign that goes to one fund (optionally one project)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="shares"
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="campaign_shares"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaign_shares",
    )
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("campaign share")
        verbose_name_plural = _("campaign shares")
        ordering = ["campaign", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gt=0) & models.Q(percent__lte=100),
                name="campaign_share_percent_range",
            ),
            models.UniqueConstraint(
                fields=["campaign", "fund", "project"], name="campaign_share_unique_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.percent}%"


class AppendOnlyQuerySet(models.QuerySet):
    """Ledger rows are never changed or removed, by any ORM path."""

    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} is append-only: post a reversing entry instead.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} is append-only: post a reversing entry instead.")

    def bulk_update(self, *args, **kwargs):
        raise TypeError(f"{self.model.__name__} is append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(
                f"{type(self).__name__} is append-only: post a reversing entry instead."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} is append-only: post a reversing entry instead.")


@scoped_by("fund__station")
class LedgerEntry(AppendOnlyModel):
    """One movement of money on a fund. Positive is money in, negative money out.

    Append-only (also in Postgres, by trigger). A fund's balance is the sum of its entries; the
    restricted balance of a project is the sum of the entries restricted to it. Only
    ``funds.services`` posts entries.
    """

    class Kind(models.TextChoices):
        DONATION = "donation", _("Donation")
        REFUND = "refund", _("Refund")
        DISBURSEMENT = "disbursement", _("Disbursement")
        TRANSFER = "transfer", _("Transfer")
        ADJUSTMENT = "adjustment", _("Adjustment")
        REVERSAL = "reversal", _("Reversal")

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("restricted to project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    # What caused the entry (a donation, a disbursement request ...), as "app.model" and its
    # id; ``source_part`` tells apart the several entries one source may post.
    source_type = models.CharField(_("source type"), max_length=64, blank=True)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    source_part = models.PositiveSmallIntegerField(default=0)
    public_name = models.CharField(
        _("public name"),
        max_length=100,
        blank=True,
        help_text=_("How the other party appears in public: a donor's name or 爱心人士."),
    )
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["posted_at", "pk"]
        indexes = [models.Index(fields=["fund", "posted_at"], name="ledger_fund_posted_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_amount_not_zero"),
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind", "source_part"],
                condition=~models.Q(source_id=""),
                name="ledger_one_entry_per_source_part",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.amount:+}"

    @property
    def is_credit(self) -> bool:
        return self.amount > Decimal("0")


@scoped_by("debit__fund__station")
class Attribution(AppendOnlyModel):
    """How much of a debit (money out) was paid from a credit (money in), first in first out.

    It lets every donor trace their gift to the disbursements it funded.
    """

    debit = models.ForeignKey(
        LedgerEntry, on_delete=models.PROTECT, related_name="attributions_as_debit"
    )
    credit = models.ForeignKey(
        LedgerEntry, on_delete=models.PROTECT, related_name="attributions_as_credit"
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("attribution")
        verbose_name_plural = _("attributions")
        ordering = ["debit", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="attribution_positive"),
            models.UniqueConstraint(fields=["debit", "credit"], name="attribution_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.credit_id} → {self.debit_id}: {self.amount}"
