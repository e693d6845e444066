import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.validators import validate_mainland_phone
from stations.models import Station, new_public_code
from stations.scoping import scoped_by

from . import personal_data

POSITIVE_AMOUNT = MinValueValidator(Decimal("0.01"), _("Enter an amount greater than zero."))


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


@scoped_by("station")
class Beneficiary(models.Model):
    """A person helped (服务对象). Registered once per station tree; sensitive data.

    The resident ID number is stored only encrypted (``id_number_encrypted``), with a keyed
    hash for deduplication and a masked copy for lists. The phone is shown masked except to the
    roles in ``personal_data.PersonalDataAccess``.
    """

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class ConsentMethod(models.TextChoices):
        WRITTEN = "written", _("Signed consent form")
        ELECTRONIC = "electronic", _("Electronic signature")
        ORAL_RECORDED = "oral_recorded", _("Oral, recorded with a witness")

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="beneficiaries"
    )
    # The top station of the tree: the ID number is unique within it, not across trees.
    tree_root = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="+", editable=False
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    id_number_encrypted = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=64, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, validators=[validate_mainland_phone]
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    household_registration = models.CharField(
        _("household registration"), max_length=255, blank=True
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects"), related_name="beneficiaries", blank=True
    )
    consent_date = models.DateField(_("consent date"))
    consent_method = models.CharField(
        _("how consent was given"), max_length=16, choices=ConsentMethod.choices
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=100, blank=True)
    guardian_relationship = models.CharField(
        _("guardian's relationship"), max_length=32, blank=True
    )
    guardian_consent = models.BooleanField(_("guardian consented"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["station__path", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tree_root", "id_number_hash"], name="beneficiary_unique_per_tree"
            ),
            models.CheckConstraint(
                condition=~models.Q(consent_method=""), name="beneficiary_consent_recorded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_number_masked})"

    def set_id_number(self, id_number: str) -> None:
        id_number = personal_data.normalize_resident_id(id_number)
        self.id_number_encrypted = personal_data.encrypt(id_number)
        self.id_number_hash = personal_data.id_number_hash(id_number)
        self.id_number_masked = personal_data.mask_id_number(id_number)
        self.birth_date = personal_data.birth_date_from_id(id_number)
        self.gender = personal_data.gender_from_id(id_number)

    @property
    def id_number(self) -> str:
        """The full ID number; callers must check access and log (services.reveal_...)."""
        return personal_data.decrypt(self.id_number_encrypted)

    @property
    def phone_masked(self) -> str:
        return personal_data.mask_phone(self.phone)

    def age_on(self, day: datetime.date) -> int:
        return personal_data.age_on(self.birth_date, day)

    def enrolled_project_ids(self) -> list[int]:
        # Uses the prefetched list when the selector prefetched it (no query per row).
        return [project.pk for project in self.projects.all()]


@scoped_by("beneficiary__station")
class BeneficiaryCategory(models.Model):
    """One category a beneficiary falls into (低保, 特困 …); a person may have several."""

    class Category(models.TextChoices):
        MINIMUM_SUBSISTENCE = "minimum_subsistence", _("Minimum subsistence (dibao)")
        EXTREME_POVERTY = "extreme_poverty", _("Extreme poverty (tekun)")
        DISABLED = "disabled", _("Disabled")
        ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
        LEFT_BEHIND_CHILD = "left_behind_child", _("Left-behind child")
        SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
        UNEMPLOYED = "unemployed", _("Unemployed")
        OTHER = "other", _("Other difficulty")

    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("beneficiary"),
        on_delete=models.CASCADE,
        related_name="categories",
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)

    class Meta:
        verbose_name = _("beneficiary category")
        verbose_name_plural = _("beneficiary categories")
        ordering = ["beneficiary", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "category"], name="beneficiary_category_unique"
            )
        ]

    def __str__(self) -> str:
        return self.get_category_display()


@scoped_by("beneficiary__station")
class BeneficiaryViewLog(models.Model):
    """Who saw or exported a beneficiary's full ID number and phone, and when (PIPL)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed in the admin")
        API = "api", _("Viewed through the API")
        EXPORT = "export", _("Exported")

    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("beneficiary"),
        on_delete=models.CASCADE,
        related_name="view_logs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    viewed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("personal data access log")
        verbose_name_plural = _("personal data access logs")
        ordering = ["-viewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_action_display()} · {self.viewed_at:%Y-%m-%d %H:%M}"


@scoped_by("project__station")
class AssistanceRecord(models.Model):
    """What one beneficiary received from a project."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        GOODS = "goods", _("Goods")
        SERVICE = "service", _("Service")

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="assistance_records",
    )
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("beneficiary"),
        on_delete=models.PROTECT,
        related_name="assistance_records",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[POSITIVE_AMOUNT],
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assistance record")
        verbose_name_plural = _("assistance records")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="assistance_amount_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="cash") | models.Q(amount__isnull=False),
                name="assistance_cash_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.CASH and self.amount is None:
            raise ValidationError({"amount": _("Cash assistance needs an amount.")})
        if self.kind != self.Kind.CASH and not self.description:
            raise ValidationError(
                {"description": _("Describe the goods or the service that was given.")}
            )
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("Assistance cannot be recorded in the future.")})


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
