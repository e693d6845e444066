"""Beneficiaries: registration, consent, duplicates and access to protected data."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.bulk import audited_bulk_create
from core.locks import lock
from core.validators import normalize_phone, validate_resident_id
from stations.models import Station

from .. import personal_data
from ..models import (
    Beneficiary,
    BeneficiaryCategory,
    BeneficiaryViewLog,
    Project,
)
from .checks import _check_scope

# --- beneficiaries -----------------------------------------------------------------------------


def _check_consent(beneficiary: Beneficiary) -> None:
    errors = {}
    today = timezone.localdate()
    if beneficiary.consent_date is None:
        errors["consent_date"] = _(
            "Record when the person consented to the processing of their data; "
            "without consent nothing is saved."
        )
    elif beneficiary.consent_date > today:
        errors["consent_date"] = _("The consent date cannot be in the future.")
    if not beneficiary.consent_method:
        errors["consent_method"] = _("Record how the consent was given.")
    day = beneficiary.consent_date or today
    if (
        beneficiary.birth_date
        and beneficiary.age_on(day) < settings.PROJECT_GUARDIAN_CONSENT_AGE
        and not (
            beneficiary.guardian_consent
            and beneficiary.guardian_name.strip()
            and beneficiary.guardian_relationship.strip()
        )
    ):
        errors["guardian_name"] = _(
            "This child is under %(age)s: record the guardian's name, relationship and consent."
        ) % {"age": settings.PROJECT_GUARDIAN_CONSENT_AGE}
    if errors:
        raise ValidationError(errors)


def _check_not_registered(beneficiary: Beneficiary) -> None:
    existing = (
        Beneficiary.objects.filter(
            tree_root_id=beneficiary.tree_root_id, id_number_hash=beneficiary.id_number_hash
        )
        .exclude(pk=beneficiary.pk)
        .select_related("station")
        .first()
    )
    if existing is not None:
        raise _duplicate_error(existing.station)


def _duplicate_error(station: Station) -> ValidationError:
    # Names the station inside the same network only: the hash is unique per tree, so a
    # registration in another network is never found, let alone named.
    return ValidationError(
        {
            "id_number": _(
                "A person with this ID number is already registered at %(station)s. Ask that "
                "station's social workers to add them to your project instead."
            )
            % {"station": station.name}
        },
        code="duplicate_beneficiary",
    )


def _apply_id_number(beneficiary: Beneficiary, id_number: str) -> None:
    id_number = personal_data.normalize_resident_id(id_number)
    try:
        validate_resident_id(id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    beneficiary.set_id_number(id_number)


def validate_beneficiary(
    *, beneficiary: Beneficiary, by, id_number: str | None = None
) -> Beneficiary:
    """Check a new or changed (unsaved) beneficiary without writing: scope, ID number (needed
    for a new one; validated, encrypted, deduplicated within the network), consent rules.
    Admin forms call it to show every refusal next to its field."""
    _check_scope(by=by, station=beneficiary.station)
    beneficiary.name = (beneficiary.name or "").strip()
    beneficiary.phone = normalize_phone(beneficiary.phone)
    root = personal_data.tree_root_of(beneficiary.station)
    if beneficiary.pk is None:
        beneficiary.tree_root_id = root
        beneficiary.registered_by = beneficiary.registered_by or by
        if beneficiary.consent_recorded_by_id is None and by is not None:
            beneficiary.consent_recorded_by = by
        if not id_number:
            raise ValidationError({"id_number": _("Enter the person's resident ID number.")})
    elif root != beneficiary.tree_root_id:
        raise ValidationError({"station": _("A beneficiary stays in their station network.")})
    if id_number:
        _apply_id_number(beneficiary, id_number)
    _check_consent(beneficiary)
    if beneficiary.consent_recorded_by_id is None:
        raise ValidationError({"consent_recorded_by": _("Record who took the consent.")})
    beneficiary.full_clean(exclude=["tree_root", "projects"], validate_constraints=False)
    _check_not_registered(beneficiary)
    return beneficiary


@transaction.atomic
def save_beneficiary(
    *,
    beneficiary: Beneficiary,
    by,
    id_number: str | None = None,
    categories: Iterable[str] | None = None,
) -> Beneficiary:
    """Validate (``validate_beneficiary``) and save a new or changed beneficiary and its
    categories. Two registrations of one person at once: the database constraint decides and
    the loser gets the same message as a sequential duplicate."""
    validate_beneficiary(beneficiary=beneficiary, by=by, id_number=id_number)
    try:
        with transaction.atomic():
            beneficiary.save()
    except IntegrityError:
        existing = Beneficiary.objects.select_related("station").get(
            tree_root_id=beneficiary.tree_root_id, id_number_hash=beneficiary.id_number_hash
        )
        raise _duplicate_error(existing.station) from None
    if categories is not None:
        categories = set(categories)
        invalid = categories - set(BeneficiaryCategory.Category.values)
        if invalid:
            raise ValidationError({"categories": _("Unknown category: %s") % ", ".join(invalid)})
        # One row at a time out, in bulk in, both with their audit history entries: which
        # categories a person falls into is sensitive personal data.
        have = set()
        for row in beneficiary.categories.all():
            if row.category in categories:
                have.add(row.category)
            else:
                row.delete()
        audited_bulk_create(
            BeneficiaryCategory,
            (
                BeneficiaryCategory(beneficiary=beneficiary, category=c)
                for c in sorted(categories - have)
            ),
        )
    return beneficiary


def register_beneficiary(
    *,
    by,
    station: Station,
    name: str,
    id_number: str,
    consent_date: datetime.date | None,
    consent_method: str,
    consent_recorded_by=None,
    phone: str = "",
    address: str = "",
    household_registration: str = "",
    categories: Iterable[str] = (),
    guardian_name: str = "",
    guardian_relationship: str = "",
    guardian_consent: bool = False,
    project: Project | None = None,
) -> Beneficiary:
    """Register a person once per station network, with their recorded consent.

    The ID number is validated (GB 11643), stored encrypted, and must not already be registered
    in the same network; gender and birth date come from it. Under 14 (configurable) a
    guardian's consent is required. Nothing is saved when anything is refused.
    """
    with transaction.atomic():
        beneficiary = save_beneficiary(
            # A missing consent_date is refused by save_beneficiary's checks, not by the type.
            beneficiary=Beneficiary(  # type: ignore[misc]
                station=station,
                name=name,
                phone=phone,
                address=address,
                household_registration=household_registration,
                consent_date=consent_date,
                consent_method=consent_method or "",
                consent_recorded_by=consent_recorded_by,
                guardian_name=guardian_name,
                guardian_relationship=guardian_relationship,
                guardian_consent=guardian_consent,
            ),
            by=by,
            id_number=id_number,
            categories=categories,
        )
        if project is not None:
            enroll_beneficiary(beneficiary=beneficiary, project=project, by=by)
    return beneficiary


_BENEFICIARY_FIELDS = {
    "name",
    "phone",
    "address",
    "household_registration",
    "station",
    "consent_date",
    "consent_method",
    "consent_recorded_by",
    "guardian_name",
    "guardian_relationship",
    "guardian_consent",
}


@transaction.atomic
def update_beneficiary(
    *,
    beneficiary: Beneficiary,
    by,
    id_number: str | None = None,
    categories: Iterable[str] | None = None,
    **changes,
) -> Beneficiary:
    """Change a beneficiary's data; a new ID number is validated and deduplicated again. The
    station may move only within the same network and the user's scope."""
    _check_scope(by=by, station=beneficiary.station)
    unknown = set(changes) - _BENEFICIARY_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    beneficiary = lock(Beneficiary.objects).get(pk=beneficiary.pk)
    for name, value in changes.items():
        setattr(beneficiary, name, value)
    return save_beneficiary(
        beneficiary=beneficiary, by=by, id_number=id_number, categories=categories
    )


