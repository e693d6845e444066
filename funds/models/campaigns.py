"""Fundraising campaigns and how each gift to one is shared out."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stations.models import new_public_code
from stations.scoping import scoped_by

from ..money import MONEY
from .funds import Fund, HostCharity


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
