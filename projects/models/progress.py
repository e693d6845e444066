"""Running a project and reporting on it: activities, public progress updates, evaluation."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.scoping import scoped_by

from .projects import OutcomeIndicator, Project


@scoped_by("project__station")
class ServiceActivity(models.Model):
    """An activity of a project: date, place, what was done, how many took part."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="activities"
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("what was done"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service activity")
        verbose_name_plural = _("service activities")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place}"


@scoped_by("project__station")
class ProgressUpdate(models.Model):
    """A public progress report of a project (信息公开). Never names a beneficiary."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="updates"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


@scoped_by("update__project__station")
class ProgressPhoto(models.Model):
    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("progress update"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(_("photo"), upload_to="projects/updates/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["update", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


@scoped_by("project__station")
class Evaluation(models.Model):
    """The lead's evaluation at the end of a project. ``beneficiaries_served`` is counted from
    the assistance records by the service, never typed."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="evaluation"
    )
    narrative = models.TextField(_("narrative"))
    beneficiaries_served = models.PositiveIntegerField(_("beneficiaries served"), editable=False)
    satisfaction_percent = models.DecimalField(
        _("satisfaction (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    satisfaction_respondents = models.PositiveIntegerField(
        _("satisfaction survey respondents"), null=True, blank=True
    )
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction_percent__isnull=True)
                | models.Q(satisfaction_percent__gte=0, satisfaction_percent__lte=100),
                name="evaluation_satisfaction_percent",
            )
        ]

    def __str__(self) -> str:
        return str(self.project)


@scoped_by("evaluation__project__station")
class IndicatorResult(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="results"
    )
    indicator = models.ForeignKey(
        OutcomeIndicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    achieved_value = models.DecimalField(
        _("achieved value"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        ordering = ["evaluation", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "indicator"], name="indicator_result_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(achieved_value__gte=0), name="indicator_result_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.achieved_value}"

    @property
    def achieved_ratio(self) -> Decimal | None:
        planned = self.indicator.planned_value
        return (self.achieved_value / planned * 100).quantize(Decimal("1")) if planned else None
