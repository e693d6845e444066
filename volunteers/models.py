"""Volunteers, their shifts and their truthful, verified service hours.

One-row invariants live here (``clean()`` and named constraints); everything that changes a
status or involves several rows is in ``services.py``. Constraints that only PostgreSQL can
express (no overlapping records for one volunteer) are added by migration 0003.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.personal_data import EncryptedCharField, keyed_digest, mask_id_number, mask_phone
from core.validators import (
    normalize_phone,
    normalize_resident_id,
    resident_id_birth_date,
    validate_mainland_mobile,
    validate_mainland_phone,
    validate_resident_id,
)
from stations.models import Station, new_public_code
from stations.scoping import scoped_by


def new_check_code() -> str:
    """A random secret printed on a certificate or a shift's QR code; not guessable."""
    return secrets.token_urlsafe(9)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years of age on ``day``."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class Skill(models.TextChoices):
    ELDERLY_CARE = "elderly_care", _("Caring for older people")
    CHILDREN = "children", _("Tutoring and caring for children")
    MEDICAL = "medical", _("Medical care and first aid")
    PSYCHOLOGY = "psychology", _("Listening and emotional support")
    LEGAL = "legal", _("Legal advice")
    EVENTS = "events", _("Organising activities")
    ARTS = "arts", _("Arts and performance")
    PHOTOGRAPHY = "photography", _("Photography and publicity")
    IT = "it", _("Computers and phones")
    DRIVING = "driving", _("Driving")
    LANGUAGES = "languages", _("Foreign languages or sign language")
    GENERAL = "general", _("General help")


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", _("Weekday daytime")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    WEEKEND = "weekend", _("Weekends")
    HOLIDAYS = "holidays", _("Public holidays")


@scoped_by("home_station")
class Volunteer(models.Model):
    """A resident registered under their real name at a home station."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.PROTECT,
        related_name="volunteer",
        null=True,
        blank=True,
        editable=False,
    )
    number = models.CharField(_("volunteer number"), max_length=20, unique=True, editable=False)
    real_name = models.CharField(_("real name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    mobile = models.CharField(
        _("mobile number"), max_length=20, validators=[validate_mainland_mobile]
    )
    email = models.EmailField(_("email"), blank=True)
    id_number = EncryptedCharField(
        _("resident ID number"), blank=True, default="", validators=[validate_resident_id]
    )
    id_number_masked = models.CharField(
        _("resident ID number"), max_length=18, blank=True, editable=False
    )
    id_number_digest = models.CharField(max_length=64, blank=True, editable=False)
    home_station = models.ForeignKey(
        Station,
        verbose_name=_("home station"),
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    availability_note = models.CharField(_("availability note"), max_length=200, blank=True)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=50)
    emergency_contact_phone = models.CharField(
        _("emergency contact phone"), max_length=20, validators=[validate_mainland_phone]
    )
    privacy_consent_at = models.DateTimeField(_("agreed to the privacy notice at"))
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    guardian_phone = models.CharField(
        _("guardian's phone"), max_length=20, blank=True, validators=[validate_mainland_phone]
    )
    guardian_consent_at = models.DateTimeField(
        _("guardian agreed to volunteering at"), null=True, blank=True
    )
    guardian_data_consent_at = models.DateTimeField(
        _("guardian agreed to processing the child's data at"), null=True, blank=True
    )
    insurance_policy_number = models.CharField(
        _("accident insurance policy number"), max_length=64, blank=True
    )
    insurance_valid_until = models.DateField(
        _("accident insurance valid until"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, editable=False
    )
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=200, blank=True, editable=False
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"],
                name="volunteer_unique_mobile",
                violation_error_message=_(
                    "This mobile number is already registered as a volunteer."
                ),
            ),
            models.UniqueConstraint(
                fields=["id_number_digest"],
                condition=~models.Q(id_number_digest=""),
                name="volunteer_unique_id_number",
                violation_error_message=_("This ID number is already registered as a volunteer."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="volunteer_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.real_name}（{self.number}）" if self.number else self.real_name

    def save(self, *args, **kwargs) -> None:
        self._sync_identifiers()
        super().save(*args, **kwargs)

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)

    def has_insurance_on(self, day: datetime.date) -> bool:
        return bool(
            self.insurance_policy_number
            and self.insurance_valid_until
            and self.insurance_valid_until >= day
        )

    def _sync_identifiers(self) -> None:
        self.mobile = normalize_phone(self.mobile).replace("-", "")
        self.id_number = normalize_resident_id(self.id_number)
        self.id_number_masked = mask_id_number(self.id_number)
        self.id_number_digest = (
            keyed_digest(self.id_number, purpose="volunteers.id_number") if self.id_number else ""
        )

    def clean(self) -> None:
        super().clean()
        self._sync_identifiers()
        errors: dict[str, str] = {}
        today = timezone.localdate()
        if self.birth_date:
            if self.birth_date > today:
                errors["birth_date"] = _("The birth date cannot be in the future.")
            elif self.age_on(today) > 120:
                errors["birth_date"] = _("Please check the birth date.")
            elif self.id_number and resident_id_birth_date(self.id_number) not in (
                None,
                self.birth_date,
            ):
                errors["id_number"] = _(
                    "The birth date in this ID number differs from the one given."
                )
        if self.birth_date and "birth_date" not in errors:
            age = self.age_on(today)
            if age < settings.VOLUNTEERS_GUARDIAN_CONSENT_AGE and not (
                self.guardian_name and self.guardian_phone and self.guardian_consent_at
            ):
                errors["guardian_consent_at"] = _(
                    "Volunteers under %(age)s need their guardian's name, phone number and consent."
                ) % {"age": settings.VOLUNTEERS_GUARDIAN_CONSENT_AGE}
            if (
                age < settings.VOLUNTEERS_GUARDIAN_DATA_CONSENT_AGE
                and not self.guardian_data_consent_at
            ):
                errors["guardian_data_consent_at"] = _(
                    "For children under %(age)s the guardian must also agree to the processing "
                    "of the child's personal information."
                ) % {"age": settings.VOLUNTEERS_GUARDIAN_DATA_CONSENT_AGE}
        if self.insurance_valid_until and not self.insurance_policy_number:
            errors["insurance_policy_number"] = _("Enter the insurance policy number too.")
        if errors:
            raise ValidationError(errors)


@scoped_by("station")
class Opportunity(models.Model):
    """Volunteer work a station offers, with one or more shifts."""

    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="volunteer_opportunities",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="volunteer_opportunities",
        null=True,
        blank=True,
    )
    code = models.SlugField(_("public code"), max_length=32, unique=True, default=new_public_code)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"))
    place = models.CharField(_("place"), max_length=200)
    skills_wanted = models.JSONField(_("skills wanted"), default=list, blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        default=0,
        help_text=_("Volunteers younger than this on the day of the shift cannot sign up."),
    )
    is_risky = models.BooleanField(
        _("risky"),
        default=False,
        help_text=_("Volunteers need accident insurance on record to sign up."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer opportunity")
        verbose_name_plural = _("volunteer opportunities")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__lte=100), name="opportunity_minimum_age_range"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteers:opportunity", kwargs={"code": self.code})

    def clean(self) -> None:
        super().clean()
        if self.project_id and self.station_id:
            project_station = self.project.station
            if not self.station.path.startswith(project_station.path):
                raise ValidationError(
                    {"project": _("Choose a project of this station or of a station above it.")}
                )


@scoped_by("opportunity__station")
class Shift(models.Model):
    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="shifts"
    )
    code = models.SlugField(_("public code"), max_length=32, unique=True, default=new_public_code)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))
    # Printed in the QR code volunteers scan at the place to check themselves in.
    check_in_code = models.CharField(max_length=16, default=new_check_code, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_start",
                violation_error_message=_("A shift must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gt=0),
                name="shift_capacity_positive",
                violation_error_message=_("A shift needs at least one place."),
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.opportunity} · {start:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A shift must end after it starts.")})


@scoped_by("shift__opportunity__station")
class Signup(models.Model):
    """A volunteer's place on a shift, or on its waiting list, in order of arrival."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="signups"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="signups"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    position = models.PositiveIntegerField(_("arrival order"))
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("moved off the waiting list at"), null=True, blank=True)
    promotion_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["shift", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=~models.Q(status="cancelled"),
                name="signup_once_per_shift",
                violation_error_message=_("You have already signed up for this shift."),
            ),
            models.UniqueConstraint(fields=["shift", "position"], name="signup_unique_position"),
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | (
                    models.Q(checked_in_at__isnull=False)
                    & models.Q(checked_out_at__gt=models.F("checked_in_at"))
                ),
                name="signup_check_out_after_check_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.shift}"


