"""Every write of the volunteers app. Each function is one transaction, takes keyword arguments,
raises ``ValidationError`` with a message a resident or coordinator can act on, and schedules
notifications only after the transaction commits.
"""

import datetime
import logging
import secrets
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import lock
from core.people import display_name
from core.validators import normalize_phone
from operations import outbox
from stations.models import StaffMembership, Station

from .models import Certificate, Opportunity, ServiceRecord, Shift, Signup, Volunteer

logger = logging.getLogger(__name__)

MAX_RECORD_HOURS = Decimal(24)
# Volunteers and coordinators may check in a little before the shift starts.
CHECK_IN_EARLY = datetime.timedelta(hours=1)


# --- Registration and review ------------------------------------------------------------------


def _new_volunteer_number() -> str:
    """``V`` + year + 6 random digits; random so numbers do not reveal how many registered."""
    year = timezone.localdate().year
    while True:
        number = f"V{year}{secrets.randbelow(10**6):06d}"
        if not Volunteer.objects.filter(number=number).exists():
            return number


@transaction.atomic
def register_volunteer(
    *,
    real_name: str,
    gender: str,
    birth_date: datetime.date,
    mobile: str,
    home_station: Station,
    emergency_contact_name: str,
    emergency_contact_phone: str,
    privacy_consent: bool,
    id_number: str = "",
    email: str = "",
    skills: list[str] | None = None,
    availability: list[str] | None = None,
    availability_note: str = "",
    guardian_name: str = "",
    guardian_phone: str = "",
    guardian_consent: bool = False,
    guardian_data_consent: bool = False,
    insurance_policy_number: str = "",
    insurance_valid_until: datetime.date | None = None,
    password: str | None = None,
    by=None,
) -> Volunteer:
    """Register a volunteer under their real name, with a login whose username is the number.

    Residents (``by=None``) wait for a coordinator's review; a coordinator registering someone
    in person (``by`` set) approves them at once. Refuses, saving nothing, without the privacy
    consent, a minor without guardian consent, a mobile number already registered, or a
    password too weak.
    """
    if not privacy_consent:
        raise ValidationError(
            {"privacy_consent": _("Please read and agree to the privacy notice to register.")}
        )
    if not home_station.is_active:
        raise ValidationError({"home_station": _("This station is not taking volunteers.")})
    mobile = normalize_phone(mobile).replace("-", "")
    if Volunteer.objects.filter(mobile=mobile).exists():
        raise ValidationError(
            {"mobile": _("This mobile number is already registered as a volunteer.")}
        )
    now = timezone.now()
    volunteer = Volunteer(
        real_name=real_name.strip(),
        gender=gender,
        birth_date=birth_date,
        mobile=mobile,
        email=email,
        id_number=id_number,
        home_station=home_station,
        skills=list(skills or []),
        availability=list(availability or []),
        availability_note=availability_note,
        emergency_contact_name=emergency_contact_name,
        emergency_contact_phone=emergency_contact_phone,
        privacy_consent_at=now,
        guardian_name=guardian_name,
        guardian_phone=guardian_phone,
        guardian_consent_at=now if guardian_consent else None,
        guardian_data_consent_at=now if guardian_data_consent else None,
        insurance_policy_number=insurance_policy_number,
        insurance_valid_until=insurance_valid_until,
        number=_new_volunteer_number(),
    )
    if by is not None:
        volunteer.status = Volunteer.Status.ACTIVE
        volunteer.reviewed_by = by
        volunteer.reviewed_at = now
    volunteer.full_clean()

    user = get_user_model()(username=volunteer.number, first_name=volunteer.real_name)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    volunteer.user = user
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError as exc:  # two registrations of one number at the same moment
        raise ValidationError(
            {"mobile": _("This mobile number is already registered as a volunteer.")}
        ) from exc
    logger.info("volunteer %s registered at station %s", volunteer.number, home_station.pk)
    return volunteer


