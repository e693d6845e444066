from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stations.models import Station, new_public_code
from stations.scoping import scoped_by


@scoped_by("station")
class Project(models.Model):
    """A charity project of a station: short-term hardship assistance or long-term development."""

    class Kind(models.TextChoices):
        ASSISTANCE = "assistance", _("Hardship assistance")
        DEVELOPMENT = "development", _("Community development")

    class Category(models.TextChoices):
        ELDERLY_CARE = "elderly_care", _("Elderly care")
        CHILDREN = "children", _("Children")
        DISABILITY = "disability", _("Disability")
        POVERTY_RELIEF = "poverty_relief", _("Poverty relief")
        EMPLOYMENT = "employment", _("Employment")
        HEALTH = "health", _("Health")
        COMMUNITY_BUILDING = "community_building", _("Community building")
        OTHER = "other", _("Other")

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
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)

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
