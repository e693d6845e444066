"""Disbursement requests, the committee's votes on them and their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stations.models import new_public_code
from stations.scoping import scoped_by

from ..money import MONEY
from .committee import CommitteeMember
from .funds import Fund


# Scoped by the project's station: the staff of the project's community see its requests, and
# the staff of the fund's station see them too, since every project lies below the fund.
@scoped_by("project__station")
class DisbursementRequest(models.Model):
    """A request that a fund pay for a project, decided by the committee, paid by finance."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VOTING = "voting", _("Committee voting")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        HOST_REVIEWED = "host_reviewed", _("Reviewed by the host")
        PAID = "paid", _("Paid")
        RECONCILED = "reconciled", _("Reconciled")

    fund = models.ForeignKey(
        Fund,
        verbose_name=_("fund"),
        on_delete=models.PROTECT,
        related_name="disbursement_requests",
    )
    code = models.SlugField(_("public code"), max_length=32, unique=True, default=new_public_code)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="disbursement_requests",
    )
    budget_line = models.ForeignKey(
        "projects.BudgetLine",
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disbursement_requests",
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    purpose = models.TextField(_("purpose"))
    payee = models.CharField(_("payee"), max_length=200)
    is_administrative = models.BooleanField(
        _("administrative cost"),
        default=False,
        help_text=_(
            "Counts towards the host's administrative-cost ratio, not charitable spending."
        ),
    )
    quote_file = models.FileField(_("quote or invoice"), upload_to="funds/quotes/%Y/", blank=True)
    invoice_file = models.FileField(
        _("invoice after payment"), upload_to="funds/invoices/%Y/", blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by_chair_alone = models.BooleanField(
        _("approved by the chair alone"), default=False, editable=False
    )
    minutes = models.TextField(_("minutes"), blank=True, editable=False)
    supervisor_opinion = models.TextField(_("supervisor's opinion"), blank=True, editable=False)
    host_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host review by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    host_reviewed_at = models.DateTimeField(
        _("host reviewed at"), null=True, blank=True, editable=False
    )
    host_review_note = models.TextField(_("host review note"), blank=True, editable=False)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, editable=False)
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True, editable=False)
    vote_invitations_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("disbursement request")
        verbose_name_plural = _("disbursement requests")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("review_disbursementrequest", _("Can review disbursement requests for the host")),
            ("pay_disbursementrequest", _("Can pay approved disbursement requests")),
        ]
        indexes = [models.Index(fields=["fund", "status"], name="disbursement_fund_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="disbursement_amount_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["paid", "reconciled"])
                | models.Q(paid_at__isnull=False),
                name="disbursement_paid_has_paid_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} ¥{self.amount:,.2f}"

    @property
    def ledger_source(self) -> tuple[str, str]:
        """The ledger ``source_type`` and ``source_id`` of the debits that paid this request."""
        return "funds.disbursementrequest", str(self.pk)


@scoped_by("request__project__station")
class Vote(models.Model):
    """One committee member's vote on one request; never changed once cast."""

    class Choice(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        ABSTAIN = "abstain", _("Abstain")

    request = models.ForeignKey(
        DisbursementRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="votes",
    )
    member = models.ForeignKey(
        CommitteeMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["request", "cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "member"], name="vote_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member.name}: {self.get_choice_display()}"


@scoped_by("request__project__station")
class DisbursementEvent(models.Model):
    """The audit history of a request: every status change, who made it and when."""

    request = models.ForeignKey(
        DisbursementRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DisbursementRequest.Status.choices
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request history")
        verbose_name_plural = _("request history")
        ordering = ["request", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.status}"
