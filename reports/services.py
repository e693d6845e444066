"""Every write to reports. Each function is one transaction unless it says otherwise.

Promises:
- one Report per (kind, scope, period, version), whoever asks and however often;
- a report is "done" only when all its files are whole on disk and the row points to them;
- a published report never changes; a correction is a new version with a correction note.
"""

import datetime
import logging
import uuid
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.bulk import log_created
from core.locks import lock
from funds.models import Fund, HostCharity
from operations import outbox
from projects.models import Project
from stations.models import StaffMembership, Station
from stations.scoping import roles_at, scope_queryset, visible_stations

from . import files
from .models import Report
from .periods import Period, previous_complete
from .registry import KindContext, Scope, all_kinds, get_kind
from .renderers.csv import render_csv
from .renderers.pdf import render_pdf
from .renderers.xlsx import render_xlsx
from .run_lock import report_run_lock
from .selectors import host_station, host_stations

logger = logging.getLogger(__name__)

RENDERERS = (("pdf", render_pdf), ("xlsx", render_xlsx), ("csv", render_csv))
MAX_PERIOD_DAYS = 366 * 3


# --- asking for reports -----------------------------------------------------------------------


def _enqueue(report: Report) -> None:
    outbox.enqueue("reports.generate_report", report.pk)


def _check_kind_and_scope(
    *,
    kind: str,
    station: Station | None,
    fund: Fund | None,
    project: Project | None = None,
    host: HostCharity | None = None,
):
    try:
        spec = get_kind(kind)
    except LookupError:
        raise ValidationError({"kind": _("Unknown report kind.")}) from None
    subjects = {Scope.FUND: fund, Scope.PROJECT: project, Scope.HOST: host}
    missing = {
        Scope.FUND: ("fund", _("This kind of report is about a fund: choose one.")),
        Scope.PROJECT: ("project", _("This kind of report is about a project: choose one.")),
        Scope.HOST: ("host", _("This kind of report is about a host charity: choose one.")),
    }
    if spec.scope == Scope.STATION and station is None:
        raise ValidationError({"station": _("This kind of report is about a station: choose one.")})
    if spec.scope in missing and subjects[spec.scope] is None:
        field, message = missing[spec.scope]
        raise ValidationError({field: message})
    for scope, subject in subjects.items():
        if subject is not None and scope != spec.scope:
            field = missing[scope][0]
            raise ValidationError(
                {field: _("This kind of report is not about a %(subject)s.") % {
                    "subject": _SUBJECT_NAMES[scope]()}}
            )  # fmt: skip
    return spec


_SUBJECT_NAMES = {
    Scope.FUND: lambda: _("fund"),
    Scope.PROJECT: lambda: _("project"),
    Scope.HOST: lambda: _("host charity"),
}


def _scope_station(*, by, station, fund, project, host) -> Station:
    """The station the report belongs to, once ``by`` is known to see the subject."""
    if fund is not None:
        if not scope_queryset(Fund.objects.filter(pk=fund.pk), by).exists():
            raise ValidationError({"fund": _("This fund is not in your stations.")})
        return fund.station
    if project is not None:
        if not scope_queryset(Project.objects.filter(pk=project.pk), by).exists():
            raise ValidationError({"project": _("This project is not in your stations.")})
        return project.station
    if host is not None:
        host_at = host_station(host)
        if host_at is None:
            raise ValidationError(
                {"host": _("This host's funds have no station in common: ask an administrator.")}
            )
        if not visible_stations(by).filter(pk=host_at.pk).exists():
            raise ValidationError(
                {"host": _("Only staff who see all of this host's funds may ask for its report.")}
            )
        return host_at
    if not visible_stations(by).filter(pk=station.pk).exists():
        raise ValidationError({"station": _("This station is not in your stations.")})
    return station


