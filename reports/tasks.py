"""Report jobs. They run on the ``reports`` queue (settings.CELERY_TASK_ROUTES) so a long
report never delays receipts and notifications.

``generate_report_task`` acknowledges its message only when it has finished (``acks_late``),
and a worker that dies mid-report gives the message back (``reject_on_worker_lost``); the
broker's visibility timeout is longer than the task's time limit, so a live run is never
handed to a second worker. Running a job twice is harmless: see ``services.generate_report``.
"""

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from core.tasks import task

from . import services
from .models import Report

logger = logging.getLogger(__name__)


class TemporaryReportError(Exception):
    """Raise from a report kind for a failure worth trying again (a busy source, say)."""


# Errors worth another try: the database or the disk briefly unavailable.
TEMPORARY_ERRORS = (OperationalError, InterfaceError, TemporaryReportError, ConnectionError)


@task(
    "reports.generate_report",
    formerly=("reports.tasks.generate_report_task",),
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=settings.REPORTS_MAX_RETRIES,
    time_limit=settings.REPORTS_TASK_TIME_LIMIT,
    soft_time_limit=settings.REPORTS_TASK_TIME_LIMIT - 30,
)
def generate_report_task(self, report_id: int) -> str:
    """Produce one report. Returns what happened: done, already finished, busy, retrying, failed."""
    try:
        services.generate_report(report_id=report_id)
    except Report.DoesNotExist:
        logger.warning("report %s no longer exists", report_id)
        return "missing"
    except services.ReportAlreadyFinished:
        return "already finished"
    except services.ReportBusy:
        # Another live worker has it; if that worker dies, its own message comes back.
        return "busy"
    except TEMPORARY_ERRORS as error:
        if self.request.retries >= self.max_retries:
            services.fail_report(report_id=report_id, error=_describe(error))
            return "failed"
        delay = services.retry_delay(self.request.retries)
        services.requeue_after_error(report_id=report_id, error=_describe(error), retry_in=delay)
        raise self.retry(exc=error, countdown=delay) from error
    except SoftTimeLimitExceeded:
        services.fail_report(
            report_id=report_id,
            error=_("The report took longer than %(seconds)s seconds.")
            % {"seconds": settings.REPORTS_TASK_TIME_LIMIT},
        )
        return "failed"
    except Exception as error:
        logger.exception("report %s failed", report_id)
        services.fail_report(report_id=report_id, error=_describe(error))
        return "failed"
    return "done"


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


@task("reports.schedule_reports", formerly=("reports.tasks.schedule_reports_task",))
def schedule_reports_task(period_unit: str) -> int:
    """Beat: create and queue this period's reports of every kind produced per ``period_unit``."""
    return sum(
        len(services.schedule_reports(kind=kind)) for kind in services.scheduled_kinds(period_unit)
    )


@task("reports.notify_report_ready", formerly=("reports.tasks.notify_report_ready_task",))
def notify_report_ready_task(report_id: int) -> int:
    from .notifications import send_report_ready

    return send_report_ready(report_id=report_id)


@task(
    "reports.send_disclosure_reminders",
    formerly=("reports.tasks.send_disclosure_reminders_task",),
)
def send_disclosure_reminders_task() -> int:
    from .notifications import send_disclosure_reminders

    return send_disclosure_reminders()


@task(
    "reports.update_rollups",
    formerly=("reports.tasks.update_rollups_task",),
    time_limit=settings.REPORTS_TASK_TIME_LIMIT,
)
def update_rollups_task() -> dict:
    """Fold new ledger entries, donations and service records into the monthly roll-ups.

    Resumable and safe to run twice at once: each roll-up's cursor is taken with an advisory
    lock, and each batch moves the cursor in the transaction that adds its sums.
    """
    from .rollups import update_all

    return update_all()
