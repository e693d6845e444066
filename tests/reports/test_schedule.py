"""Beat creates each period's reports once, however often it runs, and queues them."""

import datetime
import threading

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.db import connections

from funds.models import Fund
from reports import services
from reports.models import Report
from reports.tasks import schedule_reports_task
from stations.models import Station

TODAY = datetime.date(2026, 4, 1)


@pytest.mark.django_db
def test_the_monthly_job_makes_one_report_per_station_for_last_month(
    dataset, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        created = services.schedule_reports(kind="station_monthly", today=TODAY)
    stations = Station.objects.filter(is_active=True).count()
    assert len(created) == stations == len(queued)
    assert {(r.period_start, r.period_end) for r in created} == {
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    }
    assert all(r.scheduled and r.requested_by is None and r.version == 1 for r in created)


@pytest.mark.django_db
def test_the_same_scheduled_job_twice_makes_one_report(dataset, django_capture_on_commit_callbacks):
    services.schedule_reports(kind="fund_quarterly_disclosure", today=TODAY)
    with django_capture_on_commit_callbacks() as queued_again:
        again = services.schedule_reports(kind="fund_quarterly_disclosure", today=TODAY)
    assert again == [] and queued_again == []
    reports = Report.objects.filter(kind="fund_quarterly_disclosure")
    assert reports.count() == Fund.objects.count() == 3
    assert {(r.period_start, r.period_end) for r in reports} == {
        (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    }


@pytest.mark.django_db
def test_the_beat_task_schedules_every_kind_of_its_period(
    dataset, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        # Two yearly kinds: each fund's annual statement, and one work report draft per host
        # (the dataset's three funds have one host).
        assert schedule_reports_task.apply(args=["year"]).get() == Fund.objects.count() + 1
        assert schedule_reports_task.apply(args=["year"]).get() == 0
    assert set(Report.objects.values_list("kind", flat=True)) == {
        "fund_annual_statement",
        "host_annual_work_report",
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_beats_at_the_same_moment_make_one_report_each(dataset):
    barrier = threading.Barrier(2)
    errors = []

    def beat():
        try:
            barrier.wait(5)
            services.schedule_reports(kind="station_monthly", today=TODAY)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Report.objects.count() == Station.objects.filter(is_active=True).count()


def test_the_schedule_is_in_settings_in_shanghai_time():
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    schedule = settings.CELERY_BEAT_SCHEDULE
    monthly = schedule["reports-station-monthly"]
    assert monthly["task"] == "reports.schedule_reports" and monthly["args"] == ("month",)
    assert monthly["schedule"] == crontab(minute=0, hour=2, day_of_month=1)
    assert schedule["reports-fund-quarterly"]["args"] == ("quarter",)
    assert schedule["reports-fund-quarterly"]["schedule"].month_of_year == {1, 4, 7, 10}
    assert schedule["reports-fund-annual"]["args"] == ("year",)
    assert "reports-disclosure-reminders" in schedule


def test_reports_run_on_their_own_queue_with_a_long_enough_visibility_timeout():
    from config.celery import app
    from reports.tasks import generate_report_task

    route = app.amqp.router.route({}, generate_report_task.name)
    assert route["queue"].name == "reports"
    assert generate_report_task.acks_late and generate_report_task.reject_on_worker_lost
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        assert timeout > settings.REPORTS_TASK_TIME_LIMIT >= generate_report_task.time_limit
    procfile = (settings.BASE_DIR / "Procfile.dev").read_text()
    assert "--queues=celery,reports" in procfile