def _check_period(period_start: datetime.date, period_end: datetime.date) -> None:
    if period_start is None or period_end is None:
        raise ValidationError({"period_end": _("Enter the first and the last day of the period.")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end on or after its first day.")})
    if (period_end - period_start).days > MAX_PERIOD_DAYS:
        raise ValidationError({"period_end": _("A report covers at most three years.")})
    if period_start > timezone.localdate():
        raise ValidationError({"period_start": _("The period has not started yet.")})


@transaction.atomic
def request_report(
    *,
    kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    by,
    station: Station | None = None,
    fund: Fund | None = None,
    project: Project | None = None,
    host: HostCharity | None = None,
) -> Report:
    """Queue an ad-hoc report for a scope ``by`` may see, and return it.

    The same request again returns the same row: still queued or running, it is left alone;
    done or failed and not published, it is produced afresh with today's figures; published,
    it is returned unchanged (a change to it is a correction, ``correct_report``).
    """
    spec = _check_kind_and_scope(kind=kind, station=station, fund=fund, project=project, host=host)
    _check_period(period_start, period_end)
    station = _scope_station(by=by, station=station, fund=fund, project=project, host=host)
    scope_key = Report.scope_key_for(
        station_id=station.pk,
        fund_id=fund.pk if fund else None,
        project_id=project.pk if project else None,
        host_id=host.pk if host else None,
    )
    latest = (
        lock(Report.objects)
        .filter(
            kind=spec.key, scope_key=scope_key, period_start=period_start, period_end=period_end
        )
        .order_by("-version")
        .first()
    )
    if latest is None:
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    kind=spec.key,
                    station=station,
                    fund=fund,
                    project=project,
                    host=host,
                    period_start=period_start,
                    period_end=period_end,
                    requested_by=by,
                )
        except IntegrityError:
            # Asked twice at the same moment: the other request created it.
            return Report.objects.get(
                kind=spec.key,
                scope_key=scope_key,
                period_start=period_start,
                period_end=period_end,
                version=1,
            )
        _enqueue(report)
        return report
    if latest.is_published or latest.status in (Report.Status.QUEUED, Report.Status.RUNNING):
        return latest
    _reset_for_new_run(latest, requested_by=by)
    return latest


def _reset_for_new_run(report: Report, *, requested_by=None) -> None:
    report.status = Report.Status.QUEUED
    report.progress = 0
    report.progress_step = ""
    report.error = ""
    report.attempts = 0
    report.started_at = report.finished_at = None
    report.pdf_path = report.xlsx_path = report.csv_path = ""
    if requested_by is not None:
        report.requested_by = requested_by
    report.save()
    code = report.code
    transaction.on_commit(lambda: files.remove_runs_except(code, keep=None))
    _enqueue(report)


def scopes_for(kind: str, period: Period) -> list[dict]:
    """Every scope the schedule produces ``kind`` for in ``period``: active stations, active
    funds, hosts of active funds (at the station above all their funds), or the projects the
    kind names (``scheduled_subjects``). Each scope: the fields of a Report."""
    spec = get_kind(kind)
    if spec.scope == Scope.FUND:
        funds = Fund.objects.filter(status=Fund.Status.ACTIVE).select_related("station")
        return [{"station": fund.station, "fund": fund} for fund in funds]
    if spec.scope == Scope.HOST:
        hosts = list(
            HostCharity.objects.filter(funds__status=Fund.Status.ACTIVE).distinct().order_by("pk")
        )
        stations = host_stations([host.pk for host in hosts])
        for host in hosts:
            if stations[host.pk] is None:
                logger.warning("host %s: its funds share no station; no %s report", host.pk, kind)
        return [{"station": stations[host.pk], "host": host} for host in hosts if stations[host.pk]]
    if spec.scope == Scope.PROJECT:
        subjects = spec.scheduled_subjects(period) if spec.scheduled_subjects else []
        return [{"station": project.station, "project": project} for project in subjects]
    return [{"station": station} for station in Station.objects.filter(is_active=True)]


def _scope_key(scope: dict) -> str:
    return Report.scope_key_for(
        station_id=scope["station"].pk,
        **{f"{name}_id": scope[name].pk for name in ("fund", "project", "host") if name in scope},
    )


@transaction.atomic
def schedule_reports(*, kind: str, today: datetime.date | None = None) -> list[Report]:
    """Create the reports of ``kind`` for the last complete period, for every scope, and queue
    the ones created now. Running it again for the same day creates and queues nothing."""
    spec = get_kind(kind)
    period = previous_complete(spec.period_unit, today or timezone.localdate())
    existing = set(
        Report.objects.filter(
            kind=kind, period_start=period.start, period_end=period.end, version=1
        ).values_list("scope_key", flat=True)
    )
    new = []
    for scope in scopes_for(kind, period):
        scope_key = _scope_key(scope)
        if scope_key not in existing:
            new.append(
                Report(
                    kind=kind,
                    **scope,
                    scope_key=scope_key,
                    period_start=period.start,
                    period_end=period.end,
                    scheduled=True,
                )
            )
    # A beat running at the same moment may have inserted some: the constraint keeps one.
    Report.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    created = list(
        Report.objects.filter(
            kind=kind,
            period_start=period.start,
            period_end=period.end,
            version=1,
            scope_key__in=[report.scope_key for report in new],
            status=Report.Status.QUEUED,
        )
    )
    # Inserted without signals: each report's history starts with its creation here.
    log_created(created)
    for report in created:
        _enqueue(report)
    return created


def scheduled_kinds(period_unit: str) -> list[str]:
    return [kind.key for kind in all_kinds() if kind.period_unit == period_unit]


# --- producing a report -----------------------------------------------------------------------


class ReportAlreadyFinished(Exception):
    """The job was delivered again for a report that is done or failed: nothing to do."""


class ReportBusy(Exception):
    """Another live worker is producing this report right now."""


def generate_report(*, report_id: int) -> Report:
    """Produce the report's figures and files, marking progress; not one transaction.

    Idempotent: a done or failed report is left as it is (``ReportAlreadyFinished``); a report
    another live worker is producing is left to it (``ReportBusy``); a "running" report whose
    worker died is restarted from the beginning. The report is done only when its PDF, XLSX and
    CSV are all whole on disk; any error removes this run's files and propagates.
    """
    with report_run_lock(report_id) as acquired:
        if not acquired:
            raise ReportBusy(report_id)
        report, run_id = _start_run(report_id)
        run_dir = files.run_directory(report.code, run_id)
        try:
            return _produce(report, run_dir)
        except BaseException:
            files.remove_run(run_dir)
            raise


@transaction.atomic
def _start_run(report_id: int) -> tuple[Report, str]:
    report = lock(Report.objects).get(pk=report_id)
    if report.status in (Report.Status.DONE, Report.Status.FAILED):
        raise ReportAlreadyFinished(report_id)
    restarting = report.status == Report.Status.RUNNING
    report.status = Report.Status.RUNNING
    report.attempts += 1
    report.progress = 0
    report.progress_step = _("Starting")
    report.started_at = report.heartbeat_at = timezone.now()
    report.save()
    code = report.code
    if restarting:
        logger.warning("report %s: restarting a run whose worker stopped", report_id)
    # Whatever an earlier, interrupted run left on disk is not pointed to by anything.
    transaction.on_commit(lambda: files.remove_runs_except(code, keep=None))
    return report, uuid.uuid4().hex


def record_progress(*, report: Report, percent: int, step: str) -> None:
    """Make progress visible at once (its own short write, outside any transaction)."""
    percent = max(0, min(99, int(percent)))
    Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING).update(
        progress=percent, progress_step=str(step)[:100], heartbeat_at=timezone.now()
    )