@scoped_by("station")
class ServiceRecord(models.Model):
    """Hours of service on site (travel excluded), verified by a coordinator to count."""

    class Source(models.TextChoices):
        SHIFT = "shift", _("Shift check-out")
        SELF_REPORTED = "self_reported", _("Reported by the volunteer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("station served"),
        on_delete=models.PROTECT,
        related_name="volunteer_service_records",
    )
    signup = models.OneToOneField(
        Signup,
        verbose_name=_("sign-up"),
        on_delete=models.PROTECT,
        related_name="service_record",
        null=True,
        blank=True,
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    description = models.CharField(_("service content"), max_length=200)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    reported_hours = models.DecimalField(
        _("hours before correction"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    review_note = models.CharField(
        _("reason for correction or rejection"), max_length=200, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["volunteer", "started_at"], name="service_record_vol_start")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__gt=models.F("started_at")),
                name="service_record_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=24),
                name="service_record_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(reported_hours__isnull=True) | ~models.Q(review_note=""),
                name="service_record_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="verified")
                | (models.Q(verified_at__isnull=False) & models.Q(verified_by__isnull=False)),
                name="service_record_verified_by_someone",
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.started_at)
        return f"{self.volunteer} · {start:%Y-%m-%d} · {self.hours}h"


@scoped_by("station")
class Certificate(models.Model):
    """A 志愿服务证明: a snapshot of verified hours over a period, verifiable by its QR code."""

    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("issuing station"),
        on_delete=models.PROTECT,
        related_name="volunteer_certificates",
    )
    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    check_code = models.CharField(_("check code"), max_length=16, default=new_check_code)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    total_hours = models.DecimalField(_("total verified hours"), max_digits=8, decimal_places=2)
    record_count = models.PositiveIntegerField(_("number of services"))
    service_content = models.TextField(_("service content"), blank=True)
    person_in_charge = models.CharField(_("person in charge"), max_length=50, blank=True)
    handler = models.CharField(_("handled by"), max_length=50, blank=True)
    contact = models.CharField(_("contact"), max_length=50, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("volunteer service certificate")
        verbose_name_plural = _("volunteer service certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="certificate_period_order",
            ),
            models.CheckConstraint(
                condition=models.Q(total_hours__gte=0), name="certificate_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_verification_url(self) -> str:
        return reverse(
            "volunteers:certificate-verify",
            kwargs={"number": self.number, "check_code": self.check_code},
        )
