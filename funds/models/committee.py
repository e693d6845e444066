"""The management committee of a fund and its members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stations.scoping import scoped_by

from .funds import Fund


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
