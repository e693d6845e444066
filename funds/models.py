from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import (
    normalize_credit_code,
    normalize_phone,
    validate_credit_code,
    validate_mainland_phone,
)
from stations.models import Station, new_public_code
from stations.scoping import scoped_by

from .money import MONEY


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


# --- Committee ------------------------------------------------------------------------------


@scoped_by("fund__station")
class Committee(models.Model):
    """The management committee (基金管理委员会) of one fund; it votes on disbursements."""

    fund = models.OneToOneField(
        Fund, verbose_name=_("fund"), on_delete=models.CASCADE, related_name="committee"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund committee")
        verbose_name_plural = _("fund committees")
        ordering = ["fund__name"]

    def __str__(self) -> str:
        return str(_("Committee of %(fund)s") % {"fund": self.fund})


@scoped_by("committee__fund__station")
class CommitteeMember(models.Model):
    """A seat on a committee, held by a user account or by a named person without one.

    Ties to projects or payees are declared here; a member tied to a request's project or
    payee is recused from voting on it automatically.
    """

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Secretary")
        SUPERVISOR = "supervisor", _("Supervisor")

    # The supervisor attends and records opinions but does not vote (DOMAIN.md).
    VOTING_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER, Role.SECRETARY)

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_seats",
    )
    name = models.CharField(
        _("name"), max_length=50, help_text=_("As shown on the public fund page.")
    )
    email = models.EmailField(
        _("email"),
        blank=True,
        help_text=_("Where vote requests are sent; defaults to the account's."),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    tied_projects = models.ManyToManyField(
        "projects.Project",
        verbose_name=_("declared ties to projects"),
        blank=True,
        related_name="+",
        help_text=_("The member is recused from requests for these projects."),
    )
    tied_payees = models.TextField(
        _("declared ties to payees"),
        blank=True,
        help_text=_("One payee name per line; the member is recused from requests paying them."),
    )

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user"],
                condition=models.Q(user__isnull=False),
                name="committee_member_one_seat_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="committee_member_term_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    @property
    def is_voting(self) -> bool:
        return self.role in self.VOTING_ROLES

    def serves_on(self, day) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)

    @property
    def payee_names(self) -> set[str]:
        return {normalize_payee(line) for line in self.tied_payees.splitlines() if line.strip()}

    @property
    def contact_email(self) -> str:
        return self.email or (self.user.email if self.user_id else "")


def normalize_payee(name: str) -> str:
    """Payee names compare without spaces and case: "华师 长者饭堂" is "华师长者饭堂"."""
    return "".join(name.split()).casefold()


# --- Disbursements --------------------------------------------------------------------------


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


# --- Roll-ups -------------------------------------------------------------------------------


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
