"""Reports produced by real Celery worker processes through the configured broker (Redis in
CI), including a worker killed in the middle of a report."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from reports.models import Report
from reports.tasks import generate_report_task

from .conftest import make_report

BASE_DIR = Path(__file__).resolve().parents[2]


class Workers:
    def __init__(self, test_database_url, tmp_path):
        self.queue = f"test-reports-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "DATABASE_URL": test_database_url,
            "DJANGO_SETTINGS_MODULE": "tests.reports.worker_settings",
            "REPORTS_FILES_DIR": str(settings.REPORTS_FILES_DIR),
        }
        self.tmp_path = tmp_path
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def start(self, **env) -> subprocess.Popen:
        log = self.tmp_path / f"worker-{len(self.processes)}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
                 f"--hostname=test-{uuid.uuid4().hex[:8]}@localhost", f"--queues={self.queue}",
                 "--without-gossip", "--without-mingle", "--loglevel=INFO"],
                cwd=BASE_DIR, env={**self.env, **env}, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.processes.append((process, log))
        return process

    def stop(self):
        for process, log in self.processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
            print(log.read_text())


@pytest.fixture
def workers(test_database_url, tmp_path):
    workers = Workers(test_database_url, tmp_path)
    yield workers
    workers.stop()


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_produces_the_report(workers, dataset, network):
    workers.start()
    report = make_report(
        kind="fund_quarterly_disclosure", station=network.street_a, fund=dataset.fund_a
    )
    result = generate_report_task.apply_async(args=[report.pk], queue=workers.queue)
    assert result.get(timeout=90) == "done"
    report.refresh_from_db()
    assert (report.status, report.attempts, report.progress) == (Report.Status.DONE, 1, 100)
    root = Path(settings.REPORTS_FILES_DIR)
    assert (root / report.pdf_path).read_bytes().startswith(b"%PDF")
    # The same job delivered again, to the worker: nothing changes.
    before = Report.objects.filter(pk=report.pk).values().get()
    again = generate_report_task.apply_async(args=[report.pk], queue=workers.queue)
    assert again.get(timeout=60) == "already finished"
    assert Report.objects.filter(pk=report.pk).values().get() == before


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_report_leaves_nothing_half_done_and_the_report_completes_once(
    workers, network, tmp_path, client, cast
):
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("redelivery after a visibility timeout is Redis's behaviour")
    marker = tmp_path / "hold"
    marker.touch()
    first = workers.start(REPORTS_TEST_SLOW_MARKER=str(marker))
    report = make_report(kind="test_slow", station=network.street_a, requested_by=cast.superuser)
    generate_report_task.apply_async(args=[report.pk], queue=workers.queue)

    # Progress is visible from outside while the worker is in the middle of the report: in the
    # database and on the staff's report page, which refreshes itself meanwhile.
    wait_for(lambda: Report.objects.filter(pk=report.pk, progress_step="slow step").exists())
    running = Report.objects.get(pk=report.pk)
    assert running.status == Report.Status.RUNNING and 0 < running.progress < 100
    client.force_login(cast.superuser)
    page = client.get(f"/admin/reports/report/{report.pk}/change/").content.decode()
    assert f'aria-valuenow="{running.progress}"' in page and "slow step" in page
    assert '<meta http-equiv="refresh"' in page and "/download/pdf/" not in page  # no file yet
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)

    # Nothing half-done is visible: still "running", no files pointed to, nothing on disk.
    dead = Report.objects.get(pk=report.pk)
    assert dead.status == Report.Status.RUNNING and dead.pdf_path == ""
    root = Path(settings.REPORTS_FILES_DIR)
    assert not [p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".tmp")]

    # Another worker gets the unacknowledged job back once the visibility timeout passes.
    marker.unlink()
    workers.start(CELERY_VISIBILITY_TIMEOUT="3", TEST_FAST_REDELIVERY="1")
    done = wait_for(
        lambda: Report.objects.filter(pk=report.pk, status=Report.Status.DONE).first(), timeout=90
    )
    assert done.attempts == 2 and done.progress == 100
    files = sorted(p for p in root.rglob("*") if p.is_file())
    assert files == sorted(root / done.file_path(fmt) for fmt in Report.FORMATS)
    time.sleep(5)  # no second completion after another visibility timeout
    assert Report.objects.get(pk=report.pk).finished_at == done.finished_at
    assert Report.objects.count() == 1
