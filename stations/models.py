import secrets
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.validators import (
    normalize_division_code,
    normalize_phone,
    validate_division_code,
    validate_mainland_phone,
)

_CODE_ALPHABET = string.ascii_lowercase + string.digits


def new_public_code() -> str:
    """A random code for public URLs: nobody can walk the stations by counting ids."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


class Station(models.Model):
    """A social work station at one level of the administrative tree.

    ``path`` is a materialised path of primary keys (``/1/7/42/``), kept by ``save()``, so a
    station's whole subtree is one indexed ``LIKE '/1/7/%'`` query at any depth.
    """

    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        STREET = "street", _("Street")
        TOWNSHIP = "township", _("Township")
        COMMUNITY = "community", _("Community")
        VILLAGE = "village", _("Village")

    # Which parent levels each level may sit under; an empty tuple means "top of the tree only".
    ALLOWED_PARENT_LEVELS = {
        Level.CITY: (),
        Level.DISTRICT: (Level.CITY,),
        Level.STREET: (Level.DISTRICT,),
        Level.TOWNSHIP: (Level.DISTRICT,),
        Level.COMMUNITY: (Level.STREET, Level.TOWNSHIP),
        Level.VILLAGE: (Level.STREET, Level.TOWNSHIP),
    }
    ROOT_LEVELS = (Level.CITY, Level.DISTRICT)

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent station"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    code = models.SlugField(
        _("public code"),
        max_length=32,
        unique=True,
        default=new_public_code,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9-]*$",
                _("Use lowercase letters, digits and hyphens only."),
            )
        ],
        help_text=_("Used in public addresses such as /stations/<code>/."),
    )
    division_code = models.CharField(
        _("administrative division code"),
        max_length=12,
        blank=True,
        validators=[validate_division_code],
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=32, blank=True, validators=[validate_mainland_phone]
    )
    offers_donation_point = models.BooleanField(_("donation point"), default=False)
    offers_volunteer_service = models.BooleanField(_("volunteer service"), default=False)
    offers_assistance = models.BooleanField(_("assistance"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    path = models.CharField(max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["path"]
        indexes = [
            models.Index(
                fields=["path"], name="station_path_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path is derived from the parent's path and the station's own key, so a new row
        # is written first to get its key; a move re-roots every descendant in one UPDATE.
        with transaction.atomic():
            old_path = self.path
            creating = self.pk is None
            if creating:
                super().save(*args, **kwargs)
            parent_path = self.parent.path if self.parent_id else "/"
            self.path = f"{parent_path}{self.pk}/"
            self.depth = self.path.count("/") - 2
            if creating:
                Station.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
                return
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "path", "depth"}
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                depth_shift = self.depth - (old_path.count("/") - 2)
                Station.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(
                        models.Value(self.path),
                        Substr("path", len(old_path) + 1),
                        output_field=models.CharField(),
                    ),
                    depth=models.F("depth") + depth_shift,
                )

    def get_absolute_url(self) -> str:
        return reverse("stations:detail", kwargs={"code": self.code})

    @property
    def services(self) -> list[str]:
        return [
            key
            for key, offered in (
                ("donation_point", self.offers_donation_point),
                ("volunteer_service", self.offers_volunteer_service),
                ("assistance", self.offers_assistance),
            )
            if offered
        ]

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def clean(self) -> None:
        super().clean()
        self.division_code = normalize_division_code(self.division_code)
        if self.contact_phone:
            self.contact_phone = normalize_phone(self.contact_phone)
        allowed = self.ALLOWED_PARENT_LEVELS.get(self.level, ())
        if self.parent_id is None:
            if self.level not in self.ROOT_LEVELS:
                raise ValidationError(
                    {
                        "parent": _("A %(level)s station must belong to a %(parents)s station.")
                        % {
                            "level": self.get_level_display(),
                            "parents": " / ".join(str(self.Level(p).label) for p in allowed),
                        }
                    }
                )
            return
        parent = self.parent
        if parent.level not in allowed:
            if allowed:
                message = _(
                    "A %(level)s station cannot sit under a %(parent_level)s station; "
                    "choose a %(parents)s station as its parent."
                ) % {
                    "level": self.get_level_display(),
                    "parent_level": parent.get_level_display(),
                    "parents": " / ".join(str(self.Level(p).label) for p in allowed),
                }
            else:
                message = _("A %(level)s station is the top of the tree and has no parent.") % {
                    "level": self.get_level_display()
                }
            raise ValidationError({"parent": message})
        if self.pk and (parent.pk == self.pk or parent.path.startswith(self.path)):
            raise ValidationError({"parent": _("A station cannot sit under itself.")})

    def subtree(self) -> models.QuerySet["Station"]:
        """This station and every station below it, in one query."""
        return Station.objects.filter(path__startswith=self.path)


class StaffMembership(models.Model):
    """A user working at a station in one role. Roles map to Django groups (see roles.py)."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("Station director")
        SOCIAL_WORKER = "social_worker", _("Social worker")
        FINANCE_OFFICER = "finance_officer", _("Finance officer")
        VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Volunteer coordinator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="station_memberships",
    )
    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        ordering = ["station__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "station", "role"], name="staff_membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.station} · {self.get_role_display()}"