@transaction.atomic
def enroll_beneficiary(*, beneficiary: Beneficiary, project: Project, by) -> None:
    _check_scope(by=by, station=project.station)
    if beneficiary.tree_root_id != personal_data.tree_root_of(project.station):
        raise ValidationError(
            {"project": _("This beneficiary is registered in another station network.")}
        )
    beneficiary.projects.add(project)


def log_personal_data_access(
    *, beneficiaries: Iterable[Beneficiary], by, action: str
) -> list[BeneficiaryViewLog]:
    """One log row per beneficiary whose full values ``by`` saw or exported."""
    now = timezone.now()
    return BeneficiaryViewLog.objects.bulk_create(
        BeneficiaryViewLog(beneficiary=b, user=by, action=action, viewed_at=now)
        for b in beneficiaries
    )


@transaction.atomic
def reveal_personal_data(
    *, beneficiary: Beneficiary, by, action: str = BeneficiaryViewLog.Action.VIEW
) -> dict[str, str]:
    """The full ID number and phone for a user whose role needs them, logged; refused for
    everyone else."""
    if not personal_data.access_for(by).may_see_full(beneficiary):
        raise PermissionDenied(
            _(
                "Full ID numbers and phones are shown only to the station's director and the "
                "social workers of the person's projects."
            )
        )
    log_personal_data_access(beneficiaries=[beneficiary], by=by, action=action)
    return {"id_number": beneficiary.id_number, "phone": beneficiary.phone}
