"""Projects, their budget lines and the outcomes they promise."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stations.models import Station, new_public_code
from stations.scoping import scoped_by

from .assessments import NeedCategory, NeedsAssessment

POSITIVE_AMOUNT = MinValueValidator(Decimal("0.01"), _("Enter an amount greater than zero."))


@scoped_by("station")
class Project(models.Model):
    """A charity project of a station: short-term hardship assistance or long-term development."""

    class Kind(models.TextChoices):
        ASSISTANCE = "assistance", _("Hardship assistance")
        DEVELOPMENT = "development", _("Community development")

    Category = NeedCategory

    class Status(models.TextChoices):
        DESIGN = "design", _("Design")
        REVIEW = "review", _("Review")
        FUNDRAISING = "fundraising", _("Fundraising")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")
        EVALUATED = "evaluated", _("Evaluated")

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="projects"
    )
    code = models.SlugField(_("public code"), max_length=32, unique=True, default=new_public_code)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DESIGN, editable=False
    )
    fundraising_goal = models.DecimalField(
        _("fundraising goal (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead social worker"),
        on_delete=models.PROTECT,
        related_name="led_projects",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Added after 0001 (other apps depend on 0001 as it is).
    objectives = models.TextField(
        _("objectives"), blank=True, help_text=_("One objective per line.")
    )
    target_group = models.CharField(_("target group"), max_length=255, blank=True)
    target_beneficiaries = models.PositiveIntegerField(
        _("target number of beneficiaries"), null=True, blank=True
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team"),
        related_name="project_teams",
        blank=True,
    )
    assessments = models.ManyToManyField(
        NeedsAssessment,
        verbose_name=_("needs assessments"),
        related_name="projects",
        blank=True,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField(
        _("status changed at"), null=True, blank=True, editable=False
    )
    last_public_update_at = models.DateTimeField(
        _("last public update"), null=True, blank=True, editable=False
    )
    disclosure_overdue_since = models.DateField(
        _("progress update overdue since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by the daily check; cleared when a progress update is published."),
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fundraising_goal__isnull=True)
                | models.Q(fundraising_goal__gt=0),
                name="project_goal_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"code": self.code})

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


PUBLIC_STATUSES = (
    Project.Status.FUNDRAISING,
    Project.Status.ACTIVE,
    Project.Status.CLOSED,
    Project.Status.EVALUATED,
)


@scoped_by("project__station")
class BudgetLine(models.Model):
    class Category(models.TextChoices):
        PERSONNEL = "personnel", _("Personnel")
        MATERIALS = "materials", _("Materials and goods")
        ACTIVITIES = "activities", _("Activities")
        SERVICES = "services", _("Purchased services")
        ADMINISTRATION = "administration", _("Administration")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, validators=[POSITIVE_AMOUNT]
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="budget_line_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ¥{self.amount}"


@scoped_by("project__station")
class OutcomeIndicator(models.Model):
    """What the project promises to change, with the value it plans to reach."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    planned_value = models.DecimalField(
        _("planned value"), max_digits=14, decimal_places=2, validators=[POSITIVE_AMOUNT]
    )

    class Meta:
        verbose_name = _("outcome indicator")
        verbose_name_plural = _("outcome indicators")
        ordering = ["project", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_value__gt=0), name="indicator_planned_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.planned_value.normalize():f}{self.unit}"