def _locked(volunteer: Volunteer) -> Volunteer:
    return lock(Volunteer.objects).get(pk=volunteer.pk)


@transaction.atomic
def approve_volunteer(*, volunteer: Volunteer, by) -> Volunteer:
    """Pending (or rejected) → active. Approving an active volunteer changes nothing."""
    volunteer = _locked(volunteer)
    if volunteer.status == Volunteer.Status.ACTIVE:
        return volunteer
    return _reviewed(volunteer, by=by, status=Volunteer.Status.ACTIVE, reason="")


@transaction.atomic
def reject_volunteer(*, volunteer: Volunteer, by, reason: str) -> Volunteer:
    """Pending → rejected, with the reason the resident will be told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the registration.")})
    volunteer = _locked(volunteer)
    if volunteer.status == Volunteer.Status.ACTIVE:
        raise ValidationError(
            _(
                "This volunteer is already active; a registration that was approved cannot be rejected."
            )
        )
    return _reviewed(volunteer, by=by, status=Volunteer.Status.REJECTED, reason=reason[:200])


def _reviewed(volunteer: Volunteer, *, by, status: str, reason: str) -> Volunteer:
    volunteer.status = status
    volunteer.rejection_reason = reason
    volunteer.reviewed_by = by
    volunteer.reviewed_at = timezone.now()
    volunteer.save(
        update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at", "updated_at"]
    )
    return volunteer


# --- Opportunities and shifts ------------------------------------------------------------------


@transaction.atomic
def create_opportunity(*, station: Station, by=None, **fields) -> Opportunity:
    opportunity = Opportunity(station=station, **fields)
    opportunity.full_clean()
    opportunity.save()
    return opportunity


@transaction.atomic
def add_shift(
    *, opportunity: Opportunity, starts_at: datetime.datetime, ends_at: datetime.datetime,
    capacity: int,
) -> Shift:  # fmt: skip
    """A shift of an opportunity; refuses one that ends before it starts or has no places."""
    shift = Shift(opportunity=opportunity, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
    shift.full_clean()
    shift.save()
    return shift


# --- Sign-up, cancellation, waiting list -------------------------------------------------------


def _check_may_sign_up(*, shift: Shift, volunteer: Volunteer, now: datetime.datetime) -> None:
    opportunity = shift.opportunity
    if volunteer.status != Volunteer.Status.ACTIVE:
        raise ValidationError(
            _("Your registration has not been approved yet; you can sign up once it is.")
        )
    if not opportunity.is_published:
        raise ValidationError(_("This opportunity is not open for sign-up."))
    if shift.starts_at <= now:
        raise ValidationError(_("This shift has already started or is over; choose a later one."))
    shift_day = timezone.localtime(shift.starts_at).date()
    age = volunteer.age_on(shift_day)
    if age < opportunity.minimum_age:
        raise ValidationError(
            _("This service is for volunteers aged %(age)s or older.")
            % {"age": opportunity.minimum_age}
        )
    if opportunity.is_risky and not volunteer.has_insurance_on(shift_day):
        raise ValidationError(
            _(
                "This service carries some risk: accident insurance valid on the day of the "
                "shift must be on record. Please give your policy to the coordinator first."
            )
        )


def sign_up(*, shift: Shift, volunteer: Volunteer, now: datetime.datetime | None = None) -> Signup:
    """A place on the shift if one is free, otherwise the next place on its waiting list.

    Sign-ups for one shift are serialised by locking the shift row, so places are never
    over-given and the waiting list keeps the order of arrival.
    """
    now = now or timezone.now()
    with transaction.atomic():
        shift = lock(Shift.objects).select_related("opportunity").get(pk=shift.pk)
        _check_may_sign_up(shift=shift, volunteer=volunteer, now=now)
        signups = Signup.objects.filter(shift=shift)
        if signups.filter(volunteer=volunteer).exclude(status=Signup.Status.CANCELLED).exists():
            raise ValidationError(_("You have already signed up for this shift."))
        confirmed = signups.filter(status=Signup.Status.CONFIRMED).count()
        last_position = signups.aggregate(last=Max("position"))["last"] or 0
        return Signup.objects.create(
            shift=shift,
            volunteer=volunteer,
            status=(
                Signup.Status.CONFIRMED if confirmed < shift.capacity else Signup.Status.WAITLISTED
            ),
            position=last_position + 1,
        )


@transaction.atomic
def cancel_signup(*, signup: Signup, now: datetime.datetime | None = None) -> Signup:
    """Cancel a sign-up before the shift starts; a freed place goes to the first in line,
    who is told after the transaction commits. Cancelling twice changes nothing."""

    now = now or timezone.now()
    shift = lock(Shift.objects).get(pk=signup.shift_id)
    signup = Signup.objects.get(pk=signup.pk)
    if signup.status == Signup.Status.CANCELLED:
        return signup
    if shift.starts_at <= now:
        raise ValidationError(
            _("The shift has started; please tell the coordinator instead of cancelling.")
        )
    was_confirmed = signup.status == Signup.Status.CONFIRMED
    signup.status = Signup.Status.CANCELLED
    signup.cancelled_at = now
    signup.save(update_fields=["status", "cancelled_at"])
    if was_confirmed:
        confirmed = Signup.objects.filter(shift=shift, status=Signup.Status.CONFIRMED).count()
        if confirmed < shift.capacity:
            first_waiting = (
                Signup.objects.filter(shift=shift, status=Signup.Status.WAITLISTED)
                .order_by("position")
                .first()
            )
            if first_waiting is not None:
                first_waiting.status = Signup.Status.CONFIRMED
                first_waiting.promoted_at = now
                first_waiting.save(update_fields=["status", "promoted_at"])
                outbox.enqueue("volunteers.notify_promotion", first_waiting.pk)
    return signup


# --- Check-in, check-out and service records ---------------------------------------------------


def _hours_between(start: datetime.datetime, end: datetime.datetime) -> Decimal:
    seconds = Decimal((end - start).total_seconds())
    return (seconds / 3600).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@transaction.atomic
def check_in(*, signup: Signup, by=None, at: datetime.datetime | None = None) -> Signup:
    """Mark a confirmed volunteer present. Checking in twice keeps the first time."""
    at = at or timezone.now()
    signup = lock(Signup.objects).select_related("shift").get(pk=signup.pk)
    if signup.checked_in_at:
        return signup
    if signup.status != Signup.Status.CONFIRMED:
        raise ValidationError(_("Only volunteers with a confirmed place can check in."))
    shift = signup.shift
    if at < shift.starts_at - CHECK_IN_EARLY:
        raise ValidationError(_("Check-in opens one hour before the shift starts."))
    if at > shift.ends_at:
        raise ValidationError(_("This shift is over; record the hours as a service record."))
    signup.checked_in_at = at
    signup.save(update_fields=["checked_in_at"])
    return signup


@transaction.atomic
def check_out(
    *, signup: Signup, by=None, at: datetime.datetime | None = None, description: str = ""
) -> ServiceRecord:
    """Mark a volunteer gone and record the hours on site, waiting for verification."""
    at = at or timezone.now()
    signup = (
        lock(Signup.objects).select_related("shift__opportunity", "volunteer").get(pk=signup.pk)
    )
    if signup.checked_in_at is None:
        raise ValidationError(_("This volunteer has not checked in yet; check in first."))
    if signup.checked_out_at is not None:
        return signup.service_record
    if at <= signup.checked_in_at:
        raise ValidationError(_("Check-out must be later than check-in."))
    opportunity = signup.shift.opportunity
    record = _create_record(
        volunteer=signup.volunteer,
        station=opportunity.station,
        source=ServiceRecord.Source.SHIFT,
        description=description or opportunity.title,
        started_at=signup.checked_in_at,
        ended_at=at,
        hours=_hours_between(signup.checked_in_at, at),
        signup=signup,
        by=by,
    )
    signup.checked_out_at = at
    signup.save(update_fields=["checked_out_at"])
    return record


@transaction.atomic
def report_hours(
    *,
    volunteer: Volunteer,
    station: Station,
    description: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    hours: Decimal,
    by=None,
) -> ServiceRecord:
    """A volunteer's own report of service not on a shift; it counts once verified."""
    if volunteer.status != Volunteer.Status.ACTIVE:
        raise ValidationError(_("Your registration has not been approved yet."))
    if ended_at > timezone.now():
        raise ValidationError({"ended_at": _("Hours can be reported after the service only.")})
    return _create_record(
        volunteer=volunteer,
        station=station,
        source=ServiceRecord.Source.SELF_REPORTED,
        description=description,
        started_at=started_at,
        ended_at=ended_at,
        hours=hours,
        by=by,
    )


