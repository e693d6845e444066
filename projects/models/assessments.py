"""Needs assessments, the needs they find, and the areas of need shared with projects."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.models import Station
from stations.scoping import scoped_by


class NeedCategory(models.TextChoices):
    """Areas of need: what an assessment finds and what a project addresses."""

    ELDERLY_CARE = "elderly_care", _("Elderly care")
    CHILDREN = "children", _("Children")
    DISABILITY = "disability", _("Disability")
    POVERTY_RELIEF = "poverty_relief", _("Poverty relief")
    EMPLOYMENT = "employment", _("Employment")
    HEALTH = "health", _("Health")
    COMMUNITY_BUILDING = "community_building", _("Community building")
    OTHER = "other", _("Other")


@scoped_by("station")
class NeedsAssessment(models.Model):
    """A social workers' study of what a community needs (需求评估)."""

    class Method(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        INTERVIEW = "interview", _("Interview")
        FOCUS_GROUP = "focus_group", _("Focus group")
        HOME_VISIT = "home_visit", _("Home visit")
        DATA_ANALYSIS = "data_analysis", _("Data analysis")

    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="needs_assessments",
    )
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    date = models.DateField(_("date"))
    respondents_count = models.PositiveIntegerField(_("number of respondents"), default=0)
    respondents = models.CharField(
        _("respondents"),
        max_length=255,
        blank=True,
        help_text=_("Who was asked, e.g. elderly residents living alone and their families."),
    )
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("An assessment cannot be dated in the future.")})


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


@scoped_by("assessment__station")
class AssessedNeed(models.Model):
    assessment = models.ForeignKey(
        NeedsAssessment,
        verbose_name=_("needs assessment"),
        on_delete=models.CASCADE,
        related_name="needs",
    )
    category = models.CharField(_("category"), max_length=32, choices=NeedCategory.choices)
    description = models.CharField(_("description"), max_length=255)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )

    class Meta:
        verbose_name = _("need found")
        verbose_name_plural = _("needs found")
        ordering = ["assessment", "pk"]

    def __str__(self) -> str:
        return self.description


@scoped_by("assessment__station")
class AssessmentAttachment(models.Model):
    assessment = models.ForeignKey(
        NeedsAssessment,
        verbose_name=_("needs assessment"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="projects/assessments/%Y/%m/")
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.description or self.file.name
