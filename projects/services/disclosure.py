"""The disclosure cadence: fundraising guards and the overdue flag."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from audit.bulk import audited_update
from core.locks import lock
from operations import outbox

from ..models import (
    Project,
)
from ..rules import RUNNING_STATUSES
from ..selectors import (
    days_without_update,
    is_disclosure_overdue,
    is_long_running,
)

# --- disclosure cadence ------------------------------------------------------------------------


def run_fundraising_guards(*, fund=None, campaign=None, project=None) -> None:
    """Run every check in ``settings.FUNDRAISING_GUARDS`` before new fundraising starts; each
    raises ValidationError to refuse. Imported by path at the call: the guards (e.g. the
    reports app's disclosure calendar) read the apps above this one."""
    for path in getattr(settings, "FUNDRAISING_GUARDS", ()):
        import_string(path)(fund=fund, campaign=campaign, project=project)


def _check_disclosure_allows_fundraising(
    project: Project, today: datetime.date | None = None
) -> None:
    run_fundraising_guards(project=project)
    today = today or timezone.localdate()
    if not is_long_running(project, today):
        return
    days = days_without_update(project, today)
    if days >= settings.PROJECT_FUNDRAISING_BLOCK_DAYS:
        raise ValidationError(
            _(
                "This project has published no progress update for %(days)s days (the limit is "
                "%(limit)s): publish one before it raises money again."
            )
            % {"days": days, "limit": settings.PROJECT_FUNDRAISING_BLOCK_DAYS},
            code="disclosure_overdue",
        )


def ensure_can_fundraise(*, project: Project) -> None:
    """For funds and donations: raise ``ValidationError`` unless the project may receive
    donations now: it is fundraising or active, and its disclosure is not long overdue."""
    if project.status not in RUNNING_STATUSES:
        raise ValidationError(
            _("The project “%(title)s” is not raising money now (status: %(status)s).")
            % {"title": project.title, "status": project.get_status_display()},
            code="not_fundraising",
        )
    _check_disclosure_allows_fundraising(project)


def flag_overdue_disclosures(*, today: datetime.date | None = None) -> list[Project]:
    """Mark long-running projects with no progress update for too long and tell each lead once
    (by email, queued through the outbox); clear the mark of projects no longer overdue. Idempotent: a second
    run the same day changes nothing and sends nothing."""
    today = today or timezone.localdate()
    long_running_since = today - datetime.timedelta(days=settings.PROJECT_LONG_RUNNING_DAYS)
    candidates = Project.objects.filter(
        status__in=RUNNING_STATUSES,
        start_date__lte=long_running_since,
        disclosure_overdue_since__isnull=True,
    ).values_list("pk", flat=True)
    flagged = []
    for pk in candidates:
        with transaction.atomic():
            project = lock(Project.objects, of=("self",)).select_related("lead").get(pk=pk)
            if project.disclosure_overdue_since or not is_disclosure_overdue(project, today):
                continue
            project.disclosure_overdue_since = today
            project.save(update_fields=["disclosure_overdue_since", "updated_at"])
            outbox.enqueue("projects.tell_lead_overdue", project.pk)
            flagged.append(project)
    stale = Project.objects.filter(disclosure_overdue_since__isnull=False)
    for project in stale:
        if not is_disclosure_overdue(project, today):
            audited_update(Project.objects.filter(pk=project.pk), disclosure_overdue_since=None)
    return flagged
