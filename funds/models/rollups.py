"""Roll-up tables of the ledger (kept by ``funds.rollups``) and their read cursors."""

from decimal import Decimal

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .campaigns import Campaign
from .funds import Fund, HostCharity
from .ledger import LedgerEntry


class LedgerMonth(models.Model):
    """The ledger summed per fund, month and the dimensions dashboards and reports group by.

    Kept by ``funds.rollups.update_ledger_rollup`` from the append-only ledger (never by
    hand); readers add the entries not rolled up yet (``funds.rollups``), so a figure is
    always the same as a sum over the raw entries.
    """

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="First day of the month, in TIME_ZONE.")
    kind = models.CharField(max_length=16, choices=LedgerEntry.Kind.choices)
    # For an entry that reverses another (a reversal or a refund): the reversed entry's kind.
    reversed_kind = models.CharField(max_length=16, blank=True)
    source_type = models.CharField(max_length=64, blank=True)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    credit = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))
    debit = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ledger month")
        verbose_name_plural = _("ledger months")
        constraints = [
            # NULL campaign / project counted as 0, so "no campaign" is one key everywhere.
            models.UniqueConstraint(
                models.F("fund"),
                models.F("month"),
                models.F("kind"),
                models.F("reversed_kind"),
                models.F("source_type"),
                Coalesce(models.F("campaign"), models.Value(0)),
                Coalesce(models.F("project"), models.Value(0)),
                name="ledger_month_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.month:%Y-%m} {self.kind}"


class HostLedgerMonth(models.Model):
    """The ledger of all of a host's funds summed per month and kind: the host's spending
    ratios read a year of it (a host may hold thousands of funds). Kept with ``LedgerMonth``."""

    host = models.ForeignKey(HostCharity, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="First day of the month, in TIME_ZONE.")
    kind = models.CharField(max_length=16, choices=LedgerEntry.Kind.choices)
    reversed_kind = models.CharField(max_length=16, blank=True)
    credit = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))
    debit = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("host ledger month")
        verbose_name_plural = _("host ledger months")
        constraints = [
            models.UniqueConstraint(
                fields=["host", "month", "kind", "reversed_kind"], name="host_ledger_month_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.host_id} {self.month:%Y-%m} {self.kind}"


class RollupCursor(models.Model):
    """How far a roll-up has read an append-only table (by id), see ``funds.rollups``."""

    name = models.CharField(max_length=64, primary_key=True)
    position = models.BigIntegerField(default=0)
    # A further position seen while other transactions were still writing, with those
    # transactions ([pid, xid] pairs): it becomes safe once they have all ended.
    pending_position = models.BigIntegerField(null=True, blank=True)
    pending_writers = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("roll-up cursor")
        verbose_name_plural = _("roll-up cursors")

    def __str__(self) -> str:
        return f"{self.name} @ {self.position}"
