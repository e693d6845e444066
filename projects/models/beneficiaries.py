"""The people helped (sensitive data), who saw their data, and what they received."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.validators import validate_mainland_phone
from stations.models import Station
from stations.scoping import scoped_by

from .. import personal_data
from .projects import POSITIVE_AMOUNT, Project


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