def _check_hours(*, started_at, ended_at, hours: Decimal) -> None:
    if ended_at <= started_at:
        raise ValidationError({"ended_at": _("The end must be later than the start.")})
    if ended_at - started_at > datetime.timedelta(hours=24):
        raise ValidationError(
            {"ended_at": _("One service record covers at most 24 hours; split longer service.")}
        )
    if hours is None or hours <= 0:
        raise ValidationError({"hours": _("Enter the hours of service, more than 0.")})
    if hours > _hours_between(started_at, ended_at) + Decimal("0.01"):
        raise ValidationError(
            {
                "hours": _(
                    "The hours cannot be more than the time between start and end; travel "
                    "time does not count as service."
                )
            }
        )


def _check_no_overlap_and_day_total(
    *, volunteer: Volunteer, started_at, ended_at, hours: Decimal, exclude_pk=None
) -> None:
    records = ServiceRecord.objects.filter(volunteer=volunteer).exclude(
        status=ServiceRecord.Status.REJECTED
    )
    if exclude_pk:
        records = records.exclude(pk=exclude_pk)
    clash = records.filter(started_at__lt=ended_at, ended_at__gt=started_at).first()
    if clash is not None:
        clash_start = timezone.localtime(clash.started_at)
        clash_end = timezone.localtime(clash.ended_at)
        raise ValidationError(
            _(
                "This time overlaps another service record (%(start)s–%(end)s); one person "
                "cannot serve twice at the same time."
            )
            % {"start": f"{clash_start:%Y-%m-%d %H:%M}", "end": f"{clash_end:%H:%M}"}
        )
    day = timezone.localtime(started_at).date()
    day_start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    day_total = records.filter(
        started_at__gte=day_start, started_at__lt=day_start + datetime.timedelta(days=1)
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if day_total + hours > MAX_RECORD_HOURS:
        raise ValidationError({"hours": _("A day has at most 24 hours of service in total.")})


def _create_record(*, volunteer: Volunteer, station: Station, by=None, **fields) -> ServiceRecord:
    _check_hours(
        started_at=fields["started_at"], ended_at=fields["ended_at"], hours=fields["hours"]
    )
    # One volunteer's records are written one at a time, so two overlapping records cannot
    # both pass the check; on PostgreSQL an exclusion constraint backs this up.
    volunteer = _locked(volunteer)
    _check_no_overlap_and_day_total(
        volunteer=volunteer,
        started_at=fields["started_at"],
        ended_at=fields["ended_at"],
        hours=fields["hours"],
    )
    record = ServiceRecord(volunteer=volunteer, station=station, created_by=by, **fields)
    record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ValidationError(_("This time overlaps another service record.")) from exc
    return record


@transaction.atomic
def verify_record(
    *, record: ServiceRecord, by, hours: Decimal | None = None, reason: str = ""
) -> ServiceRecord:
    """Confirm a record so its hours count, optionally correcting the hours with a reason.

    The hours first reported are kept beside the corrected ones.
    """
    record = lock(ServiceRecord.objects).get(pk=record.pk)
    if record.status == ServiceRecord.Status.VERIFIED and hours in (None, record.hours):
        return record
    reason = (reason or "").strip()
    if hours is not None and hours != record.hours:
        if not reason:
            raise ValidationError({"reason": _("Give the reason for correcting the hours.")})
        _check_hours(started_at=record.started_at, ended_at=record.ended_at, hours=hours)
        _check_no_overlap_and_day_total(
            volunteer=record.volunteer,
            started_at=record.started_at,
            ended_at=record.ended_at,
            hours=hours,
            exclude_pk=record.pk,
        )
        if record.reported_hours is None:
            record.reported_hours = record.hours
        record.hours = hours
        record.review_note = reason[:200]
    record.status = ServiceRecord.Status.VERIFIED
    record.verified_by = by
    record.verified_at = timezone.now()
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def reject_record(*, record: ServiceRecord, by, reason: str) -> ServiceRecord:
    """A record that did not happen as reported; its hours never count."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the record.")})
    record = lock(ServiceRecord.objects).get(pk=record.pk)
    if record.status == ServiceRecord.Status.VERIFIED:
        raise ValidationError(_("A verified record cannot be rejected; correct its hours instead."))
    record.status = ServiceRecord.Status.REJECTED
    record.review_note = reason[:200]
    record.verified_by = by
    record.verified_at = timezone.now()
    record.save(update_fields=["status", "review_note", "verified_by", "verified_at"])
    return record


# --- Certificates --------------------------------------------------------------------------------


def _staff_name(station: Station, role: str) -> str:
    """The name of the nearest staff member with ``role`` at the station or above it."""
    ancestor_paths = [
        station.path[: index + 1] for index, char in enumerate(station.path) if char == "/"
    ][1:]
    membership = (
        StaffMembership.objects.filter(station__path__in=ancestor_paths, role=role)
        .select_related("user", "station")
        .order_by("-station__depth", "pk")
        .first()
    )
    if membership is None:
        return ""
    return display_name(membership.user)


def _new_certificate_number() -> str:
    today = timezone.localdate()
    while True:
        number = f"ZM{today:%Y%m%d}{secrets.randbelow(10**6):06d}"
        if not Certificate.objects.filter(number=number).exists():
            return number


@transaction.atomic
def issue_certificate(
    *, volunteer: Volunteer, period_start: datetime.date, period_end: datetime.date, by=None
) -> Certificate:
    """A free certificate of the volunteer's verified hours over the period.

    Only verified records count. Asking again for the same period with the same totals
    returns the certificate already issued instead of a new number.
    """
    from .selectors import service_summary

    if period_end < period_start:
        raise ValidationError({"period_end": _("The end of the period is before its start.")})
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": _("The period cannot end in the future.")})
    volunteer = _locked(volunteer)
    summary = service_summary(volunteer=volunteer, start=period_start, end=period_end)
    if summary.record_count == 0:
        raise ValidationError(
            _("There are no verified service hours in this period, so there is nothing to certify.")
        )
    existing = Certificate.objects.filter(
        volunteer=volunteer,
        period_start=period_start,
        period_end=period_end,
        total_hours=summary.total_hours,
        record_count=summary.record_count,
    ).first()
    if existing is not None:
        return existing
    station = volunteer.home_station
    handler = ""
    if by is not None and by.is_staff:
        handler = display_name(by)
    certificate = Certificate(
        volunteer=volunteer,
        station=station,
        number=_new_certificate_number(),
        period_start=period_start,
        period_end=period_end,
        total_hours=summary.total_hours,
        record_count=summary.record_count,
        service_content="\n".join(summary.content_lines),
        person_in_charge=_staff_name(station, StaffMembership.Role.DIRECTOR),
        handler=handler or _staff_name(station, StaffMembership.Role.VOLUNTEER_COORDINATOR),
        contact=station.contact_phone,
        issued_by=by,
    )
    certificate.full_clean()
    certificate.save()
    return certificate
