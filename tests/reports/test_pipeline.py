"""Producing a report: whole files or none, done only at the end, idempotent, retried."""

import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from reports import services
from reports.models import Report
from reports.periods import month
from reports.run_lock import LOCK_NAMESPACE
from reports.tasks import generate_report_task

from .conftest import make_report

MARCH = month(2026, 3)


def run(report: Report) -> str:
    return generate_report_task.apply(args=[report.pk]).get()


def files_of(report: Report) -> dict[str, Path]:
    root = Path(settings.REPORTS_FILES_DIR)
    return {fmt: root / report.file_path(fmt) for fmt in Report.FORMATS}


def everything_on_disk() -> list[Path]:
    root = Path(settings.REPORTS_FILES_DIR)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.django_db
def test_a_report_is_done_with_three_whole_files(dataset, network):
    report = make_report(kind="station_monthly", station=network.street_a, period=MARCH)
    assert run(report) == "done"
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert (report.progress, report.attempts, report.error) == (100, 1, "")
    paths = files_of(report)
    assert paths["pdf"].read_bytes().startswith(b"%PDF")
    assert paths["xlsx"].read_bytes().startswith(b"PK")
    assert paths["csv"].read_bytes().startswith(b"\xef\xbb\xbf")
    assert not [p for p in everything_on_disk() if p.name.endswith(".tmp")]


@pytest.mark.django_db
def test_a_second_delivery_of_a_done_report_changes_nothing(dataset, network):
    report = make_report(kind="station_monthly", station=network.street_a, period=MARCH)
    run(report)
    before = Report.objects.filter(pk=report.pk).values().get()
    disk = {p: p.stat().st_mtime_ns for p in everything_on_disk()}
    assert run(report) == "already finished"
    assert Report.objects.filter(pk=report.pk).values().get() == before
    assert {p: p.stat().st_mtime_ns for p in everything_on_disk()} == disk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_running_report_whose_worker_died_restarts_cleanly(dataset, network):
    report = make_report(kind="station_monthly", station=network.street_a, period=MARCH)
    # A worker started it, wrote half a file, and died (its connection, and lock, are gone).
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, attempts=1, progress=62, progress_step="正在生成 PDF"
    )
    leftover = Path(settings.REPORTS_FILES_DIR) / report.code / "deadrun"
    leftover.mkdir(parents=True)
    (leftover / f".{report.code}-v1.pdf.x.tmp").write_bytes(b"%PDF-1.4 half")

    assert run(report) == "done"
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.DONE, 2)
    assert not leftover.exists()  # the dead run's debris is gone
    assert everything_on_disk() == sorted(files_of(report).values())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_duplicate_delivery_while_a_live_worker_runs_it_is_left_alone(dataset, network):
    report = make_report(kind="station_monthly", station=network.street_a, period=MARCH)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, attempts=1)
    holding, release = threading.Event(), threading.Event()

    def live_worker():  # another process's session holds the report's run lock
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, report.pk])
            holding.set()
            release.wait(10)
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, report.pk])
        connections["default"].close()

    thread = threading.Thread(target=live_worker)
    thread.start()
    try:
        assert holding.wait(10)
        assert run(report) == "busy"
        report.refresh_from_db()
        assert (report.status, report.attempts) == (Report.Status.RUNNING, 1)
    finally:
        release.set()
        thread.join()
    assert run(report) == "done"  # once the live run is gone (here: it died), it completes


@pytest.mark.django_db
def test_a_temporary_error_is_retried_with_backoff_then_fails_with_the_error(network):
    report = make_report(kind="test_always_busy", station=network.street_a, period=MARCH)
    assert run(report) == "failed"
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.attempts == settings.REPORTS_MAX_RETRIES + 1
    assert "OperationalError" in report.error and "the database is restarting" in report.error
    assert report.pdf_path == report.xlsx_path == report.csv_path == ""
    assert everything_on_disk() == []


def test_backoff_doubles_up_to_a_cap(settings):
    settings.REPORTS_RETRY_BACKOFF, settings.REPORTS_RETRY_BACKOFF_MAX = 30, 600
    assert [services.retry_delay(n) for n in range(7)] == [30, 60, 120, 240, 480, 600, 600]


@pytest.mark.django_db
def test_a_temporary_error_then_success_is_done(network):
    from . import kinds_for_tests

    kinds_for_tests.CALLS["flaky"] = 0
    report = make_report(kind="test_flaky_once", station=network.street_a, period=MARCH)
    assert run(report) == "done"
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (Report.Status.DONE, 2, "")


@pytest.mark.django_db
def test_retrying_shows_the_error_while_queued(network):
    report = make_report(kind="test_always_busy", station=network.street_a, period=MARCH)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, attempts=1)
    services.requeue_after_error(report_id=report.pk, error="OperationalError: busy", retry_in=30)
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED
    assert "第1次尝试失败" in report.error and "30秒后重试" in report.progress_step


@pytest.mark.django_db
def test_a_permanent_error_fails_at_once_with_the_error(network):
    report = make_report(kind="test_broken", station=network.street_a, period=MARCH)
    assert run(report) == "failed"
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.FAILED, 1)
    assert report.error == "ValueError: the figures do not add up"
    assert run(report) == "already finished"  # a failed report stays failed until asked again


@pytest.mark.django_db
def test_a_failure_while_writing_files_leaves_no_file_and_no_pointer(network):
    report = make_report(kind="test_float_cell", station=network.street_a, period=MARCH)
    assert run(report) == "failed"
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and "float" in report.error
    assert report.pdf_path == report.xlsx_path == report.csv_path == ""
    assert everything_on_disk() == []


@pytest.mark.django_db
def test_done_needs_all_three_files_in_the_database(network):
    from django.db import IntegrityError

    report = make_report(kind="station_monthly", station=network.street_a, period=MARCH)
    with pytest.raises(IntegrityError):
        Report.objects.filter(pk=report.pk).update(status=Report.Status.DONE, pdf_path="x.pdf")


@pytest.mark.django_db
def test_asking_again_for_a_done_unpublished_report_produces_it_afresh(
    dataset, network, cast, django_capture_on_commit_callbacks
):
    ask = {"kind": "station_monthly", "station": network.street_a, "by": cast.director,
           "period_start": MARCH.start, "period_end": MARCH.end}  # fmt: skip
    with django_capture_on_commit_callbacks() as queued:
        report = services.request_report(**ask)
        assert services.request_report(**ask).pk == report.pk  # queued: left alone
    assert len(queued) == 1
    run(report)
    with django_capture_on_commit_callbacks() as queued:
        again = services.request_report(**ask)
    report.refresh_from_db()
    assert again.pk == report.pk and report.version == 1 and len(queued) == 2  # cleanup + job
    assert (report.status, report.pdf_path, report.attempts) == (Report.Status.QUEUED, "", 0)
    assert run(report) == "done"
