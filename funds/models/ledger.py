"""The append-only ledger of every fund and the attribution of debits to credits."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.scoping import scoped_by

from ..money import MONEY
from .campaigns import Campaign
from .funds import Fund


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