def _produce(report: Report, run_dir: str) -> Report:
    spec = get_kind(report.kind)

    def computation_progress(percent: int, step: str) -> None:
        record_progress(report=report, percent=5 + percent * 55 // 100, step=step)

    result = spec.build(
        KindContext(
            station=report.station,
            fund=report.fund,
            period=Period(report.period_start, report.period_end),
            progress=computation_progress,
            project=report.project,
            host=report.host,
        )
    )
    paths = {}
    steps = {"pdf": (62, _("Drawing the PDF")), "xlsx": (80, _("Writing the Excel file")),
             "csv": (90, _("Writing the CSV file"))}  # fmt: skip
    for fmt, render in RENDERERS:
        percent, step = steps[fmt]
        record_progress(report=report, percent=percent, step=step)
        relative = f"{run_dir}/{report.code}-v{report.version}.{fmt}"
        files.write_atomically(files.absolute(relative), partial(render, result))
        paths[fmt] = relative
    return _complete_run(report_id=report.pk, paths=paths, run_dir=run_dir)


@transaction.atomic
def _complete_run(*, report_id: int, paths: dict[str, str], run_dir: str) -> Report:
    report = lock(Report.objects).get(pk=report_id)
    if report.status != Report.Status.RUNNING:
        # Reset while this run was working (an ad-hoc re-request): this run's files are stale.
        transaction.on_commit(lambda: files.remove_run(run_dir))
        raise ReportAlreadyFinished(report_id)
    report.pdf_path, report.xlsx_path, report.csv_path = paths["pdf"], paths["xlsx"], paths["csv"]
    report.status = Report.Status.DONE
    report.progress = 100
    report.progress_step = _("Done")
    report.error = ""
    report.finished_at = timezone.now()
    report.save()
    code = report.code
    transaction.on_commit(lambda: files.remove_runs_except(code, keep=run_dir))
    if report.fund_id is not None:
        outbox.enqueue("reports.notify_report_ready", report_id)
    return report


@transaction.atomic
def requeue_after_error(*, report_id: int, error: str, retry_in: int) -> Report:
    """A temporary error: the report goes back to the queue, the error stays visible."""
    report = lock(Report.objects).get(pk=report_id)
    if report.status != Report.Status.RUNNING:
        return report
    report.status = Report.Status.QUEUED
    report.progress = 0
    report.progress_step = _("Waiting to try again in %(seconds)s seconds") % {"seconds": retry_in}
    report.error = _("Attempt %(attempt)s failed: %(error)s") % {
        "attempt": report.attempts,
        "error": error,
    }
    report.save()
    return report


@transaction.atomic
def fail_report(*, report_id: int, error: str) -> Report:
    """A permanent error, or the last retry failed: the report stays failed with its error."""
    report = lock(Report.objects).get(pk=report_id)
    if report.status == Report.Status.DONE:
        return report
    report.status = Report.Status.FAILED
    report.progress_step = _("Failed")
    report.error = error[:4000]
    report.finished_at = timezone.now()
    report.save()
    return report


# --- publishing -------------------------------------------------------------------------------


def _check_may_publish(*, report: Report, by) -> None:
    if by is None or by.is_superuser:
        return
    if StaffMembership.Role.DIRECTOR not in roles_at(by, report.station) or not by.has_perm(
        "reports.publish_report"
    ):
        raise PermissionDenied(_("Only the station's director may publish its reports."))


@transaction.atomic
def publish_report(*, report: Report, by) -> Report:
    """Put a done disclosure report on the public disclosure page. It never changes again."""
    report = lock(Report.objects).get(pk=report.pk)
    _check_may_publish(report=report, by=by)
    if report.is_published:
        return report
    if not report.kind_spec.disclosure:
        raise ValidationError(_("Only disclosure reports are published."))
    if report.status != Report.Status.DONE:
        raise ValidationError(_("Only a finished report can be published."))
    newer = Report.objects.filter(
        kind=report.kind,
        scope_key=report.scope_key,
        period_start=report.period_start,
        period_end=report.period_end,
        version__gt=report.version,
    )
    if newer.exists():
        raise ValidationError(_("A newer version of this report exists; publish that one."))
    report.published_at = timezone.now()
    report.published_by = by
    report.save()
    return report


@transaction.atomic
def correct_report(*, report: Report, by, note: str) -> Report:
    """Queue a corrected version of a published report; the note is published with it.

    The published version stays exactly as it was, still public, marked as corrected once the
    new version is published.
    """
    _check_may_publish(report=report, by=by)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what the correction changes.")})
    latest = (
        lock(Report.objects)
        .filter(
            kind=report.kind,
            scope_key=report.scope_key,
            period_start=report.period_start,
            period_end=report.period_end,
        )
        .order_by("-version")
        .first()
    )
    if not latest.is_published:
        raise ValidationError(
            _("Version %(version)s of this report is not published yet; publish or correct it.")
            % {"version": latest.version}
        )
    correction = Report.objects.create(
        kind=latest.kind,
        station=latest.station,
        fund=latest.fund,
        project=latest.project,
        host=latest.host,
        period_start=latest.period_start,
        period_end=latest.period_end,
        version=latest.version + 1,
        corrects=latest,
        correction_note=note,
        requested_by=by,
    )
    _enqueue(correction)
    return correction


def retry_delay(retries: int) -> int:
    """Seconds before retry number ``retries + 1``: doubling, capped."""
    return min(settings.REPORTS_RETRY_BACKOFF * 2**retries, settings.REPORTS_RETRY_BACKOFF_MAX)
