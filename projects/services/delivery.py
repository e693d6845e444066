"""Work under way: progress updates, activities and assistance to beneficiaries."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from core.locks import lock

from .. import personal_data
from ..models import (
    AssistanceRecord,
    Beneficiary,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ServiceActivity,
)
from ..rules import RUNNING_STATUSES
from .checks import Status, _check_scope, _lock, _positive_amount

# --- progress updates, activities, assistance --------------------------------------------------


@transaction.atomic
def publish_progress_update(
    *,
    project: Project,
    by,
    title: str,
    body: str,
    photos: Sequence[tuple[File, str]] = (),
) -> ProgressUpdate:
    """Publish a progress update (text and photos with captions) on the project's public page;
    clears the project's overdue mark."""
    _check_scope(by=by, station=project.station)
    project = _lock(project)
    if project.status not in (*RUNNING_STATUSES, Status.CLOSED, Status.EVALUATED):
        raise ValidationError(
            _("Progress updates are published once the project is approved for fundraising.")
        )
    author = by or project.lead
    if author is None:
        raise ValidationError(_("The project needs a lead before it publishes updates."))
    update = ProgressUpdate(project=project, title=title, body=body, author=author)
    update.full_clean()
    update.save()
    for image, caption in photos:
        photo = ProgressPhoto(update=update, image=image, caption=caption)
        photo.full_clean()
        photo.save()
    project.last_public_update_at = update.published_at
    project.disclosure_overdue_since = None
    project.save(update_fields=["last_public_update_at", "disclosure_overdue_since", "updated_at"])
    return update


@transaction.atomic
def record_activity(
    *,
    project: Project,
    by,
    date: datetime.date,
    place: str,
    description: str,
    participants: int = 0,
    status: str = ServiceActivity.Status.PLANNED,
) -> ServiceActivity:
    _check_scope(by=by, station=project.station)
    if project.status in (Status.CLOSED, Status.EVALUATED):
        raise ValidationError(_("A closed project takes no new activities."))
    activity = ServiceActivity(
        project=project,
        date=date,
        place=place,
        description=description,
        participants=participants,
        status=status,
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def finish_activity(
    *, activity: ServiceActivity, by, participants: int | None = None, cancelled: bool = False
) -> ServiceActivity:
    """Mark a planned activity done (with how many took part) or cancelled."""
    _check_scope(by=by, station=activity.project.station)
    activity = lock(ServiceActivity.objects).get(pk=activity.pk)
    if activity.status != ServiceActivity.Status.PLANNED:
        return activity
    activity.status = ServiceActivity.Status.CANCELLED if cancelled else ServiceActivity.Status.DONE
    if participants is not None:
        activity.participants = participants
    activity.full_clean()
    activity.save(update_fields=["status", "participants"])
    return activity


@transaction.atomic
def record_assistance(
    *,
    project: Project,
    beneficiary: Beneficiary,
    by,
    date: datetime.date,
    kind: str,
    amount=None,
    description: str = "",
    staff=None,
) -> AssistanceRecord:
    """Record what a beneficiary received from a running project; enrolls them in it."""
    _check_scope(by=by, station=project.station)
    _check_scope(by=by, station=beneficiary.station)
    if project.status not in RUNNING_STATUSES:
        raise ValidationError(
            _("Assistance is recorded while a project is fundraising or active; it is “%(s)s”.")
            % {"s": project.get_status_display()}
        )
    if beneficiary.tree_root_id != personal_data.tree_root_of(project.station):
        raise ValidationError(
            {"beneficiary": _("This beneficiary is registered in another station network.")}
        )
    record = AssistanceRecord(
        project=project,
        beneficiary=beneficiary,
        date=date,
        kind=kind,
        amount=None if amount in (None, "") else _positive_amount(amount, field="amount"),
        description=description,
        staff=staff or by or project.lead,
    )
    record.full_clean()
    record.save()
    beneficiary.projects.add(project)
    return record
